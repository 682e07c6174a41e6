import { expect } from 'chai';
import type { Invalidation, RedisProfileStore, SharedProfileEntry, ThrottleNotice } from '../../src/redis/index.js';
import type { InstagramProfile } from '../../src/types.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { expectFinishedWithin, timed } from '../support/timing.js';
import { CLOCK_ESTIMATE_MS, CONTRACT_KINDS, iovalkey, storeFactory, TEST_STORE_OPTIONS, until } from './clients.js';

const BUSINESS = '17841400000000001';
const OTHER_BUSINESS = '17841400000000002';
const IGSID = '6000000000000001';
const HOUR = 3_600_000;

function profile(id = IGSID): InstagramProfile {
  return { id, name: 'Ada Lovelace', username: 'ada', profilePic: 'https://scontent.example/ada.jpg?oe=7FFFFFFF', followerCount: 12, isUserFollowBusiness: true };
}

/** The first invalidation a store hears. */
function nextInvalidation(store: RedisProfileStore): Promise<Invalidation> {
  return new Promise((resolve) => {
    const stop = store.onInvalidate((invalidation) => {
      stop();
      resolve(invalidation);
    });
  });
}

function nextThrottle(store: RedisProfileStore): Promise<ThrottleNotice> {
  return new Promise((resolve) => {
    const stop = store.onThrottle((notice) => {
      stop();
      resolve(notice);
    });
  });
}

for (const kind of CONTRACT_KINDS) {
  describe(`RedisProfileStore contract with ${kind.name}`, function () {
    this.timeout(10_000);
    const server = redisServerForSuite();
    const stores = storeFactory(kind, server);

    beforeEach(() => server().command('FLUSHALL'));
    afterEach(() => stores.closeAll());

    describe('second-level entries', () => {
      it('should be ready once Redis answers and the bus is subscribed', async () => {
        const store = await stores.make();
        expect(store.status()).to.equal('ready');
      });

      it('should read back a stored profile with its lifetimes on the caller\'s clock', async () => {
        const writer = await stores.make();
        const reader = await stores.make();
        const before = Date.now();
        expect(await writer.set(BUSINESS, IGSID, { kind: 'profile', profile: profile(), freshUntil: before + 60_000 }, HOUR)).to.equal(true);
        const entry = await reader.get(BUSINESS, IGSID);
        expect(entry?.kind).to.equal('profile');
        const hit = entry as Extract<SharedProfileEntry, { kind: 'profile' }>;
        expect(hit.profile).to.deep.equal(profile());
        expect(hit.pictureOmitted).to.equal(false);
        expect(hit.expiresAt).to.be.within(before + HOUR - CLOCK_ESTIMATE_MS, Date.now() + HOUR + CLOCK_ESTIMATE_MS);
        expect(hit.freshUntil).to.be.within(before + 60_000 - CLOCK_ESTIMATE_MS, before + 60_000 + CLOCK_ESTIMATE_MS);
      });

      it('should keep one business\'s entry from another business', async () => {
        const store = await stores.make();
        await store.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        expect(await store.get(OTHER_BUSINESS, IGSID)).to.equal(undefined);
        expect(await store.get(undefined, IGSID)).to.equal(undefined);
      });

      it('should let a stored entry lapse with its lifetime', async () => {
        const store = await stores.make();
        await store.set(BUSINESS, IGSID, { kind: 'not-found' }, 40);
        expect((await store.get(BUSINESS, IGSID))?.kind).to.equal('not-found');
        await until(async () => (await server().command('EXISTS', `igp:p:{${BUSINESS}:${IGSID}}`)).startsWith(':0'), 1_000, 'the entry to lapse');
        expect(await store.get(BUSINESS, IGSID)).to.equal(undefined);
      });

      it('should treat a value of another version, or one that does not parse, as a miss and never serve it', async () => {
        const store = await stores.make();
        const key = `igp:p:{${BUSINESS}:${IGSID}}`;
        const valid = JSON.stringify({ v: 1, k: 'p', f: Date.now() + HOUR, e: Date.now() + HOUR, p: profile() });
        for (const value of [valid.replace('"v":1', '"v":2'), '{"v":1,"k":"p"', 'not json', JSON.stringify({ v: 1, k: 'p', f: 1, e: Date.now() + HOUR, p: { ...profile(), id: '999' } })]) {
          await server().command('SET', key, value);
          expect(await store.get(BUSINESS, IGSID), value).to.equal(undefined);
        }
        await server().command('SET', key, valid);
        expect((await store.get(BUSINESS, IGSID))?.kind, 'the control value').to.equal('profile');
        expect(store.status()).to.equal('ready');
      });

      it('should keep picture URLs out of Redis when storePictures is false', async () => {
        const store = await stores.make({ storePictures: false });
        await store.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        const raw = await server().command('GET', `igp:p:{${BUSINESS}:${IGSID}}`);
        expect(raw).to.include('Ada Lovelace').and.not.include('scontent');
        const entry = (await store.get(BUSINESS, IGSID)) as Extract<SharedProfileEntry, { kind: 'profile' }>;
        expect(entry.pictureOmitted).to.equal(true);
        expect(entry.profile.profilePic).to.equal(null);
      });

      it('should refuse entries whose ids are not digits or whose profile is of someone else', async () => {
        const store = await stores.make();
        expect(await store.set(BUSINESS, '6*', { kind: 'not-found' }, HOUR)).to.equal(false);
        expect(await store.set('biz}', IGSID, { kind: 'not-found' }, HOUR)).to.equal(false);
        expect(await store.set(BUSINESS, IGSID, { kind: 'profile', profile: profile('123') }, HOUR)).to.equal(false);
        expect(await store.set(BUSINESS, IGSID, { kind: 'not-found' }, 0)).to.equal(false);
        expect(await server().command('DBSIZE')).to.equal(':0\r\n');
      });
    });

    describe('one Graph load per customer', () => {
      it('should make one load when three instances look up one customer at once', async () => {
        const instances = [await stores.make(), await stores.make(), await stores.make()];
        let loads = 0;
        const lookups = instances.map(async (store) => {
          const outcome = await store.tryLease(BUSINESS, IGSID);
          if (outcome.kind === 'acquired') {
            loads++;
            await new Promise((resolve) => setTimeout(resolve, 30));
            await store.publishResult(outcome.lease, { kind: 'profile', profile: profile() }, HOUR);
            return 'loaded';
          }
          if (outcome.kind === 'present') return outcome.entry.kind;
          if (outcome.kind === 'held') return (await store.waitForResult(BUSINESS, IGSID, 3_000))?.kind;
          return 'unavailable';
        });
        const results = await Promise.all(lookups);
        expect(loads).to.equal(1);
        expect(results.filter((result) => result === 'loaded')).to.have.length(1);
        expect(results.filter((result) => result === 'profile')).to.have.length(2);
      });

      it('should answer a stored entry instead of a lease', async () => {
        const store = await stores.make();
        await store.set(BUSINESS, IGSID, { kind: 'no-consent' }, HOUR);
        const outcome = await store.tryLease(BUSINESS, IGSID);
        expect(outcome.kind).to.equal('present');
        expect(outcome.kind === 'present' && outcome.entry.kind).to.equal('no-consent');
      });

      it('should wake a waiter with nothing at once when the holder\'s load failed, and let it take the lease', async () => {
        const holder = await stores.make();
        const waiter = await stores.make();
        const outcome = await holder.tryLease(BUSINESS, IGSID, 5_000);
        expect(outcome.kind).to.equal('acquired');
        const started = Date.now();
        const waiting = waiter.waitForResult(BUSINESS, IGSID, 3_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (outcome.kind === 'acquired') await holder.publishResult(outcome.lease, undefined, HOUR);
        expect(await waiting).to.equal(undefined);
        expect(Date.now() - started).to.be.below(1_000);
        expect((await waiter.tryLease(BUSINESS, IGSID)).kind).to.equal('acquired');
      });

      it('should let another instance take over when the holder dies and its lease lapses', async () => {
        const holder = await stores.make();
        const waiter = await stores.make();
        expect((await holder.tryLease(BUSINESS, IGSID)).kind).to.equal('acquired');
        // The holder never publishes: it died.
        const wait = await timed(() => waiter.waitForResult(BUSINESS, IGSID, 3_000));
        expect(wait.value).to.equal(undefined);
        expect(wait.ms).to.be.at.least(TEST_STORE_OPTIONS.leaseMs - 100);
        expectFinishedWithin(wait, TEST_STORE_OPTIONS.leaseMs + 700);
        expect((await waiter.tryLease(BUSINESS, IGSID)).kind).to.equal('acquired');
      });

      it('should never wait longer than the lookup\'s timeout', async () => {
        const holder = await stores.make();
        const waiter = await stores.make();
        await holder.tryLease(BUSINESS, IGSID, 10_000);
        const wait = await timed(() => waiter.waitForResult(BUSINESS, IGSID, 150));
        expect(wait.value).to.equal(undefined);
        expect(wait.ms).to.be.at.least(140);
        expectFinishedWithin(wait, 400);
      });

      it('should stop waiting when the caller aborts', async () => {
        const holder = await stores.make();
        const waiter = await stores.make();
        await holder.tryLease(BUSINESS, IGSID, 10_000);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const wait = await timed(() => waiter.waitForResult(BUSINESS, IGSID, 5_000, controller.signal));
        expect(wait.value).to.equal(undefined);
        expectFinishedWithin(wait, 500);
      });
    });

    describe('invalidation bus and deletion', () => {
      it('should tell other instances, and not itself, to drop a forgotten person; Redis keeps nothing of them', async () => {
        const [a, b, c] = [await stores.make(), await stores.make(), await stores.make()];
        await a.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        await b.set(OTHER_BUSINESS, IGSID, { kind: 'no-consent' }, HOUR);
        await a.set(BUSINESS, '6000000000000002', { kind: 'profile', profile: profile('6000000000000002') }, HOUR);
        const own: Invalidation[] = [];
        a.onInvalidate((invalidation) => own.push(invalidation));
        const heard = [nextInvalidation(b), nextInvalidation(c)];
        const forgotten = await timed(async () => [await a.forget(IGSID), await Promise.all(heard)]);
        expect(forgotten.value).to.deep.equal([{ removed: 2, complete: true }, [{ scope: 'person', igsid: IGSID }, { scope: 'person', igsid: IGSID }]]);
        expectFinishedWithin(forgotten, 100, 'pushed over the bus, not polled:');
        expect(own).to.deep.equal([]);
        expect(await b.get(BUSINESS, IGSID)).to.equal(undefined);
        expect(await b.get(OTHER_BUSINESS, IGSID)).to.equal(undefined);
        expect(await b.get(BUSINESS, '6000000000000002'), 'another person stays').to.not.equal(undefined);
        // Only short-lived markers that refuse late writes remain, holding no data; then nothing.
        await until(async () => !(await server().command('KEYS', `*${IGSID}*`)).includes(IGSID), 3_000, 'the markers to lapse');
      });

      it('should refuse a write of a forgotten customer that was already on its way', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        await a.forget(IGSID, BUSINESS);
        expect(await b.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR)).to.equal(false);
        expect(await b.get(BUSINESS, IGSID)).to.equal(undefined);
      });

      it('should forget a person for one business only, and tell the others which', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        await a.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        await a.set(OTHER_BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        const heard = nextInvalidation(b);
        expect(await a.forget(IGSID, BUSINESS)).to.deep.equal({ removed: 1, complete: true });
        expect(await heard).to.deep.equal({ scope: 'profile', businessId: BUSINESS, igsid: IGSID });
        expect(await b.get(BUSINESS, IGSID)).to.equal(undefined);
        expect((await b.get(OTHER_BUSINESS, IGSID))?.kind).to.equal('profile');
      });

      it('should purge everything held for one business, in batches, and nothing of another', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        const igsids = Array.from({ length: 250 }, (_, i) => String(7_000_000_000 + i));
        for (let i = 0; i < igsids.length; i += 25) {
          await Promise.all(igsids.slice(i, i + 25).map((igsid) => a.set(BUSINESS, igsid, { kind: 'profile', profile: profile(igsid) }, HOUR)));
        }
        await a.set(OTHER_BUSINESS, igsids[0]!, { kind: 'not-found' }, HOUR);
        const heard = nextInvalidation(b);
        expect(await a.forgetBusiness(BUSINESS)).to.deep.equal({ removed: 250, complete: true });
        expect(await heard).to.deep.equal({ scope: 'business', businessId: BUSINESS });
        expect(await server().command('EXISTS', `igp:b:${BUSINESS}`)).to.equal(':0\r\n');
        expect(await server().command('ZRANGE', `igp:u:${igsids[0]}`, 0, -1)).to.equal(`*1\r\n$${OTHER_BUSINESS.length}\r\n${OTHER_BUSINESS}\r\n`);
        expect(await b.get(BUSINESS, igsids[249]!)).to.equal(undefined);
        expect((await b.get(OTHER_BUSINESS, igsids[0]!))?.kind).to.equal('not-found');
      });

      it('should carry keys only on the bus, never profile data', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        const seen: string[] = [];
        const spy = await kind.create(server());
        const subscriber = spy.duplicate() as { subscribe(channel: string, listener?: (text: string) => void): Promise<unknown>; on?(event: string, fn: (channel: string, text: string) => void): void };
        if (kind.name === 'node-redis') {
          await (subscriber as unknown as { connect(): Promise<unknown> }).connect();
          await subscriber.subscribe('igp:bus', (text) => seen.push(text));
        } else {
          subscriber.on!('message', (_channel, text) => seen.push(text));
          await new Promise((resolve) => setTimeout(resolve, 50));
          await subscriber.subscribe('igp:bus');
        }
        const outcome = await a.tryLease(BUSINESS, IGSID);
        if (outcome.kind === 'acquired') await a.publishResult(outcome.lease, { kind: 'profile', profile: profile() }, HOUR);
        await a.invalidate(BUSINESS, IGSID);
        await a.forget(IGSID);
        await b.publishThrottle(BUSINESS, Date.now() + 1_000, 'rate-limited');
        await until(() => seen.length >= 4, 2_000, 'four bus messages');
        expect(seen.join('\n')).to.not.include('Ada').and.not.include('scontent').and.not.include('ada');
        await kind.close(subscriber);
        await kind.close(spy);
      });

      it('should drop a remembered "no consent" (only that) and tell the other instances', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        await a.set(BUSINESS, IGSID, { kind: 'no-consent' }, HOUR);
        await a.set(OTHER_BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
        const heard = nextInvalidation(b);
        await a.clearNoConsent(BUSINESS, IGSID);
        await a.clearNoConsent(OTHER_BUSINESS, IGSID);
        expect(await heard).to.deep.equal({ scope: 'consent', businessId: BUSINESS, igsid: IGSID });
        expect(await b.get(BUSINESS, IGSID)).to.equal(undefined);
        expect((await b.get(OTHER_BUSINESS, IGSID))?.kind, 'a profile is not a "no consent"').to.equal('profile');
      });

      it('should tell other instances to drop a refreshed profile', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        const heard = nextInvalidation(b);
        await a.invalidate(undefined, IGSID);
        expect(await heard).to.deep.equal({ scope: 'profile', businessId: undefined, igsid: IGSID });
      });
    });

    describe('throttles and open circuits', () => {
      it('should spread a throttle to every instance, on each one\'s clock, and keep it for instances that start later', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        const heard = nextThrottle(b);
        const until = Date.now() + 5_000;
        await a.publishThrottle('*', until, 'rate-limited');
        const notice = await heard;
        expect(notice.scope).to.equal('*');
        expect(notice.reason).to.equal('rate-limited');
        expect(notice.until).to.be.within(until - CLOCK_ESTIMATE_MS, until + CLOCK_ESTIMATE_MS);
        await a.publishThrottle(BUSINESS, Date.now() + 2_000, 'circuit-open');
        const later = await stores.make();
        const read = await later.readThrottles();
        expect(read.map(({ scope, reason }) => `${reason}|${scope}`).sort()).to.deep.equal(['circuit-open|' + BUSINESS, 'rate-limited|*']);
      });

      it('should keep the later end of a throttle and lift it on request', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        const later = Date.now() + 10_000;
        await a.publishThrottle(BUSINESS, later, 'rate-limited');
        await a.publishThrottle(BUSINESS, Date.now() + 1_000, 'rate-limited');
        expect((await b.readThrottles())[0]?.until).to.be.within(later - CLOCK_ESTIMATE_MS, later + CLOCK_ESTIMATE_MS);
        const lifted = nextThrottle(b);
        await a.publishThrottle(BUSINESS, Date.now() - 1, 'rate-limited');
        expect((await lifted).until).to.be.at.most(Date.now());
        expect(await b.readThrottles()).to.deep.equal([]);
      });
    });

    describe('webhook de-duplication', () => {
      it('should tell the first delivery from a repeat on another instance, before and after it completed', async () => {
        const [a, b] = [await stores.make(), await stores.make()];
        expect(await a.received('digest-1', HOUR)).to.equal('first');
        expect(await b.received('digest-1', HOUR)).to.equal('duplicate');
        await a.completed('digest-1', HOUR);
        expect(await b.received('digest-1', HOUR)).to.equal('duplicate');
        expect(await b.received('digest-2', HOUR)).to.equal('first');
      });

      it('should keep a fixed-size key whatever the delivery key', async () => {
        const store = await stores.make();
        expect(await store.received('m_' + 'x'.repeat(5_000), HOUR)).to.equal('first');
        const keys = await server().command('KEYS', 'igp:d:*');
        expect(keys.length).to.be.below(60);
      });

      it('should let another instance reclaim a delivery received long ago and never completed', async () => {
        // Long enough that a loaded machine cannot stall between two checks past it.
        const reclaimAfterMs = 300;
        const [a, b] = [await stores.make({ reclaimAfterMs }), await stores.make({ reclaimAfterMs })];
        expect(await a.received('digest-3', HOUR)).to.equal('first');
        expect(await b.received('digest-3', HOUR)).to.equal('duplicate');
        await new Promise((resolve) => setTimeout(resolve, reclaimAfterMs + 20));
        expect(await b.received('digest-3', HOUR)).to.equal('first');
        expect(await a.received('digest-3', HOUR), 'reclaimed once, then held again').to.equal('duplicate');
        await a.completed('digest-4', HOUR);
        await new Promise((resolve) => setTimeout(resolve, reclaimAfterMs + 20));
        expect(await b.received('digest-4', HOUR), 'a completed delivery is never reclaimed').to.equal('duplicate');
      });
    });
  });
}

describe('RedisProfileStore with iovalkey', function () {
  this.timeout(10_000);
  const server = redisServerForSuite();
  const stores = storeFactory(iovalkey, server);
  afterEach(() => stores.closeAll());

  it('should share entries and invalidations as with ioredis', async () => {
    const [a, b] = [await stores.make(), await stores.make()];
    expect(a.status()).to.equal('ready');
    await a.set(BUSINESS, IGSID, { kind: 'profile', profile: profile() }, HOUR);
    expect((await b.get(BUSINESS, IGSID))?.kind).to.equal('profile');
    const heard = nextInvalidation(b);
    await a.forget(IGSID);
    expect(await heard).to.deep.equal({ scope: 'person', igsid: IGSID });
  });
});
