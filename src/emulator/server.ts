import createDebug from 'debug';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIgsid } from '../platform/igsid.js';
import { handleControl } from './control.js';
import { handleGraph } from './graphServer.js';
import { sendJson, sendText } from './http.js';
import { errors } from './metaErrors.js';
import { avatarSvg, pictureExpired } from './pictures.js';
import type { World } from './world.js';

const log = createDebug('instagram-profile:emulator');

/** The emulator's HTTP side: it listens, routes each request and ends every connection on close. */
export interface HttpShell {
  /** `http://<address>:<port>`, once listening. */
  readonly url: string;
  close(): Promise<void>;
}

function servePicture(req: IncomingMessage, res: ServerResponse, url: URL, world: World): void {
  req.resume();
  world.stats.record('picture');
  const igsid = /^\/_emulator\/pictures\/([^/]+)\.svg$/.exec(url.pathname)?.[1];
  const state = isIgsid(igsid) ? world.personas.get(igsid) : undefined;
  if (!state || !state.hasPicture) return sendText(res, 404, 'text/plain', 'Not found');
  if (pictureExpired(url.searchParams, world.options.now())) return sendText(res, 403, 'text/plain', 'URL signature expired');
  sendText(res, 200, 'image/svg+xml', avatarSvg(state), { 'cache-control': 'max-age=3600' });
}

async function route(req: IncomingMessage, res: ServerResponse, world: World, hanging: Set<ServerResponse>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  if (url.pathname.startsWith('/_emulator/pictures/')) return servePicture(req, res, url, world);
  if (url.pathname.startsWith('/_emulator/')) {
    world.stats.record('control');
    return handleControl(req, res, url, world);
  }
  if (await handleGraph(req, res, url, { world, hanging })) return;
  world.stats.record('unknown');
  req.resume();
  const error = errors.unknownPath(url.pathname);
  sendJson(res, error.status, error.body);
}

/** Listens on the world's host and port; sets `world.baseUrl` once the address is known. */
export async function listen(world: World): Promise<HttpShell> {
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    route(req, res, world, hanging).catch((error: unknown) => {
      // The emulator must never crash on input: any bug answers a Graph-shaped 500.
      log('request failed: %O', error);
      if (!res.headersSent) sendJson(res, 500, errors.unknown(500).body);
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const { port, host } = world.options;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  world.baseUrl = url;
  log('listening on %s', url);
  return {
    url,
    async close() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
