import { FacebookAdapter } from 'botbuilder-adapter-facebook';
import { createHmac } from 'node:crypto';
import { InstagramAdapter } from 'botbuilder-instagram-profile/adapter';
import { cpuMicros, interleave, type Figure, type Mode } from './lib.js';

const SECRET = 'bench-app-secret';
const BUSINESS = '17841400000000001';

interface Signed {
  raw: string;
  sha256: string;
  sha1: string;
}

let serial = 0;
/** A signed delivery of `size` text messages, each with a new mid (so deduplication drops nothing). */
function delivery(size: number): Signed {
  // Current timestamps: the adapter runs no turn for events older than its de-duplication window.
  const time = Date.now();
  const messaging = Array.from({ length: size }, (_, i) => ({
    sender: { id: String(6_938_000_000_000_000 + (i % 50)) },
    recipient: { id: BUSINESS },
    timestamp: time,
    message: { mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${++serial}`, text: `hello number ${serial}` },
  }));
  const raw = JSON.stringify({ object: 'instagram', entry: [{ time, id: BUSINESS, messaging }] });
  return { raw, sha256: `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`, sha1: `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}` };
}

let turnsRun = 0;
/** The bot: does nothing but count, so a bench that silently drops events cannot look fast. */
const noop = async () => void turnsRun++;

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

/** 6. Webhook events per CPU-second for signed batches of 1, 10, 50, vs Botkit's Facebook adapter. */
export async function webhook(mode: Mode): Promise<Figure[]> {
  const eventsPerRound = mode === 'full' ? 20_000 : mode === 'quick' ? 4_000 : 500;
  const rounds = mode === 'full' ? 5 : 3;
  const ours = new InstagramAdapter({ appSecret: SECRET, verifyToken: 'v', accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  const theirs = new FacebookAdapter({ app_secret: SECRET, verify_token: 'v', access_token: 'bench-token' });
  const figures: Figure[] = [];
  for (const size of [1, 10, 50]) {
    const count = Math.max(1, Math.floor(eventsPerRound / size));
    const make = () => Array.from({ length: count }, () => delivery(size));
    const oursRun = async () => {
      const batch = make();
      const micros = await cpuMicros(async () => {
        for (const d of batch) {
          await ours.process({ method: 'POST', url: '/api/instagram', headers: { 'x-hub-signature-256': d.sha256, 'content-type': 'application/json' }, rawBody: Buffer.from(d.raw) }, response(), noop);
        }
        await ours.drain();
      });
      return (count * size) / (micros / 1e6);
    };
    const theirsRun = async () => {
      const batch = make();
      const micros = await cpuMicros(async () => {
        // Botkit's web server parses the JSON before the adapter runs: that parse is part of its cost.
        for (const d of batch) await theirs.processActivity({ headers: { 'x-hub-signature': d.sha1 }, rawBody: d.raw, body: JSON.parse(d.raw) } as never, response() as never, noop);
      });
      return (count * size) / (micros / 1e6);
    };
    turnsRun = 0;
    await oursRun();
    if (turnsRun !== count * size) throw new Error(`InstagramAdapter ran ${turnsRun} of ${count * size} turns`);
    turnsRun = 0;
    await theirsRun();
    if (turnsRun !== count * size) throw new Error(`the Facebook adapter ran ${turnsRun} of ${count * size} turns`);
    const rate = await interleave(rounds, { ours: oursRun, theirs: theirsRun });
    figures.push({
      id: `webhook-batch-${size}`,
      figure: `Webhook events per CPU-second, batches of ${size}`,
      unit: 'events/CPU-s',
      ours: rate.ours,
      baseline: rate.theirs,
      baselineName: "Botkit's botbuilder-adapter-facebook 1.0.12",
      ratio: rate.ours / rate.theirs,
      target: 'faster than that adapter',
      met: rate.ours > rate.theirs,
    });
  }
  return figures;
}
