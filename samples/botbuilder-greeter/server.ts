import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import { InstagramAdapter } from 'botbuilder-instagram-profile/adapter';
import { Inspector } from '../shared/inspector.js';
import { ICEBREAKER_PAYLOADS, MENU_PAYLOADS } from '../shared/replies.js';
import { greeterLogic } from './bot.js';

export interface GreeterConfig {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** The Graph host (or the emulator's URL); default: the token's host. */
  graphUrl?: string | undefined;
  port?: number;
  host?: string;
  /** Re-read the follow flags of a person who writes again after this long (ms), to thank a new follower within minutes. */
  refreshFollowStatusAfter?: number;
}

/** The greeter served by Express: POST/GET /api/instagram is the webhook. */
export async function startGreeter(config: GreeterConfig) {
  const adapter = new InstagramAdapter({ appSecret: config.appSecret, verifyToken: config.verifyToken, accessToken: config.accessToken, graphUrl: config.graphUrl });
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
  adapter.use(profiles);
  adapter.onTurnError = async (_context, error) => {
    // The webhook was answered already; a real bot would report this to its monitoring.
    console.error('turn failed:', error instanceof Error ? error.message : error);
  };
  const inspector = new Inspector();
  const logic = greeterLogic(profiles, inspector);

  const app = express();
  // The adapter reads the raw body itself (the signature covers the exact bytes): no body parser before it.
  app.all('/api/instagram', (req, res) => adapter.process(req, res, logic));
  app.get('/health', (_req, res) => void res.send('ok'));

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port ?? 3978, config.host ?? '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    webhookUrl: `http://127.0.0.1:${port}/api/instagram`,
    adapter,
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
