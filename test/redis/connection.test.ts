import { expect } from 'chai';
import sinon from 'sinon';
import type { CommandSender } from '../../src/redis/clients.js';
import { RedisConnection } from '../../src/redis/connection.js';
import { giveUpAt, type StoreContext, strictGiveUpAt } from '../../src/redis/context.js';

/** The server's clock runs this far ahead of ours. */
const AHEAD_MS = 5_000;
const HEARTBEAT_MS = 10_000;

/**
 * A Redis whose TIME replies the test times: each TIME waits until the test answers it,
 * `stampAfterMs` into the round trip (the server's clock read then), as a loaded network or
 * a busy process would stretch either half.
 */
function timedRedis() {
  const pending: Array<(stampAfterMs: number) => void> = [];
  const send: CommandSender = (args) =>
    new Promise((resolve) => {
      if (args[0] !== 'TIME') return resolve('OK');
      const sentAt = Date.now();
      pending.push((stampAfterMs) => {
        const server = sentAt + stampAfterMs + AHEAD_MS;
        resolve([String(Math.floor(server / 1000)), String((server % 1000) * 1000)]);
      });
    });
  return { send, pending };
}

describe('RedisConnection: the estimate of the server clock', () => {
  let clock: sinon.SinonFakeTimers;
  let connection: RedisConnection | undefined;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout', 'setImmediate'] });
  });
  afterEach(() => {
    connection?.close();
    clock.restore();
  });

  /** Runs one probe whose round trip takes `roundTripMs`, the server stamping it `stampAfterMs` in. */
  async function probe(redis: ReturnType<typeof timedRedis>, roundTripMs: number, stampAfterMs: number) {
    await clock.tickAsync(0);
    const answer = redis.pending.shift();
    if (!answer) throw new Error('no TIME in flight');
    await clock.tickAsync(roundTripMs);
    answer(stampAfterMs);
    await clock.tickAsync(0);
  }

  function connect(redis: ReturnType<typeof timedRedis>, timeoutMs = 5_000) {
    connection = new RedisConnection(redis.send, { timeoutMs, firstProbeMs: 5_000, retryIntervalMs: 50, now: Date.now }, { onUp: () => undefined, onChange: () => undefined });
    return connection;
  }

  const offsetOf = (c: RedisConnection) => c.serverNow() - Date.now();

  it('should be within half the round trip of the server clock, and say so', async () => {
    const redis = timedRedis();
    const c = connect(redis);
    // A lopsided round trip of 40 ms: the server read its clock 10 ms in, we assume 20.
    await probe(redis, 40, 10);
    expect(c.up).to.equal(true);
    expect(offsetOf(c)).to.equal(AHEAD_MS - 10);
    expect(c.clockError()).to.be.closeTo(20, 0.01);
    expect(Math.abs(offsetOf(c) - AHEAD_MS)).to.be.at.most(c.clockError());
  });

  it('should keep a precise sample over a later one stretched by a busy moment, until it is old', async () => {
    const redis = timedRedis();
    const c = connect(redis);
    await probe(redis, 2, 1);
    expect(offsetOf(c)).to.equal(AHEAD_MS);
    // Heartbeats whose round trips a loaded machine stretched to 600 ms, the stamp at 100 ms.
    for (let beat = 1; beat <= 5; beat++) {
      await clock.tickAsync(HEARTBEAT_MS);
      await probe(redis, 600, 100);
      expect(offsetOf(c), `heartbeat ${beat}`).to.equal(AHEAD_MS);
      expect(c.clockError(), 'the kept sample, plus drift').to.be.below(1 + 6 * HEARTBEAT_MS * 1e-4 + 1);
    }
    // Past a minute the kept sample gives way, however imprecise the new one: a clock may have been stepped.
    await clock.tickAsync(HEARTBEAT_MS);
    await probe(redis, 600, 100);
    expect(offsetOf(c)).to.equal(AHEAD_MS - 200);
    expect(c.clockError()).to.be.closeTo(300, 0.01);
    // A precise sample wins again at once.
    await clock.tickAsync(HEARTBEAT_MS);
    await probe(redis, 4, 2);
    expect(offsetOf(c)).to.equal(AHEAD_MS);
    expect(c.clockError()).to.be.closeTo(2, 0.01);
  });

  it('should measure again soon, not at the next heartbeat, when the error eats into the deadline', async () => {
    const redis = timedRedis();
    const c = connect(redis, 100);
    // A first TIME that waited 120 ms for the connection: an error of 60 ms against 100 ms deadlines.
    await probe(redis, 120, 60);
    expect(c.clockError()).to.be.closeTo(60, 0.01);
    await clock.tickAsync(50);
    await probe(redis, 2, 1);
    expect(c.clockError()).to.be.closeTo(1, 0.01);
    // Precise now: the next TIME is the heartbeat's.
    await clock.tickAsync(HEARTBEAT_MS - 1);
    expect(redis.pending).to.have.length(0);
    await clock.tickAsync(1);
    expect(redis.pending).to.have.length(1);
  });

  for (const [where, stampAfterMs] of [['start', 0], ['end', 300]] as const) {
    it(`should refuse strict writes no later than the deadline, and lenient ones no sooner, when the server read its clock at the ${where} of the round trip`, async () => {
      const redis = timedRedis();
      const c = connect(redis);
      // The worst cases the estimate allows: a 300 ms round trip, the server's clock read at one end.
      await probe(redis, 300, stampAfterMs);
      const context = { connection: c } as StoreContext;
      const deadlineOnServer = Date.now() + AHEAD_MS + c.timeoutMs;
      expect(c.clockError()).to.be.closeTo(150, 0.01);
      expect(strictGiveUpAt(context), 'a write given up at its deadline cannot land').to.be.below(deadlineOnServer);
      expect(giveUpAt(context), 'a write sent in time is never refused').to.be.above(deadlineOnServer);
    });
  }
});
