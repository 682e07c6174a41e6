import { expect } from 'chai';
import createDebug from 'debug';
import sinon from 'sinon';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import {
  AccessTokenError,
  CircuitOpenError,
  ConsentRequiredError,
  GraphApiError,
  GraphProfileClient,
  type GraphProfileClientOptions,
  GraphRequestError,
  InstagramProfileError,
  PermissionError,
  ProfileNotFoundError,
  RateLimitError,
} from '../../src/index.js';

const TOKEN = 'EAAGm0PX4ZCpsBAtoken-under-test';
const SECRET = 'app-secret-under-test';
const FB = 'https://graph.facebook.com';
const IG = 'https://graph.instagram.com';
const IGSID = '1001';
const BUSINESS = '17841400000000001';
const NOW = Date.UTC(2026, 10, 24, 12);

const adaReply = { id: IGSID, name: 'Ada Lovelace', username: 'ada', profile_pic: 'https://scontent.cdninstagram.com/v/ada.jpg?oh=00_x&oe=6B0B33CD', follower_count: 120, is_verified_user: false, is_user_follow_business: true, is_business_follow_user: false };

describe('GraphProfileClient', () => {
  let agent: MockAgent;
  let paths: string[];

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    paths = [];
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
    sinon.restore();
  });

  const client = (options: Partial<GraphProfileClientOptions> = {}) =>
    new GraphProfileClient({ accessToken: TOKEN, dispatcher: agent, retryDelay: 0, now: () => NOW, ...options });

  /** Intercepts `times` calls and remembers the path of each call answered. */
  function reply(status: number, body: unknown, { times = 1, host = FB, headers = {} as Record<string, string> } = {}) {
    agent
      .get(host)
      .intercept({ path: () => true, method: 'GET' })
      .reply((options) => {
        paths.push(options.path);
        return { statusCode: status, data: typeof body === 'string' ? body : JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/json', ...headers } } };
      })
      .times(times);
  }

  const graphError = (code: number, extra: Record<string, unknown> = {}) => ({ error: { message: `error ${code}`, type: 'OAuthException', code, fbtrace_id: 'AbC123', ...extra } });
  const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('should have failed'), (error: unknown) => error as InstagramProfileError);

  describe('requests', () => {
    it('should GET /<version>/<igsid> with every field of the version and the token', async () => {
      reply(200, adaReply);
      const profile = await client().fetchProfile(IGSID);
      const url = new URL(`${FB}${paths[0]}`);
      expect(url.pathname).to.equal(`/v26.0/${IGSID}`);
      expect(url.searchParams.get('fields')).to.equal('name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user');
      expect(url.searchParams.get('access_token')).to.equal(TOKEN);
      expect(url.searchParams.has('appsecret_proof')).to.equal(false);
      expect(profile).to.deep.equal({ id: IGSID, name: 'Ada Lovelace', username: 'ada', profilePic: adaReply.profile_pic, followerCount: 120, isVerifiedUser: false, isUserFollowBusiness: true, isBusinessFollowUser: false });
    });

    it('should sign with appsecret_proof = HMAC-SHA256(token|time) and appsecret_time', async () => {
      reply(200, adaReply);
      await client({ appSecret: SECRET }).fetchProfile(IGSID);
      const query = new URL(`${FB}${paths[0]}`).searchParams;
      const time = Math.floor(NOW / 1000);
      expect(query.get('appsecret_time')).to.equal(String(time));
      expect(query.get('appsecret_proof')).to.equal(createHmac('sha256', SECRET).update(`${TOKEN}|${time}`).digest('hex'));
    });

    it('should work against graph.instagram.com and ask only the configured fields', async () => {
      reply(200, { id: IGSID, name: null, profile_pic: null }, { host: IG });
      const profile = await client({ graphUrl: `${IG}/`, fields: ['name', 'profile_pic'], apiVersion: 'v24.0' }).fetchProfile(IGSID);
      const url = new URL(`${IG}${paths[0]}`);
      expect([url.pathname, url.searchParams.get('fields')]).to.deep.equal(['/v24.0/1001', 'name,profile_pic']);
      expect(profile).to.deep.equal({ id: IGSID, name: null, profilePic: null });
    });

    it('should leave out fields a version lacks by default, and refuse them when asked for', () => {
      expect(client({ apiVersion: 'v13.0' }).fields).to.include('follower_count');
      expect(client({ apiVersion: 'v13.0' }).fields).to.not.include('username');
      expect(client({ apiVersion: 'v11.0' }).fields).to.deep.equal(['name', 'profile_pic']);
      expect(() => client({ apiVersion: 'v13.0', fields: ['username'] })).to.throw(RangeError, /"username".*v13\.0.*v14\.0/);
      for (const field of ['follower_count', 'is_verified_user', 'is_user_follow_business', 'is_business_follow_user'] as const) {
        expect(() => client({ apiVersion: 'v11.0', fields: [field] })).to.throw(RangeError, new RegExp(`${field}.*v11\\.0`));
      }
    });

    for (const hostile of ['../me', '1?fields=x', '1#', ' 1', '１２３', '1\n', '1'.repeat(40), '', '1/messages', '-1', '1.0']) {
      it(`should reject the IGSID ${JSON.stringify(hostile)} before any request`, async () => {
        const error = await failure(client().fetchProfile(hostile));
        expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'INVALID_IGSID' });
        expect(paths).to.have.length(0);
      });
    }

    it('should reject a business id that is not digits before any request', async () => {
      expect(await failure(client().fetchProfile(IGSID, { businessId: '../x' }))).to.include({ code: 'INVALID_BUSINESS_ID' });
    });

    it('should call the accessToken function with the business id (sync or async)', async () => {
      reply(200, adaReply, { times: 2 });
      const provider = sinon.stub().callsFake(async (businessId: string) => `token-of-${businessId}`);
      await client({ accessToken: provider }).fetchProfile(IGSID, { businessId: BUSINESS });
      await client({ accessToken: () => 'sync-token' }).fetchProfile(IGSID, { businessId: BUSINESS });
      expect(provider.firstCall.args).to.deep.equal([BUSINESS]);
      expect(paths.map((p) => new URL(`${FB}${p}`).searchParams.get('access_token'))).to.deep.equal([`token-of-${BUSINESS}`, 'sync-token']);
    });

    it('should answer AccessTokenError when the token function throws or returns nothing', async () => {
      const thrown = await failure(client({ accessToken: () => Promise.reject(new Error('vault down')) }).fetchProfile(IGSID));
      const empty = await failure(client({ accessToken: () => '' }).fetchProfile(IGSID));
      expect(thrown).to.be.instanceOf(AccessTokenError);
      expect((thrown.cause as Error).message).to.equal('vault down');
      expect(empty).to.be.instanceOf(AccessTokenError);
    });
  });

  describe('options', () => {
    const bad: Array<[Partial<GraphProfileClientOptions>, RegExp, ErrorConstructor]> = [
      [{ accessToken: '' }, /accessToken/, TypeError],
      [{ accessToken: 42 as never }, /accessToken/, TypeError],
      [{ apiVersion: '26' }, /apiVersion/, RangeError],
      [{ graphUrl: 'ftp://graph.facebook.com' }, /graphUrl/, TypeError],
      [{ graphUrl: 'https://graph.facebook.com/?x=1' }, /graphUrl/, TypeError],
      [{ graphUrl: 'not a url' }, /graphUrl/, TypeError],
      [{ fields: [] }, /fields/, TypeError],
      [{ fields: ['email' as never] }, /fields.*email/, RangeError],
      [{ timeout: 0 }, /timeout/, RangeError],
      [{ timeout: 1.5 }, /timeout/, TypeError],
      [{ retries: 11 }, /retries/, RangeError],
      [{ dispatcher: {} as never }, /dispatcher/, TypeError],
      [{ appSecret: '' }, /appSecret/, TypeError],
      [{ circuitBreaker: { threshold: 0 } }, /circuitBreaker\.threshold/, RangeError],
      [{ now: 'yesterday' as never }, /now/, TypeError],
    ];
    for (const [options, message, type] of bad) {
      it(`should refuse ${JSON.stringify(options)} naming the option`, () => {
        expect(() => client(options)).to.throw(type, message);
      });
    }

    it('should never print a token in an option error', () => {
      expect(() => client({ accessToken: { secret: TOKEN } as never })).to.throw(TypeError).with.property('message').that.does.not.include(TOKEN);
    });
  });

  describe('Graph errors', () => {
    const table: Array<[string, number, Record<string, unknown>, new (...args: never[]) => GraphApiError, string]> = [
      ['230 as HTTP 400', 400, graphError(230, { type: 'IGApiException' }), ConsentRequiredError, 'CONSENT_REQUIRED'],
      ['230 as HTTP 500 (graph.instagram.com)', 500, graphError(230, { type: 'IGApiException' }), ConsentRequiredError, 'CONSENT_REQUIRED'],
      ['9010', 400, graphError(9010), ProfileNotFoundError, 'PROFILE_NOT_FOUND'],
      ['100/33', 400, graphError(100, { error_subcode: 33 }), ProfileNotFoundError, 'PROFILE_NOT_FOUND'],
      ['100/2534014', 400, graphError(100, { error_subcode: 2534014 }), ProfileNotFoundError, 'PROFILE_NOT_FOUND'],
      ['190/463', 400, graphError(190, { error_subcode: 463 }), AccessTokenError, 'ACCESS_TOKEN_INVALID'],
      ['190/467', 401, graphError(190, { error_subcode: 467 }), AccessTokenError, 'ACCESS_TOKEN_INVALID'],
      ['102', 400, graphError(102), AccessTokenError, 'ACCESS_TOKEN_INVALID'],
      ['10', 403, graphError(10), PermissionError, 'PERMISSION_DENIED'],
      ['3', 400, graphError(3), PermissionError, 'PERMISSION_DENIED'],
      ['200/2534041', 403, graphError(200, { error_subcode: 2534041 }), PermissionError, 'PERMISSION_DENIED'],
      ['100/2534013', 400, graphError(100, { error_subcode: 2534013 }), PermissionError, 'PERMISSION_DENIED'],
      ['100 appsecret_proof', 400, graphError(100, { message: 'Invalid appsecret_proof provided in the API argument' }), PermissionError, 'PERMISSION_DENIED'],
      ['100 other', 400, graphError(100), GraphApiError, 'GRAPH_API_ERROR'],
    ];
    for (const [label, status, body, type, code] of table) {
      it(`should map ${label} to ${type.name} without retrying`, async () => {
        reply(status, body);
        const error = (await failure(client({ retries: 3 }).fetchProfile(IGSID))) as GraphApiError;
        expect(error).to.be.instanceOf(type).and.include({ code, status, graphCode: (body.error as { code: number }).code, type: (body.error as { type: string }).type, fbtraceId: 'AbC123', isTransient: false });
        expect(error.subcode).to.equal((body.error as { error_subcode?: number }).error_subcode);
        expect(paths).to.have.length(1);
      });
    }

    for (const code of [4, 17, 32, 613, 80001, 80002, 80006]) {
      it(`should map ${code} to RateLimitError and not retry it`, async () => {
        reply(400, graphError(code));
        const error = await failure(client({ retries: 3 }).fetchProfile(IGSID, { businessId: BUSINESS }));
        expect(error).to.be.instanceOf(RateLimitError).and.include({ code: 'RATE_LIMITED', graphCode: code });
        expect(paths).to.have.length(1);
      });
    }

    for (const [label, status, body] of [
      ['code 2 is_transient', 500, graphError(2, { is_transient: true })],
      ['code 1', 500, graphError(1)],
      ['code 341', 400, graphError(341)],
      ['code 368', 400, graphError(368)],
      ['any is_transient', 400, graphError(12345, { is_transient: true })],
      ['a 503 Graph error', 503, graphError(12345)],
    ] as const) {
      it(`should retry ${label} up to "retries" times`, async () => {
        reply(status, body, { times: 3 });
        const error = (await failure(client({ retries: 2 }).fetchProfile(IGSID))) as GraphApiError;
        expect(error).to.be.instanceOf(GraphApiError).and.include({ isTransient: true });
        expect(paths).to.have.length(3);
      });
    }

    it('should retry a transient failure and then return the profile', async () => {
      reply(500, graphError(2, { is_transient: true }));
      reply(200, adaReply);
      expect((await client({ retries: 1 }).fetchProfile(IGSID)).name).to.equal('Ada Lovelace');
      expect(paths).to.have.length(2);
    });

    it('should wait a full-jitter delay drawn from `random` between retries', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      reply(500, graphError(2, { is_transient: true }), { times: 2 });
      reply(200, adaReply);
      const pending = client({ retries: 2, retryDelay: 100, maxRetryDelay: 1_000, random: () => 0.5, timeout: 10_000 }).fetchProfile(IGSID);
      await clock.tickAsync(49);
      expect(paths).to.have.length(1);
      await clock.tickAsync(1);
      expect(paths).to.have.length(2);
      await clock.tickAsync(99); // second delay: 0.5 × 200 = 100
      expect(paths).to.have.length(2);
      await clock.tickAsync(1);
      expect((await pending).id).to.equal(IGSID);
    });

    it('should give up retrying when the next delay would pass the deadline', async () => {
      reply(500, graphError(2, { is_transient: true }));
      const error = await failure(client({ retries: 5, retryDelay: 5_000, random: () => 0.99, timeout: 1_000 }).fetchProfile(IGSID));
      expect(error).to.include({ isTransient: true });
      expect(paths).to.have.length(1);
    });

    it('should redact a token that Graph echoes in its message', async () => {
      reply(400, graphError(190, { message: `Malformed access token ${TOKEN}` }));
      const error = await failure(client({ appSecret: SECRET }).fetchProfile(IGSID));
      expect(error.message).to.include('[redacted]').and.not.include(TOKEN);
    });
  });

  describe('throttling', () => {
    const buc = (minutes: number) => JSON.stringify({ [BUSINESS]: [{ type: 'instagram', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: minutes }] });

    it("should not call a throttled business until Meta's estimate passes, answering at once", async () => {
      let now = NOW;
      reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc(2) } });
      reply(200, adaReply, { times: 2 });
      const graph = client({ now: () => now });
      expect(await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }))).to.include({ retryAfterMs: 120_000 });
      now += 60_000;
      const meanwhile = await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }));
      expect(meanwhile).to.be.instanceOf(RateLimitError).and.include({ retryAfterMs: 60_000, status: 0 });
      expect((await graph.fetchProfile(IGSID, { businessId: '17841400000000002' })).id).to.equal(IGSID);
      now += 60_001;
      expect((await graph.fetchProfile(IGSID, { businessId: BUSINESS })).id).to.equal(IGSID);
      expect(paths).to.have.length(3);
    });

    it('should stop every business after app-wide code 4', async () => {
      reply(400, graphError(4));
      const graph = client();
      await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }));
      const other = await failure(graph.fetchProfile(IGSID, { businessId: '17841400000000002' }));
      expect(other).to.be.instanceOf(RateLimitError);
      expect(paths).to.have.length(1);
    });

    it('should back off exponentially without a hint, and reset after a success', async () => {
      let now = NOW;
      reply(400, graphError(17), { times: 2 });
      reply(200, adaReply);
      reply(400, graphError(17));
      const graph = client({ now: () => now, rateLimitBackoff: 1_000 });
      expect(await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }))).to.include({ retryAfterMs: 1_000 });
      now += 1_001;
      expect(await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }))).to.include({ retryAfterMs: 2_000 });
      now += 2_001;
      await graph.fetchProfile(IGSID, { businessId: BUSINESS });
      expect(await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }))).to.include({ retryAfterMs: 1_000 });
    });

    it('should expose the last usage headers', async () => {
      reply(200, adaReply, { headers: { 'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}', 'x-business-use-case-usage': buc(0) } });
      const graph = client();
      await graph.fetchProfile(IGSID, { businessId: BUSINESS });
      expect(graph.usage(BUSINESS)).to.deep.include({ app: { callCount: 28, totalTime: 25, totalCpuTime: 25 }, peak: 100 });
      expect(graph.usage('999')).to.equal(undefined);
    });
  });

  describe('transport failures', () => {
    it('should retry network errors and report GRAPH_NETWORK_ERROR', async () => {
      agent.get(FB).intercept({ path: () => true }).replyWithError(new Error(`socket hang up while sending access_token=${TOKEN}`)).times(2);
      const error = await failure(client({ retries: 1 }).fetchProfile(IGSID));
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_NETWORK_ERROR', isTransient: true });
      // Both interceptors were used: afterEach asserts none is pending.
      expect(inspect(error, { depth: 10, showHidden: true })).not.to.include(TOKEN);
    });

    it('should time out with GRAPH_TIMEOUT', async () => {
      agent.get(FB).intercept({ path: () => true }).reply(200, adaReply).delay(200);
      const error = await failure(client({ timeout: 30, retries: 0 }).fetchProfile(IGSID));
      expect(error).to.include({ code: 'GRAPH_TIMEOUT', isTransient: true });
    });

    it('should stop when the caller aborts, with GRAPH_ABORTED', async () => {
      agent.get(FB).intercept({ path: () => true }).reply(200, adaReply).delay(200);
      const controller = new AbortController();
      const pending = client().fetchProfile(IGSID, { signal: controller.signal });
      controller.abort();
      expect(await failure(pending)).to.include({ code: 'GRAPH_ABORTED' });
    });
  });

  describe('malformed replies', () => {
    const cases: Array<[string, number, unknown]> = [
      ['an HTML 200', 200, '<html><body>hi</body></html>'],
      ['truncated JSON', 200, '{"name":"Ada'],
      ['an empty body', 200, ''],
      ['a 200 with an error body', 200, graphError(2)],
      ['a JSON array', 200, [adaReply]],
      ['another id', 200, { ...adaReply, id: '999' }],
      ['a numeric name', 200, { ...adaReply, name: 42 }],
      ['a non-URL picture', 200, { ...adaReply, profile_pic: 'javascript:alert(1)' }],
      ['a string follower count', 200, { ...adaReply, follower_count: '120' }],
      ['a negative follower count', 200, { ...adaReply, follower_count: -1 }],
      ['a string boolean', 200, { ...adaReply, is_user_follow_business: 'true' }],
      ['a numeric username', 200, { ...adaReply, username: 7 }],
      ['a 404 HTML page', 404, '<html>Not Found</html>'],
    ];
    for (const [label, status, body] of cases) {
      it(`should report ${label} as GRAPH_BAD_RESPONSE`, async () => {
        reply(status, body);
        const error = await failure(client({ retries: 0 }).fetchProfile(IGSID));
        expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_BAD_RESPONSE', status });
      });
    }

    it('should drop a body over maxResponseBytes', async () => {
      reply(200, JSON.stringify({ ...adaReply, name: 'x'.repeat(5_000) }));
      expect(await failure(client({ maxResponseBytes: 1_024 }).fetchProfile(IGSID))).to.include({ code: 'GRAPH_BAD_RESPONSE' });
    });

    it('should read a missing optional field as unknown, never as false', async () => {
      reply(200, { id: IGSID, name: 'Ada' });
      const profile = await client().fetchProfile(IGSID);
      expect(profile).to.deep.equal({ id: IGSID, name: 'Ada', profilePic: null });
      expect(profile).not.to.have.property('isUserFollowBusiness');
    });
  });

  describe('circuit breaker', () => {
    it('should stop calling after `threshold` failures, then let one probe through after the cool-down', async () => {
      let now = NOW;
      reply(503, graphError(1), { times: 3 });
      reply(200, adaReply);
      const graph = client({ retries: 0, now: () => now, circuitBreaker: { threshold: 3, cooldown: 10_000 } });
      for (let i = 0; i < 3; i++) await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }));
      const open = await failure(graph.fetchProfile(IGSID, { businessId: BUSINESS }));
      expect(open).to.be.instanceOf(CircuitOpenError).and.include({ code: 'CIRCUIT_OPEN', retryAfterMs: 10_000 });
      expect(paths).to.have.length(3);
      now += 10_000;
      expect((await graph.fetchProfile(IGSID, { businessId: BUSINESS })).id).to.equal(IGSID);
      expect(paths).to.have.length(4);
    });

    it('should not count answers about one person (consent, not found) as failures', async () => {
      reply(400, graphError(230), { times: 3 });
      const graph = client({ circuitBreaker: { threshold: 2, cooldown: 10_000 } });
      for (let i = 0; i < 3; i++) expect(await failure(graph.fetchProfile(IGSID))).to.be.instanceOf(ConsentRequiredError);
      expect(paths).to.have.length(3);
    });
  });

  describe('secrets', () => {
    it('should keep the token and the app secret out of every error and debug line', async () => {
      const lines: string[] = [];
      const originalLog = createDebug.log;
      const enabled = createDebug.disable();
      createDebug.enable('instagram-profile:*');
      createDebug.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
      try {
        reply(400, graphError(190, { message: `bad token ${TOKEN} for app secret ${SECRET}` }));
        reply(200, '<html>');
        agent.get(FB).intercept({ path: () => true }).replyWithError(new Error(`failed ${TOKEN} ${SECRET}`));
        const graph = client({ appSecret: SECRET, retries: 0 });
        const errors = [await failure(graph.fetchProfile(IGSID)), await failure(graph.fetchProfile(IGSID)), await failure(graph.fetchProfile(IGSID))];
        for (const error of errors) {
          for (const text of [error.message, error.stack ?? '', inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)]) {
            expect(text).not.to.include(TOKEN);
            expect(text).not.to.include(SECRET);
          }
        }
        expect(lines.length).to.be.greaterThan(3);
        for (const line of lines) expect(line).not.to.include(TOKEN).and.not.include(SECRET).and.not.include('access_token=');
      } finally {
        createDebug.log = originalLog;
        createDebug.disable();
        if (enabled) createDebug.enable(enabled);
      }
    });
  });
});
