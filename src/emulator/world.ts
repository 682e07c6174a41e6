import type { PersonaSpec } from './personas.js';
import type { ResolvedEmulatorOptions } from './options.js';
import { Faults } from './faults.js';
import { RateLimiter } from './rateLimit.js';
import { EmulatorStats } from './stats.js';

export const MESSAGING_WINDOW_MS = 24 * 3_600_000;

/** A persona and what the platform knows of it now. */
export interface PersonaState extends Required<PersonaSpec> {
  /** Consent exists once the person messaged, or tapped an ice breaker, a menu item or a quick reply. */
  consented: boolean;
  /** When the person last wrote or tapped: opens the 24-hour window for replies. */
  lastUserMessageAt: number | undefined;
}

/** One message (or sender action) the bot sent through the Send API. */
export interface SentMessage {
  igsid: string;
  at: number;
  messageId: string | undefined;
  text?: string;
  quickReplies?: Array<{ title: string; payload: string }>;
  attachment?: { type: string; url?: string };
  senderAction?: string;
  /** The request body as the bot sent it. */
  raw: Record<string, unknown>;
}

interface Waiter {
  igsid: string | undefined;
  count: number;
  resolve: (messages: SentMessage[]) => void;
}

/** A persona as the control API and `persona.toJSON()` show it. */
export function personaJson(state: PersonaState) {
  const { key, igsid, name, username, followerCount, isVerifiedUser, followsBusiness, followedByBusiness, hasPicture, blocksBusiness, description, consented } = state;
  return { key, igsid, name, username, followerCount, isVerifiedUser, followsBusiness, followedByBusiness, hasPicture, blocksBusiness, description, consented };
}

/** The emulator's state, shared by its routes, its deliveries and its facade. */
export class World {
  readonly personas = new Map<string, PersonaState>();
  readonly #byKey = new Map<string, PersonaState>();
  readonly #listed: PersonaState[] = [];
  readonly stats = new EmulatorStats();
  readonly faults: Faults;
  readonly rateLimit: RateLimiter;
  readonly sent: SentMessage[] = [];
  /** Where persona actions are posted; changed by `setWebhookUrl` or the control API. */
  webhookUrl: string | undefined;
  /** The emulator's own base URL, known once it listens. */
  baseUrl = '';
  #waiters: Waiter[] = [];

  constructor(readonly options: ResolvedEmulatorOptions) {
    this.faults = new Faults(options.random);
    this.rateLimit = new RateLimiter(options.now, options.businessId);
    this.webhookUrl = options.webhookUrl;
    for (const spec of options.personas) this.addPersona(spec as Required<PersonaSpec>);
  }

  addPersona(spec: Required<PersonaSpec>, { listed = true } = {}): PersonaState {
    if (this.#byKey.has(spec.key) || this.personas.has(spec.igsid)) throw new TypeError(`A persona with the key "${spec.key}" or the igsid ${spec.igsid} exists already`);
    // A persona that "messaged before the emulator started" has consent and an open window.
    const state: PersonaState = { ...spec, consented: spec.hasMessaged, lastUserMessageAt: spec.hasMessaged ? this.options.now() : undefined };
    this.personas.set(spec.igsid, state);
    this.#byKey.set(spec.key, state);
    if (listed) this.#listed.push(state);
    return state;
  }

  /** The configured and added personas, in order (generated ones left out). */
  listed(): readonly PersonaState[] {
    return this.#listed;
  }

  /** The persona with this key; throws naming the ones that exist. */
  byKey(key: string): PersonaState {
    const state = this.#byKey.get(key);
    if (!state) throw new Error(`No persona "${key}"; there are: ${this.#listed.map((p) => p.key).join(', ')}`);
    return state;
  }

  /** The persona with this IGSID; with `autoPersonas`, an unknown IGSID becomes one that has messaged (load tests). */
  find(igsid: string): PersonaState | undefined {
    const known = this.personas.get(igsid);
    if (known || !this.options.autoPersonas) return known;
    const n = Number(igsid.slice(-6));
    const generated = {
      key: `auto-${igsid}`, igsid, name: `Person ${n}`, username: `person.${n}`, followerCount: n % 5_000, isVerifiedUser: false,
      followsBusiness: n % 2 === 0, followedByBusiness: n % 3 === 0, hasPicture: true, blocksBusiness: false, hasMessaged: true, description: 'generated',
    };
    return this.addPersona(generated, { listed: false });
  }

  sentTo(igsid: string | undefined, includeActions = false): SentMessage[] {
    return this.sent.filter((m) => (igsid === undefined || m.igsid === igsid) && (includeActions || m.senderAction === undefined));
  }

  record(message: SentMessage): void {
    this.sent.push(message);
    this.#waiters = this.#waiters.filter((waiter) => {
      const messages = this.sentTo(waiter.igsid);
      if (messages.length < waiter.count) return true;
      waiter.resolve(messages);
      return false;
    });
  }

  waitForSent(igsid: string | undefined, count: number, timeoutMs: number): Promise<SentMessage[]> {
    const now = this.sentTo(igsid);
    if (now.length >= count) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`The bot sent ${this.sentTo(igsid).length} of ${count} expected message(s)${igsid ? ` to ${igsid}` : ''} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        igsid,
        count,
        resolve: (messages) => {
          clearTimeout(timer);
          resolve(messages);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Everything `GET /_emulator/state` and `emulator.state()` show. */
  snapshot() {
    const { businessId, apiVersion, login, icebreakers, persistentMenu } = this.options;
    return {
      url: this.baseUrl,
      businessId,
      apiVersion,
      login,
      webhookUrl: this.webhookUrl ?? null,
      icebreakers,
      persistentMenu,
      personas: this.#listed.map(personaJson),
      stats: this.stats.toJSON(),
      faults: this.faults.list(),
      rateLimit: this.rateLimit.settings,
    };
  }
}
