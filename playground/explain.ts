// Sentences for the "What the bot knew" panel: pure functions of what the playground saw, so
// each explanation is tested without a browser.
import type { ProfileLookup } from 'botbuilder-instagram-profile';
import type { TurnRecord } from '../samples/shared/inspector.js';
import type { BotSettings } from './bot.js';

export type Tone = 'info' | 'warn';

/** What the bot's cache holds for a persona, and what that means for the next message. */
export interface CacheExplanation {
  state: 'empty' | 'profile' | 'stale' | 'not-found' | 'no-consent';
  tone: Tone;
  text: string;
  /** Whether "forget" would change anything. */
  canForget: boolean;
}

export interface CacheFacts {
  /** `profiles.cache.peek(...)`: the cached answer, read without any I/O. */
  cached: ProfileLookup | undefined;
  /** The "Block the business" switch. */
  blocked: boolean;
  /** When the bot last called Graph for this persona (ms since the epoch), if it did. */
  readAt: number | undefined;
  settings: BotSettings;
}

/** Local wall-clock time, hh:mm:ss: the playground runs on the machine whose clock it shows. */
export function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** "1 h", "60 s", "2.5 s", "10 min". */
export function duration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 600_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function since(readAt: number | undefined, lifetimeMs: number): string {
  return readAt === undefined ? '' : ` at ${clock(readAt)}, until about ${clock(readAt + lifetimeMs)}`;
}

export function explainCache({ cached, blocked, readAt, settings }: CacheFacts): CacheExplanation {
  const ttl = `cache ttl ${duration(settings.profileTtlMs)}`;
  const negativeTtl = `negativeTtl ${duration(settings.negativeTtlMs)}`;
  if (cached === undefined) {
    const next = blocked ? ', which Instagram now refuses: the person blocked the business' : '';
    return { state: 'empty', tone: 'info', text: `Nothing cached: the next message makes a Graph call${next}.`, canForget: false };
  }
  if (cached.status === 'ok' && cached.source === 'stale') {
    return { state: 'stale', tone: 'warn', text: `The cached profile is past its ${ttl}: the bot still answers with it while it reads it again in the background.`, canForget: true };
  }
  if (cached.status === 'ok') {
    if (!blocked) return { state: 'profile', tone: 'info', text: `Profile cached${since(readAt, settings.profileTtlMs)} (${ttl}): later messages make no Graph call.`, canForget: true };
    return {
      state: 'profile',
      tone: 'warn',
      text:
        `Blocked, yet the bot still greets by name: it read the profile${since(readAt, settings.profileTtlMs)} (${ttl}), and Instagram sends no webhook when someone blocks a business. ` +
        'The bot finds out at its next Graph call. Forget the cached profile to make that call now.',
      canForget: true,
    };
  }
  if (cached.status === 'not-found') {
    if (blocked) return { state: 'not-found', tone: 'info', text: `The bot remembers "not found"${since(readAt, settings.negativeTtlMs)} (${negativeTtl}), so it does not ask Graph again on every message.`, canForget: true };
    return {
      state: 'not-found',
      tone: 'warn',
      text:
        `Unblocked, yet the bot still answers without a name: it remembers "not found"${since(readAt, settings.negativeTtlMs)} (${negativeTtl}), and unblocking sends the bot no webhook. ` +
        'Forget it to look the profile up again now.',
      canForget: true,
    };
  }
  return { state: 'no-consent', tone: 'info', text: `The bot remembers "no consent"${since(readAt, settings.negativeTtlMs)} (${negativeTtl}); the person's next message clears it.`, canForget: true };
}

export interface CallFacts {
  /** Graph calls the emulator counted for this persona while the last action ran. */
  calls: number;
  /** What the bot recorded for that action, if it ran a turn. */
  turn: TurnRecord | undefined;
  settings: BotSettings;
}

/** Why the last message cost that many Graph calls: none (cache, comment, circuit open), one, or one plus retries. */
export function explainCalls({ calls, turn, settings }: CallFacts): string {
  const code = turn?.error?.code;
  if (calls === 0) {
    if (!turn) return 'No Graph call: the bot ran no turn for this.';
    if (turn.kind === 'comment') return 'No Graph call: a comment grants no consent, so the bot may only use what it has cached.';
    if (turn.status === 'ok') return "No Graph call: the profile came from the bot's cache.";
    if (turn.status === 'not-found' || turn.status === 'no-consent') return `No Graph call: the bot answered from its remembered "${turn.status}".`;
    if (code === 'CIRCUIT_OPEN') return 'No Graph call: after repeated failures the bot pauses its Graph calls for a while (circuit breaker) and answers at once without a profile.';
    if (code === 'RATE_LIMITED') return 'No Graph call: Graph throttled the bot, which waits before calling again.';
    return 'No Graph call.';
  }
  if (calls === 1) {
    if (code === 'GRAPH_TIMEOUT') return `1 Graph call, abandoned at the bot's ${duration(settings.timeoutMs)} deadline: Graph was too slow, and no time was left to retry.`;
    if (turn?.status === 'ok') return '1 Graph call: the profile was read, and is now cached.';
    if (turn?.status === 'not-found') return '1 Graph call: Instagram refused the profile (100/33), an answer the bot does not retry.';
    return '1 Graph call.';
  }
  const retries = calls - 1;
  const outcome = turn?.status === 'ok' ? 'The last try worked.' : 'Every try failed, so the bot answered without a profile.';
  return (
    `${calls} Graph calls for one message: 1 request and ${retries} ${retries === 1 ? 'retry' : 'retries'}. ` +
    `The bot retries a transient failure (HTTP 5xx, a timeout, a dropped connection) up to ${settings.retries} times, after a growing random pause, within its ${duration(settings.timeoutMs)} deadline. ${outcome}`
  );
}
