import { expect } from 'chai';
import sinon from 'sinon';
import {
  AccessTokenError,
  ConsentRequiredError,
  GraphApiError,
  GraphRequestError,
  PermissionError,
  ProfileNotFoundError,
  RateLimitError,
} from '../../src/index.js';
import { BUSINESS, FB, IGSID, adaReply, failure, graphError, graphMock } from './graphMock.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Row {
  label: string;
  status: number;
  body: { error: Record<string, unknown> };
  type: ErrorClass;
  code: string;
  transient: boolean;
}

const row = (label: string, status: number, body: Row['body'], type: ErrorClass, code: string, transient = false): Row => ({ label, status, body, type, code, transient });
const ig = { type: 'IGApiException' };

/** Every error class of the reference, as Graph sends it. */
const TABLE: Row[] = [
  row('230 as HTTP 400', 400, graphError(230, ig), ConsentRequiredError, 'CONSENT_REQUIRED'),
  row('230 as HTTP 500 (graph.instagram.com)', 500, graphError(230, ig), ConsentRequiredError, 'CONSENT_REQUIRED'),
  row('230 as HTTP 500 marked is_transient', 500, graphError(230, { ...ig, is_transient: true }), ConsentRequiredError, 'CONSENT_REQUIRED'),
  row('9010', 400, graphError(9010, ig), ProfileNotFoundError, 'PROFILE_NOT_FOUND'),
  row('9010 as HTTP 500', 500, graphError(9010, ig), ProfileNotFoundError, 'PROFILE_NOT_FOUND'),
  row('100/33', 400, graphError(100, { type: 'GraphMethodException', error_subcode: 33 }), ProfileNotFoundError, 'PROFILE_NOT_FOUND'),
  row('100/2534014', 400, graphError(100, { error_subcode: 2534014 }), ProfileNotFoundError, 'PROFILE_NOT_FOUND'),
  row('190/463', 400, graphError(190, { error_subcode: 463 }), AccessTokenError, 'ACCESS_TOKEN_INVALID'),
  row('190/467', 401, graphError(190, { error_subcode: 467 }), AccessTokenError, 'ACCESS_TOKEN_INVALID'),
  row('190 as HTTP 500', 500, graphError(190), AccessTokenError, 'ACCESS_TOKEN_INVALID'),
  row('102', 400, graphError(102), AccessTokenError, 'ACCESS_TOKEN_INVALID'),
  row('10', 403, graphError(10), PermissionError, 'PERMISSION_DENIED'),
  row('3', 400, graphError(3), PermissionError, 'PERMISSION_DENIED'),
  row('200/2534041', 403, graphError(200, { error_subcode: 2534041 }), PermissionError, 'PERMISSION_DENIED'),
  row('299', 403, graphError(299), PermissionError, 'PERMISSION_DENIED'),
  row('100/2534013', 400, graphError(100, { error_subcode: 2534013 }), PermissionError, 'PERMISSION_DENIED'),
  row('100 about appsecret_proof', 400, graphError(100, { message: 'Invalid appsecret_proof provided in the API argument' }), PermissionError, 'PERMISSION_DENIED'),
  row('100 with another message', 400, graphError(100, { message: 'Invalid parameter' }), GraphApiError, 'GRAPH_API_ERROR'),
  row('4', 400, graphError(4), RateLimitError, 'RATE_LIMITED'),
  row('17', 400, graphError(17), RateLimitError, 'RATE_LIMITED'),
  row('32', 400, graphError(32), RateLimitError, 'RATE_LIMITED'),
  row('613/1996', 400, graphError(613, { error_subcode: 1996 }), RateLimitError, 'RATE_LIMITED'),
  row('80001', 400, graphError(80001), RateLimitError, 'RATE_LIMITED'),
  row('80002', 400, graphError(80002), RateLimitError, 'RATE_LIMITED'),
  row('80006', 400, graphError(80006), RateLimitError, 'RATE_LIMITED'),
  row('a rate limit as HTTP 500', 500, graphError(80002), RateLimitError, 'RATE_LIMITED'),
  row('2 with is_transient', 500, graphError(2, { is_transient: true }), GraphApiError, 'GRAPH_API_ERROR', true),
  row('1', 500, graphError(1), GraphApiError, 'GRAPH_API_ERROR', true),
  row('1 as HTTP 400', 400, graphError(1), GraphApiError, 'GRAPH_API_ERROR', true),
  row('341', 400, graphError(341), GraphApiError, 'GRAPH_API_ERROR', true),
  row('368', 400, graphError(368), GraphApiError, 'GRAPH_API_ERROR', true),
  row('an unknown code with is_transient', 400, graphError(12345, { is_transient: true }), GraphApiError, 'GRAPH_API_ERROR', true),
  row('an unknown code as HTTP 503', 503, graphError(12345), GraphApiError, 'GRAPH_API_ERROR', true),
  row('an unknown code as HTTP 400', 400, graphError(12345), GraphApiError, 'GRAPH_API_ERROR'),
];

const RETRIES = 3;

describe('GraphProfileClient errors', () => {
  let graph: ReturnType<typeof graphMock>;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    sinon.restore();
    await graph.close();
  });

  describe('classification', () => {
    for (const { label, status, body, type, code, transient } of TABLE) {
      const calls = transient ? RETRIES + 1 : 1;
      it(`should map ${label} to ${type.name} with Graph's fields, in ${calls} call${calls > 1 ? 's' : ''}`, async () => {
        graph.reply(status, body, { times: calls });
        const error = (await failure(graph.client({ retries: RETRIES }).fetchProfile(IGSID, { businessId: BUSINESS }))) as GraphApiError;
        expect(error).to.be.instanceOf(type);
        expect(error.constructor).to.equal(type); // the most specific class, not a parent
        expect(error).to.include({
          code,
          status,
          graphCode: body.error.code,
          subcode: body.error.error_subcode,
          type: body.error.type,
          fbtraceId: 'AbC123',
          isTransient: transient,
        });
        expect(error.message).to.include(String(body.error.code)).and.include(`HTTP ${status}`);
        expect(graph.paths).to.have.length(calls);
      });
    }

    it("should keep Graph's error_user_msg as userMessage", async () => {
      graph.reply(400, graphError(10, { error_user_msg: 'Turn on message access', error_user_title: 'Access' }));
      expect(await failure(graph.client().fetchProfile(IGSID))).to.include({ userMessage: 'Turn on message access' });
    });

    it('should report a rate limit with the wait before the next call', async () => {
      graph.reply(400, graphError(80002));
      const error = await failure(graph.client({ rateLimitBackoff: 5_000 }).fetchProfile(IGSID, { businessId: BUSINESS }));
      expect(error).to.be.instanceOf(RateLimitError).and.include({ retryAfterMs: 5_000 });
    });

    for (const [label, status, body] of [
      ['a plain 500 HTML page', 500, '<html><body>Internal Server Error</body></html>'],
      ['a 502 with an empty body', 502, ''],
      ['a 503 JSON without an error envelope', 503, '{"status":"down"}'],
    ] as const) {
      it(`should report ${label} as a transient GRAPH_BAD_RESPONSE, retried`, async () => {
        graph.reply(status, body, { times: RETRIES + 1 });
        const error = await failure(graph.client({ retries: RETRIES }).fetchProfile(IGSID));
        expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_BAD_RESPONSE', status, isTransient: true });
        expect(graph.paths).to.have.length(RETRIES + 1);
      });
    }

    it('should report a 404 HTML page as GRAPH_BAD_RESPONSE without retrying', async () => {
      graph.reply(404, '<html>Not Found</html>');
      const error = await failure(graph.client({ retries: RETRIES }).fetchProfile(IGSID));
      expect(error).to.include({ code: 'GRAPH_BAD_RESPONSE', status: 404, isTransient: false });
      expect(graph.paths).to.have.length(1);
    });
  });

  describe('retries', () => {
    it('should retry a transient failure and then return the profile', async () => {
      graph.reply(500, graphError(2, { is_transient: true }));
      graph.reply(200, adaReply);
      expect((await graph.client({ retries: 1 }).fetchProfile(IGSID)).name).to.equal('Ada Lovelace');
      expect(graph.paths).to.have.length(2);
    });

    it('should make exactly one call when retries is 0', async () => {
      graph.reply(500, graphError(2, { is_transient: true }));
      expect(await failure(graph.client({ retries: 0 }).fetchProfile(IGSID))).to.include({ isTransient: true });
      expect(graph.paths).to.have.length(1);
    });

    it('should stop retrying at the first failure that is not transient', async () => {
      graph.reply(503, graphError(1));
      graph.reply(500, graphError(230, ig));
      expect(await failure(graph.client({ retries: 5 }).fetchProfile(IGSID))).to.be.instanceOf(ConsentRequiredError);
      expect(graph.paths).to.have.length(2);
    });

    it('should answer the last failure once the retries are spent', async () => {
      graph.reply(503, graphError(1), { times: 2 });
      graph.reply(500, graphError(2, { is_transient: true, fbtrace_id: 'last' }));
      expect(await failure(graph.client({ retries: 2 }).fetchProfile(IGSID))).to.include({ graphCode: 2, fbtraceId: 'last' });
      expect(graph.paths).to.have.length(3);
    });

    it('should wait a full-jitter delay drawn from `random`, doubling per retry', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const random = sinon.stub().returns(0.5);
      graph.reply(500, graphError(2, { is_transient: true }), { times: 2 });
      graph.reply(200, adaReply);
      const pending = graph.client({ retries: 2, retryDelay: 100, maxRetryDelay: 1_000, random, timeout: 10_000 }).fetchProfile(IGSID);
      await clock.tickAsync(49); // first delay: 0.5 × 100 = 50
      expect(graph.paths).to.have.length(1);
      await clock.tickAsync(1);
      expect(graph.paths).to.have.length(2);
      await clock.tickAsync(99); // second delay: 0.5 × 200 = 100
      expect(graph.paths).to.have.length(2);
      await clock.tickAsync(1);
      expect((await pending).id).to.equal(IGSID);
      expect(random.callCount).to.equal(2);
    });

    it('should cap each delay at maxRetryDelay', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      graph.reply(500, graphError(2, { is_transient: true }));
      graph.reply(200, adaReply);
      const pending = graph.client({ retries: 1, retryDelay: 5_000, maxRetryDelay: 300, random: () => 0.999, timeout: 10_000 }).fetchProfile(IGSID);
      await clock.tickAsync(298);
      expect(graph.paths).to.have.length(1);
      await clock.tickAsync(1); // floor(0.999 × 300) = 299
      expect(graph.paths).to.have.length(2);
      await pending;
    });

    it('should retry at once when `random` draws 0', async () => {
      graph.reply(500, graphError(2, { is_transient: true }), { times: 2 });
      graph.reply(200, adaReply);
      await graph.client({ retries: 2, retryDelay: 60_000, random: () => 0 }).fetchProfile(IGSID);
      expect(graph.paths).to.have.length(3);
    });

    it('should give up retrying when the next delay would pass the deadline', async () => {
      graph.reply(500, graphError(2, { is_transient: true }));
      const error = await failure(graph.client({ retries: 5, retryDelay: 5_000, random: () => 0.99, timeout: 1_000 }).fetchProfile(IGSID));
      expect(error).to.include({ isTransient: true, graphCode: 2 });
      expect(graph.paths).to.have.length(1);
    });
  });

  describe('deadline and abort', () => {
    it('should time out one slow call with GRAPH_TIMEOUT', async () => {
      graph.reply(200, adaReply, { delay: 2_000 });
      const startedAt = performance.now();
      const error = await failure(graph.client({ timeout: 30, retries: 0 }).fetchProfile(IGSID));
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_TIMEOUT', isTransient: true, status: undefined });
      expect(error.message).to.include('30 ms');
      expect(performance.now() - startedAt).to.be.lessThan(1_000);
    });

    it('should apply the timeout to the whole call, retries included', async () => {
      // Each attempt answers a transient error after 200 ms and is retried at once: two would take
      // 400 ms. The 300 ms deadline falls 100 ms into the second, far from any attempt's end, so a
      // loaded machine's late timers cannot turn it into "no time left to retry" (the last error).
      graph.agent.get(FB).intercept({ path: () => true }).reply(() => {
        graph.paths.push('attempt');
        return { statusCode: 503, data: JSON.stringify(graphError(1)) };
      }).delay(200).persist();
      const error = await failure(graph.client({ timeout: 300, retries: 10, random: () => 0 }).fetchProfile(IGSID));
      expect(error).to.include({ code: 'GRAPH_TIMEOUT' });
      expect(graph.paths).to.have.length(2); // retried, then cut short by the one deadline
    });

    it('should stop when the caller aborts during a call, with GRAPH_ABORTED', async () => {
      graph.reply(200, adaReply, { delay: 200 });
      const controller = new AbortController();
      const pending = graph.client().fetchProfile(IGSID, { signal: controller.signal });
      setImmediate(() => controller.abort());
      const error = await failure(pending);
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_ABORTED', isTransient: false });
    });

    it('should answer GRAPH_ABORTED at once for a signal that is already aborted', async () => {
      const error = await failure(graph.client().fetchProfile(IGSID, { signal: AbortSignal.abort() }));
      expect(error).to.include({ code: 'GRAPH_ABORTED' });
      expect(graph.paths).to.have.length(0);
    });

    it('should stop when the caller aborts during a retry wait, with GRAPH_ABORTED and no further call', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      graph.reply(500, graphError(2, { is_transient: true }));
      const controller = new AbortController();
      const pending = graph.client({ retries: 2, retryDelay: 1_000, random: () => 0.5, timeout: 10_000 }).fetchProfile(IGSID, { signal: controller.signal });
      await clock.tickAsync(100);
      expect(graph.paths).to.have.length(1);
      controller.abort();
      const error = await failure(pending);
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_ABORTED' });
      await clock.tickAsync(10_000);
      expect(graph.paths).to.have.length(1);
    });

    it('should not count a caller abort as an outage for the circuit breaker', async () => {
      graph.reply(500, graphError(2, { is_transient: true }));
      graph.reply(200, adaReply);
      const client = graph.client({ retries: 1, retryDelay: 1_000, random: () => 0.5, circuitBreaker: { threshold: 1, cooldown: 60_000 } });
      const controller = new AbortController();
      const pending = client.fetchProfile(IGSID, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      expect(await failure(pending)).to.include({ code: 'GRAPH_ABORTED' });
      expect((await client.fetchProfile(IGSID)).id).to.equal(IGSID);
    });
  });

  describe('network errors', () => {
    it('should retry a network error and report GRAPH_NETWORK_ERROR once retries are spent', async () => {
      graph.agent.get(FB).intercept({ path: () => true }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).times(3);
      const error = await failure(graph.client({ retries: 2 }).fetchProfile(IGSID));
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_NETWORK_ERROR', isTransient: true, status: undefined });
      expect(error.message).to.include('ECONNRESET').and.include('socket hang up');
      expect((error.cause as Error).message).to.equal('socket hang up');
      // All three interceptors were used: afterEach asserts none is pending.
    });

    it('should return the profile when a retry after a network error succeeds', async () => {
      graph.agent.get(FB).intercept({ path: () => true }).replyWithError(new Error('ECONNREFUSED'));
      graph.reply(200, adaReply);
      expect((await graph.client({ retries: 1 }).fetchProfile(IGSID)).id).to.equal(IGSID);
    });
  });
});
