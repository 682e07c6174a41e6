import type { ForgetBusinessResult, ProfileCache } from '../cache/profileCache.js';
import { createEventRecognizer } from '../events/index.js';
import type { GraphProfileClient } from '../graph/client.js';
import type { ProfileLookup } from '../types.js';
import type { ProfileChange } from '../changes/profileChanges.js';
import { lookupUnderConsentRule } from './consentRule.js';
import { type InstagramProfileMiddlewareOptions, resolveMiddlewareOptions } from './options.js';
import { TurnHandle, type TurnLookupFunctions } from './turnHandle.js';
import { contextOf, handleOf, TURN_HANDLE_KEY, type TurnContextLike, type TurnHandleFactory, type TurnProfileHandle } from './turnState.js';

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
  /** Made once and handed to every turn's handle: the handle gets these functions, never the middleware. */
  readonly #turnFunctions: TurnLookupFunctions;
  /** Left in every turn's turnState: the turn's handle is made from it only when a handler asks. */
  readonly #handles: TurnHandleFactory;

  constructor(options: InstagramProfileMiddlewareOptions) {
    const resolved = resolveMiddlewareOptions(options);
    this.client = resolved.client;
    this.cache = resolved.cache;
    this.#prefetch = resolved.prefetch;
    const cache = this.cache;
    this.#turnFunctions = {
      recognize: createEventRecognizer(resolved.events),
      lookup: lookupUnderConsentRule(cache, this.client, resolved.refreshFollowStatusAfter),
      changesOf: (lookup) => cache.changesOf(lookup),
    };
    const functions = this.#turnFunctions;
    this.#handles = { handleVersion: 2, handleFor: (context) => new TurnHandle(context.activity, functions) };
    if (resolved.onProfileChange) cache.onProfileChange(resolved.onProfileChange);
  }

  onTurn(context: TurnContextLike, next: () => Promise<void>): Promise<void> {
    // Runs on every turn: one Map.set of a shared object, no allocation, unless prefetching.
    if (this.#prefetch) {
      const handle = new TurnHandle(context.activity, this.#turnFunctions);
      context.turnState.set(TURN_HANDLE_KEY, handle);
      handle.prefetch();
    } else {
      context.turnState.set(TURN_HANDLE_KEY, this.#handles);
    }
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

  /**
   * What changed in this turn's sender's profile since the previous known one (see
   * docs/changes.md), or undefined. Starts no lookup: waits for the turn's, if any. Never rejects.
   */
  changes(context: TurnContextLike | object): Promise<ProfileChange | undefined> {
    return this.#handleFor(context).changes?.() ?? Promise.resolve(undefined);
  }

  /**
   * Forgets a person (data-deletion requests): for one business, or for all when `businessId`
   * is omitted, whether their entries are fresh, stale, expired or still loading. With a
   * shared store, also in Redis and on every instance, before this resolves. Returns how
   * many entries went in this process.
   */
  async forget(igsid: string, businessId?: string): Promise<number> {
    const removed = this.cache.forget(igsid, businessId);
    await this.cache.flush();
    return removed;
  }

  /**
   * Forgets everything held for one business account (it disconnected the app, or its user
   * asked for deletion), here and, with a shared store, in Redis and on every instance.
   * `complete` is false when Redis could not finish (the store retries when it returns).
   */
  forgetBusiness(businessId: string): Promise<ForgetBusinessResult> {
    return this.cache.forgetBusiness(businessId);
  }

  #handleFor(value: unknown): TurnProfileHandle {
    const existing = handleOf(value);
    if (existing) return existing;
    // Called outside a turn this middleware ran in: a handle for this activity only.
    const context = contextOf(value);
    const handle = new TurnHandle(context?.activity, this.#turnFunctions);
    context?.turnState.set(TURN_HANDLE_KEY, handle);
    return handle;
  }
}
