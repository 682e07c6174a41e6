import { expect } from 'chai';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { InstagramProfileError } from '../../src/errors.js';
import { webhookSignature } from '../../src/platform/signatures.js';
import { startAgentsBot, type RunningAgent } from './bots.js';

function sentTexts(emulator: Emulator, igsid: string): (string | undefined)[] {
  return emulator.sent(igsid).map((message) => message.text);
}

async function postSigned(url: string, body: unknown, secret: string): Promise<number> {
  const raw = JSON.stringify(body);
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhookSignature(raw, secret) }, body: raw });
  await response.body.dump();
  return response.statusCode;
}

describe('InstagramAgentsAdapter end to end: emulator → webhook → AgentApplication → Send API → emulator', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let bot: RunningAgent;

  async function start(options?: Parameters<typeof startAgentsBot>[1]) {
    bot = await startAgentsBot(emulator, options);
    emulator.setWebhookUrl(bot.url);
  }

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
    await start();
  });

  afterEach(async () => {
    await bot.close();
    await emulator.close();
  });

  it('should pass the handshake and greet a follower by name, with one profile call', async () => {
    expect((await emulator.verifyWebhook()).ok).to.equal(true);
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('hi');
    expect(delivery.status).to.equal(200);
    await emulator.waitForSent(follower.igsid);
    expect(sentTexts(emulator, follower.igsid)).to.deep.equal([`Hi ${follower.name} (follower) #1`]);
    expect(emulator.stats.profileCalls(follower.igsid)).to.equal(1);
    expect(bot.record.routes.map((r) => [r.route, r.event?.kind])).to.deep.equal([['message', 'message']]);
  });

  it('should branch on follow status', async () => {
    for (const key of ['follower', 'non-follower', 'mutual'] as const) {
      const person = emulator.persona(key);
      await person.sends('hello');
      await emulator.waitForSent(person.igsid);
    }
    expect(['follower', 'non-follower', 'mutual'].map((key) => sentTexts(emulator, emulator.persona(key).igsid)[0])).to.deep.equal([
      'Hi Ada Lovelace (follower) #1',
      'Hi Grace Hopper (none) #1',
      'Hi Alan Turing (mutual) #1',
    ]);
  });

  it('should route ice breakers and menu taps by payload ahead of the catch-all message route', async () => {
    const person = emulator.persona('non-follower');
    await person.tapsIcebreaker('SHIPPING');
    await emulator.waitForSent(person.igsid, { count: 1 });
    await person.tapsMenu('MENU_ORDER');
    await emulator.waitForSent(person.igsid, { count: 2 });
    expect(sentTexts(emulator, person.igsid)).to.deep.equal(['Ice breaker SHIPPING (icebreaker) for Grace Hopper', 'Menu MENU_ORDER (persistent_menu)']);
    expect(bot.record.routes.map((r) => r.route)).to.deep.equal(['icebreaker', 'menu']);
  });

  it('should give quick replies and other postbacks to onActivity("message")', async () => {
    const person = emulator.persona('follower');
    await person.tapsQuickReply('SOMETHING_ELSE', 'Other');
    await emulator.waitForSent(person.igsid, { count: 1 });
    await person.postback('Buy', 'BUY_42');
    await emulator.waitForSent(person.igsid, { count: 2 });
    expect(bot.record.routes.map((r) => [r.route, r.type, r.event?.kind, r.event?.payload])).to.deep.equal([
      ['message', 'message', 'quick_reply', 'SOMETHING_ELSE'],
      ['message', 'message', 'postback', 'BUY_42'],
    ]);
  });

  it('should see a comment as an "instagram/comment" event, without a profile call or a reply', async () => {
    const commenter = emulator.persona('commenter');
    const delivery = await commenter.comments('Love this post');
    await bot.adapter.drain();
    expect(delivery.status).to.equal(200);
    expect(bot.record.routes.map((r) => [r.route, r.type, r.name, r.event?.kind, r.event?.text])).to.deep.equal([['event', 'event', 'instagram/comment', 'comment', 'Love this post']]);
    expect(emulator.stats.profileCalls(commenter.igsid)).to.equal(0);
    expect(emulator.sent(commenter.igsid)).to.have.length(0);
  });

  it('should see a read as an "instagram/read" event and a reaction in onMessageReactionAdded', async () => {
    const person = emulator.persona('follower');
    await person.sends('hi');
    const [reply] = await emulator.waitForSent(person.igsid);
    await person.reads(reply!.messageId!);
    await person.reacts(reply!.messageId!, '🔥');
    await bot.adapter.drain();
    expect(bot.record.routes.slice(1).map((r) => [r.route, r.type, r.name, r.event?.kind])).to.deep.equal([
      ['event', 'event', 'instagram/read', 'read'],
      ['reaction', 'messageReaction', undefined, 'reaction'],
    ]);
    expect(sentTexts(emulator, person.igsid)).to.have.length(1);
  });

  it('should keep conversation state per Instagram conversation', async () => {
    const ada = emulator.persona('follower');
    const grace = emulator.persona('non-follower');
    await ada.sends('one');
    await emulator.waitForSent(ada.igsid, { count: 1 });
    await ada.sends('two');
    await emulator.waitForSent(ada.igsid, { count: 2 });
    await grace.sends('one');
    await emulator.waitForSent(grace.igsid, { count: 1 });
    expect(sentTexts(emulator, ada.igsid).map((text) => text?.split(' ').at(-1))).to.deep.equal(['#1', '#2']);
    expect(sentTexts(emulator, grace.igsid).map((text) => text?.split(' ').at(-1))).to.deep.equal(['#1']);
    const key = `instagram/${emulator.businessId}/conversations/${ada.igsid}`;
    const stored = await bot.storage.read([key]);
    expect(stored[key]).to.include({ count: 2 });
  });

  it('should answer a forged signature with 401 and run no turn', async () => {
    const { item } = emulator.persona('follower').event.sends('forged').event;
    const status = await postSigned(bot.url, { object: 'instagram', entry: [{ id: emulator.businessId, time: Date.now(), messaging: [item] }] }, 'not-the-app-secret');
    await bot.adapter.drain();
    expect(status).to.equal(401);
    expect(bot.record.routes).to.have.length(0);
    expect(emulator.sent()).to.have.length(0);
  });

  it('should run a replayed delivery once', async () => {
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('once');
    const replay = await emulator.deliver(delivery);
    expect(replay.status).to.equal(200);
    await emulator.waitForSent(follower.igsid);
    await bot.adapter.drain();
    expect(bot.record.routes).to.have.length(1);
    expect(sentTexts(emulator, follower.igsid)).to.have.length(1);
  });

  it('should answer a burst of 50 events once and reply to each in order, one profile call per person', async () => {
    const people = ['follower', 'non-follower', 'mutual', 'verified', 'no-picture'].map((key) => emulator.persona(key));
    const events = Array.from({ length: 50 }, (_, i) => people[i % people.length]!.event.sends(`message ${i}`));
    const delivery = await emulator.deliverBatch(events);
    expect(delivery.status).to.equal(200);
    for (const person of people) await emulator.waitForSent(person.igsid, { count: 10, timeoutMs: 5_000 });
    await bot.adapter.drain();
    expect(bot.record.routes).to.have.length(50);
    for (const person of people) {
      // Per-customer order: the conversation counter reads 1 … 10 in the order sent.
      expect(sentTexts(emulator, person.igsid).map((text) => text?.split(' ').at(-1))).to.deep.equal(Array.from({ length: 10 }, (_, i) => `#${i + 1}`));
      expect(emulator.stats.profileCalls(person.igsid)).to.equal(1);
    }
  });

  it('should acknowledge the webhook before a slow turn finishes', async () => {
    let release!: () => void;
    bot.record.gate = new Promise<void>((resolve) => (release = resolve));
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('are you there?');
    expect(delivery.status).to.equal(200);
    expect(bot.record.routes).to.have.length(1);
    expect(emulator.sent(follower.igsid)).to.have.length(0);
    release();
    await emulator.waitForSent(follower.igsid);
    expect(sentTexts(emulator, follower.igsid)).to.deep.equal([`Hi ${follower.name} (follower) #1`]);
  });

  it("should hand a Send API fault to the adapter's onTurnError as a typed error", async () => {
    emulator.faults.inject({ route: 'send', kind: 'graph-error', graphError: { code: 10, status: 403, message: 'Permission denied' } });
    const follower = emulator.persona('follower');
    await follower.sends('hi');
    await bot.adapter.drain();
    expect(bot.record.turnErrors).to.have.length(1);
    expect(bot.record.turnErrors[0]).to.be.instanceOf(InstagramProfileError).and.include({ code: 'PERMISSION_DENIED' });
    expect(emulator.sent(follower.igsid)).to.have.length(0);
  });

  it('should say nothing to the customer about a failed turn when onTurnError is left at its default', async () => {
    await bot.close();
    await start({ defaultTurnError: true });
    emulator.faults.inject({ route: 'send', kind: 'graph-error', graphError: { code: 10, status: 403 }, times: 1 });
    const follower = emulator.persona('follower');
    await follower.sends('hi');
    await bot.adapter.drain();
    await follower.sends('again');
    await emulator.waitForSent(follower.igsid);
    // The SDK's own default would have sent "The agent encountered an error or bug." after the failure.
    expect(sentTexts(emulator, follower.igsid)).to.deep.equal([`Hi ${follower.name} (follower) #1`]);
  });
});
