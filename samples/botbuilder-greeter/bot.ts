import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { getInstagramEvent, type InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { Inspector } from '../shared/inspector.js';
import { replyTo } from '../shared/replies.js';

/** The greeter's turn logic: everything a handler needs comes from the middleware and the helpers. */
export function greeterLogic(profiles: InstagramProfileMiddleware, inspector?: Inspector) {
  return async (context: TurnContext): Promise<void> => {
    if (context.activity.type !== ActivityTypes.Message && context.activity.type !== ActivityTypes.Event) return;
    const event = getInstagramEvent(context);
    const lookup = await profiles.load(context); // never rejects: a failure is a status
    const change = await profiles.changes(context); // what this turn's lookup found changed (a new follower)
    const reply = replyTo(event, lookup, change?.changes);
    inspector?.record(event, lookup, reply?.text);
    if (!reply) return;
    const message = MessageFactory.suggestedActions(
      (reply.quickReplies ?? []).map(([title, payload]) => ({ type: 'postBack', title, value: payload })),
      reply.text,
    );
    if (!reply.quickReplies) delete message.suggestedActions;
    await context.sendActivity(message);
  };
}
