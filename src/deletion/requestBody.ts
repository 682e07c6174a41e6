import { isRecord, parseJson } from '../internal/json.js';
import { readBounded, type ReadableLike } from '../internal/readBounded.js';
import { headerOf, type WebhookRequest } from '../webhook/http.js';

/** Largest callback body read, in bytes: a form-encoded signed_request of the longest accepted length fits. */
export const MAX_CALLBACK_BODY_BYTES = 16_384;
/** Time allowed for the body to arrive, in ms. */
export const CALLBACK_BODY_TIMEOUT_MS = 10_000;

export type SignedRequestField = { ok: true; value: unknown } | { ok: false; status: 400 | 408 | 413; reason: string };

/**
 * The `signed_request` of a callback. Meta posts it form-encoded; a JSON body is accepted
 * too, and so is whatever a body parser left in `req.body` (an object, a string or a
 * Buffer). Unlike a webhook, nothing here needs the raw bytes: the signature is inside.
 */
export async function signedRequestField(req: WebhookRequest): Promise<SignedRequestField> {
  const { body } = req;
  const kept = keptText(body);
  if (kept !== undefined) return fieldOf(kept);
  if (isRecord(body) && body.signed_request !== undefined) return found(body.signed_request);
  // Express 4's parsers leave `{}` and the stream unread when the content type is not theirs.
  if (req.readableEnded === true || typeof req.on !== 'function') return found(undefined);

  const declared = Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > MAX_CALLBACK_BODY_BYTES) return tooLarge();
  const read = await readBounded(req as ReadableLike, { maxBytes: MAX_CALLBACK_BODY_BYTES, timeoutMs: CALLBACK_BODY_TIMEOUT_MS });
  if (read.ok) return fieldOf(read.bytes.toString('utf8'));
  // Let the rest of a refused body drain instead of stalling the socket.
  req.resume?.();
  if (read.reason === 'too-large') return tooLarge();
  return { ok: false, status: 408, reason: 'the body did not arrive' };
}

/** A JSON object's `signed_request`, else the form field's. */
function fieldOf(text: string): SignedRequestField {
  if (text.length > MAX_CALLBACK_BODY_BYTES) return tooLarge();
  if (text.trimStart().startsWith('{')) {
    const parsed = parseJson(text);
    return isRecord(parsed) ? found(parsed.signed_request) : { ok: false, status: 400, reason: 'the body is not valid JSON' };
  }
  return found(new URLSearchParams(text).get('signed_request') ?? undefined);
}

function found(value: unknown): SignedRequestField {
  return value === undefined || value === null || value === '' ? { ok: false, status: 400, reason: 'the body has no signed_request' } : { ok: true, value };
}

function keptText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return undefined;
}

function tooLarge(): SignedRequestField {
  return { ok: false, status: 413, reason: `the body exceeds ${MAX_CALLBACK_BODY_BYTES} bytes` };
}
