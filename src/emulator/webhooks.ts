import createDebug from 'debug';
import { createHmac, randomBytes } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { webhookSignature } from '../platform/signatures.js';
import type { MessagingEvent, WebhookChange, WebhookEntry } from '../platform/webhook.js';
import type { World } from './world.js';

const log = createDebug('instagram-profile:emulator');

/** One webhook item, ready to be put in an entry: a messaging (or standby) item or a change. */
export type WebhookEvent =
  | { where: 'messaging' | 'standby'; item: MessagingEvent; mid?: string }
  | { where: 'changes'; item: WebhookChange; mid?: string };

/** A webhook item about to be delivered, with whom it is about and what it means for consent. */
export interface PersonaEvent {
  event: WebhookEvent;
  igsid: string;
  grantsConsent: boolean;
}

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

/**
 * One entry per event, as Meta batches them. Time as Meta sends it: `changes[]` entries carry
 * `entry.time` in Unix seconds, messaging and standby entries in milliseconds.
 */
export function envelope(events: readonly WebhookEvent[], businessId: string, nowMs: number): Delivery['payload'] {
  return {
    object: 'instagram',
    entry: events.map((event) => ({ time: event.where === 'changes' ? Math.floor(nowMs / 1000) : nowMs, id: businessId, [event.where]: [event.item] })),
  };
}

/** Signs and POSTs a body to the bot, as Meta does: `X-Hub-Signature-256` (and the legacy SHA-1 one). */
async function post(url: string, rawBody: string, appSecret: string, dispatcher?: Dispatcher): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const headers = {
    'content-type': 'application/json',
    'x-hub-signature-256': webhookSignature(rawBody, appSecret),
    'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(rawBody).digest('hex')}`,
    'user-agent': 'facebookexternalua',
  };
  const response = await request(url, { method: 'POST', body: rawBody, headers, dispatcher });
  return { status: response.statusCode, body: await response.body.text(), headers };
}

function webhookUrlOf(world: World): string {
  const url = world.webhookUrl;
  if (!url) throw new Error('The emulator has no webhookUrl: pass one to startEmulator or call setWebhookUrl()');
  return url;
}

/**
 * Delivers events in one signed POST, as Meta batches them. Consent-granting events grant
 * consent (and open the 24-hour window) as the person acts, whatever the bot answers.
 */
export async function deliverBatch(world: World, events: readonly PersonaEvent[]): Promise<Delivery> {
  const url = webhookUrlOf(world);
  for (const { igsid } of events) {
    const state = world.personas.get(igsid);
    if (state?.blocksBusiness) throw new Error(`Persona ${state.key} has blocked the business: Meta delivers nothing from them`);
  }
  const now = world.options.now();
  for (const { igsid, grantsConsent } of events) {
    const state = world.personas.get(igsid);
    if (state && grantsConsent) {
      state.consented = true;
      state.lastUserMessageAt = now;
    }
  }
  const payload = envelope(events.map((e) => e.event), world.options.businessId, now);
  const rawBody = metaJson(payload);
  const mids = events.flatMap((e) => (e.event.mid ? [e.event.mid] : []));
  const reply = await post(url, rawBody, world.options.appSecret, world.options.dispatcher);
  log('delivered %d event(s) to the bot: HTTP %d', events.length, reply.status);
  return { ...reply, mids, payload, rawBody };
}

/** Posts an earlier delivery again, byte for byte (Meta delivers at least once). */
export async function redeliver(world: World, delivery: Delivery): Promise<Delivery> {
  const reply = await post(webhookUrlOf(world), delivery.rawBody, world.options.appSecret, world.options.dispatcher);
  return { ...delivery, ...reply };
}

/** Runs Meta's GET verification handshake against the bot. */
export async function verifyWebhook(world: World): Promise<{ ok: boolean; status: number; body: string }> {
  const url = webhookUrlOf(world);
  const challenge = randomBytes(8).readBigUInt64BE().toString();
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': world.options.verifyToken, 'hub.challenge': challenge });
  const response = await request(`${url}?${query}`, { method: 'GET', dispatcher: world.options.dispatcher });
  const body = await response.body.text();
  return { ok: response.statusCode === 200 && body === challenge, status: response.statusCode, body };
}
