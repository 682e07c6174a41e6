import { expect } from 'chai';
import { ProfileCache } from '../../src/index.js';
import { BIZ, codeOf, gatedLoader, nameOf, OTHER, profile, settle, T0 } from './helpers.js';

/** Data deletion: `forget` reaches every entry of a person that is held in memory, whatever its state. */
describe('ProfileCache.forget', () => {
  let now: number;
  const cache = (options = {}) => new ProfileCache({ now: () => now, ...options });

  beforeEach(() => {
    now = T0;
  });

  for (const [label, options, elapsed] of [
    ['past ttl', { ttl: 1_000 }, 1_001],
    ['past ttl + staleWhileRevalidate', { ttl: 1_000, staleWhileRevalidate: 2_000 }, 3_001],
  ] as const) {
    it(`should forget, for every business, profiles ${label} that are still held in memory`, async () => {
      const c = cache(options);
      await c.lookup(BIZ, '1', async () => profile('1'));
      await c.lookup(OTHER, '1', async () => profile('1'));
      await c.lookup(BIZ, '2', async () => profile('2'));
      now += elapsed;
      expect(c.size).to.equal(3);
      expect(c.forget('1')).to.equal(2);
      expect(c.size).to.equal(1);
    });
  }

  it('should forget a person in one call whatever state each entry is in: fresh, stale, expired or loading', async () => {
    const c = cache({ ttl: 1_000, staleWhileRevalidate: 1_000 });
    const BIZ3 = '17841400000000003';
    const BIZ4 = '17841400000000004';
    await c.lookup(BIZ, '1', async () => profile('1'));
    now += 1_500;
    await c.lookup(OTHER, '1', async () => profile('1'));
    await c.lookup(BIZ3, '1', async () => profile('1'));
    now += 1_000;
    // BIZ: expired (past ttl + swr); OTHER and BIZ3: stale; BIZ4: loading; undefined business: fresh.
    await c.lookup(undefined, '1', async () => profile('1'));
    const { load, calls } = gatedLoader();
    const loading = c.lookup(BIZ4, '1', load);
    await c.lookup(BIZ, '10', async () => profile('10'));
    expect(c.forget('1')).to.equal(5);
    expect(calls[0]!.signal.aborted).to.equal(true);
    calls[0]!.resolve(profile('1'));
    expect(codeOf(await loading)).to.equal('GRAPH_ABORTED');
    await settle();
    expect(c.size).to.equal(1);
    expect(nameOf(c.peek(BIZ, '10'))).to.equal('Person 10');
  });

  it('should abort loads in flight in every business and cache none of their results', async () => {
    const c = cache();
    const { load, calls } = gatedLoader();
    const pending = [c.lookup(BIZ, '1', load), c.lookup(OTHER, '1', load), c.lookup(BIZ, '2', load)];
    await settle();
    expect(c.forget('1')).to.equal(2);
    expect(calls.map((call) => call.signal.aborted)).to.deep.equal([true, true, false]);
    calls.forEach((call, i) => call.resolve(profile(i === 2 ? '2' : '1')));
    expect((await Promise.all(pending)).map((r) => r.status)).to.deep.equal(['unavailable', 'unavailable', 'ok']);
    expect([c.peek(BIZ, '1'), c.peek(OTHER, '1')]).to.deep.equal([undefined, undefined]);
    expect(c.size).to.equal(1);
  });

  it('should count an entry and its background refresh once', async () => {
    const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
    await c.lookup(BIZ, '1', async () => profile('1'));
    now += 2_000;
    const { load, calls } = gatedLoader();
    expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'stale' });
    expect(c.forget('1', BIZ)).to.equal(1);
    expect(calls[0]!.signal.aborted).to.equal(true);
  });

  it('should forget an expired entry for one business too', async () => {
    const c = cache({ ttl: 1_000 });
    await c.lookup(BIZ, '1', async () => profile('1'));
    now += 5_000;
    expect(c.forget('1', BIZ)).to.equal(1);
    expect(c.size).to.equal(0);
  });
});
