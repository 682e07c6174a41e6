// End to end: signed webhooks over HTTP → bot → personalised reply through the Send API on
// loopback, in CPU-µs of the bot's process per event, customers whose profiles are cached
// after the warm-up (ours) — and Graph calls per event as the platform counted them.
import { sizes } from '../lib.js';
import type { Variant } from '../method/types.js';
import { BUSINESS, APP_SECRET, drive, platformReport, Replies } from './botServer.js';
import { bareBot, oursBot, todayBot, type Bot } from './bots.js';

/** Customers: a returning population, all seen in the warm-up. */
const CUSTOMERS = 200;

function endToEnd(bot: Bot): Variant {
  return async ({ mode, server }) => {
    if (!server) throw new Error('the end-to-end rows need the platform server');
    const events = sizes(mode, { full: 4_000, quick: 800, tiny: 300 });
    const replies = new Replies();
    const url = await bot(server, replies);
    const run = async (count: number) => {
      const before = replies.count;
      const cpu = process.cpuUsage();
      await drive(server, { url, appSecret: APP_SECRET, businessId: BUSINESS, events: count, senders: { pool: CUSTOMERS }, pace: { concurrency: 8 } });
      await replies.until(before + count);
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / count;
    };
    await run(CUSTOMERS * 2); // warm-up, not measured: every customer seen, JIT warm
    const cpuMicrosPerEvent = await run(events);
    const seen = await platformReport(server);
    if (seen.sends !== events) throw new Error(`the platform got ${seen.sends} replies for ${events} events`);
    return { cpuMicrosPerEvent, graphCallsPerEvent: seen.graphCalls / events };
  };
}

export const variants: Record<string, Variant> = {
  ours: endToEnd(oursBot),
  bare: endToEnd(bareBot),
  today: endToEnd(todayBot),
};
