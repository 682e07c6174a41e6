import createDebug from 'debug';
import type { Attributes, Meter, ObservableCallback, ObservableResult } from '@opentelemetry/api';
import type { UsageSnapshot } from '../graph/rateLimitGate.js';
import type { OpenTelemetryApi } from './api.js';
import { ATTR, CIRCUIT_STATE_VALUE, METRIC } from './names.js';
import { type CircuitSource, telemetryRegistry, type WeakRefSet } from './registry.js';

const log = createDebug('instagram-profile:telemetry');

/** The key of calls made without a business id (`APP_KEY` of the rate-limit gate): reported without the attribute. */
const APP_KEY = '*';

const RUNNING: Attributes = Object.freeze({ [ATTR.turnState]: 'running' });
const QUEUED: Attributes = Object.freeze({ [ATTR.turnState]: 'queued' });

/**
 * The observable instruments: read only when a MetricReader collects, from the objects
 * registered with `observeCache`, `observeGraphClient` and `observeWebhook`. Nothing is
 * counted per event for them.
 */
export function registerGauges(meter: Meter, api: OpenTelemetryApi): void {
  const int = { valueType: api.ValueType.INT };
  meter
    .createObservableUpDownCounter(METRIC.cacheEntries, { ...int, unit: '{entry}', description: 'Entries held by profile caches (profiles and remembered failures)' })
    .addCallback(guarded(observeCacheEntries));
  meter
    .createObservableUpDownCounter(METRIC.cacheLoads, { ...int, unit: '{load}', description: 'Profile loads in flight (one per person, shared by every turn that waits on it)' })
    .addCallback(guarded(observeCacheLoads));
  meter
    .createObservableUpDownCounter(METRIC.turns, { ...int, unit: '{turn}', description: 'Webhook turns running and queued' })
    .addCallback(guarded(observeTurns));
  meter.createObservableGauge(METRIC.appUsage, { unit: '%', description: "The app's usage of its Graph API budget, as Meta last reported it (X-App-Usage)" }).addCallback(guarded(observeAppUsage));
  meter
    .createObservableGauge(METRIC.businessUsage, { unit: '%', description: 'Business use case usage per business account, as Meta last reported it (X-Business-Use-Case-Usage)' })
    .addCallback(guarded(observeBusinessUsage));
  meter
    .createObservableGauge(METRIC.circuitState, { ...int, unit: '{state}', description: 'Circuit breaker of Graph profile reads per business account: 0 closed, 1 half-open, 2 open' })
    .addCallback(guarded(observeCircuits));
}

/** A gauge callback that cannot fail a collection. */
function guarded(callback: ObservableCallback): ObservableCallback {
  return (result) => {
    try {
      callback(result);
    } catch (error) {
      log('a gauge could not be read: %O', error);
    }
  };
}

/** Each live source, read by `read`; one that throws is logged and skipped, the others still count. */
function eachSource<T extends object>(sources: WeakRefSet<T>, read: (source: T) => void): void {
  for (const source of sources.live()) {
    try {
      read(source);
    } catch (error) {
      log('a source of a gauge could not be read: %O', error);
    }
  }
}

function observeCacheEntries(result: ObservableResult): void {
  let entries = 0;
  eachSource(telemetryRegistry().caches, (cache) => (entries += cache.size));
  result.observe(entries);
}

function observeCacheLoads(result: ObservableResult): void {
  let loads = 0;
  let known = false;
  eachSource(telemetryRegistry().caches, (cache) => {
    const loading = cache.loading;
    if (typeof loading !== 'number') return;
    loads += loading;
    known = true;
  });
  if (known) result.observe(loads);
}

function observeTurns(result: ObservableResult): void {
  let running = 0;
  let queued = 0;
  let any = false;
  eachSource(telemetryRegistry().webhooks, (webhook) => {
    const load = webhook.load;
    running += load.running;
    queued += load.queued;
    any = true;
  });
  if (!any) return;
  result.observe(running, RUNNING);
  result.observe(queued, QUEUED);
}

/** Every usage snapshot held, newest last. */
function snapshots(): UsageSnapshot[] {
  const all: UsageSnapshot[] = [];
  eachSource(telemetryRegistry().usage, (source) => {
    for (const [, snapshot] of source.usageEntries()) all.push(snapshot);
  });
  return all.sort((a, b) => a.at - b.at);
}

function observeAppUsage(result: ObservableResult): void {
  // App usage is app-wide: the newest report holds for every business.
  const app = snapshots().findLast((snapshot) => snapshot.app !== undefined)?.app;
  if (!app) return;
  result.observe(app.callCount, { [ATTR.usageMetric]: 'call_count' });
  result.observe(app.totalTime, { [ATTR.usageMetric]: 'total_time' });
  result.observe(app.totalCpuTime, { [ATTR.usageMetric]: 'total_cputime' });
}

function observeBusinessUsage(result: ObservableResult): void {
  // Newest last: a business reported twice keeps its latest figures.
  const latest = new Map<string, UsageSnapshot['business'][number]>();
  for (const snapshot of snapshots()) for (const usage of snapshot.business) latest.set(`${usage.businessId}\n${usage.type ?? ''}`, usage);
  for (const usage of latest.values()) {
    const base = usage.type === undefined ? { [ATTR.businessId]: usage.businessId } : { [ATTR.businessId]: usage.businessId, [ATTR.usageType]: usage.type };
    result.observe(usage.callCount, { ...base, [ATTR.usageMetric]: 'call_count' });
    result.observe(usage.totalTime, { ...base, [ATTR.usageMetric]: 'total_time' });
    result.observe(usage.totalCpuTime, { ...base, [ATTR.usageMetric]: 'total_cputime' });
  }
}

function observeCircuits(result: ObservableResult): void {
  const registry = telemetryRegistry();
  // Several clients may call for one business: the worst state of its circuits is reported.
  const worst = new Map<string, number>();
  eachSource(registry.circuits, (source) => {
    const reported = circuitKeysOf(source, registry.circuitKeys);
    const current = new Map(source.states());
    for (const key of current.keys()) reported.add(key);
    // A circuit that closed leaves the breaker's records: say closed rather than go silent.
    for (const key of reported) worst.set(key, Math.max(worst.get(key) ?? 0, CIRCUIT_STATE_VALUE[current.get(key) ?? 'closed']));
  });
  for (const [key, value] of worst) result.observe(value, key === APP_KEY ? {} : { [ATTR.businessId]: key });
}

function circuitKeysOf(source: CircuitSource, keys: WeakMap<CircuitSource, Set<string>>): Set<string> {
  let set = keys.get(source);
  if (!set) keys.set(source, (set = new Set()));
  return set;
}
