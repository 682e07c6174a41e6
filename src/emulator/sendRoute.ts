import { isRecord } from '../internal/json.js';
import { errors } from './metaErrors.js';
import type { GraphAnswer } from './profileRoute.js';
import { newMid } from './webhooks.js';
import { MESSAGING_WINDOW_MS, type SentMessage, type World } from './world.js';

const SENDER_ACTIONS: ReadonlySet<string> = new Set(['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact']);
const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'file', 'template', 'like_heart', 'MEDIA_SHARE']);

type Checked = { ok: SentMessage } | { error: GraphAnswer };

function checkMessage(message: unknown, base: SentMessage): Checked {
  if (!isRecord(message)) return { error: errors.badRequest('param message must be an object') };
  const { text, attachment, quick_replies: quickReplies } = message;
  if (text === undefined && attachment === undefined) return { error: errors.badRequest('param message must have text or attachment') };
  if (text !== undefined && attachment !== undefined) return { error: errors.badRequest('param message must have only one of text or attachment') };
  if (text !== undefined) {
    if (typeof text !== 'string' || text.length === 0) return { error: errors.badRequest('param message[text] must be a non-empty UTF-8 encoded string') };
    if (text.length > 1000) return { error: errors.badRequest('Length of param message[text] must be less than or equal to 1000') };
    base.text = text;
  }
  if (attachment !== undefined) {
    if (!isRecord(attachment) || typeof attachment.type !== 'string' || !ATTACHMENT_TYPES.has(attachment.type)) {
      return { error: errors.badRequest('param message[attachment][type] must be one of {image, video, audio, file, template, like_heart, MEDIA_SHARE}') };
    }
    const url = isRecord(attachment.payload) && typeof attachment.payload.url === 'string' ? attachment.payload.url : undefined;
    if (['image', 'video', 'audio', 'file'].includes(attachment.type) && url === undefined) return { error: errors.badRequest('param message[attachment][payload][url] is required') };
    base.attachment = { type: attachment.type, ...(url === undefined ? {} : { url }) };
  }
  if (quickReplies !== undefined) {
    if (!Array.isArray(quickReplies) || quickReplies.length === 0 || quickReplies.length > 13) {
      return { error: errors.badRequest('param message[quick_replies] must be an array of 1 to 13 elements') };
    }
    base.quickReplies = [];
    for (const reply of quickReplies) {
      if (!isRecord(reply) || (reply.content_type ?? 'text') !== 'text') return { error: errors.badRequest('param message[quick_replies][content_type] must be text') };
      if (typeof reply.title !== 'string' || reply.title.length === 0 || reply.title.length > 20) {
        return { error: errors.badRequest('param message[quick_replies][title] must be a string of 1 to 20 characters') };
      }
      if (typeof reply.payload !== 'string' || reply.payload.length > 1000) return { error: errors.badRequest('param message[quick_replies][payload] must be a string of at most 1000 characters') };
      base.quickReplies.push({ title: reply.title, payload: reply.payload });
    }
  }
  return { ok: base };
}

/** `POST /<version>/me/messages`: validates like Meta, enforces the 24-hour window, records what the bot said. */
export function answerSend(world: World, body: unknown): GraphAnswer {
  if (!isRecord(body)) return errors.badRequest('The request body must be a JSON object');
  const recipient = isRecord(body.recipient) ? body.recipient.id : undefined;
  if (typeof recipient !== 'string') return errors.badRequest('param recipient[id] must be a valid ID string');
  const persona = world.find(recipient);
  if (!persona || persona.blocksBusiness) return errors.noMatchingRecipient();
  const hasMessage = body.message !== undefined;
  const hasAction = body.sender_action !== undefined;
  if (hasMessage === hasAction) return errors.badRequest('Exactly one of param message or param sender_action is required');
  const now = world.options.now();
  if (persona.lastUserMessageAt === undefined || now - persona.lastUserMessageAt > MESSAGING_WINDOW_MS) return errors.outsideWindow();

  const record: SentMessage = { igsid: recipient, at: now, messageId: undefined, raw: body };
  if (hasAction) {
    if (typeof body.sender_action !== 'string' || !SENDER_ACTIONS.has(body.sender_action)) {
      return errors.badRequest('param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact}');
    }
    record.senderAction = body.sender_action;
    world.record(record);
    return { status: 200, body: { recipient_id: recipient } };
  }
  const checked = checkMessage(body.message, record);
  if ('error' in checked) return checked.error;
  checked.ok.messageId = newMid();
  world.record(checked.ok);
  return { status: 200, body: { recipient_id: recipient, message_id: checked.ok.messageId } };
}
