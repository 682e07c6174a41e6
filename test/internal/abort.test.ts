import { expect } from 'chai';
import sinon from 'sinon';
import { Deadline, delay, untilAborted } from '../../src/internal/abort.js';

describe('internal/abort', () => {
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  afterEach(() => {
    clock.restore();
  });

  /** Whether a promise has settled, without waiting for it. */
  async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
    let result: 'pending' | 'resolved' | 'rejected' = 'pending';
    promise.then(() => (result = 'resolved'), () => (result = 'rejected'));
    await clock.tickAsync(0);
    return result;
  }

  describe('delay', () => {
    it('should resolve after the given time, not before', async () => {
      const done = delay(100);
      await clock.tickAsync(99);
      expect(await state(done)).to.equal('pending');
      await clock.tickAsync(1);
      expect(await state(done)).to.equal('resolved');
    });

    it('should reject with the reason as soon as the signal aborts, and clear its timer', async () => {
      const controller = new AbortController();
      const done = delay(100, controller.signal);
      await clock.tickAsync(10);
      const reason = new Error('stop');
      controller.abort(reason);
      try {
        await done;
        expect.fail('should have rejected');
      } catch (error) {
        expect(error).to.equal(reason);
      }
      expect(clock.countTimers()).to.equal(0);
    });

    it('should reject at once for a signal already aborted', async () => {
      const reason = new Error('already');
      expect(await state(delay(100, AbortSignal.abort(reason)))).to.equal('rejected');
      expect(clock.countTimers()).to.equal(0);
    });

    it('should stop listening to the signal once it resolved', async () => {
      const controller = new AbortController();
      const remove = sinon.spy(controller.signal, 'removeEventListener');
      const done = delay(5, controller.signal);
      await clock.tickAsync(5);
      await done;
      expect(remove.calledWith('abort')).to.equal(true);
    });
  });

  describe('Deadline', () => {
    it('should abort when the time is up, and say it timed out', async () => {
      const deadline = new Deadline(50);
      await clock.tickAsync(49);
      expect(deadline.signal.aborted).to.equal(false);
      await clock.tickAsync(1);
      expect(deadline.signal.aborted).to.equal(true);
      expect(deadline.timedOut).to.equal(true);
      expect(String(deadline.signal.reason)).to.include('50 ms');
    });

    it("should abort with the parent's reason when the parent aborts first, and not say it timed out", async () => {
      const parent = new AbortController();
      const deadline = new Deadline(50, parent.signal);
      const reason = new Error('caller gave up');
      parent.abort(reason);
      expect(deadline.signal.aborted).to.equal(true);
      expect(deadline.signal.reason).to.equal(reason);
      expect(deadline.timedOut).to.equal(false);
      await clock.tickAsync(100);
      expect(deadline.timedOut).to.equal(false);
      deadline.dispose();
    });

    it('should start aborted under a parent already aborted', () => {
      const deadline = new Deadline(50, AbortSignal.abort('gone'));
      expect([deadline.signal.aborted, deadline.signal.reason, deadline.timedOut]).to.deep.equal([true, 'gone', false]);
      expect(clock.countTimers()).to.equal(0);
      deadline.dispose();
    });

    it('should tell the time left on the monotonic clock, and its length', () => {
      const monotonic = sinon.useFakeTimers({ toFake: ['performance'], now: 0 });
      try {
        const deadline = new Deadline(500);
        monotonic.tick(120);
        expect(deadline.remaining()).to.equal(380);
        expect(deadline.ms).to.equal(500);
        deadline.dispose();
      } finally {
        monotonic.restore();
      }
    });

    it('should release the timer and the parent listener on dispose', async () => {
      const parent = new AbortController();
      const remove = sinon.spy(parent.signal, 'removeEventListener');
      const deadline = new Deadline(50, parent.signal);
      expect(clock.countTimers()).to.equal(1);
      deadline.dispose();
      expect(clock.countTimers()).to.equal(0);
      expect(remove.calledWith('abort')).to.equal(true);
      parent.abort();
      await clock.tickAsync(100);
      expect(deadline.signal.aborted).to.equal(false);
    });
    it('should make no AbortController until its signal is read', async () => {
      const made = sinon.spy(globalThis, 'AbortController');
      try {
        const deadline = new Deadline(50, new AbortController().signal);
        expect(made.callCount).to.equal(1); // the parent's, made above
        await clock.tickAsync(50);
        expect(made.callCount).to.equal(1);
        expect(deadline.signal.aborted).to.equal(true);
        expect(made.callCount).to.equal(2);
        deadline.dispose();
      } finally {
        made.restore();
      }
    });

    it("should carry aborted and reason, and emit 'abort' once, as undici's request() listens to an EventEmitter signal", async () => {
      const deadline = new Deadline(50);
      const listener = sinon.spy();
      deadline.once('abort', listener);
      expect([deadline.aborted, deadline.reason]).to.deep.equal([false, undefined]);
      await clock.tickAsync(50);
      expect(listener.callCount).to.equal(1);
      expect(deadline.aborted).to.equal(true);
      expect(String(deadline.reason)).to.include('50 ms');
      deadline.dispose();
    });

    it('should abort a signal read before the end when the time is up', async () => {
      const deadline = new Deadline(50);
      const { signal } = deadline;
      await clock.tickAsync(50);
      expect(signal.aborted).to.equal(true);
      expect(signal.reason).to.equal(deadline.reason);
    });

    it("should emit 'abort' with the parent's reason when the parent aborts", () => {
      const parent = new AbortController();
      const deadline = new Deadline(50, parent.signal);
      const listener = sinon.spy();
      deadline.once('abort', listener);
      parent.abort('caller');
      expect([listener.callCount, deadline.aborted, deadline.reason, deadline.timedOut]).to.deep.equal([1, true, 'caller', false]);
      deadline.dispose();
    });
  });

  describe('untilAborted', () => {
    it('should settle as the promise does while the deadline stays quiet', async () => {
      const deadline = new Deadline(10_000);
      expect(await untilAborted(Promise.resolve('token'), deadline)).to.equal('token');
      const failure = new Error('vault down');
      const rejected = untilAborted(Promise.reject(failure), deadline);
      expect(await rejected.catch((error: unknown) => error)).to.equal(failure);
    });

    it('should reject with the reason as soon as the deadline aborts, though the promise never settles', async () => {
      const controller = new AbortController();
      const pending = untilAborted(new Promise<never>(() => {}), new Deadline(10_000, controller.signal));
      await clock.tickAsync(1_000);
      expect(await state(pending)).to.equal('pending');
      const reason = new Error('deadline');
      controller.abort(reason);
      expect(await pending.catch((error: unknown) => error)).to.equal(reason);
    });

    it('should reject at once under a deadline already aborted', async () => {
      expect(await state(untilAborted(new Promise<never>(() => {}), new Deadline(10_000, AbortSignal.abort('gone'))))).to.equal('rejected');
    });

    it('should stop listening to the deadline once the promise settled', async () => {
      const deadline = new Deadline(10_000);
      await untilAborted(Promise.resolve(1), deadline);
      expect(deadline.listenerCount('abort')).to.equal(0);
    });

    it('should not report the late rejection of a promise it gave up on as unhandled', async () => {
      const controller = new AbortController();
      let fail!: (error: Error) => void;
      const late = new Promise<never>((_resolve, reject) => (fail = reject));
      const unhandled = sinon.spy();
      process.on('unhandledRejection', unhandled);
      try {
        const pending = untilAborted(late, new Deadline(10_000, controller.signal));
        controller.abort(new Error('deadline'));
        await pending.catch(() => undefined);
        fail(new Error('provider failed later'));
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled.called).to.equal(false);
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });
  });
});
