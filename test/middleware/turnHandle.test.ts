import { expect } from 'chai';
import sinon from 'sinon';
import type { InstagramEvent, InstagramProfile, ProfileLookup } from '../../src/index.js';
import { TurnHandle, type TurnLookupFunctions } from '../../src/middleware/turnHandle.js';

const ADA: InstagramProfile = { id: '1001', name: 'Ada Lovelace', profilePic: null };
const message: InstagramEvent = { kind: 'message', igsid: '1001', businessId: '17841400000000001', grantsConsent: true };
const reaction: InstagramEvent = { ...message, kind: 'reaction', grantsConsent: false };
const fromCache: ProfileLookup = { status: 'ok', profile: ADA, source: 'cache' };
const fromGraph: ProfileLookup = { status: 'ok', profile: ADA, source: 'graph' };
const activity = { type: 'message' };

/** A TurnHandle over stub functions: no middleware, no cache, no Graph. */
function handleWith(event: InstagramEvent | undefined, answer: (forceRefresh: boolean) => ProfileLookup | Promise<ProfileLookup>) {
  const functions = { recognize: sinon.stub().returns(event), lookup: sinon.stub().callsFake((_event: InstagramEvent, force: boolean) => answer(force)) };
  return { handle: new TurnHandle(activity, functions as TurnLookupFunctions), ...functions };
}

/** Resolves `promise` and reports whether it settled within `ticks` microtasks. */
async function settledWithin<T>(promise: Promise<T>, ticks: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < ticks; i++) await undefined;
  return settled;
}

describe('TurnHandle', () => {
  it('should recognise nothing and look nothing up until a handler asks', () => {
    const { recognize, lookup } = handleWith(message, () => fromCache);
    expect([recognize.callCount, lookup.callCount]).to.deep.equal([0, 0]);
  });

  it('should recognise once and look up once however often the turn asks', async () => {
    const { handle, recognize, lookup } = handleWith(message, () => fromCache);
    expect(handle.event()).to.equal(message);
    const answers = await Promise.all([handle.load(), handle.load(), handle.profile(), handle.profile()]);
    handle.event();
    expect(answers).to.deep.equal([fromCache, fromCache, ADA, ADA]);
    expect(lookup.firstCall.args).to.deep.equal([message, false]);
    expect([recognize.callCount, lookup.callCount]).to.deep.equal([1, 1]);
    expect(recognize.firstCall.args[0]).to.equal(activity);
  });

  it('should settle an answer the cache gave at once within one microtask, with no extra hop', async () => {
    const { handle } = handleWith(message, () => fromCache);
    expect(await settledWithin(handle.profile(), 1)).to.equal(true);
    expect(await settledWithin(handle.load(), 1)).to.equal(true);
  });

  it('should share one pending lookup between load() and profile()', async () => {
    let finish!: (lookup: ProfileLookup) => void;
    const pending = new Promise<ProfileLookup>((resolve) => (finish = resolve));
    const { handle, lookup } = handleWith(message, () => pending);
    const loads = [handle.load(), handle.load()];
    const profile = handle.profile();
    expect(loads[0]).to.equal(pending);
    expect(loads[1]).to.equal(pending);
    finish(fromGraph);
    expect(await profile).to.equal(ADA);
    expect(lookup.callCount).to.equal(1);
  });

  it('should answer not-instagram without a lookup when the activity is not from an Instagram customer', async () => {
    const { handle, lookup } = handleWith(undefined, () => fromCache);
    expect(await handle.load()).to.deep.equal({ status: 'not-instagram' });
    expect(await handle.profile()).to.equal(undefined);
    expect(lookup.callCount).to.equal(0);
  });

  it('should re-read on refresh and share the new answer with later load() and profile() calls', async () => {
    const renamed: InstagramProfile = { ...ADA, name: 'Ada King' };
    const { handle, lookup, recognize } = handleWith(message, (force) => (force ? { status: 'ok', profile: renamed, source: 'graph' } : fromCache));
    expect(await handle.profile()).to.equal(ADA);
    const refreshed = await handle.refresh();
    expect(refreshed).to.deep.include({ source: 'graph' });
    expect(await handle.load()).to.equal(refreshed);
    expect(await handle.profile()).to.equal(renamed);
    expect(lookup.secondCall.args).to.deep.equal([message, true]);
    expect([recognize.callCount, lookup.callCount]).to.deep.equal([1, 2]);
  });

  for (const [label, make] of [
    ['recognising', () => handleWith(message, () => fromCache), 'recognize'],
    ['looking up', () => handleWith(message, () => fromCache), 'lookup'],
  ] as const) {
    it(`should answer unavailable with a LOOKUP_FAILED error when ${label} throws, never throwing`, async () => {
      const stubs = make();
      const bug = new Error('unexpected');
      (label === 'recognising' ? stubs.recognize : stubs.lookup).throws(bug);
      const lookup = await stubs.handle.load();
      expect(lookup.status).to.equal('unavailable');
      expect(lookup.status === 'unavailable' && lookup.error).to.include({ code: 'LOOKUP_FAILED', cause: bug });
      expect(await stubs.handle.profile()).to.equal(undefined);
    });
  }

  it('should prefetch for consent-granting events only', () => {
    const granting = handleWith(message, () => fromCache);
    const notGranting = handleWith(reaction, () => fromCache);
    granting.handle.prefetch();
    notGranting.handle.prefetch();
    expect([granting.lookup.callCount, notGranting.lookup.callCount]).to.deep.equal([1, 0]);
  });
});
