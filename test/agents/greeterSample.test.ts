import { expect } from 'chai';
import { startEmulator, type Emulator } from 'botbuilder-instagram-profile/emulator';
import { startAgentsGreeter } from '../../samples/agents-greeter/server.js';

// The same conversations as test/samples/greeters.test.ts, on the Agents SDK greeter.
describe('the Agents SDK greeter sample on the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let agent: Awaited<ReturnType<typeof startAgentsGreeter>>;

  beforeEach(async () => {
    emulator = await startEmulator();
    agent = await startAgentsGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port: 0 });
    emulator.setWebhookUrl(agent.webhookUrl);
  });

  afterEach(async () => {
    await agent.close();
    await emulator.close();
  });

  /** The last message the persona got after acting. */
  async function answer(key: string, act: (persona: ReturnType<Emulator['persona']>) => Promise<unknown>) {
    const persona = emulator.persona(key);
    const count = persona.received().length + 1;
    await act(persona);
    return (await emulator.waitForSent(persona.igsid, { count, timeoutMs: 5_000 })).at(-1)!;
  }

  it('should pass the handshake and greet by first name and follow status, offering quick replies', async () => {
    expect(await emulator.verifyWebhook()).to.include({ ok: true });
    const greetings = [];
    for (const key of ['follower', 'non-follower', 'mutual', 'no-name', 'rtl']) greetings.push((await answer(key, (p) => p.sends('hi'))).text);
    expect(greetings).to.deep.equal([
      'Hi Ada! Thanks for following us. How can we help?',
      'Hi Grace! Follow us to hear about new drops first. How can we help?',
      'Hi Alan! Always good to hear from a mutual follow. How can we help?',
      'Hi @quiet.fox! Follow us to hear about new drops first. How can we help?',
      'Hi ليلى! Follow us to hear about new drops first. How can we help?',
    ]);
    expect(emulator.sent(emulator.persona('mutual').igsid)[0]?.quickReplies?.map((q) => q.payload)).to.deep.equal(['HOURS', 'SHIPPING']);
  });

  it('should send creators with a large audience to partnerships, without quick replies', async () => {
    const reply = await answer('verified', (p) => p.sends('collab?'));
    expect(reply.text).to.include('partnerships team');
    expect(reply.quickReplies ?? []).to.have.length(0);
  });

  it('should answer ice breakers, menu items and quick replies by payload, loading the profile once', async () => {
    expect((await answer('follower', (p) => p.tapsIcebreaker('HOURS'))).text).to.equal("Hi Ada! We're open Monday to Saturday, 9:00–18:00.");
    expect((await answer('follower', (p) => p.tapsMenu('MENU_ORDER'))).text).to.equal('Send me your order number and I will look it up.');
    expect((await answer('follower', (p) => p.tapsQuickReply('SHIPPING', 'Shipping'))).text).to.equal('Shipping is free over €50, otherwise €4.90, and takes 2–3 days.');
    expect(emulator.stats.profileCalls(emulator.persona('follower').igsid)).to.equal(1);
  });

  it('should stay polite when Graph is down', async () => {
    emulator.faults.inject({ kind: 'status', status: 503 });
    expect((await answer('non-follower', (p) => p.sends('hi'))).text).to.equal('Hi there! How can we help?');
  });

  it('should record a comment in the inspector and not DM its author', async () => {
    const carl = emulator.persona('commenter');
    expect((await carl.comments('Love this!')).status).to.equal(200);
    await agent.adapter.drain();
    expect(carl.received()).to.have.length(0);
    expect(agent.inspector.turns.map((t) => [t.kind, t.igsid, t.reply])).to.deep.equal([['comment', carl.igsid, undefined]]);
  });
});
