import createDebug from 'debug';
import { ConsentRequiredError, GraphRequestError, ProfileNotFoundError } from '../errors.js';
import { describe } from '../internal/validate.js';
import type { InvalidationBus, SharedProfileEntry, SharedProfileTier, SharedProfileWrite } from '../redis/types.js';
import type { InstagramProfile } from '../types.js';

const log = createDebug('instagram-profile:cache');

/** A second level several instances share: `RedisProfileStore`, or anything with the same methods. */
export type SharedProfileStore = SharedProfileTier & InvalidationBus;

const STORE_METHODS = ['get', 'set', 'tryLease', 'publishResult', 'waitForResult', 'onInvalidate', 'invalidate', 'clearNoConsent', 'forget', 'forgetBusiness'] as const;

/** Rounds of lease-then-wait before loading alone: a holder that dies twice in a row is rare, a loop without end is a bug. */
const MAX_LEASE_ROUNDS = 3;

export function storeOption(value: unknown): SharedProfileStore | undefined {
  if (value === undefined) return undefined;
  const missing = value !== null && typeof value === 'object' ? STORE_METHODS.find((name) => typeof (value as Record<string, unknown>)[name] !== 'function') : 'get';
  if (missing) throw new TypeError(`Option "cache.store" must be a RedisProfileStore (or have its ${missing}() method), got ${describe(value)}`);
  return value as SharedProfileStore;
}

/**
 * How a load uses the shared level:
 * - `miss`: nothing usable here: read Redis, else one instance loads (the lease) and the others wait;
 * - `revalidate`: a stale profile is being re-read: a fresher one in Redis will do, else load;
 * - `refresh`: the caller asked for Graph: load, store the answer, and have other instances drop theirs.
 */
export type LoadMode = 'miss' | 'revalidate' | 'refresh';

/** What a load settled into: a profile or a remembered failure, and how long it may stay. */
export type Settled =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil: number; ttl: number; source: 'graph' | 'shared'; previous?: InstagramProfile }
  | { kind: 'no-consent'; error?: ConsentRequiredError; ttl: number; source: 'graph' | 'shared' }
  | { kind: 'not-found'; error?: ProfileNotFoundError; ttl: number; source: 'graph' | 'shared' };

export interface SharedLoad {
  businessId: string | undefined;
  igsid: string;
  mode: LoadMode;
  /** The load from Graph; `timeoutMs` caps the client's own deadline with what is left of the lookup's. */
  load: (timeoutMs: number) => Promise<InstagramProfile>;
  signal: AbortSignal;
  /** The lookup's deadline in ms: waiting for another instance never makes the lookup longer. */
  timeout: number;
  /** The event grants consent, so a remembered "no consent" no longer holds. */
  grantsConsent: boolean;
}

/** The cache's lifetime rules, which the shared level applies to what it writes. */
export interface LifetimeRules {
  now: () => number;
  staleWhileRevalidate: number;
  negativeTtl: number;
  /** A profile's lifetime: ttl (+ the stale window), capped by its picture's expiry. */
  profileTtl: (profile: InstagramProfile) => number;
  /** When a profile loaded now stops being fresh. */
  freshUntil: (profile: InstagramProfile) => number;
}

/**
 * The second level of ProfileCache: Redis (or another shared store) between the in-process
 * LRU and Graph. It never throws for the store's sake: the store answers misses and
 * `unavailable` leases at once when Redis is down, and every load then runs locally. Writes
 * a turn need not wait for (results, invalidations, deletions) are tracked for `flush()`.
 */
export class SharedLevel {
  readonly store: SharedProfileStore;
  readonly #rules: LifetimeRules;
  readonly #background = new Set<Promise<unknown>>();

  constructor(store: SharedProfileStore, rules: LifetimeRules) {
    this.store = store;
    this.#rules = rules;
  }

  /** A usable entry from the shared level only (no Graph), or undefined. */
  async read(businessId: string | undefined, igsid: string): Promise<Settled | undefined> {
    return this.#settled(await this.store.get(businessId, igsid), 'miss');
  }

  async load(request: SharedLoad): Promise<Settled> {
    if (request.mode === 'refresh') return this.#loadAndShare(request, request.timeout);
    const { businessId, igsid } = request;
    const deadline = this.#rules.now() + request.timeout;
    const raw = await this.store.get(businessId, igsid);
    const stored = await this.#usable(request, raw);
    if (stored) return stored;
    // The stale profile Redis held is the previous one for whoever loads it from Graph here.
    return withPrevious(await this.#loadAfterRead(request, deadline), raw?.kind === 'profile' ? raw.profile : undefined);
  }

  async #loadAfterRead(request: SharedLoad, deadline: number): Promise<Settled> {
    const { businessId, igsid, mode, signal } = request;
    const { now } = this.#rules;
    for (let round = 0; round < MAX_LEASE_ROUNDS; round++) {
      const outcome = await this.store.tryLease(businessId, igsid);
      if (outcome.kind === 'unavailable') {
        log('shared tier unavailable for %s: loading here', igsid);
        return this.#loadLocally(request, deadline);
      }
      if (outcome.kind === 'acquired') {
        log('%s: loading %s for every instance (round %d)', mode, igsid, round + 1);
        return this.#loadAsHolder(request, outcome.lease, deadline);
      }
      if (outcome.kind === 'present') {
        const present = await this.#usable(request, outcome.entry);
        if (present) return present;
        // A "no consent" this event overrides was cleared: lease again. A stale entry stays until replaced.
        if (outcome.entry.kind === 'no-consent') continue;
        log('a stale entry of %s stands in Redis: loading here to replace it', igsid);
        return this.#loadAndShare(request, deadline - now());
      }
      const waited = this.#settled(await this.store.waitForResult(businessId, igsid, Math.max(0, deadline - now()), signal), mode);
      if (waited) return waited;
      log('no result from the instance loading %s (it failed, or its lease lapsed)', igsid);
      if (signal.aborted) break;
      if (deadline - now() <= 0) throw waitedTooLong(request.timeout);
    }
    log('no shared result for %s after %d lease rounds: loading here', igsid, MAX_LEASE_ROUNDS);
    return this.#loadLocally(request, deadline);
  }

  /** Drops the customer's shared "no consent" and tells every instance (a consent event arrived). */
  clearNoConsent(businessId: string | undefined, igsid: string): void {
    this.#track(this.store.clearNoConsent(businessId, igsid));
  }

  /** Stores a profile obtained elsewhere and has other instances drop their copy. */
  share(businessId: string | undefined, igsid: string, settled: Settled): void {
    this.#track(this.#write(businessId, igsid, settled));
  }

  forget(igsid: string, businessId: string | undefined): void {
    this.#track(this.store.forget(igsid, businessId));
  }

  /** Resolves once every write, invalidation and deletion started so far has finished. */
  async flush(): Promise<void> {
    while (this.#background.size > 0) await Promise.all(this.#background);
  }

  /** Loads as the lease holder and publishes what it learned (or nothing, which wakes the waiters to try themselves). */
  async #loadAsHolder(request: SharedLoad, lease: Parameters<SharedProfileStore['publishResult']>[0], deadline: number): Promise<Settled> {
    let settled: Settled;
    try {
      settled = await this.#loadLocally(request, deadline);
    } catch (error) {
      this.#track(this.store.publishResult(lease, undefined, 0));
      throw error;
    }
    // Forgotten meanwhile: release the lease, share nothing.
    if (request.signal.aborted) this.#track(this.store.publishResult(lease, undefined, 0));
    else this.#track(this.store.publishResult(lease, asWrite(settled), settled.ttl));
    return settled;
  }

  /** Loads without the lease (refresh, a stale entry to replace), then stores the answer and has the other instances drop theirs. */
  async #loadAndShare(request: SharedLoad, budgetMs: number): Promise<Settled> {
    const settled = await this.#loadLocally(request, this.#rules.now() + budgetMs);
    if (!request.signal.aborted) this.share(request.businessId, request.igsid, settled);
    return settled;
  }

  async #loadLocally(request: SharedLoad, deadline: number): Promise<Settled> {
    const remaining = deadline - this.#rules.now();
    if (remaining <= 0) throw waitedTooLong(request.timeout);
    return settleLoad(await request.load(remaining).then(undefined, remembered), this.#rules);
  }

  async #write(businessId: string | undefined, igsid: string, settled: Settled): Promise<void> {
    if (await this.store.set(businessId, igsid, asWrite(settled), settled.ttl)) await this.store.invalidate(businessId, igsid);
  }

  /** A stored entry this lookup may use; a "no consent" its consent event overrides is cleared on the way. */
  async #usable(request: SharedLoad, entry: SharedProfileEntry | undefined): Promise<Settled | undefined> {
    if (entry?.kind === 'no-consent' && request.grantsConsent) {
      await this.store.clearNoConsent(request.businessId, request.igsid);
      return undefined;
    }
    return this.#settled(entry, request.mode);
  }

  /** A stored entry as the local cache keeps it, for its remaining lifetime; undefined when it will not do. */
  #settled(entry: SharedProfileEntry | undefined, mode: LoadMode): Settled | undefined {
    if (entry === undefined) return undefined;
    const { now, staleWhileRevalidate } = this.#rules;
    const ttl = Math.max(1, Math.round(entry.expiresAt - now()));
    if (entry.kind !== 'profile') return { kind: entry.kind, ttl, source: 'shared' };
    const stale = entry.freshUntil <= now();
    if (stale && (mode === 'revalidate' || staleWhileRevalidate === 0)) return undefined;
    return { kind: 'profile', profile: entry.profile, freshUntil: entry.freshUntil, ttl, source: 'shared' };
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) => log('the shared store failed: %s', error instanceof Error ? error.message : typeof error),
    );
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }
}

/** A Graph answer as the cache keeps it; answers that will not change soon are remembered, anything else is thrown. */
export function settleLoad(loaded: InstagramProfile | RememberedFailure, rules: LifetimeRules): Settled {
  if (loaded instanceof RememberedFailure) {
    const { error } = loaded;
    return error instanceof ConsentRequiredError
      ? { kind: 'no-consent', error, ttl: rules.negativeTtl, source: 'graph' }
      : { kind: 'not-found', error: error as ProfileNotFoundError, ttl: rules.negativeTtl, source: 'graph' };
  }
  return { kind: 'profile', profile: loaded, freshUntil: rules.freshUntil(loaded), ttl: rules.profileTtl(loaded), source: 'graph' };
}

/** A consent or not-found answer, carried as a value so that only other failures throw. */
export class RememberedFailure {
  constructor(readonly error: ConsentRequiredError | ProfileNotFoundError) {}
}

export function remembered(error: unknown): RememberedFailure {
  if (error instanceof ConsentRequiredError || error instanceof ProfileNotFoundError) return new RememberedFailure(error);
  throw error;
}

function withPrevious(settled: Settled, previous: InstagramProfile | undefined): Settled {
  return previous !== undefined && settled.kind === 'profile' && settled.source === 'graph' ? { ...settled, previous } : settled;
}

function asWrite(settled: Settled): SharedProfileWrite {
  return settled.kind === 'profile' ? { kind: 'profile', profile: settled.profile, freshUntil: settled.freshUntil } : { kind: settled.kind };
}

function waitedTooLong(timeout: number): GraphRequestError {
  return new GraphRequestError(`Another instance was loading this profile and no result came within the lookup's ${timeout} ms`, 'GRAPH_TIMEOUT');
}
