import type { UsageSnapshot } from '../graph/rateLimitGate.js';

/** What the gauges read, structurally: the objects never learn about telemetry. */
export interface CacheSource {
  /** Entries held. */
  readonly size: number;
  /** Loads in flight, when the cache says (`ProfileCache.loading`). */
  readonly loading?: number;
}

export interface UsageSource {
  /** The last usage Meta reported, per business id (`*` for calls without one). */
  usageEntries(): Iterable<readonly [string, UsageSnapshot]>;
}

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface CircuitSource {
  /** Each business with a circuit on record (`*` for calls without one), and its state. */
  states(): Iterable<readonly [string, CircuitState]>;
}

export interface WebhookSource {
  readonly load: { readonly running: number; readonly queued: number };
}

/** Weak references, so that observing an object never keeps it alive; dead ones are swept as the set grows and as it is read. */
export class WeakRefSet<T extends object> {
  readonly #refs = new Set<WeakRef<T>>();
  #sweepAt = 64;

  add(value: T): void {
    this.#refs.add(new WeakRef(value));
    if (this.#refs.size < this.#sweepAt) return;
    for (const _ of this.live());
    this.#sweepAt = Math.max(64, this.#refs.size * 2);
  }

  *live(): Generator<T> {
    for (const ref of this.#refs) {
      const value = ref.deref();
      if (value === undefined) this.#refs.delete(ref);
      else yield value;
    }
  }
}

export interface TelemetryRegistry {
  readonly caches: WeakRefSet<CacheSource>;
  readonly usage: WeakRefSet<UsageSource>;
  readonly circuits: WeakRefSet<CircuitSource>;
  readonly webhooks: WeakRefSet<WebhookSource>;
  /** Circuit keys reported before, per source: a circuit that closed is reported closed, not dropped. */
  readonly circuitKeys: WeakMap<CircuitSource, Set<string>>;
}

/**
 * One registry per process, under a registered symbol: an ESM copy and a CommonJS copy of
 * this package report the same totals instead of overwriting each other's.
 */
const REGISTRY_KEY = Symbol.for('botbuilder-instagram-profile.telemetry.v1');

export function telemetryRegistry(): TelemetryRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: TelemetryRegistry };
  return (holder[REGISTRY_KEY] ??= {
    caches: new WeakRefSet(),
    usage: new WeakRefSet(),
    circuits: new WeakRefSet(),
    webhooks: new WeakRefSet(),
    circuitKeys: new WeakMap(),
  });
}
