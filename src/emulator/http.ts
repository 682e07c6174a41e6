import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBounded } from '../internal/readBounded.js';

/**
 * A request body up to `maxBytes`, through the package's one bounded reader; undefined when
 * it is larger (the rest is drained, so the connection can answer and carry on).
 */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const read = await readBounded(req, { maxBytes });
  if (read.ok) return read.bytes;
  req.resume();
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
