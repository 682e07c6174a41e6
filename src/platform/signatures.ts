import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `appsecret_proof` = hex HMAC-SHA256 of `access_token|appsecret_time`, keyed by the app
 * secret. `appsecret_time` is the integer Unix time; Meta rejects proofs older than 5 minutes.
 */
export function appSecretProof(accessToken: string, appSecret: string, appSecretTime: number): string {
  return createHmac('sha256', appSecret).update(`${accessToken}|${appSecretTime}`).digest('hex');
}

/** The value of `X-Hub-Signature-256` Meta sends with a webhook body: `sha256=<hex>`. */
export function webhookSignature(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

const SIGNATURE_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256` against the raw body bytes in constant time. Any header that
 * is not exactly `sha256=` and 64 hex digits is refused without comparing.
 */
export function verifyWebhookSignature(rawBody: Uint8Array, header: unknown, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE_PATTERN.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const received = Buffer.from(match[1]!, 'hex');
  return timingSafeEqual(expected, received);
}
