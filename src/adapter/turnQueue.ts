/**
 * Runs tasks one after another per key (one customer of one business), while tasks of
 * different keys run concurrently. A failing task never stops the ones queued after it.
 */
export class TurnQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();

  enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key);
    const settle = () => {
      this.#running.delete(run);
      if (this.#tails.get(key) === run) this.#tails.delete(key);
    };
    // Nothing queued for this key: start now rather than a tick later (most turns).
    const run: Promise<void> = (previous ? previous.then(task) : startNow(task)).then(settle, settle);
    this.#tails.set(key, run);
    this.#running.add(run);
    return run;
  }

  /** Resolves once every task queued so far (and any they queued) has finished. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  get pending(): number {
    return this.#running.size;
  }
}

function startNow(task: () => Promise<void>): Promise<void> {
  try {
    return task();
  } catch (error) {
    return Promise.reject(error);
  }
}
