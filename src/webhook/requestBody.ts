import { readBounded, type ReadableLike } from '../internal/readBounded.js';
import { headerOf, type WebhookRequest } from './http.js';

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 401 | 408 | 413; reason: string };

/**
 * The raw bytes of a webhook body, which the signature covers. Body parsers that ran
 * earlier may have kept them (`req.rawBody`, Botkit and Restify as a string) or left a
 * Buffer/string `req.body`; otherwise the stream is read here. A parsed object alone
 * cannot be verified (re-serialised JSON differs from what Meta signed), hence 401.
 */
export async function readRawBody(req: WebhookRequest, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  const kept = keptBytes(req.rawBody) ?? keptBytes(req.body);
  if (kept) return kept.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: kept };

  const declared = Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);

  if (req.body !== undefined || req.readableEnded === true || typeof req.on !== 'function') {
    return {
      ok: false,
      status: 401,
      reason: 'the raw body is gone (a body parser consumed it): mount the adapter before body parsers, or keep req.rawBody',
    };
  }
  const read = await readBounded(req as ReadableLike, { maxBytes, timeoutMs });
  if (read.ok) return read;
  // Let the rest of a refused body drain instead of stalling the socket.
  req.resume?.();
  if (read.reason === 'too-large') return tooLarge(maxBytes);
  if (read.reason === 'timeout') return { ok: false, status: 408, reason: `the body did not arrive within ${timeoutMs} ms` };
  return { ok: false, status: 408, reason: 'the request stream failed before the body was complete' };
}

function keptBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // Meta escapes non-ASCII as \uXXXX, so a decoded string re-encodes to the signed bytes.
  if (typeof value === 'string' && value.length > 0) return Buffer.from(value, 'utf8');
  return undefined;
}

function tooLarge(maxBytes: number): BodyResult {
  return { ok: false, status: 413, reason: `the body exceeds ${maxBytes} bytes` };
}
