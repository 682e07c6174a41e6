// The Agents SDK greeter. Against the real Instagram Platform when PAGE_ACCESS_TOKEN is set
// (see .env.example); otherwise against a local emulator started here.
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { stopOnSignals } from '../shared/shutdown.js';
import { startAgentsGreeter } from './server.js';

const port = Number(process.env.PORT ?? 3980);

if (process.env.PAGE_ACCESS_TOKEN) {
  const { APP_SECRET, VERIFY_TOKEN } = process.env;
  if (!APP_SECRET || !VERIFY_TOKEN) throw new Error('Set APP_SECRET and VERIFY_TOKEN too (see .env.example)');
  const agent = await startAgentsGreeter({ accessToken: process.env.PAGE_ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphUrl: process.env.GRAPH_URL, port, host: '0.0.0.0' });
  console.log(`Agents SDK greeter listening: point your Meta app's Instagram webhook at ${agent.webhookUrl} (through your HTTPS tunnel or proxy).`);
  stopOnSignals(() => agent.close());
} else {
  const emulator = await startEmulator();
  const agent = await startAgentsGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port });
  emulator.setWebhookUrl(agent.webhookUrl);
  const alan = emulator.persona('mutual');
  await alan.sends('hi');
  const [reply] = await emulator.waitForSent(alan.igsid);
  console.log(`Agents SDK greeter on ${agent.webhookUrl}, emulator on ${emulator.url}.`);
  console.log(`@${alan.username} said "hi"; the agent answered: "${reply?.text}"`);
  console.log('For the full playground, run `npm start` at the repository root. Ctrl-C to stop.');
  stopOnSignals(() => Promise.all([agent.close(), emulator.close()]));
}
