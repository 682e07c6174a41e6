import { observeGraphClient } from '../telemetry/index.js';
import createDebug from 'debug';
import { ConsentRequiredError, GraphRequestError, InstagramProfileError, ProfileNotFoundError, RateLimitError } from '../errors.js';
import { isIgsid } from '../platform/igsid.js';
import type { ProfileField } from '../platform/versions.js';
import type { InstagramProfile } from '../types.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { type GraphProfileClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.js';
import { profileFromReply } from './profileReply.js';
import { APP_KEY, RateLimitGate, type UsageSnapshot } from './rateLimitGate.js';
import { type GraphCall, GraphTransport, type RetryPolicy } from './transport.js';
import type { SharedThrottles, ThrottleNotice, ThrottleReason } from '../redis/types.js';

const log = createDebug('instagram-profile:graph');

export interface FetchProfileOptions {
  /** The Instagram business account the customer wrote to: picks the token and the throttle. */
  businessId?: string | undefined;
  /** Aborts the call (and its retries). */
  signal?: AbortSignal | undefined;
  /** A shorter deadline for this call, in ms (what is left of a lookup that waited): the client's `timeout` caps it. */
  timeout?: number | undefined;
}

/**
 * Reads Instagram user profiles from the Graph API over undici. Validates the IGSID before
 * any request, signs calls with `appsecret_proof` when a secret is set, retries only
 * transient failures within one deadline (the token function's time included), and stops
 * calling a throttled business until access returns. Every failure is a typed
 * `InstagramProfileError`; none holds a secret.
 */
export class GraphProfileClient {
  readonly #options: ResolvedClientOptions;
  readonly #transport: GraphTransport;
  readonly #gate: RateLimitGate;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #retry: RetryPolicy;
  readonly #fieldsQuery: string;

  constructor(options: GraphProfileClientOptions) {
    this.#options = resolveClientOptions(options);
    const { accessToken, appSecret, apiVersion, graphUrl, dispatcher, now, maxResponseBytes, circuitBreaker, retries, retryDelay, maxRetryDelay, random } = this.#options;
    this.#transport = new GraphTransport({ accessToken, appSecret, apiVersion, graphUrl, dispatcher, now, maxResponseBytes, name: 'Graph API' });
    const { store } = this.#options;
    this.#gate = new RateLimitGate(now, this.#options.rateLimitBackoff, store && ((key, until) => share(store, key, until, 'rate-limited')));
    this.#breaker = circuitBreaker ? new CircuitBreaker(now, circuitBreaker.threshold, circuitBreaker.cooldown, store && ((key, until) => share(store, key, until, 'circuit-open'))) : undefined;
    if (store) this.#listen(store);
    observeGraphClient(this.#gate, this.#breaker);
    // A profile read is a GET: any transient failure may be tried again, even one after the reply began.
    this.#retry = { retries, retryDelay, maxRetryDelay, random, waitBefore: ({ error }, backoff) => (error.isTransient === true ? backoff() : undefined) };
    this.#fieldsQuery = `fields=${encodeURIComponent(this.#options.fieldsParam)}`;
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

  /** The deadline of one `fetchProfile`, in ms. */
  get timeout(): number {
    return this.#options.timeout;
  }

  /** The usage Meta reported in the last reply for this business (or the app), if any. */
  usage(businessId?: string): UsageSnapshot | undefined {
    return this.#gate.usage(businessId);
  }

  async fetchProfile(igsid: string, { businessId, signal, timeout }: FetchProfileOptions = {}): Promise<InstagramProfile> {
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
    const circuitKey = businessId ?? APP_KEY;
    const open = this.#breaker?.check(circuitKey);
    if (open) throw open;
    try {
      const profile = await this.#transport.call(this.#call(igsid, businessId, signal, timeout));
      this.#gate.onSuccess(businessId);
      log('got profile %s', igsid);
      this.#breaker?.onSuccess(circuitKey);
      return profile;
    } catch (error) {
      this.#settleCircuit(circuitKey, error);
      throw error;
    }
  }

  /** Applies the throttles and open circuits other instances share, now (read once) and as they come. */
  #listen(store: SharedThrottles): void {
    const apply = ({ scope, until, reason }: ThrottleNotice) => {
      if (reason === 'rate-limited') this.#gate.applyShared(scope, until);
      else this.#breaker?.openShared(scope, until);
    };
    store.onThrottle(apply);
    // The store also replays them to listeners once it (re)connects; this covers a store already connected.
    void store.readThrottles().then(
      (notices) => notices.forEach(apply),
      () => undefined,
    );
  }

  #call(igsid: string, businessId: string | undefined, signal: AbortSignal | undefined, timeout: number | undefined): GraphCall<InstagramProfile> {
    return {
      method: 'GET',
      path: igsid,
      query: this.#fieldsQuery,
      businessId,
      timeout: timeout !== undefined && timeout >= 1 ? Math.min(timeout, this.#options.timeout) : this.#options.timeout,
      signal,
      retry: this.#retry,
      subject: `profile ${igsid}`,
      read: (json) => (json === undefined ? 'the reply is not JSON' : profileFromReply(igsid, json)),
      onHeaders: (headers) => void this.#gate.recordUsage(businessId, headers),
      // recordUsage answers the snapshot of these very headers (parsed once, in onHeaders).
      rateLimitWait: (graphCode, headers) => this.#gate.onRateLimited(businessId, graphCode, this.#gate.recordUsage(businessId, headers)),
    };
  }

  #settleCircuit(key: string, error: unknown): void {
    if (!this.#breaker) return;
    const outcome = circuitOutcome(error);
    if (outcome === 'success') this.#breaker.onSuccess(key);
    else if (outcome === 'failure') this.#breaker.onFailure(key);
    else this.#breaker.release(key);
  }
}

/** Tells the other instances; the store never throws into a call, and a failure here only costs sharing. */
function share(store: SharedThrottles, key: string, until: number, reason: ThrottleReason): void {
  store.publishThrottle(key, until, reason).catch((error: unknown) => log('could not share a %s: %s', reason, error instanceof Error ? error.message : typeof error));
}

/**
 * What a failed read says about Graph's health. Answers about one person (consent, not
 * found) show Graph working; a throttle (its own gate) or an abort (the caller's signal, a
 * cache forget) show nothing, so a probe gives its slot back; anything else is an outage.
 */
function circuitOutcome(error: unknown): 'success' | 'failure' | 'neutral' {
  if (error instanceof ConsentRequiredError || error instanceof ProfileNotFoundError) return 'success';
  if (error instanceof RateLimitError) return 'neutral';
  if (error instanceof GraphRequestError && error.code === 'GRAPH_ABORTED') return 'neutral';
  return 'failure';
}
