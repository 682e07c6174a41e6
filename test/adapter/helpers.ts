import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { webhookSignature } from '../../src/platform/signatures.js';

export const APP_SECRET = 'test-app-secret-1234';
export const VERIFY_TOKEN = 'test-verify-token';
export const ACCESS_TOKEN = 'TEST_PAGE_ACCESS_TOKEN_abcdef';
export const BUSINESS = '17841400000000001';
export const CUSTOMER = '1234567890123456';
export const OTHER_CUSTOMER = '6543210987654321';

let mids = 0;
export const nextMid = () => `aWdfZAG1faXRlbTox${++mids}`;

/** A messaging item as Meta sends it. */
export function messaging(sender: string, extra: Record<string, unknown>, recipient = BUSINESS, timestamp = Date.now()) {
  return { sender: { id: sender }, recipient: { id: recipient }, timestamp, ...extra };
}

export function textItem(sender: string, text: string, mid = nextMid()) {
  return messaging(sender, { message: { mid, text } });
}

export function delivery(items: unknown[], extra: Record<string, unknown> = {}) {
  return { object: 'instagram', entry: [{ id: BUSINESS, time: Date.now(), messaging: items, ...extra }] };
}

/** Starts a Node http server on a free loopback port. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** POSTs a body signed like Meta does (or with the given signature header). */
export async function post(url: string, body: unknown, options: { signature?: string | null; secret?: string; contentType?: string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature === undefined ? webhookSignature(raw, options.secret ?? APP_SECRET) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const response = await request(url, { method: 'POST', headers, body: raw });
  return { status: response.statusCode, text: await response.body.text() };
}

export async function get(url: string) {
  const response = await request(url, { method: 'GET' });
  return { status: response.statusCode, text: await response.body.text() };
}

/** A promise with its resolve function, to hold a turn open until the test lets it go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
