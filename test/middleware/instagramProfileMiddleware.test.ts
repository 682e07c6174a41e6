import { expect } from 'chai';
import sinon from 'sinon';
import { TestAdapter, type TurnContext } from 'botbuilder';
import type { MockAgent } from 'undici';
import {
  getInstagramEvent,
  getInstagramProfile,
  InstagramProfileMiddleware,
  type InstagramProfileMiddlewareOptions,
  ProfileCache,
  type ProfileLookup,
  TURN_HANDLE_KEY,
} from '../../src/index.js';
import { activities, BUSINESS_ID, OTHER_BUSINESS_ID } from '../support/activities.js';
import { interceptGraphError, interceptProfile, mockGraph } from '../support/graphMock.js';

const ADA = '1001';
const adaReply = { id: ADA, name: 'Ada Lovelace', username: 'ada', profile_pic: null, follower_count: 120, is_verified_user: false, is_user_follow_business: true, is_business_follow_user: false };

describe('InstagramProfileMiddleware', () => {
  let agent: MockAgent;

  beforeEach(() => {
    agent = mockGraph();
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
    sinon.restore();
  });

  function middleware(options: Partial<InstagramProfileMiddlewareOptions> = {}) {
    return new InstagramProfileMiddleware({
      accessToken: 'page-token-for-tests',
      dispatcher: agent,
      retries: 0,
      icebreakerPayloads: ['HOURS'],
      persistentMenuPayloads: ['HUMAN'],
      ...options,
    });
  }

  /** Runs one turn through a TestAdapter and returns what the handler saw. */
  async function turn<T>(mw: InstagramProfileMiddleware, activity: object, handler: (context: TurnContext) => Promise<T>): Promise<T> {
    let seen: T | undefined;
    const adapter = new TestAdapter(async (context) => {
      seen = await handler(context);
    }).use(mw);
    await adapter.send(activity as never).startTest();
    return seen as T;
  }

  for (const [label, make, kind] of [
    ['a text message', () => activities.message(ADA), 'message'],
    ['an ice-breaker tap', () => activities.postback(ADA, 'HOURS', 'What are your hours?'), 'icebreaker'],
    ['a persistent-menu tap', () => activities.postback(ADA, 'HUMAN', 'Talk to a human'), 'persistent_menu'],
    ['a quick reply', () => activities.quickReply(ADA, 'YES'), 'quick_reply'],
  ] as const) {
    it(`should load the profile once for ${label}`, async () => {
      const calls = interceptProfile(agent, ADA, adaReply);
      const mw = middleware();
      const [event, first, second] = await turn(mw, make(), async (context) => [
        getInstagramEvent(context),
        await getInstagramProfile(context),
        await getInstagramProfile(context),
      ]);
      expect(event?.kind).to.equal(kind);
      expect(first).to.deep.include({ id: ADA, name: 'Ada Lovelace', username: 'ada', isUserFollowBusiness: true });
      expect(second).to.equal(first);
      expect(calls.count).to.equal(1);
    });
  }

  for (const [label, make] of [
    ['a read', () => activities.read(ADA)],
    ['a reaction', () => activities.reaction(ADA)],
    ['a comment', () => activities.comment(ADA)],
  ] as const) {
    it(`should never call Graph for ${label}, and say why there is no profile`, async () => {
      const mw = middleware();
      const lookup = await turn(mw, make(), (context) => mw.load(context));
      expect(lookup).to.deep.equal({ status: 'no-consent' });
    });

    it(`should serve a cached profile for ${label}`, async () => {
      interceptProfile(agent, ADA, adaReply);
      const mw = middleware();
      await turn(mw, activities.message(ADA), (context) => getInstagramProfile(context));
      const lookup = await turn(mw, make(), (context) => mw.load(context));
      expect(lookup).to.deep.include({ status: 'ok', source: 'cache' });
    });
  }

  it('should do no work in a turn whose handler never asks: no recognition, no call, one turnState entry', async () => {
    const mw = middleware({ prefetch: false });
    const fetchProfile = sinon.spy(mw.client, 'fetchProfile');
    const reads: PropertyKey[] = [];
    const activity = new Proxy(activities.message(ADA), { get: (target, key) => (reads.push(key), Reflect.get(target, key)) });
    const turnState = new Map<unknown, unknown>();
    const set = sinon.spy(turnState, 'set');
    await mw.onTurn({ activity, turnState }, async () => undefined);
    expect(reads).to.deep.equal([]);
    expect(fetchProfile.callCount).to.equal(0);
    expect(set.callCount).to.equal(1);
    // The same shared factory in every turn: nothing allocated until a handler asks.
    const held = turnState.get(TURN_HANDLE_KEY);
    expect(held).to.have.property('handleVersion', 2);
    const other = new Map<unknown, unknown>();
    await mw.onTurn({ activity, turnState: other }, async () => undefined);
    expect(other.get(TURN_HANDLE_KEY)).to.equal(held);
  });

  it("should make the turn's handle on the first ask and keep it for the turn's later asks", async () => {
    const mw = middleware({ prefetch: false });
    const turnState = new Map<unknown, unknown>();
    const context = { activity: activities.message(ADA), turnState };
    await mw.onTurn(context, async () => undefined);
    expect(getInstagramEvent(context)).to.include({ kind: 'message', igsid: ADA });
    const handle = turnState.get(TURN_HANDLE_KEY);
    expect(handle).to.have.property('handleVersion', 1);
    getInstagramEvent(context);
    expect(turnState.get(TURN_HANDLE_KEY)).to.equal(handle);
  });

  it('should expose load, refresh, changes, forget and forgetBusiness, and no internal methods for the turn handle', () => {
    const methods = Object.getOwnPropertyNames(InstagramProfileMiddleware.prototype).sort();
    expect(methods).to.deep.equal(['changes', 'constructor', 'forget', 'forgetBusiness', 'load', 'onTurn', 'refresh']);
  });

  it('should call Graph for a consent event after a read found a remembered no-consent, and clear it', async () => {
    interceptGraphError(agent, ADA, 400, { code: 230, type: 'IGApiException', message: 'User consent is required to access user profile' });
    const calls = interceptProfile(agent, ADA, adaReply);
    const mw = middleware();
    await turn(mw, activities.message(ADA), (context) => mw.load(context));
    expect(mw.cache.peek(BUSINESS_ID, ADA)?.status).to.equal('no-consent');
    await turn(mw, activities.postback(ADA, 'HOURS'), (context) => mw.load(context));
    expect(mw.cache.peek(BUSINESS_ID, ADA)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(calls.count).to.equal(1);
  });

  it('should make one Graph call for 100 concurrent turns from one sender', async () => {
    const calls = interceptProfile(agent, ADA, adaReply);
    const mw = middleware();
    const adapter = new TestAdapter(async (context) => {
      await getInstagramProfile(context);
    }).use(mw);
    const lookups: Promise<ProfileLookup>[] = [];
    const spy = sinon.spy(mw, 'load');
    await Promise.all(
      Array.from({ length: 100 }, () =>
        adapter.processActivity(activities.message(ADA) as never, async (context) => {
          lookups.push(mw.load(context));
        }),
      ),
    );
    const results = await Promise.all(lookups);
    expect(spy.callCount).to.equal(100);
    expect(calls.count).to.equal(1);
    expect(results.filter((r) => r.status === 'ok')).to.have.length(100);
  });

  it('should never show one business the profile another business loaded for the same IGSID', async () => {
    // Two replies, in call order: A's turn reads first, B's second; A's third turn must not read again.
    interceptProfile(agent, ADA, { ...adaReply, name: 'Seen by A' });
    interceptProfile(agent, ADA, { ...adaReply, name: 'Seen by B' });
    const cache = new ProfileCache();
    const accessToken = sinon.spy((businessId: string | undefined) => `token-for-${businessId}`);
    const mw = middleware({ accessToken, cache });
    const a = await turn(mw, activities.message(ADA, 'hi', BUSINESS_ID), (context) => getInstagramProfile(context));
    const b = await turn(mw, activities.message(ADA, 'hi', OTHER_BUSINESS_ID), (context) => getInstagramProfile(context));
    const a2 = await turn(mw, activities.message(ADA, 'again', BUSINESS_ID), (context) => getInstagramProfile(context));
    expect([a?.name, b?.name, a2?.name]).to.deep.equal(['Seen by A', 'Seen by B', 'Seen by A']);
    expect(accessToken.args.map(([businessId]) => businessId)).to.deep.equal([BUSINESS_ID, OTHER_BUSINESS_ID]);
  });

  it('should complete the turn when the lookup fails, with the typed reason', async () => {
    interceptGraphError(agent, ADA, 500, { code: 2, is_transient: true, type: 'OAuthException', message: 'Please retry' });
    const mw = middleware();
    const [profile, lookup] = await turn(mw, activities.message(ADA), async (context) => {
      const profile = await getInstagramProfile(context);
      await context.sendActivity(`Hi ${profile?.name ?? 'there'}`);
      return [profile, await mw.load(context)] as const;
    });
    expect(profile).to.equal(undefined);
    expect(lookup.status).to.equal('unavailable');
    expect(lookup.status !== 'ok' && lookup.error?.code).to.equal('GRAPH_API_ERROR');
  });

  it('should say no-consent on a 230 and forget it when the person messages again', async () => {
    interceptGraphError(agent, ADA, 400, { code: 230, type: 'IGApiException', message: 'User consent is required to access user profile' });
    const calls = interceptProfile(agent, ADA, adaReply);
    const mw = middleware();
    const first = await turn(mw, activities.message(ADA), (context) => mw.load(context));
    const cached = await turn(mw, activities.read(ADA), (context) => mw.load(context));
    const second = await turn(mw, activities.message(ADA), (context) => mw.load(context));
    expect(first.status).to.equal('no-consent');
    expect(first.status === 'no-consent' && first.error?.code).to.equal('CONSENT_REQUIRED');
    expect(cached.status).to.equal('no-consent');
    expect(second).to.deep.include({ status: 'ok', source: 'graph' });
    expect(calls.count).to.equal(1);
  });

  it('should answer not-instagram for another channel without any call', async () => {
    const mw = middleware();
    const [profile, lookup, event] = await turn(mw, { type: 'message', text: 'hi' }, async (context) => [
      await getInstagramProfile(context),
      await mw.load(context),
      getInstagramEvent(context),
    ]);
    expect(profile).to.equal(undefined);
    expect(lookup).to.deep.equal({ status: 'not-instagram' });
    expect(event).to.equal(undefined);
  });

  it('should return undefined from getInstagramProfile when the middleware is not installed', async () => {
    const adapter = new TestAdapter(async () => undefined);
    let profile: unknown = 'unset';
    await adapter.processActivity(activities.message(ADA) as never, async (context) => {
      profile = await getInstagramProfile(context);
    });
    expect(profile).to.equal(undefined);
  });

  it('should bypass the cache on refresh and share the new lookup with later calls', async () => {
    const calls = interceptProfile(agent, ADA, adaReply, 2);
    const mw = middleware();
    await turn(mw, activities.message(ADA), (context) => getInstagramProfile(context));
    const [refreshed, after] = await turn(mw, activities.message(ADA), async (context) => {
      await getInstagramProfile(context);
      return [await mw.refresh(context), await mw.load(context)] as const;
    });
    expect(calls.count).to.equal(2);
    expect(refreshed).to.deep.include({ status: 'ok', source: 'graph' });
    expect(after).to.equal(refreshed);
  });

  it('should forget a person so the next turn reads Graph again', async () => {
    const calls = interceptProfile(agent, ADA, adaReply, 2);
    const mw = middleware();
    await turn(mw, activities.message(ADA), (context) => getInstagramProfile(context));
    expect(await mw.forget(ADA, BUSINESS_ID)).to.equal(1);
    const lookup = await turn(mw, activities.message(ADA), (context) => mw.load(context));
    expect(lookup).to.deep.include({ status: 'ok', source: 'graph' });
    expect(calls.count).to.equal(2);
  });

  for (const prefetch of [true, false]) {
    it(`should ${prefetch ? '' : 'not '}start the lookup before the handler runs when prefetch is ${prefetch}, never delaying it`, async () => {
      const mw = middleware({ prefetch });
      let finishFetch!: () => void;
      const fetchProfile = sinon.stub(mw.client, 'fetchProfile').callsFake(
        () => new Promise((resolve) => (finishFetch = () => resolve({ id: ADA, name: 'Ada Lovelace', profilePic: null }))),
      );
      const seen = await turn(mw, activities.message(ADA), async (context) => {
        const callsWhenHandlerStarted = fetchProfile.callCount;
        const pending = getInstagramProfile(context);
        finishFetch();
        return { callsWhenHandlerStarted, loaded: await pending };
      });
      expect(seen.callsWhenHandlerStarted).to.equal(prefetch ? 1 : 0);
      expect(seen.loaded?.name).to.equal('Ada Lovelace');
      expect(fetchProfile.callCount).to.equal(1);
    });
  }

  it('should not prefetch for events that grant no consent', async () => {
    const mw = middleware({ prefetch: true });
    const lookup = await turn(mw, activities.reaction(ADA), (context) => mw.load(context));
    expect(lookup.status).to.equal('no-consent');
  });

  it('should accept a Botkit message (with its TurnContext as .context)', async () => {
    interceptProfile(agent, ADA, adaReply);
    const mw = middleware();
    const profile = await turn(mw, activities.message(ADA), async (context) => {
      const botkitMessage = { context, incoming_message: context.activity, user: ADA, text: 'hi' };
      return [await getInstagramProfile(botkitMessage), getInstagramEvent(botkitMessage)?.kind] as const;
    });
    expect(profile[0]?.name).to.equal('Ada Lovelace');
    expect(profile[1]).to.equal('message');
  });

  it('should load for a context it never saw, through load()', async () => {
    interceptProfile(agent, ADA, adaReply);
    const mw = middleware();
    const context = { activity: activities.message(ADA), turnState: new Map() };
    const lookup = await mw.load(context);
    expect(lookup).to.deep.include({ status: 'ok', source: 'graph' });
    expect(await getInstagramProfile(context)).to.deep.include({ name: 'Ada Lovelace' });
  });

  it('should accept an accessToken that may be undefined (process.env), refusing a missing one at run time with a hint', () => {
    const unset: string | undefined = process.env.INSTAGRAM_PROFILE_TEST_NEVER_SET;
    expect(() => new InstagramProfileMiddleware({ accessToken: unset, appSecret: unset })).to.throw(TypeError, /"accessToken" is missing.*environment variable/);
  });

  it('should need no accessToken when given a ready client', () => {
    const client = middleware().client;
    expect(new InstagramProfileMiddleware({ client, accessToken: undefined }).client).to.equal(client);
  });

  it('should reject bad options at construction, naming the option', () => {
    expect(() => new InstagramProfileMiddleware({} as never)).to.throw(TypeError, /accessToken/);
    expect(() => middleware({ prefetch: 'yes' as never })).to.throw(TypeError, /prefetch/);
    expect(() => middleware({ cache: { max: 0 } })).to.throw(RangeError, /cache\.max/);
    expect(() => middleware({ apiVersion: 'v11.0', fields: ['follower_count'] })).to.throw(RangeError, /follower_count.*v11\.0/);
  });
});
