import { expect } from 'chai';
import { CircuitOpenError, ConsentRequiredError, GraphApiError, ProfileNotFoundError, RateLimitError } from '../../src/index.js';
import { BUSINESS, IGSID, NOW, OTHER_BUSINESS, TOKEN, adaReply, failure, graphError, graphMock } from './graphMock.js';

const MINUTE = 60_000;
const usageEntry = (minutes: number, callCount = 100) => ({ type: 'instagram', call_count: callCount, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: minutes });
const buc = (minutes: number, business = BUSINESS) => JSON.stringify({ [business]: [usageEntry(minutes)] });

describe('GraphProfileClient throttling', () => {
  let graph: ReturnType<typeof graphMock>;
  let now: number;
  const client = (options = {}) => graph.client({ now: () => now, ...options });
  const read = (c: ReturnType<typeof client>, businessId?: string) => c.fetchProfile(IGSID, { businessId });

  beforeEach(() => {
    graph = graphMock();
    now = NOW;
  });

  afterEach(async () => {
    await graph.close();
  });

  describe('after a rate-limit error', () => {
    it("should make no call for that business until Meta's estimate passes, answering at once", async () => {
      graph.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc(2) } });
      graph.reply(200, adaReply);
      const c = client();
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(RateLimitError).and.include({ retryAfterMs: 2 * MINUTE, graphCode: 80002 });
      for (const elapsed of [1, MINUTE, 2 * MINUTE - 1]) {
        now = NOW + elapsed;
        const meanwhile = await failure(read(c, BUSINESS));
        expect(meanwhile).to.be.instanceOf(RateLimitError).and.include({ code: 'RATE_LIMITED', retryAfterMs: 2 * MINUTE - elapsed, status: 0, graphCode: 80002, isTransient: false });
      }
      expect(graph.paths).to.have.length(1);
      now = NOW + 2 * MINUTE;
      expect((await read(c, BUSINESS)).id).to.equal(IGSID);
      expect(graph.paths).to.have.length(2);
    });

    it('should leave other businesses unaffected by one business being throttled', async () => {
      graph.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc(2) } });
      graph.reply(200, adaReply, { times: 2 });
      const c = client();
      await failure(read(c, BUSINESS));
      expect((await read(c, OTHER_BUSINESS)).id).to.equal(IGSID);
      expect((await read(c)).id).to.equal(IGSID);
      expect(graph.paths).to.have.length(3);
    });

    it("should use the longest of the business's own estimates", async () => {
      const header = JSON.stringify({ [BUSINESS]: [usageEntry(3), usageEntry(7)] });
      graph.reply(400, graphError(32), { headers: { 'x-business-use-case-usage': header } });
      expect(await failure(read(client(), BUSINESS))).to.include({ retryAfterMs: 7 * MINUTE });
    });

    it("should wait the throttled business's own estimate, not another key's longer one", async () => {
      const header = JSON.stringify({ [BUSINESS]: [usageEntry(2)], [OTHER_BUSINESS]: [usageEntry(45)] });
      graph.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': header } });
      expect(await failure(read(client(), BUSINESS))).to.include({ retryAfterMs: 2 * MINUTE });
    });

    it('should fall back to the longest estimate when the header keys another id (the Page, with Facebook Login)', async () => {
      const header = JSON.stringify({ '101112131415': [usageEntry(4), usageEntry(9)] });
      graph.reply(400, graphError(32), { headers: { 'x-business-use-case-usage': header } });
      expect(await failure(read(client(), BUSINESS))).to.include({ retryAfterMs: 9 * MINUTE });
    });

    it('should block every business, and calls without one, after app-wide code 4', async () => {
      graph.reply(400, graphError(4));
      graph.reply(200, adaReply, { times: 2 });
      const c = client({ rateLimitBackoff: 10_000 });
      await failure(read(c, BUSINESS));
      for (const businessId of [BUSINESS, OTHER_BUSINESS, undefined]) {
        expect(await failure(read(c, businessId))).to.be.instanceOf(RateLimitError).and.include({ graphCode: 4, retryAfterMs: 10_000 });
      }
      expect(graph.paths).to.have.length(1);
      now += 10_000;
      await read(c, OTHER_BUSINESS);
      await read(c, BUSINESS);
      expect(graph.paths).to.have.length(3);
    });

    it('should double the backoff on repeated throttles without a hint, and reset it after a success', async () => {
      graph.reply(400, graphError(17), { times: 3 });
      graph.reply(200, adaReply);
      graph.reply(400, graphError(17));
      const c = client({ rateLimitBackoff: 1_000 });
      for (const wait of [1_000, 2_000, 4_000]) {
        expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: wait });
        now += wait;
      }
      await read(c, BUSINESS);
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 1_000 });
      expect(graph.paths).to.have.length(5);
    });

    it('should keep each business its own backoff progression', async () => {
      graph.reply(400, graphError(80002), { times: 3 });
      const c = client({ rateLimitBackoff: 1_000 });
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 1_000 });
      now += 1_000;
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 2_000 });
      expect(await failure(read(c, OTHER_BUSINESS))).to.include({ retryAfterMs: 1_000 });
    });

    it('should cap the backoff at one hour', async () => {
      graph.reply(400, graphError(613), { times: 2 });
      const c = client({ rateLimitBackoff: 3_600_000 });
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 3_600_000 });
      now += 3_600_000;
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 3_600_000 });
    });

    it('should not name the token in the error answered while throttled', async () => {
      graph.reply(400, graphError(80002, { message: `limit reached for ${TOKEN}` }));
      const c = client();
      await failure(read(c, BUSINESS));
      const meanwhile = await failure(read(c, BUSINESS));
      expect(meanwhile.message).to.include(BUSINESS).and.not.include(TOKEN);
    });
  });

  describe('usage()', () => {
    const appUsage = '{"call_count":28,"total_time":25,"total_cputime":91}';

    it('should expose the parsed usage headers of the last reply, per business', async () => {
      graph.reply(200, adaReply, { headers: { 'x-app-usage': appUsage, 'x-business-use-case-usage': buc(0) } });
      const c = client();
      expect(c.usage(BUSINESS)).to.equal(undefined);
      await read(c, BUSINESS);
      expect(c.usage(BUSINESS)).to.deep.include({
        app: { callCount: 28, totalTime: 25, totalCpuTime: 91 },
        business: [{ businessId: BUSINESS, type: 'instagram', callCount: 100, totalTime: 30, totalCpuTime: 20, estimatedTimeToRegainAccessMinutes: 0 }],
        peak: 100,
        at: NOW,
      });
      expect(c.usage(OTHER_BUSINESS)).to.equal(undefined);
      expect(c.usage()).to.equal(undefined);
    });

    it('should keep the usage of calls without a business id apart', async () => {
      graph.reply(200, adaReply, { headers: { 'x-app-usage': appUsage } });
      const c = client();
      await read(c);
      expect(c.usage()).to.deep.include({ app: { callCount: 28, totalTime: 25, totalCpuTime: 91 }, business: [], peak: 91 });
      expect(c.usage(BUSINESS)).to.equal(undefined);
    });

    it('should follow the headers as they change', async () => {
      graph.reply(200, adaReply, { headers: { 'x-app-usage': appUsage } });
      graph.reply(200, adaReply, { headers: { 'x-app-usage': appUsage } });
      graph.reply(200, adaReply, { headers: { 'x-app-usage': '{"call_count":50,"total_time":1,"total_cputime":1}' } });
      const c = client();
      await read(c, BUSINESS);
      now += 1_000;
      await read(c, BUSINESS);
      expect(c.usage(BUSINESS)?.peak).to.equal(91);
      await read(c, BUSINESS);
      expect(c.usage(BUSINESS)).to.deep.include({ peak: 50, app: { callCount: 50, totalTime: 1, totalCpuTime: 1 } });
    });

    it('should survive malformed usage headers, and a profile still arrives', async () => {
      graph.reply(200, adaReply, { headers: { 'x-app-usage': '{not json', 'x-business-use-case-usage': '[1,2]' } });
      const c = client();
      expect((await read(c, BUSINESS)).id).to.equal(IGSID);
      expect(c.usage(BUSINESS)).to.deep.include({ app: undefined, business: [], peak: 0 });
    });
  });

  describe('circuit breaker', () => {
    const breaker = (threshold: number) => client({ retries: 0, circuitBreaker: { threshold, cooldown: 10_000 } });

    it('should stop calling after `threshold` failures, then let one probe through after the cool-down', async () => {
      graph.reply(503, graphError(1), { times: 3 });
      graph.reply(200, adaReply, { times: 2 });
      const c = breaker(3);
      for (let i = 0; i < 3; i++) await failure(read(c, BUSINESS));
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError).and.include({ code: 'CIRCUIT_OPEN', retryAfterMs: 10_000 });
      now += 4_000;
      expect(await failure(read(c, BUSINESS))).to.include({ retryAfterMs: 6_000 });
      expect(graph.paths).to.have.length(3);
      now += 6_000;
      await read(c, BUSINESS);
      await read(c, BUSINESS); // closed again: no more waiting
      expect(graph.paths).to.have.length(5);
    });

    it('should reopen the circuit when the probe fails', async () => {
      graph.reply(503, graphError(1), { times: 2 });
      const c = breaker(1);
      await failure(read(c, BUSINESS));
      now += 10_000;
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(GraphApiError).and.include({ graphCode: 1 });
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError).and.include({ retryAfterMs: 10_000 });
      expect(graph.paths).to.have.length(2);
    });

    it('should free the probe slot when the probe is aborted, and not close the circuit on it', async () => {
      graph.reply(503, graphError(1), { times: 2 });
      graph.reply(200, adaReply, { delay: 200 });
      graph.reply(503, graphError(1));
      const c = breaker(2);
      await failure(read(c, BUSINESS));
      await failure(read(c, BUSINESS));
      now += 10_000;
      const controller = new AbortController(); // the caller's signal, or the cache's on forget()
      const probe = failure(c.fetchProfile(IGSID, { businessId: BUSINESS, signal: controller.signal }));
      setTimeout(() => controller.abort(), 20);
      expect(await probe).to.include({ code: 'GRAPH_ABORTED' });
      // The slot is free: the next call is the probe. It fails, and the circuit, never closed, opens again.
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(GraphApiError).and.include({ graphCode: 1 });
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError).and.include({ retryAfterMs: 10_000 });
      expect(graph.paths).to.have.length(4);
    });

    it('should reopen the circuit when the probe times out in a hanging accessToken function, and free the slot', async () => {
      graph.reply(503, graphError(1));
      graph.reply(200, adaReply);
      let hang = false;
      const provider = () => (hang ? new Promise<string>(() => {}) : TOKEN);
      const c = client({ accessToken: provider, retries: 0, timeout: 50, circuitBreaker: { threshold: 1, cooldown: 10_000 } });
      await failure(read(c, BUSINESS));
      now += 10_000;
      hang = true;
      expect(await failure(read(c, BUSINESS))).to.include({ code: 'GRAPH_TIMEOUT' });
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError).and.include({ retryAfterMs: 10_000 });
      now += 10_000;
      hang = false;
      expect((await read(c, BUSINESS)).id).to.equal(IGSID); // a real success closes it
      expect(graph.paths).to.have.length(2);
    });

    it('should close the circuit only on a real success, not on a rate limit', async () => {
      graph.reply(503, graphError(1), { times: 2 });
      graph.reply(400, graphError(80002));
      graph.reply(503, graphError(1));
      const c = client({ retries: 0, rateLimitBackoff: 1_000, circuitBreaker: { threshold: 2, cooldown: 10_000 } });
      await failure(read(c, BUSINESS));
      await failure(read(c, BUSINESS));
      now += 10_000;
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(RateLimitError);
      now += 1_000; // the throttle has passed; the circuit was not closed by it
      expect(await failure(read(c, BUSINESS))).to.include({ graphCode: 1 });
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError);
    });

    it('should keep one circuit per business', async () => {
      graph.reply(503, graphError(1));
      graph.reply(200, adaReply);
      const c = breaker(1);
      await failure(read(c, BUSINESS));
      expect((await read(c, OTHER_BUSINESS)).id).to.equal(IGSID);
    });

    it('should count garbage replies as failures', async () => {
      graph.reply(200, '<html>', { times: 2 });
      const c = breaker(2);
      await failure(read(c, BUSINESS));
      await failure(read(c, BUSINESS));
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError);
    });

    for (const [label, body, type] of [
      ['no consent', graphError(230), ConsentRequiredError],
      ['not found', graphError(9010), ProfileNotFoundError],
    ] as const) {
      it(`should not count answers about one person (${label}) as failures`, async () => {
        graph.reply(400, body, { times: 3 });
        const c = breaker(2);
        for (let i = 0; i < 3; i++) expect(await failure(read(c, BUSINESS))).to.be.instanceOf(type);
        expect(graph.paths).to.have.length(3);
      });
    }

    it('should never open when turned off', async () => {
      graph.reply(503, graphError(1), { times: 8 });
      const c = client({ retries: 0, circuitBreaker: false });
      for (let i = 0; i < 8; i++) expect(await failure(read(c, BUSINESS))).not.to.be.instanceOf(CircuitOpenError);
      expect(graph.paths).to.have.length(8);
    });

    it('should open after five failures by default', async () => {
      graph.reply(503, graphError(1), { times: 5 });
      const c = client({ retries: 0 });
      for (let i = 0; i < 5; i++) await failure(read(c, BUSINESS));
      expect(await failure(read(c, BUSINESS))).to.be.instanceOf(CircuitOpenError).and.include({ retryAfterMs: 30_000 });
    });
  });
});
