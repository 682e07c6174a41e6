import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getInstagramEvent } from 'botbuilder-instagram-profile';
import { InstagramAdapter } from 'botbuilder-instagram-profile/adapter';
import { instagramProfilePlugin } from 'botbuilder-instagram-profile/botkit';
import { ICEBREAKER_PAYLOADS, MENU_PAYLOADS, replyTo } from '../shared/replies.js';
import type { GreeterConfig } from '../shared/greeter.js';

/** The same greeter, the Botkit way: the plugin installs the middleware; handlers ask for the profile. */
export async function startBotkitGreeter(config: GreeterConfig) {
  const adapter = new InstagramAdapter({ appSecret: config.appSecret, verifyToken: config.verifyToken, accessToken: config.accessToken, graphUrl: config.graphUrl });
  const app = express();
  const controller = new Botkit({ adapter, webserver: app, webhook_uri: '/api/instagram', disable_console: true });
  const plugin = instagramProfilePlugin({
    accessToken: config.accessToken,
    appSecret: config.appSecret,
    graphUrl: config.graphUrl,
    icebreakerPayloads: ICEBREAKER_PAYLOADS,
    persistentMenuPayloads: MENU_PAYLOADS,
    refreshFollowStatusAfter: config.refreshFollowStatusAfter,
  });
  controller.usePlugin(plugin);

  controller.on('message', async (bot: BotWorker, message: BotkitMessage) => {
    const lookup = await plugin.middleware.load(message); // never rejects
    const change = await plugin.middleware.changes(message); // what this turn's lookup found changed (a new follower)
    const reply = replyTo(getInstagramEvent(message), lookup, change?.changes);
    if (!reply) return;
    const quick_replies = reply.quickReplies?.map(([title, payload]) => ({ content_type: 'text', title, payload }));
    await bot.reply(message, quick_replies ? { text: reply.text, quick_replies } : reply.text);
  });

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port ?? 3979, config.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    webhookUrl: `http://127.0.0.1:${port}/api/instagram`,
    controller,
    adapter,
    /** Graceful: new deliveries get 503 (Meta retries them) while acknowledged turns finish, then the server stops. */
    async close() {
      await adapter.close({ timeoutMs: 10_000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
