import { ProfileCache, type ProfileCacheOptions } from '../../src/index.js';
import type { RedisProfileStore, RedisProfileStoreOptions } from '../../src/redis/index.js';
import { ioredis, storeFactory } from '../redis/clients.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { HOUR } from './helpers.js';

export interface SharedInstance {
  cache: ProfileCache;
  store: RedisProfileStore;
}

/**
 * Registers the hooks of a suite whose "instances" are ProfileCaches with a RedisProfileStore
 * as their second level: each with its own store and ioredis client, all on one private
 * redis-server (emptied before each test), as separate processes would be. The clock is
 * injected, shared by caches and stores as in production where both read Date.now, and only
 * moves forward: it starts at the real time for each test.
 */
export function sharedCacheSuite() {
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  let ms = 0;
  const clock = {
    now: () => ms,
    advance: (by: number) => void (ms += by),
  };
  beforeEach(async () => {
    ms = Date.now();
    await server().command('FLUSHALL');
  });
  afterEach(() => stores.closeAll());

  /** A cache (ttl 1 h unless `options` says otherwise) over a store of its own; the options may replace the clock. */
  async function instance(options: ProfileCacheOptions = {}, storeOptions: Partial<RedisProfileStoreOptions> = {}): Promise<SharedInstance> {
    const store = await stores.make({ now: clock.now, ...storeOptions });
    return { cache: new ProfileCache({ now: clock.now, ttl: HOUR, ...options, store }), store };
  }
  return { server, clock, instance };
}
