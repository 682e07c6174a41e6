import { MockAgent } from 'undici';

export const GRAPH = 'https://graph.facebook.com';

/** A MockAgent that refuses any real connection. */
export function mockGraph(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export interface ProfileReply {
  id: string;
  name?: string | null;
  username?: string;
  profile_pic?: string | null;
  follower_count?: number;
  is_verified_user?: boolean;
  is_user_follow_business?: boolean;
  is_business_follow_user?: boolean;
}

/** Intercepts `times` profile reads of `igsid` and counts the calls that reached the mock. */
export function interceptProfile(agent: MockAgent, igsid: string, reply: ProfileReply | ((token: string) => ProfileReply), times = 1) {
  const calls = { count: 0 };
  agent
    .get(GRAPH)
    .intercept({ path: (path: string) => path.startsWith(`/v26.0/${igsid}?`), method: 'GET' })
    .reply(200, (options) => {
      calls.count++;
      // The token travels as `Authorization: Bearer …`; the query form is what older clients send.
      const authorization = (options.headers as Record<string, string | undefined>).authorization;
      const token = authorization?.replace(/^Bearer /, '') ?? new URL(`${GRAPH}${options.path}`).searchParams.get('access_token') ?? '';
      return typeof reply === 'function' ? reply(token) : reply;
    })
    .times(times);
  return calls;
}

/** Intercepts `times` profile reads of `igsid` answered with a Graph error. */
export function interceptGraphError(agent: MockAgent, igsid: string, status: number, error: Record<string, unknown>, times = 1) {
  const calls = { count: 0 };
  agent
    .get(GRAPH)
    .intercept({ path: (path: string) => path.startsWith(`/v26.0/${igsid}?`), method: 'GET' })
    .reply(status, () => {
      calls.count++;
      return { error: { fbtrace_id: 'AbCdEf', ...error } };
    })
    .times(times);
  return calls;
}
