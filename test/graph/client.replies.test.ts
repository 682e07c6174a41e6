import { expect } from 'chai';
import { GraphRequestError } from '../../src/index.js';
import { IGSID, adaReply, failure, graphError, graphMock } from './graphMock.js';

/** Replies no User Profile API sends: each must be GRAPH_BAD_RESPONSE, not retried, with the reason. */
const MALFORMED: Array<[string, unknown, RegExp]> = [
  ['an HTML page', '<html><body>hi</body></html>', /not JSON/],
  ['truncated JSON', '{"name":"Ada', /not JSON/],
  ['an empty body', '', /not JSON/],
  ['a body of spaces', '   ', /not JSON/],
  ['JSON null', 'null', /not a JSON object/],
  ['a JSON number', '42', /not a JSON object/],
  ['a JSON string', '"Ada"', /not a JSON object/],
  ['a JSON array', [adaReply], /not a JSON object/],
  ['an error body', graphError(2), /error body/],
  ['another id', { ...adaReply, id: '999' }, /another id/],
  ['a numeric id', { ...adaReply, id: Number(IGSID) }, /another id/],
  ['a numeric name', { ...adaReply, name: 42 }, /"name"/],
  ['an object name', { ...adaReply, name: { first: 'Ada' } }, /"name"/],
  ['a boolean name', { ...adaReply, name: false }, /"name"/],
  ['a javascript: picture', { ...adaReply, profile_pic: 'javascript:alert(1)' }, /"profile_pic"/],
  ['a relative picture', { ...adaReply, profile_pic: '/pic.jpg' }, /"profile_pic"/],
  ['a numeric picture', { ...adaReply, profile_pic: 7 }, /"profile_pic"/],
  ['a numeric username', { ...adaReply, username: 7 }, /"username"/],
  ['an array username', { ...adaReply, username: ['ada'] }, /"username"/],
  ['a string follower count', { ...adaReply, follower_count: '120' }, /"follower_count"/],
  ['a negative follower count', { ...adaReply, follower_count: -1 }, /"follower_count"/],
  ['a fractional follower count', { ...adaReply, follower_count: 1.5 }, /"follower_count"/],
  ['an unsafe follower count', { ...adaReply, follower_count: 1e300 }, /"follower_count"/],
  ['a boolean follower count', { ...adaReply, follower_count: true }, /"follower_count"/],
  ['a string is_verified_user', { ...adaReply, is_verified_user: 'true' }, /"is_verified_user"/],
  ['a numeric is_user_follow_business', { ...adaReply, is_user_follow_business: 1 }, /"is_user_follow_business"/],
  ['a string is_business_follow_user', { ...adaReply, is_business_follow_user: 'false' }, /"is_business_follow_user"/],
];

describe('GraphProfileClient replies', () => {
  let graph: ReturnType<typeof graphMock>;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    await graph.close();
  });

  describe('malformed', () => {
    for (const [label, body, reason] of MALFORMED) {
      it(`should report a 200 with ${label} as GRAPH_BAD_RESPONSE, once`, async () => {
        graph.reply(200, body);
        const error = await failure(graph.client({ retries: 3 }).fetchProfile(IGSID));
        expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_BAD_RESPONSE', status: 200, isTransient: false });
        expect(error.message).to.match(reason);
        expect(graph.paths).to.have.length(1);
      });
    }

    it('should report a 4xx whose error is not an object as GRAPH_BAD_RESPONSE', async () => {
      graph.reply(400, { error: 'bad request' });
      expect(await failure(graph.client().fetchProfile(IGSID))).to.include({ code: 'GRAPH_BAD_RESPONSE', status: 400 });
    });

    it('should report an error envelope with neither code nor message as GRAPH_BAD_RESPONSE', async () => {
      graph.reply(400, { error: { type: 'OAuthException' } });
      expect(await failure(graph.client().fetchProfile(IGSID))).to.include({ code: 'GRAPH_BAD_RESPONSE', status: 400 });
    });

    it('should drop a body over maxResponseBytes as GRAPH_BAD_RESPONSE', async () => {
      graph.reply(200, JSON.stringify({ ...adaReply, name: 'x'.repeat(5_000) }));
      const error = await failure(graph.client({ maxResponseBytes: 1_024, retries: 2 }).fetchProfile(IGSID));
      expect(error).to.include({ code: 'GRAPH_BAD_RESPONSE', status: 200 });
      expect(error.message).to.include('1024 bytes');
      expect(graph.paths).to.have.length(1);
    });

    it('should read a body of exactly maxResponseBytes', async () => {
      const text = JSON.stringify({ ...adaReply, name: '' });
      const padded = JSON.stringify({ ...adaReply, name: 'x'.repeat(1_024 - text.length) });
      expect(Buffer.byteLength(padded)).to.equal(1_024);
      graph.reply(200, padded);
      expect((await graph.client({ maxResponseBytes: 1_024 }).fetchProfile(IGSID)).name).to.have.length(1_024 - text.length);
    });

    it('should count the limit in bytes, not characters', async () => {
      graph.reply(200, JSON.stringify({ ...adaReply, name: '😀'.repeat(300) })); // 1200 bytes of name, 600 UTF-16 units
      expect(await failure(graph.client({ maxResponseBytes: 1_024 }).fetchProfile(IGSID))).to.include({ code: 'GRAPH_BAD_RESPONSE' });
    });
  });

  describe('well-formed but sparse', () => {
    it('should read a missing optional field as unknown, never as false', async () => {
      graph.reply(200, { id: IGSID, name: 'Ada' });
      const profile = await graph.client().fetchProfile(IGSID);
      expect(profile).to.deep.equal({ id: IGSID, name: 'Ada', profilePic: null });
      expect(profile).not.to.have.property('isUserFollowBusiness');
    });

    it('should read null optional fields as unknown and an empty picture as none', async () => {
      graph.reply(200, { id: IGSID, name: null, username: null, profile_pic: '', follower_count: null, is_verified_user: null, is_user_follow_business: null, is_business_follow_user: null });
      expect(await graph.client().fetchProfile(IGSID)).to.deep.equal({ id: IGSID, name: null, profilePic: null });
    });

    it('should keep false and zero as values', async () => {
      graph.reply(200, { id: IGSID, follower_count: 0, is_verified_user: false, is_user_follow_business: false, is_business_follow_user: false });
      expect(await graph.client().fetchProfile(IGSID)).to.deep.equal({ id: IGSID, name: null, profilePic: null, followerCount: 0, isVerifiedUser: false, isUserFollowBusiness: false, isBusinessFollowUser: false });
    });

    it('should take the id from the request when the reply has none, and ignore unknown fields (__proto__ included)', async () => {
      const { id: _id, ...withoutId } = adaReply;
      graph.reply(200, JSON.stringify({ ...withoutId, email: 'ada@example.com' }).replace('{', '{"__proto__":{"polluted":true},'));
      const profile = await graph.client().fetchProfile(IGSID);
      expect(profile.id).to.equal(IGSID);
      expect((profile as unknown as { polluted?: boolean }).polluted).to.equal(undefined);
      expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
      expect(Object.keys(profile)).to.have.members(['id', 'name', 'username', 'profilePic', 'followerCount', 'isVerifiedUser', 'isUserFollowBusiness', 'isBusinessFollowUser']);
    });

    it('should keep names as sent: emoji, right-to-left, markup', async () => {
      for (const name of ['👩🏽‍💻 Ada', 'مريم', '<b>{first_name}</b>']) graph.reply(200, { ...adaReply, name });
      const client = graph.client();
      const names = [];
      for (let i = 0; i < 3; i++) names.push((await client.fetchProfile(IGSID)).name);
      expect(names).to.deep.equal(['👩🏽‍💻 Ada', 'مريم', '<b>{first_name}</b>']);
    });
  });
});
