import { expect } from 'chai';
import { ProfileCache } from '../../src/index.js';
import { until } from '../redis/clients.js';
import { expectFinishedWithin, timed } from '../support/timing.js';
import { BIZ, codeOf, gatedLoader, HOUR, nameOf, noConsent, OTHER, pictureUntil, profile } from './helpers.js';
import { sharedCacheSuite } from './sharedInstances.js';

const MINUTE = 60_000;
const ADA = '6000000000000001';
const ALAN = '6000000000000002';

/** ProfileCache with a RedisProfileStore as its second level: several instances on one private redis-server. */
describe('ProfileCache with a shared store (Redis second level)', function () {
  this.timeout(10_000);
  const { server, clock, instance } = sharedCacheSuite();

  const loadOf = (name: string, id = ADA) => {
    const calls = { count: 0 };
    return { calls, load: async () => (calls.count++, profile(id, { name })) };
  };
  const shared = { grantsConsent: true };
  /** Waits are measured on the clock: tests of how long a lookup waits run on the real one. */
  const REAL_TIME = { now: Date.now };

  it('should answer a profile another instance loaded from Redis, without calling Graph', async () => {
    const [a, b] = [await instance(), await instance()];
    const loadA = loadOf('Ada');
    const loadB = loadOf('Not Ada');
    expect(await a.cache.lookup(BIZ, ADA, loadA.load, shared)).to.deep.include({ status: 'ok', source: 'graph' });
    await a.cache.flush();
    const answer = await b.cache.lookup(BIZ, ADA, loadB.load, shared);
    expect(answer).to.deep.include({ status: 'ok', source: 'cache' });
    expect(nameOf(answer)).to.equal('Ada');
    expect([loadA.calls.count, loadB.calls.count]).to.deep.equal([1, 0]);
    expect(b.cache.peek(BIZ, ADA)).to.deep.include({ status: 'ok', source: 'cache' });
  });

  it('should fill the local cache for the remaining lifetime of the shared entry, not a whole ttl', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.cache.lookup(BIZ, ADA, loadOf('Ada').load, shared);
    await a.cache.flush();
    clock.advance(30 * MINUTE);
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadOf('x').load, shared))).to.equal('Ada');
    // Each store measures its own offset to the server's clock: they may differ by a few ms.
    clock.advance(30 * MINUTE - 50);
    expect(b.cache.peek(BIZ, ADA)?.status).to.equal('ok');
    clock.advance(100);
    expect(b.cache.peek(BIZ, ADA), 'gone when the entry A wrote ends, 1 h after A loaded it (not 1 h after B read it)').to.equal(undefined);
  });

  it("should keep the picture cap in the shared entry: it ends with the picture's oe= less the margin", async () => {
    const [a, b] = [await instance({ pictureExpiryMargin: 10 * MINUTE }), await instance({ pictureExpiryMargin: 10 * MINUTE })];
    const picture = pictureUntil(clock.now() + 20 * MINUTE);
    await a.cache.lookup(BIZ, ADA, async () => profile(ADA, { profilePic: picture }), shared);
    await a.cache.flush();
    const entry = await b.store.get(BIZ, ADA);
    // oe= has whole seconds: the cap lands within a second below clock.now() + 10 min, give or take
    // the two stores' offsets to the server's clock (a loaded CI run read 24 ms under).
    expect(entry?.expiresAt).to.be.within(clock.now() + 10 * MINUTE - 1_100, clock.now() + 10 * MINUTE + 100);
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadOf('x').load, shared))).to.equal(`Person ${ADA}`);
    clock.advance(10 * MINUTE);
    expect(b.cache.peek(BIZ, ADA)).to.equal(undefined);
  });

  it('should make one Graph call in total for concurrent first lookups on three instances', async () => {
    const instances = [await instance(), await instance(), await instance()];
    const gates = instances.map(() => gatedLoader());
    const answers = instances.map(({ cache }, i) => cache.lookup(BIZ, ADA, gates[i]!.load, shared));
    await until(() => gates.some((gate) => gate.calls.length > 0), 2_000, 'one instance to load');
    const holder = gates.find((gate) => gate.calls.length > 0)!;
    holder.calls[0]!.resolve(profile(ADA, { name: 'Ada' }));
    const settled = await Promise.all(answers);
    expect(settled.map(nameOf)).to.deep.equal(['Ada', 'Ada', 'Ada']);
    expect(gates.map((gate) => gate.calls.length).reduce((sum, n) => sum + n)).to.equal(1);
    expect(settled.map((answer) => (answer.status === 'ok' ? answer.source : answer.status)).sort()).to.deep.equal(['cache', 'cache', 'graph']);
  });

  it('should take over when the lease holder never answers: the lease lapses and another instance loads', async () => {
    // leaseMs 300 (TEST_STORE_OPTIONS): the holder hangs, as one whose process died would.
    const [a, b] = [await instance(REAL_TIME, REAL_TIME), await instance(REAL_TIME, REAL_TIME)];
    const hung = gatedLoader();
    void a.cache.lookup(BIZ, ADA, hung.load, shared);
    await until(() => hung.calls.length === 1, 2_000, 'A to hold the lease');
    const loadB = loadOf('Ada');
    const started = Date.now();
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadB.load, { ...shared, timeout: 3_000 }))).to.equal('Ada');
    expect(loadB.calls.count).to.equal(1);
    expect(Date.now() - started).to.be.below(2_000);
    hung.calls[0]!.resolve(profile(ADA));
  });

  it("should never wait longer than the lookup's timeout for another instance's load", async () => {
    const [a, b] = [await instance(REAL_TIME, { ...REAL_TIME, leaseMs: 5_000 }), await instance(REAL_TIME, { ...REAL_TIME, leaseMs: 5_000 })];
    const hung = gatedLoader();
    void a.cache.lookup(BIZ, ADA, hung.load, shared);
    await until(() => hung.calls.length === 1, 2_000, 'A to hold the lease');
    const loadB = loadOf('Ada');
    const lookup = await timed(() => b.cache.lookup(BIZ, ADA, loadB.load, { ...shared, timeout: 200 }));
    const answer = lookup.value;
    expect(answer.status).to.equal('unavailable');
    expect(codeOf(answer)).to.equal('GRAPH_TIMEOUT');
    expect(lookup.ms).to.be.at.least(150);
    expectFinishedWithin(lookup, 600);
    expect(loadB.calls.count, 'no second Graph call while the holder may still answer').to.equal(0);
    expect(b.cache.peek(BIZ, ADA), 'a timeout is not kept').to.equal(undefined);
    hung.calls[0]!.resolve(profile(ADA));
  });

  it("should hand the loader what is left of the lookup's timeout after waiting", async () => {
    const [a, b] = [await instance(REAL_TIME, REAL_TIME), await instance(REAL_TIME, REAL_TIME)];
    const hung = gatedLoader();
    void a.cache.lookup(BIZ, ADA, hung.load, shared);
    await until(() => hung.calls.length === 1, 2_000, 'A to hold the lease');
    let budget: number | undefined;
    await b.cache.lookup(BIZ, ADA, async (_signal, timeoutMs) => ((budget = timeoutMs), profile(ADA)), { ...shared, timeout: 2_000 });
    // B waited about a lease (300 ms) before it took over.
    expect(budget).to.be.within(1, 1_800);
    hung.calls[0]!.resolve(profile(ADA));
  });

  it('should share a remembered "no consent", and let a consent event clear it on every instance', async () => {
    const [a, b] = [await instance(), await instance()];
    expect((await a.cache.lookup(BIZ, ADA, async () => Promise.reject(noConsent()), shared)).status).to.equal('no-consent');
    await a.cache.flush();
    const noCall = loadOf('x');
    expect((await b.cache.lookup(BIZ, ADA, noCall.load)).status, 'a lookup that grants nothing reads it').to.equal('no-consent');
    expect(noCall.calls.count).to.equal(0);
    const consented = loadOf('Ada');
    b.cache.clearNoConsent(BIZ, ADA);
    expect(nameOf(await b.cache.lookup(BIZ, ADA, consented.load, shared))).to.equal('Ada');
    expect(consented.calls.count).to.equal(1);
    await until(() => a.cache.peek(BIZ, ADA) === undefined, 1_000, "A to drop its 'no consent'");
  });

  it('should clear a shared "no consent" that only Redis holds when a consent event looks up', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.cache.lookup(BIZ, ADA, async () => Promise.reject(noConsent()), shared);
    await a.cache.flush();
    const consented = loadOf('Ada');
    expect(nameOf(await b.cache.lookup(BIZ, ADA, consented.load, shared))).to.equal('Ada');
    expect(consented.calls.count).to.equal(1);
    await b.cache.flush();
    expect((await a.store.get(BIZ, ADA))?.kind).to.equal('profile');
  });

  it('should keep nothing of a failed load in either level: another instance calls Graph itself', async () => {
    const [a, b] = [await instance(), await instance()];
    const failing = await a.cache.lookup(BIZ, ADA, async () => Promise.reject(new Error('socket hang up')), shared);
    expect(failing.status).to.equal('unavailable');
    await a.cache.flush();
    expect(await a.store.get(BIZ, ADA)).to.equal(undefined);
    const loadB = loadOf('Ada');
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadB.load, shared))).to.equal('Ada');
    expect(loadB.calls.count).to.equal(1);
  });

  it('should treat a garbage value in Redis as a miss, and replace it', async () => {
    const b = await instance();
    await server().command('SET', `igp:p:{${BIZ}:${ADA}}`, '{"v":1,"k":"p","p":{"id":"1","name":"Mallory"}}');
    const loadB = loadOf('Ada');
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadB.load, shared))).to.equal('Ada');
    expect(loadB.calls.count).to.equal(1);
    await b.cache.flush();
    expect((await b.store.get(BIZ, ADA))?.kind).to.equal('profile');
  });

  it('should give a refresh to every instance: the new profile in Redis, the old copies dropped', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.cache.lookup(BIZ, ADA, loadOf('Ada').load, shared);
    await a.cache.flush();
    await b.cache.lookup(BIZ, ADA, loadOf('x').load, shared);
    expect(nameOf(await a.cache.lookup(BIZ, ADA, loadOf('Ada Byron').load, { ...shared, forceRefresh: true }))).to.equal('Ada Byron');
    await a.cache.flush();
    await until(() => b.cache.peek(BIZ, ADA) === undefined, 1_000, 'B to drop its copy');
    const loadB = loadOf('x');
    expect(nameOf(await b.cache.lookup(BIZ, ADA, loadB.load, shared))).to.equal('Ada Byron');
    expect(loadB.calls.count).to.equal(0);
  });

  it('should forget a person on every instance and in Redis', async () => {
    const [a, b] = [await instance(), await instance()];
    for (const business of [BIZ, OTHER]) {
      await a.cache.lookup(business, ADA, loadOf('Ada').load, shared);
      await a.cache.lookup(business, ALAN, loadOf('Alan', ALAN).load, shared);
    }
    await a.cache.flush();
    for (const business of [BIZ, OTHER]) await b.cache.lookup(business, ADA, loadOf('x').load, shared);
    expect(a.cache.forget(ADA)).to.equal(2);
    await a.cache.flush();
    await until(() => b.cache.peek(BIZ, ADA) === undefined && b.cache.peek(OTHER, ADA) === undefined, 100, "B to drop Ada's entries");
    expect(await a.store.get(BIZ, ADA)).to.equal(undefined);
    expect(await a.store.get(OTHER, ADA)).to.equal(undefined);
    expect(nameOf(await b.cache.lookup(BIZ, ALAN, loadOf('x').load, shared)), 'others stay').to.equal('Alan');
  });

  it('should purge one business on every instance and in Redis, and leave other businesses', async () => {
    const [a, b] = [await instance(), await instance()];
    for (const business of [BIZ, OTHER]) for (const id of [ADA, ALAN]) await a.cache.lookup(business, id, loadOf('P', id).load, shared);
    await a.cache.flush();
    for (const id of [ADA, ALAN]) await b.cache.lookup(BIZ, id, loadOf('x', id).load, shared);
    // An entry past its ttl but still held, and a load in flight: both go.
    const loading = gatedLoader();
    const inFlight = a.cache.lookup(BIZ, '6000000000000003', loading.load);
    await until(() => loading.calls.length === 1, 1_000, 'the load to start');
    expect(await a.cache.forgetBusiness(BIZ)).to.deep.equal({ removed: 3, complete: true });
    expect(loading.calls[0]!.signal.aborted).to.equal(true);
    loading.calls[0]!.resolve(profile('6000000000000003'));
    expect((await inFlight).status).to.equal('unavailable');
    await until(() => b.cache.peek(BIZ, ADA) === undefined && b.cache.peek(BIZ, ALAN) === undefined, 100, 'B to drop the business');
    for (const id of [ADA, ALAN]) {
      expect(await a.store.get(BIZ, id)).to.equal(undefined);
      expect((await a.store.get(OTHER, id))?.kind).to.equal('profile');
      expect(a.cache.peek(OTHER, id)?.status).to.equal('ok');
    }
  });

  it('should answer a stale shared profile as stale and re-read it once, sharing the new one', async () => {
    const options = { ttl: MINUTE, staleWhileRevalidate: HOUR };
    const [a, b] = [await instance(options), await instance(options)];
    await a.cache.lookup(BIZ, ADA, loadOf('Ada').load, shared);
    await a.cache.flush();
    clock.advance(2 * MINUTE);
    const loadB = loadOf('Ada Byron');
    expect(await b.cache.lookup(BIZ, ADA, loadB.load, shared)).to.deep.include({ status: 'ok', source: 'stale' });
    await until(() => loadB.calls.count === 1 && b.cache.peek(BIZ, ADA)?.status === 'ok' && nameOf(b.cache.peek(BIZ, ADA)) === 'Ada Byron', 2_000, 'the re-read');
    await b.cache.flush();
    const entry = await a.store.get(BIZ, ADA);
    expect(entry?.kind === 'profile' && entry.profile.name).to.equal('Ada Byron');
    expect(entry?.kind === 'profile' && entry.freshUntil).to.be.above(clock.now());
  });

  it('should complete every lookup local-only while Redis is stopped, and share again once it is back', async () => {
    const [a, b] = [await instance({}, { operationTimeoutMs: 50 }), await instance({}, { operationTimeoutMs: 50 })];
    await server().stop();
    const loads = [loadOf('Ada'), loadOf('Ada')];
    const answers = await timed(async () => [await a.cache.lookup(BIZ, ADA, loads[0]!.load, shared), await b.cache.lookup(BIZ, ADA, loads[1]!.load, shared)]);
    expect(answers.value.map(nameOf)).to.deep.equal(['Ada', 'Ada']);
    expect(loads.map((load) => load.calls.count), 'each instance loads alone').to.deep.equal([1, 1]);
    expectFinishedWithin(answers, 500);
    await server().restart();
    await until(() => a.store.status() === 'ready' && b.store.status() === 'ready', 5_000, 'both stores ready');
    const loadA = loadOf('Alan', ALAN);
    await a.cache.lookup(BIZ, ALAN, loadA.load, shared);
    await a.cache.flush();
    const loadB = loadOf('x', ALAN);
    expect(nameOf(await b.cache.lookup(BIZ, ALAN, loadB.load, shared))).to.equal('Alan');
    expect(loadB.calls.count).to.equal(0);
  });

  it('should read the shared level for a lookup that may not call Graph (find), filling the local cache', async () => {
    const [a, b] = [await instance(), await instance()];
    expect(await b.cache.find(BIZ, ADA)).to.equal(undefined);
    await a.cache.lookup(BIZ, ADA, loadOf('Ada').load, shared);
    await a.cache.flush();
    expect(nameOf(await b.cache.find(BIZ, ADA))).to.equal('Ada');
    expect(b.cache.peek(BIZ, ADA)?.status).to.equal('ok');
  });

  it('should refuse a store without the methods of the shared tier, naming the option', () => {
    expect(() => new ProfileCache({ store: {} as never })).to.throw(TypeError, /cache\.store/);
    expect(() => new ProfileCache({ store: null as never })).to.throw(TypeError, /cache\.store/);
  });
});
