import createDebug from 'debug';
import { LRUCache } from 'lru-cache';
import { ConsentRequiredError, InstagramProfileError, ProfileNotFoundError } from '../errors.js';
import { pictureExpiresAt } from '../platform/pictureExpiry.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import { optionalInteger } from '../internal/validate.js';

const log = createDebug('instagram-profile:cache');

export interface ProfileCacheOptions {
  /** Most profiles kept; the least recently used go first. Default 10 000. */
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

/** A cached answer; `hit` is built once, so a cache hit allocates nothing. */
type Entry =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil: number; hit: ProfileLookup }
  | { kind: 'no-consent'; hit: ProfileLookup }
  | { kind: 'not-found'; hit: ProfileLookup };

interface FetchContext {
  load: ProfileLoader;
}

/**
 * An LRU cache of Instagram profiles keyed by business account and IGSID, over lru-cache's
 * `fetch()`: concurrent lookups of one key share one load, failures that will not change
 * soon (no consent, not found) are remembered briefly, and a profile never outlives its
 * picture URL. One instance may be shared by several middlewares and businesses.
 */
export class ProfileCache {
  readonly #lru: LRUCache<string, Entry, FetchContext>;
  readonly #ttl: number;
  readonly #swr: number;
  readonly #negativeTtl: number;
  readonly #pictureMargin: number;
  readonly #now: () => number;
  /** Keys with a load in flight: lru-cache's `keys()` leaves them out, and `forget` must reach them. */
  readonly #loading = new Map<string, number>();

  constructor(options: ProfileCacheOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('ProfileCache options must be an object');
    const max = optionalInteger('cache.max', options.max, 10_000, 1, 100_000_000);
    this.#ttl = optionalInteger('cache.ttl', options.ttl, 3_600_000, 1, 2 ** 31 - 1);
    this.#swr = optionalInteger('cache.staleWhileRevalidate', options.staleWhileRevalidate, 0, 0, 2 ** 31 - 1);
    this.#negativeTtl = optionalInteger('cache.negativeTtl', options.negativeTtl, 60_000, 1, 2 ** 31 - 1);
    this.#pictureMargin = optionalInteger('cache.pictureExpiryMargin', options.pictureExpiryMargin, 600_000, 0, 2 ** 31 - 1);
    if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('Option "cache.now" must be a function');
    this.#now = options.now ?? Date.now;
    this.#lru = new LRUCache<string, Entry, FetchContext>({
      max,
      ttl: this.#ttl,
      // With an injected clock, read it on every check (lru-cache otherwise reuses a reading
      // for 1 ms of real time); with the real one, keep lru-cache's cheaper default.
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
      // A failed background refresh keeps the stale entry; forgetting one aborts its load.
      noDeleteOnFetchRejection: this.#swr > 0,
      fetchMethod: (key, _stale, { signal, options, context }) => this.#load(key, context, signal, options),
    });
  }

  /** Number of entries (profiles and remembered failures). */
  get size(): number {
    return this.#lru.size;
  }

  /**
   * The cached lookup without any I/O: a fresh profile (`cache`), one past its `ttl` but in
   * the stale-while-revalidate window (`stale`), a remembered failure, or undefined.
   */
  peek(businessId: string | undefined, igsid: string): ProfileLookup | undefined {
    const entry = this.#lru.get(cacheKey(businessId, igsid));
    if (entry === undefined) return undefined;
    if (entry.kind === 'profile' && entry.freshUntil <= this.#now()) return { status: 'ok', profile: entry.profile, source: 'stale' };
    return entry.hit;
  }

  /**
   * The profile of `igsid` for `businessId`: from the cache when fresh, else loaded with
   * `load` (one load per key at a time, shared by every caller). Past `ttl` and within the
   * stale-while-revalidate window, the stale profile is answered at once and re-read in the
   * background. `forceRefresh` skips the cached value. Never throws: failures are results.
   */
  lookup(businessId: string | undefined, igsid: string, load: ProfileLoader, { forceRefresh = false } = {}): Promise<ProfileLookup> {
    const key = cacheKey(businessId, igsid);
    const cached = forceRefresh ? undefined : this.peek(businessId, igsid);
    if (cached?.status === 'ok' && cached.source === 'stale') {
      // Serve it now; one background refresh per key, sharing lru-cache's in-flight load.
      this.#lru.fetch(key, { forceRefresh: true, allowStale: true, context: { load } }).catch(() => undefined);
    }
    // A hit is answered without an async hop: this is the hot path of every turn that asks.
    return cached ? Promise.resolve(cached) : this.#fetch(key, businessId, igsid, load, forceRefresh);
  }

  async #fetch(key: string, businessId: string | undefined, igsid: string, load: ProfileLoader, forceRefresh: boolean): Promise<ProfileLookup> {
    try {
      const entry = await this.#lru.fetch(key, { forceRefresh, context: { load } });
      if (entry === undefined) return { status: 'unavailable' };
      return entry.kind === 'profile' ? { status: 'ok', profile: entry.profile, source: 'graph' } : entry.hit;
    } catch (error) {
      const stale = this.peek(businessId, igsid);
      if (stale?.status === 'ok') return { ...stale, source: 'stale' };
      return { status: 'unavailable', error: asProfileError(error) };
    }
  }

  /** Stores a profile obtained elsewhere (e.g. from a batch call). */
  set(businessId: string | undefined, profile: InstagramProfile): void {
    const ttl = this.#profileTtl(profile);
    this.#lru.set(cacheKey(businessId, profile.id), this.#profileEntry(profile, ttl), { ttl });
  }

  /** A new consent-granting event from this person: a remembered "no consent" no longer holds. */
  clearNoConsent(businessId: string | undefined, igsid: string): boolean {
    const key = cacheKey(businessId, igsid);
    if (this.#lru.peek(key)?.kind !== 'no-consent') return false;
    log('consent event from %s: dropping the cached "no consent"', igsid);
    return this.#lru.delete(key);
  }

  /** Removes what is known of a person (data-deletion requests). Without `businessId`, for every business. */
  forget(igsid: string, businessId?: string): number {
    if (businessId !== undefined) return this.#lru.delete(cacheKey(businessId, igsid)) ? 1 : 0;
    const suffix = `:${igsid}`;
    let removed = 0;
    for (const key of new Set([...this.#lru.keys(), ...this.#loading.keys()])) if (key.endsWith(suffix) && this.#lru.delete(key)) removed++;
    return removed;
  }

  clear(): void {
    this.#lru.clear();
  }

  async #load(key: string, context: FetchContext, signal: AbortSignal, options: { ttl?: number }): Promise<Entry> {
    this.#loading.set(key, (this.#loading.get(key) ?? 0) + 1);
    try {
      const profile = await context.load(signal);
      const ttl = this.#profileTtl(profile);
      options.ttl = ttl;
      return this.#profileEntry(profile, ttl);
    } catch (error) {
      // Answers that will not change for a while are remembered briefly; anything else is not cached.
      if (error instanceof ConsentRequiredError) {
        options.ttl = this.#negativeTtl;
        return { kind: 'no-consent', hit: { status: 'no-consent', error } };
      }
      if (error instanceof ProfileNotFoundError) {
        options.ttl = this.#negativeTtl;
        return { kind: 'not-found', hit: { status: 'not-found', error } };
      }
      throw error;
    } finally {
      const left = (this.#loading.get(key) ?? 1) - 1;
      if (left > 0) this.#loading.set(key, left);
      else this.#loading.delete(key);
    }
  }

  #profileEntry(profile: InstagramProfile, ttl: number): Entry {
    return { kind: 'profile', profile, freshUntil: this.#now() + Math.min(ttl, this.#ttl), hit: { status: 'ok', profile, source: 'cache' } };
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

function asProfileError(error: unknown): InstagramProfileError {
  if (error instanceof InstagramProfileError) return error;
  return new InstagramProfileError('The profile lookup failed', 'GRAPH_ABORTED', { cause: error });
}
