import { Activity } from '@microsoft/agents-activity';
import type { InboundActivity } from '../webhook/activity.js';

/**
 * The SDK's own `Activity` for one the webhook core made. `app.run` calls its methods
 * (`removeRecipientMention`, `getConversationReference`), so a plain object will not do; but
 * `Activity.fromObject` re-validates with a zod schema what the core built well formed already,
 * at ~12 CPU-µs an event (`npm run bench`, row agents-activity-vs-from-object). `Object.assign`
 * onto `new Activity` costs ~0.3 µs and goes through the `channelId` setter, so the activity is
 * the same as a parsed one.
 */
export function toSdkActivity(inbound: InboundActivity): Activity {
  return Object.assign(new Activity(inbound.type), inbound) as unknown as Activity;
}
