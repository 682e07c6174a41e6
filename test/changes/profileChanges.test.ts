import { expect } from 'chai';
import sinon from 'sinon';
import { diffProfiles, type ProfileChange } from '../../src/changes/profileChanges.js';
import { ProfileCache, type ProfileLookup } from '../../src/index.js';
import { BIZ, gatedLoader, HOUR, pictureUntil, profile, settle, T0 } from '../cache/helpers.js';

const ADA = '6000000000000001';
const before = profile(ADA, { name: 'Ada', username: 'ada', isUserFollowBusiness: false, followerCount: 100, isVerifiedUser: false, profilePic: pictureUntil(T0 + 9 * HOUR) });

describe('diffProfiles', () => {
  it('should say nothing changed for the same profile with a newly signed picture URL', () => {
    const resigned = { ...before, profilePic: `${before.profilePic?.split('?')[0]}?oh=00_other&oe=FFFFFFFF` };
    expect(diffProfiles(before, resigned)).to.equal(undefined);
  });

  it('should report a new follower and nothing else', () => {
    expect(diffProfiles(before, { ...before, isUserFollowBusiness: true })).to.deep.equal({
      followed: true,
      unfollowed: false,
      renamed: false,
      usernameChanged: false,
      pictureChanged: false,
      verifiedChanged: false,
      followerCountDelta: 0,
    });
  });

  it('should report an unfollow, a rename, a new username, picture and badge, and the follower delta', () => {
    const after = { ...before, isUserFollowBusiness: true };
    const later = { ...after, isUserFollowBusiness: false, name: 'Ada L.', username: 'ada.l', profilePic: 'https://scontent.cdninstagram.com/v/q.jpg?oe=1', isVerifiedUser: true, followerCount: 90 };
    expect(diffProfiles(after, later)).to.deep.equal({
      followed: false,
      unfollowed: true,
      renamed: true,
      usernameChanged: true,
      pictureChanged: true,
      verifiedChanged: true,
      followerCountDelta: -10,
    });
  });

  it('should not call an unknown follow flag an unfollow, nor a missing username a change', () => {
    const followed = { ...before, isUserFollowBusiness: true };
    const { isUserFollowBusiness: _flag, username: _name, ...unknown } = followed;
    expect(diffProfiles(followed, unknown)).to.equal(undefined);
  });
});

describe('ProfileCache change detection', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = T0;
  });
  afterEach(() => sinon.restore());

  const follows = { ...before, isUserFollowBusiness: true };
  const loadOnce = (p: typeof before) => () => Promise.resolve(p);

  it('should diff against the profile that expired: the ttl-expiry reload reports the new follower', async () => {
    const cache = new ProfileCache({ now, ttl: HOUR });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    clock += HOUR + 1;
    expect(cache.peek(BIZ, ADA)).to.equal(undefined);
    const answer = await cache.lookup(BIZ, ADA, loadOnce(follows));
    expect(answer).to.deep.include({ status: 'ok', source: 'graph' });
    expect(cache.changesOf(answer)?.changes.followed).to.equal(true);
    expect(cache.changesOf(answer)?.previous).to.equal(before);
  });

  it('should report a change on the stale-while-revalidate reload, to the hook only (the turn had the stale answer)', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR, staleWhileRevalidate: HOUR, onProfileChange: hook });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    clock += HOUR + 1;
    const { load, calls } = gatedLoader();
    const stale = await cache.lookup(BIZ, ADA, load);
    expect(stale).to.deep.include({ source: 'stale' });
    expect(cache.changesOf(stale)).to.equal(undefined);
    calls[0]?.resolve(follows);
    await settle();
    await settle();
    expect(hook.callCount).to.equal(1);
    const change = hook.firstCall.args[0] as ProfileChange;
    expect(change).to.deep.include({ businessId: BIZ, igsid: ADA, previous: before, current: follows });
  });

  it('should report a change on refresh (forceRefresh), and none when nothing changed', async () => {
    const cache = new ProfileCache({ now, ttl: HOUR });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    const same = await cache.lookup(BIZ, ADA, loadOnce({ ...before }), { forceRefresh: true });
    expect(cache.changesOf(same)).to.equal(undefined);
    const changed = await cache.lookup(BIZ, ADA, loadOnce(follows), { forceRefresh: true });
    expect(cache.changesOf(changed)?.changes.followed).to.equal(true);
  });

  it('should report nothing for a first load: nothing was known', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, onProfileChange: hook });
    const answer = await cache.lookup(BIZ, ADA, loadOnce(follows));
    await settle();
    expect([cache.changesOf(answer), hook.callCount]).to.deep.equal([undefined, 0]);
  });

  it('should give every caller sharing the reload the same change, and call the hook once', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR, onProfileChange: hook });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    clock += HOUR + 1;
    const { load, calls } = gatedLoader();
    const answers = [cache.lookup(BIZ, ADA, load), cache.lookup(BIZ, ADA, load)];
    calls[0]?.resolve(follows);
    const [a, b] = await Promise.all(answers);
    expect(cache.changesOf(a as ProfileLookup)).to.equal(cache.changesOf(b as ProfileLookup)).and.not.equal(undefined);
    await settle();
    expect([calls.length, hook.callCount]).to.deep.equal([1, 1]);
  });

  it('should call the hook after the lookup settled, outside its critical path', async () => {
    const order: string[] = [];
    const cache = new ProfileCache({ now, ttl: HOUR, onProfileChange: () => void order.push('hook') });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    const answer = cache.lookup(BIZ, ADA, loadOnce(follows), { forceRefresh: true }).then(() => order.push('turn'));
    await answer;
    expect(order).to.deep.equal(['turn']);
    await settle();
    expect(order).to.deep.equal(['turn', 'hook']);
  });

  it('should log a failing hook (sync or async) and keep calling the others', async () => {
    const good = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR, onProfileChange: () => { throw new Error('crm down'); } });
    cache.onProfileChange(() => Promise.reject(new Error('crm slow')));
    cache.onProfileChange(good);
    await cache.lookup(BIZ, ADA, loadOnce(before));
    const answer = await cache.lookup(BIZ, ADA, loadOnce(follows), { forceRefresh: true });
    expect(answer.status).to.equal('ok');
    await settle();
    await settle();
    expect(good.callCount).to.equal(1);
  });

  it('should stop calling a listener once removed', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR });
    cache.onProfileChange(hook)();
    await cache.lookup(BIZ, ADA, loadOnce(before));
    await cache.lookup(BIZ, ADA, loadOnce(follows), { forceRefresh: true });
    await settle();
    expect(hook.callCount).to.equal(0);
  });

  it('should forget the previous profile with the person: a reload after forget reports nothing', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR, onProfileChange: hook });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    clock += HOUR + 1;
    expect(cache.forget(ADA, BIZ)).to.equal(1);
    const answer = await cache.lookup(BIZ, ADA, loadOnce(follows));
    await settle();
    expect([cache.changesOf(answer), hook.callCount]).to.deep.equal([undefined, 0]);
  });

  it('should drop the previous profile of a reload forgotten while in flight (forgetBusiness too)', async () => {
    const hook = sinon.spy();
    const cache = new ProfileCache({ now, ttl: HOUR, onProfileChange: hook });
    await cache.lookup(BIZ, ADA, loadOnce(before));
    const { load, calls } = gatedLoader();
    const answer = cache.lookup(BIZ, ADA, load, { forceRefresh: true });
    await cache.forgetBusiness(BIZ);
    calls[0]?.resolve(follows);
    expect((await answer).status).to.equal('unavailable');
    const again = await cache.lookup(BIZ, ADA, loadOnce(follows));
    await settle();
    expect([cache.changesOf(again), hook.callCount, cache.size]).to.deep.equal([undefined, 0, 1]);
  });

  it('should refuse an onProfileChange that is not a function, naming the option', () => {
    expect(() => new ProfileCache({ onProfileChange: 5 as never })).to.throw(TypeError, 'cache.onProfileChange');
  });

  it('should tell the age of the cached follow flags, and nothing for an unknown person', async () => {
    const cache = new ProfileCache({ now, ttl: HOUR });
    expect(cache.profileAge(BIZ, ADA)).to.equal(undefined);
    await cache.lookup(BIZ, ADA, loadOnce(profile(ADA)));
    clock += 5_000;
    expect(cache.profileAge(BIZ, ADA)).to.equal(5_000);
  });
});
