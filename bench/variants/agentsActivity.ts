// The Agents SDK `Activity` of a webhook event, as InstagramAgentsAdapter makes it
// (`Object.assign(new Activity(type), inbound)`) vs `Activity.fromObject`, whose schema parse
// re-checks what the webhook core built well formed already. CPU-ns per event.
// (A third way, `Object.setPrototypeOf(inbound, Activity.prototype)`, is cheaper still but
// leaves `channelId` an own property over the class's accessor: `channelIdChannel` reads undefined.)
import type { Activity } from '@microsoft/agents-activity';
import type * as SdkActivity from '../../src/agents/activity.js';
import type * as Items from '../../src/platform/webhookItem.js';
import type { InboundActivity } from '../../src/webhook/activity.js';
import type * as ToActivities from '../../src/webhook/toActivities.js';
import { repeatMedian, sizes } from '../lib.js';
import type { Variant } from '../method/types.js';
import { loadInternal } from '../pkg.js';
import { textMessaging } from './payloads.js';

/** botbuilderPipeline.ts's business, without loading botbuilder into this process. */
const BUSINESS = '17841400000000001';

/** `count` text messages from 50 customers, mapped by the webhook core as the adapter receives them. */
async function inboundActivities(count: number): Promise<InboundActivity[]> {
  const { readWebhookItems } = await loadInternal<typeof Items>('platform/webhookItem.js');
  const { turnOf } = await loadInternal<typeof ToActivities>('webhook/toActivities.js');
  const time = Date.now();
  const made: InboundActivity[] = [];
  readWebhookItems([{ id: BUSINESS, time, messaging: textMessaging(count, BUSINESS, time) }], (item) => made.push(turnOf(item, 'https://graph.facebook.com', Date.now).activity));
  return made;
}

function making(way: (sdk: typeof import('@microsoft/agents-activity'), internal: typeof SdkActivity) => (inbound: InboundActivity) => Activity): Variant {
  return async ({ mode }) => {
    const make = way(await import('@microsoft/agents-activity'), await loadInternal<typeof SdkActivity>('agents/activity.js'));
    const events = sizes(mode, { full: 20_000, quick: 10_000, tiny: 500 });
    const batch = async () => {
      const inbound = await inboundActivities(events);
      const before = process.cpuUsage();
      let last: Activity | undefined;
      for (const activity of inbound) last = make(activity);
      const used = process.cpuUsage(before);
      // Both ways must give a real Activity, methods and channel accessor included.
      if (typeof last?.getConversationReference !== 'function' || last.channelId !== 'instagram') throw new Error('no real Activity was made');
      return ((used.user + used.system) * 1_000) / events;
    };
    await batch(); // warm-up, not measured
    return { nsPerEvent: await repeatMedian(5, batch) };
  };
}

export const variants: Record<string, Variant> = {
  assign: making((_, internal) => internal.toSdkActivity),
  fromObject: making(({ Activity }) => (inbound) => Activity.fromObject(inbound)),
};
