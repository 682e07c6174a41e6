import { ActivityTypes } from '@microsoft/agents-activity';
import { AgentApplication, MemoryStorage, MessageFactory, type TurnContext, type TurnState } from '@microsoft/agents-hosting';
import { getInstagramEvent, type InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { Inspector } from '../shared/inspector.js';
import { replyTo } from '../shared/replies.js';

/**
 * The greeter as an `AgentApplication`: messages, quick replies and taps arrive as `message`
 * activities, comments and reads as `event` activities (`instagram/comment`, `instagram/read`).
 */
export function greeterAgent(profiles: InstagramProfileMiddleware, inspector?: Inspector): AgentApplication<TurnState> {
  const app = new AgentApplication<TurnState>({ storage: new MemoryStorage() });
  const greet = async (context: TurnContext): Promise<void> => {
    const event = getInstagramEvent(context);
    const lookup = await profiles.load(context); // never rejects: a failure is a status
    const change = await profiles.changes(context); // what this turn's lookup found changed (a new follower)
    const reply = replyTo(event, lookup, change?.changes);
    inspector?.record(event, lookup, reply?.text);
    if (!reply) return;
    const quickReplies = reply.quickReplies?.map(([title, payload]) => ({ type: 'postBack', title, value: payload }));
    await context.sendActivity(quickReplies ? MessageFactory.suggestedActions(quickReplies, reply.text) : MessageFactory.text(reply.text));
  };
  app.onActivity(ActivityTypes.Message, greet);
  app.onActivity(ActivityTypes.Event, greet);
  return app;
}
