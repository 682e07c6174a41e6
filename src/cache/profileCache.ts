import { observeCache } from '../telemetry/index.js';
import createDebug from 'debug';
import { LRUCache } from 'lru-cache';
import { GraphRequestError, InstagramProfileError } from '../errors.js';
import { pictureExpiresAt } from '../platform/pictureExpiry.js';
import { diffProfiles, type ProfileChange, type ProfileChangeListener } from '../changes/profileChanges.js';
import type { Invalidation } from '../redis/types.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import { functionOption, optionalInteger } from '../internal/validate.js';
import { type LifetimeRules, type LoadMode, remembered, type Settled, SharedLevel, type SharedProfileStore, settleLoad, storeOption } from './sharedTier.js';

const log = createDebug('instagram-profile:cache');

export interface ProfileCacheOptions {
  /** Most entries kept (profiles and remembered failures); the least recently used go first. Loads in flight do not count. Default 10 000. */
  max?: number;
  /** Lifetime of a profile in ms, capped by its picture's expiry. Default 3 600 000 (1 h). */
  ttl?: number;
  /** How long past `ttl` a profile may still be served (marked `stale`) while it is re-read in the background. Default 0 (off). */
  staleWhileRevalidate?: number;
  /** Lifetime of a cached "no consent" or "not found" answer, in ms. Default 60 000. */
  negativeTtl?: number;
  /** A profile leaves the cache this long before its `profile_pic` URL expires (`oe=`), in ms. Default 600 000. */
  pictureExpiryMargin?: number;
  /** Clock in ms (`performance.now`-like or `Date.now`-like). Default `Date.now`. With a `store`, use the store's clock. */
  now?: () => number;
  /**
   * A second level shared by several instances (`RedisProfileStore` from
   * `botbuilder-instagram-profile/redis`): read on a local miss, written after a load, one
   * Graph load per customer across instances, invalidations and deletions on every instance.
   * Its methods never fail a lookup: with Redis down, the cache acts alone. Default: none.
   */
  store?: SharedProfileStore | undefined;
  /**
   * Called once per detected change when a person is reloaded from Graph (ttl expiry,
   * stale-while-revalidate, refresh), after the lookup settled, outside the turn. With a
   * store, only the instance that loaded from Graph calls it. Errors are logged
   * (`instagram-profile:changes`), never thrown. The change carries personal data.
   */
  onProfileChange?: ProfileChangeListener | undefined;
}

/**
 * Loads a profile from the Graph API; `signal` aborts when the entry is forgotten. With a
 * store, `timeoutMs` is what is left of the lookup's deadline after waiting for another
 * instance: a loader that takes it (the middleware's does) never makes the lookup longer.
 */
export type ProfileLoader = (signal: AbortSignal, timeoutMs?: number) => Promise<InstagramProfile>;

export interface LookupOptions {
  /** Skip the cached value and call Graph; the answer replaces it (on every instance, with a store). Default false. */
  forceRefresh?: boolean;
  /** The lookup's deadline in ms (the Graph client's `timeout`): with a store, waiting for another instance's load never takes longer. Default 3 000. */
  timeout?: number;
  /** The lookup's event grants consent: a "no consent" remembered in the store no longer holds. Default false. */
  grantsConsent?: boolean;
}

/** What a business purge reached: `complete` is false when the store could not finish (it retries when Redis returns). */
export interface ForgetBusinessResult {
  removed: number;
  complete: boolean;
}

const DEFAULT_LOOKUP_TIMEOUT = 3_000;
const changeLog = createDebug('instagram-profile:changes');

/**
 * A settled answer kept in the LRU; `hit` is built once, so a cache hit allocates nothing.
 * `expiresAt` is the entry's lifetime (the stale window included): kept here rather than as
 * lru-cache's ttl, so a hit costs one `get` and one clock read, and an expired entry stays
 * until its reload replaces it (it is the previous profile the reload diffs against).
 */
type Entry =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil: number; expiresAt: number; hit: ProfileLookup }
  | { kind: 'no-consent'; expiresAt: number; hit: ProfileLookup }
  | { kind: 'not-found'; expiresAt: number; hit: ProfileLookup };

/** A load in flight: shared by every caller of its key until it settles. */
interface Flight {
  readonly controller: AbortController;
  readonly answer: Promise<ProfileLookup>;
  /** False once another instance invalidated the key: the answer still goes to its callers, but is not kept. */
  keep: boolean;
  /** The profile held when the load started: kept aside only while reloading, diffed at settle time. */
  readonly previous: InstagramProfile | undefined;
}

/**
 * An LRU cache of Instagram profiles keyed by business account and IGSID. Concurrent lookups
 * of one key share one load (a single-flight map beside the LRU: lru-cache aborts a fetch
 * whose entry it evicts, so loads in flight stay out of its capacity contest); answers that
 * will not change soon (no consent, not found) are remembered briefly; a profile never
 * outlives its picture URL. One instance may be shared by several middlewares and businesses.
 */
export class ProfileCache {
  /** Settled entries only, expired ones included until evicted or replaced (`#cached` refuses them; `forget` reaches them). */
  readonly #lru: LRUCache<string, Entry>;
  readonly #inFlight = new Map<string, Flight>();
  readonly #ttl: number;
  readonly #swr: number;
  readonly #negativeTtl: number;
  readonly #pictureMargin: number;
  readonly #now: () => number;
  readonly #shared: SharedLevel | undefined;
  readonly #rules: LifetimeRules;
  readonly #changeListeners: ProfileChangeListener[] = [];
  /** The change each Graph answer brought, for `changesOf`; weak, so it lives only as long as the turns holding the answer. */
  readonly #changes = new WeakMap<ProfileLookup, ProfileChange>();

  constructor(options: ProfileCacheOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('ProfileCache options must be an object');
    const max = optionalInteger('cache.max', options.max, 10_000, 1, 100_000_000);
    this.#ttl = optionalInteger('cache.ttl', options.ttl, 3_600_000, 1, 2 ** 31 - 1);
    this.#swr = optionalInteger('cache.staleWhileRevalidate', options.staleWhileRevalidate, 0, 0, 2 ** 31 - 1);
    this.#negativeTtl = optionalInteger('cache.negativeTtl', options.negativeTtl, 60_000, 1, 2 ** 31 - 1);
    this.#pictureMargin = optionalInteger('cache.pictureExpiryMargin', options.pictureExpiryMargin, 600_000, 0, 2 ** 31 - 1);
    this.#now = functionOption('cache.now', options.now, Date.now);
    this.#lru = new LRUCache<string, Entry>({ max });
    this.#rules = this.#lifetimeRules();
    const store = storeOption(options.store);
    this.#shared = store && this.#sharedLevel(store);
    const onProfileChange = options.onProfileChange === undefined ? undefined : functionOption<ProfileChangeListener>('cache.onProfileChange', options.onProfileChange, options.onProfileChange);
    if (onProfileChange) this.#changeListeners.push(onProfileChange);
    observeCache(this);
  }

  /** Loads in flight (one per key, however many callers wait on it). */
  get loading(): number {
    return this.#inFlight.size;
  }

  /** The shared second level given as `store`, if any (the middleware hands it to the Graph client it builds). */
  get store(): SharedProfileStore | undefined {
    return this.#shared?.store;
  }

  /** Number of entries held (profiles and remembered failures, expired ones not yet dropped included); loads in flight are not entries. */
  get size(): number {
    return this.#lru.size;
  }

  /** Adds a change listener (see the `onProfileChange` option); returns the function that removes it. */
  onProfileChange(listener: ProfileChangeListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('onProfileChange needs a function');
    this.#changeListeners.push(listener);
    return () => {
      const at = this.#changeListeners.indexOf(listener);
      if (at !== -1) this.#changeListeners.splice(at, 1);
    };
  }

  /** The change a lookup's answer brought (only a Graph answer that reloaded a known person can), else undefined. */
  changesOf(lookup: ProfileLookup | undefined): ProfileChange | undefined {
    return lookup === undefined ? undefined : this.#changes.get(lookup);
  }

  /**
   * How old the cached follow flags of a person are, in ms, or undefined when no profile is
   * held. Worked out from the entry's `freshUntil` less `ttl` (no extra field per entry): a
   * profile whose lifetime its picture shortened looks older than it is, never younger.
   */
  profileAge(businessId: string | undefined, igsid: string): number | undefined {
    const entry = this.#lru.peek(cacheKey(businessId, igsid));
    return entry?.kind === 'profile' ? this.#now() - (entry.freshUntil - this.#ttl) : undefined;
  }

  /**
   * The cached lookup without any I/O: a fresh profile (`cache`), one past its `ttl` but in
   * the stale-while-revalidate window (`stale`), a remembered failure, or undefined.
   */
  peek(businessId: string | undefined, igsid: string): ProfileLookup | undefined {
    return this.#cached(cacheKey(businessId, igsid));
  }

  /**
   * The profile of `igsid` for `businessId`: from the cache when fresh, else loaded with
   * `load` (one load per key at a time, shared by every caller). Past `ttl` and within the
   * stale-while-revalidate window, the stale profile is answered at once and re-read in the
   * background. `forceRefresh` skips the cached value; when that load fails, a profile still
   * held is answered as `stale` and kept. Never throws: failures are results.
   */
  lookup(businessId: string | undefined, igsid: string, load: ProfileLoader, options: LookupOptions = {}): Promise<ProfileLookup> {
    const key = cacheKey(businessId, igsid);
    const { forceRefresh = false, timeout = DEFAULT_LOOKUP_TIMEOUT, grantsConsent = false } = options;
    const start = (mode: LoadMode) => this.#startLoad({ key, businessId, igsid, load, mode, timeout, grantsConsent });
    if (!forceRefresh) {
      const cached = this.#cached(key);
      if (cached !== undefined) {
        // One background refresh per key: a stale reader joins the load already in flight.
        if (cached.status === 'ok' && cached.source === 'stale' && !this.#inFlight.has(key)) void start('revalidate');
        // A hit is answered without an async hop: this is the hot path of every turn that asks.
        return Promise.resolve(cached);
      }
    }
    return this.#inFlight.get(key)?.answer ?? start(forceRefresh ? 'refresh' : 'miss');
  }

  /**
   * The cached lookup from this process or, with a store, from the shared level (which then
   * fills this process), never calling Graph: for events that may read a profile but not
   * load one. Undefined when neither level has it. Never rejects.
   */
  async find(businessId: string | undefined, igsid: string): Promise<ProfileLookup | undefined> {
    const key = cacheKey(businessId, igsid);
    const cached = this.#cached(key);
    if (cached !== undefined || this.#shared === undefined) return cached;
    const settled = await this.#shared.read(businessId, igsid).catch(() => undefined);
    if (settled === undefined || this.#inFlight.has(key)) return this.#cached(key);
    this.#keep(key, settled);
    return this.#cached(key);
  }

  /** Stores a profile obtained elsewhere (e.g. from a batch call); with a store, in the shared level too. */
  set(businessId: string | undefined, profile: InstagramProfile): void {
    const settled = settleLoad(profile, this.#rules);
    this.#keep(cacheKey(businessId, profile.id), settled);
    this.#shared?.share(businessId, profile.id, settled);
  }

  /** A new consent-granting event from this person: a remembered "no consent" no longer holds (on any instance, with a store). */
  clearNoConsent(businessId: string | undefined, igsid: string): boolean {
    const cleared = this.#clearNoConsentHere(cacheKey(businessId, igsid));
    if (cleared) this.#shared?.clearNoConsent(businessId, igsid);
    return cleared;
  }

  /**
   * Removes what is known of a person (data-deletion requests): fresh, stale and expired
   * entries, and loads in flight, which are aborted and whose results are not kept. Without
   * `businessId`, for every business. Returns how many keys went here. With a store, the
   * person is also deleted from Redis and dropped on every instance: `await flush()` for
   * that to finish (the middleware's `forget` does).
   */
  forget(igsid: string, businessId?: string): number {
    const removed = this.#forgetHere(igsid, businessId);
    this.#shared?.forget(igsid, businessId);
    return removed;
  }

  /**
   * Removes everything held for one business account (it disconnected the app, or asked for
   * deletion): entries in any state and loads in flight here; with a store, in Redis and on
   * every instance too. `complete` is false when Redis could not finish; the store retries
   * when it returns.
   */
  async forgetBusiness(businessId: string): Promise<ForgetBusinessResult> {
    const removed = this.#forgetWhere((key) => key.startsWith(`${businessId}:`));
    if (!this.#shared) return { removed, complete: true };
    const shared = await this.#shared.store.forgetBusiness(businessId).catch(() => ({ complete: false }));
    return { removed, complete: shared.complete };
  }

  /** Resolves once the writes, invalidations and deletions this cache sent to its store have finished; at once without a store. */
  async flush(): Promise<void> {
    await this.#shared?.flush();
  }

  /** Empties this process's cache (the store keeps its entries); loads in flight are aborted and their results are not kept. */
  clear(): void {
    for (const flight of this.#inFlight.values()) flight.controller.abort();
    this.#inFlight.clear();
    this.#lru.clear();
  }

  /** The answer of an entry within its lifetime, or undefined. The hot path of every turn that asks: one `get`, one clock read. */
  #cached(key: string): ProfileLookup | undefined {
    const now = this.#now();
    const entry = this.#read(key, now);
    if (entry === undefined) return undefined;
    if (entry.kind !== 'profile' || entry.freshUntil > now) return entry.hit;
    return this.#swr > 0 ? { status: 'ok', profile: entry.profile, source: 'stale' } : undefined;
  }

  /** An entry within its lifetime (refreshing its recency), or undefined. An expired one is left for its reload to replace. */
  #read(key: string, now = this.#now()): Entry | undefined {
    const entry = this.#lru.get(key);
    return entry !== undefined && entry.expiresAt > now ? entry : undefined;
  }

  #startLoad(request: LoadRequest): Promise<ProfileLookup> {
    const controller = new AbortController();
    const held = this.#lru.peek(request.key);
    const previous = held?.kind === 'profile' ? held.profile : undefined;
    const flight: Flight = { controller, answer: undefined as unknown as Promise<ProfileLookup>, keep: true, previous };
    (flight as { answer: Promise<ProfileLookup> }).answer = this.#settle(request, flight);
    this.#inFlight.set(request.key, flight);
    return flight.answer;
  }

  /** Runs one load to its answer for every caller sharing it, keeping what it learned unless the key was forgotten meanwhile. */
  async #settle(request: LoadRequest, flight: Flight): Promise<ProfileLookup> {
    const { key } = request;
    const { signal } = flight.controller;
    let settled: Settled | undefined;
    let failure: unknown;
    try {
      settled = await this.#loadEntry(request, signal);
    } catch (error) {
      failure = error;
    } finally {
      if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
    }
    if (signal.aborted) return { status: 'unavailable', error: new GraphRequestError('The profile was forgotten while it was loading', 'GRAPH_ABORTED') };
    if (settled !== undefined) {
      const entry = this.#entryOf(settled);
      if (flight.keep) this.#lru.set(key, entry);
      if (entry.kind !== 'profile') return entry.hit;
      if (settled.source === 'graph') return this.#graphAnswer(request, entry.profile, flight.previous ?? (settled.kind === 'profile' ? settled.previous : undefined));
      if (entry.freshUntil > this.#now()) return entry.hit;
      // A stale profile from the shared level: answered as such, and re-read in the background.
      if (flight.keep) void this.#startLoad({ ...request, mode: 'revalidate' });
      return { status: 'ok', profile: entry.profile, source: 'stale' };
    }
    // Anything else is not kept, and removes nothing: a profile still fresh, or within the
    // stale window, answers instead (as `stale`: the re-read the caller asked for failed).
    const held = this.#read(key);
    if (held?.kind === 'profile' && (this.#swr > 0 || held.freshUntil > this.#now())) return { status: 'ok', profile: held.profile, source: 'stale' };
    return { status: 'unavailable', error: asProfileError(failure) };
  }

  /**
   * What a local miss settles into: from the shared level when there is one (see
   * SharedLevel: Redis, the one-load lease, or a local load when Redis is away), else from
   * the loader. Answers that will not change for a while are settled; other failures are thrown.
   */
  async #loadEntry(request: LoadRequest, signal: AbortSignal): Promise<Settled> {
    const { load } = request;
    if (this.#shared === undefined) return settleLoad(await load(signal).then(undefined, remembered), this.#rules);
    return this.#shared.load({ ...request, signal, load: (timeoutMs) => load(signal, timeoutMs) });
  }

  /**
   * A profile this instance loaded from Graph: diffed against the previous one (here, or the
   * stale one the shared level read), so that a change is seen once, by the loader only.
   */
  #graphAnswer(request: LoadRequest, current: InstagramProfile, previous: InstagramProfile | undefined): ProfileLookup {
    const answer: ProfileLookup = { status: 'ok', profile: current, source: 'graph' };
    const changes = previous && diffProfiles(previous, current);
    if (changes === undefined) return answer;
    const change: ProfileChange = { businessId: request.businessId, igsid: request.igsid, previous: previous as InstagramProfile, current, changes };
    this.#changes.set(answer, change);
    if (this.#changeListeners.length > 0) setImmediate(() => this.#announce(change));
    return answer;
  }

  /** Runs the change listeners outside the turn; a listener's failure is logged and goes no further. */
  #announce(change: ProfileChange): void {
    for (const listener of [...this.#changeListeners]) {
      try {
        void Promise.resolve(listener(change)).catch(logListenerFailure);
      } catch (error) {
        logListenerFailure(error);
      }
    }
  }

  #keep(key: string, settled: Settled): void {
    this.#lru.set(key, this.#entryOf(settled));
  }

  /** A settled load as the LRU keeps it, living `settled.ttl` from now. */
  #entryOf(settled: Settled): Entry {
    return entryOf(settled, this.#now() + settled.ttl);
  }

  #clearNoConsentHere(key: string): boolean {
    if (this.#lru.peek(key)?.kind !== 'no-consent') return false;
    log('consent event for %s: dropping the cached "no consent"', key);
    return this.#lru.delete(key);
  }

  #forgetHere(igsid: string, businessId: string | undefined): number {
    if (businessId !== undefined) return this.#forgetKey(cacheKey(businessId, igsid)) ? 1 : 0;
    const suffix = `:${igsid}`;
    return this.#forgetWhere((key) => key.endsWith(suffix));
  }

  /** Forgets every key that matches, settled (expired included) or in flight. */
  #forgetWhere(matches: (key: string) => boolean): number {
    const keys = new Set<string>();
    // Collected first: deleting while lru-cache's generator walks its list would break the walk.
    for (const key of this.#lru.keys()) if (matches(key)) keys.add(key);
    for (const key of this.#inFlight.keys()) if (matches(key)) keys.add(key);
    let removed = 0;
    for (const key of keys) if (this.#forgetKey(key)) removed++;
    return removed;
  }

  #forgetKey(key: string): boolean {
    const flight = this.#inFlight.get(key);
    if (flight !== undefined) {
      this.#inFlight.delete(key);
      flight.controller.abort();
    }
    return this.#lru.delete(key) || flight !== undefined;
  }

  /** Another instance changed the key: drop the copy here; a load in flight still answers its callers, but is not kept. */
  #dropHere(key: string): void {
    this.#lru.delete(key);
    const flight = this.#inFlight.get(key);
    if (flight) flight.keep = false;
  }

  /** What another instance asked every instance to drop (keys only, never data). */
  #invalidated(invalidation: Invalidation): void {
    switch (invalidation.scope) {
      case 'profile':
        return this.#dropHere(cacheKey(invalidation.businessId, invalidation.igsid));
      case 'consent':
        return void this.#clearNoConsentHere(cacheKey(invalidation.businessId, invalidation.igsid));
      case 'person':
        return void this.#forgetHere(invalidation.igsid, undefined);
      case 'business':
        return void this.#forgetWhere((key) => key.startsWith(`${invalidation.businessId}:`));
      case 'everything':
        // Messages may have been missed: drop what is held, but let loads in flight answer their turns.
        for (const key of [...this.#lru.keys(), ...this.#inFlight.keys()]) this.#dropHere(key);
    }
  }

  #sharedLevel(store: SharedProfileStore): SharedLevel {
    store.onInvalidate((invalidation) => this.#invalidated(invalidation));
    return new SharedLevel(store, this.#rules);
  }

  #lifetimeRules(): LifetimeRules {
    return {
      now: this.#now,
      staleWhileRevalidate: this.#swr,
      negativeTtl: this.#negativeTtl,
      profileTtl: (profile: InstagramProfile) => this.#profileTtl(profile),
      freshUntil: (profile: InstagramProfile) => this.#now() + Math.min(this.#profileTtl(profile), this.#ttl),
    };
  }

  /** How long a profile may stay: `ttl` (+ the stale window), never past its picture's expiry less the margin. */
  #profileTtl(profile: InstagramProfile): number {
    const lifetime = this.#ttl + this.#swr;
    const expiresAt = pictureExpiresAt(profile.profilePic);
    if (expiresAt === undefined) return lifetime;
    const untilPicture = expiresAt - this.#pictureMargin - this.#now();
    // At least 1 ms: the shared store writes it as Redis's PX, which refuses 0.
    return Math.max(1, Math.min(lifetime, untilPicture));
  }
}

/** One load to start: who, how (see LoadMode), and the lookup's own limits. */
interface LoadRequest {
  key: string;
  businessId: string | undefined;
  igsid: string;
  load: ProfileLoader;
  mode: LoadMode;
  timeout: number;
  grantsConsent: boolean;
}

/** A settled load as the LRU keeps it; `hit` is built once, so a cache hit allocates nothing. */
function entryOf(settled: Settled, expiresAt: number): Entry {
  if (settled.kind === 'profile') {
    const { profile, freshUntil } = settled;
    return { kind: 'profile', profile, freshUntil, expiresAt, hit: { status: 'ok', profile, source: 'cache' } };
  }
  return settled.kind === 'no-consent'
    ? { kind: 'no-consent', expiresAt, hit: { status: 'no-consent', ...(settled.error ? { error: settled.error } : {}) } }
    : { kind: 'not-found', expiresAt, hit: { status: 'not-found', ...(settled.error ? { error: settled.error } : {}) } };
}

/** `<business>:<igsid>`; both parts are digits-only, so keys of two businesses never collide. */
export function cacheKey(businessId: string | undefined, igsid: string): string {
  return `${businessId ?? ''}:${igsid}`;
}

function logListenerFailure(error: unknown): void {
  changeLog('onProfileChange failed: %s', error instanceof Error ? `${error.name}: ${error.message}` : typeof error);
}

/** The package's own errors pass as they are; anything else (a loader's bug, a foreign error) is a failed lookup. */
function asProfileError(error: unknown): InstagramProfileError {
  if (error instanceof InstagramProfileError) return error;
  return new InstagramProfileError('The profile lookup failed', 'LOOKUP_FAILED', { cause: error });
}
