import { isRecord } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';
import { entryRefOf, readChangeItem, readMessagingItem, WEBHOOK_ITEM_KEY, type WebhookItem } from '../platform/webhookItem.js';

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

function stringSet(name: string, value: Iterable<string> | undefined, digitsOnly = false): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (value === null || typeof (value as Iterable<string>)[Symbol.iterator] !== 'function' || typeof value === 'string') {
    throw new TypeError(`Option "${name}" must be an array (or other iterable) of strings`);
  }
  const set = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string') throw new TypeError(`Option "${name}" must hold only strings`);
    if (digitsOnly && !isIgsid(item)) throw new TypeError(`Option "${name}" must hold account ids made of digits only`);
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

/** Change fields whose author is a customer commenting (no consent: Meta grants none for comments). */
const COMMENT_FIELDS: ReadonlySet<string> = new Set(['comments', 'live_comments']);

/** The event of one webhook item, as the one reader (`webhookItem`) read it. */
function eventOf(item: WebhookItem, options: ResolvedEventOptions): InstagramEvent {
  const raw = item.payload;
  let event: InstagramEvent;
  switch (item.kind) {
    case 'message':
    case 'deleted': {
      // A deleted message was sent first, so it carries the consent that message gave.
      const message = raw.message as Record<string, unknown>;
      const quickReply = isRecord(message.quick_reply) ? message.quick_reply : undefined;
      event = { kind: quickReply ? 'quick_reply' : 'message', igsid: item.customerId, grantsConsent: true };
      assign(event, 'text', text(message.text));
      if (quickReply) assign(event, 'payload', text(quickReply.payload));
      break;
    }
    case 'echo':
      event = { kind: 'echo', igsid: item.customerId, grantsConsent: false };
      assign(event, 'text', text((raw.message as Record<string, unknown>).text));
      break;
    case 'postback': {
      const postback = raw.postback as Record<string, unknown>;
      const payload = text(postback.payload);
      event = { kind: postbackKind(payload, options), igsid: item.customerId, grantsConsent: true };
      assign(event, 'title', text(postback.title));
      assign(event, 'payload', payload);
      break;
    }
    case 'reaction': {
      const reaction = raw.reaction as Record<string, unknown>;
      event = { kind: 'reaction', igsid: item.customerId, grantsConsent: false };
      assign(event, 'text', text(reaction.emoji) ?? text(reaction.reaction));
      break;
    }
    case 'edit':
      event = { kind: 'edit', igsid: item.customerId, grantsConsent: false };
      assign(event, 'text', text((raw.message_edit as Record<string, unknown>).text));
      break;
    case 'read':
      event = { kind: 'read', igsid: item.customerId, grantsConsent: false };
      break;
    case 'referral':
      event = { kind: 'referral', igsid: item.customerId, grantsConsent: false };
      assign(event, 'payload', text((raw.referral as Record<string, unknown>).ref));
      break;
    case 'change':
      event = { kind: COMMENT_FIELDS.has(item.field!) ? 'comment' : 'other', igsid: item.customerId, grantsConsent: false };
      assign(event, 'text', text(raw.text));
      break;
    default:
      // Kinds Meta adds later: nothing known to grant consent.
      event = { kind: 'other', igsid: item.customerId, grantsConsent: false };
  }
  assign(event, 'mid', item.mid);
  if (item.businessId !== undefined) event.businessId = item.businessId;
  return event;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function postbackKind(payload: string | undefined, options: ResolvedEventOptions): InstagramEventKind {
  if (payload === undefined) return 'postback';
  if (options.icebreakers.has(payload)) return 'icebreaker';
  return options.menu.has(payload) ? 'persistent_menu' : 'postback';
}

function assign(event: InstagramEvent, key: 'mid' | 'text' | 'title' | 'payload', value: string | undefined): void {
  if (value !== undefined) event[key] = value;
}

/**
 * The webhook item behind an activity: the one the adapter read (kept on channelData), else
 * read now from the raw event (an activity made by another adapter, or serialised and back).
 */
function itemOf(channelData: Record<string, unknown>): WebhookItem | undefined {
  const kept = (channelData as { [WEBHOOK_ITEM_KEY]?: WebhookItem })[WEBHOOK_ITEM_KEY];
  if (kept !== undefined) return kept;
  const entry = entryRefOf(channelData.entry);
  if (typeof channelData.field === 'string') return readChangeItem({ field: channelData.field, value: channelData.value }, entry);
  return readMessagingItem(channelData, entry, channelData.standby === true);
}

/** Botkit's Facebook adapter says 'facebook' for Instagram too: only the account ids tell. */
function isInstagramAccount(item: WebhookItem, options: ResolvedEventOptions): boolean {
  return item.businessId !== undefined && options.accounts.has(item.businessId);
}

function recognize(activity: unknown, options: ResolvedEventOptions): InstagramEvent | undefined {
  if (!isRecord(activity)) return undefined;
  const channelData = activity.channelData;
  if (!isRecord(channelData)) return undefined;
  const channelId = activity.channelId;
  if (channelId === 'instagram') {
    const item = itemOf(channelData);
    return item ? eventOf(item, options) : undefined;
  }
  if (channelId === 'facebook' && options.accounts.size > 0) {
    const item = readMessagingItem(channelData, entryRefOf(undefined), false);
    return item && isInstagramAccount(item, options) ? eventOf(item, options) : undefined;
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
