import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Delivery } from '../../src/emulator/index.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { type BotInstance, inParallel, type RoundRobinProxy, startBot, startRoundRobinProxy } from './harness.js';
import { seeded } from '../../bench/lib.js';

/*
 * Three bot processes (the botbuilder greeter's turn logic with the Redis tier) behind a
 * loopback round-robin proxy, driven by the emulator: 10 000 events from 1 000 senders,
 * every 10th delivery posted twice (the copy lands on the next instance). The heavy test of
 * the shared tier: it runs once, with ioredis (the contract tests cover node-redis).
 *
 *   npx mocha test/multiInstance/threeInstances.test.ts
 */

const SENDERS = 1_000;
const EVENTS_PER_SENDER = 10;
/** Deliveries in flight at once, as Meta's webhook traffic to a busy bot. */
const CONCURRENCY = 12;
const REPEAT_EVERY = 10;
/** Senders per phase: shared (Redis up), local-only (Redis stopped), shared again (after its restart). */
const PHASES = { up: 700, down: 150, restarted: 150 } as const;

interface Phase {
  senders: string[];
  deliveries: Delivery[];
  repeated: string[];
  failedPosts: number;
}

describe('three bot instances behind a load balancer, one Redis', function () {
  this.timeout(120_000);
  const server = redisServerForSuite();
  let emulator: Emulator;
  let bots: BotInstance[] = [];
  let proxy: RoundRobinProxy;
  let redis: Redis;

  before(async function () {
    this.timeout(60_000);
    const personas = Array.from({ length: SENDERS }, (_, i) => ({
      key: `p${i}`,
      igsid: String(6_938_100_000_000_000 + i),
      name: `Person ${i}`,
      username: `person.${i}`,
      followerCount: i,
      followsBusiness: i % 2 === 0,
      hasMessaged: true,
    }));
    emulator = await startEmulator({ personas });
    emulator.rateLimit.set({ budgetPerHour: 1_000_000_000 });
    const env = { EMULATOR_URL: emulator.url, ACCESS_TOKEN: emulator.accessToken, APP_SECRET: emulator.appSecret, REDIS_PORT: String(server().port) };
    bots = await Promise.all([startBot(env), startBot(env), startBot(env)]);
    proxy = await startRoundRobinProxy(bots.map((bot) => bot.webhookUrl));
    emulator.setWebhookUrl(proxy.url);
    redis = new Redis(server().port, '127.0.0.1', { retryStrategy: () => 50 });
    redis.on('error', () => undefined);
  });

  after(async () => {
    await Promise.all(bots.map((bot) => bot.close()));
    await proxy?.close();
    await emulator?.close();
    redis?.disconnect();
  });

  /** Each sender's first three events back to back (concurrent first lookups on three instances), the rest shuffled. */
  function schedule(first: number, count: number): string[] {
    const keys = Array.from({ length: count }, (_, i) => `p${first + i}`);
    const random = seeded(first + 1);
    const rest = keys.flatMap((key) => Array.from({ length: EVENTS_PER_SENDER - 3 }, () => key));
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    }
    return [...keys.flatMap((key) => [key, key, key]), ...rest];
  }

  async function run(first: number, count: number, { repeat = true, during = async (_sent: number) => undefined as void } = {}): Promise<Phase> {
    const order = schedule(first, count);
    const phase: Phase = { senders: [...new Set(order)].map((key) => emulator.persona(key).igsid), deliveries: [], repeated: [], failedPosts: 0 };
    await inParallel(order, CONCURRENCY, async (key, index) => {
      await during(index);
      const delivery = await emulator.persona(key).sends(`hi ${index}`);
      phase.deliveries.push(delivery);
      if (delivery.status !== 200) phase.failedPosts++;
      if (repeat && index % REPEAT_EVERY === 0) {
        // Meta delivers at least once: the same bytes again, which the proxy sends to the next instance.
        const again = await emulator.deliver(delivery);
        if (again.status !== 200) phase.failedPosts++;
        phase.repeated.push(...delivery.mids);
      }
    });
    return phase;
  }

  async function reports() {
    const all = await Promise.all(bots.map((bot) => bot.report()));
    const turns = new Map<string, number>();
    for (const report of all) for (const mid of report.turns) turns.set(mid, (turns.get(mid) ?? 0) + 1);
    const lookups: Record<string, number> = {};
    for (const report of all) for (const [outcome, n] of Object.entries(report.lookups)) lookups[outcome] = (lookups[outcome] ?? 0) + n;
    return { turns, lookups, failedTurns: all.reduce((sum, report) => sum + report.failedTurns, 0) };
  }

  const statuses = () => Promise.all(bots.map((bot) => bot.ask<string>({ type: 'status' })));

  it('should behave as one bot: one Graph call per sender, one turn per event, deletions everywhere, and survive a Redis restart', async () => {
    const started = Date.now();

    // 1. Redis up: 7 000 events from 700 senders, 700 of them delivered twice.
    const up = await run(0, PHASES.up);
    const callsUp = emulator.stats.profileCalls();
    expect(up.failedPosts).to.equal(0);
    expect(callsUp, 'Graph profile calls with the shared tier: one per sender, not one per sender and instance').to.equal(PHASES.up);
    for (const igsid of up.senders) expect(emulator.stats.profileCalls(igsid), igsid).to.equal(1);
    const repeatsElsewhere = up.repeated.filter((mid) => new Set(proxy.landings.get(mid)).size > 1).length;
    expect(repeatsElsewhere, 'repeated deliveries that reached another instance').to.be.above(up.repeated.length / 2);

    // 2. forget on one instance: the other two drop the person within 100 ms, and Redis keeps nothing of them.
    const business = emulator.businessId;
    let person: string | undefined;
    for (const igsid of up.senders) {
      const held = await Promise.all(bots.map((bot) => bot.peek(business, igsid)));
      if (held.every((status) => status === 'ok')) {
        person = igsid;
        break;
      }
    }
    expect(person, 'a sender whose profile all three instances hold').to.be.a('string');
    const forgetAt = Date.now();
    const forgotten = bots[0]!.ask<number>({ type: 'forget', igsid: person! });
    let seenByOthersAfter = Infinity;
    while (Date.now() - forgetAt < 1_000) {
      const held = await Promise.all(bots.slice(1).map((bot) => bot.peek(business, person!)));
      if (held.every((status) => status === undefined)) {
        seenByOthersAfter = Date.now() - forgetAt;
        break;
      }
    }
    expect(await forgotten).to.equal(1);
    // Pushed over the bus, not waited out: the profiles would otherwise live for their ttl (1 h).
    expect(seenByOthersAfter, 'ms until both other instances dropped the person').to.be.below(500);
    // Checked at once: a deletion leaves, for about a lease plus a second, a marker that holds
    // no data (x:, refusing writes already on their way); a lease (l:) would hold only a token.
    const keys = await redis.keys(`*${person!}*`);
    for (const key of keys) {
      expect(key, 'only a no-data marker may name the person').to.match(/^igp:[xl]:\{\d*:\d+\}$/);
      expect(await redis.get(key)).to.not.include('Person');
    }
    expect(await redis.zscore(`igp:b:${business}`, person!), 'the business index').to.equal(null);

    // 3. Redis stopped mid-run: every turn still completes (local-only), and Graph calls rise.
    let stopped: Promise<void> | undefined;
    const down = await run(PHASES.up, PHASES.down, {
      repeat: false,
      during: async (sent) => {
        if (sent === 150) stopped = server().stop();
        if (sent > 150) await stopped;
      },
    });
    const callsDown = emulator.stats.profileCalls() - callsUp;
    expect(down.failedPosts).to.equal(0);
    expect(callsDown, 'calls while Redis is down: more than one per sender').to.be.above(PHASES.down);
    expect(callsDown).to.be.at.most(3 * PHASES.down);

    // 4. Redis back (empty): shared behaviour returns by itself.
    await server().restart();
    const deadline = Date.now() + 10_000;
    while ((await statuses()).some((status) => status !== 'ready')) {
      if (Date.now() > deadline) expect.fail(`the stores did not recover: ${(await statuses()).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const callsBefore = emulator.stats.profileCalls();
    const restarted = await run(PHASES.up + PHASES.down, PHASES.restarted);
    expect(restarted.failedPosts).to.equal(0);
    expect(emulator.stats.profileCalls() - callsBefore, 'one call per sender again').to.equal(PHASES.restarted);

    // Every event ran exactly one turn, on one of the instances; none failed.
    const { turns, lookups, failedTurns } = await reports();
    const events = [up, down, restarted].flatMap((phase) => phase.deliveries.flatMap((delivery) => delivery.mids));
    expect(events).to.have.length(SENDERS * EVENTS_PER_SENDER);
    expect(failedTurns).to.equal(0);
    const notOnce = events.filter((mid) => turns.get(mid) !== 1);
    expect(notOnce, 'events that ran no turn or more than one').to.deep.equal([]);
    expect([...turns.values()].reduce((sum, n) => sum + n)).to.equal(SENDERS * EVENTS_PER_SENDER);
    expect(lookups, 'every turn got its profile').to.deep.equal({ ok: SENDERS * EVENTS_PER_SENDER });
    console.log(`      ${events.length} events + ${up.repeated.length + restarted.repeated.length} repeats in ${((Date.now() - started) / 1000).toFixed(1)} s; calls: ${callsUp} up, ${callsDown} down, ${PHASES.restarted} after restart; forget seen in ${seenByOthersAfter} ms`);
  });
});
