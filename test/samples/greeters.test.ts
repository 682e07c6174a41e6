import { expect } from 'chai';
import { startEmulator, type Emulator } from 'botbuilder-instagram-profile/emulator';
import { startGreeter } from '../../samples/botbuilder-greeter/server.js';
import { startBotkitGreeter } from '../../samples/botkit-greeter/server.js';
import { startAgentsGreeter } from '../../samples/agents-greeter/server.js';

const samples = {
  botbuilder: startGreeter,
  botkit: startBotkitGreeter,
  agents: startAgentsGreeter,
} as const;

for (const [name, start] of Object.entries(samples)) {
  describe(`the ${name} greeter sample on the emulator`, function () {
    this.timeout(20_000);
    let emulator: Emulator;
    let bot: Awaited<ReturnType<typeof start>>;

    beforeEach(async () => {
      emulator = await startEmulator();
      bot = await start({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port: 0 });
      emulator.setWebhookUrl(bot.webhookUrl);
    });

    afterEach(async () => {
      await bot.close();
      await emulator.close();
    });

    async function reply(key: string, act: (persona: ReturnType<Emulator['persona']>) => Promise<unknown>) {
      const persona = emulator.persona(key);
      const before = persona.received().length;
      await act(persona);
      const messages = await emulator.waitForSent(persona.igsid, { count: before + 1, timeoutMs: 5_000 });
      return messages.at(-1)!;
    }

    it('should pass the webhook verification handshake', async () => {
      expect(await emulator.verifyWebhook()).to.include({ ok: true });
    });

    for (const [key, text] of [
      ['follower', 'Hi Ada! Thanks for following us. How can we help?'],
      ['non-follower', 'Hi Grace! Follow us to hear about new drops first. How can we help?'],
      ['mutual', 'Hi Alan! Always good to hear from a mutual follow. How can we help?'],
      ['no-name', 'Hi @quiet.fox! Follow us to hear about new drops first. How can we help?'],
      ['emoji', 'Hi Mei! Thanks for following us. How can we help?'],
      ['rtl', 'Hi ليلى! Follow us to hear about new drops first. How can we help?'],
    ] as const) {
      it(`should greet ${key} by name and follow status`, async () => {
        const message = await reply(key, (p) => p.sends('hi'));
        expect(message.text).to.equal(text);
        expect(message.quickReplies?.map((q) => q.payload)).to.deep.equal(['HOURS', 'SHIPPING']);
      });
    }

    it('should route a verified account with a large audience to partnerships', async () => {
      const message = await reply('verified', (p) => p.sends('collab?'));
      expect(message.text).to.include('partnerships team');
    });

    it('should answer ice breakers, menu items and quick replies by payload', async () => {
      expect((await reply('follower', (p) => p.tapsIcebreaker('SHIPPING'))).text).to.equal('Hi Ada! Shipping is free over €50, otherwise €4.90, and takes 2–3 days.');
      expect((await reply('follower', (p) => p.tapsMenu('MENU_HUMAN'))).text).to.equal('A teammate will pick up this conversation here shortly.');
      expect((await reply('follower', (p) => p.tapsQuickReply('HOURS', 'Opening hours'))).text).to.equal("We're open Monday to Saturday, 9:00–18:00.");
    });

    it('should load each profile once, however many messages', async () => {
      await reply('follower', (p) => p.sends('one'));
      await reply('follower', (p) => p.sends('two'));
      await reply('follower', (p) => p.sends('three'));
      expect(emulator.stats.profileCalls(emulator.persona('follower').igsid)).to.equal(1);
    });

    it('should stay polite when the profile cannot be read (blocked) or Graph is down', async () => {
      emulator.faults.inject({ kind: 'graph-error', igsid: emulator.persona('mutual').igsid, graphError: { code: 100, subcode: 33 } });
      expect((await reply('mutual', (p) => p.sends('hi'))).text).to.equal('Hi there! How can we help?');
      emulator.faults.inject({ kind: 'status', status: 503 });
      expect((await reply('non-follower', (p) => p.sends('hi'))).text).to.equal('Hi there! How can we help?');
    });

    it('should not DM someone who only commented', async () => {
      const carl = emulator.persona('commenter');
      const delivery = await carl.comments('Love this!');
      expect(delivery.status).to.equal(200);
      await bot.adapter.drain();
      expect(carl.received()).to.have.length(0);
    });
  });
}
