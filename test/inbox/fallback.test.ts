import { expect } from 'chai';
import createDebug from 'debug';
import { format } from 'node:util';
import { CUSTOMER, delivery, OTHER_CUSTOMER, post, textItem } from '../adapter/helpers.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { instances, integerOf, STREAM, until } from './helpers.js';

describe('durable inbox when Redis is down or slow', function () {
  this.timeout(20_000);
  const server = redisServerForSuite();
  const bots = instances(server);
  const fast = { store: { operationTimeoutMs: 100, retryIntervalMs: 50 } };

  afterEach(async () => {
    await bots.closeAll();
    if (!server().running) await server().restart();
    await server().command('FLUSHALL');
  });

  /** Lines the `instagram-profile:inbox` debug namespace prints meanwhile. */
  async function inboxLog<T>(body: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const namespaces = createDebug.disable();
    const original = createDebug.log;
    createDebug.log = (...args: unknown[]) => void lines.push(format(...args));
    createDebug.enable('instagram-profile:inbox');
    try {
      return { result: await body(), lines };
    } finally {
      createDebug.log = original;
      createDebug.disable();
      if (namespaces) createDebug.enable(namespaces);
    }
  }

  it('should answer 200 and run the turns in this process when Redis is down before the write, logging it once and showing it in status()', async () => {
    const bot = await bots.make(fast);
    await server().stop();
    await until(() => bot.store.status() === 'degraded', 3_000, 'degraded');
    const { result: statuses, lines } = await inboxLog(async () => [
      (await post(bot.url, delivery([textItem(CUSTOMER, 'one', 'mid-down-1')]))).status,
      (await post(bot.url, delivery([textItem(OTHER_CUSTOMER, 'two', 'mid-down-2')]))).status,
    ]);
    expect(statuses).to.deep.equal([200, 200]);
    await bot.core.drain();
    expect(bot.ran).to.have.members(['mid-down-1', 'mid-down-2']);
    expect(lines.filter((line) => line.includes('inbox write failed'))).to.have.length(1);
    expect(bot.store.status()).to.equal('degraded');
  });

  it('should answer 200 and run a turn once when the write outlives its deadline, the late write changing nothing', async () => {
    const bot = await bots.make(fast);
    // Redis holds writes until the 200 is sent, however long a loaded machine takes: the
    // write (100 ms deadline) is given up, and reaches Redis late.
    await server().command('CLIENT', 'PAUSE', 10_000, 'WRITE');
    try {
      const response = await post(bot.url, delivery([textItem(CUSTOMER, 'slow', 'mid-slow')]));
      expect(response.status).to.equal(200);
    } finally {
      await server().command('CLIENT', 'UNPAUSE');
    }
    await until(() => bot.ran.includes('mid-slow'), 2_000, 'the turn');
    await until(() => bot.store.status() === 'ready', 3_000, 'ready again');
    // Time for a copy in the inbox, had the late write landed, to be read and run.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await bot.core.drain();
    expect(bot.ran).to.deep.equal(['mid-slow']);
    // The stream (made by the consumer group) never received an entry.
    const entriesAdded = `local r = redis.call('XINFO', 'STREAM', KEYS[1]) for i = 1, #r, 2 do if r[i] == 'entries-added' then return r[i + 1] end end`;
    expect(integerOf(await server().command('EVAL', entriesAdded, 1, STREAM))).to.equal(0);
  });

  it('should answer 200 to every delivery and run every event when Redis is killed in the middle of a burst', async () => {
    const bot = await bots.make(fast);
    const mids = Array.from({ length: 60 }, (_, i) => `mid-burst-${i}`);
    const sending = mids.map(async (mid, i) => {
      if (i === 30) await server().stop('SIGKILL');
      return (await post(bot.url, delivery([textItem(String(1_000_000_000_000_000n + BigInt(i % 7)), mid, mid)]))).status;
    });
    expect(await Promise.all(sending)).to.satisfy((statuses: number[]) => statuses.every((status) => status === 200));
    await until(() => mids.every((mid) => bot.ran.includes(mid)), 5_000, 'every event');
    expect(new Set(bot.ran)).to.have.property('size', mids.length);
  });

  it('should keep deliveries in the inbox again once Redis is back', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bot = await bots.make({ ...fast, turn: (activity) => (activity.id === 'mid-kept-again' ? held : Promise.resolve()) });
    await server().stop();
    await post(bot.url, delivery([textItem(CUSTOMER, 'down', 'mid-while-down')]));
    await server().restart();
    await until(async () => {
      await post(bot.url, delivery([textItem(CUSTOMER, 'up', `mid-up-${Date.now()}`)]));
      return bot.store.status() === 'ready';
    }, 5_000, 'ready again');
    const response = await post(bot.url, delivery([textItem(OTHER_CUSTOMER, 'kept', 'mid-kept-again')]));
    expect(response.status).to.equal(200);
    // Its turn is held: the event sits in the stream until the turn ends.
    expect(await server().command('XRANGE', STREAM, '-', '+')).to.include('mid-kept-again');
    release();
    await until(() => bot.ran.includes('mid-kept-again'), 3_000, 'the turn');
    await bot.core.drain();
    expect(bot.ran).to.include('mid-while-down');
  });
});
