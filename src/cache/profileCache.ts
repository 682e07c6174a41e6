import createDebug from 'debug';
import { LRUCache } from 'lru-cache';
import { ConsentRequiredError, GraphRequestError, InstagramProfileError, ProfileNotFoundError } from '../errors.js';
import { pictureExpiresAt } from '../platform/pictureExpiry.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import { functionOption, optionalInteger } from '../internal/validate.js';

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
  /** Clock in ms (`performance.now`-like or `Date.now`-like). Default `Date.now`. */
  now?: () => number;
}

/** Loads a profile from the Graph API; `signal` aborts when the entry is forgotten. */
export type ProfileLoader = (signal: AbortSignal) => Promise<InstagramProfile>;

/** A settled answer kept in the LRU; `hit` is built once, so a cache hit allocates nothing. */
type Entry =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil: number; hit: ProfileLookup }
  | { kind: 'no-consent'; hit: ProfileLookup }
  | { kind: 'not-found'; hit: ProfileLookup };

/** A load in flight: shared by every caller of its key until it settles. */
interface Flight {
  readonly controller: AbortController;
  readonly answer: Promise<ProfileLookup>;
}

/**
 * An LRU cache of Instagram profiles keyed by business account and IGSID. Concurrent lookups
 * of one key share one load (a single-flight map beside the LRU: lru-cache aborts a fetch
 * whose entry it evicts, so loads in flight stay out of its capacity contest); answers that
 * will not change soon (no consent, not found) are remembered briefly; a profile never
 * outlives its picture URL. One instance may be shared by several middlewares and businesses.
 */
export class ProfileCache {
  /** Settled entries only. `allowStale` is on so that `keys()` reaches expired entries for `forget`; `#read` refuses them. */
  readonly #lru: LRUCache<string, Entry>;
  readonly #inFlight = new Map<string, Flight>();
  readonly #ttl: number;
  readonly #swr: number;
  readonly #negativeTtl: number;
  readonly #pictureMargin: number;
  readonly #now: () => number;

  constructor(options: ProfileCacheOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('ProfileCache options must be an object');
    const max = optionalInteger('cache.max', options.max, 10_000, 1, 100_000_000);
    this.#ttl = optionalInteger('cache.ttl', options.ttl, 3_600_000, 1, 2 ** 31 - 1);
    this.#swr = optionalInteger('cache.staleWhileRevalidate', options.staleWhileRevalidate, 0, 0, 2 ** 31 - 1);
    this.#negativeTtl = optionalInteger('cache.negativeTtl', options.negativeTtl, 60_000, 1, 2 ** 31 - 1);
    this.#pictureMargin = optionalInteger('cache.pictureExpiryMargin', options.pictureExpiryMargin, 600_000, 0, 2 ** 31 - 1);
    this.#now = functionOption('cache.now', options.now, Date.now);
    this.#lru = new LRUCache<string, Entry>({
      max,
      ttl: this.#ttl,
      allowStale: true,
      // With an injected clock, read it on every check (lru-cache otherwise reuses a reading
      // for 1 ms of real time); with the real one, keep lru-cache's cheaper default.
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  /** Number of entries held (profiles and remembered failures, expired ones not yet dropped included); loads in flight are not entries. */
  get size(): number {
    return this.#lru.size;
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
  lookup(businessId: string | undefined, igsid: string, load: ProfileLoader, { forceRefresh = false } = {}): Promise<ProfileLookup> {
    const key = cacheKey(businessId, igsid);
    if (!forceRefresh) {
      const cached = this.#cached(key);
      if (cached !== undefined) {
        // One background refresh per key: a stale reader joins the load already in flight.
        if (cached.status === 'ok' && cached.source === 'stale' && !this.#inFlight.has(key)) void this.#startLoad(key, load);
        // A hit is answered without an async hop: this is the hot path of every turn that asks.
        return Promise.resolve(cached);
      }
    }
    return this.#inFlight.get(key)?.answer ?? this.#startLoad(key, load);
  }

  /** Stores a profile obtained elsewhere (e.g. from a batch call). */
  set(businessId: string | undefined, profile: InstagramProfile): void {
    this.#keep(cacheKey(businessId, profile.id), this.#profileEntry(profile));
  }

  /** A new consent-granting event from this person: a remembered "no consent" no longer holds. */
  clearNoConsent(businessId: string | undefined, igsid: string): boolean {
    const key = cacheKey(businessId, igsid);
    if (this.#lru.peek(key)?.kind !== 'no-consent') return false;
    log('consent event from %s: dropping the cached "no consent"', igsid);
    return this.#lru.delete(key);
  }

  /**
   * Removes what is known of a person (data-deletion requests): fresh, stale and expired
   * entries, and loads in flight, which are aborted and whose results are not kept. Without
   * `businessId`, for every business. Returns how many keys went.
   */
  forget(igsid: string, businessId?: string): number {
    if (businessId !== undefined) return this.#forgetKey(cacheKey(businessId, igsid)) ? 1 : 0;
    const suffix = `:${igsid}`;
    const keys = new Set<string>();
    // Collected first: deleting while lru-cache's generator walks its list would break the walk.
    for (const key of this.#lru.keys()) if (key.endsWith(suffix)) keys.add(key);
    for (const key of this.#inFlight.keys()) if (key.endsWith(suffix)) keys.add(key);
    let removed = 0;
    for (const key of keys) if (this.#forgetKey(key)) removed++;
    return removed;
  }

  /** Empties the cache; loads in flight are aborted and their results are not kept. */
  clear(): void {
    for (const flight of this.#inFlight.values()) flight.controller.abort();
    this.#inFlight.clear();
    this.#lru.clear();
  }

  #cached(key: string): ProfileLookup | undefined {
    const entry = this.#read(key);
    if (entry === undefined) return undefined;
    if (entry.kind !== 'profile' || entry.freshUntil > this.#now()) return entry.hit;
    return this.#swr > 0 ? { status: 'ok', profile: entry.profile, source: 'stale' } : undefined;
  }

  /** An entry still within its lifetime (refreshing its recency), or undefined; an expired one is dropped. */
  #read(key: string): Entry | undefined {
    if (this.#lru.getRemainingTTL(key) < 0) {
      this.#lru.delete(key);
      return undefined;
    }
    return this.#lru.get(key);
  }

  #startLoad(key: string, load: ProfileLoader): Promise<ProfileLookup> {
    const controller = new AbortController();
    const answer = this.#settle(key, load, controller.signal);
    this.#inFlight.set(key, { controller, answer });
    return answer;
  }

  /** Runs one load to its answer for every caller sharing it, keeping what it learned unless the key was forgotten meanwhile. */
  async #settle(key: string, load: ProfileLoader, signal: AbortSignal): Promise<ProfileLookup> {
    let entry: Entry | undefined;
    let failure: unknown;
    try {
      entry = await this.#loadEntry(load, signal);
    } catch (error) {
      failure = error;
    } finally {
      if (this.#inFlight.get(key)?.controller.signal === signal) this.#inFlight.delete(key);
    }
    if (signal.aborted) return { status: 'unavailable', error: new GraphRequestError('The profile was forgotten while it was loading', 'GRAPH_ABORTED') };
    if (entry !== undefined) {
      this.#keep(key, entry);
      return entry.kind === 'profile' ? { status: 'ok', profile: entry.profile, source: 'graph' } : entry.hit;
    }
    // Anything else is not kept, and removes nothing: a profile still fresh, or within the
    // stale window, answers instead (as `stale`: the re-read the caller asked for failed).
    const held = this.#read(key);
    if (held?.kind === 'profile' && (this.#swr > 0 || held.freshUntil > this.#now())) return { status: 'ok', profile: held.profile, source: 'stale' };
    return { status: 'unavailable', error: asProfileError(failure) };
  }

  /**
   * What a local miss settles into: the one place a shared second level (a store several
   * instances read) slots in, between this cache and the loader that calls Graph. Answers
   * that will not change for a while become entries; other failures are thrown.
   */
  async #loadEntry(load: ProfileLoader, signal: AbortSignal): Promise<Entry> {
    try {
      return this.#profileEntry(await load(signal));
    } catch (error) {
      if (error instanceof ConsentRequiredError) return { kind: 'no-consent', hit: { status: 'no-consent', error } };
      if (error instanceof ProfileNotFoundError) return { kind: 'not-found', hit: { status: 'not-found', error } };
      throw error;
    }
  }

  #keep(key: string, entry: Entry): void {
    const ttl = entry.kind === 'profile' ? this.#profileTtl(entry.profile) : this.#negativeTtl;
    this.#lru.set(key, entry, { ttl });
  }

  #forgetKey(key: string): boolean {
    const flight = this.#inFlight.get(key);
    if (flight !== undefined) {
      this.#inFlight.delete(key);
      flight.controller.abort();
    }
    return this.#lru.delete(key) || flight !== undefined;
  }

  #profileEntry(profile: InstagramProfile): Entry {
    const freshFor = Math.min(this.#profileTtl(profile), this.#ttl);
    return { kind: 'profile', profile, freshUntil: this.#now() + freshFor, hit: { status: 'ok', profile, source: 'cache' } };
  }

  /** How long a profile may stay: `ttl` (+ the stale window), never past its picture's expiry less the margin. */
  #profileTtl(profile: InstagramProfile): number {
    const lifetime = this.#ttl + this.#swr;
    const expiresAt = pictureExpiresAt(profile.profilePic);
    if (expiresAt === undefined) return lifetime;
    const untilPicture = expiresAt - this.#pictureMargin - this.#now();
    // lru-cache treats ttl 0 as "forever": an already-expiring picture gets 1 ms instead.
    return Math.max(1, Math.min(lifetime, untilPicture));
  }
}

/** `<business>:<igsid>`; both parts are digits-only, so keys of two businesses never collide. */
export function cacheKey(businessId: string | undefined, igsid: string): string {
  return `${businessId ?? ''}:${igsid}`;
}

/** The package's own errors pass as they are; anything else (a loader's bug, a foreign error) is a failed lookup. */
function asProfileError(error: unknown): InstagramProfileError {
  if (error instanceof InstagramProfileError) return error;
  return new InstagramProfileError('The profile lookup failed', 'LOOKUP_FAILED', { cause: error });
}
