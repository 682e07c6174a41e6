import { expect } from 'chai';
import sinon from 'sinon';
import { GraphRequestError, InstagramProfileError, ProfileCache } from '../../src/index.js';
import { BIZ, gatedLoader, HOUR, nameOf, noConsent, notFound, OTHER, pictureUntil, profile, settle, T0 } from './helpers.js';

describe('ProfileCache', () => {
  let now: number;
  const clock = () => now;
  const cache = (options = {}) => new ProfileCache({ now: clock, ...options });

  beforeEach(() => {
    now = T0;
  });

  describe('loading', () => {
    it('should load once for 100 concurrent lookups of one key, and answer all of them the same profile', async () => {
      const c = cache();
      const { load, calls } = gatedLoader();
      const pending = Array.from({ length: 100 }, () => c.lookup(BIZ, '1', load));
      await settle();
      expect(calls).to.have.length(1);
      calls[0]!.resolve(profile('1'));
      const results = await Promise.all(pending);
      expect(new Set(results.map((r) => r.status === 'ok' && r.profile)).size).to.equal(1);
      expect(results.every((r) => r.status === 'ok' && r.source === 'graph')).to.equal(true);
      expect(await c.lookup(BIZ, '1', load)).to.deep.include({ status: 'ok', source: 'cache' });
      expect(calls).to.have.length(1);
    });

    it('should load different keys in parallel', async () => {
      const c = cache();
      const { load, calls } = gatedLoader();
      const pending = [c.lookup(BIZ, '1', load), c.lookup(BIZ, '2', load), c.lookup(OTHER, '1', load)];
      await settle();
      expect(calls).to.have.length(3);
      calls.forEach((call, i) => call.resolve(profile(i === 1 ? '2' : '1')));
      expect((await Promise.all(pending)).map((r) => r.status)).to.deep.equal(['ok', 'ok', 'ok']);
    });

    it('should key by business: one IGSID, two businesses, two profiles', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', async () => profile('1', { name: 'for A' }));
      await c.lookup(OTHER, '1', async () => profile('1', { name: 'for B' }));
      expect(nameOf(c.peek(BIZ, '1'))).to.equal('for A');
      expect(nameOf(c.peek(OTHER, '1'))).to.equal('for B');
      expect(c.peek(undefined, '1')).to.equal(undefined);
      expect(c.size).to.equal(2);
    });

    it('should answer a hit without calling the loader, and peek without any I/O', async () => {
      const c = cache();
      const load = sinon.stub().resolves(profile('1'));
      expect(c.peek(BIZ, '1')).to.equal(undefined);
      await c.lookup(BIZ, '1', load);
      await c.lookup(BIZ, '1', load);
      c.peek(BIZ, '1');
      expect(load.callCount).to.equal(1);
    });
  });

  describe('bounds and lifetime', () => {
    it('should stay within max, evicting the least recently used first', async () => {
      const c = cache({ max: 3 });
      for (const id of ['1', '2', '3']) await c.lookup(BIZ, id, async () => profile(id));
      c.peek(BIZ, '1'); // 1 is now the most recent: 2 goes first, then 3
      await c.lookup(BIZ, '4', async () => profile('4'));
      expect(c.peek(BIZ, '2')).to.equal(undefined);
      await c.lookup(BIZ, '5', async () => profile('5'));
      expect(c.peek(BIZ, '3')).to.equal(undefined);
      expect(c.size).to.equal(3);
      for (const id of ['1', '4', '5']) expect(c.peek(BIZ, id)?.status, id).to.equal('ok');
    });

    it('should count remembered failures within max', async () => {
      const c = cache({ max: 2 });
      await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
      await c.lookup(BIZ, '2', () => Promise.reject(notFound()));
      await c.lookup(BIZ, '3', async () => profile('3'));
      expect(c.size).to.equal(2);
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    it('should expire a profile after ttl, by the injected clock', async () => {
      const c = cache({ ttl: 1_000 });
      const load = sinon.stub().resolves(profile('1'));
      await c.lookup(BIZ, '1', load);
      now += 999;
      expect(c.peek(BIZ, '1')?.status).to.equal('ok');
      now += 2;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
      expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'graph' });
      expect(load.callCount).to.equal(2);
    });

    it('should keep a profile an hour by default', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', async () => profile('1'));
      now += HOUR - 1;
      expect(c.peek(BIZ, '1')?.status).to.equal('ok');
      now += 2;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    it("should cap a profile's lifetime at its picture's expiry minus the margin", async () => {
      const c = cache({ ttl: HOUR, pictureExpiryMargin: 60_000 });
      await c.lookup(BIZ, '1', async () => profile('1', { profilePic: pictureUntil(T0 + 300_000) }));
      now = T0 + 239_000;
      expect(c.peek(BIZ, '1')?.status).to.equal('ok');
      now = T0 + 241_000;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    it('should use a 10 minute picture margin by default', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', async () => profile('1', { profilePic: pictureUntil(T0 + 30 * 60_000) }));
      now = T0 + 20 * 60_000 - 1_000;
      expect(c.peek(BIZ, '1')?.status).to.equal('ok');
      now = T0 + 20 * 60_000 + 1_000;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    it('should keep ttl when the picture lives longer, or has no oe', async () => {
      const c = cache({ ttl: 1_000, pictureExpiryMargin: 0 });
      await c.lookup(BIZ, '1', async () => profile('1', { profilePic: pictureUntil(T0 + 10 * HOUR) }));
      await c.lookup(BIZ, '2', async () => profile('2', { profilePic: 'https://scontent.cdninstagram.com/v/p.jpg?oh=00_abc' }));
      now += 1_001;
      expect([c.peek(BIZ, '1'), c.peek(BIZ, '2')]).to.deep.equal([undefined, undefined]);
    });

    for (const [label, expiresAt] of [
      ['about to expire', T0 + 60_000],
      ['already expired', T0 - 60_000],
    ] as const) {
      it(`should answer a profile whose picture is ${label}, without keeping it`, async () => {
        const c = cache({ pictureExpiryMargin: 600_000 });
        const load = sinon.stub().resolves(profile('1', { profilePic: pictureUntil(expiresAt) }));
        expect(await c.lookup(BIZ, '1', load)).to.deep.include({ status: 'ok', source: 'graph' });
        now += 2;
        expect(c.peek(BIZ, '1')).to.equal(undefined);
        await c.lookup(BIZ, '1', load);
        expect(load.callCount).to.equal(2);
      });
    }
  });

  describe('stale-while-revalidate', () => {
    it('should serve a stale profile past ttl and refresh it once in the background', async () => {
      const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
      const { load, calls } = gatedLoader();
      const first = c.lookup(BIZ, '1', load);
      await settle();
      calls[0]!.resolve(profile('1', { name: 'old' }));
      await first;
      now += 1_500;
      const stale = await Promise.all(Array.from({ length: 100 }, () => c.lookup(BIZ, '1', load)));
      expect(stale.every((r) => r.status === 'ok' && r.source === 'stale' && r.profile.name === 'old')).to.equal(true);
      expect(calls).to.have.length(2);
      calls[1]!.resolve(profile('1', { name: 'new' }));
      await settle();
      const fresh = await c.lookup(BIZ, '1', load);
      expect(fresh).to.deep.include({ source: 'cache' });
      expect(nameOf(fresh)).to.equal('new');
      expect(calls).to.have.length(2);
    });

    it('should not serve a profile past ttl + staleWhileRevalidate', async () => {
      const c = cache({ ttl: 1_000, staleWhileRevalidate: 2_000 });
      const load = sinon.stub().resolves(profile('1'));
      await c.lookup(BIZ, '1', load);
      now += 3_001;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
      expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'graph' });
    });

    it('should not serve a stale profile past its picture expiry', async () => {
      const c = cache({ ttl: 1_000, staleWhileRevalidate: HOUR, pictureExpiryMargin: 0 });
      await c.lookup(BIZ, '1', async () => profile('1', { profilePic: pictureUntil(T0 + 5_000) }));
      now += 2_000;
      expect(c.peek(BIZ, '1')).to.deep.include({ source: 'stale' });
      now = T0 + 5_001;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    it('should keep the stale profile when the background refresh fails, until its hard expiry', async () => {
      const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
      const load = sinon.stub();
      load.onFirstCall().resolves(profile('1'));
      load.rejects(new GraphRequestError('down', 'GRAPH_NETWORK_ERROR'));
      await c.lookup(BIZ, '1', load);
      now += 2_000;
      expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'stale' });
      await settle();
      expect(load.callCount).to.equal(2);
      expect(c.peek(BIZ, '1')).to.deep.include({ source: 'stale' });
      now = T0 + 11_001;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
      const after = await c.lookup(BIZ, '1', load);
      expect(after.status).to.equal('unavailable');
      expect(after.status !== 'ok' && after.error).to.include({ code: 'GRAPH_NETWORK_ERROR' });
    });

    for (const withBusiness of [true, false]) {
      it(`should forget a stale profile being refreshed ${withBusiness ? 'for its business' : 'for every business'}, aborting the refresh`, async () => {
        const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
        const { load, calls } = gatedLoader();
        const first = c.lookup(BIZ, '1', load);
        await settle();
        calls[0]!.resolve(profile('1'));
        await first;
        now += 2_000;
        expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'stale' });
        expect(c.forget('1', withBusiness ? BIZ : undefined)).to.equal(1);
        expect(calls[1]!.signal.aborted).to.equal(true);
        calls[1]!.resolve(profile('1', { name: 'refreshed' }));
        await settle();
        expect(c.peek(BIZ, '1')).to.equal(undefined);
        expect(c.size).to.equal(0);
      });
    }

    it('should replace the stale profile with a remembered no-consent when the refresh says so', async () => {
      const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
      const load = sinon.stub();
      load.onFirstCall().resolves(profile('1'));
      load.rejects(noConsent());
      await c.lookup(BIZ, '1', load);
      now += 2_000;
      await c.lookup(BIZ, '1', load);
      await settle();
      expect(c.peek(BIZ, '1')?.status).to.equal('no-consent');
    });
  });

  describe('remembered failures', () => {
    it('should remember no-consent and not-found for negativeTtl only', async () => {
      const c = cache({ negativeTtl: 5_000 });
      const consent = noConsent();
      const missing = notFound();
      const loadA = sinon.stub().rejects(consent);
      const loadB = sinon.stub().rejects(missing);
      expect(await c.lookup(BIZ, '1', loadA)).to.deep.equal({ status: 'no-consent', error: consent });
      expect(await c.lookup(BIZ, '2', loadB)).to.deep.equal({ status: 'not-found', error: missing });
      now += 4_999;
      expect(await c.lookup(BIZ, '1', loadA)).to.deep.equal({ status: 'no-consent', error: consent });
      expect(await c.lookup(BIZ, '2', loadB)).to.deep.equal({ status: 'not-found', error: missing });
      expect([loadA.callCount, loadB.callCount]).to.deep.equal([1, 1]);
      now += 2;
      await c.lookup(BIZ, '1', loadA);
      await c.lookup(BIZ, '2', loadB);
      expect([loadA.callCount, loadB.callCount]).to.deep.equal([2, 2]);
    });

    it('should remember them a minute by default', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
      now += 59_999;
      expect(c.peek(BIZ, '1')?.status).to.equal('no-consent');
      now += 2;
      expect(c.peek(BIZ, '1')).to.equal(undefined);
    });

    for (const [label, error] of [
      ['a timeout', new GraphRequestError('timeout', 'GRAPH_TIMEOUT')],
      ['a bad response', new GraphRequestError('garbage', 'GRAPH_BAD_RESPONSE', { status: 200 })],
      ['a plain Error', new Error('loader bug')],
    ] as const) {
      it(`should not cache ${label}, and answer it as unavailable`, async () => {
        const c = cache();
        const load = sinon.stub().rejects(error);
        const lookup = await c.lookup(BIZ, '1', load);
        expect(lookup.status).to.equal('unavailable');
        const reported = lookup.status !== 'ok' ? lookup.error : undefined;
        expect(reported).to.be.instanceOf(InstagramProfileError);
        expect(reported === error || reported?.cause === error).to.equal(true);
        await c.lookup(BIZ, '1', load);
        expect(load.callCount).to.equal(2);
        expect(c.size).to.equal(0);
      });
    }

    it('should drop a remembered no-consent on clearNoConsent, and nothing else', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
      await c.lookup(OTHER, '1', () => Promise.reject(noConsent()));
      await c.lookup(BIZ, '2', async () => profile('2'));
      await c.lookup(BIZ, '3', () => Promise.reject(notFound()));
      expect(c.clearNoConsent(BIZ, '2')).to.equal(false);
      expect(c.clearNoConsent(BIZ, '3')).to.equal(false);
      expect(c.clearNoConsent(BIZ, '4')).to.equal(false);
      expect(c.clearNoConsent(BIZ, '1')).to.equal(true);
      expect(c.peek(BIZ, '1')).to.equal(undefined);
      expect(c.peek(OTHER, '1')?.status).to.equal('no-consent');
      expect(c.peek(BIZ, '2')?.status).to.equal('ok');
      expect(c.peek(BIZ, '3')?.status).to.equal('not-found');
    });
  });

  describe('forget, forceRefresh, set', () => {
    it('should forget one business, or every business, for a person', async () => {
      const c = cache();
      for (const biz of [BIZ, OTHER, undefined]) await c.lookup(biz, '1', async () => profile('1'));
      await c.lookup(BIZ, '11', async () => profile('11'));
      await c.lookup(BIZ, '21', async () => profile('21'));
      expect(c.forget('1', BIZ)).to.equal(1);
      expect(c.forget('1', BIZ)).to.equal(0);
      expect(c.peek(OTHER, '1')?.status).to.equal('ok');
      expect(c.forget('1')).to.equal(2);
      expect(c.peek(OTHER, '1')).to.equal(undefined);
      expect(c.peek(undefined, '1')).to.equal(undefined);
      expect(c.peek(BIZ, '11')?.status).to.equal('ok');
      expect(c.peek(BIZ, '21')?.status).to.equal('ok');
      expect(c.forget('999')).to.equal(0);
    });

    it('should forget remembered failures too', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
      expect(c.forget('1', BIZ)).to.equal(1);
      expect(c.size).to.equal(0);
    });

    for (const withBusiness of [true, false]) {
      it(`should abort an in-flight load forgotten ${withBusiness ? 'for its business' : 'for every business'}, and not cache its result`, async () => {
        const c = cache();
        const { load, calls } = gatedLoader();
        const pending = c.lookup(BIZ, '1', load);
        await settle();
        c.forget('1', withBusiness ? BIZ : undefined);
        expect(calls[0]!.signal.aborted).to.equal(true);
        calls[0]!.resolve(profile('1'));
        const lookup = await pending;
        expect(lookup.status).to.equal('unavailable');
        expect(lookup.status !== 'ok' && lookup.error).to.include({ code: 'GRAPH_ABORTED' });
        await settle();
        expect(c.peek(BIZ, '1')).to.equal(undefined);
        expect(c.size).to.equal(0);
      });
    }

    it('should bypass a cached profile with forceRefresh and keep the new one', async () => {
      const c = cache();
      const load = sinon.stub();
      load.onFirstCall().resolves(profile('1', { name: 'old' }));
      load.onSecondCall().resolves(profile('1', { name: 'new' }));
      await c.lookup(BIZ, '1', load);
      const refreshed = await c.lookup(BIZ, '1', load, { forceRefresh: true });
      expect(refreshed).to.deep.include({ status: 'ok', source: 'graph' });
      expect(nameOf(refreshed)).to.equal('new');
      expect(nameOf(c.peek(BIZ, '1'))).to.equal('new');
      expect(load.callCount).to.equal(2);
    });

    it('should bypass a remembered no-consent with forceRefresh', async () => {
      const c = cache();
      await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
      expect(await c.lookup(BIZ, '1', async () => profile('1'), { forceRefresh: true })).to.deep.include({ status: 'ok', source: 'graph' });
    });

    it('should store a profile given with set, under its business, with the same lifetime rules', () => {
      const c = cache({ ttl: HOUR, pictureExpiryMargin: 0 });
      c.set(BIZ, profile('5'));
      c.set(OTHER, profile('6', { profilePic: pictureUntil(T0 + 1_000) }));
      expect(c.peek(BIZ, '5')).to.deep.include({ status: 'ok', source: 'cache' });
      expect(c.peek(OTHER, '5')).to.equal(undefined);
      now += 1_001;
      expect(c.peek(OTHER, '6')).to.equal(undefined);
      expect(c.peek(BIZ, '5')?.status).to.equal('ok');
    });

    it('should replace an entry on set, and empty on clear', () => {
      const c = cache();
      c.set(BIZ, profile('5', { name: 'first' }));
      c.set(BIZ, profile('5', { name: 'second' }));
      expect(nameOf(c.peek(BIZ, '5'))).to.equal('second');
      expect(c.size).to.equal(1);
      c.clear();
      expect(c.size).to.equal(0);
    });
  });

  describe('options', () => {
    for (const [options, pattern, type] of [
      [{ max: 0 }, /"cache\.max"/, RangeError],
      [{ max: 1.5 }, /"cache\.max"/, TypeError],
      [{ max: '10' }, /"cache\.max"/, TypeError],
      [{ ttl: -1 }, /"cache\.ttl"/, RangeError],
      [{ ttl: 0 }, /"cache\.ttl"/, RangeError],
      [{ ttl: 1.5 }, /"cache\.ttl"/, TypeError],
      [{ ttl: 2 ** 31 }, /"cache\.ttl"/, RangeError],
      [{ negativeTtl: 0 }, /"cache\.negativeTtl"/, RangeError],
      [{ staleWhileRevalidate: 'long' }, /"cache\.staleWhileRevalidate"/, TypeError],
      [{ staleWhileRevalidate: -1 }, /"cache\.staleWhileRevalidate"/, RangeError],
      [{ pictureExpiryMargin: -1 }, /"cache\.pictureExpiryMargin"/, RangeError],
      [{ now: 5 }, /"cache\.now"/, TypeError],
    ] as const) {
      it(`should refuse ${JSON.stringify(options)} with a ${type.name} naming the option`, () => {
        expect(() => new ProfileCache(options as never)).to.throw(type, pattern);
      });
    }

    for (const options of [null, 'big', 5]) {
      it(`should refuse ${JSON.stringify(options)} as the options with a TypeError`, () => {
        expect(() => new ProfileCache(options as never)).to.throw(TypeError);
      });
    }

    it('should work with no options and the real clock', async () => {
      const c = new ProfileCache();
      await c.lookup(BIZ, '1', async () => profile('1'));
      expect(c.peek(BIZ, '1')).to.deep.include({ status: 'ok', source: 'cache' });
    });
  });
});
