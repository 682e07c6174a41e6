import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import { InstagramAgentsAdapter } from 'botbuilder-instagram-profile/agents';
import { Inspector } from '../shared/inspector.js';
import { ICEBREAKER_PAYLOADS, MENU_PAYLOADS } from '../shared/replies.js';
import type { GreeterConfig } from '../botbuilder-greeter/server.js';
import { greeterAgent } from './agent.js';

/** The greeter on the Microsoft 365 Agents SDK, served by Express: POST/GET /api/instagram is the webhook. */
export async function startAgentsGreeter(config: GreeterConfig) {
  const adapter = new InstagramAgentsAdapter({ appSecret: config.appSecret, verifyToken: config.verifyToken, accessToken: config.accessToken, graphUrl: config.graphUrl });
  const profiles = new InstagramProfileMiddleware({
    accessToken: config.accessToken,
    appSecret: config.appSecret,
    graphUrl: config.graphUrl,
    icebreakerPayloads: ICEBREAKER_PAYLOADS,
    persistentMenuPayloads: MENU_PAYLOADS,
    timeout: 2_000,
    refreshFollowStatusAfter: config.refreshFollowStatusAfter,
    cache: { max: 10_000, ttl: 3_600_000, staleWhileRevalidate: 600_000 },
  });
  // AgentApplication has no use(): the middleware goes on our adapter, which runs the app's turns.
  adapter.use(profiles);
  // Not app.onError: that one belongs to the CloudAdapter the app built for itself, which never sees these turns.
  adapter.onTurnError = async (_context, error) => {
    // The webhook was answered already; a real agent would report this to its monitoring.
    console.error('turn failed:', error.message);
  };
  const inspector = new Inspector();
  const app = greeterAgent(profiles, inspector);

  const web = express();
  // The adapter reads the raw body itself (the signature covers the exact bytes): no body parser before it.
  web.all('/api/instagram', (req, res) => adapter.process(req, res, app));
  web.get('/health', (_req, res) => void res.send('ok'));

  const server: Server = await new Promise((resolve, reject) => {
    const listening = web.listen(config.port ?? 3980, config.host ?? '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    webhookUrl: `http://127.0.0.1:${port}/api/instagram`,
    adapter,
    app,
    profiles,
    inspector,
    /** Graceful: new deliveries get 503 (Meta retries them) while acknowledged turns finish, then the server stops. */
    async close() {
      await adapter.close({ timeoutMs: 10_000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
