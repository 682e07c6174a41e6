import createDebug from 'debug';
import type { Counter, Histogram, Meter, MeterProvider } from '@opentelemetry/api';
import { type OpenTelemetryApi, telemetryApi } from './api.js';
import { registerGauges } from './gauges.js';
import { DURATION_BUCKETS_S, METRIC, SCOPE } from './names.js';

const log = createDebug('instagram-profile:telemetry');

/** The synchronous instruments, made once per registered MeterProvider. */
export interface Instruments {
  readonly lookups: Counter;
  readonly graphDuration: Histogram;
  readonly deliveries: Counter;
  readonly events: Counter;
  readonly turnTimeouts: Counter;
}

/** The provider last seen, and what it gave: undefined instruments for the no-op provider. */
let current: { provider: MeterProvider; instruments: Instruments | undefined } | undefined;

/**
 * The instruments of the global MeterProvider, or undefined when there is none to record
 * into: the API is missing or still loading, or no SDK registered a provider. Checked on
 * every use (one global read), so a provider registered after start is picked up, and
 * nothing is recorded, or even allocated, while there is none.
 */
export function activeInstruments(): Instruments | undefined {
  const api = telemetryApi();
  if (api === undefined) return undefined;
  const provider = api.metrics.getMeterProvider();
  if (provider === current?.provider) return current.instruments;
  return adopt(api, provider);
}

function adopt(api: OpenTelemetryApi, provider: MeterProvider): Instruments | undefined {
  let instruments: Instruments | undefined;
  try {
    const meter = provider.getMeter(SCOPE);
    // The no-op provider hands out the one no-op meter: nothing to record into.
    instruments = meter === api.createNoopMeter() ? undefined : createInstruments(api, meter);
    if (instruments) log('recording metrics into the registered MeterProvider');
  } catch (error) {
    log('metrics disabled: the MeterProvider failed to create instruments: %O', error);
    instruments = undefined;
  }
  current = { provider, instruments };
  return instruments;
}

function createInstruments(api: OpenTelemetryApi, meter: Meter): Instruments {
  const int = { valueType: api.ValueType.INT };
  const instruments: Instruments = {
    lookups: meter.createCounter(METRIC.lookups, { ...int, unit: '{lookup}', description: 'Profile lookups that settled, by status, source and error code' }),
    graphDuration: meter.createHistogram(METRIC.graphDuration, {
      unit: 's',
      description: 'Duration of Graph API calls (profile reads and Send API), retries and waits included',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
    }),
    deliveries: meter.createCounter(METRIC.deliveries, { ...int, unit: '{delivery}', description: 'Webhook deliveries (POST requests), by answer' }),
    events: meter.createCounter(METRIC.events, { ...int, unit: '{event}', description: 'Webhook events, by what became of them' }),
    turnTimeouts: meter.createCounter(METRIC.turnTimeouts, { ...int, unit: '{turn}', description: 'Turns still running after turnTimeoutMs (their customer queue went ahead)' }),
  };
  registerGauges(meter, api);
  return instruments;
}
