import { ACTION_NAMES, type ActionArgs, type ActionName, type PersonaEvents } from './actions.js';
import type { Delivery, PersonaEvent } from './webhooks.js';
import { personaJson, type PersonaState, type SentMessage } from './world.js';

export type { PersonaEvents } from './actions.js';

/** What a persona needs from the emulator: build and deliver its events, and read what the bot sent it. */
export interface PersonaHooks {
  build(state: PersonaState, name: ActionName, args: readonly unknown[]): PersonaEvent;
  deliver(events: readonly PersonaEvent[]): Promise<Delivery>;
  received(igsid: string, options?: { includeActions?: boolean }): SentMessage[];
}

/** `persona.sends('hi')` and the other actions of the table in `actions.ts`, each posting one signed webhook. */
export type PersonaActions = { [K in ActionName]: (...args: ActionArgs<K>) => Promise<Delivery> };

/** A persona of the emulator: its profile data, its live state, and the actions that post webhooks to the bot. */
class PersonaBase {
  readonly key: string;
  readonly igsid: string;
  readonly name: string | null;
  readonly username: string;
  readonly followerCount: number;
  readonly isVerifiedUser: boolean;
  readonly followedByBusiness: boolean;
  readonly description: string;
  /** The exact webhook items the actions produce, without sending them: `persona.event.sends('hi')`. */
  readonly event: PersonaEvents;
  readonly #state: PersonaState;
  readonly #hooks: PersonaHooks;

  static {
    // One method per action of the table, so an action is declared once (in actions.ts).
    for (const name of ACTION_NAMES) {
      Object.defineProperty(this.prototype, name, {
        value(this: PersonaBase, ...args: unknown[]) {
          return this.#act(name, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }

  /** @internal Personas come from `emulator.persona(key)`. */
  constructor(state: PersonaState, hooks: PersonaHooks) {
    this.#state = state;
    this.#hooks = hooks;
    ({ key: this.key, igsid: this.igsid, name: this.name, username: this.username, followerCount: this.followerCount } = state);
    ({ isVerifiedUser: this.isVerifiedUser, followedByBusiness: this.followedByBusiness, description: this.description } = state);
    this.event = Object.fromEntries(ACTION_NAMES.map((name) => [name, (...args: unknown[]) => hooks.build(state, name, args)])) as PersonaEvents;
  }

  /** True once the person messaged or tapped an ice breaker, a menu item or a quick reply. */
  get hasConsented(): boolean {
    return this.#state.consented;
  }

  get isBlockingBusiness(): boolean {
    return this.#state.blocksBusiness;
  }

  blocksBusiness(): void {
    this.#state.blocksBusiness = true;
  }

  unblocksBusiness(): void {
    this.#state.blocksBusiness = false;
  }

  /** Whether the person follows the business now (`is_user_follow_business`); it changes with `follows()`. */
  get followsBusiness(): boolean {
    return this.#state.followsBusiness;
  }

  /** The person follows (or unfollows) the business: Instagram sends no webhook for it, the profile API shows it. */
  follows(business = true): void {
    this.#state.followsBusiness = business;
  }

  /** What the bot sent this persona, in order (sender actions left out unless asked). */
  received(options?: { includeActions?: boolean }): SentMessage[] {
    return this.#hooks.received(this.igsid, options);
  }

  toJSON() {
    return personaJson(this.#state);
  }

  #act(name: ActionName, args: readonly unknown[]): Promise<Delivery> {
    try {
      return this.#hooks.deliver([this.#hooks.build(this.#state, name, args)]);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

export type Persona = PersonaBase & PersonaActions;
export const Persona = PersonaBase as unknown as new (state: PersonaState, hooks: PersonaHooks) => Persona;
