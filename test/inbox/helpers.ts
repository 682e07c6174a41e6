import { Redis } from 'ioredis';
import type { Server } from 'node:http';
import { RedisProfileStore, type RedisProfileStoreOptions } from '../../src/redis/index.js';
import type { InboundActivity } from '../../src/webhook/activity.js';
import { WebhookCore } from '../../src/webhook/core.js';
import type { InstagramWebhookOptions } from '../../src/webhook/options.js';
import { ACCESS_TOKEN, APP_SECRET, close, listen, VERIFY_TOKEN } from '../adapter/helpers.js';
import type { RedisTestServer } from '../support/redisServer.js';

/** The stream and consumer group every instance uses, with the default key prefix. */
export const STREAM = 'igp:{inbox}:s';
export const GROUP = 'instagram-profile';

export interface Instance {
  core: WebhookCore;
  store: RedisProfileStore;
  url: string;
  /** Turn ids (mids) this instance ran, in the order they started. */
  ran: string[];
}

type Turn = (activity: InboundActivity) => Promise<void>;

/** Bot instances on one Redis, each with its own client, store, webhook core and HTTP server; all closed by `closeAll`. */
export function instances(server: () => RedisTestServer) {
  const made: { instance: Instance; client: Redis; http: Server }[] = [];
  return {
    async make(
      options: { turn?: Turn; webhook?: Partial<InstagramWebhookOptions>; store?: Partial<RedisProfileStoreOptions>; claimAfterMs?: number } = {},
    ): Promise<Instance> {
      const client = new Redis(server().port, '127.0.0.1', { retryStrategy: () => 20, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      const store = new RedisProfileStore({ client, operationTimeoutMs: 500, retryIntervalMs: 50, ...options.store });
      await store.ready();
      const core = new WebhookCore({
        appSecret: APP_SECRET,
        verifyToken: VERIFY_TOKEN,
        accessToken: ACCESS_TOKEN,
        graphUrl: 'http://127.0.0.1:9',
        dedupe: { store },
        inbox: { store, claimAfterMs: options.claimAfterMs ?? 300 },
        ...options.webhook,
      });
      const ran: string[] = [];
      const runTurn = async (activity: InboundActivity) => {
        ran.push(activity.id ?? '-');
        await options.turn?.(activity);
      };
      const { server: http, url } = await listen((req, res) => void core.handle(req, res, runTurn));
      core.consume(runTurn);
      const instance = { core, store, url, ran };
      made.push({ instance, client, http });
      return instance;
    },
    async closeAll(): Promise<void> {
      for (const { instance, client, http } of made.splice(0)) {
        await instance.core.close({ timeoutMs: 200 });
        await instance.store.close();
        client.disconnect();
        await close(http);
      }
    },
  };
}

/** Resolves when `condition` holds (checked every 10 ms); rejects after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The integer of a RESP integer reply (`:3`). */
export function integerOf(reply: string): number {
  const match = /^:(-?\d+)/.exec(reply);
  if (!match) throw new Error(`not an integer reply: ${reply.slice(0, 80)}`);
  return Number(match[1]);
}
