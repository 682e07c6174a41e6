import { observeLookup } from '../telemetry/index.js';
import createDebug from 'debug';
import { InstagramProfileError } from '../errors.js';
import type { InstagramEvent } from '../events/index.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import type { TurnProfileHandle } from './turnState.js';
import type { ProfileChange } from '../changes/profileChanges.js';

const log = createDebug('instagram-profile:middleware');

/** What a turn handle may ask for: two functions the middleware makes, never the middleware itself. */
export interface TurnLookupFunctions {
  /** What the customer did, or undefined when the activity is not from an Instagram customer. */
  readonly recognize: (activity: unknown) => InstagramEvent | undefined;
  /** The lookup for an event: the answer itself when the cache has it at once, else a promise that never rejects. */
  readonly lookup: (event: InstagramEvent, forceRefresh: boolean) => ProfileLookup | Promise<ProfileLookup>;
  /** The change a lookup's answer brought, if any. */
  readonly changesOf?: (lookup: ProfileLookup) => ProfileChange | undefined;
}

const NOT_INSTAGRAM: ProfileLookup = Object.freeze({ status: 'not-instagram' });

/** The per-turn handle the middleware leaves in turnState: nothing is computed until a handler asks. */
export class TurnHandle implements TurnProfileHandle {
  readonly handleVersion = 1;
  readonly #activity: unknown;
  readonly #functions: TurnLookupFunctions;
  #recognized = false;
  #event: InstagramEvent | undefined;
  /** Kept settled when it came at once, so `profile()` needs no extra hop. */
  #kept: ProfileLookup | Promise<ProfileLookup> | undefined;

  constructor(activity: unknown, functions: TurnLookupFunctions) {
    this.#activity = activity;
    this.#functions = functions;
  }

  event(): InstagramEvent | undefined {
    if (!this.#recognized) {
      this.#event = this.#functions.recognize(this.#activity);
      this.#recognized = true;
    }
    return this.#event;
  }

  load(): Promise<ProfileLookup> {
    const answer = this.#answer(false);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  }

  profile(): Promise<InstagramProfile | undefined> {
    const answer = this.#answer(false);
    return answer instanceof Promise ? answer.then(profileOf) : Promise.resolve(profileOf(answer));
  }

  refresh(): Promise<ProfileLookup> {
    const answer = this.#answer(true);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  }

  /** The change the turn's lookup brought: waits for a lookup already started, never starts one. Never rejects. */
  async changes(): Promise<ProfileChange | undefined> {
    const answer = this.#kept;
    if (answer === undefined || this.#functions.changesOf === undefined) return undefined;
    return this.#functions.changesOf(await answer);
  }

  /** Starts the lookup now, without waiting for it, when the event may call Graph. */
  prefetch(): void {
    if (this.event()?.grantsConsent) this.#answer(false);
  }

  /** The turn's answer: worked out on first need and kept; `forceRefresh` replaces it with a new one. */
  #answer(forceRefresh: boolean): ProfileLookup | Promise<ProfileLookup> {
    const kept = this.#kept;
    if (kept !== undefined && !forceRefresh) return kept;
    let answer: ProfileLookup | Promise<ProfileLookup>;
    try {
      const event = this.event();
      answer = event ? this.#functions.lookup(event, forceRefresh) : NOT_INSTAGRAM;
      if (log.enabled && event) logWhenSettled(event, answer);
    } catch (error) {
      // The cache turns failures into results; this only guards against the unexpected.
      log('lookup failed unexpectedly: %s', error instanceof Error ? error.name : typeof error);
      answer = { status: 'unavailable', error: new InstagramProfileError('The profile lookup failed unexpectedly', 'LOOKUP_FAILED', { cause: error }) };
    }
    observeLookup(answer);
    this.#kept = answer;
    return answer;
  }
}

function profileOf(lookup: ProfileLookup): InstagramProfile | undefined {
  return lookup.status === 'ok' ? lookup.profile : undefined;
}

function logWhenSettled(event: InstagramEvent, answer: ProfileLookup | Promise<ProfileLookup>): void {
  void Promise.resolve(answer).then((l) => log('%s %s from %s: %s', event.kind, event.igsid, event.businessId ?? '-', l.status === 'ok' ? `ok (${l.source})` : l.status));
}
