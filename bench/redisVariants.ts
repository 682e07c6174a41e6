// The shared tier's costs, one variant per fresh process (run by bench/redis.ts): a
// second-level hit against a bare GET on the same Redis, and a whole turn through the
// adapter and middleware with the tier against the same turn without it.
import { createHmac } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { Redis } from 'ioredis';
import { InstagramAdapter } from '../src/adapter/index.js';
import { GraphProfileClient, InstagramProfileMiddleware, type InstagramProfile, ProfileCache } from '../src/index.js';
import { RedisProfileStore } from '../src/redis/index.js';
import { realisticProfile } from './lib.js';
import type { Metrics, Mode, Variant } from './method/types.js';

const BUSINESS = '17841400000000001';
const SECRET = 'bench-app-secret';
const KEYS = 1_000;
const OPS: Record<Mode, number> = { full: 20_000, quick: 8_000, tiny: 2_000 };
const SENDERS: Record<Mode, number> = { full: 500, quick: 200, tiny: 50 };
const TURNS_PER_SENDER = 10;

const igsidOf = (i: number) => String(6_938_000_000_000_000 + i);

function redisClient(): Redis {
  const port = process.env.BENCH_REDIS_PORT;
  if (!port) throw new Error('BENCH_REDIS_PORT is not set (bench/redis.ts starts a redis-server)');
  return new Redis(Number(port), '127.0.0.1');
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

interface Measured {
  p50Us: number;
  p99Us: number;
  cpuUsPerOp: number;
}

/** `count` awaited operations after as many unmeasured (`warm`, default `op`): latency p50/p99 in µs and CPU µs per operation. */
async function measure(count: number, op: (i: number) => Promise<unknown>, warm = op): Promise<Measured> {
  for (let i = 0; i < count; i++) await warm(i);
  const latencies = new Float64Array(count);
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await op(i);
    latencies[i] = (performance.now() - started) * 1000;
  }
  const used = process.cpuUsage(cpu);
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99), cpuUsPerOp: (used.user + used.system) / count };
}

/** A second-level hit: every lookup misses the local LRU (max 1, keys cycled) and reads Redis. */
async function l2Hit(mode: Mode): Promise<Measured> {
  const redis = redisClient();
  await redis.flushall();
  const store = new RedisProfileStore({ client: redis });
  await store.ready();
  for (let i = 0; i < KEYS; i++) await store.set(BUSINESS, igsidOf(i), { kind: 'profile', profile: realisticProfile(i) }, 3_600_000);
  const cache = new ProfileCache({ max: 1, store });
  let graphCalls = 0;
  const load = async (): Promise<InstagramProfile> => (graphCalls++, realisticProfile(0));
  const metrics = await measure(OPS[mode], (i) => cache.lookup(BUSINESS, igsidOf(i % KEYS), load, { grantsConsent: true }));
  if (graphCalls > 0) throw new Error(`a second-level hit called Graph ${graphCalls} times`);
  await store.close();
  redis.disconnect();
  return metrics;
}

/** The same values read with a bare GET on the same client library and server. */
async function bareGet(mode: Mode): Promise<Measured> {
  const redis = redisClient();
  await redis.flushall();
  for (let i = 0; i < KEYS; i++) await redis.set(`bench:${i}`, JSON.stringify(realisticProfile(i)));
  const metrics = await measure(OPS[mode], (i) => redis.get(`bench:${i % KEYS}`));
  redis.disconnect();
  return metrics;
}

/** Graph answered after a macrotask, like a fast network round trip; counts calls. */
class QuickGraph extends GraphProfileClient {
  calls = 0;
  constructor() {
    super({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  }
  override fetchProfile(igsid: string): Promise<InstagramProfile> {
    this.calls++;
    return new Promise((resolve) => setImmediate(() => resolve({ ...realisticProfile(Number(igsid) - 6_938_000_000_000_000), id: igsid })));
  }
}

/**
 * One turn at a time through InstagramAdapter (signature, de-duplication, scheduling) and
 * the middleware (lookup): from `process()` to the handler having the profile. Senders
 * repeat (10 turns each, interleaved), so most lookups are local hits, as in production.
 */
async function turns(mode: Mode, shared: boolean): Promise<Metrics> {
  const redis = shared ? redisClient() : undefined;
  await redis?.flushall();
  const store = redis && new RedisProfileStore({ client: redis });
  await store?.ready();
  const adapter = new InstagramAdapter({ appSecret: SECRET, verifyToken: 'v', accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9', ...(store ? { dedupe: { store } } : {}) });
  const profiles = new InstagramProfileMiddleware({ client: new QuickGraph(), cache: { max: 10_000, ...(store ? { store } : {}) } });
  adapter.use(profiles);
  const senders = SENDERS[mode];
  const res = () => ({ statusCode: 0, headersSent: false, setHeader: () => undefined, end: () => undefined });
  let serial = 0;
  // Warm-up turns come from other senders: the measured ones include each sender's first lookup.
  const turn = (i: number, first = 0) =>
    new Promise<void>((resolve, reject) => {
      const igsid = igsidOf(first + (i % senders));
      const raw = JSON.stringify({
        object: 'instagram',
        entry: [{ time: Date.now(), id: BUSINESS, messaging: [{ sender: { id: igsid }, recipient: { id: BUSINESS }, timestamp: Date.now(), message: { mid: `bench-${process.pid}-${serial++}`, text: 'hi' } }] }],
      });
      const rawBody = Buffer.from(raw);
      const signature = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      const logic = async (context: TurnContext) => {
        const lookup = await profiles.load(context);
        if (lookup.status !== 'ok') reject(new Error(`lookup ${lookup.status}`));
        resolve();
      };
      adapter.process({ method: 'POST', url: '/', headers: { 'x-hub-signature-256': signature }, rawBody } as never, res() as never, logic).catch(reject);
    });
  const count = senders * TURNS_PER_SENDER;
  const { p50Us, p99Us, cpuUsPerOp } = await measure(count, (i) => turn(i), (i) => turn(i, KEYS * 10));
  await adapter.drain();
  await store?.close();
  redis?.disconnect();
  return { p50Ms: p50Us / 1000, p99Ms: p99Us / 1000, cpuUsPerTurn: cpuUsPerOp };
}

export const variants: Record<string, Variant> = {
  l2Hit: async ({ mode }) => ({ ...(await l2Hit(mode)) }),
  bareGet: async ({ mode }) => ({ ...(await bareGet(mode)) }),
  turnShared: ({ mode }) => turns(mode, true),
  turnLocal: ({ mode }) => turns(mode, false),
};
