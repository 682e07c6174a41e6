import { describe, functionOption, httpUrlOption, optionalInteger, requiredString } from '../internal/validate.js';
import { MemoryDeletionStatusStore, type DeletionStatusStore } from './statusStore.js';

/**
 * What the callbacks purge through. `InstagramProfileMiddleware` and `RedisProfileStore` both
 * fit; to purge several, pass one object whose `forgetBusiness` calls each.
 */
export interface BusinessPurger {
  forgetBusiness(businessId: string): Promise<unknown>;
}

/**
 * The business account ids that the app user of a `signed_request` connected. With Instagram
 * Login the user id IS the professional account id (the default); with Facebook Login it is
 * an app-scoped person id, which only your own records can map to accounts.
 */
export type BusinessesOf = (userId: string) => readonly string[] | Promise<readonly string[]>;

export interface DeauthorizeHandlerOptions {
  /** The app secret Meta signs the callbacks with (with Instagram Login: the Instagram app secret). Required. */
  appSecret: string | undefined;
  /** Purges everything held for one business account (`InstagramProfileMiddleware`, `RedisProfileStore`, …). Required. */
  profiles: BusinessPurger;
  /** Maps the signed user id to business account ids. Default: `(userId) => [userId]` (Instagram Login). */
  businessesOf?: BusinessesOf | undefined;
}

export interface DeletionHandlerOptions extends DeauthorizeHandlerOptions {
  /** The absolute URL of your status page (`createDeletionStatusHandler`); `?code=<code>` is added to it. Required. */
  statusUrl: string | undefined;
  /**
   * Where confirmation codes and their status are kept: a `DeletionStatusStore`, or a
   * `RedisProfileStore` (its `deletionStatuses`). Default: the `RedisProfileStore` behind
   * `profiles` (`profiles` itself, `profiles.store` of a `ProfileCache` or `profiles.cache.store`
   * of a middleware), so that every instance answers the status page; else a
   * `MemoryDeletionStatusStore` (this process only).
   */
  store?: DeletionStatusStore | StatusStoreHolder | undefined;
  /** How long a confirmation code can be looked up, in ms. Default 7 776 000 000 (90 days). */
  statusTtlMs?: number | undefined;
  /** Clock in ms since the epoch, for the times on the status page. Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface DeletionStatusHandlerOptions {
  /** The store the deletion handler writes to (its `.store`), or the `RedisProfileStore` it uses. Required. */
  store: DeletionStatusStore | StatusStoreHolder;
}

/** A shared store that keeps confirmation codes beside its other data: `RedisProfileStore`. */
export interface StatusStoreHolder {
  readonly deletionStatuses: DeletionStatusStore;
}

export interface ResolvedPurgeOptions {
  appSecret: string;
  profiles: BusinessPurger;
  businessesOf: BusinessesOf;
}

export interface ResolvedDeletionOptions extends ResolvedPurgeOptions {
  statusUrl: URL;
  store: DeletionStatusStore;
  statusTtlMs: number;
  now: () => number;
}

const DEFAULT_STATUS_TTL_MS = 90 * 24 * 3_600_000;
const byItself: BusinessesOf = (userId) => [userId];

export function resolvePurgeOptions(options: DeauthorizeHandlerOptions): ResolvedPurgeOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('Options must be an object');
  return {
    appSecret: requiredString('appSecret', options.appSecret),
    profiles: purgerOption(options.profiles),
    businessesOf: functionOption('businessesOf', options.businessesOf, byItself),
  };
}

export function resolveDeletionOptions(options: DeletionHandlerOptions): ResolvedDeletionOptions {
  const now = functionOption('now', options?.now, Date.now);
  return {
    ...resolvePurgeOptions(options),
    statusUrl: statusUrlOption(options.statusUrl),
    store: options.store === undefined ? (sharedStatusStoreOf(options.profiles) ?? new MemoryDeletionStatusStore({ now })) : storeOption(options.store),
    statusTtlMs: optionalInteger('statusTtlMs', options.statusTtlMs, DEFAULT_STATUS_TTL_MS, 1_000),
    now,
  };
}

export function resolveStatusOptions(options: DeletionStatusHandlerOptions): DeletionStatusStore {
  if (options === null || typeof options !== 'object') throw new TypeError('Options must be an object');
  return storeOption(options.store);
}

function purgerOption(value: unknown): BusinessPurger {
  if (value === null || typeof value !== 'object' || typeof (value as Partial<BusinessPurger>).forgetBusiness !== 'function') {
    throw new TypeError(`Option "profiles" must have a forgetBusiness(businessId) method (InstagramProfileMiddleware, RedisProfileStore), got ${describe(value)}`);
  }
  return value as BusinessPurger;
}

/**
 * The one rule for the default store: the shared store behind `profiles` keeps the codes
 * when it can (`deletionStatuses`). That store is `profiles` itself (a `RedisProfileStore`),
 * `profiles.store` (a `ProfileCache`) or `profiles.cache.store` (an `InstagramProfileMiddleware`).
 */
function sharedStatusStoreOf(profiles: unknown): DeletionStatusStore | undefined {
  const cache = propertyOf(profiles, 'cache');
  for (const candidate of [profiles, propertyOf(profiles, 'store'), propertyOf(cache, 'store')]) {
    const held = heldStatusStore(candidate);
    if (held !== undefined) return held;
  }
  return undefined;
}

function propertyOf(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function heldStatusStore(value: unknown): DeletionStatusStore | undefined {
  const held = propertyOf(value, 'deletionStatuses');
  return isStatusStore(held) ? held : undefined;
}

function isStatusStore(value: unknown): value is DeletionStatusStore {
  const store = value as Partial<DeletionStatusStore> | null;
  return store !== null && typeof store === 'object' && typeof store.get === 'function' && typeof store.set === 'function';
}

/** A store, or the store a `RedisProfileStore` holds: its own get/set are for profiles, and would silently keep no code. */
function storeOption(value: unknown): DeletionStatusStore {
  const store = heldStatusStore(value) ?? value;
  if (!isStatusStore(store)) {
    throw new TypeError(`Option "store" must have get(code) and set(code, record, ttlMs) methods, or be a RedisProfileStore, got ${describe(value)}`);
  }
  return store;
}

/** An absolute http(s) URL; a query of its own is kept (`code` is added to it), credentials and fragments are refused. */
function statusUrlOption(value: unknown): URL {
  if (value === undefined || value === '') throw new TypeError('Option "statusUrl" is missing: the absolute URL of your deletion status page, e.g. https://example.com/instagram/deletion-status');
  return httpUrlOption('statusUrl', value, { query: true });
}
