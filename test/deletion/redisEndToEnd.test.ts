import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { MockAgent } from 'undici';
import { createDeletionHandler, createDeletionStatusHandler, createSignedRequest } from '../../src/deletion/index.js';
import { InstagramProfileMiddleware, ProfileCache } from '../../src/index.js';
import type { Invalidation, RedisProfileStore } from '../../src/redis/index.js';
import { activities, BUSINESS_ID as BUSINESS_A, OTHER_BUSINESS_ID as BUSINESS_B } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { lookupInTurn } from '../support/turns.js';
import { ioredis, storeFactory } from '../redis/clients.js';
import { APP_SECRET, postForm, send, serveExpress, type Started } from './helpers.js';

const PREFIX = 'e2e:';
const ADA = '1001';
const ALAN = '1002';
const GRACE = '1003';
const NAMES = { [ADA]: 'Ada', [ALAN]: 'Alan', [GRACE]: 'Grace' };
const reply = (id: keyof typeof NAMES) => ({ id, name: NAMES[id], username: NAMES[id].toLowerCase(), profile_pic: null, is_user_follow_business: true });

/** One bot process: its own Redis client and store, cache, middleware, Graph mock, and the three handlers of docs/deletion.md. */
interface Instance {
  store: RedisProfileStore;
  cache: ProfileCache;
  middleware: InstagramProfileMiddleware;
  graph: MockAgent;
  server: Started;
  /** Resolves with the next invalidation this instance hears from another one on the bus. */
  nextInvalidation(): Promise<Invalidation>;
}

describe('a data-deletion callback with the Redis tier: two instances, one Redis', function () {
  this.timeout(15_000);
  const redis = redisServerForSuite();
  const stores = storeFactory(ioredis, redis);
  const instances: Instance[] = [];
  /** An operator's view of Redis, on a connection of its own. */
  let inspector: Redis;

  async function startInstance(): Promise<Instance> {
    const store = await stores.make({ keyPrefix: PREFIX });
    const graph = mockGraph();
    const cache = new ProfileCache({ max: 100, ttl: 3_600_000, store });
    const middleware = new InstagramProfileMiddleware({ accessToken: (businessId) => `token-of-${businessId}`, dispatcher: graph, retries: 0, cache });
    // Wired as docs/deletion.md says, on every instance: no store option, so codes go to the Redis store behind the middleware.
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles: middleware, statusUrl: 'https://bot.example.com/instagram/deletion-status' });
    expect(deletion.store, 'the default store').to.equal(store.deletionStatuses);
    const server = await serveExpress({ '/instagram/deletion': deletion, '/instagram/deletion-status': createDeletionStatusHandler({ store: deletion.store }) });
    const nextInvalidation = () =>
      new Promise<Invalidation>((resolve) => {
        const stop = store.onInvalidate((invalidation) => {
          stop();
          resolve(invalidation);
        });
      });
    const instance = { store, cache, middleware, graph, server, nextInvalidation };
    instances.push(instance);
    return instance;
  }

  before(() => {
    inspector = new Redis(redis().port, '127.0.0.1');
  });
  after(() => {
    inspector.disconnect();
  });
  afterEach(async () => {
    for (const { server, graph } of instances.splice(0)) {
      await server.close();
      graph.assertNoPendingInterceptors();
      await graph.close();
    }
    await stores.closeAll();
  });

  /** One turn from `igsid` to `businessId` on `instance`, whose handler asks for the profile. */
  const lookupOn = ({ middleware }: Instance, igsid: string, businessId: string) => lookupInTurn(middleware, activities.message(igsid, 'hi', businessId));

  /** Every key under the prefix, by SCAN (as an operator would look). */
  async function keysInRedis(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = (await inspector.call('SCAN', cursor, 'MATCH', `${PREFIX}*`, 'COUNT', '1000')) as [string, string[]];
      found.push(...page);
      cursor = next;
    } while (cursor !== '0');
    return found.sort();
  }

  /** The text of every string value under the prefix. */
  async function valuesInRedis(): Promise<string[]> {
    const values: string[] = [];
    for (const key of await keysInRedis()) if ((await inspector.call('TYPE', key)) === 'string') values.push(String(await inspector.call('GET', key)));
    return values;
  }

  /** What each instance's own LRU holds for a customer, without I/O. */
  function heldLocally(igsid: string, businessId: string) {
    return instances.map(({ cache }) => cache.peek(businessId, igsid)?.status);
  }

  it('should leave no profile of business A in either LRU nor in Redis, keep business B everywhere, and answer the code on the other instance', async () => {
    const [one, two] = [await startInstance(), await startInstance()];
    // Each person is read from Graph once, by whichever instance met them first; the other gets them from Redis
    // (a lookup says `cache` for either level: the Graph call counts show which).
    const graphCalls = [interceptProfile(one.graph, ADA, reply(ADA)), interceptProfile(one.graph, GRACE, reply(GRACE)), interceptProfile(two.graph, ALAN, reply(ALAN))];
    expect(await lookupOn(one, ADA, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'graph' });
    expect(await lookupOn(one, GRACE, BUSINESS_B)).to.deep.include({ status: 'ok', source: 'graph' });
    expect(await lookupOn(two, ALAN, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'graph' });
    await Promise.all([one.cache.flush(), two.cache.flush()]);
    expect(await lookupOn(two, ADA, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(await lookupOn(two, GRACE, BUSINESS_B)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(await lookupOn(one, ALAN, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(graphCalls.map((calls) => calls.count)).to.deep.equal([1, 1, 1]);
    for (const [igsid, businessId] of [[ADA, BUSINESS_A], [ALAN, BUSINESS_A], [GRACE, BUSINESS_B]] as const) {
      expect(heldLocally(igsid, businessId), `${igsid} held on both instances`).to.deep.equal(['ok', 'ok']);
    }
    const profileKeys = (keys: string[]) => keys.filter((key) => key.startsWith(`${PREFIX}p:`));
    expect(profileKeys(await keysInRedis())).to.deep.equal([`${PREFIX}p:{${BUSINESS_A}:${ADA}}`, `${PREFIX}p:{${BUSINESS_A}:${ALAN}}`, `${PREFIX}p:{${BUSINESS_B}:${GRACE}}`]);

    // Meta posts the callback to whichever instance the load balancer picks: instance one.
    const heardOnTwo = two.nextInvalidation();
    const answer = await postForm(`${one.server.url}/instagram/deletion`, { signed_request: createSignedRequest({ user_id: BUSINESS_A, issued_at: 1_700_000_000 }, APP_SECRET) });
    expect(answer.status).to.equal(200);
    const { url, confirmation_code: code } = answer.json() as { url: string; confirmation_code: string };
    // Instance two has dropped business A once the bus message reached it (its cache listens first).
    expect(await heardOnTwo).to.deep.equal({ scope: 'business', businessId: BUSINESS_A });

    expect(heldLocally(ADA, BUSINESS_A), 'Ada in either LRU').to.deep.equal([undefined, undefined]);
    expect(heldLocally(ALAN, BUSINESS_A), 'Alan in either LRU').to.deep.equal([undefined, undefined]);
    expect(heldLocally(GRACE, BUSINESS_B), 'Grace in either LRU').to.deep.equal(['ok', 'ok']);
    expect([one.cache.size, two.cache.size]).to.deep.equal([1, 1]);

    const keys = await keysInRedis();
    expect(profileKeys(keys)).to.deep.equal([`${PREFIX}p:{${BUSINESS_B}:${GRACE}}`]);
    // Of business A, only the deletion's short-lived markers remain (a '1', no profile data), and no index names it.
    const ofA = keys.filter((key) => key.includes(BUSINESS_A));
    expect(ofA).to.have.members([`${PREFIX}x:{${BUSINESS_A}:${ADA}}`, `${PREFIX}x:{${BUSINESS_A}:${ALAN}}`]);
    for (const marker of ofA) {
      expect(await inspector.call('GET', marker)).to.equal('1');
      expect(Number(await inspector.call('PTTL', marker))).to.be.within(1, 10_000);
    }
    for (const igsid of [ADA, ALAN]) expect(await inspector.call('ZRANGE', `${PREFIX}u:${igsid}`, '0', '-1')).not.to.include(BUSINESS_A);
    const values = (await valuesInRedis()).join('\n');
    expect(values).not.to.match(/Ada|Alan/);
    expect(values).to.include('Grace');

    // Instance two answers the status of the code instance one gave, from Redis.
    const statusPath = new URL(url);
    expect(statusPath.searchParams.get('code')).to.equal(code);
    const status = await send(`${two.server.url}${statusPath.pathname}${statusPath.search}`, 'GET');
    expect(status.status).to.equal(200);
    expect(status.json()).to.include({ confirmation_code: code, status: 'complete' });
    expect(keys).to.include(`${PREFIX}ds:${code}`);

    // Business B's Grace is still served from each LRU, without Graph; business A's Ada is read from Graph again.
    expect(await lookupOn(two, GRACE, BUSINESS_B)).to.deep.include({ status: 'ok', source: 'cache' });
    expect(await lookupOn(one, GRACE, BUSINESS_B)).to.deep.include({ status: 'ok', source: 'cache' });
    const again = interceptProfile(two.graph, ADA, reply(ADA));
    expect(await lookupOn(two, ADA, BUSINESS_A)).to.deep.include({ status: 'ok', source: 'graph' });
    expect(again.count).to.equal(1);
  });
});
