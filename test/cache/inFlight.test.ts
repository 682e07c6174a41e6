import { expect } from 'chai';
import sinon from 'sinon';
import { GraphRequestError, InstagramProfileError, ProfileCache } from '../../src/index.js';
import { BIZ, codeOf, gatedLoader, nameOf, noConsent, OTHER, profile, settle, T0 } from './helpers.js';

describe('ProfileCache loads in flight', () => {
  let now: number;
  const cache = (options = {}) => new ProfileCache({ now: () => now, ...options });

  beforeEach(() => {
    now = T0;
  });

  it('should complete 10 000 distinct concurrent lookups with max 1 000, none aborted, keeping at most 1 000', async () => {
    const c = cache({ max: 1_000 });
    const { load, calls } = gatedLoader();
    const pending = Array.from({ length: 10_000 }, (_, i) => c.lookup(BIZ, String(i + 1), load));
    await settle();
    expect(calls).to.have.length(10_000);
    calls.forEach((call, i) => call.resolve(profile(String(i + 1))));
    const results = await Promise.all(pending);
    expect(results.filter((r) => r.status === 'ok' && r.source === 'graph')).to.have.length(10_000);
    expect(results.filter((r) => codeOf(r) === 'GRAPH_ABORTED')).to.have.length(0);
    expect(calls.filter((call) => call.signal.aborted)).to.have.length(0);
    expect(c.size).to.equal(1_000);
  });

  it('should not count loads in flight against max, nor let a settled entry evict one', async () => {
    const c = cache({ max: 1 });
    const { load, calls } = gatedLoader();
    const first = c.lookup(BIZ, '1', load);
    const second = c.lookup(BIZ, '2', load);
    await c.lookup(BIZ, '3', async () => profile('3'));
    expect(c.size).to.equal(1);
    calls[1]!.resolve(profile('2'));
    calls[0]!.resolve(profile('1'));
    expect((await Promise.all([first, second])).map(nameOf)).to.deep.equal(['Person 1', 'Person 2']);
    expect(calls.map((call) => call.signal.aborted)).to.deep.equal([false, false]);
    expect(nameOf(c.peek(BIZ, '1'))).to.equal('Person 1');
    expect(c.size).to.equal(1);
  });

  it('should keep a still-fresh profile when a forced refresh fails without stale-while-revalidate, answering it as stale', async () => {
    const c = cache({ ttl: 10_000 });
    const load = sinon.stub();
    load.onFirstCall().resolves(profile('1', { name: 'kept' }));
    load.rejects(new GraphRequestError('down', 'GRAPH_NETWORK_ERROR'));
    await c.lookup(BIZ, '1', load);
    now += 1_000;
    const refreshed = await c.lookup(BIZ, '1', load, { forceRefresh: true });
    expect(refreshed).to.deep.include({ status: 'ok', source: 'stale' });
    expect(nameOf(refreshed)).to.equal('kept');
    expect(c.peek(BIZ, '1')).to.deep.include({ status: 'ok', source: 'cache' });
    expect(load.callCount).to.equal(2);
  });

  it('should not answer a profile at the end of its ttl as stale when a load fails without stale-while-revalidate', async () => {
    const c = cache({ ttl: 1_000 });
    const failure = new GraphRequestError('down', 'GRAPH_NETWORK_ERROR');
    await c.lookup(BIZ, '1', async () => profile('1'));
    now += 1_000;
    expect(await c.lookup(BIZ, '1', () => Promise.reject(failure))).to.deep.equal({ status: 'unavailable', error: failure });
  });

  it('should keep a remembered no-consent when a forced refresh fails, answering unavailable with the error', async () => {
    const c = cache();
    await c.lookup(BIZ, '1', () => Promise.reject(noConsent()));
    const failure = new GraphRequestError('down', 'GRAPH_NETWORK_ERROR');
    const refreshed = await c.lookup(BIZ, '1', () => Promise.reject(failure), { forceRefresh: true });
    expect(refreshed).to.deep.equal({ status: 'unavailable', error: failure });
    expect(c.peek(BIZ, '1')?.status).to.equal('no-consent');
  });

  it("should label a loader error that is not the package's own LOOKUP_FAILED, keeping it as the cause", async () => {
    const bug = new TypeError('loader bug');
    const lookup = await cache().lookup(BIZ, '1', () => Promise.reject(bug));
    expect(lookup.status).to.equal('unavailable');
    const error = lookup.status === 'unavailable' ? lookup.error : undefined;
    expect(error).to.be.instanceOf(InstagramProfileError);
    expect(error).to.include({ code: 'LOOKUP_FAILED', cause: bug });
  });

  it('should answer a loader that throws synchronously as unavailable, without throwing', async () => {
    const lookup = await cache().lookup(BIZ, '1', () => {
      throw new Error('sync bug');
    });
    expect(codeOf(lookup)).to.equal('LOOKUP_FAILED');
  });

  it("should pass the package's own errors through unchanged", async () => {
    const timeout = new GraphRequestError('timeout', 'GRAPH_TIMEOUT');
    expect(await cache().lookup(BIZ, '1', () => Promise.reject(timeout))).to.deep.equal({ status: 'unavailable', error: timeout });
  });

  it('should abort every load in flight on clear, and cache none of their results', async () => {
    const c = cache();
    const { load, calls } = gatedLoader();
    const pending = [c.lookup(BIZ, '1', load), c.lookup(OTHER, '2', load)];
    await settle();
    c.clear();
    expect(calls.map((call) => call.signal.aborted)).to.deep.equal([true, true]);
    calls.forEach((call, i) => call.resolve(profile(String(i + 1))));
    expect((await Promise.all(pending)).map(codeOf)).to.deep.equal(['GRAPH_ABORTED', 'GRAPH_ABORTED']);
    expect(c.size).to.equal(0);
  });

  it('should start a new load after a forgotten one, never joining the aborted load', async () => {
    const c = cache();
    const { load, calls } = gatedLoader();
    const forgotten = c.lookup(BIZ, '1', load);
    c.forget('1', BIZ);
    const fresh = c.lookup(BIZ, '1', load);
    await settle();
    expect(calls).to.have.length(2);
    calls[0]!.resolve(profile('1', { name: 'late' }));
    calls[1]!.resolve(profile('1', { name: 'current' }));
    expect(codeOf(await forgotten)).to.equal('GRAPH_ABORTED');
    expect(nameOf(await fresh)).to.equal('current');
    expect(nameOf(c.peek(BIZ, '1'))).to.equal('current');
  });

  it('should share one background refresh between stale readers and a forced refresh of the same key', async () => {
    const c = cache({ ttl: 1_000, staleWhileRevalidate: 10_000 });
    const { load, calls } = gatedLoader();
    const first = c.lookup(BIZ, '1', load);
    await settle();
    calls[0]!.resolve(profile('1', { name: 'old' }));
    await first;
    now += 2_000;
    expect(await c.lookup(BIZ, '1', load)).to.deep.include({ source: 'stale' });
    const forced = c.lookup(BIZ, '1', load, { forceRefresh: true });
    await settle();
    expect(calls).to.have.length(2);
    calls[1]!.resolve(profile('1', { name: 'new' }));
    expect(await forced).to.deep.include({ status: 'ok', source: 'graph' });
    expect(nameOf(c.peek(BIZ, '1'))).to.equal('new');
  });
});
