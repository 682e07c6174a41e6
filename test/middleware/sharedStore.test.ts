import { expect } from 'chai';
import type { MockAgent } from 'undici';
import { InstagramProfileMiddleware, RateLimitError } from '../../src/index.js';
import type { RedisProfileStore } from '../../src/redis/index.js';
import { ioredis, storeFactory, until } from '../redis/clients.js';
import { activities, BUSINESS_ID, OTHER_BUSINESS_ID } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';
import { lookupInTurn } from '../support/turns.js';
import { redisServerForSuite } from '../support/redisServer.js';

const ADA = '6000000000000001';
const adaReply = { id: ADA, name: 'Ada Lovelace', username: 'ada', profile_pic: null, is_user_follow_business: true };
const regainIn = (minutes: number) => ({
  'x-business-use-case-usage': JSON.stringify({ [BUSINESS_ID]: [{ type: 'instagram', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: minutes }] }),
});

/** Middlewares of several instances on one Redis: `cache: { store }` is all the wiring a bot needs. */
describe('InstagramProfileMiddleware with a shared store', function () {
  this.timeout(10_000);
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  const agents: MockAgent[] = [];

  beforeEach(() => server().command('FLUSHALL'));
  afterEach(async () => {
    for (const agent of agents.splice(0)) {
      agent.assertNoPendingInterceptors();
      await agent.close();
    }
    await stores.closeAll();
  });

  async function instance(): Promise<{ middleware: InstagramProfileMiddleware; agent: MockAgent; store: RedisProfileStore }> {
    const agent = mockGraph();
    agents.push(agent);
    const store = await stores.make();
    const middleware = new InstagramProfileMiddleware({ accessToken: 'page-token-for-tests', dispatcher: agent, retries: 0, cache: { max: 100, ttl: 3_600_000, store } });
    return { middleware, agent, store };
  }

  it('should make one Graph call for a customer whose turns land on two instances', async () => {
    const [a, b] = [await instance(), await instance()];
    const calls = interceptProfile(a.agent, ADA, adaReply);
    expect(await lookupInTurn(a.middleware, activities.message(ADA))).to.deep.include({ status: 'ok', source: 'graph' });
    await a.middleware.cache.flush();
    expect(await lookupInTurn(b.middleware, activities.message(ADA))).to.deep.include({ status: 'ok', source: 'cache' });
    expect(calls.count).to.equal(1);
  });

  it('should let an event that grants no consent read a profile another instance loaded, still without calling Graph', async () => {
    const [a, b] = [await instance(), await instance()];
    interceptProfile(a.agent, ADA, adaReply);
    expect((await lookupInTurn(b.middleware, activities.reaction(ADA))).status, 'nothing shared yet').to.equal('no-consent');
    await lookupInTurn(a.middleware, activities.message(ADA));
    await a.middleware.cache.flush();
    expect(await lookupInTurn(b.middleware, activities.reaction(ADA))).to.deep.include({ status: 'ok', source: 'cache' });
  });

  it('should forget a person on every instance and in Redis before forget() resolves', async () => {
    const [a, b] = [await instance(), await instance()];
    interceptProfile(a.agent, ADA, adaReply);
    await lookupInTurn(a.middleware, activities.message(ADA));
    await a.middleware.cache.flush();
    await lookupInTurn(b.middleware, activities.message(ADA));
    expect(await b.middleware.forget(ADA)).to.equal(1);
    expect(await b.store.get(BUSINESS_ID, ADA)).to.equal(undefined);
    await until(() => a.middleware.cache.peek(BUSINESS_ID, ADA) === undefined, 100, 'A to drop Ada');
  });

  it('should purge a business with forgetBusiness on every instance, and say it is complete', async () => {
    const [a, b] = [await instance(), await instance()];
    interceptProfile(a.agent, ADA, adaReply, 2);
    await lookupInTurn(a.middleware, activities.message(ADA));
    await lookupInTurn(a.middleware, activities.message(ADA, 'hi', OTHER_BUSINESS_ID));
    await a.middleware.cache.flush();
    expect(await b.middleware.forgetBusiness(BUSINESS_ID)).to.deep.equal({ removed: 0, complete: true });
    await until(() => a.middleware.cache.peek(BUSINESS_ID, ADA) === undefined, 100, 'A to drop the business');
    expect(a.middleware.cache.peek(OTHER_BUSINESS_ID, ADA)?.status).to.equal('ok');
    expect(await a.store.get(BUSINESS_ID, ADA)).to.equal(undefined);
  });

  it('should say a business purge is not complete when Redis is down (the store finishes it later)', async () => {
    const b = await instance();
    await server().stop();
    expect(await b.middleware.forgetBusiness(BUSINESS_ID)).to.deep.equal({ removed: 0, complete: false });
    await server().restart();
  });

  it("should stop every instance's Graph calls for a business another instance saw throttled", async () => {
    const [a, b] = [await instance(), await instance()];
    const heard: string[] = [];
    b.store.onThrottle((notice) => heard.push(`${notice.reason} ${notice.scope}`));
    a.agent
      .get('https://graph.facebook.com')
      .intercept({ path: (path: string) => path.startsWith(`/v26.0/${ADA}?`), method: 'GET' })
      .reply(400, { error: { code: 80002, type: 'IGApiException', message: 'throttled' } }, { headers: regainIn(5) });
    const throttled = await lookupInTurn(a.middleware, activities.message(ADA));
    expect(throttled.status === 'unavailable' && throttled.error).to.be.instanceOf(RateLimitError);
    await until(() => heard.length > 0, 1_000, 'the throttle to reach B');
    expect(heard).to.deep.equal([`rate-limited ${BUSINESS_ID}`]);
    // B has no interceptor: a call it made would fail as a network error, not as a throttle.
    const other = await lookupInTurn(b.middleware, activities.message('6000000000000002'));
    expect(other.status === 'unavailable' && other.error).to.be.instanceOf(RateLimitError).and.have.property('retryAfterMs').within(4 * 60_000, 5 * 60_000);
  });

  it('should refuse "store" outside "cache", naming where it goes', () => {
    expect(() => new InstagramProfileMiddleware({ accessToken: 't', store: {} } as never)).to.throw(TypeError, /cache/);
  });
});
