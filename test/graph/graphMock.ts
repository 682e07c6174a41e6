import { expect } from 'chai';
import { MockAgent } from 'undici';
import { GraphProfileClient, type GraphProfileClientOptions, type InstagramProfileError } from '../../src/index.js';

export const TOKEN = 'EAAGm0PX4ZCpsBAtoken-under-test';
export const SECRET = 'app-secret-under-test';
export const FB = 'https://graph.facebook.com';
export const IG = 'https://graph.instagram.com';
export const IGSID = '1001';
export const BUSINESS = '17841400000000001';
export const OTHER_BUSINESS = '17841400000000002';
export const NOW = Date.UTC(2026, 10, 24, 12);

export const ALL_FIELDS = 'name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user';

export const adaReply = {
  id: IGSID,
  name: 'Ada Lovelace',
  username: 'ada',
  profile_pic: 'https://scontent.cdninstagram.com/v/ada.jpg?oh=00_x&oe=6B0B33CD',
  follower_count: 120,
  is_verified_user: false,
  is_user_follow_business: true,
  is_business_follow_user: false,
};

export const graphError = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `error ${code}`, type: 'OAuthException', code, fbtrace_id: 'AbC123', ...extra },
});

/** The error a promise rejects with; fails the test when it resolves. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('should have failed'),
    (error: unknown) => error as InstagramProfileError,
  );

export interface ReplyOptions {
  times?: number;
  host?: string;
  headers?: Record<string, string>;
  delay?: number;
}

/**
 * A MockAgent (no real network) that records the path of every request it answers, and a
 * client factory sending through it with no retry delay and a fixed clock.
 */
export function graphMock() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const paths: string[] = [];
  /** The request headers of every request answered, lower-cased names. */
  const requestHeaders: Array<Record<string, string>> = [];

  function reply(status: number, body: unknown, { times = 1, host = FB, headers = {}, delay = 0 }: ReplyOptions = {}) {
    const interceptor = agent
      .get(host)
      .intercept({ path: () => true, method: 'GET' })
      .reply((options) => {
        paths.push(options.path);
        requestHeaders.push(headersOf(options.headers));
        const data = typeof body === 'string' ? body : JSON.stringify(body);
        return { statusCode: status, data, responseOptions: { headers: { 'content-type': 'application/json', ...headers } } };
      });
    if (delay > 0) interceptor.delay(delay);
    interceptor.times(times);
  }

  const client = (options: Partial<GraphProfileClientOptions> = {}) =>
    new GraphProfileClient({ accessToken: TOKEN, dispatcher: agent, retryDelay: 0, now: () => NOW, ...options });

  /** The token the n-th request carried in its Authorization header. */
  const bearer = (n = 0) => /^Bearer (.+)$/.exec(requestHeaders[n]?.authorization ?? expect.fail(`no Authorization header in request #${n}`))?.[1];

  /** The query of the n-th request answered. */
  const query = (n = 0) => new URL(`${FB}${paths[n] ?? expect.fail(`no request #${n}`)}`).searchParams;

  async function close() {
    agent.assertNoPendingInterceptors();
    await agent.close();
  }

  return { agent, paths, requestHeaders, reply, client, query, bearer, close };
}

/** Request headers as MockAgent hands them over (an object, or a flat array of name/value pairs), lower-cased. */
export function headersOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  else if (raw !== null && typeof raw === 'object') for (const [name, value] of Object.entries(raw)) out[name.toLowerCase()] = String(value);
  return out;
}

/** Every form a token takes in a URL: as is, encodeURIComponent, and URLSearchParams (form) encoding. */
export function urlForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams([['', secret]]).toString().slice(1)];
}
