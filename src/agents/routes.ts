import { RouteRank, type AgentApplication, type RouteHandler, type RouteSelector, type TurnState } from '@microsoft/agents-hosting';
import type { InstagramEventKind } from '../events/index.js';
import { getInstagramEvent } from '../middleware/accessors.js';

/** A payload, one of several, or a pattern. */
export type PayloadPattern = string | readonly string[] | RegExp;

/** The kinds that carry a payload the business chose: ice breakers, menu items, other postbacks, quick replies. */
const PAYLOAD_KINDS: ReadonlySet<InstagramEventKind> = new Set(['icebreaker', 'persistent_menu', 'postback', 'quick_reply']);

/**
 * A route selector for taps by payload: `app.onActivity(instagramPayload('HOURS'), handler)`.
 * Matches ice breakers, persistent-menu items, postbacks and quick replies, never a typed
 * message or a referral's `ref`. Reads the event the profile middleware recognised, so its
 * `icebreakerPayloads` / `persistentMenuPayloads` tell the kinds apart.
 */
export function instagramPayload(pattern: PayloadPattern): RouteSelector {
  const matches = payloadMatcher(pattern);
  return async (context) => {
    const event = getInstagramEvent(context);
    return event !== undefined && PAYLOAD_KINDS.has(event.kind) && event.payload !== undefined && matches(event.payload);
  };
}

/** A route selector for Instagram events by kind: `app.onActivity(instagramEvent('comment'), handler)`. */
export function instagramEvent(kind: InstagramEventKind | readonly InstagramEventKind[]): RouteSelector {
  const kinds: ReadonlySet<string> = new Set(typeof kind === 'string' ? [kind] : kind);
  return async (context) => {
    const event = getInstagramEvent(context);
    return event !== undefined && kinds.has(event.kind);
  };
}

/**
 * Adds a route for taps by payload, ranked `RouteRank.First` by default so that it wins over a
 * catch-all `app.onActivity('message', …)` added before it. Returns the app, as its own methods do.
 */
export function onInstagramPayload<TState extends TurnState>(
  app: AgentApplication<TState>,
  pattern: PayloadPattern,
  handler: RouteHandler<TState>,
  rank: number = RouteRank.First,
): AgentApplication<TState> {
  return app.addRoute(instagramPayload(pattern), handler, false, rank);
}

function payloadMatcher(pattern: PayloadPattern): (payload: string) => boolean {
  if (typeof pattern === 'string') return (payload) => payload === pattern;
  if (pattern instanceof RegExp) {
    // A global or sticky RegExp keeps lastIndex between tests: match on a fresh copy each time.
    return (payload) => new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).test(payload);
  }
  if (Array.isArray(pattern) && pattern.every((p) => typeof p === 'string')) {
    const payloads: ReadonlySet<string> = new Set(pattern);
    return (payload) => payloads.has(payload);
  }
  throw new TypeError('instagramPayload needs a payload string, an array of them, or a RegExp');
}
