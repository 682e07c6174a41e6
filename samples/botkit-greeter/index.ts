// The Botkit greeter: against the real platform when PAGE_ACCESS_TOKEN is set, else on a local emulator.
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { stopOnSignals } from '../shared/shutdown.js';
import { startBotkitGreeter } from './server.js';

const port = Number(process.env.PORT ?? 3979);

if (process.env.PAGE_ACCESS_TOKEN) {
  const { APP_SECRET, VERIFY_TOKEN } = process.env;
  if (!APP_SECRET || !VERIFY_TOKEN) throw new Error('Set APP_SECRET and VERIFY_TOKEN too (see ../botbuilder-greeter/.env.example)');
  const bot = await startBotkitGreeter({ accessToken: process.env.PAGE_ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphUrl: process.env.GRAPH_URL, port, host: '0.0.0.0' });
  console.log(`Botkit greeter listening on ${bot.webhookUrl}`);
  stopOnSignals(() => bot.close());
} else {
  const emulator = await startEmulator();
  const bot = await startBotkitGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port });
  emulator.setWebhookUrl(bot.webhookUrl);
  const mei = emulator.persona('emoji');
  await mei.sends('hello!');
  const [reply] = await emulator.waitForSent(mei.igsid);
  console.log(`Botkit greeter on ${bot.webhookUrl}; ${mei.name} said "hello!", the bot answered: "${reply?.text}". Ctrl-C to stop.`);
  stopOnSignals(() => Promise.all([bot.close(), emulator.close()]));
}
