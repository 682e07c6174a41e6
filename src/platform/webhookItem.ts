import { finiteNumber, isRecord, nonEmptyString } from '../internal/json.js';
import { isIgsid } from './igsid.js';

/**
 * The one reader of Instagram webhook items: who the customer is, which business, what kind
 * of item, and when. The adapter builds activities from it and the event recogniser reads
 * the same answer back, so the two can never disagree about an item.
 */

export type WebhookItemKind = 'message' | 'echo' | 'deleted' | 'postback' | 'reaction' | 'read' | 'edit' | 'referral' | 'change' | 'other';

export interface WebhookItem {
  kind: WebhookItemKind;
  /** The customer the item is about (digits only): the sender, the recipient of an echo, a comment's author. */
  customerId: string;
  /** The business account (digits only), when the item or its entry names one. */
  businessId: string | undefined;
  /** When Meta says it happened, in ms since the epoch (see `epochMs`). */
  timeMs: number | undefined;
  /** The message id of messaging items, the comment id of comment changes. */
  mid: string | undefined;
  /** True for items of `entry[].standby[]` (another app holds the thread). */
  standby: boolean;
  /** `changes[]` items only: the webhook field (`comments`, `live_comments`, `mentions`, …). */
  field: string | undefined;
  /** The messaging item itself, or the change's `value`. */
  payload: Record<string, unknown>;
  /** The entry the item came in (its id is the account the webhook subscription belongs to). */
  entry: EntryRef;
}

/**
 * Where the adapter leaves the item it read on an activity's `channelData` (not enumerable,
 * so it is never serialised), for the recogniser to read back instead of parsing again.
 * Registered, so an ESM and a CommonJS copy of the package see each other's.
 */
export const WEBHOOK_ITEM_KEY: unique symbol = Symbol.for('botbuilder-instagram-profile.webhookItem') as never;

/**
 * Meta's times in ms. `changes[]` deliveries carry `entry.time` in Unix seconds, messaging
 * items carry `timestamp` (and `entry.time`) in ms. Read by magnitude rather than by where
 * the number sits: below 1e11 it is seconds (1e11 s is the year 5138, 1e11 ms is 1973), so
 * either unit reads right wherever Meta puts it.
 */
export function epochMs(value: unknown): number | undefined {
  const number = finiteNumber(value);
  if (number === undefined || number <= 0) return undefined;
  return number < 1e11 ? number * 1000 : number;
}

/** An entry's id and time, as every item of the entry needs them. */
export interface EntryRef {
  id: string | undefined;
  time: number | undefined;
}

export function entryRefOf(entry: unknown): EntryRef {
  if (!isRecord(entry)) return { id: undefined, time: undefined };
  return { id: isIgsid(entry.id) ? entry.id : undefined, time: epochMs(entry.time) };
}

/** Reads one item of `messaging[]` or `standby[]`; undefined when it names no customer (digits only). */
export function readMessagingItem(raw: unknown, entry: EntryRef, standby: boolean): WebhookItem | undefined {
  if (!isRecord(raw)) return undefined;
  const message = isRecord(raw.message) ? raw.message : undefined;
  const echo = message?.is_echo === true;
  // The customer is the conversation partner, also for echoes of the business's own messages.
  const customer = idOf(echo ? raw.recipient : raw.sender);
  if (!isIgsid(customer)) return undefined;
  const business = idOf(echo ? raw.sender : raw.recipient);
  // A message (the common case) is told apart without the table walk.
  const other = message ? undefined : partOf(raw);
  return {
    kind: message ? (echo ? 'echo' : message.is_deleted === true ? 'deleted' : 'message') : (other?.kind ?? 'other'),
    customerId: customer,
    businessId: isIgsid(business) ? business : entry.id,
    timeMs: epochMs(raw.timestamp) ?? entry.time,
    mid: nonEmptyString((message ?? other?.value)?.mid),
    standby,
    field: undefined,
    payload: raw,
    entry,
  };
}

function idOf(party: unknown): unknown {
  return isRecord(party) ? party.id : undefined;
}

/** The payload key of a messaging item that is not a message, in this order of precedence. */
const MESSAGING_KINDS: ReadonlyArray<readonly [string, WebhookItemKind]> = [
  ['postback', 'postback'],
  ['reaction', 'reaction'],
  ['message_edit', 'edit'],
  ['read', 'read'],
  ['referral', 'referral'],
];

function partOf(raw: Record<string, unknown>): { kind: WebhookItemKind; value: Record<string, unknown> } | undefined {
  for (const [key, kind] of MESSAGING_KINDS) {
    const value = raw[key];
    if (isRecord(value)) return { kind, value };
  }
  return undefined;
}

/**
 * Reads one item of `changes[]`. A change has no sender: the customer is the author of a
 * comment (`value.from`), else the account itself (mentions, insights, handover).
 */
export function readChangeItem(raw: unknown, entry: EntryRef): WebhookItem | undefined {
  if (!isRecord(raw)) return undefined;
  const field = nonEmptyString(raw.field);
  if (field === undefined) return undefined;
  const value = isRecord(raw.value) ? raw.value : {};
  const author = idOf(value.from);
  if (author !== undefined && !isIgsid(author)) return undefined;
  const customerId = author ?? entry.id;
  if (customerId === undefined) return undefined;
  return {
    kind: 'change',
    customerId,
    businessId: entry.id,
    timeMs: entry.time,
    mid: nonEmptyString(value.id) ?? nonEmptyString(value.comment_id),
    standby: false,
    field,
    payload: value,
    entry,
  };
}

/** Every item of a delivery's entries, in order: each entry's `messaging[]`, then `standby[]`, then `changes[]`. */
export function readWebhookItems(entries: readonly unknown[], visit: (item: WebhookItem) => void): void {
  for (const raw of entries) {
    if (!isRecord(raw)) continue;
    const entry = entryRefOf(raw);
    if (Array.isArray(raw.messaging)) for (const item of raw.messaging) visitDefined(readMessagingItem(item, entry, false), visit);
    if (Array.isArray(raw.standby)) for (const item of raw.standby) visitDefined(readMessagingItem(item, entry, true), visit);
    if (Array.isArray(raw.changes)) for (const change of raw.changes) visitDefined(readChangeItem(change, entry), visit);
  }
}

/** How many items a delivery holds, counted without reading them (for admission before any work). */
export function countWebhookItems(entries: readonly unknown[]): number {
  let count = 0;
  for (const raw of entries) {
    if (!isRecord(raw)) continue;
    for (const key of ['messaging', 'standby', 'changes'] as const) if (Array.isArray(raw[key])) count += (raw[key] as unknown[]).length;
  }
  return count;
}

function visitDefined(item: WebhookItem | undefined, visit: (item: WebhookItem) => void): void {
  if (item !== undefined) visit(item);
}
