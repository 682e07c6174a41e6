/**
 * Every instrument, span and attribute name this package emits, in one place (documented in
 * docs/telemetry.md). OpenTelemetry's semantic-convention names where one exists, else
 * under `instagram_profile.`.
 */

/** Instrumentation scope of every meter and tracer. */
export const SCOPE = 'botbuilder-instagram-profile';

export const METRIC = {
  lookups: 'instagram_profile.lookups',
  graphDuration: 'instagram_profile.graph.request.duration',
  appUsage: 'instagram_profile.graph.app_usage',
  businessUsage: 'instagram_profile.graph.business_usage',
  circuitState: 'instagram_profile.graph.circuit.state',
  cacheEntries: 'instagram_profile.cache.entries',
  cacheLoads: 'instagram_profile.cache.loads.active',
  deliveries: 'instagram_profile.webhook.deliveries',
  events: 'instagram_profile.webhook.events',
  turns: 'instagram_profile.webhook.turns',
  turnTimeouts: 'instagram_profile.webhook.turn.timeouts',
} as const;

export const ATTR = {
  // OpenTelemetry semantic conventions (HTTP client, error).
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlTemplate: 'url.template',
  errorType: 'error.type',
  // This package's own.
  endpoint: 'instagram_profile.graph.endpoint',
  apiVersion: 'instagram_profile.graph.api_version',
  lookupStatus: 'instagram_profile.lookup.status',
  lookupSource: 'instagram_profile.lookup.source',
  businessId: 'instagram_profile.business.id',
  usageType: 'instagram_profile.usage.type',
  usageMetric: 'instagram_profile.usage.metric',
  deliveryOutcome: 'instagram_profile.webhook.delivery.outcome',
  eventOutcome: 'instagram_profile.webhook.event.outcome',
  turnState: 'instagram_profile.turn.state',
} as const;

/** Circuit state gauge values: 0 is healthy, so `max > 0` alerts on any trouble. */
export const CIRCUIT_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** OpenTelemetry's advised buckets for `http.client.request.duration`, in seconds. */
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
