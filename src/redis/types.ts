import type { InstagramProfile } from '../types.js';

/*
 * The shared tier as small, framework-neutral interfaces: what ProfileCache, the Graph
 * client and the webhook adapter call. `RedisProfileStore` implements all of them; a test
 * double or another store may implement only the part it needs.
 */

/** Where the store stands: `degraded` means Redis is unreachable, slow or the bus is down, and callers act local-only. */
export type RedisStoreStatus = 'connecting' | 'ready' | 'degraded' | 'closed';

/** A profile or a remembered failure as the shared tier holds it; times are on the caller's clock (`now`). */
export type SharedProfileEntry =
  | {
      kind: 'profile';
      profile: InstagramProfile;
      /** When the entry leaves Redis: the remaining lifetime to give the local cache. */
      expiresAt: number;
      /** Past this, the profile is stale (stale-while-revalidate). */
      freshUntil: number;
      /** True when the store keeps no picture URLs (`storePictures: false`): `profilePic` is null here, whatever the person has. */
      pictureOmitted: boolean;
    }
  | { kind: 'no-consent' | 'not-found'; expiresAt: number };

/** What a caller writes: a profile (fresh until `freshUntil`, default its whole lifetime) or a remembered failure. */
export type SharedProfileWrite =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil?: number }
  | { kind: 'no-consent' | 'not-found' };

/** Held while one instance loads a customer from Graph; others wait for its result. */
export interface ProfileLease {
  readonly businessId: string | undefined;
  readonly igsid: string;
  /** Random owner token: only the holder releases it. */
  readonly token: string;
}

/**
 * The outcome of asking for the load lease:
 * - `acquired`: call Graph, then `publishResult`;
 * - `present`: another instance stored the entry meanwhile: use it;
 * - `held`: another instance is loading: `waitForResult`;
 * - `unavailable`: Redis is degraded: load locally.
 */
export type LeaseOutcome =
  | { kind: 'acquired'; lease: ProfileLease }
  | { kind: 'present'; entry: SharedProfileEntry }
  | { kind: 'held' }
  | { kind: 'unavailable' };

/** The second-level profile cache and the one-load-per-customer lease. */
export interface SharedProfileTier {
  get(businessId: string | undefined, igsid: string): Promise<SharedProfileEntry | undefined>;
  /** Stores an entry for `ttlMs` (from now). Resolves false when it was not stored (Redis degraded, bad ids, forgotten meanwhile). */
  set(businessId: string | undefined, igsid: string, entry: SharedProfileWrite, ttlMs: number): Promise<boolean>;
  /** Asks for the lease of a customer's load, for `ms` (default: the store's own lease length). */
  tryLease(businessId: string | undefined, igsid: string, ms?: number): Promise<LeaseOutcome>;
  /** Stores the holder's result (none when its load failed), releases the lease and wakes the waiters on every instance. */
  publishResult(lease: ProfileLease, entry: SharedProfileWrite | undefined, ttlMs: number): Promise<void>;
  /**
   * The entry another instance is loading, once it is stored; undefined when the wait ends
   * without one (its load failed, its holder died and the lease lapsed, Redis degraded,
   * `timeoutMs` passed or `signal` aborted): take the lease if time remains.
   */
  waitForResult(businessId: string | undefined, igsid: string, timeoutMs: number, signal?: AbortSignal): Promise<SharedProfileEntry | undefined>;
}

/**
 * What another instance asked to drop locally. Carries keys only, never profile data.
 * - `profile`: one customer of one business (forget with a business, refresh);
 * - `consent`: a consent-granting event: drop a remembered "no consent" only;
 * - `person`: one customer in every business (forget without a business);
 * - `business`: everything of one business (forgetBusiness);
 * - `everything`: the bus was interrupted and messages may have been missed.
 */
export type Invalidation =
  | { scope: 'profile' | 'consent'; businessId: string | undefined; igsid: string }
  | { scope: 'person'; igsid: string }
  | { scope: 'business'; businessId: string }
  | { scope: 'everything' };

/** What a deletion reached: `complete` is false when Redis failed midway (it is retried when Redis returns). */
export interface ForgetResult {
  removed: number;
  complete: boolean;
}

/** The invalidation bus and data deletion across instances. Listeners hear other instances, not their own. */
export interface InvalidationBus {
  onInvalidate(listener: (invalidation: Invalidation) => void): () => void;
  /** Drops the customer's entry locally on every other instance (after a refresh stored a new one). */
  invalidate(businessId: string | undefined, igsid: string): Promise<void>;
  /** Deletes the shared "no consent" of this customer, if any, and tells every instance to drop theirs. */
  clearNoConsent(businessId: string | undefined, igsid: string): Promise<void>;
  forget(igsid: string, businessId?: string): Promise<ForgetResult>;
  forgetBusiness(businessId: string): Promise<ForgetResult>;
}

/** `*` is the whole app (Graph code 4, or calls made without a business id); otherwise a business id. */
export type ThrottleScope = string;

export type ThrottleReason = 'rate-limited' | 'circuit-open';

/** A pause of Graph calls shared by every instance; `until` on the caller's clock, 0 when lifted. */
export interface ThrottleNotice {
  scope: ThrottleScope;
  until: number;
  reason: ThrottleReason;
}

/** Throttles and open circuits, spread over the bus and kept with an expiry for instances that start later. */
export interface SharedThrottles {
  /** Shares a pause until `untilMs` (caller's clock); an `untilMs` at or before now lifts it. */
  publishThrottle(scope: ThrottleScope, untilMs: number, reason: ThrottleReason): Promise<void>;
  onThrottle(listener: (notice: ThrottleNotice) => void): () => void;
  /** The pauses in force, read once at start and after a reconnect (the store also replays them to `onThrottle` listeners then). */
  readThrottles(): Promise<ThrottleNotice[]>;
}

export type DeliveryVerdict = 'first' | 'duplicate' | 'unknown';

/**
 * Webhook de-duplication shared by every instance. `unknown` when Redis cannot tell: the
 * caller's local check stands. A delivery received but never completed stops counting as
 * a duplicate after `reclaimAfterMs`, so a later durable inbox can hand it to another instance.
 */
export interface SharedDeliveryLedger {
  received(digest: string, ttlMs: number): Promise<DeliveryVerdict>;
  completed(digest: string, ttlMs: number): Promise<void>;
}
