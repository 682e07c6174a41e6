// npm start: the emulator, the sample bot wired to it, and the web playground, all on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { startBot, type BotKind } from './bot.js';
import { Playground } from './playground.js';

export interface PlaygroundOptions {
  port?: number;
  host?: string;
  botPort?: number;
  /** Which greeter; default: as `BOT` says. */
  bot?: BotKind;
  /** The bot's `refreshFollowStatusAfter` (ms); default 10 s. */
  refreshFollowStatusAfter?: number;
}

export async function startPlayground({ port = Number(process.env.PORT ?? 8080), host = '127.0.0.1', botPort = 0, bot: kind, refreshFollowStatusAfter }: PlaygroundOptions = {}) {
  const emulator = await startEmulator();
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let server: Server | undefined;
  const close = async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await bot?.close();
    await emulator.close();
  };
  try {
    // An option left undefined takes startBot's default.
    bot = await startBot(emulator, { port: botPort, kind, refreshFollowStatusAfter });
    const playground = new Playground(emulator, bot);
    server = createServer(playground.handle);
    await listen(server, port, host);
  } catch (error) {
    await close();
    throw error;
  }
  const { port: listening } = server.address() as AddressInfo;
  return { url: `http://${host}:${listening}`, emulator, bot, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  startPlayground().then(
    (running) => {
      console.log(`\n  Instagram profile playground: ${running.url}\n`);
      console.log(`  emulator ${running.emulator.url} · ${running.bot.name} ${running.bot.webhookUrl}`);
      console.log('  Pick a persona, write to the business, tap an ice breaker. Ctrl-C stops everything.\n');
      const stop = () => {
        // A second Ctrl-C while closing does not wait any longer.
        process.once('SIGINT', () => process.exit(130));
        void running.close().then(() => process.exit(0));
      };
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
