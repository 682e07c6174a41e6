import type { Attributes } from '@opentelemetry/api';
import { activeInstruments } from './instruments.js';
import { ATTR } from './names.js';
import { observeSource } from './observe.js';
import type { WebhookSource } from './registry.js';

/** What became of a webhook POST: its events taken (200), not for us (200), refused (4xx, 503), or failed (500). */
export type DeliveryOutcome = 'accepted' | 'ignored' | 'refused' | 'failed';

/**
 * What became of one event: scheduled as a turn, dropped as a repeat, dropped as older than
 * the de-duplication window, unreadable, or refused with its delivery (503: Meta sends it again).
 */
export type EventOutcome = 'accepted' | 'duplicate' | 'expired' | 'ignored' | 'refused';

export function countDelivery(status: number, outcome: DeliveryOutcome): void {
  activeInstruments()?.deliveries.add(1, { [ATTR.statusCode]: status, [ATTR.deliveryOutcome]: outcome });
}

const EVENT_ATTRIBUTES = new Map<string, Attributes>();

/** Counts `count` events of one delivery (one call per outcome per delivery, not per event). */
export function countEvents(outcome: EventOutcome, count: number, status = 200): void {
  if (count <= 0) return;
  const instruments = activeInstruments();
  if (instruments === undefined) return;
  const key = `${outcome}\n${status}`;
  let attributes = EVENT_ATTRIBUTES.get(key);
  if (attributes === undefined) EVENT_ATTRIBUTES.set(key, (attributes = Object.freeze({ [ATTR.eventOutcome]: outcome, [ATTR.statusCode]: status })));
  instruments.events.add(count, attributes);
}

export function countTurnTimeout(): void {
  activeInstruments()?.turnTimeouts.add(1);
}

/** Reports this webhook's running and queued turns (read at collection time only). */
export function observeWebhook(webhook: WebhookSource): void {
  observeSource('webhooks', webhook);
}
