import { loadTelemetryApi } from './api.js';
import { activeInstruments } from './instruments.js';
import { type CacheSource, type CircuitSource, type TelemetryRegistry, telemetryRegistry, type UsageSource, type WeakRefSet } from './registry.js';

type SourceKind = 'caches' | 'usage' | 'circuits' | 'webhooks';
type SourceOf<K extends SourceKind> = TelemetryRegistry[K] extends WeakRefSet<infer T> ? T : never;

/**
 * Registers an object for the gauges (held weakly: observing never keeps it alive), and
 * starts loading the API so that the gauges exist once a MeterProvider is registered.
 */
export function observeSource<K extends SourceKind>(kind: K, source: SourceOf<K>): void {
  (telemetryRegistry()[kind] as WeakRefSet<SourceOf<K>>).add(source);
  // Makes the instruments (and so the gauges) as soon as the API is there, even before any event.
  void loadTelemetryApi().then(() => activeInstruments());
}

/** Reports a cache's entries and loads in flight. Call it once, in the cache's constructor. */
export function observeCache(cache: CacheSource): void {
  observeSource('caches', cache);
}

/**
 * Reports the usage Meta announced (per business, and app-wide) and the circuit of each
 * business. Call it once, in the Graph client's constructor, with its rate-limit gate and its
 * circuit breaker (when it has one).
 */
export function observeGraphClient(usage: UsageSource, circuits?: CircuitSource): void {
  observeSource('usage', usage);
  if (circuits !== undefined) observeSource('circuits', circuits);
}
