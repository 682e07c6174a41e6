// The one place that picks and wires the bot the playground talks to: the botbuilder greeter,
// or with `BOT=agents npm start` the same greeter on the Microsoft 365 Agents SDK.
import type { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { Emulator } from 'botbuilder-instagram-profile/emulator';
import { startAgentsGreeter } from '../samples/agents-greeter/server.js';
import { startGreeter } from '../samples/botbuilder-greeter/server.js';
import type { Inspector } from '../samples/shared/inspector.js';

/** What the bot's profile middleware is set to: the panel quotes it to explain what it shows. */
export interface BotSettings {
  /** How long a profile stays cached (`cache.ttl`). */
  profileTtlMs: number;
  /** How long a "not found" or "no consent" is remembered (`cache.negativeTtl`). */
  negativeTtlMs: number;
  /** The deadline of one lookup, retries included (`timeout`). */
  timeoutMs: number;
  /** Retries of a transient failure (`retries`). */
  retries: number;
  /** A message re-reads the follow flags of a profile cached longer ago than this (`refreshFollowStatusAfter`; 0: never). */
  refreshFollowStatusAfterMs: number;
}

/** The bot as the playground sees it: where to post webhooks, what it knew, its cache. */
export interface PlaygroundBot {
  /** Shown in the page header. */
  readonly name: string;
  readonly webhookUrl: string;
  readonly inspector: Inspector;
  readonly profiles: Pick<InstagramProfileMiddleware, 'cache' | 'forget'>;
  readonly settings: BotSettings;
  close(): Promise<void>;
}

// The greeters' middleware options (`greeterProfiles` in samples/shared/greeter.ts): ttl 1 h,
// timeout 2 s; negativeTtl and retries are the library's defaults.
const GREETER_SETTINGS = { profileTtlMs: 3_600_000, negativeTtlMs: 60_000, timeoutMs: 2_000, retries: 2 };

/**
 * Instagram sends no webhook for a follow, so the bot re-reads follow flags older than this
 * when the person writes. In production minutes would do; here a person toggles "Follows the
 * business", writes, and should see the thanks, while a quick exchange still shows the cache at work.
 */
export const PLAYGROUND_REFRESH_FOLLOW_STATUS_AFTER_MS = 10_000;

/** Which sample bot: `botbuilder` (default) or `agents`, as `BOT` says. */
export type BotKind = 'botbuilder' | 'agents';

export function botKindOf(value: string | undefined): BotKind {
  if (value === undefined || value === '' || value === 'botbuilder') return 'botbuilder';
  if (value === 'agents') return 'agents';
  throw new TypeError(`BOT must be "botbuilder" or "agents", got "${value.slice(0, 40)}"`);
}

export interface StartBotOptions {
  port?: number;
  kind?: BotKind;
  /** Passed to the greeter (ms): tests shorten it so that they need not wait. */
  refreshFollowStatusAfter?: number;
}

/** Starts the sample bot on loopback, wired to the emulator both ways. */
export async function startBot(emulator: Emulator, { port = 0, kind = botKindOf(process.env.BOT), refreshFollowStatusAfter = PLAYGROUND_REFRESH_FOLLOW_STATUS_AFTER_MS }: StartBotOptions = {}): Promise<PlaygroundBot> {
  const config = { accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port, refreshFollowStatusAfter };
  const greeter = kind === 'agents' ? await startAgentsGreeter(config) : await startGreeter(config);
  emulator.setWebhookUrl(greeter.webhookUrl);
  return {
    name: kind === 'agents' ? 'Agents SDK greeter' : 'botbuilder greeter',
    webhookUrl: greeter.webhookUrl,
    inspector: greeter.inspector,
    profiles: greeter.profiles,
    settings: { ...GREETER_SETTINGS, refreshFollowStatusAfterMs: refreshFollowStatusAfter },
    close: () => greeter.close(),
  };
}
