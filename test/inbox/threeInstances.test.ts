import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { delivery, messaging, post } from '../adapter/helpers.js';
import { startRedisServer, type RedisTestServer } from '../support/redisServer.js';
import { GROUP, STREAM } from './helpers.js';
import { childEnv } from '../support/childEnv.js';

const SECRET = 'inbox-proof-secret';
const CLAIM_AFTER_MS = 3_000;
const CUSTOMERS = 50;
const EVENTS_PER_CUSTOMER = 20;
const KILL_AFTER = 400;

interface Bot {
  child: ChildProcess;
  url: string;
  alive: boolean;
}

function startBot(port: number): Promise<Bot> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/inbox/processes/inboxBot.ts'], {
    env: childEnv({ REDIS_PORT: String(port), APP_SECRET: SECRET, CLAIM_AFTER_MS: String(CLAIM_AFTER_MS), DEBUG: process.env.BOT_DEBUG ?? '' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a bot exited before listening (code ${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('listening ')) resolve({ child, url: line.slice('listening '.length), alive: true });
    });
  });
}

/** Counts what the killed process held, in one script: its leases (turns running) and its pending events. */
const HELD_BY = `local leases = 0
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
  local holder = redis.call('GET', key)
  if holder and string.find(holder, ARGV[2], 1, true) then leases = leases + 1 end
end
local pending = 0
for _, row in ipairs(redis.call('XPENDING', KEYS[1], ARGV[3])[4] or {}) do
  if string.find(row[1], ARGV[2], 1, true) then pending = pending + tonumber(row[2]) end
end
return {leases, pending}`;

describe('durable inbox: three bot processes, one killed with SIGKILL in the middle of a burst of 1 000 events', function () {
  this.timeout(60_000);
  let server: RedisTestServer;
  let redis: Redis;
  const bots: Bot[] = [];

  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.port, '127.0.0.1');
    bots.push(...(await Promise.all([0, 1, 2].map(() => startBot(server.port)))));
  });

  after(async () => {
    for (const bot of bots) bot.child.kill('SIGKILL');
    redis?.disconnect();
    await server?.stop('SIGKILL');
  });

  it('should run every event at least once and in order per customer, with duplicates at most the turns running at the kill', async () => {
    const victim = bots[1]!;
    let posted = 0;
    let next = 0;
    let killedAt = 0;
    let heldAtKill: [number, number] = [0, 0];
    const kill = async () => {
      const exited = new Promise((resolve) => victim.child.once('exit', resolve));
      victim.alive = false;
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
      await exited;
      heldAtKill = (await redis.eval(HELD_BY, 1, STREAM, 'igp:{inbox}:l:*', `:${victim.child.pid}:`, GROUP)) as [number, number];
    };
    /** Round robin over the live instances; a refused or failed delivery goes to the next one, as Meta's retry would. */
    const send = async (customer: string, seq: number) => {
      const body = delivery([messaging(customer, { message: { mid: `m-${customer}-${seq}`, text: String(seq) } })]);
      for (let attempt = 0; attempt < 10; attempt++) {
        const live = bots.filter((bot) => bot.alive);
        const bot = live[next++ % live.length]!;
        const status = await post(bot.url, body, { secret: SECRET }).then((reply) => reply.status, () => 0);
        if (status === 200) return;
      }
      throw new Error(`no instance took event ${seq} of ${customer}`);
    };
    let killing: Promise<void> | undefined;
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => String(2_000_000_000_000_000n + BigInt(i)));
    // Each customer writes one message after another; the customers write at once.
    await Promise.all(
      customers.map(async (customer) => {
        for (let seq = 1; seq <= EVENTS_PER_CUSTOMER; seq++) {
          await send(customer, seq);
          if (++posted === KILL_AFTER) killing = kill();
        }
      }),
    );
    await killing;
    const sentAt = Date.now();

    const total = CUSTOMERS * EVENTS_PER_CUSTOMER;
    const ranLists = async () => Promise.all(customers.map(async (customer) => (await redis.lrange(`proof:ran:${customer}`, 0, -1)).map(Number)));
    let lists = await ranLists();
    const covered = () => lists.every((list) => new Set(list).size === EVENTS_PER_CUSTOMER);
    while (!covered() && Date.now() - sentAt < CLAIM_AFTER_MS + 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lists = await ranLists();
    }
    const lastFirstRun = Math.max(...Object.values(await redis.hgetall('proof:first')).map(Number));
    // Let the survivors finish what they hold, then count once more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    lists = await ranLists();

    const [runningAtKill, pendingAtKill] = heldAtKill;
    const runs = lists.reduce((sum, list) => sum + list.length, 0);
    const duplicates = runs - total;
    process.stdout.write(
      `      inbox proof: ${total} events, ${runs} turns run, ${duplicates} duplicate(s); the killed instance held ${pendingAtKill} event(s), ` +
        `${runningAtKill} turn(s) running (holding their customer's lease); every event had run ${lastFirstRun - killedAt} ms after the kill ` +
        `(claimAfterMs ${CLAIM_AFTER_MS}, sending ended ${sentAt - killedAt} ms after the kill)\n`,
    );

    for (const [i, list] of lists.entries()) {
      expect(new Set(list).size, `events of customer ${i} that ran`).to.equal(EVENTS_PER_CUSTOMER);
      // In order: a repeat only right after itself (a turn the killed instance ran and never acknowledged).
      expect(list.every((seq, j) => j === 0 || seq >= list[j - 1]!), `order of customer ${i}: ${list.join(',')}`).to.equal(true);
    }
    expect(pendingAtKill, 'events the killed instance held').to.be.greaterThan(0);
    expect(duplicates).to.be.at.least(0);
    expect(duplicates).to.be.at.most(runningAtKill);
    // Within the claim timeout: what the dead instance held ran once it could be taken over, not much later.
    expect(lastFirstRun - Math.max(killedAt, sentAt - CLAIM_AFTER_MS)).to.be.at.most(CLAIM_AFTER_MS + 3_000);
    expect(await redis.xlen(STREAM)).to.equal(0);
  });
});
