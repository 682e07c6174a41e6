import createDebug from 'debug';
import { request } from 'undici';
import {
  ConsentRequiredError,
  GraphApiError,
  GraphRequestError,
  InstagramProfileError,
  ProfileNotFoundError,
  RateLimitError,
} from '../errors.js';
import { type Deadline, delay, deadlineController } from '../internal/abort.js';
import { createRedactor, redactError, type Redact } from '../internal/redact.js';
import { graphErrorFrom, readErrorEnvelope } from '../platform/graphErrors.js';
import { isIgsid } from '../platform/igsid.js';
import { appSecretProof } from '../platform/signatures.js';
import type { ProfileField } from '../platform/versions.js';
import type { InstagramProfile } from '../types.js';
import { tokenFor } from './accessToken.js';
import { type GraphProfileClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.js';
import { profileFromReply } from './profileReply.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { RateLimitGate, type UsageSnapshot } from './rateLimitGate.js';
import { parseJson, readBodyText } from './readBody.js';

const log = createDebug('instagram-profile:graph');

export interface FetchProfileOptions {
  /** The Instagram business account the customer wrote to: picks the token and the throttle. */
  businessId?: string | undefined;
  /** Aborts the call (and its retries). */
  signal?: AbortSignal | undefined;
}

/** What one HTTP attempt produced: a profile, or an error and whether to retry it. */
type AttemptError = InstagramProfileError & { isTransient?: boolean };

/**
 * Reads Instagram user profiles from the Graph API over undici. Validates the IGSID before
 * any request, signs calls with `appsecret_proof` when a secret is set, retries only
 * transient failures within one deadline, and stops calling a throttled business until
 * access returns. Every failure is a typed `InstagramProfileError`; none holds a secret.
 */
export class GraphProfileClient {
  readonly #options: ResolvedClientOptions;
  readonly #gate: RateLimitGate;
  readonly #staticRedact: Redact;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #urlPrefix: string;
  readonly #queryPrefix: string;
  #encodedToken: { token: string; encoded: string } | undefined;

  constructor(options: GraphProfileClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#gate = new RateLimitGate(this.#options.now, this.#options.rateLimitBackoff);
    this.#urlPrefix = `${this.#options.graphUrl}/${this.#options.apiVersion}/`;
    this.#queryPrefix = `?fields=${encodeURIComponent(this.#options.fieldsParam)}&access_token=`;
    const { circuitBreaker } = this.#options;
    this.#breaker = circuitBreaker ? new CircuitBreaker(this.#options.now, circuitBreaker.threshold, circuitBreaker.cooldown) : undefined;
    const { accessToken, appSecret } = this.#options;
    this.#staticRedact = createRedactor([typeof accessToken === 'string' ? accessToken : undefined, appSecret]);
  }

  get apiVersion(): string {
    return this.#options.apiVersion;
  }

  get fields(): readonly ProfileField[] {
    return this.#options.fields;
  }

  get graphUrl(): string {
    return this.#options.graphUrl;
  }

  /** The usage Meta reported in the last reply for this business (or the app), if any. */
  usage(businessId?: string): UsageSnapshot | undefined {
    return this.#gate.usage(businessId);
  }

  async fetchProfile(igsid: string, { businessId, signal }: FetchProfileOptions = {}): Promise<InstagramProfile> {
    if (!isIgsid(igsid)) {
      throw new InstagramProfileError('Not a valid IGSID: Instagram-scoped IDs are 1 to 32 digits', 'INVALID_IGSID');
    }
    if (businessId !== undefined && !isIgsid(businessId)) {
      throw new InstagramProfileError('Not a valid business account id: it must be digits only', 'INVALID_BUSINESS_ID');
    }
    const throttled = this.#gate.blocked(businessId);
    if (throttled) {
      log('not calling for %s: throttled for %d ms more', igsid, throttled.retryAfterMs);
      throw throttled;
    }
    const circuitKey = businessId ?? '*';
    const open = this.#breaker?.check(circuitKey);
    if (open) throw open;
    try {
      const profile = await this.#fetchWithRetries(igsid, businessId, signal);
      this.#breaker?.onSuccess(circuitKey);
      return profile;
    } catch (error) {
      if (countsAsOutage(error)) this.#breaker?.onFailure(circuitKey);
      else this.#breaker?.onSuccess(circuitKey);
      throw error;
    }
  }

  async #fetchWithRetries(igsid: string, businessId: string | undefined, signal: AbortSignal | undefined): Promise<InstagramProfile> {
    const token = await this.#resolveToken(businessId);
    const redact = typeof this.#options.accessToken === 'string' ? this.#staticRedact : createRedactor([token, this.#options.appSecret]);

    const { timeout, retries } = this.#options;
    const deadline = deadlineController(timeout, signal);
    // Deadlines run on the monotonic clock; the injectable `now` is wall time for proofs and throttles.
    const startedAt = performance.now();
    try {
      for (let attempt = 0; ; attempt++) {
        const result = await this.#attempt(igsid, businessId, token, redact, deadline);
        if (!(result instanceof InstagramProfileError)) return result;
        const wait = this.#retryDelay(attempt);
        const remaining = timeout - (performance.now() - startedAt);
        if (!result.isTransient || attempt >= retries || wait >= remaining) throw result;
        log('retrying %s in %d ms after %s (attempt %d of %d)', igsid, wait, result.code, attempt + 2, retries + 1);
        try {
          await delay(wait, deadline.signal);
        } catch (error) {
          // Only the deadline or the caller's signal ends the wait: say which, not the last failure.
          throw this.#requestFailure(error, redact, deadline);
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  #resolveToken(businessId: string | undefined): Promise<string> {
    return tokenFor(this.#options.accessToken, businessId);
  }

  #url(igsid: string, token: string): string {
    const { appSecret, now } = this.#options;
    // The prefix and the encoded token are the same call after call: build them once.
    if (this.#encodedToken?.token !== token) this.#encodedToken = { token, encoded: encodeURIComponent(token) };
    let url = `${this.#urlPrefix}${igsid}${this.#queryPrefix}${this.#encodedToken.encoded}`;
    if (appSecret !== undefined) {
      const time = Math.floor(now() / 1000);
      url += `&appsecret_proof=${appSecretProof(token, appSecret, time)}&appsecret_time=${time}`;
    }
    return url;
  }

  /** One HTTP request. Returns the profile, or the error (never throws). */
  async #attempt(
    igsid: string,
    businessId: string | undefined,
    token: string,
    redact: Redact,
    deadline: Deadline,
  ): Promise<InstagramProfile | AttemptError> {
    log('GET /%s/%s fields=%s', this.#options.apiVersion, igsid, this.#options.fieldsParam);
    let response;
    try {
      response = await request(this.#url(igsid, token), {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: deadline.signal,
        dispatcher: this.#options.dispatcher,
      });
    } catch (error) {
      return this.#requestFailure(error, redact, deadline);
    }

    const { statusCode: status, headers } = response;
    const usage = this.#gate.recordUsage(businessId, headers);
    let text: string | undefined;
    try {
      text = await readBodyText(response.body, this.#options.maxResponseBytes);
    } catch (error) {
      return this.#requestFailure(error, redact, deadline);
    }
    if (text === undefined) return badResponse(`the reply body exceeds ${this.#options.maxResponseBytes} bytes`, status);
    const json = parseJson(text);

    if (status >= 200 && status < 300) {
      if (json === undefined) return badResponse('the reply is not JSON', status);
      const profile = profileFromReply(igsid, json);
      if (typeof profile === 'string') return badResponse(profile, status);
      this.#gate.onSuccess(businessId);
      log('got profile %s (HTTP %d)', igsid, status);
      return profile;
    }

    const envelope = readErrorEnvelope(json);
    if (!envelope) return badResponse(`HTTP ${status} without a Graph error body`, status);
    let error: GraphApiError = graphErrorFrom(status, envelope, { redact });
    if (error instanceof RateLimitError) {
      const waitMs = this.#gate.onRateLimited(businessId, error.graphCode, usage);
      error = graphErrorFrom(status, envelope, { redact, retryAfterMs: waitMs });
    }
    log('Graph error for %s: %s %s (HTTP %d, fbtrace %s)', igsid, error.name, error.graphCode, status, error.fbtraceId ?? '-');
    return error;
  }

  #requestFailure(error: unknown, redact: Redact, deadline: Deadline): AttemptError {
    if (deadline.timedOut) return this.#timeoutError();
    if (deadline.signal.aborted) return new GraphRequestError('The Graph API call was aborted', 'GRAPH_ABORTED', { cause: redactError(error, redact) });
    const cause = redactError(error, redact);
    const detail = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
    log('network error: %s', detail);
    return new GraphRequestError(`The Graph API call failed (${detail})`, 'GRAPH_NETWORK_ERROR', { cause });
  }

  #timeoutError(): GraphRequestError {
    return new GraphRequestError(`The Graph API did not answer within ${this.#options.timeout} ms`, 'GRAPH_TIMEOUT');
  }

  /** Full jitter: a random delay up to `retryDelay × 2^attempt`, capped. */
  #retryDelay(attempt: number): number {
    const { retryDelay, maxRetryDelay, random } = this.#options;
    return Math.floor(random() * Math.min(maxRetryDelay, retryDelay * 2 ** attempt));
  }
}

/**
 * Failures that say Graph (or our configuration) is not working, as opposed to answers
 * about one person (consent, not found), throttling (its own gate) or the caller's abort.
 */
function countsAsOutage(error: unknown): boolean {
  if (error instanceof ConsentRequiredError || error instanceof ProfileNotFoundError || error instanceof RateLimitError) return false;
  if (error instanceof GraphRequestError) return error.code !== 'GRAPH_ABORTED';
  return error instanceof GraphApiError;
}

function badResponse(reason: string, status: number): GraphRequestError {
  return new GraphRequestError(`Unexpected Graph API reply: ${reason}`, 'GRAPH_BAD_RESPONSE', { status });
}
