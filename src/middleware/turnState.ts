import type { InstagramEvent } from '../events/index.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import type { ProfileChange } from '../changes/profileChanges.js';

/**
 * The turnState key of the per-turn handle. A registered symbol, so an ESM copy and a
 * CommonJS copy of this package loaded in one process find each other's handle; private
 * in practice, since only this package uses the name.
 */
export const TURN_HANDLE_KEY: unique symbol = Symbol.for('botbuilder-instagram-profile.turn') as never;

/**
 * What the middleware puts in turnState on every turn: one object per middleware, shared by
 * all its turns, so a turn whose handler never asks allocates nothing. The turn's own handle
 * is made from it on the first ask and replaces it under the same key. Duck-typed (no
 * `instanceof`) so two copies of the package interoperate.
 */
export interface TurnHandleFactory {
  readonly handleVersion: 2;
  handleFor(context: TurnContextLike): TurnProfileHandle;
}

/** A turn's handle: made on the first ask, then found in turnState by later asks of the turn. */
export interface TurnProfileHandle {
  readonly handleVersion: 1;
  /** What happened, or undefined when the activity is not from an Instagram customer. Memoised. */
  event(): InstagramEvent | undefined;
  /** Starts the lookup on first call; later calls in the turn share it. Never rejects. */
  load(): Promise<ProfileLookup>;
  /** The profile of `load()`, or undefined; never rejects. Optional: older copies of the package lack it. */
  profile?(): Promise<InstagramProfile | undefined>;
  /** Re-reads the profile from the Graph API, bypassing the cache; later `load()` calls share it. */
  refresh(): Promise<ProfileLookup>;
  /** What the turn's lookup found changed; never starts a lookup. Optional: older copies of the package lack it. */
  changes?(): Promise<ProfileChange | undefined>;
}

/** The only things the middleware needs of a botbuilder, Agents SDK or Botkit TurnContext. */
export interface TurnContextLike {
  readonly activity: unknown;
  readonly turnState: { get(key: unknown): unknown; set(key: unknown, value: unknown): unknown };
}

/** A Botkit message: handlers get the TurnContext as `message.context`. */
export interface BotkitMessageLike {
  readonly context: TurnContextLike;
  readonly incoming_message?: unknown;
}

function isTurnContextLike(value: unknown): value is TurnContextLike {
  const turnState = (value as TurnContextLike | null | undefined)?.turnState;
  return typeof turnState?.get === 'function' && typeof turnState.set === 'function';
}

/** The TurnContext of a TurnContext or of a Botkit message; undefined for anything else. */
export function contextOf(value: unknown): TurnContextLike | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (isTurnContextLike(value)) return value;
  const context = (value as Partial<BotkitMessageLike>).context;
  return isTurnContextLike(context) ? context : undefined;
}

/** The turn's handle, made from the middleware's factory on the first ask; undefined when the middleware did not run. */
export function handleOf(value: unknown): TurnProfileHandle | undefined {
  const context = contextOf(value);
  if (context === undefined) return undefined;
  const held = context.turnState.get(TURN_HANDLE_KEY) as { handleVersion?: unknown; load?: unknown; handleFor?: unknown } | undefined;
  if (held?.handleVersion === 1 && typeof held.load === 'function') return held as TurnProfileHandle;
  if (held?.handleVersion !== 2 || typeof held.handleFor !== 'function') return undefined;
  const handle = (held as TurnHandleFactory).handleFor(context);
  context.turnState.set(TURN_HANDLE_KEY, handle);
  return handle;
}
