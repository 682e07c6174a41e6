import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { InstagramProfile } from '../../src/index.js';

export const BUSINESS = '17841400000000001';

/** A botbuilder adapter that only runs the middleware pipeline: what every real adapter does per turn. */
export class PipelineAdapter extends BotAdapter {
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map(() => ({ id: '1' }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_r: Partial<ConversationReference>, _l: (c: TurnContext) => Promise<void>): Promise<void> {}
  turn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** The activity InstagramAdapter makes of a text message from this customer. */
export function activityFrom(profile: Pick<InstagramProfile, 'id'>): Partial<Activity> {
  return {
    type: 'message',
    channelId: 'instagram',
    text: 'hi',
    from: { id: profile.id, name: '' },
    recipient: { id: BUSINESS, name: '' },
    conversation: { id: profile.id, isGroup: false, conversationType: '', name: '' },
    channelData: { sender: { id: profile.id }, recipient: { id: BUSINESS }, timestamp: 1, message: { mid: 'm', text: 'hi' }, object: 'instagram', entry: { id: BUSINESS, time: 1 } },
  };
}
