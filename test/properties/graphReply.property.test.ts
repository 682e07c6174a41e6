import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import { GraphProfileClient } from '../../src/graph/client.js';
import { InstagramProfileError } from '../../src/errors.js';
import { RUNS } from './runs.js';

const TOKEN = 'EAAG-secret-token-under-fuzz';
const SECRET = 'app-secret-under-fuzz';
const GRAPH = 'https://graph.facebook.com';

/** Bodies Graph might plausibly, or implausibly, send. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const profileLike = fc.record(
  {
    id: fc.oneof(fc.constant('1001'), fc.string()),
    name: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    username: fc.oneof(fc.string(), fc.constant(null), fc.boolean()),
    profile_pic: fc.oneof(fc.webUrl(), fc.constant(null), fc.string()),
    follower_count: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    is_verified_user: fc.oneof(fc.boolean(), fc.string(), fc.integer()),
    is_user_follow_business: fc.oneof(fc.boolean(), fc.constant(null)),
    is_business_follow_user: fc.oneof(fc.boolean(), fc.constant('true')),
  },
  { requiredKeys: [] },
);
const errorLike = fc.record(
  {
    error: fc.record(
      {
        message: fc.oneof(fc.string(), fc.constant(`token ${TOKEN} is bad`), fc.constant(`secret ${SECRET}`)),
        type: fc.string(),
        code: fc.oneof(fc.constantFrom(1, 2, 4, 10, 17, 32, 100, 102, 190, 200, 230, 341, 368, 613, 9010, 80001, 80002, 80006), fc.integer(), fc.string()),
        error_subcode: fc.oneof(fc.constantFrom(33, 463, 467, 2534013, 2534014), fc.integer()),
        is_transient: fc.oneof(fc.boolean(), fc.string()),
        fbtrace_id: fc.string(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  profileLike.map((v) => JSON.stringify(v)),
  errorLike.map((v) => JSON.stringify(v)),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  profileLike.map((v) => JSON.stringify(v).slice(0, -3)),
  fc.constant('<html><body>502 Bad Gateway</body></html>'),
);
const usageHeader = fc.oneof(
  fc.constant(undefined),
  fc.string(),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.constant('{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":2}]}'),
);

describe('Graph reply handling (property)', function () {
  this.timeout(120_000);

  it('should always give a profile or a typed error without a secret, for any status, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 100, max: 599 }), body, usageHeader, usageHeader, async (status, text, appUsage, bucUsage) => {
        const agent = new MockAgent();
        agent.disableNetConnect();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (appUsage !== undefined) headers['x-app-usage'] = appUsage;
        if (bucUsage !== undefined) headers['x-business-use-case-usage'] = bucUsage;
        // 1xx statuses are not final replies; undici cannot be given one, so use 200 there.
        const replyStatus = status < 200 ? 200 : status;
        agent.get(GRAPH).intercept({ path: () => true, method: 'GET' }).reply(replyStatus, text, { headers }).persist();
        const client = new GraphProfileClient({ accessToken: TOKEN, appSecret: SECRET, dispatcher: agent, retries: 1, retryDelay: 0 });
        try {
          const profile = await client.fetchProfile('1001', { businessId: '17841400000000001' });
          expect(profile.id).to.equal('1001');
          expect(profile.name === null || typeof profile.name === 'string').to.equal(true);
        } catch (error) {
          expect(error).to.be.instanceOf(InstagramProfileError);
          const printed = inspect(error, { depth: 10, showHidden: true });
          expect(printed).not.to.include(TOKEN);
          expect(printed).not.to.include(SECRET);
        } finally {
          await agent.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
