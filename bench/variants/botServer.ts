// What the end-to-end variants share: a bot's HTTP server on loopback, the platform server's
// driver and report, and a count of replies the bot has finished sending.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request } from 'undici';
import type { DriveReport, DriveRequest } from '../platform/driver.js';

export const APP_SECRET = 'bench-app-secret';
export const ACCESS_TOKEN = 'bench-token';
export const BUSINESS = '17841400000000001';

/** Starts the bot's webhook endpoint on loopback; returns its URL. */
export function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<string> {
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve(`http://127.0.0.1:${address.port}/webhook`);
    });
  });
}

/** Replies the bot has sent (the Send API answered), and a way to wait for a number of them. */
export class Replies {
  #count = 0;
  #waiting: { target: number; resolve: () => void } | undefined;

  sent(): void {
    this.#count++;
    if (this.#waiting && this.#count >= this.#waiting.target) this.#waiting.resolve();
  }

  /** Resolves once `total` replies have been sent since the start. */
  until(total: number): Promise<void> {
    if (this.#count >= total) return Promise.resolve();
    return new Promise((resolve) => (this.#waiting = { target: total, resolve }));
  }

  get count(): number {
    return this.#count;
  }
}

export interface PlatformReport {
  graphCalls: number;
  sends: number;
  replies: number;
  p50Ms?: number;
  p99Ms?: number;
}

/** Asks the platform server to post signed webhooks to the bot; resolves when every delivery was answered. */
export async function drive(platform: string, body: DriveRequest): Promise<DriveReport> {
  const res = await request(`${platform}/__drive`, { method: 'POST', body: JSON.stringify(body), headersTimeout: 0, bodyTimeout: 0 });
  const report = (await res.body.json()) as DriveReport;
  if (report.refused > 0) throw new Error(`the bot refused ${report.refused} of ${report.posted} deliveries`);
  return report;
}

/** What the platform server saw since the last drive started: Graph calls, sends, reply latencies. */
export async function platformReport(platform: string): Promise<PlatformReport> {
  const res = await request(`${platform}/__report`);
  return (await res.body.json()) as PlatformReport;
}

/** Reads a request body whole (what Express' body parser does before Botkit's adapter runs). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
