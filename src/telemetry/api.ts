import createDebug from 'debug';
import type * as OpenTelemetry from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` this package uses (types only: nothing is imported until `import()` runs). */
export type OpenTelemetryApi = Pick<typeof OpenTelemetry, 'metrics' | 'trace' | 'context' | 'createNoopMeter' | 'SpanKind' | 'SpanStatusCode' | 'ValueType'>;

const log = createDebug('instagram-profile:telemetry');

let api: OpenTelemetryApi | undefined;
let loading: Promise<OpenTelemetryApi | undefined> | undefined;

/**
 * `@opentelemetry/api` once it has loaded, else undefined (not loaded yet, not installed, or
 * not a 1.x API). The first call starts loading it, once per process copy of this package;
 * it is an optional peer, so a failure only means "no telemetry".
 */
export function telemetryApi(): OpenTelemetryApi | undefined {
  if (loading === undefined) void loadTelemetryApi();
  return api;
}

/**
 * Loads `@opentelemetry/api` (at most once) and resolves with it, or with undefined when it
 * cannot be had. Never rejects. A dynamic `import()`: the CommonJS build turns it into a
 * `require` inside a promise, so neither build needs the module to exist.
 */
export function loadTelemetryApi(): Promise<OpenTelemetryApi | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (module) => (api = usable(module)),
    (error: unknown) => {
      log('no OpenTelemetry: @opentelemetry/api cannot be loaded (%s)', (error as { code?: string } | undefined)?.code ?? 'error');
      return undefined;
    },
  );
  return loading;
}

/** An API of the shape we call (another major version could differ): else none. */
function usable(module: Partial<OpenTelemetryApi>): OpenTelemetryApi | undefined {
  const { metrics, trace, context, createNoopMeter, SpanKind, SpanStatusCode, ValueType } = module;
  if (typeof metrics?.getMeterProvider !== 'function' || typeof trace?.getTracer !== 'function' || typeof context?.with !== 'function' || typeof createNoopMeter !== 'function' || !SpanKind || !SpanStatusCode || !ValueType) {
    log('no OpenTelemetry: @opentelemetry/api has an unexpected shape');
    return undefined;
  }
  log('@opentelemetry/api loaded');
  return { metrics, trace, context, createNoopMeter, SpanKind, SpanStatusCode, ValueType };
}
