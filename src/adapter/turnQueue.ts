/**
 * Runs tasks one after another per key (one customer of one business), while tasks of
 * different keys run concurrently. A failing task never stops the ones queued after it.
 */
export class TurnQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();

  enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).catch(() => undefined);
    this.#tails.set(key, run);
    this.#running.add(run);
    void run.then(() => {
      this.#running.delete(run);
      if (this.#tails.get(key) === run) this.#tails.delete(key);
    });
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
