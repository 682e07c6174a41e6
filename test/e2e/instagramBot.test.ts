import { expect } from 'chai';
import { request } from 'undici';
import { startEmulator } from '../../src/emulator/index.js';
import { webhookSignature } from '../../src/platform/signatures.js';
import { type RunningBot, startBots } from './bots.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Text of the messages the emulator recorded for one customer. */
function sentTexts(emulator: Emulator, igsid: string): (string | undefined)[] {
  return emulator.sent(igsid).map((message) => message.text);
}

async function postSigned(url: string, body: unknown, secret: string) {
  const raw = JSON.stringify(body);
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhookSignature(raw, secret) }, body: raw });
  await response.body.dump();
  return response.statusCode;
}

describe('end to end: emulator → webhook → bot → Send API → emulator', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let bot: RunningBot | undefined;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
  });

  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await emulator.close();
  });

  async function start(kind: keyof typeof startBots) {
    bot = await startBots[kind](emulator);
    emulator.setWebhookUrl(bot.url);
    return bot;
  }

  for (const kind of ['express', 'botkit', 'http'] as const) {
    it(`should greet a follower by name (${kind})`, async () => {
      await start(kind);
      const handshake = await emulator.verifyWebhook();
      expect(handshake.ok).to.equal(true);
      const follower = emulator.persona('follower');
      const delivery = await follower.sends('hi');
      expect(delivery.status).to.equal(200);
      await emulator.waitForSent(follower.igsid);
      expect(sentTexts(emulator, follower.igsid)).to.deep.equal([`Hi ${follower.name}!`]);
      expect(emulator.stats.profileCalls(follower.igsid)).to.equal(1);
    });
  }

  it('should branch on ice-breaker and persistent-menu taps', async () => {
    await start('express');
    const person = emulator.persona('non-follower');
    const icebreaker = emulator.icebreakers[0]!.payload;
    const menu = emulator.persistentMenu[0]!.payload;
    await person.tapsIcebreaker(icebreaker);
    await emulator.waitForSent(person.igsid, { count: 1 });
    await person.tapsMenu(menu);
    await emulator.waitForSent(person.igsid, { count: 2 });
    expect(sentTexts(emulator, person.igsid)).to.deep.equal([`Ice breaker ${icebreaker} for ${person.name}`, `Menu ${menu} for ${person.name}`]);
    expect(bot!.record.events.map((e) => e?.kind)).to.deep.equal(['icebreaker', 'persistent_menu']);
  });

  it('should branch on ice-breaker taps with Botkit too', async () => {
    await start('botkit');
    const person = emulator.persona('follower');
    const icebreaker = emulator.icebreakers[0]!.payload;
    await person.tapsIcebreaker(icebreaker);
    await emulator.waitForSent(person.igsid);
    expect(sentTexts(emulator, person.igsid)).to.deep.equal([`Ice breaker ${icebreaker} for ${person.name}`]);
  });

  it('should answer a forged signature with 401 and run no turn', async () => {
    await start('express');
    const { item } = emulator.persona('follower').event.sends('forged').event;
    const status = await postSigned(bot!.url, { object: 'instagram', entry: [{ id: emulator.businessId, time: Date.now(), messaging: [item] }] }, 'not-the-app-secret');
    await bot!.adapter.drain();
    expect(status).to.equal(401);
    expect(bot!.record.events).to.have.length(0);
    expect(emulator.sent()).to.have.length(0);
  });

  it('should run a replayed delivery once', async () => {
    await start('express');
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('once');
    const replay = await emulator.deliver(delivery);
    expect(replay.status).to.equal(200);
    await emulator.waitForSent(follower.igsid);
    await bot!.adapter.drain();
    expect(bot!.record.events).to.have.length(1);
    expect(sentTexts(emulator, follower.igsid)).to.have.length(1);
  });

  it('should see a comment as a comment event, without calling the profile API or replying', async () => {
    await start('express');
    const commenter = emulator.persona('commenter');
    const delivery = await commenter.comments('Love this post');
    await bot!.adapter.drain();
    expect(delivery.status).to.equal(200);
    expect(bot!.record.events.map((e) => [e?.kind, e?.igsid, e?.text])).to.deep.equal([['comment', commenter.igsid, 'Love this post']]);
    expect(emulator.stats.profileCalls(commenter.igsid)).to.equal(0);
    expect(emulator.sent(commenter.igsid)).to.have.length(0);
  });

  it('should run a turn for a standby-only entry and leave the thread to the app that holds it', async () => {
    await start('express');
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('while another app holds the thread', { standby: true });
    await bot!.adapter.drain();
    expect(delivery.status).to.equal(200);
    expect(delivery.payload.entry[0]).to.have.property('standby').and.not.have.property('messaging');
    expect(bot!.record.standby).to.equal(1);
    expect(bot!.record.events[0]?.kind).to.equal('message');
    expect(emulator.sent(follower.igsid)).to.have.length(0);
  });

  it('should answer a batch of 50 events once and reply to each, one profile call per person', async () => {
    await start('express');
    const people = ['follower', 'non-follower', 'mutual', 'verified', 'no-picture'].map((key) => emulator.persona(key));
    const events = Array.from({ length: 50 }, (_, i) => people[i % people.length]!.event.sends(`message ${i}`));
    const delivery = await emulator.deliverBatch(events);
    expect(delivery.status).to.equal(200);
    for (const person of people) await emulator.waitForSent(person.igsid, { count: 10, timeoutMs: 5_000 });
    await bot!.adapter.drain();
    expect(bot!.record.events).to.have.length(50);
    for (const person of people) {
      expect(sentTexts(emulator, person.igsid)).to.have.length(10);
      expect(emulator.stats.profileCalls(person.igsid)).to.equal(1);
    }
  });

  it('should acknowledge the webhook before a slow turn finishes', async () => {
    await start('express');
    let release!: () => void;
    bot!.record.gate = new Promise<void>((resolve) => (release = resolve));
    const follower = emulator.persona('follower');
    const delivery = await follower.sends('are you there?');
    expect(delivery.status).to.equal(200);
    expect(emulator.sent(follower.igsid)).to.have.length(0);
    release();
    await emulator.waitForSent(follower.igsid);
    expect(sentTexts(emulator, follower.igsid)).to.deep.equal([`Hi ${follower.name}!`]);
  });
});
