import { expect } from 'chai';
import createDebug from 'debug';
import sinon from 'sinon';
import { createHmac } from 'node:crypto';
import { format, inspect } from 'node:util';
import { MockAgent } from 'undici';
import { AccessTokenError, GraphApiError, GraphRequestError, type InstagramProfileError, PermissionError, RateLimitError } from '../../src/errors.js';
import { SendApiClient, type SendApiClientOptions } from '../../src/graph/sendApi.js';
import { LATEST_API_VERSION } from '../../src/platform/versions.js';
import { BUSINESS, FB, IGSID, NOW, OTHER_BUSINESS, SECRET, TOKEN, failure, graphError, headersOf, urlForms } from './graphMock.js';

const MINUTE = 60_000;
const TEXT = { recipient: { id: IGSID }, message: { text: 'Hi Ada!' } };
const buc = (entries: Record<string, number>) =>
  JSON.stringify(Object.fromEntries(Object.entries(entries).map(([id, minutes]) => [id, [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: minutes }]])));

interface Sent {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A MockAgent answering POSTs to the Send API, recording each request. */
function sendMock() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const sent: Sent[] = [];
  const intercept = () => agent.get(FB).intercept({ path: () => true, method: 'POST' });

  function reply(status: number, body: unknown, { times = 1, headers = {} }: { times?: number; headers?: Record<string, string> } = {}) {
    intercept()
      .reply((options) => {
        sent.push({ path: options.path, headers: headersOf(options.headers), body: JSON.parse(String(options.body)) });
        return { statusCode: status, data: typeof body === 'string' ? body : JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/json', ...headers } } };
      })
      .times(times);
  }
  const accept = (times = 1) => reply(200, { recipient_id: IGSID, message_id: 'aWdfOUT1' }, { times });
  const replyWithError = (error: Error) => intercept().replyWithError(error);
  const client = (options: Partial<SendApiClientOptions> = {}) =>
    new SendApiClient({ accessToken: TOKEN, appSecret: SECRET, dispatcher: agent, now: () => NOW, sendRetryDelayMs: 0, ...options });
  const query = (n = 0) => new URL(`${FB}${sent[n]?.path ?? expect.fail(`no request #${n}`)}`).searchParams;

  async function close() {
    agent.assertNoPendingInterceptors();
    await agent.close();
  }
  return { agent, sent, reply, accept, replyWithError, client, query, close };
}

describe('SendApiClient', () => {
  let mock: ReturnType<typeof sendMock>;

  beforeEach(() => {
    mock = sendMock();
  });

  afterEach(async () => {
    sinon.restore();
    await mock.close();
  });

  describe('requests', () => {
    it('should POST the body as JSON to /<version>/me/messages, the token in the Authorization header only, signed', async () => {
      mock.accept();
      const reply = await mock.client().send(BUSINESS, TEXT);
      expect(reply).to.deep.equal({ recipientId: IGSID, messageId: 'aWdfOUT1' });
      const [request] = mock.sent;
      expect(new URL(`${FB}${request!.path}`).pathname).to.equal(`/${LATEST_API_VERSION}/me/messages`);
      expect(request!.body).to.deep.equal(TEXT);
      expect(request!.headers).to.include({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
      const time = Math.floor(NOW / 1000);
      expect(mock.query().get('appsecret_time')).to.equal(String(time));
      expect(mock.query().get('appsecret_proof')).to.equal(createHmac('sha256', SECRET).update(`${TOKEN}|${time}`).digest('hex'));
      expect(mock.query().has('access_token')).to.equal(false);
    });

    it('should keep every URL form of an odd token out of the path and query', async () => {
      const odd = 'EAAQ/tok en+=|!~()';
      mock.accept();
      await mock.client({ accessToken: odd }).send(BUSINESS, TEXT);
      expect(mock.sent[0]!.headers.authorization).to.equal(`Bearer ${odd}`);
      for (const form of urlForms(odd)) expect(mock.sent[0]!.path).not.to.include(form);
    });

    it('should ask the accessToken function for the token of the business, with an abort signal', async () => {
      mock.accept();
      const provider = sinon.stub().resolves('TOKEN_FOR_THIS_BUSINESS');
      await mock.client({ accessToken: provider }).send(BUSINESS, TEXT);
      expect(provider.firstCall.args[0]).to.equal(BUSINESS);
      expect(provider.firstCall.args[1].signal).to.be.instanceOf(AbortSignal);
      expect(mock.sent[0]!.headers.authorization).to.equal('Bearer TOKEN_FOR_THIS_BUSINESS');
    });

    it('should send no proof without an app secret', async () => {
      mock.accept();
      await mock.client({ appSecret: undefined }).send(BUSINESS, TEXT);
      expect(mock.sent[0]!.path).to.equal(`/${LATEST_API_VERSION}/me/messages`);
    });

    it('should send a sender action and answer no message id when Meta gives none', async () => {
      mock.reply(200, { recipient_id: IGSID });
      expect(await mock.client().send(BUSINESS, { recipient: { id: IGSID }, sender_action: 'typing_on' })).to.deep.equal({ recipientId: IGSID, messageId: undefined });
    });
  });

  describe('permanent errors', () => {
    const PERMANENT: Array<[string, number, ReturnType<typeof graphError>, new (...args: never[]) => Error]> = [
      ['100 invalid parameter', 400, graphError(100), GraphApiError],
      ['10/2018278 outside the 24-hour window', 400, graphError(10, { error_subcode: 2018278 }), PermissionError],
      ['100/2018001 no matching user', 400, graphError(100, { error_subcode: 2018001 }), GraphApiError],
      ['190 expired token', 400, graphError(190, { error_subcode: 463 }), AccessTokenError],
      ['551 person unavailable', 400, graphError(551), GraphApiError],
      ['an unknown code as HTTP 400', 400, graphError(12345), GraphApiError],
      ['230 as HTTP 500', 500, graphError(230), GraphApiError],
    ];
    for (const [label, status, body, type] of PERMANENT) {
      it(`should never send again after ${label}`, async () => {
        mock.reply(status, body);
        const error = (await failure(mock.client().send(BUSINESS, TEXT))) as GraphApiError;
        expect(error).to.be.instanceOf(type).and.include({ status, graphCode: body.error.code, isTransient: false });
        expect(mock.sent).to.have.length(1);
      });
    }
  });

  describe('transient failures', () => {
    const TRANSIENT: Array<[string, number, unknown]> = [
      ['1200 temporary send failure', 400, graphError(1200)],
      ['1 unknown error', 500, graphError(1)],
      ['2 marked is_transient', 503, graphError(2, { is_transient: true })],
      ['an unknown code marked is_transient', 400, graphError(12345, { is_transient: true })],
      ['an unknown code as HTTP 500', 500, graphError(12345)],
      ['a 502 HTML page from a proxy', 502, '<html>Bad Gateway</html>'],
    ];
    for (const [label, status, body] of TRANSIENT) {
      it(`should send again after ${label}, and answer the ids`, async () => {
        mock.reply(status, body);
        mock.accept();
        expect(await mock.client().send(BUSINESS, TEXT)).to.include({ messageId: 'aWdfOUT1' });
        expect(mock.sent).to.have.length(2);
        expect(mock.sent[1]!.body).to.deep.equal(TEXT);
      });
    }

    it('should send again after a connection error before any reply arrived', async () => {
      mock.replyWithError(Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }));
      mock.accept();
      expect(await mock.client().send(BUSINESS, TEXT)).to.include({ messageId: 'aWdfOUT1' });
      expect(mock.sent).to.have.length(1); // the failed attempt never reached a reply
    });

    it('should answer the last failure once sendRetries are spent (3 by default)', async () => {
      mock.reply(400, graphError(1200), { times: 3 });
      mock.reply(400, graphError(1200, { fbtrace_id: 'last' }));
      expect(await failure(mock.client().send(BUSINESS, TEXT))).to.be.instanceOf(GraphApiError).and.include({ graphCode: 1200, fbtraceId: 'last', isTransient: true });
      expect(mock.sent).to.have.length(4);
    });

    it('should make exactly one attempt with sendRetries 0', async () => {
      mock.reply(503, graphError(2));
      await failure(mock.client({ sendRetries: 0 }).send(BUSINESS, TEXT));
      expect(mock.sent).to.have.length(1);
    });

    it('should not send again after a 2xx it cannot read: the message may have gone out', async () => {
      for (const body of ['<html>ok</html>', { message_id: 'm' }, { error: { code: 1 }, recipient_id: IGSID }]) mock.reply(200, body);
      for (let i = 0; i < 3; i++) {
        expect(await failure(mock.client().send(BUSINESS, TEXT))).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_BAD_RESPONSE', status: 200 });
      }
      expect(mock.sent).to.have.length(3);
    });
  });

  describe('backoff and the deadline', () => {
    let clock: sinon.SinonFakeTimers;

    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    });

    it('should wait a full-jitter delay drawn from `random`, doubling per retry', async () => {
      mock.reply(503, graphError(2), { times: 2 });
      mock.accept();
      const random = sinon.stub().returns(0.5);
      const pending = mock.client({ sendRetryDelayMs: 100, sendMaxRetryDelayMs: 1_000, random }).send(BUSINESS, TEXT);
      await clock.tickAsync(49);
      expect(mock.sent).to.have.length(1);
      await clock.tickAsync(1); // 0.5 × 100
      expect(mock.sent).to.have.length(2);
      await clock.tickAsync(99);
      expect(mock.sent).to.have.length(2);
      await clock.tickAsync(1); // 0.5 × 200
      expect((await pending).messageId).to.equal('aWdfOUT1');
      expect(random.callCount).to.equal(2);
    });

    it('should not start a wait that would end past sendTimeoutMs, answering the last failure', async () => {
      mock.reply(503, graphError(2, { fbtrace_id: 'third' }), { times: 3 });
      const pending = failure(mock.client({ sendTimeoutMs: 2_000, sendRetries: 10, sendRetryDelayMs: 1_000, sendMaxRetryDelayMs: 60_000, random: () => 0.5 }).send(BUSINESS, TEXT));
      // Attempts at 0, 500 and 1 500 ms; the next wait (2 000 ms) would pass the deadline.
      await clock.tickAsync(1_500);
      expect(await pending).to.be.instanceOf(GraphApiError).and.include({ graphCode: 2 });
      expect(mock.sent).to.have.length(3);
    });

    it('should end with GRAPH_TIMEOUT at sendTimeoutMs when the accessToken function never settles', async () => {
      const pending = failure(mock.client({ accessToken: () => new Promise<string>(() => {}), sendTimeoutMs: 400 }).send(BUSINESS, TEXT));
      await clock.tickAsync(400);
      expect(await pending).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_TIMEOUT' });
      expect((await pending).message).to.include('Send API').and.include('400 ms');
      expect(mock.sent).to.have.length(0);
    });

    it('should send again after a throttle once the wait Meta asks for has passed, when it fits the deadline', async () => {
      mock.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc({ [BUSINESS]: 1 }) } });
      mock.accept();
      const pending = mock.client({ sendTimeoutMs: 2 * MINUTE }).send(BUSINESS, TEXT);
      await clock.tickAsync(MINUTE - 1);
      expect(mock.sent).to.have.length(1);
      await clock.tickAsync(1);
      expect((await pending).messageId).to.equal('aWdfOUT1');
      expect(mock.sent).to.have.length(2);
    });

    it('should send again after a throttle without an estimate, after a backoff', async () => {
      mock.reply(400, graphError(613));
      mock.accept();
      const pending = mock.client({ sendRetryDelayMs: 100, random: () => 0.5 }).send(BUSINESS, TEXT);
      await clock.tickAsync(50);
      expect((await pending).messageId).to.equal('aWdfOUT1');
    });
  });

  describe('throttling', () => {
    it('should not wait for a throttle that outlasts the deadline, and say how long it lasts', async () => {
      mock.reply(400, graphError(80002), { headers: { 'x-business-use-case-usage': buc({ [BUSINESS]: 1 }) } });
      const error = await failure(mock.client().send(BUSINESS, TEXT));
      expect(error).to.be.instanceOf(RateLimitError).and.include({ retryAfterMs: MINUTE, graphCode: 80002 });
      expect(mock.sent).to.have.length(1);
    });

    it("should use the business's own estimate, not another key's longer one", async () => {
      mock.reply(400, graphError(32), { headers: { 'x-business-use-case-usage': buc({ [BUSINESS]: 2, [OTHER_BUSINESS]: 30 }) } });
      expect(await failure(mock.client().send(BUSINESS, TEXT))).to.include({ retryAfterMs: 2 * MINUTE });
    });

    it('should fall back to the longest estimate when the header keys another id (the Page)', async () => {
      mock.reply(400, graphError(32), { headers: { 'x-business-use-case-usage': buc({ '101112131415': 3, '161718192021': 1 }) } });
      expect(await failure(mock.client().send(BUSINESS, TEXT))).to.include({ retryAfterMs: 3 * MINUTE });
    });
  });

  describe('secrets', () => {
    const ODD = 'EAAQ/tok en+=|!~()';
    const SECRETS = [SECRET, ...urlForms(ODD)];

    function expectNoSecrets(error: InstagramProfileError) {
      const texts = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)];
      for (const text of texts) for (const secret of SECRETS) expect(text).not.to.include(secret);
    }

    it('should remove the token in every URL form, and the app secret, from what Graph echoes', async () => {
      const echo = `bad ${ODD} ${encodeURIComponent(ODD)} ${new URLSearchParams({ access_token: ODD })} ${SECRET}`;
      mock.reply(400, graphError(100, { message: echo, error_user_msg: echo }));
      const error = await failure(mock.client({ accessToken: ODD }).send(BUSINESS, TEXT));
      expect(error.message).to.include('[redacted]');
      expectNoSecrets(error);
    });

    it("should keep the accessToken function's error as the cause only without the app secret", async () => {
      const error = await failure(mock.client({ accessToken: () => Promise.reject(new Error(`vault: ${SECRET}`)) }).send(BUSINESS, TEXT));
      expect(error).to.be.instanceOf(AccessTokenError);
      expect((error.cause as Error).message).to.equal('vault: [redacted]');
      expectNoSecrets(error);
    });

    it('should remove the token and secret from a network error kept as the cause', async () => {
      mock.replyWithError(Object.assign(new Error(`socket hang up ${ODD}`), { url: `${FB}/?t=${encodeURIComponent(ODD)}&s=${SECRET}` }));
      const error = await failure(mock.client({ accessToken: ODD, sendRetries: 0 }).send(BUSINESS, TEXT));
      expect(error).to.include({ code: 'GRAPH_NETWORK_ERROR' });
      expectNoSecrets(error);
    });

    it('should never log the token or the app secret', async () => {
      const lines: string[] = [];
      const originalLog = createDebug.log;
      const enabled = createDebug.disable();
      createDebug.enable('instagram-profile:*');
      createDebug.log = (...args: unknown[]) => void lines.push(format(...args));
      try {
        mock.reply(400, graphError(1200, { message: `again ${ODD}` }));
        mock.replyWithError(new Error(`reset ${ODD}`));
        mock.accept();
        await mock.client({ accessToken: ODD }).send(BUSINESS, TEXT);
        await failure(mock.client({ accessToken: () => Promise.reject(new Error(`vault ${SECRET}`)) }).send(BUSINESS, TEXT));
      } finally {
        createDebug.log = originalLog;
        createDebug.disable();
        if (enabled) createDebug.enable(enabled);
      }
      expect(lines.join('\n')).to.match(/retrying/).and.match(/network error/).and.match(/accessToken function failed/);
      for (const line of lines) for (const secret of SECRETS) expect(line).not.to.include(secret);
    });
  });

  describe('options', () => {
    const bad: Array<[string, Partial<Record<keyof SendApiClientOptions, unknown>>, RegExp, ErrorConstructor]> = [
      ['a missing accessToken (process.env unset)', { accessToken: undefined }, /"accessToken" is missing/, TypeError],
      ['a numeric accessToken', { accessToken: 42 }, /"accessToken"/, TypeError],
      ['an empty appSecret', { appSecret: '' }, /"appSecret"/, TypeError],
      ['apiVersion "26"', { apiVersion: '26' }, /"apiVersion"/, RangeError],
      ['a graphUrl with a query', { graphUrl: `${FB}/?x=1` }, /"graphUrl"/, TypeError],
      ['a null dispatcher', { dispatcher: null }, /"dispatcher"/, TypeError],
      ['sendTimeoutMs 0', { sendTimeoutMs: 0 }, /"sendTimeoutMs"/, RangeError],
      ['sendRetries 11', { sendRetries: 11 }, /"sendRetries"/, RangeError],
      ['sendRetries 1.5', { sendRetries: 1.5 }, /"sendRetries"/, TypeError],
      ['sendRetryDelayMs -1', { sendRetryDelayMs: -1 }, /"sendRetryDelayMs"/, RangeError],
      ['sendMaxRetryDelayMs as a string', { sendMaxRetryDelayMs: '2000' }, /"sendMaxRetryDelayMs"/, TypeError],
      ['now as a string', { now: 'now' }, /"now"/, TypeError],
      ['random as a number', { random: 0.5 }, /"random"/, TypeError],
    ];
    for (const [label, options, message, type] of bad) {
      it(`should refuse ${label} with a ${type.name} naming the option`, () => {
        expect(() => mock.client(options as Partial<SendApiClientOptions>)).to.throw(type, message);
      });
    }

    it('should refuse a missing options object', () => {
      expect(() => new SendApiClient(undefined as never)).to.throw(TypeError, /SendApiClient/);
    });

    it('should take the options the webhook adapter resolved, extra fields included', async () => {
      mock.accept();
      const resolved = { appSecret: SECRET, verifyToken: 'v', accessToken: TOKEN, apiVersion: 'v25.0', graphUrl: FB, dispatcher: mock.agent, sendTimeoutMs: 5_000, turnTimeoutMs: 1, now: () => NOW };
      await new SendApiClient(resolved).send(BUSINESS, TEXT);
      expect(mock.sent[0]!.path).to.match(/^\/v25\.0\/me\/messages\?/);
    });
  });
});
