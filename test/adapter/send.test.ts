import { expect } from 'chai';
import { type Activity, ActivityTypes, MessageFactory, TurnContext } from 'botbuilder';
import { MockAgent } from 'undici';
import { InstagramAdapter } from '../../src/adapter/index.js';
import { AccessTokenError, GraphRequestError, InstagramProfileError, PermissionError, RateLimitError } from '../../src/errors.js';
import { appSecretProof } from '../../src/platform/signatures.js';
import { ACCESS_TOKEN, APP_SECRET, BUSINESS, CUSTOMER, VERIFY_TOKEN } from './helpers.js';

const GRAPH = 'https://graph.facebook.com';
const NOW = 1_760_000_000_000;

interface Sent {
  body: Record<string, unknown>;
  query: URLSearchParams;
  authorization: string | undefined;
}

function incoming(): Partial<Activity> {
  return {
    type: 'message',
    id: 'aWdfIN',
    text: 'hi',
    channelId: 'instagram',
    serviceUrl: GRAPH,
    from: { id: CUSTOMER, name: '' },
    recipient: { id: BUSINESS, name: '' },
    conversation: { id: CUSTOMER, isGroup: false, conversationType: '', name: '' },
  };
}

describe('InstagramAdapter sending', () => {
  let agent: MockAgent;
  let sent: Sent[];
  let adapter: InstagramAdapter;

  /** Intercepts Send API calls, recording them and answering like Meta. */
  function acceptSends(times = 10) {
    agent
      .get(GRAPH)
      .intercept({ path: (path) => path.startsWith('/v26.0/me/messages?'), method: 'POST' })
      .reply(200, (options) => {
        const body = JSON.parse(String(options.body)) as Record<string, unknown>;
        const headers = options.headers as Record<string, string>;
        sent.push({ body, query: new URL(`${GRAPH}${options.path}`).searchParams, authorization: headers.authorization ?? headers.Authorization });
        return { recipient_id: CUSTOMER, message_id: `aWdfOUT${sent.length}` };
      })
      .times(times);
  }

  function failSends(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
    agent
      .get(GRAPH)
      .intercept({ path: (path) => path.startsWith('/v26.0/me/messages?'), method: 'POST' })
      .reply(status, { error: { fbtrace_id: 'AbC', ...error } }, { headers });
  }

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    sent = [];
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, dispatcher: agent, now: () => NOW });
  });

  afterEach(async () => {
    await agent.close();
  });

  const context = () => new TurnContext(adapter, incoming());

  it('should send text to the customer with the token, appsecret_proof and appsecret_time, and return the message id', async () => {
    acceptSends();
    const response = await context().sendActivity('Hi Ada!');
    expect(response?.id).to.equal('aWdfOUT1');
    expect(sent).to.have.length(1);
    expect(sent[0]!.body).to.deep.equal({ recipient: { id: CUSTOMER }, message: { text: 'Hi Ada!' } });
    const time = Math.floor(NOW / 1000);
    expect(sent[0]!.authorization).to.equal(`Bearer ${ACCESS_TOKEN}`);
    expect(sent[0]!.query.has('access_token')).to.equal(false);
    expect(sent[0]!.query.get('appsecret_time')).to.equal(String(time));
    expect(sent[0]!.query.get('appsecret_proof')).to.equal(appSecretProof(ACCESS_TOKEN, APP_SECRET, time));
  });

  it('should turn suggested actions into at most 13 quick replies with titles cut to 20 characters', async () => {
    acceptSends();
    const titles = ['A very long title that goes on', ...Array.from({ length: 14 }, (_, i) => `Option ${i}`)];
    await context().sendActivity(MessageFactory.suggestedActions(titles, 'Pick one'));
    const message = sent[0]!.body.message as { text: string; quick_replies: { content_type: string; title: string; payload: string }[] };
    expect(message.text).to.equal('Pick one');
    expect(message.quick_replies).to.have.length(13);
    expect(message.quick_replies[0]).to.deep.equal({ content_type: 'text', title: 'A very long title th', payload: 'A very long title that goes on' });
  });

  it('should never split an emoji when cutting a quick reply title', async () => {
    acceptSends();
    await context().sendActivity(MessageFactory.suggestedActions([{ type: 'imBack', title: '🌸'.repeat(25), value: 'FLOWERS' }], 'Pick'));
    const reply = (sent[0]!.body.message as { quick_replies: { title: string; payload: string }[] }).quick_replies[0]!;
    expect(Array.from(reply.title)).to.have.length(20);
    expect(reply.title).to.equal('🌸'.repeat(20));
    expect(reply.payload).to.equal('FLOWERS');
  });

  it('should send image and file attachments by URL, one message each, after the text', async () => {
    acceptSends();
    const activity = MessageFactory.text('Your receipt');
    activity.attachments = [
      { contentType: 'image/png', contentUrl: 'https://cdn.example/r.png' },
      { contentType: 'application/pdf', contentUrl: 'https://cdn.example/r.pdf' },
    ];
    const response = await context().sendActivity(activity);
    expect(sent.map((s) => s.body.message)).to.deep.equal([
      { text: 'Your receipt' },
      { attachment: { type: 'image', payload: { url: 'https://cdn.example/r.png' } } },
      { attachment: { type: 'file', payload: { url: 'https://cdn.example/r.pdf' } } },
    ]);
    expect(response?.id).to.equal('aWdfOUT3');
  });

  it('should refuse a card attachment without a contentUrl with SEND_UNSUPPORTED and send nothing', async () => {
    const activity = MessageFactory.attachment({ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'x' } });
    const error = await context().sendActivity(activity).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InstagramProfileError).with.property('code', 'SEND_UNSUPPORTED');
    expect(sent).to.have.length(0);
  });

  it('should send typing as sender_action typing_on', async () => {
    acceptSends();
    await context().sendActivity({ type: ActivityTypes.Typing });
    expect(sent[0]!.body).to.deep.equal({ recipient: { id: CUSTOMER }, sender_action: 'typing_on' });
  });

  it('should ask the accessToken function for the token of the business the conversation belongs to', async () => {
    const asked: (string | undefined)[] = [];
    adapter = new InstagramAdapter({
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      accessToken: async (businessId) => {
        asked.push(businessId);
        return 'TOKEN_FOR_THIS_BUSINESS';
      },
      dispatcher: agent,
    });
    acceptSends();
    await context().sendActivity('hi');
    expect(asked).to.deep.equal([BUSINESS]);
    expect(sent[0]!.authorization).to.equal('Bearer TOKEN_FOR_THIS_BUSINESS');
  });

  it('should reject with PermissionError outside the 24-hour window, without the token in the error', async () => {
    failSends(400, { message: `(#10) This message is sent outside of allowed window. token=${ACCESS_TOKEN}`, type: 'OAuthException', code: 10, error_subcode: 2018278 });
    const error = (await context().sendActivity('late').catch((e: unknown) => e)) as PermissionError;
    expect(error).to.be.instanceOf(PermissionError);
    expect(error.subcode).to.equal(2018278);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).to.not.contain(ACCESS_TOKEN);
  });

  it('should reject with AccessTokenError on code 190 and RateLimitError with Meta’s regain estimate', async () => {
    failSends(400, { message: 'Session has expired', type: 'OAuthException', code: 190, error_subcode: 463 });
    expect(await context().sendActivity('x').catch((e: unknown) => e)).to.be.instanceOf(AccessTokenError);
    const usage = JSON.stringify({ [BUSINESS]: [{ type: 'instagram', call_count: 100, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 3 }] });
    failSends(400, { message: 'limit', code: 80002 }, { 'x-business-use-case-usage': usage });
    const limited = (await context().sendActivity('x').catch((e: unknown) => e)) as RateLimitError;
    expect(limited).to.be.instanceOf(RateLimitError);
    expect(limited.retryAfterMs).to.equal(180_000);
  });

  it('should send again after a transient failure (502), and answer with the message id', async () => {
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, dispatcher: agent, now: () => NOW });
    agent.get(GRAPH).intercept({ path: (p) => p.startsWith('/v26.0/me/messages?'), method: 'POST' }).reply(502, '<html>Bad gateway</html>');
    acceptSends(1);
    const response = await context().sendActivity('Hi again');
    expect(response?.id).to.equal('aWdfOUT1');
    expect(sent).to.have.length(1);
  });

  it('should reject with GraphRequestError on a network failure or a reply that is not Graph’s, never leaking the token', async () => {
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, dispatcher: agent, sendRetries: 0 });
    agent.get(GRAPH).intercept({ path: (p) => p.startsWith('/v26.0/me/messages?'), method: 'POST' }).replyWithError(new Error(`connect failed for access_token=${ACCESS_TOKEN}`));
    const network = (await context().sendActivity('x').catch((e: unknown) => e)) as GraphRequestError;
    expect(network).to.be.instanceOf(GraphRequestError).with.property('code', 'GRAPH_NETWORK_ERROR');
    expect(`${network.message} ${String((network.cause as Error | undefined)?.message)}`).to.not.contain(ACCESS_TOKEN);
    agent.get(GRAPH).intercept({ path: (p) => p.startsWith('/v26.0/me/messages?'), method: 'POST' }).reply(502, '<html>Bad gateway</html>');
    const html = (await context().sendActivity('x').catch((e: unknown) => e)) as GraphRequestError;
    expect(html).to.be.instanceOf(GraphRequestError).with.property('code', 'GRAPH_BAD_RESPONSE');
  });

  it('should reject updateActivity and deleteActivity with SEND_UNSUPPORTED', async () => {
    const update = await context().updateActivity({ id: 'x', type: 'message', text: 'y' }).catch((e: unknown) => e);
    const remove = await context().deleteActivity('x').catch((e: unknown) => e);
    for (const error of [update, remove]) {
      expect(error).to.be.instanceOf(InstagramProfileError).with.property('code', 'SEND_UNSUPPORTED');
      expect((error as Error).message).to.match(/not supported/);
    }
  });

  it('should send a proactive message with continueConversation from a saved reference', async () => {
    acceptSends();
    const reference = TurnContext.getConversationReference(incoming());
    let channelId: string | undefined;
    await adapter.continueConversation(reference, async (proactive) => {
      channelId = proactive.activity.channelId;
      await proactive.sendActivity('Your order shipped');
    });
    expect(channelId).to.equal('instagram');
    expect(sent[0]!.body).to.deep.equal({ recipient: { id: CUSTOMER }, message: { text: 'Your order shipped' } });
  });

  it('should refuse to send to a recipient that is not an IGSID', async () => {
    const activity = { ...incoming(), from: { id: 'not-digits/../me', name: '' }, conversation: { id: 'x', isGroup: false, conversationType: '', name: '' } };
    const error = await new TurnContext(adapter, activity).sendActivity('hi').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InstagramProfileError).with.property('code', 'INVALID_IGSID');
  });
});
