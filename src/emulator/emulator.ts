import { loadPersonas, type PersonaSpec } from './personas.js';
import { buildAction } from './actions.js';
import { type AppCallbackOptions, type AppCallbackReply, sendAppCallback } from './appCallbacks.js';
import type { Faults } from './faults.js';
import { type EmulatedLogin, type EmulatorOptions, type IceBreaker, type MenuItem, resolveEmulatorOptions, webhookUrlOption } from './options.js';
import { Persona, type PersonaHooks } from './persona.js';
import type { RateLimiter } from './rateLimit.js';
import { listen, type HttpShell } from './server.js';
import type { EmulatorStats } from './stats.js';
import { deliverBatch, redeliver, verifyWebhook, type Delivery, type PersonaEvent } from './webhooks.js';
import { type PersonaState, type SentMessage, World } from './world.js';

/**
 * A local Instagram Platform: the User Profile API (both hosts' behaviour), the Send API,
 * signed webhooks to a bot, rate limits, faults and statistics. Start it with `startEmulator`.
 * The facade only: HTTP lives in server.ts, state in world.ts, webhooks in webhooks.ts.
 */
export class Emulator {
  /** The emulator's base URL: use it as `graphUrl` for graph.facebook.com behaviour. */
  readonly url: string;
  /** Use as `graphUrl` for graph.instagram.com behaviour (230 as HTTP 500, 9010 for unknown users). */
  readonly instagramGraphUrl: string;
  readonly businessId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly apiVersion: string;
  readonly login: EmulatedLogin;
  readonly icebreakers: readonly IceBreaker[];
  readonly persistentMenu: readonly MenuItem[];
  readonly stats: EmulatorStats;
  readonly faults: Faults;
  readonly rateLimit: RateLimiter;
  readonly #world: World;
  readonly #shell: HttpShell;
  readonly #personas = new WeakMap<PersonaState, Persona>();
  readonly #hooks: PersonaHooks;

  /** @internal Use `startEmulator`. */
  constructor(world: World, shell: HttpShell) {
    this.#world = world;
    this.#shell = shell;
    ({ businessId: this.businessId, accessToken: this.accessToken, appSecret: this.appSecret, verifyToken: this.verifyToken } = world.options);
    ({ apiVersion: this.apiVersion, login: this.login, icebreakers: this.icebreakers, persistentMenu: this.persistentMenu } = world.options);
    ({ stats: this.stats, faults: this.faults, rateLimit: this.rateLimit } = world);
    this.url = shell.url;
    this.instagramGraphUrl = `${shell.url}/ig`;
    this.#hooks = {
      build: (state, name, args) => buildAction(state, world.options, name, args),
      deliver: (events) => deliverBatch(world, events),
      received: (igsid, options) => world.sentTo(igsid, options?.includeActions),
    };
  }

  /** Where persona actions are posted. */
  get webhookUrl(): string | undefined {
    return this.#world.webhookUrl;
  }

  /** The configured and added personas (not the generated ones of `autoPersonas`). */
  get personas(): Persona[] {
    return this.#world.listed().map((state) => this.#persona(state));
  }

  now(): number {
    return this.#world.options.now();
  }

  setWebhookUrl(url: string): void {
    this.#world.webhookUrl = webhookUrlOption(url);
  }

  persona(key: string): Persona {
    return this.#persona(this.#world.byKey(key));
  }

  /** Adds a custom persona at run time. */
  addPersona(spec: PersonaSpec): Persona {
    const [checked] = loadPersonas([spec]);
    return this.#persona(this.#world.addPersona(checked as Required<PersonaSpec>));
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
  deliverBatch(events: readonly PersonaEvent[]): Promise<Delivery> {
    return deliverBatch(this.#world, events);
  }

  /** Posts an earlier delivery again, byte for byte (Meta delivers at least once). */
  deliver(delivery: Delivery): Promise<Delivery> {
    return redeliver(this.#world, delivery);
  }

  /**
   * Sends Meta's data-deletion callback to `url`: a signed request naming the business account
   * (or `userId`), as Meta posts it when a user asks for their data to be deleted. Resolves
   * with the bot's answer (`{ url, confirmation_code }` from `createDeletionHandler`).
   */
  sendDeletionCallback(url: string, options?: AppCallbackOptions): Promise<AppCallbackReply> {
    return sendAppCallback('deletion', url, this.#callbackContext(), options);
  }

  /** Sends Meta's deauthorize callback to `url` (the business removed the app). */
  sendDeauthorizeCallback(url: string, options?: AppCallbackOptions): Promise<AppCallbackReply> {
    return sendAppCallback('deauthorize', url, this.#callbackContext(), options);
  }

  #callbackContext() {
    const { appSecret, businessId, dispatcher } = this.#world.options;
    return { appSecret, businessId, dispatcher, nowMs: this.now() };
  }

  /** Runs Meta's GET verification handshake against the bot. */
  verifyWebhook(): Promise<{ ok: boolean; status: number; body: string }> {
    return verifyWebhook(this.#world);
  }

  /** Everything the control API's `GET /_emulator/state` shows. */
  state() {
    return this.#world.snapshot();
  }

  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void> {
    return this.#shell.close();
  }

  #persona(state: PersonaState): Persona {
    let persona = this.#personas.get(state);
    if (!persona) {
      persona = new Persona(state, this.#hooks);
      this.#personas.set(state, persona);
    }
    return persona;
  }
}

/** Starts an emulator on loopback (port 0: a free port) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const world = new World(resolveEmulatorOptions(options));
  return new Emulator(world, await listen(world));
}
