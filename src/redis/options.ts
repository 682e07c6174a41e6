import { describe, functionOption, optionalBoolean, optionalInteger, optionalString } from '../internal/validate.js';
import { isRedisClientLike, type RedisClientLike, type RedisSubscriberLike } from './clients.js';

export interface RedisProfileStoreOptions {
  /** Your ioredis, iovalkey or node-redis (v5+) client; the store never reads connection strings and never closes it. Required. */
  client: RedisClientLike;
  /**
   * A connection for pub/sub, which the store uses for nothing else. Default: `client.duplicate()`
   * (connected by the store for node-redis), closed by `store.close()`.
   */
  subscriber?: RedisSubscriberLike;
  /** Prefix of every key. Default `'igp:'`. No braces or glob characters (`{}*?[]\`). */
  keyPrefix?: string;
  /** Pub/sub channel of invalidations, results and throttles. Default `<keyPrefix>bus`. */
  channel?: string;
  /** Deadline of each Redis command, in ms; past it the store acts local-only. Default 50. */
  operationTimeoutMs?: number;
  /** Lifetime of the lease of a customer's first load, in ms: how long others wait if its holder dies. Default 2 000. */
  leaseMs?: number;
  /** Whether stored profiles carry `profilePic` (some deployments must not store picture URLs). Default true. */
  storePictures?: boolean;
  /** A delivery received but not completed this long ago stops counting as a duplicate, in ms. Default 600 000 (10 min). */
  reclaimAfterMs?: number;
  /** While degraded, how often Redis is probed, in ms. Default 1 000. */
  retryIntervalMs?: number;
  /** Clock in ms (`Date.now`-like or `performance.now`-like). Default `Date.now`. */
  now?: () => number;
}

export interface ResolvedStoreOptions {
  client: RedisClientLike;
  subscriber: RedisSubscriberLike | undefined;
  keyPrefix: string;
  channel: string;
  operationTimeoutMs: number;
  leaseMs: number;
  storePictures: boolean;
  reclaimAfterMs: number;
  retryIntervalMs: number;
  now: () => number;
}

/** Every default of the store, checked at construction. */
export function resolveStoreOptions(options: RedisProfileStoreOptions): ResolvedStoreOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('RedisProfileStore needs an options object');
  if (!isRedisClientLike(options.client)) {
    throw new TypeError(`Option "client" must be an ioredis, iovalkey or node-redis client (with call(...) or sendCommand([...])), got ${describe(options.client)}`);
  }
  const subscriber = options.subscriber;
  if (subscriber !== undefined && (subscriber === null || typeof (subscriber as { subscribe?: unknown }).subscribe !== 'function')) {
    throw new TypeError(`Option "subscriber" must be a Redis client that can subscribe, got ${describe(subscriber)}`);
  }
  if (subscriber === undefined && typeof options.client.duplicate !== 'function') {
    throw new TypeError('Option "subscriber" is required when "client" has no duplicate(): pub/sub needs a connection of its own');
  }
  const keyPrefix = optionalString('keyPrefix', options.keyPrefix) ?? 'igp:';
  if (/[{}*?[\]\\]/.test(keyPrefix)) throw new TypeError('Option "keyPrefix" must not contain braces or glob characters ({ } * ? [ ] \\)');
  return {
    client: options.client,
    subscriber,
    keyPrefix,
    channel: optionalString('channel', options.channel) ?? `${keyPrefix}bus`,
    operationTimeoutMs: optionalInteger('operationTimeoutMs', options.operationTimeoutMs, 50, 1, 60_000),
    leaseMs: optionalInteger('leaseMs', options.leaseMs, 2_000, 10, 600_000),
    storePictures: optionalBoolean('storePictures', options.storePictures, true),
    reclaimAfterMs: optionalInteger('reclaimAfterMs', options.reclaimAfterMs, 600_000, 1, 2 ** 31 - 1),
    retryIntervalMs: optionalInteger('retryIntervalMs', options.retryIntervalMs, 1_000, 10, 600_000),
    now: functionOption('now', options.now, Date.now),
  };
}
