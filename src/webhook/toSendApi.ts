import createDebug from 'debug';
import { InstagramProfileError } from '../errors.js';
import { isRecord } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';
import type { SendApiBody } from '../graph/sendApi.js';
import type { OutgoingActivity } from './activity.js';

const log = createDebug('instagram-profile:webhook:send');

type Attachment = NonNullable<OutgoingActivity['attachments']>[number];
type CardAction = { title?: unknown; value?: unknown; payload?: unknown };

/** Instagram's limits on quick replies. */
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;

interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/**
 * The Send API requests one outgoing activity needs, in order: `typing` → a sender action;
 * a message → its text, then one request per attachment (Instagram sends one attachment per
 * message). Quick replies ride on the text, which then goes last so the buttons sit under
 * the newest message. Other activity types send nothing.
 */
export function sendApiBodiesFor(activity: OutgoingActivity): SendApiBody[] {
  if (activity.type === 'typing') return [{ recipient: recipientOf(activity), sender_action: 'typing_on' }];
  if (activity.type !== 'message') {
    log('not sending a %s activity: Instagram has no equivalent', activity.type);
    return [];
  }
  const recipient = recipientOf(activity);
  const quickReplies = quickRepliesOf(activity);
  const text = typeof activity.text === 'string' && activity.text.length > 0 ? activity.text : undefined;
  const attachments = attachmentMessages(activity);
  if (text === undefined && attachments.length === 0) {
    throw new InstagramProfileError('Nothing to send: an Instagram message needs text or an attachment with a contentUrl', 'SEND_UNSUPPORTED');
  }
  if (quickReplies.length > 0 && text === undefined) {
    throw new InstagramProfileError('Instagram quick replies (suggestedActions) need message text', 'SEND_UNSUPPORTED');
  }
  const bodies = attachments.map((message) => ({ recipient, message }));
  if (text === undefined) return bodies;
  const textBody: SendApiBody = { recipient, message: quickReplies.length > 0 ? { text, quick_replies: quickReplies } : { text } };
  return quickReplies.length > 0 ? [...bodies, textBody] : [textBody, ...bodies];
}

/** The customer: the activity's recipient (a reply), else its conversation (which is the IGSID). */
function recipientOf(activity: OutgoingActivity): { id: string } {
  const id = activity.recipient?.id || activity.conversation?.id;
  if (!isIgsid(id)) throw new InstagramProfileError('Cannot send: the recipient is not an Instagram-scoped ID (digits only)', 'INVALID_IGSID');
  return { id };
}

function quickRepliesOf(activity: OutgoingActivity): QuickReply[] {
  const actions: unknown[] = activity.suggestedActions?.actions ?? botkitQuickReplies(activity.channelData);
  if (actions.length > MAX_QUICK_REPLIES) log('dropping %d quick replies: Instagram shows at most %d', actions.length - MAX_QUICK_REPLIES, MAX_QUICK_REPLIES);
  return actions.slice(0, MAX_QUICK_REPLIES).flatMap((action) => {
    const reply = isRecord(action) ? toQuickReply(action as CardAction) : undefined;
    return reply ? [reply] : [];
  });
}

/** Botkit puts unknown message fields in channelData, so `bot.reply(m, { text, quick_replies })` lands here. */
function botkitQuickReplies(channelData: unknown): unknown[] {
  const replies = (channelData as { quick_replies?: unknown } | undefined)?.quick_replies;
  return Array.isArray(replies) ? replies : [];
}

function toQuickReply(action: CardAction): QuickReply | undefined {
  const title = typeof action.title === 'string' && action.title.length > 0 ? action.title : typeof action.value === 'string' ? action.value : undefined;
  if (title === undefined) return undefined;
  const raw = action.payload ?? action.value ?? title;
  return {
    content_type: 'text',
    // Cut by code points so an emoji is never split in half.
    title: Array.from(title).slice(0, MAX_QUICK_REPLY_TITLE).join(''),
    payload: typeof raw === 'string' ? raw : JSON.stringify(raw),
  };
}

/** Attachments by URL, plus a raw Send API `attachment` a Botkit bot put in channelData. */
function attachmentMessages(activity: OutgoingActivity): Record<string, unknown>[] {
  const messages = (activity.attachments ?? []).map(toSendAttachment).map((attachment) => ({ attachment }));
  const raw = (activity.channelData as { attachment?: unknown } | undefined)?.attachment;
  if (raw !== null && typeof raw === 'object') messages.push({ attachment: raw as never });
  return messages;
}

function toSendAttachment(attachment: Attachment): { type: string; payload: { url: string } } {
  const url = attachment.contentUrl;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new InstagramProfileError(
      `Cannot send a ${attachment.contentType ?? 'typeless'} attachment: Instagram takes attachments by http(s) contentUrl only (no cards)`,
      'SEND_UNSUPPORTED',
    );
  }
  return { type: sendTypeOf(attachment.contentType), payload: { url } };
}

function sendTypeOf(contentType: string | undefined): string {
  const family = (contentType ?? '').split('/')[0]?.toLowerCase();
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'file';
}
