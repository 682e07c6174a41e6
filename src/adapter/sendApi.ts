import createDebug from 'debug';
import { request } from 'undici';
import { GraphRequestError, InstagramProfileError } from '../errors.js';
import { tokenFor } from '../graph/accessToken.js';
import { deadlineController } from '../internal/abort.js';
import { createRedactor, redactError, type Redact } from '../internal/redact.js';
import { parseJson, readBodyText } from '../graph/readBody.js';
import { graphErrorFrom, readErrorEnvelope } from '../platform/graphErrors.js';
import { appSecretProof } from '../platform/signatures.js';
import { parseBusinessUseCaseUsage } from '../platform/usage.js';
import type { ResolvedWebhookOptions as ResolvedAdapterOptions } from '../webhook/options.js';

const log = createDebug('instagram-profile:adapter:send');
const MAX_REPLY_BYTES = 65_536;

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

type SendOptions = Pick<ResolvedAdapterOptions, 'accessToken' | 'appSecret' | 'apiVersion' | 'graphUrl' | 'dispatcher' | 'sendTimeoutMs' | 'now'>;

/**
 * Posts to `/<version>/me/messages` with the token of the business the conversation
 * belongs to. Failures reject with the core's typed errors; no secret ever appears in them.
 */
export class SendApiClient {
  readonly #options: SendOptions;

  constructor(options: SendOptions) {
    this.#options = options;
  }

  async send(businessId: string | undefined, body: SendApiBody): Promise<SendApiReply> {
    const token = await tokenFor(this.#options.accessToken, businessId);
    const redact = createRedactor([token, this.#options.appSecret]);
    const deadline = deadlineController(this.#options.sendTimeoutMs);
    try {
      log('POST /%s/me/messages to %s (%s)', this.#options.apiVersion, body.recipient.id, body.sender_action ?? 'message');
      const response = await request(this.#url(token), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: deadline.signal,
        dispatcher: this.#options.dispatcher,
      });
      const text = await readBodyText(response.body, MAX_REPLY_BYTES);
      return this.#reply(response.statusCode, response.headers, text, businessId, redact);
    } catch (error) {
      if (error instanceof InstagramProfileError) throw error;
      if (deadline.timedOut) throw new GraphRequestError(`The Send API did not answer within ${this.#options.sendTimeoutMs} ms`, 'GRAPH_TIMEOUT');
      const cause = redactError(error, redact);
      throw new GraphRequestError(`The Send API call failed (${cause instanceof Error ? cause.message : 'network error'})`, 'GRAPH_NETWORK_ERROR', { cause });
    } finally {
      deadline.dispose();
    }
  }

  #reply(status: number, headers: Record<string, unknown>, text: string | undefined, businessId: string | undefined, redact: Redact): SendApiReply {
    const json = text === undefined ? undefined : parseJson(text);
    if (status >= 200 && status < 300) {
      if (json === null || typeof json !== 'object') throw new GraphRequestError('Unexpected Send API reply: not a JSON object', 'GRAPH_BAD_RESPONSE', { status });
      const reply = json as { recipient_id?: unknown; message_id?: unknown; error?: unknown };
      // Meta always names the recipient; an error body or a missing recipient under 200 is not a send.
      if (reply.error !== undefined || typeof reply.recipient_id !== 'string') {
        throw new GraphRequestError('Unexpected Send API reply: no recipient_id in a successful reply', 'GRAPH_BAD_RESPONSE', { status });
      }
      return { recipientId: reply.recipient_id, messageId: stringOr(reply.message_id) };
    }
    const envelope = readErrorEnvelope(json);
    if (!envelope) throw new GraphRequestError(`Unexpected Send API reply: HTTP ${status} without a Graph error body`, 'GRAPH_BAD_RESPONSE', { status });
    const error = graphErrorFrom(status, envelope, { redact, retryAfterMs: regainAccessMs(headers, businessId) });
    log('Send API error: %s %s (HTTP %d, fbtrace %s)', error.name, error.graphCode, status, error.fbtraceId ?? '-');
    throw error;
  }

  #url(token: string): string {
    const { graphUrl, apiVersion, appSecret, now } = this.#options;
    const time = Math.floor(now() / 1000);
    const query = new URLSearchParams({
      access_token: token,
      appsecret_proof: appSecretProof(token, appSecret, time),
      appsecret_time: String(time),
    });
    return `${graphUrl}/${apiVersion}/me/messages?${query}`;
  }
}

/** Meta's estimate (in minutes) of when a throttled business may send again, in ms. */
function regainAccessMs(headers: Record<string, unknown>, businessId: string | undefined): number {
  const usages = parseBusinessUseCaseUsage(headers['x-business-use-case-usage']);
  const minutes = Math.max(0, ...usages.filter((u) => businessId === undefined || u.businessId === businessId).map((u) => u.estimatedTimeToRegainAccessMinutes));
  return minutes * 60_000;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
