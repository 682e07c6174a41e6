// npm start: the emulator, the botbuilder greeter wired to it, and the web playground, all on loopback.
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { startGreeter } from '../samples/botbuilder-greeter/server.js';
import { Playground } from './playground.js';

export async function startPlayground({ port = Number(process.env.PORT ?? 8080), botPort = 0 } = {}) {
  const emulator = await startEmulator();
  const bot = await startGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port: botPort });
  emulator.setWebhookUrl(bot.webhookUrl);
  const playground = new Playground(emulator, bot.inspector);
  let url: string;
  try {
    url = await playground.listen(port);
  } catch (error) {
    await Promise.all([bot.close(), emulator.close()]);
    throw error;
  }
  return {
    url,
    emulator,
    bot,
    async close() {
      await playground.close();
      await bot.close();
      await emulator.close();
    },
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  startPlayground().then(
    (running) => {
      console.log(`\n  Instagram profile playground: ${running.url}\n`);
      console.log(`  emulator ${running.emulator.url} · bot webhook ${running.bot.webhookUrl}`);
      console.log('  Pick a persona, write to the business, tap an ice breaker. Ctrl-C stops everything.\n');
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') console.error(`Port ${process.env.PORT ?? 8080} is in use. Choose another: PORT=8081 npm start`);
      else console.error(error);
      process.exit(1);
    },
  );
}
