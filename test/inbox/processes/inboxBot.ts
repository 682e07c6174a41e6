// One bot instance for the durable-inbox proof: InstagramAdapter on Node http with the
// inbox and de-duplication on a shared Redis. Each turn waits a little (so that turns are
// running when the test kills an instance), then records its effect in Redis: the event's
// number on its customer's list, and when it first ran. Prints its URL once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { InstagramAdapter } from '../../../src/adapter/index.js';
import { RedisProfileStore } from '../../../src/redis/index.js';

const { REDIS_PORT, APP_SECRET, CLAIM_AFTER_MS } = process.env;
if (!REDIS_PORT || !APP_SECRET || !CLAIM_AFTER_MS) throw new Error('REDIS_PORT, APP_SECRET and CLAIM_AFTER_MS are required');

const redis = new Redis(Number(REDIS_PORT), '127.0.0.1', { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);
const effects = new Redis(Number(REDIS_PORT), '127.0.0.1', { retryStrategy: () => 50 });
effects.on('error', () => undefined);
// Three bots, the test and Redis share two cores here: each command gets 1 s, not 50 ms.
const store = new RedisProfileStore({ client: redis, operationTimeoutMs: 1_000, retryIntervalMs: 100 });

const adapter = new InstagramAdapter({
  appSecret: APP_SECRET,
  verifyToken: 'verify',
  accessToken: 'token',
  graphUrl: 'http://127.0.0.1:9',
  maxConcurrentTurns: 16,
  dedupe: { store },
  inbox: { store, claimAfterMs: Number(CLAIM_AFTER_MS) },
});

const server = createServer((req, res) => {
  void adapter.process(req, res, async (context) => {
    const customer = context.activity.from.id;
    const seq = context.activity.text ?? '?';
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 15)));
    await effects.multi().rpush(`proof:ran:${customer}`, seq).hsetnx('proof:first', `${customer}:${seq}`, String(Date.now())).exec();
  });
});
void store.ready().then(() => {
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
});
