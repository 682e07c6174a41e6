import { isRecord, parseJson } from '../internal/json.js';
import { readWebhookItems, type WebhookItem } from '../platform/webhookItem.js';
import { turnOf, type InboundTurn } from './toActivities.js';

/*
 * The durable inbox as the webhook core sees it: a place that keeps a delivery's events
 * before the 200 is sent, hands them to whichever instance has room, and lets an instance
 * that died be replaced. `RedisProfileStore.openInbox` (Redis Streams) implements it.
 */

/** One event as the core writes it. */
export interface InboxRecord {
  /** The queue key of its customer (`<business>/<igsid>`): events of one customer run in order, one at a time. */
  customer: string;
  /** The event as a delivery of its own: one entry holding one item (see `recordOf`). */
  payload: string;
  /** The de-duplication digest of the event, when it has one and de-duplication is on. */
  digest: string | undefined;
}

/** One event as an instance reads it back. */
export interface InboxEntry extends InboxRecord {
  /** Where it sits in the inbox (a stream entry id). */
  id: string;
}

/**
 * What `begin` answers:
 * - `run`: this instance holds the customer's lease, and the event never completed: run it;
 * - `wait`: an earlier event of the customer is not finished yet: ask again later;
 * - `done`: the event completed before (its instance died before acknowledging it): skip it;
 * - `unavailable`: the inbox cannot tell now (Redis down or slow).
 */
export type InboxBegin = 'run' | 'wait' | 'done' | 'unavailable';

/** What the core passes to `openInbox`, resolved and checked. */
export interface InboxSettings {
  /** A connection for the blocking reads, or undefined: the store duplicates its own client. */
  client: unknown;
  /** An event held by an instance that stopped answering is taken over after this long, in ms. */
  claimAfterMs: number;
  /** The stream never holds more than about this many events (a fuse: see docs/inbox.md). */
  maxLength: number;
  /** How long a completed event stays marked completed, in ms. */
  completedTtlMs: number;
}

/** What the inbox calls back while it reads. */
export interface InboxConsumer {
  /** How many more events this instance may take now. */
  room(): number;
  /** Events read (or taken over from a dead instance), oldest first. */
  take(entries: readonly InboxEntry[]): void;
}

export interface DurableInbox {
  /** Keeps the events durably. True once every one is kept; false (never a rejection) when the caller must run them itself. */
  write(records: readonly InboxRecord[]): Promise<boolean>;
  /** Starts reading on the inbox's own connection (idempotent). */
  start(consumer: InboxConsumer): void;
  /** Asks for the customer's turn of an entry taken (see `InboxBegin`). */
  begin(entry: InboxEntry): Promise<InboxBegin>;
  /** The entry is finished (run, skipped or given up): marks it completed, acknowledges it and frees its customer. False when Redis could not be told. */
  finish(entry: InboxEntry, completed: boolean): Promise<boolean>;
  /** Marks an event completed that ran without the inbox (the fallback), so that a late copy in the inbox does not run again. */
  completed(digest: string): Promise<void>;
  /** Stops reading and taking over; entries taken keep their heartbeat until finished or `close()`. Closes a connection it made. */
  stop(): Promise<void>;
  /** Stops everything: entries taken and not finished stay in the inbox, and other instances take them over. */
  close(): Promise<void>;
}

/** What `inbox.store` must be: `RedisProfileStore`, or your own. */
export interface InboxStore {
  openInbox(settings: InboxSettings): DurableInbox;
}

/**
 * An item as a delivery of its own, `{ id, time, messaging | standby | changes: [item] }`,
 * so that any instance reads it back with the one webhook reader. Made before `turnOf`,
 * which annotates the item's payload in place.
 */
export function recordPayloadOf(item: WebhookItem): string {
  const entry = { id: item.entry.id, time: item.entry.time };
  if (item.kind === 'change') return JSON.stringify({ ...entry, changes: [{ field: item.field, value: item.payload }] });
  return JSON.stringify({ ...entry, [item.standby ? 'standby' : 'messaging']: [item.payload] });
}

/** The turn of an entry read back, or undefined when its payload is not one readable item. */
export function turnOfEntry(entry: InboxEntry, serviceUrl: string, now: () => number): InboundTurn | undefined {
  const delivery = parseJson(entry.payload);
  if (!isRecord(delivery)) return undefined;
  const turns: InboundTurn[] = [];
  readWebhookItems([delivery], (item) => turns.push(turnOf(item, serviceUrl, now)));
  return turns.length === 1 ? turns[0] : undefined;
}
