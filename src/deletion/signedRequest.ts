import { createHmac, timingSafeEqual } from 'node:crypto';
import { InstagramProfileError } from '../errors.js';
import { isRecord, parseJson } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';

/**
 * Meta's `signed_request`, sent to the data-deletion and deauthorize callbacks:
 * `<base64url HMAC-SHA256 of the payload part>.<base64url JSON payload>`, keyed by the app
 * secret (with Instagram Login, the *Instagram* app secret).
 */

/** Longest `signed_request` accepted, in characters: Meta's are a few hundred. */
export const MAX_SIGNED_REQUEST_LENGTH = 8_192;

export type SignedRequestErrorCode =
  | 'SIGNED_REQUEST_INVALID'
  | 'SIGNED_REQUEST_TOO_LARGE'
  | 'SIGNED_REQUEST_BAD_SIGNATURE'
  | 'SIGNED_REQUEST_UNSUPPORTED_ALGORITHM';

/** A `signed_request` that cannot be trusted. The message is a short reason, safe to answer with: it never holds the value or the secret. */
export class SignedRequestError extends InstagramProfileError {
  override name = 'SignedRequestError';
  declare readonly code: SignedRequestErrorCode;

  constructor(message: string, code: SignedRequestErrorCode) {
    super(message, code);
  }
}

export interface SignedRequestPayload {
  /** The app-scoped id of the app user (with Instagram Login: the professional account id). Digits only. */
  userId: string;
  /** When Meta signed it, in Unix seconds, as Meta sends it; undefined when absent. */
  issuedAt: number | undefined;
  /** `HMAC-SHA256`, in whatever case Meta wrote it. */
  algorithm: string;
  /** The whole decoded payload (Meta may add fields). */
  raw: Readonly<Record<string, unknown>>;
}

export type SignedRequestResult = { ok: true; payload: SignedRequestPayload } | { ok: false; error: SignedRequestError };

// Meta's signature part sometimes keeps its `=` padding; Node's decoder would skip any stray character, so the alphabet is checked first.
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const SHA256_BYTES = 32;

/**
 * Verifies a `signed_request` in constant time and decodes it. The signature is checked
 * before the payload is read, so a forged request is refused whatever it claims. Never throws.
 */
export function parseSignedRequest(value: unknown, appSecret: string): SignedRequestResult {
  if (typeof value !== 'string' || value.length === 0) return refuse('the signed_request is missing', 'SIGNED_REQUEST_INVALID');
  if (value.length > MAX_SIGNED_REQUEST_LENGTH) return refuse(`the signed_request exceeds ${MAX_SIGNED_REQUEST_LENGTH} characters`, 'SIGNED_REQUEST_TOO_LARGE');
  const parts = value.split('.');
  if (parts.length !== 2 || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[1]!)) {
    return refuse('the signed_request is not <signature>.<payload> in base64url', 'SIGNED_REQUEST_INVALID');
  }
  const [signaturePart, payloadPart] = parts as [string, string];
  if (!signatureMatches(signaturePart, payloadPart, appSecret)) return refuse('the signature does not match the app secret', 'SIGNED_REQUEST_BAD_SIGNATURE');

  const raw = parseJson(Buffer.from(payloadPart, 'base64url'));
  if (!isRecord(raw)) return refuse('the payload is not a JSON object', 'SIGNED_REQUEST_INVALID');
  const algorithm = typeof raw.algorithm === 'string' ? raw.algorithm : '';
  if (algorithm.toUpperCase() !== 'HMAC-SHA256') return refuse('the algorithm is not HMAC-SHA256', 'SIGNED_REQUEST_UNSUPPORTED_ALGORITHM');
  const userId = idOf(raw.user_id);
  if (userId === undefined) return refuse('the payload has no valid user_id', 'SIGNED_REQUEST_INVALID');
  const issuedAt = typeof raw.issued_at === 'number' && Number.isFinite(raw.issued_at) ? raw.issued_at : undefined;
  return { ok: true, payload: { userId, issuedAt, algorithm, raw } };
}

/** A `signed_request` as Meta makes it, for tests and the emulator: padding-free base64url on both parts. */
export function createSignedRequest(payload: Record<string, unknown>, appSecret: string): string {
  const payloadPart = Buffer.from(JSON.stringify({ algorithm: 'HMAC-SHA256', ...payload }), 'utf8').toString('base64url');
  const signaturePart = createHmac('sha256', appSecret).update(payloadPart).digest('base64url');
  return `${signaturePart}.${payloadPart}`;
}

/** HMAC of the payload part exactly as sent (Meta signs the encoded text, not the JSON). */
function signatureMatches(signaturePart: string, payloadPart: string, appSecret: string): boolean {
  const received = Buffer.from(signaturePart, 'base64url');
  // timingSafeEqual throws on buffers of different lengths, and comparing lengths reveals nothing secret.
  if (received.length !== SHA256_BYTES) return false;
  const expected = createHmac('sha256', appSecret).update(payloadPart).digest();
  return timingSafeEqual(expected, received);
}

/** Meta sends `user_id` as a numeric string; an integer is accepted too. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  return isIgsid(value) ? value : undefined;
}

function refuse(message: string, code: SignedRequestErrorCode): SignedRequestResult {
  return { ok: false, error: new SignedRequestError(message, code) };
}
