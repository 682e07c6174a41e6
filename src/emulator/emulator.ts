import createDebug from 'debug';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { handleControl } from './control.js';
import type { Faults } from './faults.js';
import { handleGraph, type GraphContext } from './graphServer.js';
import { sendJson, sendText } from './http.js';
import { errors } from './metaErrors.js';
import { assertHttpUrl, type EmulatorOptions, type IceBreaker, type MenuItem, resolveEmulatorOptions } from './options.js';
import { Persona, type PersonaEvent } from './persona.js';
import type { PersonaSpec } from './personas.js';
import { loadPersonas } from './personas.js';
import { avatarSvg, pictureExpired } from './pictures.js';
import type { RateLimiter } from './rateLimit.js';
import type { EmulatorStats } from './stats.js';
import { envelope, metaJson, post, type Delivery } from './webhooks.js';
import { type SentMessage, World } from './world.js';

const log = createDebug('instagram-profile:emulator');

/**
 * A local Instagram Platform: the User Profile API (both hosts' behaviour), the Send API,
 * signed webhooks to a bot, rate limits, faults and statistics. Start it with `startEmulator`.
 */
export class Emulator {
  readonly #world: World;
  readonly #server: Server;
  readonly #context: GraphContext;
  readonly #personas = new Map<string, Persona>();
  #webhookUrl: string | undefined;

  /** @internal Use `startEmulator`. */
  constructor(options: EmulatorOptions, server: Server) {
    const resolved = resolveEmulatorOptions(options);
    this.#world = new World(resolved);
    this.#server = server;
    this.#webhookUrl = resolved.webhookUrl;
    this.#context = { world: this.#world, baseUrl: '', hanging: new Set() };
    for (const state of this.#world.personas.values()) this.#personas.set(state.key, new Persona(this, state));
  }

  /** The emulator's base URL: use it as `graphUrl` for graph.facebook.com behaviour. */
  get url(): string {
    return this.#context.baseUrl;
  }
  /** Use as `graphUrl` for graph.instagram.com behaviour (230 as HTTP 500, 9010 for unknown users). */
  get instagramGraphUrl(): string {
    return `${this.url}/ig`;
  }
  get businessId(): string {
    return this.#world.options.businessId;
  }
  get accessToken(): string {
    return this.#world.options.accessToken;
  }
  get appSecret(): string {
    return this.#world.options.appSecret;
  }
  get verifyToken(): string {
    return this.#world.options.verifyToken;
  }
  get apiVersion(): string {
    return this.#world.options.apiVersion;
  }
  get icebreakers(): readonly IceBreaker[] {
    return this.#world.options.icebreakers;
  }
  get persistentMenu(): readonly MenuItem[] {
    return this.#world.options.persistentMenu;
  }
  get webhookUrl(): string | undefined {
    return this.#webhookUrl;
  }
  get personas(): Persona[] {
    return [...this.#personas.values()];
  }
  get stats(): EmulatorStats {
    return this.#world.stats;
  }
  get faults(): Faults {
    return this.#world.faults;
  }
  get rateLimit(): RateLimiter {
    return this.#world.rateLimit;
  }

  now(): number {
    return this.#world.options.now();
  }

  setWebhookUrl(url: string): void {
    assertHttpUrl('webhookUrl', url);
    this.#webhookUrl = url;
  }

  persona(key: string): Persona {
    const persona = this.#personas.get(key);
    if (!persona) throw new Error(`No persona "${key}"; there are: ${[...this.#personas.keys()].join(', ')}`);
    return persona;
  }

  /** Adds a custom persona at run time. */
  addPersona(spec: PersonaSpec): Persona {
    const [checked] = loadPersonas([spec]);
    const state = this.#world.addPersona(checked as Required<PersonaSpec>);
    const persona = new Persona(this, state);
    this.#personas.set(state.key, persona);
    return persona;
  }

  /** What the bot sent (to one IGSID, or to anyone), in order. */
  sent(igsid?: string, { includeActions = false } = {}): SentMessage[] {
    return this.#world.sentTo(igsid, includeActions);
  }

  /** Resolves once the bot has sent `count` messages (to `igsid`, or in all); rejects after `timeoutMs`. */
  waitForSent(igsid: string | undefined, { count = 1, timeoutMs = 2_000 } = {}): Promise<SentMessage[]> {
    return this.#world.waitForSent(igsid, count, timeoutMs);
  }

  /**
   * Delivers events in one signed POST, as Meta batches them. Consent-granting events grant
   * consent (and open the 24-hour window) as the person acts, whatever the bot answers.
   */
  async deliverBatch(events: readonly PersonaEvent[]): Promise<Delivery> {
    const url = this.#webhookUrl;
    if (!url) throw new Error('The emulator has no webhookUrl: pass one to startEmulator or call setWebhookUrl()');
    for (const { igsid } of events) {
      const state = this.#world.personas.get(igsid);
      if (state?.blocksBusiness) throw new Error(`Persona ${state.key} has blocked the business: Meta delivers nothing from them`);
    }
    const now = this.now();
    for (const { igsid, grantsConsent } of events) {
      const state = this.#world.personas.get(igsid);
      if (state && grantsConsent) {
        state.consented = true;
        state.lastUserMessageAt = now;
      }
    }
    const payload = envelope(events.map((e) => e.event), this.businessId, now);
    const rawBody = metaJson(payload);
    const mids = events.flatMap((e) => (e.event.mid ? [e.event.mid] : []));
    const reply = await post(url, rawBody, this.appSecret, this.#world.options.dispatcher);
    log('delivered %d event(s) to the bot: HTTP %d', events.length, reply.status);
    return { ...reply, mids, payload, rawBody };
  }

  /** Posts an earlier delivery again, byte for byte (Meta delivers at least once). */
  async deliver(delivery: Delivery): Promise<Delivery> {
    const url = this.#webhookUrl;
    if (!url) throw new Error('The emulator has no webhookUrl');
    const reply = await post(url, delivery.rawBody, this.appSecret, this.#world.options.dispatcher);
    return { ...delivery, ...reply };
  }

  /** Runs Meta's GET verification handshake against the bot. */
  async verifyWebhook(): Promise<{ ok: boolean; status: number; body: string }> {
    const url = this.#webhookUrl;
    if (!url) throw new Error('The emulator has no webhookUrl');
    const challenge = randomBytes(8).readBigUInt64BE().toString();
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': this.verifyToken, 'hub.challenge': challenge });
    const target = `${url}${url.includes('?') ? '&' : '?'}${query}`;
    const response = await request(target, { method: 'GET', dispatcher: this.#world.options.dispatcher });
    const body = await response.body.text();
    return { ok: response.statusCode === 200 && body === challenge, status: response.statusCode, body };
  }

  /** Everything the control API's `GET /_emulator/state` shows. */
  state() {
    return {
      url: this.url,
      businessId: this.businessId,
      apiVersion: this.apiVersion,
      webhookUrl: this.#webhookUrl ?? null,
      icebreakers: this.icebreakers,
      persistentMenu: this.persistentMenu,
      personas: this.personas,
      stats: this.stats.toJSON(),
      faults: this.faults.list(),
      rateLimit: this.rateLimit.settings,
    };
  }

  /** Stops listening and ends every connection, hung ones included. */
  async close(): Promise<void> {
    for (const res of this.#context.hanging) res.destroy();
    this.#context.hanging.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** @internal */
  async listen(): Promise<void> {
    const { port, host } = this.#world.options;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as AddressInfo;
    const printable = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#context.baseUrl = `http://${printable}:${address.port}`;
  }

  /** @internal The request handler. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    if (url.pathname.startsWith('/_emulator/pictures/')) return this.#picture(req, res, url);
    if (url.pathname.startsWith('/_emulator/')) {
      this.stats.record('control');
      return handleControl(req, res, url, this);
    }
    if (await handleGraph(req, res, url, this.#context)) return;
    this.stats.record('unknown');
    req.resume();
    const error = errors.unknownPath(url.pathname);
    sendJson(res, error.status, error.body);
  }

  #picture(req: IncomingMessage, res: ServerResponse, url: URL): void {
    req.resume();
    this.stats.record('picture');
    const igsid = /^\/_emulator\/pictures\/(\d+)\.svg$/.exec(url.pathname)?.[1];
    const state = igsid === undefined ? undefined : this.#world.personas.get(igsid);
    if (!state || !state.hasPicture) return sendText(res, 404, 'text/plain', 'Not found');
    if (pictureExpired(url.searchParams, this.now())) return sendText(res, 403, 'text/plain', 'URL signature expired');
    sendText(res, 200, 'image/svg+xml', avatarSvg(state), { 'cache-control': 'max-age=3600' });
  }
}

/** Starts an emulator on loopback (port 0: a free port) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const server = createServer();
  const emulator = new Emulator(options, server);
  server.on('request', (req, res) => {
    emulator.handle(req, res).catch((error: unknown) => {
      // The emulator must never crash on input: any bug answers a Graph-shaped 500.
      log('request failed: %O', error);
      if (!res.headersSent) sendJson(res, 500, errors.unknown(500).body);
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await emulator.listen();
  log('listening on %s', emulator.url);
  return emulator;
}
