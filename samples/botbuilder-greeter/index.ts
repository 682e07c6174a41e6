// The botbuilder greeter. Against the real Instagram Platform when PAGE_ACCESS_TOKEN is set
// (see .env.example); otherwise against a local emulator started here.
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { stopOnSignals } from '../shared/shutdown.js';
import { startGreeter } from './server.js';

const port = Number(process.env.PORT ?? 3978);

if (process.env.PAGE_ACCESS_TOKEN) {
  const { APP_SECRET, VERIFY_TOKEN } = process.env;
  if (!APP_SECRET || !VERIFY_TOKEN) throw new Error('Set APP_SECRET and VERIFY_TOKEN too (see .env.example)');
  const bot = await startGreeter({ accessToken: process.env.PAGE_ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphUrl: process.env.GRAPH_URL, port, host: '0.0.0.0' });
  console.log(`Greeter listening: point your Meta app's Instagram webhook at ${bot.webhookUrl} (through your HTTPS tunnel or proxy).`);
  stopOnSignals(() => bot.close());
} else {
  const emulator = await startEmulator();
  const bot = await startGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port });
  emulator.setWebhookUrl(bot.webhookUrl);
  const ada = emulator.persona('follower');
  await ada.sends('hi');
  const [reply] = await emulator.waitForSent(ada.igsid);
  console.log(`Greeter on ${bot.webhookUrl}, emulator on ${emulator.url}.`);
  console.log(`@${ada.username} said "hi"; the bot answered: "${reply?.text}"`);
  console.log('For the full playground, run `npm start` at the repository root. Ctrl-C to stop.');
  stopOnSignals(() => Promise.all([bot.close(), emulator.close()]));
}
