import type { Activity, Attachment, ChannelAccount, MessageReaction } from 'botbuilder';
import type { MessagingEvent, WebhookAttachment, WebhookChange, WebhookEntry, WebhookMessage } from '../platform/webhook.js';

export const CHANNEL_ID = 'instagram';

/** One activity made from one webhook item, with the keys the adapter schedules it by. */
export interface InboundTurn {
  activity: Partial<Activity>;
  /** Identifies a delivery of this event; repeated deliveries share it. Undefined when nothing identifies it. */
  dedupeKey: string | undefined;
  /** Turns with the same key run one after another, in delivery order. */
  queueKey: string;
}

type EntryRef = { id: string | undefined; time: number | undefined };

/** Every activity of a delivery, in order: each entry's `messaging[]`, then `standby[]`, then `changes[]`. */
export function activitiesFromEntries(entries: readonly unknown[], serviceUrl: string): InboundTurn[] {
  const turns: InboundTurn[] = [];
  for (const raw of entries) {
    if (!isRecord(raw)) continue;
    const entry = raw as WebhookEntry;
    const ref: EntryRef = { id: stringOr(entry.id), time: numberOr(entry.time) };
    for (const item of arrayOf(entry.messaging)) pushDefined(turns, messagingTurn(item, ref, false, serviceUrl));
    for (const item of arrayOf(entry.standby)) pushDefined(turns, messagingTurn(item, ref, true, serviceUrl));
    for (const change of arrayOf(entry.changes)) pushDefined(turns, changeTurn(change as WebhookChange, ref, serviceUrl));
  }
  return turns;
}

function messagingTurn(raw: unknown, entry: EntryRef, standby: boolean, serviceUrl: string): InboundTurn | undefined {
  if (!isRecord(raw)) return undefined;
  const item = raw as MessagingEvent;
  const echo = isRecord(item.message) && item.message.is_echo === true;
  // The customer is the conversation partner, also for echoes of the business's own messages.
  const customerId = stringOr((echo ? item.recipient : item.sender)?.id);
  const businessId = stringOr((echo ? item.sender : item.recipient)?.id) ?? entry.id;
  if (customerId === undefined) return undefined;

  // The parsed delivery is ours alone: annotate the item in place rather than copy it.
  const channelData = item as Record<string, unknown>;
  channelData.object = CHANNEL_ID;
  channelData.entry = { id: entry.id, time: entry.time };
  if (standby) channelData.standby = true;
  const base: Partial<Activity> = {
    channelId: CHANNEL_ID,
    serviceUrl,
    timestamp: new Date(numberOr(item.timestamp) ?? entry.time ?? Date.now()),
    from: { id: customerId, role: 'user' } as ChannelAccount,
    recipient: { id: businessId ?? '', role: 'bot' } as ChannelAccount,
    conversation: { id: customerId } as Activity['conversation'],
    channelData,
  };
  const { activity, dedupeKey } = describeMessagingItem(item, echo, customerId);
  return { activity: Object.assign(base, activity), dedupeKey, queueKey: `${businessId}/${customerId}` };
}

type Described = { activity: Partial<Activity>; dedupeKey: string | undefined };

/** The activity type and payload fields of one messaging item, and the key its deliveries share. */
function describeMessagingItem(item: MessagingEvent, echo: boolean, customerId: string): Described {
  const stamp = numberOr(item.timestamp) ?? '';
  if (isRecord(item.message)) return describeMessage(item.message, echo);
  if (isRecord(item.postback)) {
    const { mid, title, payload } = item.postback;
    return { activity: { type: 'message', id: stringOr(mid), text: stringOr(title), value: stringOr(payload) }, dedupeKey: keyOf('postback', mid) };
  }
  if (isRecord(item.reaction)) {
    const { mid, action, reaction, emoji } = item.reaction;
    const reactions: MessageReaction[] = [{ type: stringOr(emoji) ?? stringOr(reaction) ?? 'like' }];
    const added = action !== 'unreact';
    return {
      activity: { type: 'messageReaction', replyToId: stringOr(mid), ...(added ? { reactionsAdded: reactions } : { reactionsRemoved: reactions }) },
      dedupeKey: keyOf('reaction', mid, customerId, action, emoji ?? reaction, stamp),
    };
  }
  if (isRecord(item.message_edit)) {
    const { mid, text, num_edit } = item.message_edit;
    return { activity: { type: 'messageUpdate', id: stringOr(mid), text: stringOr(text) }, dedupeKey: keyOf('edit', mid, num_edit ?? stamp) };
  }
  if (isRecord(item.read)) {
    return { activity: event('instagram/read', item.read, stringOr(item.read.mid)), dedupeKey: keyOf('read', item.read.mid, customerId) };
  }
  if (isRecord(item.referral)) {
    return { activity: event('instagram/referral', item.referral), dedupeKey: keyOf('referral', customerId, item.referral.ref, stamp) };
  }
  const kind = otherKind(item);
  return { activity: event(`instagram/${kind}`, (item as Record<string, unknown>)[kind]), dedupeKey: undefined };
}

function describeMessage(message: WebhookMessage, echo: boolean): Described {
  const id = stringOr(message.mid);
  if (echo) return { activity: event('instagram/echo', message, id), dedupeKey: keyOf('echo', message.mid) };
  if (message.is_deleted === true) return { activity: { type: 'messageDelete', id }, dedupeKey: keyOf('deleted', message.mid) };
  const attachments = arrayOf(message.attachments).filter(isRecord).map((a) => toAttachment(a as WebhookAttachment));
  const activity: Partial<Activity> = { type: 'message', id, text: stringOr(message.text) };
  if (isRecord(message.quick_reply)) activity.value = stringOr(message.quick_reply.payload);
  if (attachments.length > 0) activity.attachments = attachments;
  if (isRecord(message.reply_to) && typeof message.reply_to.mid === 'string') activity.replyToId = message.reply_to.mid;
  return { activity, dedupeKey: keyOf('message', message.mid) };
}

function changeTurn(raw: unknown, entry: EntryRef, serviceUrl: string): InboundTurn | undefined {
  if (!isRecord(raw) || typeof raw.field !== 'string') return undefined;
  const change = raw as WebhookChange;
  const value = isRecord(change.value) ? change.value : undefined;
  const author = isRecord(value?.from) ? value.from : undefined;
  // A change has no sender; the author of a comment is the customer, else the account itself.
  const fromId = stringOr(author?.id) ?? entry.id;
  if (fromId === undefined) return undefined;
  const commentId = stringOr(value?.id) ?? stringOr(value?.comment_id);
  const field = change.field!;
  const activity: Partial<Activity> = {
    type: 'event',
    name: field === 'comments' ? 'instagram/comment' : `instagram/${field}`,
    value,
    id: commentId,
    text: stringOr(value?.text),
    channelId: CHANNEL_ID,
    serviceUrl,
    timestamp: new Date(entry.time ?? Date.now()),
    from: { id: fromId, name: stringOr(author?.username), role: 'user' } as ChannelAccount,
    recipient: { id: entry.id ?? '', role: 'bot' } as ChannelAccount,
    conversation: { id: fromId } as Activity['conversation'],
    channelData: { object: CHANNEL_ID, entry: { id: entry.id, time: entry.time }, field, value: change.value },
  };
  return { activity, dedupeKey: keyOf(`change:${field}`, commentId), queueKey: `${entry.id}/${fromId}` };
}

function event(name: string, value: unknown, id?: string): Partial<Activity> {
  return { type: 'event', name, value, id };
}

/** Items Meta may add later (optins, handovers...): named after their payload key. */
function otherKind(item: MessagingEvent): string {
  const key = Object.keys(item).find((k) => !['sender', 'recipient', 'timestamp'].includes(k));
  return key && /^[a-z_]{1,40}$/.test(key) ? key : 'unknown';
}

/** Content types of Instagram attachment kinds; kinds without a MIME family get a vendor type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  image: 'image/*',
  video: 'video/*',
  audio: 'audio/*',
  file: 'application/octet-stream',
};

export function toAttachment(attachment: WebhookAttachment): Attachment {
  const type = typeof attachment.type === 'string' ? attachment.type : 'unknown';
  const url = isRecord(attachment.payload) ? stringOr(attachment.payload.url) : undefined;
  return {
    contentType: CONTENT_TYPES[type] ?? `application/vnd.instagram.${type}`,
    contentUrl: url,
    content: attachment.payload,
  };
}

/** A key from its parts; undefined when the identifying part (the first after the kind) is missing. */
function keyOf(kind: string, id: unknown, ...rest: unknown[]): string | undefined {
  if ((typeof id !== 'string' && typeof id !== 'number') || id === '') return undefined;
  return [kind, id, ...rest.map((part) => (part === undefined ? '' : String(part)))].join('|');
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

function isRecord(value: unknown): value is Record<string, unknown> & object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
