// The one place that picks and wires the bot the playground talks to. A second bot (say the
// Agents SDK sample, for `BOT=agents npm start`) is one more branch in `startBot`.
import type { InstagramProfileMiddleware } from 'botbuilder-instagram-profile';
import type { Emulator } from 'botbuilder-instagram-profile/emulator';
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

// The botbuilder greeter's middleware options (samples/botbuilder-greeter/server.ts): ttl 1 h,
// timeout 2 s; negativeTtl and retries are the library's defaults.
const GREETER_SETTINGS: BotSettings = { profileTtlMs: 3_600_000, negativeTtlMs: 60_000, timeoutMs: 2_000, retries: 2 };

/** Starts the sample bot on loopback, wired to the emulator both ways. */
export async function startBot(emulator: Emulator, { port = 0 } = {}): Promise<PlaygroundBot> {
  const greeter = await startGreeter({ accessToken: emulator.accessToken, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, graphUrl: emulator.url, port });
  emulator.setWebhookUrl(greeter.webhookUrl);
  return {
    name: 'botbuilder greeter',
    webhookUrl: greeter.webhookUrl,
    inspector: greeter.inspector,
    profiles: greeter.profiles,
    settings: GREETER_SETTINGS,
    close: () => greeter.close(),
  };
}
