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

export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the deadline, not the parent signal, aborted. */
  readonly timedOut: boolean;
  /** The deadline's length, in ms. */
  readonly ms: number;
  /** Time left before the deadline, in ms, on the monotonic clock (`performance.now`). */
  remaining(): number;
  dispose(): void;
}

/**
 * An AbortController that aborts when `parent` aborts or when `ms` elapse, whichever is
 * first. `timedOut` tells the two apart. `dispose()` must be called to release the timer.
 */
export function deadlineController(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const startedAt = performance.now();
  let timedOut = false;
  const onParentAbort = () => {
    // Once the parent aborted, the deadline can no longer be what ended the call.
    clearTimeout(timer);
    controller.abort(parent?.reason);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${ms} ms`));
  }, ms);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    ms,
    remaining: () => ms - (performance.now() - startedAt),
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts, whichever
 * comes first. For work we cannot cancel (a user's token function): the caller stops
 * waiting; a late rejection of the abandoned promise is swallowed, not reported as unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    // The handlers below stay attached, so a late rejection is never unhandled.
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
