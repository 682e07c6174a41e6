import type { InstagramEvent } from '../events/index.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import type { ProfileChange } from '../changes/profileChanges.js';

/**
 * The turnState key of the per-turn handle. A registered symbol, so an ESM copy and a
 * CommonJS copy of this package loaded in one process find each other's handle; private
 * in practice, since only this package uses the name.
 */
export const TURN_HANDLE_KEY: unique symbol = Symbol.for('botbuilder-instagram-profile.turn') as never;

/** What the middleware puts in turnState. Duck-typed (no `instanceof`) so two copies of the package interoperate. */
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

export function handleOf(value: unknown): TurnProfileHandle | undefined {
  const handle = contextOf(value)?.turnState.get(TURN_HANDLE_KEY) as TurnProfileHandle | undefined;
  return handle?.handleVersion === 1 && typeof handle.load === 'function' ? handle : undefined;
}
