import { expect } from 'chai';
import sinon from 'sinon';
import { createHmac } from 'node:crypto';
import { AccessTokenError, GraphProfileClient, type GraphProfileClientOptions, InstagramProfileError, LATEST_API_VERSION } from '../../src/index.js';
import { ALL_FIELDS, BUSINESS, FB, IG, IGSID, NOW, SECRET, TOKEN, adaReply, failure, graphMock, urlForms } from './graphMock.js';

/** Independent of src/: the proof as Meta documents it. */
const expectedProof = (token: string, time: number) => createHmac('sha256', SECRET).update(`${token}|${time}`).digest('hex');

describe('GraphProfileClient', () => {
  let graph: ReturnType<typeof graphMock>;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    sinon.restore();
    await graph.close();
  });

  describe('requests', () => {
    it('should GET /<version>/<igsid> with every field of the version, the token in the Authorization header only', async () => {
      graph.reply(200, adaReply);
      const profile = await graph.client().fetchProfile(IGSID);
      const url = new URL(`${FB}${graph.paths[0]}`);
      expect(url.pathname).to.equal(`/${LATEST_API_VERSION}/${IGSID}`);
      expect(url.searchParams.get('fields')).to.equal(ALL_FIELDS);
      expect(graph.bearer()).to.equal(TOKEN);
      expect(url.searchParams.has('access_token')).to.equal(false);
      for (const form of urlForms(TOKEN)) expect(graph.paths[0]).not.to.include(form);
      expect(url.searchParams.has('appsecret_proof')).to.equal(false);
      expect(url.searchParams.has('appsecret_time')).to.equal(false);
      expect(profile).to.deep.equal({
        id: IGSID,
        name: 'Ada Lovelace',
        username: 'ada',
        profilePic: adaReply.profile_pic,
        followerCount: 120,
        isVerifiedUser: false,
        isUserFollowBusiness: true,
        isBusinessFollowUser: false,
      });
    });

    it('should sign with appsecret_proof = HMAC-SHA256(token|time) and appsecret_time from `now`', async () => {
      graph.reply(200, adaReply, { times: 2 });
      let now = NOW + 999;
      const client = graph.client({ appSecret: SECRET, now: () => now });
      await client.fetchProfile(IGSID);
      now += 61_000;
      await client.fetchProfile(IGSID);
      const times = [0, 1].map((n) => Number(graph.query(n).get('appsecret_time')));
      expect(times).to.deep.equal([Math.floor((NOW + 999) / 1000), Math.floor((NOW + 61_999) / 1000)]);
      expect(graph.query(0).get('appsecret_proof')).to.equal(expectedProof(TOKEN, times[0]!));
      expect(graph.query(1).get('appsecret_proof')).to.equal(expectedProof(TOKEN, times[1]!));
    });

    it('should sign with the token the accessToken function returned', async () => {
      graph.reply(200, adaReply);
      await graph.client({ appSecret: SECRET, accessToken: async () => 'rotated-token' }).fetchProfile(IGSID, { businessId: BUSINESS });
      expect(graph.query().get('appsecret_proof')).to.equal(expectedProof('rotated-token', Math.floor(NOW / 1000)));
    });

    it('should read from graph.instagram.com with every field by default', async () => {
      graph.reply(200, adaReply, { host: IG });
      const client = graph.client({ graphUrl: IG });
      expect(client.graphUrl).to.equal(IG);
      expect((await client.fetchProfile(IGSID)).username).to.equal('ada');
      const url = new URL(`${IG}${graph.paths[0]}`);
      expect([url.pathname, url.searchParams.get('fields')]).to.deep.equal([`/${LATEST_API_VERSION}/${IGSID}`, ALL_FIELDS]);
    });

    it('should ask only the configured fields, once each and in the given order', async () => {
      graph.reply(200, { id: IGSID, name: null, profile_pic: null }, { host: IG });
      const client = graph.client({ graphUrl: `${IG}/`, fields: ['profile_pic', 'name', 'profile_pic'], apiVersion: 'v24.0' });
      const profile = await client.fetchProfile(IGSID);
      const url = new URL(`${IG}${graph.paths[0]}`);
      expect([url.pathname, url.searchParams.get('fields')]).to.deep.equal([`/v24.0/${IGSID}`, 'profile_pic,name']);
      expect(client.fields).to.deep.equal(['profile_pic', 'name']);
      expect(profile).to.deep.equal({ id: IGSID, name: null, profilePic: null });
    });

    it('should keep a path prefix of graphUrl (an emulator behind a proxy)', async () => {
      graph.reply(200, adaReply, { host: 'http://127.0.0.1:9' });
      await graph.client({ graphUrl: 'http://127.0.0.1:9/graph/' }).fetchProfile(IGSID);
      expect(graph.paths[0]).to.match(new RegExp(`^/graph/${LATEST_API_VERSION}/${IGSID}\\?`));
    });

    it('should ask a version only for the fields it has', () => {
      expect(graph.client().apiVersion).to.equal(LATEST_API_VERSION);
      expect(graph.client({ apiVersion: 'v11.0' }).fields).to.deep.equal(['name', 'profile_pic']);
      expect(graph.client({ apiVersion: 'v12.0' }).fields).to.deep.equal(['name', 'profile_pic', 'follower_count', 'is_verified_user', 'is_user_follow_business', 'is_business_follow_user']);
      expect(graph.client({ apiVersion: 'v13.0' }).fields).to.not.include('username');
      expect(graph.client({ apiVersion: 'v14.0' }).fields.join(',')).to.equal(ALL_FIELDS);
    });

    it('should refuse username before v14.0, naming the field and the version', () => {
      expect(() => graph.client({ apiVersion: 'v13.0', fields: ['name', 'username'] })).to.throw(RangeError, /"username".*v13\.0.*v14\.0/);
      expect(graph.client({ apiVersion: 'v14.0', fields: ['username'] }).fields).to.deep.equal(['username']);
    });

    for (const field of ['follower_count', 'is_verified_user', 'is_user_follow_business', 'is_business_follow_user'] as const) {
      it(`should refuse ${field} before v12.0, naming the field and the version`, () => {
        expect(() => graph.client({ apiVersion: 'v11.0', fields: [field] })).to.throw(RangeError, new RegExp(`"${field}".*v11\\.0.*v12\\.0`));
        expect(graph.client({ apiVersion: 'v12.0', fields: [field] }).fields).to.deep.equal([field]);
      });
    }
  });

  describe('hostile IGSIDs', () => {
    const hostile = ['../me', '1?x=1', '1?fields=x', '1#', ' 1', '1 ', '１２３', '1\n', '1'.repeat(40), '1'.repeat(33), '', '1/messages', '-1', '1.0', '%31', '0x1F'];
    for (const igsid of hostile) {
      it(`should reject the IGSID ${JSON.stringify(igsid)} with INVALID_IGSID and make no request`, async () => {
        const error = await failure(graph.client().fetchProfile(igsid));
        expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'INVALID_IGSID' });
        expect(graph.paths).to.have.length(0);
      });
    }

    it('should reject a non-string IGSID', async () => {
      expect(await failure(graph.client().fetchProfile(1001 as never))).to.include({ code: 'INVALID_IGSID' });
    });

    it('should accept the longest IGSID (32 digits)', async () => {
      graph.reply(200, { ...adaReply, id: '9'.repeat(32) });
      expect((await graph.client().fetchProfile('9'.repeat(32))).id).to.equal('9'.repeat(32));
    });

    for (const businessId of ['../x', '1 ', '', '１']) {
      it(`should reject the business id ${JSON.stringify(businessId)} with INVALID_BUSINESS_ID before any request`, async () => {
        expect(await failure(graph.client().fetchProfile(IGSID, { businessId }))).to.include({ code: 'INVALID_BUSINESS_ID' });
      });
    }
  });

  describe('access tokens', () => {
    it('should call the accessToken function with the business id on every call (sync or async)', async () => {
      graph.reply(200, adaReply, { times: 3 });
      let issued = 0;
      const provider = sinon.stub().callsFake(async (businessId?: string) => `token-${++issued}-of-${businessId}`);
      const client = graph.client({ accessToken: provider });
      await client.fetchProfile(IGSID, { businessId: BUSINESS });
      await client.fetchProfile(IGSID, { businessId: BUSINESS });
      await graph.client({ accessToken: () => 'sync-token' }).fetchProfile(IGSID);
      expect(provider.args.map(([businessId]) => businessId)).to.deep.equal([BUSINESS, BUSINESS]);
      for (const [, options] of provider.args) expect((options as { signal: unknown }).signal).to.be.instanceOf(AbortSignal);
      expect([0, 1, 2].map((n) => graph.bearer(n))).to.deep.equal([`token-1-of-${BUSINESS}`, `token-2-of-${BUSINESS}`, 'sync-token']);
    });

    it('should pass undefined to the accessToken function when no business id is given', async () => {
      graph.reply(200, adaReply);
      const provider = sinon.stub().returns('t0ken');
      await graph.client({ accessToken: provider }).fetchProfile(IGSID);
      expect(provider.firstCall.args).to.have.length(2);
      expect(provider.firstCall.args[0]).to.equal(undefined);
    });

    const failingProviders: Array<[string, () => unknown]> = [
      ['throws', () => {
        throw new Error('vault down');
      }],
      ['rejects', () => Promise.reject(new Error('vault down'))],
      ['returns an empty string', () => ''],
      ['resolves to an empty string', async () => ''],
      ['returns undefined', () => undefined],
      ['returns a number', () => 42],
    ];
    for (const [label, provider] of failingProviders) {
      it(`should answer AccessTokenError without a request when the accessToken function ${label}`, async () => {
        const error = await failure(graph.client({ accessToken: provider as never }).fetchProfile(IGSID, { businessId: BUSINESS }));
        expect(error).to.be.instanceOf(AccessTokenError).and.include({ code: 'ACCESS_TOKEN_INVALID', status: 0, isTransient: false });
        if (label.endsWith('rejects') || label === 'throws') expect((error.cause as Error).message).to.equal('vault down');
        else expect(error.message).to.include(BUSINESS);
        expect(graph.paths).to.have.length(0);
      });
    }
  });

  describe('options', () => {
    const bad: Array<[string, unknown, RegExp, ErrorConstructor]> = [
      ['a missing accessToken', { accessToken: undefined }, /"accessToken"/, TypeError],
      ['an empty accessToken', { accessToken: '' }, /"accessToken"/, TypeError],
      ['a numeric accessToken', { accessToken: 42 }, /"accessToken"/, TypeError],
      ['an object accessToken', { accessToken: {} }, /"accessToken"/, TypeError],
      ['an empty appSecret', { appSecret: '' }, /"appSecret"/, TypeError],
      ['a numeric appSecret', { appSecret: 5 }, /"appSecret"/, TypeError],
      ['apiVersion "26"', { apiVersion: '26' }, /"apiVersion"/, RangeError],
      ['apiVersion "v26"', { apiVersion: 'v26' }, /"apiVersion"/, RangeError],
      ['apiVersion "V26.0"', { apiVersion: 'V26.0' }, /"apiVersion"/, RangeError],
      ['apiVersion "v26.0.1"', { apiVersion: 'v26.0.1' }, /"apiVersion"/, RangeError],
      ['a numeric apiVersion', { apiVersion: 26 }, /"apiVersion"/, RangeError],
      ['an ftp graphUrl', { graphUrl: 'ftp://graph.facebook.com' }, /"graphUrl"/, TypeError],
      ['a graphUrl with a query', { graphUrl: `${FB}/?x=1` }, /"graphUrl"/, TypeError],
      ['a graphUrl with a fragment', { graphUrl: `${FB}/#x` }, /"graphUrl"/, TypeError],
      ['a graphUrl with credentials', { graphUrl: 'https://user:pw@graph.facebook.com' }, /"graphUrl"/, TypeError],
      ['a relative graphUrl', { graphUrl: 'graph.facebook.com' }, /"graphUrl"/, TypeError],
      ['a numeric graphUrl', { graphUrl: 443 }, /"graphUrl"/, TypeError],
      ['empty fields', { fields: [] }, /"fields"/, TypeError],
      ['fields as a string', { fields: 'name' }, /"fields"/, TypeError],
      ['an unknown field', { fields: ['email'] }, /"fields".*"email"/, RangeError],
      ['a non-string field', { fields: [42] }, /"fields"/, RangeError],
      ['timeout 0', { timeout: 0 }, /"timeout"/, RangeError],
      ['timeout 1.5', { timeout: 1.5 }, /"timeout"/, TypeError],
      ['timeout as a string', { timeout: '3000' }, /"timeout"/, TypeError],
      ['timeout NaN', { timeout: Number.NaN }, /"timeout"/, TypeError],
      ['timeout Infinity', { timeout: Number.POSITIVE_INFINITY }, /"timeout"/, TypeError],
      ['timeout over 10 min', { timeout: 600_001 }, /"timeout"/, RangeError],
      ['retries -1', { retries: -1 }, /"retries"/, RangeError],
      ['retries 11', { retries: 11 }, /"retries"/, RangeError],
      ['retries 1.5', { retries: 1.5 }, /"retries"/, TypeError],
      ['retryDelay -1', { retryDelay: -1 }, /"retryDelay"/, RangeError],
      ['retryDelay as a string', { retryDelay: '200' }, /"retryDelay"/, TypeError],
      ['maxRetryDelay -1', { maxRetryDelay: -1 }, /"maxRetryDelay"/, RangeError],
      ['rateLimitBackoff 0', { rateLimitBackoff: 0 }, /"rateLimitBackoff"/, RangeError],
      ['maxResponseBytes 1023', { maxResponseBytes: 1023 }, /"maxResponseBytes"/, RangeError],
      ['maxResponseBytes over 16 MiB', { maxResponseBytes: 16 * 1024 * 1024 + 1 }, /"maxResponseBytes"/, RangeError],
      ['an empty dispatcher', { dispatcher: {} }, /"dispatcher"/, TypeError],
      ['a null dispatcher', { dispatcher: null }, /"dispatcher"/, TypeError],
      ['now as a string', { now: 'yesterday' }, /"now"/, TypeError],
      ['random as a number', { random: 0.5 }, /"random"/, TypeError],
      ['circuitBreaker "on"', { circuitBreaker: 'on' }, /"circuitBreaker"/, TypeError],
      ['circuitBreaker null', { circuitBreaker: null }, /"circuitBreaker"/, TypeError],
      ['circuitBreaker.threshold 0', { circuitBreaker: { threshold: 0 } }, /"circuitBreaker\.threshold"/, RangeError],
      ['circuitBreaker.cooldown 0', { circuitBreaker: { cooldown: 0 } }, /"circuitBreaker\.cooldown"/, RangeError],
    ];
    for (const [label, options, message, type] of bad) {
      it(`should refuse ${label} with a ${type.name} naming the option`, () => {
        expect(() => graph.client(options as Partial<GraphProfileClientOptions>)).to.throw(type, message);
      });
    }

    for (const options of [null, undefined, 'token']) {
      it(`should refuse ${String(options)} as the options with a TypeError`, () => {
        expect(() => new GraphProfileClient(options as never)).to.throw(TypeError);
      });
    }

    it('should accept the bounds of each numeric option', () => {
      const edges = { timeout: 1, retries: 10, retryDelay: 0, maxRetryDelay: 0, rateLimitBackoff: 1, maxResponseBytes: 1024, circuitBreaker: { threshold: 1, cooldown: 1 } };
      expect(() => graph.client(edges)).not.to.throw();
      expect(() => graph.client({ circuitBreaker: false })).not.to.throw();
    });

    it('should never print a token or secret given in the wrong option type', () => {
      const attempts: Array<Partial<GraphProfileClientOptions>> = [
        { accessToken: { secret: TOKEN } as never },
        { accessToken: [TOKEN] as never },
        { appSecret: [SECRET] as never },
        { graphUrl: `https://${TOKEN}@graph.facebook.com` },
        { graphUrl: `${TOKEN} ${SECRET}` },
      ];
      for (const options of attempts) {
        let message = '';
        try {
          graph.client(options);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).to.match(/Option "/);
        expect(message).not.to.include(TOKEN).and.not.include(SECRET);
      }
    });
  });
});
