// Graph calls of three bot processes behind a round-robin proxy, with the shared tier and
// without it: the multi-instance test's bot (the botbuilder greeter with or without
// `cache: { store }`), driven by the emulator. Run by bench/redis.ts, one variant per process.
import { Redis } from 'ioredis';
import { startEmulator } from '../src/emulator/index.js';
import type { Metrics, Mode, Variant } from './method/types.js';
import { inParallel, startBot, startRoundRobinProxy } from '../test/multiInstance/harness.js';

const SENDERS: Record<Mode, number> = { full: 300, quick: 150, tiny: 60 };
const EVENTS_PER_SENDER = 10;
const CONCURRENCY = 12;

async function threeInstances(mode: Mode, shared: boolean): Promise<Metrics> {
  const port = process.env.BENCH_REDIS_PORT;
  if (shared && !port) throw new Error('BENCH_REDIS_PORT is not set (bench/redis.ts starts a redis-server)');
  if (shared) {
    const redis = new Redis(Number(port), '127.0.0.1');
    await redis.flushall();
    redis.disconnect();
  }
  const senders = SENDERS[mode];
  const personas = Array.from({ length: senders }, (_, i) => ({ key: `p${i}`, igsid: String(6_938_200_000_000_000 + i), name: `Person ${i}`, username: `p.${i}`, followerCount: i, hasMessaged: true }));
  const emulator = await startEmulator({ personas });
  emulator.rateLimit.set({ budgetPerHour: 1_000_000_000 });
  const env: Record<string, string> = { EMULATOR_URL: emulator.url, ACCESS_TOKEN: emulator.accessToken, APP_SECRET: emulator.appSecret, ...(shared ? { REDIS_PORT: port! } : {}) };
  const bots = await Promise.all([startBot(env), startBot(env), startBot(env)]);
  const proxy = await startRoundRobinProxy(bots.map((bot) => bot.webhookUrl));
  emulator.setWebhookUrl(proxy.url);
  try {
    // Each sender's first three messages back to back (a burst landing on three instances), then the rest interleaved.
    const keys = personas.map((p) => p.key);
    const order = [...keys.flatMap((key) => [key, key, key]), ...Array.from({ length: EVENTS_PER_SENDER - 3 }, () => keys).flat()];
    const started = performance.now();
    await inParallel(order, CONCURRENCY, async (key) => void (await emulator.persona(key).sends('hi')));
    await Promise.all(bots.map((bot) => bot.report()));
    return { calls: emulator.stats.profileCalls(), distinct: senders, events: order.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    await Promise.all(bots.map((bot) => bot.close()));
    await proxy.close();
    await emulator.close();
  }
}

export const variants: Record<string, Variant> = {
  shared: ({ mode }) => threeInstances(mode, true),
  local: ({ mode }) => threeInstances(mode, false),
};
