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

/** The emulator's state, shared by its routes. */
export class World {
  readonly personas = new Map<string, PersonaState>();
  readonly #byKey = new Map<string, PersonaState>();
  readonly stats = new EmulatorStats();
  readonly faults: Faults;
  readonly rateLimit: RateLimiter;
  readonly sent: SentMessage[] = [];
  #waiters: Waiter[] = [];

  constructor(readonly options: ResolvedEmulatorOptions) {
    this.faults = new Faults(options.random);
    this.rateLimit = new RateLimiter(options.now, options.businessId);
    for (const spec of options.personas) this.addPersona(spec as Required<PersonaSpec>);
  }

  addPersona(spec: Required<PersonaSpec>): PersonaState {
    if (this.#byKey.has(spec.key) || this.personas.has(spec.igsid)) throw new TypeError(`A persona with the key "${spec.key}" or the igsid ${spec.igsid} exists already`);
    // A persona that "messaged before the emulator started" has consent and an open window.
    const state: PersonaState = { ...spec, consented: spec.hasMessaged, lastUserMessageAt: spec.hasMessaged ? this.options.now() : undefined };
    this.personas.set(spec.igsid, state);
    this.#byKey.set(spec.key, state);
    return state;
  }

  /** The persona with this IGSID; with `autoPersonas`, an unknown IGSID becomes one that has messaged (load tests). */
  find(igsid: string): PersonaState | undefined {
    const known = this.personas.get(igsid);
    if (known || !this.options.autoPersonas) return known;
    const n = Number(igsid.slice(-6));
    return this.addPersona({
      key: `auto-${igsid}`, igsid, name: `Person ${n}`, username: `person.${n}`, followerCount: n % 5_000, isVerifiedUser: false,
      followsBusiness: n % 2 === 0, followedByBusiness: n % 3 === 0, hasPicture: true, blocksBusiness: false, hasMessaged: true, description: 'generated',
    });
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
}
