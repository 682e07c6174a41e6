import { expect } from 'chai';
import type { Invalidation, RedisProfileStore } from '../../src/redis/index.js';
import type { InstagramProfile } from '../../src/types.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { expectFinishedWithin, timed } from '../support/timing.js';
import { CLOCK_ESTIMATE_MS, CONTRACT_KINDS, endpoint, ioredis, storeFactory, until } from './clients.js';
import { type RedisProxy, startProxy } from './proxy.js';

const BUSINESS = '17841400000000001';
const IGSID = '6000000000000001';
const HOUR = 3_600_000;
/** The per-turn deadline under test, and what a loaded machine may add to it. */
const DEADLINE_MS = 50;
const SLACK_MS = 100;
const FAST = { operationTimeoutMs: DEADLINE_MS };
/**
 * How long Redis stays stalled in the hang and busy tests: long past the deadline, and past any
 * stall of this process on a loaded machine. A deadline timer that fires late lets the socket
 * be read first (a busy process is not a slow Redis), so a shorter stall could end before it.
 */
const STALL_MS = 1_500;

const profile: InstagramProfile = { id: IGSID, name: 'Ada Lovelace', profilePic: null };

/** Every primitive, as a turn would call it: each must answer local-only, within the deadline. */
async function everyPrimitive(store: RedisProfileStore) {
  return {
    get: await store.get(BUSINESS, IGSID),
    set: await store.set(BUSINESS, IGSID, { kind: 'profile', profile }, HOUR),
    lease: (await store.tryLease(BUSINESS, IGSID)).kind,
    wait: await store.waitForResult(BUSINESS, IGSID, 1_000),
    received: await store.received('digest-x', HOUR),
    throttles: await store.readThrottles(),
  };
}

const LOCAL_ONLY = { get: undefined, set: false, lease: 'unavailable', wait: undefined, received: 'unknown', throttles: [] };

for (const kind of CONTRACT_KINDS) {
  describe(`RedisProfileStore faults with ${kind.name}: Redis stopped, then back`, function () {
    this.timeout(15_000);
    const server = redisServerForSuite();
    const stores = storeFactory(kind, server);
    afterEach(() => stores.closeAll());

    it('should answer local-only within the deadline while Redis refuses connections, and recover by itself', async () => {
      const store = await stores.make(FAST);
      const heard: Invalidation[] = [];
      store.onInvalidate((invalidation) => heard.push(invalidation));
      await server().stop();
      const first = await timed(() => store.get(BUSINESS, IGSID));
      expect(first.value).to.equal(undefined);
      expectFinishedWithin(first, DEADLINE_MS + SLACK_MS);
      await until(() => store.status() === 'degraded', 1_000, 'degraded');
      const all = await timed(() => everyPrimitive(store));
      expect(all.value).to.deep.equal(LOCAL_ONLY);
      expectFinishedWithin(all, SLACK_MS, 'degraded answers come at once:');
      await server().restart();
      await until(() => store.status() === 'ready', 5_000, 'ready again');
      // The bus reports its gap once its own connection is back, which may come a little later.
      await until(() => heard.some((invalidation) => invalidation.scope === 'everything'), 3_000, 'the bus gap to be reported');
      expect(await store.set(BUSINESS, IGSID, { kind: 'profile', profile }, HOUR)).to.equal(true);
      expect((await store.get(BUSINESS, IGSID))?.kind).to.equal('profile');
    });
  });
}

describe('RedisProfileStore faults', function () {
  this.timeout(15_000);
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  let proxy: RedisProxy | undefined;

  beforeEach(() => server().command('FLUSHALL'));
  afterEach(async () => {
    await stores.closeAll();
    await proxy?.close();
    proxy = undefined;
    await server().configSet('maxmemory', 0);
  });

  describe('a Redis that hangs or is slow', () => {
    it('should give up at the deadline when Redis hangs, and be ready again when it answers', async () => {
      const store = await stores.make(FAST);
      await server().command('CLIENT', 'PAUSE', STALL_MS, 'ALL');
      const lookup = await timed(() => store.get(BUSINESS, IGSID));
      expect(lookup.value).to.equal(undefined);
      expect(lookup.ms).to.be.at.least(DEADLINE_MS - 5);
      expectFinishedWithin(lookup, DEADLINE_MS + SLACK_MS);
      expect(store.status()).to.equal('degraded');
      const wait = await timed(() => store.waitForResult(BUSINESS, IGSID, 2_000));
      expectFinishedWithin(wait, SLACK_MS, 'a waiter is never held by a hanging Redis:');
      await until(() => store.status() === 'ready', STALL_MS + 3_000, 'ready again');
    });

    it('should give up at the deadline while Redis is busy (DEBUG SLEEP)', async () => {
      const store = await stores.make(FAST);
      // Written before the lookup's command, so Redis is asleep when that arrives.
      const { reply: sleeping } = await server().sendCommand('DEBUG', 'SLEEP', String(STALL_MS / 1_000));
      const lookup = await timed(() => store.received('digest-y', HOUR));
      expect(lookup.value).to.equal('unknown');
      expectFinishedWithin(lookup, DEADLINE_MS + SLACK_MS);
      await sleeping;
      await until(() => store.status() === 'ready', STALL_MS + 3_000, 'ready again');
    });

    it('should stay ready over a slow link within the deadline, and act local-only past it', async () => {
      proxy = await startProxy(server().port);
      const store = await stores.make({ operationTimeoutMs: 150 }, endpoint(proxy.port));
      proxy.latencyMs = 20;
      expect(await store.set(BUSINESS, IGSID, { kind: 'not-found' }, HOUR)).to.equal(true);
      expect((await store.get(BUSINESS, IGSID))?.kind).to.equal('not-found');
      expect(store.status()).to.equal('ready');
      proxy.latencyMs = 200;
      const slow = await timed(() => store.get(BUSINESS, IGSID));
      expect(slow.value).to.equal(undefined);
      expectFinishedWithin(slow, 150 + SLACK_MS);
      expect(store.status()).to.equal('degraded');
      proxy.latencyMs = 0;
      await until(() => store.status() === 'ready', 3_000, 'ready again');
    });
  });

  describe('dropped connections', () => {
    it('should report a bus gap as "everything" and re-subscribe when the pub/sub connection is killed', async () => {
      const [a, b] = [await stores.make(), await stores.make()];
      const heard: Invalidation[] = [];
      b.onInvalidate((invalidation) => heard.push(invalidation));
      await server().command('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(() => heard.length > 0, 3_000, 'the gap');
      expect(heard[0]).to.deep.equal({ scope: 'everything' });
      await until(() => b.status() === 'ready', 3_000, 'ready again');
      await a.invalidate(BUSINESS, IGSID);
      await until(() => heard.length > 1, 3_000, 'an invalidation after the gap');
      expect(heard[1]).to.deep.equal({ scope: 'profile', businessId: BUSINESS, igsid: IGSID });
    });

    it('should keep working after its command connections are killed', async () => {
      const store = await stores.make();
      await server().command('CLIENT', 'KILL', 'TYPE', 'normal');
      await until(async () => (await store.set(BUSINESS, IGSID, { kind: 'not-found' }, HOUR)) === true, 3_000, 'a write to succeed');
      expect((await store.get(BUSINESS, IGSID))?.kind).to.equal('not-found');
    });

    it('should replay a deletion that could not reach Redis during a partition once it heals', async () => {
      proxy = await startProxy(server().port);
      const partitioned = await stores.make(FAST, endpoint(proxy.port));
      const other = await stores.make();
      await other.set(BUSINESS, IGSID, { kind: 'profile', profile }, HOUR);
      proxy.cut();
      const deletion = await partitioned.forget(IGSID);
      expect(deletion.complete).to.equal(false);
      expect((await other.get(BUSINESS, IGSID))?.kind, 'not deleted yet').to.equal('profile');
      const heard = new Promise<Invalidation>((resolve) => other.onInvalidate(resolve));
      proxy.heal();
      expect(await heard).to.deep.equal({ scope: 'person', igsid: IGSID });
      expect(await other.get(BUSINESS, IGSID)).to.equal(undefined);
    });
  });

  describe('garbage', () => {
    it('should treat a key of the wrong type as a miss without degrading', async () => {
      const store = await stores.make();
      await server().command('LPUSH', `igp:p:{${BUSINESS}:${IGSID}}`, 'junk');
      expect(await store.get(BUSINESS, IGSID)).to.equal(undefined);
      expect(store.status()).to.equal('ready');
    });

    it('should lease past a stored value it cannot read', async () => {
      const store = await stores.make();
      await server().command('SET', `igp:p:{${BUSINESS}:${IGSID}}`, '{"v":9}');
      expect((await store.tryLease(BUSINESS, IGSID)).kind).to.equal('acquired');
    });

    it('should ignore garbage on the bus, in the throttle set and in delivery keys', async () => {
      const store = await stores.make();
      const calls: unknown[] = [];
      store.onInvalidate((invalidation) => calls.push(invalidation));
      store.onThrottle((notice) => calls.push(notice));
      for (const text of ['junk', '{"v":1}', '{"v":1,"o":"x","t":"u","i":"1*"}', '{"v":1,"o":"x","t":"t","s":"*","u":1,"r":"constructor"}', '{"v":2,"o":"x","t":"u","i":"1"}']) {
        await server().command('PUBLISH', 'igp:bus', text);
      }
      await server().command('ZADD', 'igp:throttles', Date.now() + HOUR, 'zz|*', Date.now() + HOUR, 'rl|abc');
      await server().command('SET', 'igp:d:digest-z', 'garbage');
      await server().command('PUBLISH', 'igp:bus', '{"v":1,"o":"x","t":"u","i":"42"}');
      await until(() => calls.length > 0, 2_000, 'the control message');
      expect(calls).to.deep.equal([{ scope: 'person', igsid: '42' }]);
      expect(await store.readThrottles()).to.deep.equal([]);
      expect(await store.received('digest-z', HOUR)).to.equal('unknown');
      expect(store.status()).to.equal('ready');
    });
  });

  describe('memory eviction (maxmemory, allkeys-lru)', () => {
    /**
     * Fills Redis with junk until `key` is evicted. LRU is approximate (sampled, 1 s clock),
     * so the `keep` keys may go too: they are put back as they were, and the state under
     * test is exact: entries present, their index evicted.
     */
    async function evict(key: string, keep: string[]): Promise<void> {
      const saved = await Promise.all(keep.map(async (kept) => ({ kept, value: /\r\n(.*)\r\n$/.exec(await server().command('GET', kept))?.[1] })));
      const info = await server().command('INFO', 'memory');
      const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
      await server().configSet('maxmemory-policy', 'allkeys-lru');
      await server().configSet('maxmemory', used + 512 * 1024);
      let evicted = false;
      for (let round = 0; round < 200 && !evicted; round++) {
        for (let i = 0; i < 50; i++) await server().command('SET', `junk:${round}:${i}`, 'x'.repeat(2_048));
        evicted = (await server().command('EXISTS', key)) === ':0\r\n';
      }
      if (!evicted) throw new Error(`${key} was never evicted`);
      await server().configSet('maxmemory', 0);
      for (const { kept, value } of saved) if (value !== undefined) await server().command('SET', kept, value, 'NX', 'PX', HOUR);
    }

    it('should still delete every entry of a person whose index was evicted (SCAN fallback)', async () => {
      const [a, b] = [await stores.make(), await stores.make()];
      await a.set(BUSINESS, IGSID, { kind: 'profile', profile }, HOUR);
      await a.set('17841400000000002', IGSID, { kind: 'not-found' }, HOUR);
      const kept = [`igp:p:{${BUSINESS}:${IGSID}}`, `igp:p:{17841400000000002:${IGSID}}`];
      await evict(`igp:u:${IGSID}`, kept);
      for (const key of kept) expect(await server().command('EXISTS', key), key).to.equal(':1\r\n');
      expect(await b.forget(IGSID)).to.deep.equal({ removed: 2, complete: true });
      for (const key of kept) expect(await server().command('EXISTS', key), key).to.equal(':0\r\n');
    });

    it('should survive an evicted lease: a second holder loads, and the first cannot release the second\'s lease', async () => {
      const [a, b] = [await stores.make(), await stores.make()];
      const first = await a.tryLease(BUSINESS, IGSID, 10_000);
      expect(first.kind).to.equal('acquired');
      await evict(`igp:l:{${BUSINESS}:${IGSID}}`, []);
      const second = await b.tryLease(BUSINESS, IGSID, 10_000);
      expect(second.kind).to.equal('acquired');
      if (first.kind === 'acquired') await a.publishResult(first.lease, undefined, HOUR);
      expect(await server().command('EXISTS', `igp:l:{${BUSINESS}:${IGSID}}`), "the second holder's lease stays").to.equal(':1\r\n');
      if (second.kind === 'acquired') await b.publishResult(second.lease, { kind: 'profile', profile }, HOUR);
      expect((await a.get(BUSINESS, IGSID))?.kind).to.equal('profile');
    });
  });

  describe('clock skew between instances', () => {
    const SKEW_MS = 3_000;

    it('should agree on lifetimes, throttles and leases when clocks are seconds apart', async () => {
      const ahead = await stores.make({ now: () => Date.now() + SKEW_MS });
      const behind = await stores.make({ now: () => Date.now() - SKEW_MS });
      const beforeSet = Date.now();
      await ahead.set(BUSINESS, IGSID, { kind: 'not-found' }, 1_000);
      const afterSet = Date.now();
      const entry = await behind.get(BUSINESS, IGSID);
      expect(entry?.expiresAt, 'on the reader\'s clock').to.be.within(beforeSet - SKEW_MS + 1_000 - CLOCK_ESTIMATE_MS, afterSet - SKEW_MS + 1_000 + CLOCK_ESTIMATE_MS);

      const notice = new Promise<{ until: number }>((resolve) => behind.onThrottle(resolve));
      // Two seconds from now on the clock that runs ahead: on the one behind, 2 × SKEW_MS earlier.
      const until = Date.now() + SKEW_MS + 2_000;
      await ahead.publishThrottle(BUSINESS, until, 'rate-limited');
      expect((await notice).until).to.be.within(until - 2 * SKEW_MS - CLOCK_ESTIMATE_MS, until - 2 * SKEW_MS + CLOCK_ESTIMATE_MS);

      await server().command('FLUSHALL');
      expect((await ahead.tryLease(BUSINESS, IGSID, 300)).kind).to.equal('acquired');
      const wait = await timed(() => behind.waitForResult(BUSINESS, IGSID, 5_000));
      expect(wait.value).to.equal(undefined);
      expect(wait.ms, 'the lease lapses after its own length, not shifted by the skew').to.be.at.least(200);
      expectFinishedWithin(wait, 900, 'the lease lapses after its own length, not shifted by the skew:');
    });
  });
});
