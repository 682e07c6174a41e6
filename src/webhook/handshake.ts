import { createHash, timingSafeEqual } from 'node:crypto';
import { queryOf, respond, type WebhookRequest, type WebhookResponse } from './http.js';

const MAX_CHALLENGE_LENGTH = 1_024;

/**
 * Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * → 200 with the bare challenge when the token matches, else 403. Returns whether it passed.
 */
export function answerHandshake(req: WebhookRequest, res: WebhookResponse, verifyToken: string): boolean {
  const query = queryOf(req);
  const challenge = query.get('hub.challenge');
  const ok =
    query.get('hub.mode') === 'subscribe' &&
    sameSecret(query.get('hub.verify_token'), verifyToken) &&
    challenge !== null &&
    challenge.length > 0 &&
    challenge.length <= MAX_CHALLENGE_LENGTH;
  if (ok) respond(res, 200, challenge);
  else respond(res, 403, 'verification failed');
  return ok;
}

/** Constant-time comparison, also for inputs of different lengths (hashes have one length). */
function sameSecret(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}
