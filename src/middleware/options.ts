import { ProfileCache, type ProfileCacheOptions } from '../cache/profileCache.js';
import type { InstagramEventOptions } from '../events/index.js';
import { GraphProfileClient } from '../graph/client.js';
import type { GraphProfileClientOptions } from '../graph/options.js';
import { optionalBoolean } from '../internal/validate.js';

export interface InstagramProfileMiddlewareOptions extends Partial<GraphProfileClientOptions>, InstagramEventOptions {
  /** A ready client to use instead of the Graph options above (then `accessToken` is not needed). */
  client?: GraphProfileClient;
  /** Cache options, or a ProfileCache to share between middlewares. Default `{ max: 10_000, ttl: 3_600_000 }`. */
  cache?: ProfileCacheOptions | ProfileCache;
  /** Start the lookup when a consent-granting turn begins, without delaying the handler. Default false. */
  prefetch?: boolean;
}

export interface ResolvedMiddlewareOptions {
  client: GraphProfileClient;
  cache: ProfileCache;
  prefetch: boolean;
  events: InstagramEventOptions;
}

export function resolveMiddlewareOptions(options: InstagramProfileMiddlewareOptions): ResolvedMiddlewareOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('InstagramProfileMiddleware needs an options object');
  const { client, cache, prefetch, icebreakerPayloads, persistentMenuPayloads, instagramAccountIds, ...graph } = options;
  if (client !== undefined && !(client instanceof GraphProfileClient)) throw new TypeError('Option "client" must be a GraphProfileClient');
  return {
    client: client ?? new GraphProfileClient(graph as GraphProfileClientOptions),
    cache: cache instanceof ProfileCache ? cache : new ProfileCache(cache ?? {}),
    prefetch: optionalBoolean('prefetch', prefetch, false),
    events: { icebreakerPayloads, persistentMenuPayloads, instagramAccountIds },
  };
}
