import { expect } from 'chai';
import { CircuitOpenError, type GraphProfileClient, RateLimitError } from '../../src/index.js';
import type { RedisProfileStore, ThrottleNotice } from '../../src/redis/index.js';
import { adaReply, BUSINESS, failure, graphError, graphMock, IGSID, OTHER_BUSINESS } from '../graph/graphMock.js';
import { redisServerForSuite } from '../support/redisServer.js';
import { ioredis, storeFactory, until } from './clients.js';

const MINUTE = 60_000;
const buc = (minutes: number) =>
  JSON.stringify({ [BUSINESS]: [{ type: 'instagram', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: minutes }] });

/**
 * GraphProfileClient with `store`: a throttle or an open circuit one instance sees reaches
 * the others over the bus, and an instance that starts later reads it once. Each client has
 * its own MockAgent (no network): a call it should not make would fail as a network error.
 */
describe('GraphProfileClient with a shared store: throttles and open circuits', function () {
  this.timeout(10_000);
  const server = redisServerForSuite();
  const stores = storeFactory(ioredis, server);
  const mocks: ReturnType<typeof graphMock>[] = [];

  beforeEach(() => server().command('FLUSHALL'));
  afterEach(async () => {
    for (const mock of mocks.splice(0)) await mock.close();
    await stores.closeAll();
  });

  async function instance(options = {}, storeOptions = {}): Promise<{ client: GraphProfileClient; graph: ReturnType<typeof graphMock>; store: RedisProfileStore; heard: ThrottleNotice[] }> {
    const graph = graphMock();
    mocks.push(graph);
    const store = await stores.make(storeOptions);
    const heard: ThrottleNotice[] = [];
    store.onThrottle((notice) => heard.push(notice));
    // The store's clock and the client's must be one: both Date.now here.
    return { client: graph.client({ store, now: Date.now, retries: 0, ...options }), graph, store, heard };
  }

  it('should make no call on another instance for a business one instance saw throttled, until the estimate passes', async () => {
    const [a, b] = [await instance(), await instance()];
    a.graph.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc(5) } });
    expect(await failure(a.client.fetchProfile(IGSID, { businessId: BUSINESS }))).to.be.instanceOf(RateLimitError);
    await until(() => b.heard.length === 1, 1_000, 'the throttle on the bus');
    expect(b.heard[0]).to.include({ scope: BUSINESS, reason: 'rate-limited' });
    // Meta says 5 minutes; the bus carries it in server time, so allow the clock conversion a second.
    expect(b.heard[0]!.until - Date.now()).to.be.within(4 * MINUTE, 5 * MINUTE + 1_000);
    const held = await failure(b.client.fetchProfile(IGSID, { businessId: BUSINESS }));
    expect(held).to.be.instanceOf(RateLimitError).and.include({ status: 0 });
    // Read back through the same clock conversion: it may come out a few ms past Meta's 5 minutes (a CI run saw 300 001).
    expect((held as RateLimitError).retryAfterMs).to.be.within(4 * MINUTE, 5 * MINUTE + 1_000);
    b.graph.reply(200, adaReply);
    expect((await b.client.fetchProfile(IGSID, { businessId: OTHER_BUSINESS })).id, 'other businesses still call').to.equal(IGSID);
    expect(b.graph.paths).to.have.length(1);
  });

  it('should stop every business on every instance after an app-wide limit (code 4)', async () => {
    const [a, b] = [await instance({ rateLimitBackoff: 2 * MINUTE }), await instance()];
    a.graph.reply(400, graphError(4));
    await failure(a.client.fetchProfile(IGSID, { businessId: BUSINESS }));
    await until(() => b.heard.length === 1, 1_000, 'the throttle on the bus');
    expect(b.heard[0]).to.include({ scope: '*', reason: 'rate-limited' });
    expect(await failure(b.client.fetchProfile(IGSID, { businessId: OTHER_BUSINESS }))).to.be.instanceOf(RateLimitError);
    expect(await failure(b.client.fetchProfile(IGSID))).to.be.instanceOf(RateLimitError);
  });

  it('should read a throttle in force once when an instance starts after it began', async () => {
    const a = await instance();
    a.graph.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc(5) } });
    await failure(a.client.fetchProfile(IGSID, { businessId: BUSINESS }));
    await until(async () => (await a.store.readThrottles()).length === 1, 1_000, 'the throttle to be stored');
    const late = await instance();
    await until(async () => {
      const error = await late.client.fetchProfile(IGSID, { businessId: BUSINESS }).catch((e: unknown) => e);
      return error instanceof RateLimitError;
    }, 1_000, 'the late instance to hold its calls');
    expect(late.graph.paths).to.have.length(0);
  });

  it('should share an open circuit, and its closing', async () => {
    const breaker = { circuitBreaker: { threshold: 1, cooldown: MINUTE } };
    // A's clock jumps past its cooldown; B's stays real, so only a shared close lets B call again.
    let clockA = Date.now();
    const a = await instance({ ...breaker, now: () => clockA }, { now: () => clockA });
    const b = await instance(breaker);
    a.graph.reply(500, graphError(2, { is_transient: true }));
    await failure(a.client.fetchProfile(IGSID, { businessId: BUSINESS }));
    await until(() => b.heard.length === 1, 1_000, 'the open circuit on the bus');
    expect(b.heard[0]).to.include({ scope: BUSINESS, reason: 'circuit-open' });
    expect(await failure(b.client.fetchProfile(IGSID, { businessId: BUSINESS }))).to.be.instanceOf(CircuitOpenError);
    clockA += MINUTE + 1;
    a.graph.reply(200, adaReply);
    expect((await a.client.fetchProfile(IGSID, { businessId: BUSINESS })).id, "A's probe").to.equal(IGSID);
    await until(() => b.heard.length === 2, 1_000, 'the closing on the bus');
    expect(b.heard[1]).to.include({ scope: BUSINESS, reason: 'circuit-open', until: 0 });
    b.graph.reply(200, adaReply);
    expect((await b.client.fetchProfile(IGSID, { businessId: BUSINESS })).id).to.equal(IGSID);
  });
});
