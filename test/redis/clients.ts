import { Redis } from 'ioredis';
import { Redis as Valkey } from 'iovalkey';
import { createClient } from 'redis';
import { RedisProfileStore, type RedisProfileStoreOptions, type RedisClientLike } from '../../src/redis/index.js';
import type { RedisTestServer } from '../support/redisServer.js';

/** One Redis client family, made as its users make it, reconnecting fast for tests. */
export interface ClientKind {
  name: string;
  create(server: Endpoint): Promise<RedisClientLike & { duplicate(): unknown }>;
  close(client: unknown): Promise<void>;
}

/** Where a client connects: the test server, or a proxy in front of it. */
export interface Endpoint {
  port: number;
  url: string;
}

export function endpoint(port: number): Endpoint {
  return { port, url: `redis://127.0.0.1:${port}` };
}

const RECONNECT_MS = 20;
const ignore = () => undefined;

export const ioredis: ClientKind = {
  name: 'ioredis',
  async create(server) {
    const client = new Redis(server.port, '127.0.0.1', { retryStrategy: () => RECONNECT_MS, maxRetriesPerRequest: null });
    client.on('error', ignore);
    return client;
  },
  async close(client) {
    (client as Redis).disconnect();
  },
};

export const iovalkey: ClientKind = {
  name: 'iovalkey',
  async create(server) {
    const client = new Valkey(server.port, '127.0.0.1', { retryStrategy: () => RECONNECT_MS, maxRetriesPerRequest: null });
    client.on('error', ignore);
    return client;
  },
  async close(client) {
    (client as Valkey).disconnect();
  },
};

export const nodeRedis: ClientKind = {
  name: 'node-redis',
  async create(server) {
    const client = createClient({ url: server.url, socket: { reconnectStrategy: () => RECONNECT_MS } });
    client.on('error', ignore);
    await client.connect();
    return client as unknown as RedisClientLike & { duplicate(): unknown };
  },
  async close(client) {
    const typed = client as ReturnType<typeof createClient>;
    if (typed.isOpen) typed.destroy();
  },
};

/** The contract runs with both families; iovalkey shares ioredis's code and gets a smoke case. */
export const CONTRACT_KINDS = [ioredis, nodeRedis];

/**
 * How far two stores may disagree on a time they pass through Redis: each converts through its
 * estimate of the server's clock, from a round trip, which a loaded machine makes coarser.
 */
export const CLOCK_ESTIMATE_MS = 250;

/**
 * Fast settings for tests: short lease, quick probes. The contract tests check behaviour,
 * not latency, so their deadline leaves room for a loaded CI machine; fault tests set 50 ms.
 */
export const TEST_STORE_OPTIONS = { leaseMs: 300, retryIntervalMs: 50, operationTimeoutMs: 250 } as const;

/** Makes stores (each with its own client, as separate instances would) and closes them all. */
export function storeFactory(kind: ClientKind, server: () => RedisTestServer) {
  const made: { store: RedisProfileStore; client: unknown }[] = [];
  return {
    async make(options: Partial<RedisProfileStoreOptions> = {}, via: Endpoint = server()): Promise<RedisProfileStore> {
      const client = await kind.create(via);
      const store = new RedisProfileStore({ ...TEST_STORE_OPTIONS, ...options, client });
      made.push({ store, client });
      await store.ready();
      return store;
    },
    async closeAll(): Promise<void> {
      for (const { store, client } of made.splice(0)) {
        await store.close();
        await kind.close(client);
      }
    },
  };
}

/** Resolves when `condition` holds, checking on every turn of the event loop's timers; rejects after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 2_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
