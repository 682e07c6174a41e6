import { defaultGraphUrlFor } from '../platform/hosts.js';
import type { Dispatcher } from 'undici';
import {
  apiVersionOption,
  baseUrlOption,
  describe,
  dispatcherOption,
  functionOption,
  objectOrFalse,
  optionalInteger,
  optionalString,
  requiredAccessToken,
} from '../internal/validate.js';
import { fieldIntroducedIn, fieldsForVersion, isFieldAvailable, isProfileField, LATEST_API_VERSION, type ProfileField } from '../platform/versions.js';
import type { SharedThrottles } from '../redis/types.js';
import type { AccessTokenProvider } from '../types.js';
import type { CircuitBreakerOptions } from './circuitBreaker.js';

export interface GraphProfileClientOptions {
  /**
   * A Page (or Instagram user) access token, or a function of the business account id (and
   * an abort signal) returning one. Required; the type takes `process.env.X` as it is, and a
   * missing token is refused at construction.
   */
  accessToken: AccessTokenProvider | undefined;
  /** When set, every call carries `appsecret_proof` and `appsecret_time`. */
  appSecret?: string | undefined;
  /** Graph API version to pin. Default: `LATEST_API_VERSION` (v26.0). */
  apiVersion?: string | undefined;
  /** `https://graph.facebook.com` (Facebook Login), `https://graph.instagram.com` (Instagram Login) or the emulator's URL. Default: the host of a string token (graph.instagram.com for `IG…` tokens), else graph.facebook.com. */
  graphUrl?: string | undefined;
  /** Fields to request. Default: every field the `apiVersion` has. */
  fields?: readonly ProfileField[] | undefined;
  /** Deadline for one `fetchProfile` in ms: the accessToken function, every attempt and every wait included. Default 3000. */
  timeout?: number | undefined;
  /** Retries of transient failures. Default 2. */
  retries?: number | undefined;
  /** First retry delay bound in ms; doubles per retry, full jitter. Default 200. */
  retryDelay?: number | undefined;
  /** Cap of one retry delay in ms. Default 2000. */
  maxRetryDelay?: number | undefined;
  /** Pause after a rate-limit error that carries no `estimated_time_to_regain_access`, in ms; doubles while throttling repeats (up to 1 h). Default 60 000. */
  rateLimitBackoff?: number | undefined;
  /** Pause calls for a business after repeated failures; `false` turns it off. Default `{ threshold: 5, cooldown: 30_000 }`. */
  circuitBreaker?: CircuitBreakerOptions | false | undefined;
  /** Largest reply body read, in bytes. Default 65 536. */
  maxResponseBytes?: number | undefined;
  /** The undici Dispatcher to send through (a MockAgent in tests). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher | undefined;
  /** Clock in ms since the epoch (for `appsecret_time` and throttling). Default `Date.now`. */
  now?: () => number | undefined;
  /** Source of randomness in [0, 1) for retry jitter. Default `Math.random`. */
  random?: () => number | undefined;
  /**
   * Shares throttles and open circuits with other instances (`RedisProfileStore`): when one
   * is rate-limited or opens its circuit, every instance stops calling until it ends. Spread
   * over the store's bus, read once at start and after a reconnect; never a Redis read per
   * call. Use the store's clock as `now`. The middleware passes its cache's store here. Default: none.
   */
  store?: SharedThrottles | undefined;
}

export interface ResolvedClientOptions {
  accessToken: AccessTokenProvider;
  appSecret: string | undefined;
  apiVersion: string;
  graphUrl: string;
  fields: readonly ProfileField[];
  fieldsParam: string;
  timeout: number;
  retries: number;
  retryDelay: number;
  maxRetryDelay: number;
  rateLimitBackoff: number;
  circuitBreaker: Required<CircuitBreakerOptions> | false;
  maxResponseBytes: number;
  dispatcher: Dispatcher | undefined;
  now: () => number;
  random: () => number;
  store: SharedThrottles | undefined;
}

/**
 * `graphUrl` as given, else the host the token belongs to (see `defaultGraphUrlFor`): one
 * rule for the profile client, the Send API client and the adapters.
 */
export function graphUrlOption(graphUrl: unknown, accessToken: unknown): string {
  return baseUrlOption('graphUrl', graphUrl, defaultGraphUrlFor(accessToken));
}

export function resolveClientOptions(options: GraphProfileClientOptions): ResolvedClientOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('GraphProfileClient needs an options object');
  const apiVersion = apiVersionOption(options.apiVersion, LATEST_API_VERSION);
  const fields = resolveFields(options.fields, apiVersion);
  return {
    accessToken: requiredAccessToken<AccessTokenProvider>(options.accessToken),
    appSecret: optionalString('appSecret', options.appSecret),
    apiVersion,
    graphUrl: graphUrlOption(options.graphUrl, options.accessToken),
    fields,
    fieldsParam: fields.join(','),
    timeout: optionalInteger('timeout', options.timeout, 3_000, 1, 600_000),
    retries: optionalInteger('retries', options.retries, 2, 0, 10),
    retryDelay: optionalInteger('retryDelay', options.retryDelay, 200, 0, 60_000),
    maxRetryDelay: optionalInteger('maxRetryDelay', options.maxRetryDelay, 2_000, 0, 600_000),
    rateLimitBackoff: optionalInteger('rateLimitBackoff', options.rateLimitBackoff, 60_000, 1, 3_600_000),
    circuitBreaker: resolveCircuitBreaker(options.circuitBreaker),
    maxResponseBytes: optionalInteger('maxResponseBytes', options.maxResponseBytes, 65_536, 1_024, 16 * 1024 * 1024),
    dispatcher: dispatcherOption<Dispatcher>(options.dispatcher),
    now: functionOption('now', options.now, Date.now),
    random: functionOption('random', options.random, Math.random),
    store: throttlesOption(options.store),
  };
}

/** True for a store that shares throttles (RedisProfileStore); a cache-only store is not one. */
export function hasThrottles(value: unknown): value is SharedThrottles {
  const candidate = value as Partial<Record<keyof SharedThrottles, unknown>> | null | undefined;
  return typeof candidate?.publishThrottle === 'function' && typeof candidate.onThrottle === 'function' && typeof candidate.readThrottles === 'function';
}

function throttlesOption(value: unknown): SharedThrottles | undefined {
  if (value === undefined) return undefined;
  if (!hasThrottles(value)) throw new TypeError(`Option "store" must be a RedisProfileStore (publishThrottle, onThrottle, readThrottles), got ${describe(value)}`);
  return value;
}

function resolveFields(fields: unknown, apiVersion: string): readonly ProfileField[] {
  if (fields === undefined) return fieldsForVersion(apiVersion);
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('Option "fields" must be a non-empty array of profile field names');
  for (const field of fields) {
    if (!isProfileField(field)) throw new RangeError(`Option "fields" has an unknown profile field: ${typeof field === 'string' ? `"${field.slice(0, 40)}"` : describe(field)}`);
    if (!isFieldAvailable(field, apiVersion)) {
      throw new RangeError(`Option "fields": "${field}" does not exist in Graph API ${apiVersion} (it exists from ${fieldIntroducedIn(field)})`);
    }
  }
  return [...new Set(fields as ProfileField[])];
}

function resolveCircuitBreaker(value: unknown): Required<CircuitBreakerOptions> | false {
  const options = objectOrFalse<CircuitBreakerOptions>('circuitBreaker', value);
  if (!options) return false;
  return {
    threshold: optionalInteger('circuitBreaker.threshold', options.threshold, 5, 1, 1_000),
    cooldown: optionalInteger('circuitBreaker.cooldown', options.cooldown, 30_000, 1, 3_600_000),
  };
}
