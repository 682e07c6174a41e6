import type { Dispatcher } from 'undici';
import { GraphApiError, GraphRequestError, RateLimitError } from '../errors.js';
import { isRecord, nonEmptyString } from '../internal/json.js';
import { apiVersionOption, dispatcherOption, functionOption, optionalInteger, optionalString, requiredAccessToken } from '../internal/validate.js';
import { parseBusinessUseCaseUsage, regainAccessMs } from '../platform/usage.js';
import { LATEST_API_VERSION } from '../platform/versions.js';
import type { AccessTokenProvider } from '../types.js';
import { graphUrlOption } from './options.js';
import { type AttemptFailure, GraphTransport, type RetryPolicy } from './transport.js';

/** A Send API request body: a message or a sender action for one recipient. */
export interface SendApiBody {
  recipient: { id: string };
  message?: Record<string, unknown>;
  sender_action?: 'typing_on' | 'typing_off' | 'mark_seen';
}

export interface SendApiReply {
  recipientId: string | undefined;
  messageId: string | undefined;
}

export interface SendApiClientOptions {
  /** Page (or Instagram user) access token, or a function of the business account id (and an abort signal) returning one. Required. */
  accessToken: AccessTokenProvider | undefined;
  /** When set, every call carries `appsecret_proof` and `appsecret_time`. */
  appSecret?: string | undefined;
  /** Graph API version. Default `LATEST_API_VERSION` (v26.0). */
  apiVersion?: string | undefined;
  /** `https://graph.facebook.com` (Facebook Login), `https://graph.instagram.com` (Instagram Login) or the emulator's URL. Default: the host of a string token (graph.instagram.com for `IG…` tokens), else graph.facebook.com. */
  graphUrl?: string | undefined;
  /** The undici Dispatcher to send through (a MockAgent in tests). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher | undefined;
  /** Deadline of one send, the token, retries and waits included, in ms. Default 10 000. */
  sendTimeoutMs?: number | undefined;
  /** Retries of a transient failure, within the deadline. Default 3. */
  sendRetries?: number | undefined;
  /** First retry delay bound in ms; doubles per retry, full jitter. Default 250. */
  sendRetryDelayMs?: number | undefined;
  /** Cap of one retry delay in ms. Default 2 000. */
  sendMaxRetryDelayMs?: number | undefined;
  /** Clock in ms since the epoch (for `appsecret_time`). Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Source of randomness in [0, 1) for retry jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** Largest Send API reply read; Meta's replies are two ids, or an error envelope. */
const MAX_REPLY_BYTES = 65_536;

/**
 * Posts to `/<version>/me/messages` with the token of the business the conversation
 * belongs to, through the one Graph transport. Failures reject with the typed errors; no
 * secret ever appears in them.
 *
 * Transient failures are sent again within `sendTimeoutMs`, with full-jitter exponential
 * backoff: Meta's transient codes (1200 "temporary send failure", 1, 2, any
 * `is_transient`), HTTP 5xx (except code 230), throttling (after the wait Meta asks for,
 * only when it fits in the deadline) and connection errors before any reply arrived.
 * Permanent errors (100, 10, 190, 551, 2018xxx, any other 4xx) never are.
 *
 * The one risk: when Meta accepted a message but its reply was lost (a 5xx from a proxy
 * after Meta took it, a connection that broke before the status line came back), the
 * retry sends the message a second time, and the customer sees it twice. The Send API has
 * no idempotency key to prevent it.
 */
export class SendApiClient {
  readonly #transport: GraphTransport;
  readonly #timeout: number;
  readonly #retry: RetryPolicy;

  constructor(options: SendApiClientOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('SendApiClient needs an options object');
    this.#transport = new GraphTransport({
      accessToken: requiredAccessToken<AccessTokenProvider>(options.accessToken),
      appSecret: optionalString('appSecret', options.appSecret),
      apiVersion: apiVersionOption(options.apiVersion, LATEST_API_VERSION),
      graphUrl: graphUrlOption(options.graphUrl, options.accessToken),
      dispatcher: dispatcherOption<Dispatcher>(options.dispatcher),
      now: functionOption('now', options.now, Date.now),
      maxResponseBytes: MAX_REPLY_BYTES,
      name: 'Send API',
    });
    this.#timeout = optionalInteger('sendTimeoutMs', options.sendTimeoutMs, 10_000, 1, 600_000);
    this.#retry = {
      retries: optionalInteger('sendRetries', options.sendRetries, 3, 0, 10),
      retryDelay: optionalInteger('sendRetryDelayMs', options.sendRetryDelayMs, 250, 0, 60_000),
      maxRetryDelay: optionalInteger('sendMaxRetryDelayMs', options.sendMaxRetryDelayMs, 2_000, 0, 600_000),
      random: functionOption('random', options.random, Math.random),
      waitBefore: sendRetryWait,
    };
  }

  send(businessId: string | undefined, body: SendApiBody): Promise<SendApiReply> {
    return this.#transport.call<SendApiReply>({
      method: 'POST',
      path: 'me/messages',
      body: JSON.stringify(body),
      businessId,
      timeout: this.#timeout,
      retry: this.#retry,
      subject: `${body.sender_action ?? 'message'} to ${body.recipient.id}`,
      read: sendReply,
      rateLimitWait: (_graphCode, headers) => regainAccessMs(parseBusinessUseCaseUsage(headers['x-business-use-case-usage']), businessId),
    });
  }
}

/** How long to wait before sending again after `failure`, or undefined when it must not be sent again. */
function sendRetryWait({ error, responded }: AttemptFailure, backoff: () => number): number | undefined {
  // Meta's estimate when it gave one; without one, a short backoff (per-second send limits lift fast).
  if (error instanceof RateLimitError) return error.retryAfterMs > 0 ? error.retryAfterMs : backoff();
  if (error instanceof GraphApiError) return error.isTransient ? backoff() : undefined;
  if (!(error instanceof GraphRequestError)) return undefined;
  // A connection lost once the reply began may have carried a sent message: not again.
  if (error.code === 'GRAPH_NETWORK_ERROR') return responded ? undefined : backoff();
  // A 5xx without Graph's envelope (a proxy, a load balancer); a 2xx we cannot read was a send.
  if (error.code === 'GRAPH_BAD_RESPONSE') return error.isTransient ? backoff() : undefined;
  return undefined;
}

function sendReply(json: unknown): SendApiReply | string {
  if (!isRecord(json)) return 'not a JSON object';
  // Meta always names the recipient; an error body or a missing recipient under 200 is not a send.
  if (json.error !== undefined || typeof json.recipient_id !== 'string') return 'no recipient_id in a successful reply';
  return { recipientId: json.recipient_id, messageId: nonEmptyString(json.message_id) };
}
