import { ProfileCache, type ProfileCacheOptions } from '../cache/profileCache.js';
import type { InstagramEventOptions } from '../events/index.js';
import { GraphProfileClient } from '../graph/client.js';
import { hasThrottles, type GraphProfileClientOptions } from '../graph/options.js';
import { optionalBoolean, requiredAccessToken } from '../internal/validate.js';
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
}

export interface ResolvedMiddlewareOptions {
  client: GraphProfileClient;
  cache: ProfileCache;
  prefetch: boolean;
  events: InstagramEventOptions;
}

export function resolveMiddlewareOptions(options: InstagramProfileMiddlewareOptions): ResolvedMiddlewareOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('InstagramProfileMiddleware needs an options object');
  const { client, cache, prefetch, icebreakerPayloads, persistentMenuPayloads, instagramAccountIds, accessToken, ...graph } = options;
  if (client !== undefined && !(client instanceof GraphProfileClient)) throw new TypeError('Option "client" must be a GraphProfileClient');
  if ('store' in graph) throw new TypeError('Option "store" goes in "cache": { cache: { max, ttl, store } }');
  const profileCache = cache instanceof ProfileCache ? cache : new ProfileCache(cache ?? {});
  // The cache's store also carries throttles and open circuits, when it can (RedisProfileStore does).
  const store = hasThrottles(profileCache.store) ? profileCache.store : undefined;
  return {
    client: client ?? new GraphProfileClient({ ...graph, accessToken: requiredAccessToken<AccessTokenProvider>(accessToken), store }),
    cache: profileCache,
    prefetch: optionalBoolean('prefetch', prefetch, false),
    events: { icebreakerPayloads, persistentMenuPayloads, instagramAccountIds },
  };
}
