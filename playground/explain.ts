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
  /** The label of the control that forgets it, or null when nothing is cached. */
  forget: string | null;
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

/** "1 h", "60 s", "2.5 s", "10 min", "1 ms" (a test's setting). */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 600_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** `at`: " at 10:05:40" (empty when the time of the call is unknown); `lifetime`: "1 h (until about 11:05:40)". */
function when(readAt: number | undefined, lifetimeMs: number): { at: string; lifetime: string } {
  if (readAt === undefined) return { at: '', lifetime: duration(lifetimeMs) };
  return { at: ` at ${clock(readAt)}`, lifetime: `${duration(lifetimeMs)} (until about ${clock(readAt + lifetimeMs)})` };
}

/** When a message will re-read the follow flags of a profile read at `readAt`: " after 10:05:50", or "" when the time of the read is unknown. */
function rereadTime(readAt: number | undefined, settings: BotSettings): string {
  return readAt === undefined ? '' : ` after ${clock(readAt + settings.refreshFollowStatusAfterMs)}`;
}

/** The hint under the "Follows the business" switch. */
export function explainFollowSwitch(settings: BotSettings): string {
  if (settings.refreshFollowStatusAfterMs === 0) return `Instagram sends no webhook for a follow: the bot sees it only when it reads the profile again, after its ${duration(settings.profileTtlMs)} ttl or once forgotten.`;
  return `Instagram sends no webhook for a follow: the bot re-reads follow flags older than ${duration(settings.refreshFollowStatusAfterMs)} when this person next writes, and thanks them once.`;
}

export function explainCache({ cached, blocked, readAt, settings }: CacheFacts): CacheExplanation {
  if (cached === undefined) {
    const next = blocked ? ', which Instagram now refuses: the person blocked the business' : '';
    return { state: 'empty', tone: 'info', text: `Nothing cached: the next message makes a Graph call${next}.`, forget: null };
  }
  if (cached.status === 'ok' && cached.source === 'stale') {
    return { state: 'stale', tone: 'warn', text: `The cached profile is past its ${duration(settings.profileTtlMs)} ttl: the bot still answers with it while it reads it again in the background.`, forget: 'Forget cached profile' };
  }
  if (cached.status === 'ok') {
    const { at, lifetime } = when(readAt, settings.profileTtlMs);
    const refreshes = settings.refreshFollowStatusAfterMs > 0;
    if (!blocked) {
      const except = !refreshes ? '' : readAt === undefined ? `, except to re-read follow flags older than ${duration(settings.refreshFollowStatusAfterMs)}` : `, except the first one${rereadTime(readAt, settings)}, which re-reads the follow flags`;
      return { state: 'profile', tone: 'info', text: `Profile cached${at} for ${lifetime}: later messages make no Graph call${except}.`, forget: 'Forget cached profile' };
    }
    // Re-reading the follow flags is what lets a block show before the ttl ends.
    const reread = refreshes ? ` A message${rereadTime(readAt, settings)} re-reads it and finds it refused.` : '';
    return {
      state: 'profile',
      tone: 'warn',
      text: `Blocked, yet the bot still greets by name: it cached the profile${at} for ${lifetime}, and Instagram sends no webhook for a block.${reread} Forget the cached profile to make the bot ask Graph now.`,
      forget: 'Forget cached profile',
    };
  }
  if (cached.status === 'not-found') {
    const { at, lifetime } = when(readAt, settings.negativeTtlMs);
    const remembered = `it got "not found"${at} and remembers it for ${lifetime}`;
    if (blocked) return { state: 'not-found', tone: 'info', text: `No profile: ${remembered}, so it does not ask Graph again on every message.`, forget: 'Forget the remembered "not found"' };
    return {
      state: 'not-found',
      tone: 'warn',
      text: `Unblocked, yet the bot still answers without a name: ${remembered}, and unblocking sends the bot no webhook. Forget it to make the bot ask Graph now.`,
      forget: 'Forget the remembered "not found"',
    };
  }
  const { at, lifetime } = when(readAt, settings.negativeTtlMs);
  return { state: 'no-consent', tone: 'info', text: `The bot got "no consent"${at} and remembers it for ${lifetime}; the person's next message clears it.`, forget: 'Forget the remembered "no consent"' };
}

/** What a re-read of a cached profile's follow flags found, as the bot's cache shows it before and after. */
export type FollowReread = 'followed' | 'unfollowed' | 'unchanged';

export interface CallFacts {
  /** Graph calls the emulator counted for this persona while the last action ran. */
  calls: number;
  /** What the bot recorded for that action, if it ran a turn. */
  turn: TurnRecord | undefined;
  /** Set when the action re-read a profile the bot held fresh in its cache: its follow flags had grown old. */
  reread?: FollowReread | undefined;
  settings: BotSettings;
}

const REREAD_FOUND: Record<FollowReread, string> = {
  followed: ', and found a new follow',
  unfollowed: ', and found that this person no longer follows the business',
  unchanged: '; they had not changed',
};

/** Why the last message cost that many Graph calls: none (cache, comment, circuit open), one, or one plus retries. */
export function explainCalls({ calls, turn, reread, settings }: CallFacts): string {
  const code = turn?.error?.code;
  if (calls === 0) {
    if (!turn) return 'No Graph call: the bot ran no turn for this.';
    if (turn.kind === 'comment') return 'No Graph call: a comment grants no consent, so the bot may only use what it has cached.';
    if (turn.status === 'ok' && settings.refreshFollowStatusAfterMs > 0 && turn.source === 'cache') {
      return `No Graph call: the profile came from the bot's cache, read less than ${duration(settings.refreshFollowStatusAfterMs)} earlier, so its follow flags were not re-read.`;
    }
    if (turn.status === 'ok') return "No Graph call: the profile came from the bot's cache.";
    if (turn.status === 'not-found' || turn.status === 'no-consent') return `No Graph call: the bot answered from its remembered "${turn.status.replace('-', ' ')}".`;
    if (code === 'CIRCUIT_OPEN') return 'No Graph call: after repeated failures the bot pauses its Graph calls for a while (circuit breaker) and answers at once without a profile.';
    if (code === 'RATE_LIMITED') return 'No Graph call: Graph throttled the bot, which waits before calling again.';
    return 'No Graph call.';
  }
  if (calls === 1) {
    if (code === 'GRAPH_TIMEOUT') return `1 Graph call, abandoned at the bot's ${duration(settings.timeoutMs)} deadline: Graph was too slow, and no time was left to retry.`;
    if (turn?.status === 'ok' && reread) return `1 Graph call: the cached follow flags were older than ${duration(settings.refreshFollowStatusAfterMs)}, so the bot read the profile again${REREAD_FOUND[reread]}.`;
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
