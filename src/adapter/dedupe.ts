import { LRUCache } from 'lru-cache';
import type { DedupeOptions } from './options.js';

/**
 * Remembers which deliveries ran. Meta delivers at least once and retries for up to 36 h,
 * so an event seen again within the window is dropped. Bounded: the oldest keys go first.
 */
export class DeliveryDedupe {
  readonly #seen: LRUCache<string, true> | undefined;

  constructor(options: Required<DedupeOptions> | false) {
    this.#seen = options ? new LRUCache<string, true>({ max: options.max, ttl: options.ttlMs, ttlAutopurge: false }) : undefined;
  }

  /** True the first time a key is offered (and for events without a key); false for repeats. */
  firstTime(key: string | undefined): boolean {
    if (key === undefined || !this.#seen) return true;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, true);
    return true;
  }
}
