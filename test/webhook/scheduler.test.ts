import { expect } from 'chai';
import sinon from 'sinon';
import { TurnScheduler } from '../../src/webhook/scheduler.js';
import { deferred } from '../adapter/helpers.js';

function scheduler(overrides: Partial<ConstructorParameters<typeof TurnScheduler>[0]> = {}) {
  return new TurnScheduler({ maxConcurrent: 4, maxQueued: 100, turnTimeoutMs: 60_000, ...overrides });
}

/** Enqueues on a reservation, as the core does. */
function enqueue(s: TurnScheduler, key: string, task: () => Promise<void>) {
  expect(s.tryReserve(1)).to.equal(true);
  s.enqueue(key, task);
}

describe('TurnScheduler', () => {
  afterEach(() => sinon.restore());

  it('should run the turns of one key in order, one at a time, and other keys alongside', async () => {
    const s = scheduler();
    const log: string[] = [];
    const first = deferred();
    enqueue(s, 'a', async () => {
      log.push('a1 start');
      await first.promise;
      log.push('a1 end');
    });
    enqueue(s, 'a', async () => void log.push('a2'));
    enqueue(s, 'b', async () => void log.push('b1'));
    await Promise.resolve();
    expect(log).to.deep.equal(['a1 start', 'b1']);
    first.resolve();
    await s.drain();
    expect(log).to.deep.equal(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('should never run more than maxConcurrent turns at once, and start the waiting ones in arrival order', async () => {
    const s = scheduler({ maxConcurrent: 2 });
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      enqueue(s, key, async () => {
        started.push(key);
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      });
    }
    expect(s.running).to.equal(2);
    expect(s.queued).to.equal(3);
    await s.drain();
    expect(peak).to.equal(2);
    expect(started).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('should refuse a reservation that would pass maxConcurrent + maxQueued, counting other reservations', () => {
    const s = scheduler({ maxConcurrent: 2, maxQueued: 3 });
    expect(s.tryReserve(6)).to.equal(false);
    expect(s.tryReserve(4)).to.equal(true);
    expect(s.tryReserve(2)).to.equal(false);
    s.release(3);
    expect(s.tryReserve(2)).to.equal(true);
  });

  it('should free the key and the slot of a turn that outlives turnTimeoutMs, with one timer for all turns', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const timeouts: string[] = [];
    const s = scheduler({ maxConcurrent: 1, turnTimeoutMs: 1_000, onTurnTimeout: (key) => timeouts.push(key) });
    const ran: string[] = [];
    enqueue(s, 'a', () => new Promise(() => undefined));
    enqueue(s, 'a', async () => void ran.push('a2'));
    enqueue(s, 'b', async () => void ran.push('b1'));
    expect(clock.countTimers()).to.equal(1);
    await clock.tickAsync(999);
    expect(ran).to.deep.equal([]);
    await clock.tickAsync(1);
    expect(timeouts).to.deep.equal(['a']);
    await s.drain();
    expect(ran).to.deep.equal(['b1', 'a2']);
    expect(clock.countTimers()).to.equal(0);
  });

  it('should count a task that throws or rejects as finished, so the next turn of its key runs', async () => {
    const s = scheduler();
    const ran: string[] = [];
    enqueue(s, 'a', () => {
      throw new Error('sync failure');
    });
    enqueue(s, 'a', () => Promise.reject(new Error('async failure')));
    enqueue(s, 'a', async () => void ran.push('third'));
    await s.drain();
    expect(ran).to.deep.equal(['third']);
  });

  it('should resolve drain at once when idle, and only after turns queued by turns have run', async () => {
    const s = scheduler();
    await s.drain();
    const ran: string[] = [];
    enqueue(s, 'a', async () => {
      ran.push('outer');
      enqueue(s, 'a', async () => void ran.push('inner'));
    });
    await s.drain();
    expect(ran).to.deep.equal(['outer', 'inner']);
  });
});
