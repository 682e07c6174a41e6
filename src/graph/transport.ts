import createDebug from 'debug';
import { Dispatcher, getGlobalDispatcher } from 'undici';
import { AccessTokenError, GraphRequestError, type InstagramProfileError } from '../errors.js';
import { Deadline, delay, untilAborted } from '../internal/abort.js';
import { parseJson } from '../internal/json.js';
import { readBounded } from '../internal/readBounded.js';
import { createRedactor, redactError, type Redact } from '../internal/redact.js';
import { graphErrorFrom, readErrorEnvelope, retryClassOf } from '../platform/graphErrors.js';
import { wrongHostHint } from '../platform/hosts.js';
import { appSecretProof } from '../platform/signatures.js';
import { warnAboutApiVersion } from '../platform/versions.js';
import { type GraphCallObservation, type GraphTarget, graphTarget, loadTelemetryApi, observeGraphCall } from '../telemetry/index.js';
import type { AccessTokenProvider } from '../types.js';
import { tokenFor } from './accessToken.js';

const log = createDebug('instagram-profile:graph');

/** Tokens a token function gave lately, kept to remove them from its later errors. */
const REMEMBERED_TOKENS = 8;

export interface GraphTransportOptions {
  accessToken: AccessTokenProvider;
  appSecret: string | undefined;
  apiVersion: string;
  graphUrl: string;
  dispatcher: Dispatcher | undefined;
  /** Wall clock in ms, for `appsecret_time`. */
  now: () => number;
  maxResponseBytes: number;
  /** What messages call this API: "Graph API", "Send API". */
  name: string;
}

export type HttpHeaders = Record<string, string | string[] | undefined>;

/** A failed attempt, and whether a reply had begun (after which a POST may have taken effect). */
export interface AttemptFailure {
  error: InstagramProfileError & { readonly isTransient?: boolean };
  responded: boolean;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff bound in ms; doubles per retry (full jitter), up to `maxRetryDelay`. */
  retryDelay: number;
  maxRetryDelay: number;
  random: () => number;
  /** The wait before trying again after `failure`, or undefined to give up. `backoff()` draws the jittered delay of this retry. */
  waitBefore(failure: AttemptFailure, backoff: () => number): number | undefined;
}

/** One Graph call: what to send, and how to read what comes back. */
export interface GraphCall<T extends object> {
  method: 'GET' | 'POST';
  /** After `/<version>/`: ids already checked, e.g. `1001` or `me/messages`. */
  path: string;
  /** More query parameters, already encoded (never a secret). */
  query?: string;
  /** A JSON body. */
  body?: string;
  businessId: string | undefined;
  /** Deadline of the whole call (token, attempts, waits), in ms. */
  timeout: number;
  signal?: AbortSignal | undefined;
  retry: RetryPolicy;
  /** For debug lines: what the call is about, e.g. `profile 1001`. */
  subject: string;
  /** The result of a 2xx reply (`json` undefined when it is not JSON), or why it is not what Graph sends. */
  read(json: unknown): T | string;
  /** Sees the headers of every reply (usage). */
  onHeaders?(headers: HttpHeaders): void;
  /** The wait, in ms, a rate-limit error carries; 0 when unknown. */
  rateLimitWait(graphCode: number | undefined, headers: HttpHeaders): number;
}

/**
 * The one signed, bounded, redacted Graph request: the token (under the call's deadline),
 * `appsecret_proof`, the request, a bounded body, Graph's error envelope and the typed
 * error, with retries as the caller's policy says. The token travels in the
 * `Authorization` header only, so nothing that logs URLs (proxies, APM, `NODE_DEBUG`) sees
 * it; Meta documents the header form for both hosts, e.g.
 * https://developers.facebook.com/docs/instagram-platform/private-replies
 * (`-H "Authorization: Bearer <ACCESS_TOKEN>"`). No error, cause or log line holds a secret.
 */
export class GraphTransport {
  readonly #options: GraphTransportOptions;
  /** `http(s)://host[:port]` and `[/prefix]/<version>/`: undici takes them apart, so no URL is parsed per call. */
  readonly #origin: string;
  readonly #pathPrefix: string;
  /** For a token string: every call has the same secrets. */
  readonly #staticRedact: Redact | undefined;
  readonly #recentTokens: string[] = [];
  #knownRedact: Redact;
  /** Host, port and version for spans and metrics (never the URL itself). */
  readonly #target: GraphTarget;

  constructor(options: GraphTransportOptions) {
    this.#options = options;
    const base = new URL(options.graphUrl);
    this.#origin = base.origin;
    this.#pathPrefix = `${base.pathname.replace(/\/+$/, '')}/${options.apiVersion}/`;
    const { accessToken, appSecret } = options;
    this.#staticRedact = typeof accessToken === 'string' ? createRedactor([accessToken, appSecret]) : undefined;
    this.#knownRedact = this.#staticRedact ?? createRedactor([appSecret]);
    warnAboutApiVersion(options.apiVersion, options.now());
    this.#target = graphTarget(options.graphUrl, options.apiVersion);
    // Started now, so that the first call is observed when an SDK is registered.
    void loadTelemetryApi();
  }

  /** Makes the call; a span and a duration record it when an OpenTelemetry SDK is registered (docs/telemetry.md). */
  call<T extends object>(call: GraphCall<T>): Promise<T> {
    const observation = observeGraphCall(call.method, call.path, this.#target);
    return observation ? observation.around(() => this.#call(call, observation)) : this.#call(call, undefined);
  }

  async #call<T extends object>(call: GraphCall<T>, observation: GraphCallObservation | undefined): Promise<T> {
    const deadline = new Deadline(call.timeout, call.signal);
    try {
      const { accessToken } = this.#options;
      const token = typeof accessToken === 'string' ? this.#staticToken(accessToken, deadline) : await this.#token(accessToken, call.businessId, deadline);
      const redact = this.#staticRedact ?? createRedactor([token, this.#options.appSecret]);
      for (let attempt = 0; ; attempt++) {
        const outcome = await this.#attempt(call, token, redact, deadline, observation);
        if (!('error' in outcome)) return outcome.value;
        const { retries, retryDelay, maxRetryDelay, random } = call.retry;
        const backoff = () => Math.floor(random() * Math.min(maxRetryDelay, retryDelay * 2 ** attempt));
        const wait = attempt < retries ? call.retry.waitBefore(outcome, backoff) : undefined;
        if (wait === undefined || wait >= deadline.remaining()) throw outcome.error;
        log('%s: retrying in %d ms after %s (attempt %d of %d)', call.subject, wait, outcome.error.code, attempt + 2, retries + 1);
        try {
          await delay(wait, deadline.signal);
        } catch (error) {
          // Only the deadline or the caller's signal ends the wait: say which, not the last failure.
          throw this.#requestFailure(error, redact, deadline);
        }
        observation?.resent();
      }
    } finally {
      deadline.dispose();
    }
  }

  /** The token, raced against the deadline: a token function that hangs ends with the call. */
  async #token(provider: Exclude<AccessTokenProvider, string>, businessId: string | undefined, deadline: Deadline): Promise<string> {
    let token: string;
    try {
      token = await untilAborted(tokenFor(provider, businessId, deadline, this.#knownRedact), deadline);
    } catch (error) {
      if (deadline.aborted) throw this.#requestFailure(error, this.#knownRedact, deadline);
      if (error instanceof AccessTokenError) {
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        log('accessToken function failed for business %s%s', businessId ?? '(none)', cause);
      }
      throw error;
    }
    this.#remember(token);
    return token;
  }

  /** A token string, without a promise: a signal already aborted still ends the call before any request. */
  #staticToken(token: string, deadline: Deadline): string {
    if (deadline.aborted) throw this.#requestFailure(deadline.reason, this.#knownRedact, deadline);
    return token;
  }

  #remember(token: string): void {
    if (this.#recentTokens.includes(token)) return;
    this.#recentTokens.push(token);
    if (this.#recentTokens.length > REMEMBERED_TOKENS) this.#recentTokens.shift();
    this.#knownRedact = createRedactor([...this.#recentTokens, this.#options.appSecret]);
  }

  #path(call: GraphCall<object>, token: string): string {
    const { appSecret, now } = this.#options;
    let query = call.query ?? '';
    if (appSecret !== undefined) {
      const time = Math.floor(now() / 1000);
      query += `${query === '' ? '' : '&'}appsecret_proof=${appSecretProof(token, appSecret, time)}&appsecret_time=${time}`;
    }
    return query === '' ? `${this.#pathPrefix}${call.path}` : `${this.#pathPrefix}${call.path}?${query}`;
  }

  /** One HTTP request. Returns the value, or the failure (never throws). */
  async #attempt<T extends object>(call: GraphCall<T>, token: string, redact: Redact, deadline: Deadline, observation: GraphCallObservation | undefined): Promise<{ value: T } | AttemptFailure> {
    log('%s /%s/%s (%s)', call.method, this.#options.apiVersion, call.path, call.subject);
    const withBody = call.body !== undefined;
    const headers = headersFor(token, withBody);
    const dispatcher = this.#options.dispatcher ?? getGlobalDispatcher();
    const options: Dispatcher.RequestOptions = { origin: this.#origin, path: this.#path(call, token), method: call.method, headers, body: call.body, signal: deadline };
    let response: Dispatcher.ResponseData<unknown>;
    try {
      // What undici's request(url, options) does, less its URL parse and options copy; `call` so that
      // a dispatcher of another undici copy, checked by its `dispatch` only, works too.
      response = await Dispatcher.prototype.request.call(dispatcher, options);
    } catch (error) {
      return { error: this.#requestFailure(error, redact, deadline), responded: false };
    }

    const { statusCode: status, headers: replyHeaders, body } = response;
    observation?.replied(status);
    call.onHeaders?.(replyHeaders);
    const { maxResponseBytes } = this.#options;
    const read = await readBounded(body, { maxBytes: maxResponseBytes });
    if (!read.ok) {
      body.destroy(); // refused or broken: never leave the connection half read
      if (read.reason === 'too-large') return this.#badResponse(`the reply body exceeds ${maxResponseBytes} bytes`, status);
      return { error: this.#requestFailure(read.reason === 'error' ? read.error : undefined, redact, deadline), responded: true };
    }
    const json = parseJson(read.bytes);

    if (status >= 200 && status < 300) {
      const value = call.read(json);
      if (typeof value === 'string') return this.#badResponse(value, status);
      return { value };
    }
    const envelope = readErrorEnvelope(json);
    if (!envelope) return this.#badResponse(`HTTP ${status} without a Graph error body`, status);
    const retryAfterMs = retryClassOf(status, envelope) === 'throttled' ? call.rateLimitWait(envelope.code, replyHeaders) : undefined;
    const error = withHostHint(graphErrorFrom(status, envelope, { redact, retryAfterMs }), token, this.#options.graphUrl);
    log('%s: %s %s (HTTP %d, fbtrace %s)', call.subject, error.name, error.graphCode, status, error.fbtraceId ?? '-');
    return { error, responded: true };
  }

  #requestFailure(error: unknown, redact: Redact, deadline: Deadline): GraphRequestError {
    const { name } = this.#options;
    if (deadline.timedOut) return new GraphRequestError(`The ${name} did not answer within ${deadline.ms} ms`, 'GRAPH_TIMEOUT');
    if (deadline.aborted) return new GraphRequestError(`The ${name} call was aborted`, 'GRAPH_ABORTED', { cause: redactError(error, redact) });
    const cause = redactError(error, redact);
    const detail = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
    log('network error: %s', detail);
    return new GraphRequestError(`The ${name} call failed (${detail})`, 'GRAPH_NETWORK_ERROR', { cause });
  }

  #badResponse(reason: string, status: number): AttemptFailure {
    return { error: new GraphRequestError(`Unexpected ${this.#options.name} reply: ${reason}`, 'GRAPH_BAD_RESPONSE', { status }), responded: true };
  }
}

function headersFor(token: string, withBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

/**
 * A token the host cannot parse (190 without a subcode: expired and invalid sessions have
 * one) sent to the other login's host: say which host it probably belongs to. By the token's
 * prefix only; the token itself never enters the message.
 */
function withHostHint<E extends InstagramProfileError>(error: E, token: string, graphUrl: string): E | AccessTokenError {
  if (!(error instanceof AccessTokenError) || error.graphCode !== 190 || error.subcode !== undefined) return error;
  const hint = wrongHostHint(token, graphUrl);
  return hint === undefined ? error : new AccessTokenError(`${error.message} (${hint})`, error, { cause: error });
}
