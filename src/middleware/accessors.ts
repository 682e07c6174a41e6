import { recognizeInstagramEvent, type InstagramEvent } from '../events/index.js';
import type { InstagramProfile, ProfileLookup } from '../types.js';
import { handleOf } from './turnState.js';
import type { ProfileChanges } from '../changes/profileChanges.js';

/**
 * The profile of the Instagram customer of this turn, or undefined when there is none (not
 * Instagram, no consent, not found, Graph unavailable, middleware not installed). Accepts a
 * TurnContext (botbuilder, Agents SDK) or a Botkit message. Never throws.
 */
export function getInstagramProfile(contextOrMessage: unknown): Promise<InstagramProfile | undefined> {
  try {
    const handle = handleOf(contextOrMessage);
    if (!handle) return NO_PROFILE;
    if (typeof handle.profile === 'function') return handle.profile();
    return handle.load().then(
      (lookup: ProfileLookup) => (lookup.status === 'ok' ? lookup.profile : undefined),
      () => undefined,
    );
  } catch {
    return NO_PROFILE;
  }
}

const NO_PROFILE: Promise<undefined> = Promise.resolve(undefined);

/**
 * What changed in the sender's profile since the previous known one, for this turn:
 * `{ followed, unfollowed, renamed, … }`, or undefined when nothing is known or nothing
 * changed. Lazy: starts no lookup, but waits for the turn's own when one was started (call it
 * after `getInstagramProfile`). A change is seen by the turn whose lookup reloaded the person
 * from Graph (and its concurrent turns). Never throws.
 */
export function getProfileChanges(contextOrMessage: unknown): Promise<ProfileChanges | undefined> {
  try {
    const changes = handleOf(contextOrMessage)?.changes?.();
    if (changes === undefined) return NO_PROFILE;
    return changes.then(
      (change) => change?.changes,
      () => undefined,
    );
  } catch {
    return NO_PROFILE;
  }
}

/**
 * What the Instagram customer did in this turn, or undefined when the activity is not from
 * one. With a TurnContext the middleware ran on, uses its configured ice-breaker and menu
 * payloads; with a bare Activity, recognises it without them (postbacks are `postback`).
 */
export function getInstagramEvent(contextOrActivity: unknown): InstagramEvent | undefined {
  try {
    const handle = handleOf(contextOrActivity);
    if (handle) return handle.event();
    const value = contextOrActivity as { activity?: unknown; incoming_message?: unknown } | null | undefined;
    const activity = value?.activity ?? value?.incoming_message ?? contextOrActivity;
    return recognizeInstagramEvent(activity);
  } catch {
    return undefined;
  }
}
