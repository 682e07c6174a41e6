// A loopback stand-in for the Instagram Platform, in its own process so that a variant's
// CPU figures count the bot only: it answers profile reads and Send API calls (after an
// optional fixed latency), counts them, and drives a bot with signed webhooks (`POST /__drive`),
// timing each new customer's first reply (`GET /__report`).
// Run: `node --import tsx bench/platform/server.ts [latencyMs]`; prints `{ "url": … }` on one line.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { profileReply } from './profiles.js';
import { drive, type DriveRequest } from './driver.js';
import { LatencyLog } from './latencyLog.js';

const latencyMs = Number(process.argv[2] ?? 0);
const counts = { profile: 0, send: 0 };
const latencies = new LatencyLog();

const later = (fn: () => void) => (latencyMs > 0 ? setTimeout(fn, latencyMs) : setImmediate(fn));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/__drive') {
    const request = JSON.parse(await readBody(req)) as DriveRequest;
    counts.profile = 0;
    counts.send = 0;
    latencies.reset();
    json(res, 200, await drive(request, latencies));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/__report') {
    json(res, 200, { graphCalls: counts.profile, sends: counts.send, ...latencies.report() });
    return;
  }
  if (req.method === 'POST' && /^\/v[\d.]+\/me\/messages$/.test(url.pathname)) {
    const body = JSON.parse(await readBody(req)) as { recipient?: { id?: string } };
    counts.send++;
    const recipient = body.recipient?.id ?? '';
    later(() => {
      json(res, 200, { recipient_id: recipient, message_id: `m_${counts.send}` });
      latencies.replied(recipient);
    });
    return;
  }
  const profile = /^\/v[\d.]+\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && profile) {
    counts.profile++;
    later(() => json(res, 200, profileReply(profile[1]!)));
    return;
  }
  json(res, 404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`platform server: ${String(error)}\n`);
    if (!res.headersSent) json(res, 500, { error: { message: 'bench server failed', code: 1 } });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
