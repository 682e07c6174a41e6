// Webhook events per CPU-second for signed deliveries of 1, 10 and 50 text messages:
// InstagramAdapter (botbuilder), InstagramAgentsAdapter (Agents SDK), Botkit's Facebook adapter.
import { FacebookAdapter } from 'botbuilder-adapter-facebook';
import { createHmac } from 'node:crypto';
import { cpuMicros, repeatMedian, sizes } from '../lib.js';
import type { Metrics, Variant } from '../method/types.js';
import { loadAdapter, loadAgents } from '../pkg.js';
import { BUSINESS } from './botbuilderPipeline.js';
import { textMessaging } from './payloads.js';

const SECRET = 'bench-app-secret';
export const BATCHES = [1, 10, 50] as const;

interface Signed {
  raw: string;
  sha256: string;
  sha1: string;
}

/** A signed delivery of `size` text messages, each with a new mid (so de-duplication drops nothing). */
function delivery(size: number): Signed {
  const time = Date.now();
  const raw = JSON.stringify({ object: 'instagram', entry: [{ time, id: BUSINESS, messaging: textMessaging(size, BUSINESS, time) }] });
  return { raw, sha256: `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`, sha1: `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}` };
}

let turnsRun = 0;
/** The bot: does nothing but count, so a bench that silently drops events cannot look fast. */
const countTurn = async () => void turnsRun++;

/** A response with the Node http API (ours) and the Express one (Botkit's adapter). */
function response() {
  const res = {
    statusCode: 200,
    headersSent: false,
    setHeader: () => undefined,
    end: () => void (res.headersSent = true),
    status: () => res,
    send: () => undefined,
  };
  return res;
}

/** Feeds one signed delivery to the adapter under test, and waits for every turn it started. */
type Deliver = (d: Signed) => Promise<void>;

function measure(make: () => Promise<{ deliver: Deliver; drain: () => Promise<void> }>): Variant {
  return async ({ mode }) => {
    const { deliver, drain } = await make();
    const events = sizes(mode, { full: 12_000, quick: 2_000, tiny: 500 });
    const metrics: Metrics = {};
    for (const size of BATCHES) {
      const count = Math.max(1, Math.floor(events / size));
      const round = async () => {
        const batch = Array.from({ length: count }, () => delivery(size));
        turnsRun = 0;
        const micros = await cpuMicros(async () => {
          for (const d of batch) await deliver(d);
          await drain();
        });
        if (turnsRun !== count * size) throw new Error(`ran ${turnsRun} of ${count * size} turns`);
        return (count * size) / (micros / 1e6);
      };
      await round(); // warm-up, not measured
      metrics[`batch${size}`] = await repeatMedian(mode === 'full' ? 3 : 2, round);
    }
    return metrics;
  };
}

const request = (d: Signed) => ({ method: 'POST', url: '/api/instagram', headers: { 'x-hub-signature-256': d.sha256, 'content-type': 'application/json' }, rawBody: Buffer.from(d.raw) });
const options = { appSecret: SECRET, verifyToken: 'v', accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' };

export const variants: Record<string, Variant> = {
  instagram: measure(async () => {
    const { InstagramAdapter } = await loadAdapter();
    const adapter = new InstagramAdapter(options);
    return { deliver: (d) => adapter.process(request(d), response(), countTurn), drain: () => adapter.drain() };
  }),
  agents: measure(async () => {
    const { InstagramAgentsAdapter } = await loadAgents();
    const adapter = new InstagramAgentsAdapter(options);
    return { deliver: (d) => adapter.process(request(d), response(), countTurn), drain: () => adapter.drain() };
  }),
  botkit: measure(async () => {
    const adapter = new FacebookAdapter({ app_secret: SECRET, verify_token: 'v', access_token: 'bench-token' });
    // Botkit's web server parses the JSON before the adapter runs: that parse is part of its cost.
    // Its adapter runs the turns before it answers, so there is nothing left to drain.
    return { deliver: (d) => theirs(adapter, d), drain: async () => undefined };
  }),
};

function theirs(adapter: FacebookAdapter, d: Signed): Promise<void> {
  return adapter.processActivity({ headers: { 'x-hub-signature': d.sha1 }, rawBody: d.raw, body: JSON.parse(d.raw) } as never, response() as never, countTurn);
}
