import { type Activity, ActivityTypes, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';

/**
 * Makes activities exactly as botbuilder-adapter-facebook 1.0.12 does
 * (packages/botbuilder-adapter-facebook/src/facebook_adapter.ts, processSingleMessage):
 * channelId "facebook", channelData = the raw messaging item with the message's fields
 * copied onto it, text = message text or postback payload, echoes as events. That package
 * is not installed (it fails to load on a fresh install), so this stands in for it.
 */
export class FacebookShapedAdapter extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];

  async deliver(item: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const message = structuredClone(item) as Record<string, any>;
    const activity: Partial<Activity> = {
      channelId: 'facebook',
      timestamp: new Date(),
      conversation: { id: message.sender.id } as Activity['conversation'],
      from: { id: message.sender.id, name: message.sender.id },
      recipient: { id: message.recipient.id, name: message.recipient.id },
      channelData: message,
      type: ActivityTypes.Event,
      text: null as unknown as string,
    };
    if (message.message) {
      activity.type = ActivityTypes.Message;
      activity.text = message.message.text;
      if (message.message.is_echo) activity.type = ActivityTypes.Event;
      for (const key in message.message) message[key] = message.message[key];
    } else if (message.postback) {
      activity.type = ActivityTypes.Message;
      activity.text = message.postback.payload;
    }
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return activities.map((_, i) => ({ id: `fb-${this.sent.length - activities.length + i}` }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
