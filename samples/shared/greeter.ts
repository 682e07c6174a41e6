// What the botbuilder and Agents SDK greeters share: their configuration, their profile
// middleware (one set of options, which the playground quotes) and their Express server.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { WebhookRequest, WebhookResponse } from 'botbuilder-instagram-profile/adapter';
import { ICEBREAKER_PAYLOADS, MENU_PAYLOADS } from './replies.js';

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

/** The greeters' profile middleware: a 2 s deadline, profiles kept 1 h and served stale for 10 min more while re-read. */
export function greeterProfiles(config: GreeterConfig): InstagramProfileMiddleware {
  return new InstagramProfileMiddleware({
    accessToken: config.accessToken,
    appSecret: config.appSecret,
    graphUrl: config.graphUrl,
    icebreakerPayloads: ICEBREAKER_PAYLOADS,
    persistentMenuPayloads: MENU_PAYLOADS,
    timeout: 2_000,
    refreshFollowStatusAfter: config.refreshFollowStatusAfter,
    cache: { max: 10_000, ttl: 3_600_000, staleWhileRevalidate: 600_000 },
  });
}

/** The webhook side of an adapter: `process` for each request, `close` for a graceful stop. */
interface WebhookAdapter {
  process(req: WebhookRequest, res: WebhookResponse): Promise<void>;
  close(options: { timeoutMs: number }): Promise<unknown>;
}

/**
 * Serves `POST/GET /api/instagram` with Express on loopback (or `config.host`). Resolves once
 * it listens; `close` is graceful: new deliveries get 503 (Meta retries them) while
 * acknowledged turns finish, then the server stops.
 */
export async function serveGreeter(adapter: WebhookAdapter, config: GreeterConfig, defaultPort: number) {
  const app = express();
  // The adapter reads the raw body itself (the signature covers the exact bytes): no body parser before it.
  app.all('/api/instagram', (req, res) => adapter.process(req, res));
  app.get('/health', (_req, res) => void res.send('ok'));
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port ?? defaultPort, config.host ?? '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    webhookUrl: `http://127.0.0.1:${port}/api/instagram`,
    async close() {
      await adapter.close({ timeoutMs: 10_000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
