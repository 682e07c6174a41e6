import { expect } from 'chai';
import createDebug from 'debug';
import { format, inspect } from 'node:util';
import type { GraphProfileClientOptions, InstagramProfileError } from '../../src/index.js';
import { BUSINESS, FB, IGSID, SECRET, TOKEN, adaReply, failure, graphError, graphMock, urlForms } from './graphMock.js';

/** A token with characters that URL encoding changes, two ways (URLSearchParams also escapes "!"), so its encoded forms are more secrets. */
const ODD_TOKEN = 'EAAQ/Jtoken+with=odd|chars!';
const SECRETS = [TOKEN, SECRET, ...urlForms(ODD_TOKEN)];

/** Every text an error can show: message, stack, each own property at any depth, inspect and JSON. */
function textsOf(error: unknown): string[] {
  const texts: string[] = [String(error), inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error) ?? ''];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number) => {
    if (typeof value === 'string') return void texts.push(value);
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 10) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) walk(Reflect.get(value, key), depth + 1);
  };
  walk(error, 0);
  return texts;
}

function expectNoSecrets(error: InstagramProfileError) {
  expect(error.cause === undefined || typeof error.cause === 'object').to.equal(true);
  for (const text of textsOf(error)) for (const secret of SECRETS) expect(text, `leaked in ${error.code}`).not.to.include(secret);
}

/** A network error carrying the secrets everywhere an error can: message, code, a property, a cause. */
function leakyNetworkError(token: string) {
  const cause = Object.assign(new Error(`TLS alert while sending access_token=${token}`), { secret: SECRET });
  return Object.assign(new Error(`socket hang up: ${token} ${SECRET}`, { cause }), { code: `E_${token}`, url: `${FB}/v26.0/${IGSID}?access_token=${encodeURIComponent(token)}` });
}

describe('GraphProfileClient secrets', () => {
  let graph: ReturnType<typeof graphMock>;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    await graph.close();
  });

  /** Each scenario arranges replies for one call and names it. */
  const scenarios: Array<[string, (token: string) => void, Partial<GraphProfileClientOptions>?]> = [
    ['Graph echoing the token and secret in message and error_user_msg', (token) =>
      graph.reply(400, graphError(190, { message: `Invalid OAuth access token ${token} (secret ${SECRET})`, error_user_msg: `token ${token}`, type: `T ${token}`, fbtrace_id: token })),
    ],
    ['Graph echoing the token form-encoded, as URLSearchParams writes it', (token) =>
      graph.reply(400, graphError(100, { message: `Invalid parameter ${new URLSearchParams({ access_token: token })}` })),
    ],
    ['Graph echoing the token in a 230 as HTTP 500', (token) => graph.reply(500, graphError(230, { message: `consent ${token}` }))],
    ['Graph echoing the token in a rate limit', (token) => graph.reply(400, graphError(80002, { message: `limit ${token}` }))],
    ['Graph echoing the token in a transient error, retried', (token) => graph.reply(503, graphError(2, { is_transient: true, message: `retry ${token}` }), { times: 2 }), { retries: 1 }],
    ['an HTML page echoing the token', (token) => graph.reply(200, `<html>access_token=${token}</html>`)],
    ['a network error holding the token in message, code, property and cause', (token) => {
      graph.agent.get(FB).intercept({ path: () => true }).replyWithError(leakyNetworkError(token));
    }],
    ['a network error whose own text is clean but whose cause and url hold the token', (token) => {
      const error = Object.assign(new Error('other side closed', { cause: new Error(`while sending ${token}`) }), { url: `${FB}/?access_token=${token}` });
      graph.agent.get(FB).intercept({ path: () => true }).replyWithError(error);
    }],
    ['a request no interceptor matches (undici prints the path)', () => {
      graph.agent.get(FB);
    }],
    ['a timeout', () => graph.reply(200, adaReply, { delay: 100 }), { timeout: 10 }],
  ];

  for (const [tokenLabel, token, accessToken] of [
    ['a token string', TOKEN, TOKEN],
    ['a token function', TOKEN, async () => TOKEN],
    ['a token that URL encoding changes', ODD_TOKEN, ODD_TOKEN],
  ] as const) {
    for (const [label, arrange, options] of scenarios) {
      it(`should keep ${tokenLabel} and the app secret out of the error for ${label}`, async () => {
        arrange(token);
        const error = await failure(graph.client({ accessToken, appSecret: SECRET, retries: 0, ...options }).fetchProfile(IGSID, { businessId: BUSINESS }));
        expectNoSecrets(error);
      });
    }
  }

  describe('a failing accessToken function', () => {
    it('should keep its error as the cause only with the app secret removed, in util.inspect too', async () => {
      const provider = () => Promise.reject(Object.assign(new Error(`vault refused app secret ${SECRET}`), { hint: `secret=${encodeURIComponent(SECRET)}` }));
      const error = await failure(graph.client({ accessToken: provider, appSecret: SECRET }).fetchProfile(IGSID, { businessId: BUSINESS }));
      expect(error).to.include({ code: 'ACCESS_TOKEN_INVALID' });
      expect((error.cause as Error).message).to.equal('vault refused app secret [redacted]');
      expectNoSecrets(error);
      expect(graph.paths).to.have.length(0);
    });

    it('should remove a token the function gave before, should its later error name it', async () => {
      graph.reply(200, adaReply);
      let calls = 0;
      const provider = async () => {
        if (calls++ === 0) return ODD_TOKEN;
        throw new Error(`refresh of ${ODD_TOKEN} failed (${encodeURIComponent(ODD_TOKEN)})`);
      };
      const client = graph.client({ accessToken: provider });
      await client.fetchProfile(IGSID);
      const error = await failure(client.fetchProfile(IGSID));
      expect((error.cause as Error).message).to.equal('refresh of [redacted] failed ([redacted])');
      expectNoSecrets(error);
    });

    it('should keep the cause itself when it names no secret', async () => {
      const cause = new Error('vault down');
      const error = await failure(graph.client({ accessToken: () => Promise.reject(cause), appSecret: SECRET }).fetchProfile(IGSID));
      expect(error.cause).to.equal(cause);
    });
  });

  it('should keep the secrets out of the error answered while throttled', async () => {
    graph.reply(400, graphError(4, { message: `app limit ${TOKEN}` }));
    const client = graph.client({ appSecret: SECRET });
    await failure(client.fetchProfile(IGSID, { businessId: BUSINESS }));
    expectNoSecrets(await failure(client.fetchProfile(IGSID, { businessId: BUSINESS })));
  });

  it('should keep what the error needs while redacting: name, code and the redacted text', async () => {
    graph.agent.get(FB).intercept({ path: () => true }).replyWithError(leakyNetworkError(TOKEN));
    const error = await failure(graph.client({ retries: 0, appSecret: SECRET }).fetchProfile(IGSID));
    const cause = error.cause as Error & { code: string; cause: Error };
    expect(cause.message).to.equal('socket hang up: [redacted] [redacted]');
    expect(cause.code).to.equal('E_[redacted]');
    expect(cause.cause.message).to.equal('TLS alert while sending access_token=[redacted]');
    expect(error.message).to.include('E_[redacted]');
  });

  it('should keep the cause itself when it holds no secret', async () => {
    const clean = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    graph.agent.get(FB).intercept({ path: () => true }).replyWithError(clean);
    const error = await failure(graph.client({ retries: 0 }).fetchProfile(IGSID));
    expect(error.cause).to.equal(clean);
  });

  describe('debug output', () => {
    let lines: string[];
    let originalLog: typeof createDebug.log;
    let enabled: string;

    beforeEach(() => {
      lines = [];
      originalLog = createDebug.log;
      enabled = createDebug.disable();
      createDebug.enable('instagram-profile:*');
      // As debug's own Node logger renders them.
      createDebug.log = (...args: unknown[]) => void lines.push(format(...args));
    });

    afterEach(() => {
      createDebug.log = originalLog;
      createDebug.disable();
      if (enabled) createDebug.enable(enabled);
    });

    it('should never log the token, the app secret or the request URL', async () => {
      graph.reply(400, graphError(190, { message: `bad token ${ODD_TOKEN} for app secret ${SECRET}` }));
      graph.reply(503, graphError(2, { is_transient: true, message: `again ${ODD_TOKEN}` }));
      graph.reply(200, adaReply, { headers: { 'x-app-usage': '{"call_count":95}' } });
      graph.reply(400, graphError(80002, { message: ODD_TOKEN }));
      graph.agent.get(FB).intercept({ path: () => true }).replyWithError(leakyNetworkError(ODD_TOKEN));
      graph.agent.get(FB).intercept({ path: () => true }).reply(200, adaReply);
      const client = graph.client({ accessToken: ODD_TOKEN, appSecret: SECRET, retries: 1 });
      await failure(client.fetchProfile(IGSID));
      await client.fetchProfile(IGSID);
      await failure(client.fetchProfile(IGSID, { businessId: BUSINESS }));
      await failure(client.fetchProfile(IGSID, { businessId: BUSINESS })); // throttled: answered at once
      await client.fetchProfile(IGSID);
      const failing = graph.client({ accessToken: () => Promise.reject(new Error(`no token; secret ${SECRET}`)), appSecret: SECRET });
      await failure(failing.fetchProfile(IGSID));
      expect(lines.join('\n')).to.match(/retrying/).and.match(/network error/).and.match(/throttled/).and.match(/usage at 95%/).and.match(/accessToken function failed/);
      for (const line of lines) {
        for (const secret of SECRETS) expect(line).not.to.include(secret);
        expect(line).not.to.include('access_token=').and.not.include('appsecret_proof=');
      }
    });
  });
});
