/**
 * Every persona action, declared once. Each entry builds the webhook item Meta sends for it
 * (shape and time units as in `test/fixtures/meta/`), says whether it grants consent, and
 * reads its arguments from a control-API body. The persona methods (`persona.sends(...)`),
 * the pure builders (`persona.event.sends(...)`) and the control routes
 * (`POST /_emulator/personas/<key>/sends`) are all made from this table.
 */
import { randomInt } from 'node:crypto';
import { isRecord } from '../internal/json.js';
import type { ResolvedEmulatorOptions } from './options.js';
import { newMid, type PersonaEvent, type WebhookEvent } from './webhooks.js';
import type { PersonaState } from './world.js';

/** What an action may read: the persona, the configured business, menus and login, and the clock. */
export interface ActionContext {
  persona: PersonaState;
  options: ResolvedEmulatorOptions;
  now: number;
}

type Body = Record<string, unknown>;

interface ActionSpec<A extends unknown[]> {
  /** Whether the action grants consent and opens the 24-hour window (Meta: a message, an ice-breaker or menu tap). */
  grantsConsent: boolean;
  build(context: ActionContext, ...args: A): WebhookEvent;
  /** The arguments from a control-API JSON body; throws TypeError naming a bad field. */
  fromJson(body: Body): A;
}

const action = <A extends unknown[]>(spec: ActionSpec<A>) => spec;

/** Attachment types a customer can send, as Meta lists them for Instagram webhooks. */
export type CustomerAttachmentType = 'image' | 'video' | 'audio' | 'file' | 'story_mention' | 'ig_reel' | 'ig_post' | 'share';
const ATTACHMENT_TYPES: ReadonlySet<string> = new Set<CustomerAttachmentType>(['image', 'video', 'audio', 'file', 'story_mention', 'ig_reel', 'ig_post', 'share']);

function text(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new TypeError(`"${key}" must be a string`);
  return value;
}

function optionalText(body: Body, key: string): string | undefined {
  return body[key] === undefined ? undefined : text(body, key);
}

function messaging(context: ActionContext, item: Record<string, unknown>, mid?: string, where: 'messaging' | 'standby' = 'messaging'): WebhookEvent {
  const full = { sender: { id: context.persona.igsid }, recipient: { id: context.options.businessId }, timestamp: context.now, ...item };
  return { where, item: full, ...(mid ? { mid } : {}) };
}

/** A lookaside CDN URL such as Meta puts in attachment payloads (signed, short-lived). */
function cdnUrl(assetId: string): string {
  return `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${assetId}&signature=EMULATOR`;
}

/** 17 digits starting 18, like Instagram media and comment ids; different on each call. */
function mediaId(): string {
  return `18${randomInt(100_000_000_000_000).toString().padStart(15, '0')}`;
}

/** The payload Meta sends for each attachment type (see the fixtures for the published ones). */
function attachmentPayload(type: CustomerAttachmentType): Record<string, unknown> {
  const id = mediaId();
  if (type === 'ig_reel') return { reel_video_id: id, title: 'A reel', url: cdnUrl(id) };
  if (type === 'ig_post' || type === 'share') return { ig_post_media_id: id, title: 'A post', url: cdnUrl(id) };
  return { url: cdnUrl(id) };
}

function postback(context: ActionContext, title: string, payload: string): WebhookEvent {
  const mid = newMid();
  return messaging(context, { postback: { mid, title, payload } }, mid);
}

function comment(context: ActionContext, value: Record<string, unknown>): WebhookEvent {
  return { where: 'changes', item: { field: 'comments', value } };
}

export const PERSONA_ACTIONS = {
  sends: action({
    grantsConsent: true,
    build: (c, message: string, { standby = false }: { standby?: boolean } = {}) => {
      const mid = newMid();
      return messaging(c, { message: { mid, text: message } }, mid, standby ? 'standby' : 'messaging');
    },
    fromJson: (b): [string, { standby: boolean }] => [text(b, 'text'), { standby: b.standby === true }],
  }),
  /** A photo, video, voice note, file, story mention, reel or post shared into the conversation. */
  sendsAttachment: action({
    grantsConsent: true,
    build: (c, type: CustomerAttachmentType, payload?: Record<string, unknown>) => {
      if (!ATTACHMENT_TYPES.has(type)) throw new TypeError(`Attachment type "${String(type)}" is not one of ${[...ATTACHMENT_TYPES].join(', ')}`);
      const mid = newMid();
      return messaging(c, { message: { mid, attachments: [{ type, payload: payload ?? attachmentPayload(type) }] } }, mid);
    },
    fromJson: (b) => [text(b, 'type') as CustomerAttachmentType, isRecord(b.payload) ? b.payload : undefined],
  }),
  /** An inline reply to an earlier message. */
  repliesTo: action({
    grantsConsent: true,
    build: (c, repliedMid: string, message: string) => {
      const mid = newMid();
      return messaging(c, { message: { mid, text: message, reply_to: { mid: repliedMid } } }, mid);
    },
    fromJson: (b) => [text(b, 'mid'), text(b, 'text')],
  }),
  /** A reply to one of the business's stories. */
  repliesToStory: action({
    grantsConsent: true,
    build: (c, storyId: string, message: string) => {
      const mid = newMid();
      return messaging(c, { message: { mid, text: message, reply_to: { story: { url: cdnUrl(storyId), id: storyId } } } }, mid);
    },
    fromJson: (b) => [text(b, 'storyId'), text(b, 'text')],
  }),
  tapsIcebreaker: action({
    grantsConsent: true,
    build: (c, payload: string) => {
      const item = c.options.icebreakers.find((i) => i.payload === payload);
      if (!item) throw new Error(`No ice breaker has the payload "${payload}"; configured: ${c.options.icebreakers.map((i) => i.payload).join(', ')}`);
      return postback(c, item.question, payload);
    },
    fromJson: (b) => [text(b, 'payload')],
  }),
  tapsMenu: action({
    grantsConsent: true,
    build: (c, payload: string) => {
      const item = c.options.persistentMenu.find((i) => i.payload === payload);
      if (!item) throw new Error(`No persistent-menu item has the payload "${payload}"; configured: ${c.options.persistentMenu.map((i) => i.payload).join(', ')}`);
      return postback(c, item.title, payload);
    },
    fromJson: (b) => [text(b, 'payload')],
  }),
  /** Any postback button (a generic template's, say): the same shape as ice-breaker and menu taps. */
  postback: action({
    grantsConsent: true,
    build: (c, title: string, payload: string) => postback(c, title, payload),
    fromJson: (b) => [text(b, 'title'), text(b, 'payload')],
  }),
  /** Quick-reply taps arrive as messages carrying the tapped title and `quick_reply.payload`. */
  tapsQuickReply: action({
    grantsConsent: true,
    build: (c, payload: string, title: string = payload.slice(0, 20)) => {
      const mid = newMid();
      return messaging(c, { message: { mid, text: title, quick_reply: { payload } } }, mid);
    },
    fromJson: (b) => [text(b, 'payload'), optionalText(b, 'title')],
  }),
  reacts: action({
    grantsConsent: false,
    build: (c, mid: string, emoji: string = '\u2764\ufe0f', reaction: string = 'love') => messaging(c, { reaction: { mid, action: 'react', reaction, emoji } }),
    fromJson: (b) => [text(b, 'mid'), optionalText(b, 'emoji'), optionalText(b, 'reaction')],
  }),
  /** Meta leaves `reaction` and `emoji` out when a reaction is removed. */
  unreacts: action({
    grantsConsent: false,
    build: (c, mid: string) => messaging(c, { reaction: { mid, action: 'unreact' } }),
    fromJson: (b) => [text(b, 'mid')],
  }),
  reads: action({
    grantsConsent: false,
    build: (c, mid: string) => messaging(c, { read: { mid } }),
    fromJson: (b) => [text(b, 'mid')],
  }),
  /** Real Instagram edits carry `mid` and `num_edit` only; `text` is added when given (Messenger documents one). */
  edits: action({
    grantsConsent: false,
    build: (c, mid: string, newText?: string) => messaging(c, { message_edit: { mid, num_edit: 0, ...(newText === undefined ? {} : { text: newText }) } }),
    fromJson: (b) => [text(b, 'mid'), optionalText(b, 'text')],
  }),
  /** Unsending a message: `is_deleted` on the original mid. */
  unsends: action({
    grantsConsent: false,
    build: (c, mid: string) => messaging(c, { message: { mid, is_deleted: true } }),
    fromJson: (b) => [text(b, 'mid')],
  }),
  /** Opening an ig.me link with a `ref` in an existing conversation. */
  refers: action({
    grantsConsent: false,
    build: (c, ref: string) => messaging(c, { referral: { ref, source: `https://ig.me/m/business?ref=${encodeURIComponent(ref)}`, type: 'OPEN_THREAD' } }),
    fromJson: (b) => [text(b, 'ref')],
  }),
  comments: action({
    grantsConsent: false,
    build: (c, message: string, { mediaId: media = '18000000000000001', parentId }: { mediaId?: string; parentId?: string } = {}) =>
      comment(c, {
        from: { id: c.persona.igsid, username: c.persona.username },
        media: { id: media, media_product_type: 'FEED' },
        id: mediaId(),
        ...(parentId === undefined ? {} : { parent_id: parentId }),
        text: message,
      }),
    fromJson: (b): [string, { mediaId?: string; parentId?: string }] => [text(b, 'text'), { mediaId: optionalText(b, 'mediaId'), parentId: optionalText(b, 'parentId') }],
  }),
  /**
   * An @mention of the business in a comment. Facebook Login: a `mentions` change naming the
   * comment and media only. Instagram Login has no `mentions` field: it arrives as a comment.
   */
  mentions: action({
    grantsConsent: false,
    build: (c, message: string, { mediaId: media = '18000000000000002' }: { mediaId?: string } = {}) => {
      const commentId = mediaId();
      if (c.options.login === 'facebook') return { where: 'changes', item: { field: 'mentions', value: { comment_id: commentId, media_id: media } } };
      return comment(c, { from: { id: c.persona.igsid, username: c.persona.username }, media: { id: media, media_product_type: 'FEED' }, id: commentId, text: message });
    },
    fromJson: (b): [string, { mediaId?: string }] => [text(b, 'text'), { mediaId: optionalText(b, 'mediaId') }],
  }),
};

export type ActionName = keyof typeof PERSONA_ACTIONS;
export const ACTION_NAMES = Object.keys(PERSONA_ACTIONS) as ActionName[];

type ArgsOf<S> = S extends { build: (context: ActionContext, ...args: infer A) => WebhookEvent } ? A : never;
export type ActionArgs<K extends ActionName> = ArgsOf<(typeof PERSONA_ACTIONS)[K]>;

/** `persona.event`: the exact webhook items a persona's actions produce (pure: nothing is sent). */
export type PersonaEvents = { [K in ActionName]: (...args: ActionArgs<K>) => PersonaEvent };

/** The control route of an action: `tapsIcebreaker` → `taps-icebreaker`. */
export function routeName(name: ActionName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const BY_ROUTE = new Map(ACTION_NAMES.map((name) => [routeName(name), name]));

/** The action behind a control route, if any. */
export function actionForRoute(route: string): ActionName | undefined {
  return BY_ROUTE.get(route);
}

/** Builds the item an action delivers; throws (TypeError or Error) on bad arguments. */
export function buildAction(persona: PersonaState, options: ResolvedEmulatorOptions, name: ActionName, args: readonly unknown[]): PersonaEvent {
  const spec = PERSONA_ACTIONS[name] as ActionSpec<unknown[]>;
  const event = spec.build({ persona, options, now: options.now() }, ...args);
  return { event, igsid: persona.igsid, grantsConsent: spec.grantsConsent };
}

/** The arguments of an action from a control-API body. */
export function argsFromJson(name: ActionName, body: Body): unknown[] {
  return (PERSONA_ACTIONS[name] as ActionSpec<unknown[]>).fromJson(body);
}
