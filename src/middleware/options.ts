import { ProfileCache, type ProfileCacheOptions } from '../cache/profileCache.js';
import type { InstagramEventOptions } from '../events/index.js';
import { GraphProfileClient } from '../graph/client.js';
import { hasThrottles, type GraphProfileClientOptions } from '../graph/options.js';
import { functionOption, optionalBoolean, optionalInteger, requiredAccessToken } from '../internal/validate.js';
import type { ProfileChangeListener } from '../changes/profileChanges.js';
import type { AccessTokenProvider } from '../types.js';

export interface InstagramProfileMiddlewareOptions extends Omit<Partial<GraphProfileClientOptions>, 'accessToken' | 'appSecret' | 'store'>, InstagramEventOptions {
  /**
   * A Page (or Instagram user) access token, or a function of the business account id
   * returning one. Required unless `client` is given. Typed to take `process.env.X` as it
   * is; a missing value is refused at construction, naming the option.
   */
  accessToken?: AccessTokenProvider | undefined;
  /** When set, every call carries `appsecret_proof` and `appsecret_time`. */
  appSecret?: string | undefined;
  /** A ready client to use instead of the Graph options above (then `accessToken` is not needed). */
  client?: GraphProfileClient | undefined;
  /**
   * Cache options, or a ProfileCache to share between middlewares. Default `{ max: 10_000, ttl: 3_600_000 }`.
   * With `store` (a `RedisProfileStore`), several instances share profiles, loads, deletions,
   * and (through the client built here) throttles and open circuits.
   */
  cache?: ProfileCacheOptions | ProfileCache | undefined;
  /** Start the lookup when a consent-granting turn begins, without delaying the handler. Default false. */
  prefetch?: boolean | undefined;
  /**
   * Called once per detected profile change (see docs/changes.md), after the lookup settled,
   * never inside the turn; errors are logged, never thrown. Added to the cache's listeners.
   */
  onProfileChange?: ProfileChangeListener | undefined;
  /**
   * In ms: a consent-granting event from a person whose cached follow flags are older than
   * this re-reads the profile from Graph (one call, as the turn's own lookup), so a new
   * follower is seen within this time instead of after the cache's ttl. Default 0 (off).
   */
  refreshFollowStatusAfter?: number | undefined;
}

export interface ResolvedMiddlewareOptions {
  client: GraphProfileClient;
  cache: ProfileCache;
  prefetch: boolean;
  onProfileChange: ProfileChangeListener | undefined;
  refreshFollowStatusAfter: number;
  events: InstagramEventOptions;
}

export function resolveMiddlewareOptions(options: InstagramProfileMiddlewareOptions): ResolvedMiddlewareOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('InstagramProfileMiddleware needs an options object');
  const { client, cache, prefetch, onProfileChange, refreshFollowStatusAfter, icebreakerPayloads, persistentMenuPayloads, instagramAccountIds, accessToken, ...graph } = options;
  if (client !== undefined && !(client instanceof GraphProfileClient)) throw new TypeError('Option "client" must be a GraphProfileClient');
  if ('store' in graph) throw new TypeError('Option "store" goes in "cache": { cache: { max, ttl, store } }');
  const profileCache = cache instanceof ProfileCache ? cache : new ProfileCache(cache ?? {});
  // The cache's store also carries throttles and open circuits, when it can (RedisProfileStore does).
  const store = hasThrottles(profileCache.store) ? profileCache.store : undefined;
  return {
    client: client ?? new GraphProfileClient({ ...graph, accessToken: requiredAccessToken<AccessTokenProvider>(accessToken), store }),
    cache: profileCache,
    prefetch: optionalBoolean('prefetch', prefetch, false),
    onProfileChange: onProfileChange === undefined ? undefined : functionOption<ProfileChangeListener>('onProfileChange', onProfileChange, onProfileChange),
    refreshFollowStatusAfter: optionalInteger('refreshFollowStatusAfter', refreshFollowStatusAfter, 0, 0, 2 ** 31 - 1),
    events: { icebreakerPayloads, persistentMenuPayloads, instagramAccountIds },
  };
}
