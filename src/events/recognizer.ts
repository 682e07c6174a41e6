import type { CommentValue, MessagingEvent } from '../platform/webhook.js';

export type InstagramEventKind =
  | 'message'
  | 'quick_reply'
  | 'icebreaker'
  | 'persistent_menu'
  | 'postback'
  | 'echo'
  | 'reaction'
  | 'read'
  | 'edit'
  | 'referral'
  | 'comment'
  | 'other';

/** What an Instagram customer did, read from an activity's raw webhook event. */
export interface InstagramEvent {
  kind: InstagramEventKind;
  /** The customer's Instagram-scoped ID: digits only. */
  igsid: string;
  /** The business account the event belongs to, when the event names it (digits only). */
  businessId?: string;
  /** True for messages, quick replies and postbacks (ice breakers, menu taps): Meta's consent events. */
  grantsConsent: boolean;
  mid?: string;
  /** The message text, the edited text, the comment text, or the reaction's emoji. */
  text?: string;
  /** A postback's button title. */
  title?: string;
  /** A postback's or quick reply's payload, or a referral's `ref`. */
  payload?: string;
}

export interface InstagramEventOptions {
  /** Postback payloads of the business's ice breakers. */
  icebreakerPayloads?: Iterable<string>;
  /** Postback payloads of the business's persistent menu. */
  persistentMenuPayloads?: Iterable<string>;
  /** Instagram business account ids: tells Instagram from Messenger in Botkit's Facebook adapter activities. */
  instagramAccountIds?: Iterable<string>;
}

interface ResolvedEventOptions {
  icebreakers: ReadonlySet<string>;
  menu: ReadonlySet<string>;
  accounts: ReadonlySet<string>;
}

const MAX_ID_LENGTH = 32;

/** Digits only, 1 to 32 of them; checked with char codes to stay cheap on the hot path. */
function isDigits(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function stringSet(name: string, value: Iterable<string> | undefined, digitsOnly = false): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (value === null || typeof (value as Iterable<string>)[Symbol.iterator] !== 'function' || typeof value === 'string') {
    throw new TypeError(`Option "${name}" must be an array (or other iterable) of strings`);
  }
  const set = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string') throw new TypeError(`Option "${name}" must hold only strings`);
    if (digitsOnly && !isDigits(item)) throw new TypeError(`Option "${name}" must hold account ids made of digits only`);
    set.add(item);
  }
  return set;
}

function resolveOptions(options: InstagramEventOptions | undefined): ResolvedEventOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError('Event options must be an object');
  const { icebreakerPayloads, persistentMenuPayloads, instagramAccountIds }: InstagramEventOptions = options ?? {};
  return {
    icebreakers: stringSet('icebreakerPayloads', icebreakerPayloads),
    menu: stringSet('persistentMenuPayloads', persistentMenuPayloads),
    accounts: stringSet('instagramAccountIds', instagramAccountIds, true),
  };
}

function comment(channelData: Record<string, unknown>): InstagramEvent | undefined {
  const value = channelData.value as CommentValue | undefined;
  const igsid = isObject(value) && isObject(value.from) ? value.from.id : undefined;
  if (!isDigits(igsid)) return undefined;
  const entryId = isObject(channelData.entry) ? channelData.entry.id : undefined;
  const event: InstagramEvent = { kind: 'comment', igsid, grantsConsent: false };
  if (isDigits(entryId)) event.businessId = entryId;
  const commentText = text(value?.text);
  if (commentText !== undefined) event.text = commentText;
  const id = text(value?.id) ?? text(value?.comment_id);
  if (id !== undefined) event.mid = id;
  return event;
}

function postbackKind(payload: string | undefined, options: ResolvedEventOptions): InstagramEventKind {
  if (payload === undefined) return 'postback';
  if (options.icebreakers.has(payload)) return 'icebreaker';
  return options.menu.has(payload) ? 'persistent_menu' : 'postback';
}

function messaging(item: MessagingEvent, options: ResolvedEventOptions): InstagramEvent | undefined {
  const message = isObject(item.message) ? item.message : undefined;
  const echo = message?.is_echo === true;
  const customer = echo ? item.recipient : item.sender;
  const business = echo ? item.sender : item.recipient;
  const igsid = isObject(customer) ? customer.id : undefined;
  if (!isDigits(igsid)) return undefined;
  const businessId = isObject(business) && isDigits(business.id) ? business.id : undefined;

  let event: InstagramEvent;
  if (message) {
    const quickReply = isObject(message.quick_reply) ? message.quick_reply : undefined;
    event = { kind: echo ? 'echo' : quickReply ? 'quick_reply' : 'message', igsid, grantsConsent: !echo };
    assign(event, 'mid', text(message.mid));
    assign(event, 'text', text(message.text));
    if (quickReply) assign(event, 'payload', text(quickReply.payload));
  } else if (isObject(item.postback)) {
    const payload = text(item.postback.payload);
    event = { kind: postbackKind(payload, options), igsid, grantsConsent: true };
    assign(event, 'mid', text(item.postback.mid));
    assign(event, 'title', text(item.postback.title));
    assign(event, 'payload', payload);
  } else if (isObject(item.reaction)) {
    event = { kind: 'reaction', igsid, grantsConsent: false };
    assign(event, 'mid', text(item.reaction.mid));
    assign(event, 'text', text(item.reaction.emoji) ?? text(item.reaction.reaction));
  } else if (isObject(item.read)) {
    event = { kind: 'read', igsid, grantsConsent: false };
    assign(event, 'mid', text(item.read.mid));
  } else if (isObject(item.message_edit)) {
    event = { kind: 'edit', igsid, grantsConsent: false };
    assign(event, 'mid', text(item.message_edit.mid));
    assign(event, 'text', text(item.message_edit.text));
  } else if (isObject(item.referral)) {
    event = { kind: 'referral', igsid, grantsConsent: false };
    assign(event, 'payload', text(item.referral.ref));
  } else {
    event = { kind: 'other', igsid, grantsConsent: false };
  }
  if (businessId !== undefined) event.businessId = businessId;
  return event;
}

function assign(event: InstagramEvent, key: 'mid' | 'text' | 'title' | 'payload', value: string | undefined): void {
  if (value !== undefined) event[key] = value;
}

/** Botkit's Facebook adapter says 'facebook' for Instagram too: only the account ids tell. */
function isInstagramFacebookActivity(item: MessagingEvent, options: ResolvedEventOptions): boolean {
  if (options.accounts.size === 0) return false;
  const echo = isObject(item.message) && item.message.is_echo === true;
  const business = echo ? item.sender : item.recipient;
  return isObject(business) && typeof business.id === 'string' && options.accounts.has(business.id);
}

function recognize(activity: unknown, options: ResolvedEventOptions): InstagramEvent | undefined {
  if (!isObject(activity)) return undefined;
  const channelData = activity.channelData;
  if (!isObject(channelData)) return undefined;
  const channelId = activity.channelId;
  if (channelId === 'instagram') {
    return channelData.field === 'comments' ? comment(channelData) : messaging(channelData as MessagingEvent, options);
  }
  if (channelId === 'facebook' && isInstagramFacebookActivity(channelData as MessagingEvent, options)) {
    return messaging(channelData as MessagingEvent, options);
  }
  return undefined;
}

/**
 * Resolves the options once and returns a recogniser for activities as `InstagramAdapter`
 * or Botkit's Facebook adapter make them. Bad options throw a TypeError naming the option;
 * the recogniser itself never throws: hostile input (getters that throw, proxies) gives undefined.
 */
export function createEventRecognizer(options?: InstagramEventOptions): (activity: unknown) => InstagramEvent | undefined {
  const resolved = resolveOptions(options);
  return (activity) => {
    try {
      return recognize(activity, resolved);
    } catch {
      return undefined;
    }
  };
}

const recognizeWithoutOptions = createEventRecognizer();

/** Recognises one activity; without options, every postback is kind `postback`. */
export function recognizeInstagramEvent(activity: unknown, options?: InstagramEventOptions): InstagramEvent | undefined {
  return options === undefined ? recognizeWithoutOptions(activity) : createEventRecognizer(options)(activity);
}
