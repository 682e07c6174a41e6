import { expect } from 'chai';
import sinon from 'sinon';
import { createHmac } from 'node:crypto';
import { GraphRequestError, LATEST_API_VERSION } from '../../src/index.js';
import { BUSINESS, IGSID, NOW, SECRET, TOKEN, adaReply, failure, graphMock, urlForms } from './graphMock.js';

/**
 * The one Graph transport, seen through GraphProfileClient: the token travels in the
 * Authorization header only, and the deadline covers the whole call, the accessToken
 * function included.
 */
describe('Graph transport', () => {
  let graph: ReturnType<typeof graphMock>;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    sinon.restore();
    await graph.close();
  });

  describe('the token', () => {
    // Meta's Instagram Platform pages send the token as a header on both hosts, e.g.
    // https://developers.facebook.com/docs/instagram-platform/private-replies
    it('should send the token as "Authorization: Bearer", with no form of it in the path or query', async () => {
      const odd = 'EAAQ/Jtoken+odd chars!~';
      graph.reply(200, adaReply, { times: 2 });
      await graph.client({ appSecret: SECRET }).fetchProfile(IGSID);
      await graph.client({ accessToken: async () => odd, appSecret: SECRET }).fetchProfile(IGSID, { businessId: BUSINESS });
      expect([graph.bearer(0), graph.bearer(1)]).to.deep.equal([TOKEN, odd]);
      for (const [n, token] of [[0, TOKEN], [1, odd]] as const) {
        for (const form of urlForms(token)) expect(graph.paths[n]).not.to.include(form);
        expect(graph.query(n).has('access_token')).to.equal(false);
      }
    });

    it('should keep appsecret_proof and appsecret_time as query parameters, proving the header token', async () => {
      graph.reply(200, adaReply);
      await graph.client({ appSecret: SECRET }).fetchProfile(IGSID);
      const time = Math.floor(NOW / 1000);
      expect(graph.query().get('appsecret_time')).to.equal(String(time));
      expect(graph.query().get('appsecret_proof')).to.equal(createHmac('sha256', SECRET).update(`${TOKEN}|${time}`).digest('hex'));
      expect(new URL(`https://x${graph.paths[0]}`).pathname).to.equal(`/${LATEST_API_VERSION}/${IGSID}`);
    });

    it('should ask for JSON and send no body on a profile read', async () => {
      graph.reply(200, adaReply);
      await graph.client().fetchProfile(IGSID);
      expect(graph.requestHeaders[0]).to.include({ accept: 'application/json' });
      expect(graph.requestHeaders[0]).not.to.have.property('content-type');
    });
  });

  describe('the deadline covers the accessToken function', () => {
    let clock: sinon.SinonFakeTimers;

    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    });

    /** Whether a promise has settled, without waiting for it. */
    async function settled(promise: Promise<unknown>): Promise<boolean> {
      let done = false;
      promise.then(() => (done = true), () => (done = true));
      await clock.tickAsync(0);
      return done;
    }

    it('should end a call whose accessToken function never settles with GRAPH_TIMEOUT at `timeout`', async () => {
      const pending = failure(graph.client({ accessToken: () => new Promise<string>(() => {}), timeout: 300 }).fetchProfile(IGSID, { businessId: BUSINESS }));
      await clock.tickAsync(299);
      expect(await settled(pending)).to.equal(false);
      await clock.tickAsync(1);
      const error = await pending;
      expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_TIMEOUT' });
      expect(error.message).to.include('300 ms');
      expect(graph.paths).to.have.length(0);
    });

    it('should end a lookup whose accessToken function takes 1.5 s at 300 ms, and make no request afterwards', async () => {
      const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(TOKEN), 1_500));
      const pending = failure(graph.client({ accessToken: slow, timeout: 300 }).fetchProfile(IGSID));
      await clock.tickAsync(300);
      expect(await pending).to.include({ code: 'GRAPH_TIMEOUT' });
      await clock.tickAsync(1_500);
      expect(graph.paths).to.have.length(0);
    });

    it('should hand the accessToken function a signal that aborts at the deadline', async () => {
      let signal: AbortSignal | undefined;
      const provider = (_businessId: string | undefined, options: { signal: AbortSignal }) => {
        signal = options.signal;
        return new Promise<string>(() => {});
      };
      const pending = failure(graph.client({ accessToken: provider, timeout: 300 }).fetchProfile(IGSID));
      await clock.tickAsync(0);
      expect(signal?.aborted).to.equal(false);
      await clock.tickAsync(300);
      await pending;
      expect(signal?.aborted).to.equal(true);
    });

    it('should hand a signal that is already aborted to an accessToken function reading it after the deadline', async () => {
      let options: { signal: AbortSignal } | undefined;
      const provider = (_businessId: string | undefined, given: { signal: AbortSignal }) => {
        options = given;
        return new Promise<string>(() => {});
      };
      const pending = failure(graph.client({ accessToken: provider, timeout: 300 }).fetchProfile(IGSID));
      await clock.tickAsync(300);
      await pending;
      expect(options?.signal.aborted).to.equal(true);
    });

    it('should make no AbortController for an accessToken function that never reads its signal', async () => {
      graph.reply(200, adaReply);
      const client = graph.client({ accessToken: () => TOKEN });
      const made = sinon.spy(globalThis, 'AbortController');
      try {
        expect((await client.fetchProfile(IGSID)).id).to.equal(IGSID);
      } finally {
        made.restore();
      }
      expect(made.callCount).to.equal(0);
    });

    it("should end with GRAPH_ABORTED when the caller's signal aborts while the accessToken function runs", async () => {
      const controller = new AbortController();
      const pending = failure(graph.client({ accessToken: () => new Promise<string>(() => {}), timeout: 3_000 }).fetchProfile(IGSID, { signal: controller.signal }));
      await clock.tickAsync(100);
      controller.abort();
      expect(await pending).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_ABORTED' });
    });

    it("should count the accessToken function's time against the one deadline", async () => {
      graph.reply(200, adaReply, { delay: 150 });
      const slowish = () => new Promise<string>((resolve) => setTimeout(() => resolve(TOKEN), 200));
      const pending = failure(graph.client({ accessToken: slowish, timeout: 300, retries: 0 }).fetchProfile(IGSID));
      await clock.tickAsync(300);
      // The request went out at 200 ms; its reply, due at 350 ms, is cut at 300 ms.
      expect(await pending).to.include({ code: 'GRAPH_TIMEOUT' });
    });

    it('should keep a token function that answers in time working as before', async () => {
      graph.reply(200, adaReply);
      const quick = () => new Promise<string>((resolve) => setTimeout(() => resolve(TOKEN), 50));
      const pending = graph.client({ accessToken: quick, timeout: 300 }).fetchProfile(IGSID);
      await clock.tickAsync(50);
      expect((await pending).id).to.equal(IGSID);
      expect(graph.bearer()).to.equal(TOKEN);
    });
  });
});
