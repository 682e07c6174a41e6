import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { CallbackHandler } from '../../src/deletion/index.js';

export const APP_SECRET = 'deletion-test-app-secret';
export const USER = '17841400000000001';
export const OTHER_USER = '17841400000000002';
export const STATUS_URL = 'https://bot.example.com/instagram/deletion-status';

/** A `forgetBusiness` purger that records the ids it was given and can be told to fail for some. */
export function recordingPurger(options: { failFor?: readonly string[]; result?: unknown } = {}) {
  const purged: string[] = [];
  return {
    purged,
    async forgetBusiness(businessId: string): Promise<unknown> {
      if (options.failFor?.includes(businessId)) throw new Error(`store down for ${businessId}`);
      purged.push(businessId);
      return options.result ?? { removed: 1, complete: true };
    },
  };
}

export interface Started {
  url: string;
  close(): Promise<void>;
}

/** A Node http server on a free loopback port. */
export async function serveNode(handler: CallbackHandler): Promise<Started> {
  return started(createServer((req, res) => void handler(req, res)));
}

/** An Express app on a free loopback port, with the given body parsers before the route. */
export async function serveExpress(routes: Record<string, CallbackHandler>, ...parsers: express.RequestHandler[]): Promise<Started> {
  const app = express();
  for (const parser of parsers) app.use(parser);
  for (const [path, handler] of Object.entries(routes)) app.all(path, handler);
  return started(createServer(app));
}

async function started(server: Server): Promise<Started> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function postForm(url: string, fields: Record<string, string>) {
  return send(url, 'POST', new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
}

export async function send(url: string, method: string, body?: string, contentType?: string) {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const response = await request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
}
