import { createHmac, randomBytes } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { webhookSignature } from '../platform/signatures.js';
import type { MessagingEvent, WebhookChange, WebhookEntry } from '../platform/webhook.js';

/** One webhook item, ready to be put in an entry: a messaging (or standby) item or a change. */
export type WebhookEvent =
  | { where: 'messaging' | 'standby'; item: MessagingEvent; mid?: string }
  | { where: 'changes'; item: WebhookChange; mid?: string };

/** What the bot answered to one POST. */
export interface Delivery {
  status: number;
  body: string;
  /** The mids of the messages and taps in the delivery. */
  mids: string[];
  payload: { object: 'instagram'; entry: WebhookEntry[] };
  /** The exact bytes sent and signed. */
  rawBody: string;
  headers: Record<string, string>;
}

/** Meta-like message ids: `aWdf` (base64 of "igd_") and more base64. */
export function newMid(): string {
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(24).toString('base64url')}`;
}

/**
 * JSON as Meta sends it: non-ASCII characters and `/` escaped (`\uXXXX`, `\/`), so a
 * receiver that re-serialises the parsed body cannot reproduce the signed bytes.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export function envelope(events: readonly WebhookEvent[], businessId: string, now: number): Delivery['payload'] {
  return {
    object: 'instagram',
    entry: events.map((event) => ({ time: now, id: businessId, [event.where]: [event.item] })),
  };
}

/** Signs and POSTs a body to the bot, as Meta does: `X-Hub-Signature-256` (and the legacy SHA-1 one). */
export async function post(url: string, rawBody: string, appSecret: string, dispatcher?: Dispatcher): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const headers = {
    'content-type': 'application/json',
    'x-hub-signature-256': webhookSignature(rawBody, appSecret),
    'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(rawBody).digest('hex')}`,
    'user-agent': 'facebookexternalua',
  };
  const response = await request(url, { method: 'POST', body: rawBody, headers, dispatcher });
  return { status: response.statusCode, body: await response.body.text(), headers };
}
