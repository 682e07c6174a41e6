import { expect } from 'chai';
import type { MockAgent } from 'undici';
import { createDeletionHandler, createDeletionStatusHandler, createSignedRequest, type BusinessPurger } from '../../src/deletion/index.js';
import { InstagramProfileMiddleware, ProfileCache } from '../../src/index.js';
import { activities, BUSINESS_ID as BUSINESS_A, OTHER_BUSINESS_ID as BUSINESS_B } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';
import { lookupInTurn } from '../support/turns.js';
import { APP_SECRET, postForm, send, serveExpress, type Started } from './helpers.js';

const ADA = '1001';
const ALAN = '1002';
const GRACE = '1003';
const reply = (id: string, name: string) => ({ id, name, username: name.toLowerCase(), profile_pic: null, is_user_follow_business: true });

describe('a data-deletion callback against a real middleware and cache', () => {
  let agent: MockAgent;
  let server: Started | undefined;
  let cache: ProfileCache;
  let middleware: InstagramProfileMiddleware;

  beforeEach(() => {
    agent = mockGraph();
    cache = new ProfileCache({ max: 100, ttl: 3_600_000 });
    middleware = new InstagramProfileMiddleware({ accessToken: (businessId) => `token-of-${businessId}`, dispatcher: agent, retries: 0, cache });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  /** One turn from `igsid` to `businessId` whose handler asks for the profile. */
  const profileIn = (igsid: string, businessId: string) => lookupInTurn(middleware, activities.message(igsid, 'hi', businessId));

  it("should leave nothing of business A's profiles, and keep business B's", async () => {
    const firstCalls = [interceptProfile(agent, ADA, reply(ADA, 'Ada')), interceptProfile(agent, ALAN, reply(ALAN, 'Alan')), interceptProfile(agent, GRACE, reply(GRACE, 'Grace'))];
    expect((await profileIn(ADA, BUSINESS_A)).status).to.equal('ok');
    expect((await profileIn(ALAN, BUSINESS_A)).status).to.equal('ok');
    expect((await profileIn(GRACE, BUSINESS_B)).status).to.equal('ok');
    expect(firstCalls.map((c) => c.count)).to.deep.equal([1, 1, 1]);
    expect(cache.size).to.equal(3);
    expect(cache.peek(BUSINESS_A, ADA)).to.deep.include({ status: 'ok', source: 'cache' });

    const profiles: BusinessPurger = middleware;
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: 'https://bot.example.com/deletion-status' });
    server = await serveExpress({ '/deletion': deletion, '/deletion-status': createDeletionStatusHandler({ store: deletion.store }) });
    // With Instagram Login the signed user id is the professional account: business A itself.
    const answer = await postForm(`${server.url}/deletion`, { signed_request: createSignedRequest({ user_id: BUSINESS_A, issued_at: 1_700_000_000 }, APP_SECRET) });
    expect(answer.status).to.equal(200);

    expect(cache.peek(BUSINESS_A, ADA)).to.equal(undefined);
    expect(cache.peek(BUSINESS_A, ALAN)).to.equal(undefined);
    expect(cache.peek(BUSINESS_B, GRACE)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(cache.size).to.equal(1);

    // Business A's people are read from Graph again; business B's Grace is still served from the cache.
    const again = interceptProfile(agent, ADA, reply(ADA, 'Ada'));
    expect(await profileIn(ADA, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'graph' });
    expect(again.count).to.equal(1);
    expect(await profileIn(GRACE, BUSINESS_B)).to.deep.include({ status: 'ok', source: 'cache' });

    const status = await send(`${server.url}/deletion-status?code=${answer.json().confirmation_code}`, 'GET');
    expect(status.json()).to.include({ status: 'complete' });
  });

  it('should purge nothing when the callback is forged', async () => {
    interceptProfile(agent, ADA, reply(ADA, 'Ada'));
    await profileIn(ADA, BUSINESS_A);
    const profiles: BusinessPurger = middleware;
    server = await serveExpress({ '/deletion': createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: 'https://bot.example.com/s' }) });
    const forged = await postForm(`${server.url}/deletion`, { signed_request: createSignedRequest({ user_id: BUSINESS_A }, 'guessed-secret') });
    expect(forged.status).to.equal(400);
    expect(cache.peek(BUSINESS_A, ADA)).to.deep.include({ status: 'ok' });
  });
});
