/** Internal: the package's OpenTelemetry metrics and traces (names in docs/telemetry.md). Nothing here is public API. */
export { loadTelemetryApi } from './api.js';
export { graphTarget, observeGraphCall, type GraphCallObservation, type GraphTarget } from './graphCall.js';
export { observeLookup } from './lookups.js';
export { observeCache, observeGraphClient } from './observe.js';
export type { CacheSource, CircuitSource, CircuitState, UsageSource, WebhookSource } from './registry.js';
export { countDelivery, countEvents, countTurnTimeout, observeWebhook, type DeliveryOutcome, type EventOutcome } from './webhook.js';
