import createDebug from 'debug';
import type { ProfileCache } from '../cache/profileCache.js';
import { createEventRecognizer, type InstagramEvent } from '../events/index.js';
import type { GraphProfileClient } from '../graph/client.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import { type InstagramProfileMiddlewareOptions, resolveMiddlewareOptions } from './options.js';
import { contextOf, handleOf, TURN_HANDLE_KEY, type TurnContextLike, type TurnProfileHandle } from './turnState.js';

const log = createDebug('instagram-profile:middleware');

const NOT_INSTAGRAM: ProfileLookup = Object.freeze({ status: 'not-instagram' });
const NOT_GRANTED_BY_EVENT: ProfileLookup = Object.freeze({ status: 'no-consent' });
const UNAVAILABLE: ProfileLookup = Object.freeze({ status: 'unavailable' });

/**
 * Bot Framework middleware (also fits the Microsoft 365 Agents SDK and, through the Botkit
 * plugin, Botkit) that makes the Instagram sender's profile available to the turn, lazily:
 * `onTurn` only leaves a handle in `turnState`; the first `getInstagramProfile(context)`
 * starts the lookup, through a shared LRU cache, over the Graph API.
 */
export class InstagramProfileMiddleware {
  readonly client: GraphProfileClient;
  readonly cache: ProfileCache;
  readonly #prefetch: boolean;
  readonly #recognize: (activity: unknown) => InstagramEvent | undefined;

  constructor(options: InstagramProfileMiddlewareOptions) {
    const resolved = resolveMiddlewareOptions(options);
    this.client = resolved.client;
    this.cache = resolved.cache;
    this.#prefetch = resolved.prefetch;
    this.#recognize = createEventRecognizer(resolved.events);
  }

  onTurn(context: TurnContextLike, next: () => Promise<void>): Promise<void> {
    // Runs on every turn: one small object and one Map.set, nothing else unless prefetching.
    const handle = new TurnHandle(this, context.activity);
    context.turnState.set(TURN_HANDLE_KEY, handle);
    if (this.#prefetch) handle.prefetch();
    return next();
  }

  /**
   * The sender's profile lookup for this turn (memoised), saying why when there is no
   * profile. Takes a TurnContext or a Botkit message. Never rejects.
   */
  load(contextOrMessage: TurnContextLike | object): Promise<ProfileLookup> {
    return this.#handleFor(contextOrMessage).load();
  }

  /** Re-reads this sender's profile from the Graph API, bypassing the cache. Never rejects. */
  refresh(context: TurnContextLike | object): Promise<ProfileLookup> {
    return this.#handleFor(context).refresh();
  }

  /** Forgets a person (data-deletion requests): for one business, or for all when `businessId` is omitted. Returns how many entries went. */
  async forget(igsid: string, businessId?: string): Promise<number> {
    return this.cache.forget(igsid, businessId);
  }

  /** @internal Recognises an activity with this middleware's payloads and account ids. */
  recognize(activity: unknown): InstagramEvent | undefined {
    return this.#recognize(activity);
  }

  /**
   * @internal The answer the cache gives at once, without I/O: a fresh profile or a
   * remembered "not found"; for events that grant no consent, whatever is cached (or
   * `no-consent`). Undefined when a lookup must go on (miss, stale, remembered 230).
   */
  cachedLookup(event: InstagramEvent): ProfileLookup | undefined {
    const cached = this.cache.peek(event.businessId, event.igsid);
    // Reads, reactions, comments, echoes: Meta grants no consent for them, so never call Graph.
    if (!event.grantsConsent) return cached ?? NOT_GRANTED_BY_EVENT;
    if (cached?.status === 'ok' ? cached.source === 'cache' : cached?.status === 'not-found') return cached;
    return undefined;
  }

  /** @internal The lookup for an event: cache only for events that grant no consent. */
  lookup(event: InstagramEvent, forceRefresh = false): Promise<ProfileLookup> {
    const { igsid, businessId } = event;
    if (!event.grantsConsent) return Promise.resolve(this.cache.peek(businessId, igsid) ?? NOT_GRANTED_BY_EVENT);
    // This person just messaged or tapped: a remembered "no consent" no longer holds.
    this.cache.clearNoConsent(businessId, igsid);
    return this.cache.lookup(businessId, igsid, (signal) => this.client.fetchProfile(igsid, { businessId, signal }), { forceRefresh });
  }

  #handleFor(value: unknown): TurnProfileHandle {
    const existing = handleOf(value);
    if (existing) return existing;
    // Called outside a turn this middleware ran in: a handle for this activity only.
    const handle = new TurnHandle(this, contextOf(value)?.activity);
    contextOf(value)?.turnState.set(TURN_HANDLE_KEY, handle);
    return handle;
  }
}

/** The per-turn handle: nothing is computed until a handler asks. */
class TurnHandle implements TurnProfileHandle {
  readonly handleVersion = 1;
  #event: InstagramEvent | undefined | null = null;
  #lookup: Promise<ProfileLookup> | undefined;
  /** The lookup when the cache answered synchronously, so `profile()` needs no extra hop. */
  #settled: ProfileLookup | undefined;
  #pending: Promise<ProfileLookup> | undefined;
  #profile: Promise<InstagramProfile | undefined> | undefined;
  #begun = false;

  constructor(
    private readonly middleware: InstagramProfileMiddleware,
    private readonly activity: unknown,
  ) {}

  event(): InstagramEvent | undefined {
    if (this.#event === null) this.#event = this.middleware.recognize(this.activity);
    return this.#event;
  }

  load(): Promise<ProfileLookup> {
    this.#ensureBegun();
    return (this.#lookup ??= this.#settled ? Promise.resolve(this.#settled) : this.#pending!);
  }

  profile(): Promise<InstagramProfile | undefined> {
    this.#ensureBegun();
    return (this.#profile ??= this.#settled ? Promise.resolve(profileOf(this.#settled)) : this.#pending!.then(profileOf));
  }

  refresh(): Promise<ProfileLookup> {
    this.#begun = true;
    this.#begin(true);
    this.#profile = undefined;
    return (this.#lookup = this.#settled ? Promise.resolve(this.#settled) : this.#pending!);
  }

  prefetch(): void {
    if (this.event()?.grantsConsent) void this.load();
  }

  #ensureBegun(): void {
    if (this.#begun) return;
    this.#begun = true;
    this.#begin(false);
  }

  /** Starts the lookup: settled at once when the cache can answer, else pending. */
  #begin(forceRefresh: boolean): void {
    this.#settled = undefined;
    this.#pending = undefined;
    try {
      const event = this.event();
      if (!event) {
        this.#settled = NOT_INSTAGRAM;
        return;
      }
      const cached = forceRefresh ? undefined : this.middleware.cachedLookup(event);
      if (cached) {
        this.#settled = cached;
        return;
      }
      const pending = this.middleware.lookup(event, forceRefresh);
      if (log.enabled) pending.then((l) => log('%s %s from %s: %s', event.kind, event.igsid, event.businessId ?? '-', l.status === 'ok' ? `ok (${l.source})` : l.status));
      this.#pending = pending;
    } catch (error) {
      // The cache turns failures into results; this only guards against the unexpected.
      log('lookup failed unexpectedly: %O', error);
      this.#settled = UNAVAILABLE;
    }
  }
}

function profileOf(lookup: ProfileLookup): InstagramProfile | undefined {
  return lookup.status === 'ok' ? lookup.profile : undefined;
}
