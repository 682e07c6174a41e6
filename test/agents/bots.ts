import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentApplication, MemoryStorage, type TurnContext, type TurnState } from '@microsoft/agents-hosting';
import { InstagramAgentsAdapter, onInstagramPayload } from '../../src/agents/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { followStatus, getInstagramEvent, getInstagramProfile, InstagramProfileMiddleware, type InstagramEvent } from '../../src/index.js';

/** What each route of the agent saw, in order, and a hook to hold message turns open. */
export interface AgentRecord {
  routes: Array<{ route: string; type: string; name?: string | undefined; event: InstagramEvent | undefined }>;
  turnErrors: Error[];
  /** When set, each message turn awaits it before replying. */
  gate?: Promise<void>;
}

export interface RunningAgent {
  url: string;
  adapter: InstagramAgentsAdapter;
  app: AgentApplication<TurnState>;
  storage: MemoryStorage;
  record: AgentRecord;
  close(): Promise<void>;
}

export interface AgentBotOptions {
  /** Leave `onTurnError` at the adapter's default (errors go to the debug log). */
  defaultTurnError?: boolean;
}

/**
 * The e2e agent on `AgentApplication`: greets by name and follow status, answers ice breakers
 * and menu taps by payload, counts messages per conversation in conversation state, and
 * records comments, reads and reactions without replying.
 */
export async function startAgentsBot(emulator: Emulator, options: AgentBotOptions = {}): Promise<RunningAgent> {
  const record: AgentRecord = { routes: [], turnErrors: [] };
  const adapter = new InstagramAgentsAdapter({ appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, accessToken: emulator.accessToken, graphUrl: emulator.url });
  adapter.use(
    new InstagramProfileMiddleware({
      accessToken: emulator.accessToken,
      graphUrl: emulator.url,
      retries: 0,
      icebreakerPayloads: emulator.icebreakers.map((i) => i.payload),
      persistentMenuPayloads: emulator.persistentMenu.map((m) => m.payload),
    }),
  );
  if (!options.defaultTurnError) adapter.onTurnError = async (_context, error) => void record.turnErrors.push(error);

  const storage = new MemoryStorage();
  const app = new AgentApplication<TurnState>({ storage });
  const seen = (route: string, context: TurnContext) =>
    record.routes.push({ route, type: context.activity.type, name: context.activity.name, event: getInstagramEvent(context) });

  app.onActivity('message', async (context, state) => {
    seen('message', context);
    const count = (state.getValue<number | undefined>('conversation.count') ?? 0) + 1;
    state.setValue('conversation.count', count);
    if (record.gate) await record.gate;
    const profile = await getInstagramProfile(context);
    await context.sendActivity(`Hi ${profile?.name ?? 'there'} (${followStatus(profile)}) #${count}`);
  });
  onInstagramPayload(app, emulator.icebreakers.map((i) => i.payload), async (context) => {
    seen('icebreaker', context);
    const event = getInstagramEvent(context);
    const profile = await getInstagramProfile(context);
    await context.sendActivity(`Ice breaker ${event?.payload} (${event?.kind}) for ${profile?.name ?? 'there'}`);
  });
  onInstagramPayload(app, /^MENU_/, async (context) => {
    seen('menu', context);
    const event = getInstagramEvent(context);
    await context.sendActivity(`Menu ${event?.payload} (${event?.kind})`);
  });
  app.onActivity('event', async (context) => void seen('event', context));
  app.onMessageReactionAdded(async (context) => void seen('reaction', context));
  // AgentApplication 1.8 saves turn state only after an afterTurn handler that returns true.
  app.onTurn('afterTurn', async () => true);

  const server = createServer(express().all('/api/instagram', (req, res) => adapter.process(req, res, app)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/instagram`;
  return {
    url,
    adapter,
    app,
    storage,
    record,
    async close() {
      await adapter.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
