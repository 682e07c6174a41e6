import { expect } from 'chai';
import sinon from 'sinon';
import { MockAgent } from 'undici';
import { AccessTokenError, GraphProfileClient } from '../../src/index.js';
import { defaultGraphUrlFor, tokenFamilyOf, wrongHostHint } from '../../src/platform/hosts.js';
import { SendApiClient } from '../../src/graph/sendApi.js';
import { FB, IG, IGSID, failure, graphError } from './graphMock.js';

const IG_TOKEN = 'IGQWRPa1ZAinstagram-user-token';
const PAGE_TOKEN = 'EAAGm0PX4ZCpsBApage-token';
const CANNOT_PARSE = graphError(190, { message: 'Invalid OAuth access token - Cannot parse access token' });

describe('tokens and Graph hosts', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(async () => {
    sinon.restore();
    await agent.close();
  });

  it('should tell the login a token comes from by its prefix, and pick the host from it when graphUrl is not set', () => {
    expect([tokenFamilyOf(IG_TOKEN), tokenFamilyOf(PAGE_TOKEN), tokenFamilyOf('opaque')]).to.deep.equal(['instagram', 'facebook', 'unknown']);
    expect(defaultGraphUrlFor(IG_TOKEN)).to.equal(IG);
    expect(defaultGraphUrlFor(PAGE_TOKEN)).to.equal(FB);
    expect(defaultGraphUrlFor(async () => IG_TOKEN)).to.equal(FB);
    expect(new GraphProfileClient({ accessToken: IG_TOKEN }).graphUrl).to.equal(IG);
    expect(new GraphProfileClient({ accessToken: IG_TOKEN, graphUrl: FB }).graphUrl).to.equal(FB);
    expect(wrongHostHint(PAGE_TOKEN, 'http://127.0.0.1:8080')).to.equal(undefined);
  });

  it('should say which host an Instagram user token belongs to when graph.facebook.com cannot parse it, without the token', async () => {
    agent.get(FB).intercept({ path: (p) => p.startsWith(`/v26.0/${IGSID}?`) }).reply(400, CANNOT_PARSE);
    const client = new GraphProfileClient({ accessToken: IG_TOKEN, graphUrl: FB, dispatcher: agent });
    const error = await failure(client.fetchProfile(IGSID));
    expect(error).to.be.instanceOf(AccessTokenError);
    expect(error.message).to.contain('Instagram user token').and.contain(IG);
    expect(`${error.message} ${error.stack}`).to.not.contain(IG_TOKEN);
  });

  it('should say which host a Page token belongs to when the Send API on graph.instagram.com cannot parse it', async () => {
    agent.get(IG).intercept({ path: (p) => p.startsWith('/v26.0/me/messages'), method: 'POST' }).reply(400, CANNOT_PARSE);
    const client = new SendApiClient({ accessToken: PAGE_TOKEN, graphUrl: IG, dispatcher: agent });
    const error = await failure(client.send(undefined, { recipient: { id: IGSID }, message: { text: 'hi' } }));
    expect(error).to.be.instanceOf(AccessTokenError);
    expect(error.message).to.contain('Page or user token').and.contain(FB);
  });

  it('should leave expired or invalid sessions (190 with a subcode) as Meta worded them', async () => {
    agent.get(FB).intercept({ path: (p) => p.startsWith(`/v26.0/${IGSID}?`) }).reply(400, graphError(190, { message: 'Session has expired', error_subcode: 463 }));
    const client = new GraphProfileClient({ accessToken: IG_TOKEN, graphUrl: FB, dispatcher: agent });
    expect((await failure(client.fetchProfile(IGSID))).message).to.not.contain('graph.instagram.com');
  });

  it('should warn once when the pinned Graph API version is past its end, at construction', () => {
    const emit = sinon.stub(process, 'emitWarning');
    new GraphProfileClient({ accessToken: PAGE_TOKEN, apiVersion: 'v16.0', now: () => Date.UTC(2026, 10, 25) });
    new SendApiClient({ accessToken: PAGE_TOKEN, apiVersion: 'v16.0', now: () => Date.UTC(2026, 10, 25) });
    expect(emit.callCount).to.equal(1);
    expect((emit.firstCall.args[1] as { code: string }).code).to.equal('INSTAGRAM_PROFILE_API_VERSION_ENDED');
  });
});
