import { expect } from 'chai';
import sinon from 'sinon';
import { ConsentRequiredError, GraphRequestError, ProfileCache, type InstagramProfile, ProfileNotFoundError } from '../../src/index.js';

const BIZ = '17841400000000001';
const OTHER = '17841400000000002';
const T0 = Date.UTC(2026, 10, 24, 12);

const profile = (id: string, extra: Partial<InstagramProfile> = {}): InstagramProfile => ({ id, name: `Person ${id}`, profilePic: null, ...extra });
const fields = { status: 400, graphCode: 230, subcode: undefined, type: 'IGApiException', fbtraceId: 'x', isTransient: false };
/** A picture URL whose signed link dies at `at` (ms). */
const pictureUntil = (at: number) => `https://scontent.cdninstagram.com/v/p.jpg?oh=00_abc&oe=${Math.floor(at / 1000).toString(16).toUpperCase()}`;

describe('ProfileCache', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = T0;
  });

  it('should load once for 100 concurrent lookups of one key, and answer all of them', async () => {
    const cache = new ProfileCache({ now: clock });
    const load = sinon.stub().callsFake(() => new Promise((resolve) => setTimeout(() => resolve(profile('1')), 5)));
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.lookup(BIZ, '1', load)));
    expect(load.callCount).to.equal(1);
    expect(results.filter((r) => r.status === 'ok')).to.have.length(100);
    expect(results[0]).to.deep.include({ source: 'graph' });
    expect(await cache.lookup(BIZ, '1', load)).to.deep.include({ status: 'ok', source: 'cache' });
  });

  it('should key by business: one IGSID, two businesses, two profiles', async () => {
    const cache = new ProfileCache({ now: clock });
    await cache.lookup(BIZ, '1', async () => profile('1', { name: 'for A' }));
    await cache.lookup(OTHER, '1', async () => profile('1', { name: 'for B' }));
    expect(cache.peek(BIZ, '1')).to.deep.include({ profile: profile('1', { name: 'for A' }) });
    expect(cache.peek(OTHER, '1')).to.deep.include({ profile: profile('1', { name: 'for B' }) });
    expect(cache.peek(undefined, '1')).to.equal(undefined);
  });

  it('should stay within max, evicting the least recently used', async () => {
    const cache = new ProfileCache({ max: 2, now: clock });
    for (const id of ['1', '2']) await cache.lookup(BIZ, id, async () => profile(id));
    cache.peek(BIZ, '1');
    await cache.lookup(BIZ, '3', async () => profile('3'));
    expect(cache.size).to.equal(2);
    expect(cache.peek(BIZ, '2')).to.equal(undefined);
    expect(cache.peek(BIZ, '1')?.status).to.equal('ok');
  });

  it('should expire a profile after ttl', async () => {
    const cache = new ProfileCache({ ttl: 1_000, now: clock });
    const load = sinon.stub().resolves(profile('1'));
    await cache.lookup(BIZ, '1', load);
    now += 999;
    expect(cache.peek(BIZ, '1')?.status).to.equal('ok');
    now += 2;
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
    await cache.lookup(BIZ, '1', load);
    expect(load.callCount).to.equal(2);
  });

  it("should cap a profile's lifetime at its picture's expiry minus the margin", async () => {
    const cache = new ProfileCache({ ttl: 3_600_000, pictureExpiryMargin: 60_000, now: clock });
    await cache.lookup(BIZ, '1', async () => profile('1', { profilePic: pictureUntil(T0 + 300_000) }));
    now = T0 + 239_000;
    expect(cache.peek(BIZ, '1')?.status).to.equal('ok');
    now = T0 + 241_000;
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
  });

  it('should answer a profile whose picture is about to expire, without keeping it', async () => {
    const cache = new ProfileCache({ pictureExpiryMargin: 600_000, now: clock });
    const load = sinon.stub().resolves(profile('1', { profilePic: pictureUntil(T0 + 60_000) }));
    expect(await cache.lookup(BIZ, '1', load)).to.deep.include({ status: 'ok', source: 'graph' });
    now += 2;
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
  });

  it('should serve a stale profile past ttl and refresh it once in the background', async () => {
    const cache = new ProfileCache({ ttl: 1_000, staleWhileRevalidate: 10_000, now: clock });
    let release!: (p: InstagramProfile) => void;
    const load = sinon.stub();
    load.onFirstCall().resolves(profile('1', { name: 'old' }));
    load.onSecondCall().returns(new Promise((resolve) => (release = resolve)));
    await cache.lookup(BIZ, '1', load);
    now += 1_500;
    const first = await cache.lookup(BIZ, '1', load);
    const second = await cache.lookup(BIZ, '1', load);
    expect(first).to.deep.include({ status: 'ok', source: 'stale' });
    expect(second).to.deep.include({ status: 'ok', source: 'stale' });
    expect(load.callCount).to.equal(2);
    release(profile('1', { name: 'new' }));
    await new Promise((resolve) => setImmediate(resolve));
    const fresh = await cache.lookup(BIZ, '1', load);
    expect(fresh).to.deep.include({ source: 'cache' });
    expect(fresh.status === 'ok' && fresh.profile.name).to.equal('new');
  });

  it('should keep the stale profile when the background refresh fails, until its hard expiry', async () => {
    const cache = new ProfileCache({ ttl: 1_000, staleWhileRevalidate: 10_000, now: clock });
    const load = sinon.stub();
    load.onFirstCall().resolves(profile('1'));
    load.rejects(new GraphRequestError('down', 'GRAPH_NETWORK_ERROR'));
    await cache.lookup(BIZ, '1', load);
    now += 2_000;
    expect(await cache.lookup(BIZ, '1', load)).to.deep.include({ source: 'stale' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.peek(BIZ, '1')).to.deep.include({ source: 'stale' });
    now = T0 + 11_001;
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
    const after = await cache.lookup(BIZ, '1', load);
    expect(after.status).to.equal('unavailable');
  });

  it('should remember no-consent and not-found for negativeTtl only', async () => {
    const cache = new ProfileCache({ negativeTtl: 5_000, now: clock });
    const consent = new ConsentRequiredError('230', fields);
    const notFound = new ProfileNotFoundError('9010', { ...fields, graphCode: 9010 });
    const loadA = sinon.stub().rejects(consent);
    const loadB = sinon.stub().rejects(notFound);
    expect(await cache.lookup(BIZ, '1', loadA)).to.deep.equal({ status: 'no-consent', error: consent });
    expect(await cache.lookup(BIZ, '2', loadB)).to.deep.equal({ status: 'not-found', error: notFound });
    await cache.lookup(BIZ, '1', loadA);
    await cache.lookup(BIZ, '2', loadB);
    expect([loadA.callCount, loadB.callCount]).to.deep.equal([1, 1]);
    now += 5_001;
    await cache.lookup(BIZ, '1', loadA);
    expect(loadA.callCount).to.equal(2);
  });

  it('should not cache transient failures', async () => {
    const cache = new ProfileCache({ now: clock });
    const error = new GraphRequestError('timeout', 'GRAPH_TIMEOUT');
    const load = sinon.stub().rejects(error);
    expect(await cache.lookup(BIZ, '1', load)).to.deep.equal({ status: 'unavailable', error });
    await cache.lookup(BIZ, '1', load);
    expect(load.callCount).to.equal(2);
    expect(cache.size).to.equal(0);
  });

  it('should drop a remembered no-consent on clearNoConsent, and nothing else', async () => {
    const cache = new ProfileCache({ now: clock });
    await cache.lookup(BIZ, '1', () => Promise.reject(new ConsentRequiredError('230', fields)));
    await cache.lookup(BIZ, '2', async () => profile('2'));
    expect(cache.clearNoConsent(BIZ, '2')).to.equal(false);
    expect(cache.clearNoConsent(BIZ, '1')).to.equal(true);
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
    expect(cache.peek(BIZ, '2')?.status).to.equal('ok');
  });

  it('should forget one business, or every business, for a person', async () => {
    const cache = new ProfileCache({ now: clock });
    for (const biz of [BIZ, OTHER]) await cache.lookup(biz, '1', async () => profile('1'));
    await cache.lookup(BIZ, '11', async () => profile('11'));
    expect(cache.forget('1', BIZ)).to.equal(1);
    expect(cache.peek(OTHER, '1')?.status).to.equal('ok');
    expect(cache.forget('1')).to.equal(1);
    expect(cache.peek(BIZ, '11')?.status).to.equal('ok');
  });

  it('should abort an in-flight load that is forgotten, and not cache its result', async () => {
    const cache = new ProfileCache({ now: clock });
    let signal!: AbortSignal;
    let release!: (p: InstagramProfile) => void;
    const pending = cache.lookup(BIZ, '1', (s) => ((signal = s), new Promise((resolve) => (release = resolve))));
    await new Promise((resolve) => setImmediate(resolve));
    cache.forget('1', BIZ);
    expect(signal.aborted).to.equal(true);
    release(profile('1'));
    expect((await pending).status).to.equal('unavailable');
    expect(cache.peek(BIZ, '1')).to.equal(undefined);
  });

  it('should bypass a cached profile with forceRefresh', async () => {
    const cache = new ProfileCache({ now: clock });
    const load = sinon.stub();
    load.onFirstCall().resolves(profile('1', { name: 'old' }));
    load.onSecondCall().resolves(profile('1', { name: 'new' }));
    await cache.lookup(BIZ, '1', load);
    const refreshed = await cache.lookup(BIZ, '1', load, { forceRefresh: true });
    expect(refreshed.status === 'ok' && refreshed.profile.name).to.equal('new');
    expect(refreshed).to.deep.include({ source: 'graph' });
  });

  it('should store a profile given with set, under its business', () => {
    const cache = new ProfileCache({ now: clock });
    cache.set(BIZ, profile('5'));
    expect(cache.peek(BIZ, '5')).to.deep.include({ status: 'ok', source: 'cache' });
    cache.clear();
    expect(cache.size).to.equal(0);
  });

  for (const [options, pattern, type] of [
    [{ max: 0 }, /cache\.max/, RangeError],
    [{ ttl: -1 }, /cache\.ttl/, RangeError],
    [{ ttl: 1.5 }, /cache\.ttl/, TypeError],
    [{ negativeTtl: 0 }, /cache\.negativeTtl/, RangeError],
    [{ staleWhileRevalidate: 'long' }, /cache\.staleWhileRevalidate/, TypeError],
    [{ now: 5 }, /cache\.now/, TypeError],
  ] as const) {
    it(`should refuse ${JSON.stringify(options)} naming the option`, () => {
      expect(() => new ProfileCache(options as never)).to.throw(type, pattern);
    });
  }
});
