import { expect } from 'chai';
import { deliveryDigest } from '../../src/webhook/dedupe.js';
import { WebhookCore } from '../../src/webhook/core.js';
import { ACCESS_TOKEN, APP_SECRET, BUSINESS, CUSTOMER, deferred, delivery, OTHER_CUSTOMER, post, textItem, VERIFY_TOKEN } from '../adapter/helpers.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { GROUP, instances, integerOf, STREAM, until } from './helpers.js';

describe('durable inbox on Redis Streams', function () {
  this.timeout(15_000);
  const server = redisServerForSuite();
  const bots = instances(server);

  afterEach(async () => {
    await bots.closeAll();
    await server().command('FLUSHALL');
  });

  it('should keep a delivery\'s events in the stream before answering 200, and delete each once its turn ran', async () => {
    const release = deferred();
    const bot = await bots.make({ turn: () => release.promise });
    const response = await post(bot.url, delivery([textItem(CUSTOMER, 'hi', 'mid-kept')]));
    expect(response.status).to.equal(200);
    // The turn is held: the event is in the stream, read or not.
    expect(await server().command('XRANGE', STREAM, '-', '+')).to.include('mid-kept');
    await until(() => bot.ran.includes('mid-kept'), 2_000, 'the turn');
    release.resolve();
    await bot.core.drain();
    expect(integerOf(await server().command('XLEN', STREAM))).to.equal(0);
    expect(bot.ran).to.deep.equal(['mid-kept']);
  });

  it('should run a customer\'s events in order and one at a time when deliveries alternate between two instances', async () => {
    const running = new Map<string, number>();
    let overlap = 0;
    const order: string[] = [];
    const turn = async (activity: { id?: string | undefined; from: { id: string } }) => {
      const customer = activity.from.id;
      running.set(customer, (running.get(customer) ?? 0) + 1);
      if (running.get(customer)! > 1) overlap++;
      if (customer === CUSTOMER) order.push(activity.id!);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 8)));
      running.set(customer, running.get(customer)! - 1);
    };
    const a = await bots.make({ turn });
    const b = await bots.make({ turn });
    const sent: string[] = [];
    for (let i = 0; i < 24; i++) {
      const mid = `mid-order-${i}`;
      sent.push(mid);
      // Another customer's event in the same delivery, so the two instances have other work too.
      const response = await post((i % 2 ? a : b).url, delivery([textItem(CUSTOMER, `n${i}`, mid), textItem(OTHER_CUSTOMER, `o${i}`, `mid-other-${i}`)]));
      expect(response.status).to.equal(200);
    }
    await until(() => order.length === sent.length && a.ran.length + b.ran.length === 48, 8_000, 'every turn');
    expect(order).to.deep.equal(sent);
    expect(overlap).to.equal(0);
    // Both instances took part.
    expect(a.ran.length).to.be.greaterThan(0);
    expect(b.ran.length).to.be.greaterThan(0);
  });

  it('should hold the customer\'s lease, named after this instance, while a turn runs, and free it after', async () => {
    const release = deferred();
    const bot = await bots.make({ turn: () => release.promise });
    await post(bot.url, delivery([textItem(CUSTOMER, 'hi', 'mid-lease')]));
    await until(() => bot.ran.includes('mid-lease'), 2_000, 'the turn');
    const lease = `igp:{inbox}:l:${BUSINESS}/${CUSTOMER}`;
    const holder = await server().command('GET', lease);
    expect(holder).to.match(/^\$\d+\r\n[^|]+:\d+:[0-9a-f]{8}\|\d+-\d+\r\n/);
    expect(holder).to.include(`:${process.pid}:`);
    release.resolve();
    await bot.core.drain();
    expect(await server().command('EXISTS', lease)).to.equal(':0\r\n');
  });

  describe('an instance that stopped answering', () => {
    /** Writes one event as an instance would, then lets a "ghost" consumer read it and never acknowledge it. */
    async function leftPendingByAGhost(...events: [mid: string, customer?: string][]): Promise<void> {
      const writer = await bots.make({ webhook: { inbox: false } });
      const inbox = writer.store.openInbox({ client: undefined, claimAfterMs: 300, maxLength: 1_000, completedTtlMs: 60_000 });
      const records = events.map(([mid, customer = CUSTOMER]) => ({
        customer: `${BUSINESS}/${customer}`,
        payload: JSON.stringify({ id: BUSINESS, time: Date.now(), messaging: [textItem(customer, 'left behind', mid)] }),
        digest: deliveryDigest(`message|${mid}`),
      }));
      expect(await inbox.write(records)).to.equal(true);
      await inbox.close();
      await server().command('XGROUP', 'CREATE', STREAM, GROUP, '0', 'MKSTREAM');
      expect(await server().command('XREADGROUP', 'GROUP', GROUP, 'ghost', 'COUNT', '10', 'STREAMS', STREAM, '>')).to.include(events[0]![0]);
    }

    it('should have its events taken over after claimAfterMs and run once', async () => {
      await leftPendingByAGhost(['mid-orphan']);
      const startedAt = Date.now();
      const bot = await bots.make({ claimAfterMs: 300 });
      await until(() => bot.ran.includes('mid-orphan'), 3_000, 'the take-over');
      const took = Date.now() - startedAt;
      expect(took).to.be.at.least(250);
      await bot.core.drain();
      expect(bot.ran).to.deep.equal(['mid-orphan']);
      expect(integerOf(await server().command('XLEN', STREAM))).to.equal(0);
    });

    it('should run a customer\'s later events only after taking over the earlier one, in order', async () => {
      await leftPendingByAGhost(['mid-first']);
      const bot = await bots.make({ claimAfterMs: 300 });
      await post(bot.url, delivery([textItem(CUSTOMER, 'second', 'mid-second'), textItem(CUSTOMER, 'third', 'mid-third')]));
      await until(() => bot.ran.length === 3, 3_000, 'three turns');
      expect(bot.ran).to.deep.equal(['mid-first', 'mid-second', 'mid-third']);
    });

    it('should take over a dead instance\'s events even when every place it has is taken by events waiting for them', async () => {
      await leftPendingByAGhost(['mid-a1', CUSTOMER], ['mid-b1', OTHER_CUSTOMER]);
      // One turn at a time: it holds two events at most, here both waiting for the ghost's.
      const bot = await bots.make({ claimAfterMs: 300, webhook: { maxConcurrentTurns: 1 } });
      await post(bot.url, delivery([textItem(CUSTOMER, 'a2', 'mid-a2'), textItem(OTHER_CUSTOMER, 'b2', 'mid-b2')]));
      await until(() => bot.ran.length === 4, 3_000, 'four turns');
      expect(bot.ran.indexOf('mid-a1')).to.be.lessThan(bot.ran.indexOf('mid-a2'));
      expect(bot.ran.indexOf('mid-b1')).to.be.lessThan(bot.ran.indexOf('mid-b2'));
    });

    it('should not run again an event that completed before its instance died unacknowledged', async () => {
      await leftPendingByAGhost(['mid-finished']);
      await server().command('SET', `igp:d:${deliveryDigest('message|mid-finished')}`, 'c', 'PX', 60_000);
      const bot = await bots.make({ claimAfterMs: 300 });
      await until(async () => integerOf(await server().command('XLEN', STREAM)) === 0, 3_000, 'the take-over');
      expect(bot.ran).to.deep.equal([]);
    });
  });

  describe('close()', () => {
    it('should refuse new deliveries with 503, finish the held turn and acknowledge it', async () => {
      const release = deferred();
      const bot = await bots.make({ turn: () => release.promise });
      await post(bot.url, delivery([textItem(CUSTOMER, 'before', 'mid-before')]));
      await until(() => bot.ran.includes('mid-before'), 2_000, 'the turn');
      const closed = bot.core.close({ timeoutMs: 3_000 });
      expect((await post(bot.url, delivery([textItem(CUSTOMER, 'during', 'mid-during')]))).status).to.equal(503);
      release.resolve();
      expect(await closed).to.deep.equal({ drained: true, unfinishedTurns: 0 });
      expect(integerOf(await server().command('XLEN', STREAM))).to.equal(0);
      expect(bot.ran).to.deep.equal(['mid-before']);
    });

    it('should leave a turn that outlives the timeout in the inbox, where another instance takes it over', async () => {
      const stuck = await bots.make({ turn: () => new Promise(() => undefined), claimAfterMs: 300 });
      await post(stuck.url, delivery([textItem(CUSTOMER, 'slow', 'mid-stuck')]));
      await until(() => stuck.ran.includes('mid-stuck'), 2_000, 'the turn');
      expect(await stuck.core.close({ timeoutMs: 100 })).to.deep.equal({ drained: false, unfinishedTurns: 1 });
      const other = await bots.make({ claimAfterMs: 300 });
      await until(() => other.ran.includes('mid-stuck'), 3_000, 'the take-over');
    });
  });

  describe('options', () => {
    const base = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN };

    it('should name inbox.store when it cannot open an inbox', () => {
      expect(() => new WebhookCore({ ...base, inbox: { store: {} as never } })).to.throw(TypeError, /"inbox\.store"/);
    });

    it('should name inbox.claimAfterMs when it is out of range', async () => {
      const bot = await bots.make();
      expect(() => new WebhookCore({ ...base, inbox: { store: bot.store, claimAfterMs: 5 } })).to.throw(RangeError, /"inbox\.claimAfterMs"/);
    });

    it('should name inbox.client when it is not a Redis client', async () => {
      const bot = await bots.make();
      expect(() => new WebhookCore({ ...base, inbox: { store: bot.store, client: { nope: true } } })).to.throw(TypeError, /"inbox\.client"/);
    });
  });
});
