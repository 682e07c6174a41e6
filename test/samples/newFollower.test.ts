import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGreeter } from '../../samples/botbuilder-greeter/server.js';

describe('the greeter thanks a new follower exactly once', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let bot: Awaited<ReturnType<typeof startGreeter>>;

  beforeEach(async () => {
    emulator = await startEmulator();
    // Follow flags older than 1 ms are re-read when the person writes again.
    bot = await startGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port: 0, refreshFollowStatusAfter: 1 });
    emulator.setWebhookUrl(bot.webhookUrl);
  });

  afterEach(async () => {
    await bot.close();
    await emulator.close();
  });

  async function says(key: string, text: string): Promise<string | undefined> {
    const persona = emulator.persona(key);
    const before = persona.received().length;
    await persona.sends(text);
    const messages = await emulator.waitForSent(persona.igsid, { count: before + 1, timeoutMs: 5_000 });
    return messages.at(-1)?.text;
  }

  it('should thank Grace when she starts following, and not again on her next message', async () => {
    expect(await says('non-follower', 'hi')).to.not.contain('Thanks for the follow');
    emulator.persona('non-follower').follows();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await says('non-follower', 'hello again')).to.contain('Thanks for the follow, Grace!');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await says('non-follower', 'and again')).to.not.contain('Thanks for the follow');
  });
});
