import { performance } from 'node:perf_hooks';

/** Per customer, from the moment their first webhook is posted to the moment the Send API answers the bot's reply to them. */
export class LatencyLog {
  #posted = new Map<string, number>();
  #latencies: number[] = [];

  reset(): void {
    this.#posted.clear();
    this.#latencies = [];
  }

  /** Only a customer's first event is timed: "first reply to a new customer". */
  posted(igsid: string): void {
    if (!this.#posted.has(igsid)) this.#posted.set(igsid, performance.now());
  }

  replied(igsid: string): void {
    const at = this.#posted.get(igsid);
    if (at === undefined) return;
    this.#posted.delete(igsid);
    this.#latencies.push(performance.now() - at);
  }

  report(): { replies: number; p50Ms?: number; p99Ms?: number } {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    if (sorted.length === 0) return { replies: 0 };
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { replies: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) };
  }
}
