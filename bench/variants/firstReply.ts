// First reply to a new customer: every event from someone never seen, at a steady rate, with a
// fixed Graph latency (profile reads and Send API alike); the platform server times each
// customer from the webhook's post to the Send API's answer. The floor: one profile read and
// one Send API call with nothing else.
import { sizes } from '../lib.js';
import type { Variant } from '../method/types.js';
import { APP_SECRET, BUSINESS, drive, platformReport, Replies } from './botServer.js';
import { floorBot, oursBot, type Bot } from './bots.js';

export const EVENTS_PER_SECOND = 300;
export const GRAPH_LATENCY_MS = 150;

function firstReply(bot: Bot): Variant {
  return async ({ mode, server }) => {
    if (!server) throw new Error('the first-reply rows need the platform server');
    const seconds = sizes(mode, { full: 8, quick: 2, tiny: 1 });
    const replies = new Replies();
    const url = await bot(server, replies);
    const run = async (events: number) => {
      const before = replies.count;
      await drive(server, { url, appSecret: APP_SECRET, businessId: BUSINESS, events, senders: 'new', pace: { perSecond: EVENTS_PER_SECOND } });
      await replies.until(before + events);
      return platformReport(server);
    };
    await run(mode === 'tiny' ? 30 : EVENTS_PER_SECOND / 2); // warm-up, not measured: half a second at the same rate
    const events = seconds * EVENTS_PER_SECOND;
    const seen = await run(events);
    if (seen.replies !== events || seen.p50Ms === undefined || seen.p99Ms === undefined) throw new Error(`timed ${seen.replies} first replies of ${events}`);
    return { p50Ms: seen.p50Ms, p99Ms: seen.p99Ms, graphCallsPerEvent: seen.graphCalls / events };
  };
}

export const variants: Record<string, Variant> = { ours: firstReply(oursBot), floor: firstReply(floorBot) };
