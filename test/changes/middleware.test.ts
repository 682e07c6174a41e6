import { expect } from 'chai';
import sinon from 'sinon';
import { TestAdapter, type TurnContext } from 'botbuilder';
import type { MockAgent } from 'undici';
import type { ProfileChange } from '../../src/changes/profileChanges.js';
import { getInstagramProfile, InstagramProfileMiddleware, type InstagramProfileMiddlewareOptions } from '../../src/index.js';
import { getProfileChanges } from '../../src/middleware/accessors.js';
import { activities, BUSINESS_ID } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';

const ADA = '1001';
const MINUTE = 60_000;
const notFollowing = { id: ADA, name: 'Ada Lovelace', username: 'ada', profile_pic: null, follower_count: 120, is_user_follow_business: false };
const following = { ...notFollowing, is_user_follow_business: true };

describe('getProfileChanges and refreshFollowStatusAfter (middleware)', () => {
  let agent: MockAgent;
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    agent = mockGraph();
    clock = Date.UTC(2026, 10, 25, 12);
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
    sinon.restore();
  });

  function middleware(options: Partial<InstagramProfileMiddlewareOptions> = {}) {
    return new InstagramProfileMiddleware({ accessToken: 'page-token-for-tests', dispatcher: agent, retries: 0, cache: { now, ttl: 60 * MINUTE }, ...options });
  }

  async function turn<T>(mw: InstagramProfileMiddleware, activity: object, handler: (context: TurnContext) => Promise<T>): Promise<T> {
    let seen: T | undefined;
    await new TestAdapter(async (context) => {
      seen = await handler(context);
    })
      .use(mw)
      .send(activity as never)
      .startTest();
    return seen as T;
  }

  const profileThenChanges = async (context: TurnContext) => {
    await getInstagramProfile(context);
    return getProfileChanges(context);
  };

  it('should answer undefined when the turn looked nothing up, and start no lookup', async () => {
    const mw = middleware();
    expect(await turn(mw, activities.message(ADA), (context) => getProfileChanges(context))).to.equal(undefined);
    expect(mw.cache.loading).to.equal(0);
  });

  it('should answer undefined for anything that is not a turn the middleware ran on', async () => {
    expect(await getProfileChanges(undefined)).to.equal(undefined);
    expect(await getProfileChanges({ turnState: { get: () => { throw new Error('boom'); }, set: () => undefined } })).to.equal(undefined);
  });

  it('should re-read follow flags older than refreshFollowStatusAfter on a message, and show the new follower to that turn only', async () => {
    const calls = interceptProfile(agent, ADA, notFollowing);
    const mw = middleware({ refreshFollowStatusAfter: 5 * MINUTE });
    expect(await turn(mw, activities.message(ADA), profileThenChanges)).to.equal(undefined);
    clock += 4 * MINUTE;
    expect(await turn(mw, activities.message(ADA), profileThenChanges)).to.equal(undefined);
    expect(calls.count).to.equal(1);
    const second = interceptProfile(agent, ADA, following);
    clock += 2 * MINUTE;
    const changes = await turn(mw, activities.message(ADA), profileThenChanges);
    expect(changes).to.deep.include({ followed: true, unfollowed: false, followerCountDelta: 0 });
    expect(second.count).to.equal(1);
    expect(await turn(mw, activities.message(ADA), profileThenChanges)).to.equal(undefined);
  });

  it('should not re-read for an event that grants no consent (a reaction), however old the flags', async () => {
    const calls = interceptProfile(agent, ADA, notFollowing);
    const mw = middleware({ refreshFollowStatusAfter: MINUTE });
    await turn(mw, activities.message(ADA), profileThenChanges);
    clock += 10 * MINUTE;
    const seen = await turn(mw, activities.reaction(ADA), async (context) => (await getInstagramProfile(context))?.name);
    expect([seen, calls.count]).to.deep.equal(['Ada Lovelace', 1]);
  });

  it('should keep the cached flags until the ttl when refreshFollowStatusAfter is off (the default)', async () => {
    const calls = interceptProfile(agent, ADA, notFollowing);
    const mw = middleware();
    await turn(mw, activities.message(ADA), profileThenChanges);
    clock += 30 * MINUTE;
    expect(await turn(mw, activities.message(ADA), profileThenChanges)).to.equal(undefined);
    expect(calls.count).to.equal(1);
  });

  it('should hand the change to onProfileChange once, with business, person and both profiles', async () => {
    interceptProfile(agent, ADA, notFollowing);
    interceptProfile(agent, ADA, following);
    const hook = sinon.spy();
    const mw = middleware({ onProfileChange: hook });
    await turn(mw, activities.message(ADA), profileThenChanges);
    await turn(mw, activities.message(ADA), async (context) => mw.refresh(context));
    await new Promise((resolve) => setImmediate(resolve));
    expect(hook.callCount).to.equal(1);
    const change = hook.firstCall.args[0] as ProfileChange;
    expect(change).to.deep.include({ businessId: BUSINESS_ID, igsid: ADA });
    expect([change.previous.isUserFollowBusiness, change.current.isUserFollowBusiness]).to.deep.equal([false, true]);
  });

  it('should refuse a bad refreshFollowStatusAfter or onProfileChange, naming the option', () => {
    expect(() => middleware({ refreshFollowStatusAfter: -1 })).to.throw(RangeError, 'refreshFollowStatusAfter');
    expect(() => middleware({ onProfileChange: 'crm' as never })).to.throw(TypeError, 'onProfileChange');
  });
});
