import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import type { TurnContext } from 'botbuilder';
import { InstagramAdapter } from '../../src/adapter/index.js';
import { instagramProfilePlugin } from '../../src/botkit/index.js';
import { getInstagramEvent, getInstagramProfile, InstagramProfileMiddleware, type InstagramEvent } from '../../src/index.js';

/** What the emulator tells a bot: where Graph is, and the app's secrets and payloads. */
export interface EmulatorSettings {
  url: string;
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  icebreakers: readonly { payload: string }[];
  persistentMenu: readonly { payload: string }[];
}

/** Every turn the bot saw, and a hook to hold a turn open. */
export interface BotRecord {
  events: (InstagramEvent | undefined)[];
  standby: number;
  /** When set, each message turn awaits it before replying. */
  gate?: Promise<void>;
}

export interface RunningBot {
  kind: 'express' | 'botkit' | 'http';
  url: string;
  adapter: InstagramAdapter;
  record: BotRecord;
  close(): Promise<void>;
}

function newAdapter(emulator: EmulatorSettings) {
  return new InstagramAdapter({ appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, accessToken: emulator.accessToken, graphUrl: emulator.url });
}

function middlewareOptions(emulator: EmulatorSettings) {
  return {
    accessToken: emulator.accessToken,
    graphUrl: emulator.url,
    retries: 0,
    icebreakerPayloads: emulator.icebreakers.map((i) => i.payload),
    persistentMenuPayloads: emulator.persistentMenu.map((m) => m.payload),
  };
}

/**
 * The sample bot: greets by name, branches on ice breakers and menu taps, stays silent for
 * comments, reads, echoes and standby events (another app holds those threads).
 */
async function replyFor(contextOrMessage: unknown, activity: { channelData?: unknown }, record: BotRecord): Promise<string | undefined> {
  const event = getInstagramEvent(contextOrMessage);
  record.events.push(event);
  if ((activity.channelData as { standby?: boolean } | undefined)?.standby) {
    record.standby++;
    return undefined;
  }
  if (!event?.grantsConsent) return undefined;
  if (record.gate) await record.gate;
  const profile = await getInstagramProfile(contextOrMessage);
  const name = profile?.name ?? 'there';
  if (event.kind === 'icebreaker') return `Ice breaker ${event.payload} for ${name}`;
  if (event.kind === 'persistent_menu') return `Menu ${event.payload} for ${name}`;
  return `Hi ${name}!`;
}

function botbuilderLogic(record: BotRecord) {
  return async (context: TurnContext) => {
    const reply = await replyFor(context, context.activity, record);
    if (reply) await context.sendActivity(reply);
  };
}

async function listening(server: Server, path: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

function closer(server: Server, adapter: InstagramAdapter) {
  return async () => {
    await adapter.drain();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export async function startExpressBot(emulator: EmulatorSettings): Promise<RunningBot> {
  const record: BotRecord = { events: [], standby: 0 };
  const adapter = newAdapter(emulator);
  adapter.use(new InstagramProfileMiddleware(middlewareOptions(emulator)));
  const app = express();
  app.all('/api/instagram', (req, res) => adapter.process(req, res, botbuilderLogic(record)));
  const server = createServer(app);
  const url = await listening(server, '/api/instagram');
  return { kind: 'express', url, adapter, record, close: closer(server, adapter) };
}

export async function startHttpBot(emulator: EmulatorSettings): Promise<RunningBot> {
  const record: BotRecord = { events: [], standby: 0 };
  const adapter = newAdapter(emulator);
  adapter.use(new InstagramProfileMiddleware(middlewareOptions(emulator)));
  const server = createServer((req, res) => void adapter.process(req, res, botbuilderLogic(record)));
  const url = await listening(server, '/webhook');
  return { kind: 'http', url, adapter, record, close: closer(server, adapter) };
}

export async function startBotkitBot(emulator: EmulatorSettings): Promise<RunningBot> {
  const record: BotRecord = { events: [], standby: 0 };
  const adapter = newAdapter(emulator);
  const app = express();
  const controller = new Botkit({ adapter, webserver: app, webhook_uri: '/api/instagram', disable_console: true });
  controller.usePlugin(instagramProfilePlugin(middlewareOptions(emulator)));
  const handler = async (bot: BotWorker, message: BotkitMessage) => {
    const reply = await replyFor(message, message.incoming_message, record);
    if (reply) await bot.reply(message, reply);
  };
  // Botkit names events by activity type; every Instagram event reaches one of these.
  controller.on('message', handler);
  controller.on('event', handler);
  controller.on('messageReaction', handler);
  const server = createServer(app);
  const url = await listening(server, '/api/instagram');
  return { kind: 'botkit', url, adapter, record, close: closer(server, adapter) };
}

export const startBots = { express: startExpressBot, botkit: startBotkitBot, http: startHttpBot } as const;
