import { request, type Dispatcher } from 'undici';
import { createSignedRequest } from '../deletion/signedRequest.js';
import { parseJson } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';

/** Meta's two app callbacks: a person (here: the business account) deleted their data, or removed the app. */
export type AppCallbackKind = 'deletion' | 'deauthorize';

export interface AppCallbackOptions {
  /** The app-scoped id the signed request names. Default: the business account id (Instagram Login's rule). */
  userId?: string | undefined;
}

export interface AppCallbackReply {
  status: number;
  /** The bot's answer, parsed when it is JSON (a deletion callback answers `{ url, confirmation_code }`). */
  body: unknown;
}

/**
 * POSTs a callback as Meta does: a form-encoded `signed_request` signed with the app secret,
 * whose payload names the user (`user_id`), the algorithm and the time (`issued_at`, seconds).
 */
export async function sendAppCallback(
  kind: AppCallbackKind,
  url: string,
  { appSecret, businessId, nowMs, dispatcher }: { appSecret: string; businessId: string; nowMs: number; dispatcher: Dispatcher | undefined },
  { userId = businessId }: AppCallbackOptions = {},
): Promise<AppCallbackReply> {
  if (!/^https?:\/\//i.test(url)) throw new TypeError(`The ${kind} callback URL must be an http(s) URL`);
  if (!isIgsid(userId)) throw new TypeError('The callback userId must be digits only');
  const signedRequest = createSignedRequest({ algorithm: 'HMAC-SHA256', user_id: userId, issued_at: Math.floor(nowMs / 1000) }, appSecret);
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'facebookexternalua' },
    body: new URLSearchParams({ signed_request: signedRequest }).toString(),
    dispatcher,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: parseJson(text) ?? text };
}
