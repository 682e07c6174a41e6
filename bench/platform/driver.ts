import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import { igsidOf } from './profiles.js';
import type { LatencyLog } from './latencyLog.js';

export interface DriveRequest {
  /** The bot's webhook URL. */
  url: string;
  appSecret: string;
  businessId: string;
  events: number;
  /** Senders: a pool of `pool` customers taken in turn, or a new customer for every event. */
  senders: { pool: number } | 'new';
  /** Deliveries in flight at once, or deliveries started per second. */
  pace: { concurrency: number } | { perSecond: number };
}

export interface DriveReport {
  posted: number;
  /** Deliveries the bot did not answer 200. */
  refused: number;
  seconds: number;
}

const agent = new Agent({ connections: 128, keepAliveTimeout: 60_000 });
let serial = 0;
let newCustomers = 1_000_000;

function signed(igsid: string, businessId: string, appSecret: string) {
  const time = Date.now();
  const mid = `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${++serial}`;
  const raw = JSON.stringify({ object: 'instagram', entry: [{ time, id: businessId, messaging: [{ sender: { id: igsid }, recipient: { id: businessId }, timestamp: time, message: { mid, text: `hello number ${serial}` } }] }] });
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`,
      // Botkit's Facebook adapter checks the older SHA-1 header.
      'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(raw).digest('hex')}`,
    },
  };
}

/** Posts `events` signed deliveries of one message each to the bot, at the requested pace. */
export async function drive(req: DriveRequest, latencies: LatencyLog): Promise<DriveReport> {
  const started = performance.now();
  let refused = 0;
  const post = async (i: number) => {
    const igsid = req.senders === 'new' ? igsidOf(newCustomers++) : igsidOf(i % req.senders.pool);
    const { raw, headers } = signed(igsid, req.businessId, req.appSecret);
    latencies.posted(igsid);
    const res = await request(req.url, { method: 'POST', body: raw, headers, dispatcher: agent });
    await res.body.dump();
    if (res.statusCode !== 200) refused++;
  };
  if ('concurrency' in req.pace) {
    let next = 0;
    const worker = async () => {
      while (next < req.events) await post(next++);
    };
    await Promise.all(Array.from({ length: req.pace.concurrency }, worker));
  } else {
    const interval = 1_000 / req.pace.perSecond;
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < req.events; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(post(i));
    }
    await Promise.all(inFlight);
  }
  return { posted: req.events, refused, seconds: (performance.now() - started) / 1_000 };
}
