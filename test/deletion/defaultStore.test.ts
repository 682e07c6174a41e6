import { expect } from 'chai';
import { createDeletionHandler, createDeletionStatusHandler, MemoryDeletionStatusStore, type DeletionStatusStore } from '../../src/deletion/index.js';
import { InstagramProfileMiddleware, ProfileCache } from '../../src/index.js';
import { APP_SECRET, recordingPurger, send, serveNode, STATUS_URL, type Started } from './helpers.js';

/** A store that only says who it is: the tests check which one the handler picked. */
function namedStore(): DeletionStatusStore {
  return { get: () => undefined, set: () => undefined };
}

/** What `RedisProfileStore` looks like to the handler: profile get/set of its own, and the codes' store beside them. */
function sharedStoreLike(deletionStatuses: DeletionStatusStore) {
  return {
    deletionStatuses,
    get: async () => undefined,
    set: async () => false,
    forgetBusiness: async () => ({ removed: 0, complete: true }),
  };
}

describe('createDeletionHandler: where codes are kept by default', () => {
  let server: Started | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('should keep them in the Redis store when profiles is that store', () => {
    const codes = namedStore();
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles: sharedStoreLike(codes), statusUrl: STATUS_URL });
    expect(deletion.store).to.equal(codes);
  });

  it("should keep them in the cache's store when profiles is a ProfileCache, or a middleware over one", () => {
    const codes = namedStore();
    const cacheLike = { store: sharedStoreLike(codes), forgetBusiness: async () => ({ removed: 0, complete: true }) };
    expect(createDeletionHandler({ appSecret: APP_SECRET, profiles: cacheLike, statusUrl: STATUS_URL }).store).to.equal(codes);
    const middlewareLike = { cache: cacheLike, forgetBusiness: cacheLike.forgetBusiness };
    expect(createDeletionHandler({ appSecret: APP_SECRET, profiles: middlewareLike, statusUrl: STATUS_URL }).store).to.equal(codes);
  });

  it('should keep them in memory when there is no shared store behind profiles', () => {
    const middleware = new InstagramProfileMiddleware({ accessToken: 'token', cache: new ProfileCache() });
    for (const profiles of [recordingPurger(), middleware, { forgetBusiness: async () => undefined, cache: { store: { deletionStatuses: 'not a store' } } }]) {
      expect(createDeletionHandler({ appSecret: APP_SECRET, profiles, statusUrl: STATUS_URL }).store).to.be.instanceOf(MemoryDeletionStatusStore);
    }
  });

  it('should let the store option win over the shared store', () => {
    const shared = namedStore();
    const chosen = namedStore();
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles: sharedStoreLike(shared), statusUrl: STATUS_URL, store: chosen });
    expect(deletion.store).to.equal(chosen);
  });

  it("should use a RedisProfileStore given as store through its deletionStatuses, never its profile get/set", async () => {
    const codes = new MemoryDeletionStatusStore();
    codes.set('abc', { status: 'complete', requestedAt: 0 }, 60_000);
    const redisLike = sharedStoreLike(codes);
    expect(createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: STATUS_URL, store: redisLike }).store).to.equal(codes);
    server = await serveNode(createDeletionStatusHandler({ store: redisLike }));
    expect((await send(`${server.url}/?code=abc`, 'GET')).json()).to.include({ status: 'complete' });
  });
});
