import { EventEmitter } from 'node:events';

/** A promise that resolves after `ms`, or rejects as soon as `signal` aborts. Uses the global timers, so fake timers drive it in tests. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A call's deadline: it aborts when `ms` elapse or when `parent` aborts, whichever is first;
 * `timedOut` tells the two apart. `dispose()` must be called to release the timer and the
 * parent listener.
 *
 * Making an AbortController costs Node 20 some 5 µs, more than the rest of a Graph call's own
 * work, so none is made unless someone asks for `signal` (a token function, a retry's wait).
 * undici takes the deadline itself as its `signal`: its `request()` accepts an EventEmitter
 * that emits 'abort' and carries `aborted` and `reason`.
 */
export class Deadline extends EventEmitter {
  /** The deadline's length, in ms. */
  readonly ms: number;
  readonly #startedAt = performance.now();
  #aborted = false;
  #reason: unknown;
  #timedOut = false;
  #timer: NodeJS.Timeout | undefined;
  #parent: AbortSignal | undefined;
  #onParentAbort: (() => void) | undefined;
  #controller: AbortController | undefined;

  constructor(ms: number, parent?: AbortSignal) {
    super();
    this.ms = ms;
    if (parent?.aborted) {
      this.#abort(parent.reason);
      return;
    }
    // The deadline as an argument, so that no closure is made per call.
    this.#timer = setTimeout(Deadline.#expire, ms, this);
    if (parent) {
      this.#parent = parent;
      // Once the parent aborted, the deadline can no longer be what ended the call.
      this.#onParentAbort = () => this.#abort(parent.reason);
      parent.addEventListener('abort', this.#onParentAbort, { once: true });
    }
  }

  static #expire(this: void, deadline: Deadline): void {
    deadline.#timedOut = true;
    deadline.#abort(new Error(`timed out after ${deadline.ms} ms`));
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** True when the deadline, not the parent signal, aborted. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** An AbortSignal that follows the deadline, made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Time left before the deadline, in ms, on the monotonic clock (`performance.now`). */
  remaining(): number {
    return this.ms - (performance.now() - this.#startedAt);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    if (this.#onParentAbort) this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    clearTimeout(this.#timer);
    this.#controller?.abort(reason);
    this.emit('abort');
  }
}

/**
 * `promise`, or a rejection with the deadline's reason as soon as it aborts, whichever comes
 * first. For work we cannot cancel (a user's token function): the caller stops waiting; a
 * late rejection of the abandoned promise is swallowed, not reported as unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, deadline: Deadline): Promise<T> {
  if (deadline.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(deadline.reason);
  }
  return new Promise<T>((resolve, reject) => {
    // The handlers below stay attached, so a late rejection is never unhandled.
    const onAbort = () => reject(deadline.reason);
    deadline.once('abort', onAbort);
    promise.then(
      (value) => {
        deadline.removeListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        deadline.removeListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
