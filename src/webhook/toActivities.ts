import { arrayOf, finiteNumber, isRecord, nonEmptyString } from '../internal/json.js';
import { readWebhookItems, WEBHOOK_ITEM_KEY, type WebhookItem } from '../platform/webhookItem.js';
import type { InboundActivity, InboundAttachment } from './activity.js';

export const CHANNEL_ID = 'instagram';

/** One activity made from one webhook item, with the keys the core schedules it by. */
export interface InboundTurn {
  activity: InboundActivity;
  /** Identifies a delivery of this event; repeated deliveries share it. Undefined when nothing identifies it. */
  dedupeKey: string | undefined;
  /** `deliveryDigest(dedupeKey)`, worked out once by the core when de-duplication needs it. */
  digest?: string;
  /** Turns with the same key run one after another, in delivery order. */
  queueKey: string;
  /** When Meta says the event happened (ms), for the de-duplication window. */
  timeMs: number | undefined;
}

/** Every activity of a delivery, in order: each entry's `messaging[]`, then `standby[]`, then `changes[]`. */
export function activitiesFromEntries(entries: readonly unknown[], serviceUrl: string, now: () => number = Date.now): InboundTurn[] {
  const turns: InboundTurn[] = [];
  readWebhookItems(entries, (item) => turns.push(turnOf(item, serviceUrl, now)));
  return turns;
}

/** The activity of one webhook item. The item's JSON becomes `channelData`, annotated in place (the parsed delivery is ours alone). */
export function turnOf(item: WebhookItem, serviceUrl: string, now: () => number): InboundTurn {
  const { customerId, businessId } = item;
  const described = item.kind === 'change' ? describeChange(item) : describeMessagingItem(item);
  // Completed in place rather than spread into a new literal: the spread made each activity a
  // slow dictionary-mode object and cost ~10 µs per event (a profile of the webhook bench).
  const activity = described.activity as InboundActivity;
  activity.channelId = CHANNEL_ID;
  activity.serviceUrl = serviceUrl;
  activity.timestamp = new Date(item.timeMs ?? now());
  activity.from = described.fromName ? { id: customerId, role: 'user', name: described.fromName } : { id: customerId, role: 'user' };
  activity.recipient = { id: businessId ?? '', role: 'bot' };
  activity.conversation = { id: customerId };
  activity.channelData = channelDataOf(item);
  return { activity, dedupeKey: described.dedupeKey, queueKey: `${businessId ?? ''}/${customerId}`, timeMs: item.timeMs };
}

function channelDataOf(item: WebhookItem): Record<string, unknown> {
  // One object per entry, shared by its items: `{ id, time }`, read as data.
  const entry = item.entry;
  let channelData: Record<string, unknown>;
  if (item.kind === 'change') {
    channelData = { object: CHANNEL_ID, entry, field: item.field, value: item.payload };
  } else {
    channelData = item.payload;
    channelData.object = CHANNEL_ID;
    channelData.entry = entry;
  }
  if (item.standby) channelData.standby = true;
  // The recogniser reads the item back from here instead of parsing the event a second time.
  Object.defineProperty(channelData, WEBHOOK_ITEM_KEY, { value: item, enumerable: false });
  return channelData;
}

type Described = { activity: Pick<InboundActivity, 'type'> & Partial<InboundActivity>; dedupeKey: string | undefined; fromName?: string | undefined };

/** The activity type and payload fields of one messaging item, and the key its deliveries share. */
function describeMessagingItem(item: WebhookItem): Described {
  const raw = item.payload;
  const stamp = finiteNumber(raw.timestamp) ?? '';
  switch (item.kind) {
    case 'message':
      return describeMessage(raw.message as Record<string, unknown>, item.mid);
    case 'echo':
      return { activity: event('instagram/echo', raw.message, item.mid), dedupeKey: keyOf('echo', item.mid) };
    case 'deleted':
      return { activity: { type: 'messageDelete', id: item.mid }, dedupeKey: keyOf('deleted', item.mid) };
    case 'postback': {
      const postback = raw.postback as Record<string, unknown>;
      return { activity: { type: 'message', id: item.mid, text: nonEmptyString(postback.title), value: nonEmptyString(postback.payload) }, dedupeKey: keyOf('postback', item.mid) };
    }
    case 'reaction': {
      const { action, reaction, emoji } = raw.reaction as Record<string, unknown>;
      const reactions = [{ type: nonEmptyString(emoji) ?? nonEmptyString(reaction) ?? 'like' }];
      const added = action !== 'unreact';
      return {
        activity: { type: 'messageReaction', replyToId: item.mid, ...(added ? { reactionsAdded: reactions } : { reactionsRemoved: reactions }) },
        dedupeKey: keyOf('reaction', item.mid, item.customerId, action, emoji ?? reaction, stamp),
      };
    }
    case 'edit': {
      const edit = raw.message_edit as Record<string, unknown>;
      return { activity: { type: 'messageUpdate', id: item.mid, text: nonEmptyString(edit.text) }, dedupeKey: keyOf('edit', item.mid, edit.num_edit ?? stamp) };
    }
    case 'read':
      return { activity: event('instagram/read', raw.read, item.mid), dedupeKey: keyOf('read', item.mid, item.customerId) };
    case 'referral': {
      const referral = raw.referral as Record<string, unknown>;
      return { activity: event('instagram/referral', referral), dedupeKey: keyOf('referral', item.customerId, referral.ref, stamp) };
    }
    default: {
      const kind = otherKind(raw);
      return { activity: event(`instagram/${kind}`, raw[kind]), dedupeKey: undefined };
    }
  }
}

function describeMessage(message: Record<string, unknown>, mid: string | undefined): Described {
  const activity: Described['activity'] = { type: 'message', id: mid, text: nonEmptyString(message.text) };
  if (isRecord(message.quick_reply)) activity.value = nonEmptyString(message.quick_reply.payload);
  const attachments = arrayOf(message.attachments).filter(isRecord).map(toAttachment);
  if (attachments.length > 0) activity.attachments = attachments;
  if (isRecord(message.reply_to) && typeof message.reply_to.mid === 'string') activity.replyToId = message.reply_to.mid;
  return { activity, dedupeKey: keyOf('message', mid) };
}

/** Comments, mentions, live comments…: an event named after the field (`comments` → `instagram/comment`). */
function describeChange(item: WebhookItem): Described {
  const field = item.field!;
  const author = isRecord(item.payload.from) ? item.payload.from : undefined;
  return {
    activity: { type: 'event', name: field === 'comments' ? 'instagram/comment' : `instagram/${field}`, value: item.payload, id: item.mid, text: nonEmptyString(item.payload.text) },
    dedupeKey: keyOf(`change:${field}`, item.mid),
    fromName: nonEmptyString(author?.username),
  };
}

function event(name: string, value: unknown, id?: string): Described['activity'] {
  return { type: 'event', name, value, id };
}

/** Items Meta may add later (optins, handovers...): named after their payload key. */
function otherKind(item: Record<string, unknown>): string {
  const key = Object.keys(item).find((k) => k !== 'sender' && k !== 'recipient' && k !== 'timestamp');
  return key && /^[a-z_]{1,40}$/.test(key) ? key : 'unknown';
}

/** Content types of Instagram attachment kinds; kinds without a MIME family get a vendor type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  image: 'image/*',
  video: 'video/*',
  audio: 'audio/*',
  file: 'application/octet-stream',
};

export function toAttachment(attachment: Record<string, unknown>): InboundAttachment {
  const type = nonEmptyString(attachment.type) ?? 'unknown';
  const url = isRecord(attachment.payload) ? nonEmptyString(attachment.payload.url) : undefined;
  return {
    contentType: Object.hasOwn(CONTENT_TYPES, type) ? CONTENT_TYPES[type]! : `application/vnd.instagram.${type}`,
    contentUrl: url,
    content: attachment.payload,
  };
}

/** A key from its parts; undefined when the identifying part (the first after the kind) is missing. */
function keyOf(kind: string, id: unknown, ...rest: unknown[]): string | undefined {
  if ((typeof id !== 'string' && typeof id !== 'number') || id === '') return undefined;
  return [kind, id, ...rest.map((part) => (part === undefined ? '' : String(part)))].join('|');
}
