import { Activity } from '@microsoft/agents-activity';
import type { InboundActivity } from '../webhook/activity.js';

/**
 * The SDK's own `Activity` for one the webhook core made. `app.run` calls its methods
 * (`removeRecipientMention`, `getConversationReference`), so a plain object will not do; but
 * `Activity.fromObject` re-validates with a zod schema what the core built well formed already,
 * at ~20 µs an event (see `test/agents/activityCost.ts`). `Object.assign` onto `new Activity`
 * costs ~1 µs and goes through the `channelId` setter, so the activity is the same as a parsed one.
 */
export function toSdkActivity(inbound: InboundActivity): Activity {
  return Object.assign(new Activity(inbound.type), inbound) as unknown as Activity;
}
