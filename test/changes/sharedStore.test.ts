import { expect } from 'chai';
import sinon from 'sinon';
import type { ProfileChange } from '../../src/changes/profileChanges.js';
import type { ProfileCacheOptions, ProfileLookup } from '../../src/index.js';
import { BIZ, HOUR, profile } from '../cache/helpers.js';
import { type SharedInstance, sharedCacheSuite } from '../cache/sharedInstances.js';

const ADA = '6000000000000001';
const before = profile(ADA, { name: 'Ada', isUserFollowBusiness: false });
const follows = { ...before, isUserFollowBusiness: true };

/**
 * Change detection with the Redis tier: two caches (two "instances", each with its own store
 * and client) on one private redis-server. A change is seen once across them: only the
 * instance that loads from Graph diffs and calls its hook.
 */
describe('Profile changes with a shared store (once across instances)', function () {
  this.timeout(10_000);
  const shared = sharedCacheSuite();
  const { clock } = shared;

  async function instance(options: ProfileCacheOptions = {}): Promise<SharedInstance & { hook: sinon.SinonSpy }> {
    const hook = sinon.spy();
    return { ...(await shared.instance({ ...options, onProfileChange: hook })), hook };
  }

  const counted = (value: typeof before) => {
    const calls = { count: 0 };
    return { calls, load: async () => (calls.count++, value) };
  };
  const settleHooks = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('should detect a change once when both instances reload an expired profile: the lease holder diffs, the waiter does not', async () => {
    const a = await instance();
    const b = await instance();
    await a.cache.lookup(BIZ, ADA, counted(before).load);
    await a.cache.flush();
    expect((await b.cache.lookup(BIZ, ADA, counted(before).load)).status).to.equal('ok');
    clock.advance(HOUR + 1);
    const graph = counted(follows);
    const answers: ProfileLookup[] = await Promise.all([a.cache.lookup(BIZ, ADA, graph.load), b.cache.lookup(BIZ, ADA, graph.load)]);
    await settleHooks();
    expect(graph.calls.count).to.equal(1);
    expect(answers.map((answer) => answer.status === 'ok' && answer.profile.isUserFollowBusiness)).to.deep.equal([true, true]);
    const seen = [a.cache.changesOf(answers[0]), b.cache.changesOf(answers[1])].filter((change) => change !== undefined);
    expect(seen).to.have.length(1);
    expect(a.hook.callCount + b.hook.callCount).to.equal(1);
  });

  it('should not detect again on an instance whose copy a refresh elsewhere invalidated', async () => {
    const a = await instance();
    const b = await instance();
    await a.cache.lookup(BIZ, ADA, counted(before).load);
    await a.cache.flush();
    await b.cache.lookup(BIZ, ADA, counted(before).load);
    const refreshed = await a.cache.lookup(BIZ, ADA, counted(follows).load, { forceRefresh: true });
    await a.cache.flush();
    expect(a.cache.changesOf(refreshed)?.changes.followed).to.equal(true);
    // B dropped its copy on the invalidation and now reads the new profile from Redis, not Graph.
    const graph = counted(follows);
    const onB = await b.cache.lookup(BIZ, ADA, graph.load);
    await settleHooks();
    expect(onB).to.deep.include({ status: 'ok', source: 'cache' });
    expect([graph.calls.count, b.cache.changesOf(onB), a.hook.callCount, b.hook.callCount]).to.deep.equal([0, undefined, 1, 0]);
  });

  it('should detect the change on the instance that re-reads a stale profile it only had from Redis, and only there', async () => {
    const a = await instance({ staleWhileRevalidate: HOUR });
    const b = await instance({ staleWhileRevalidate: HOUR });
    await a.cache.lookup(BIZ, ADA, counted(before).load);
    await a.cache.flush();
    clock.advance(HOUR + 1);
    // B has nothing locally; Redis holds a stale profile: B answers it as stale and re-reads it.
    const graph = counted(follows);
    expect(await b.cache.lookup(BIZ, ADA, graph.load)).to.deep.include({ source: 'stale' });
    await settleHooks();
    expect([graph.calls.count, a.hook.callCount, b.hook.callCount]).to.deep.equal([1, 0, 1]);
    expect((b.hook.firstCall.args[0] as ProfileChange).previous).to.deep.equal(before);
  });
});
