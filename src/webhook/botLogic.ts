import { respond, type WebhookResponse } from './http.js';

/** What an adapter's `process` accepts as the bot: a function of the turn's context, or anything with `run(context)` (an `ActivityHandler`, an `AgentApplication`). */
export type TurnLogicOrBot<C> = ((context: C) => Promise<void>) | { run(context: C): Promise<unknown> };

/**
 * The turn logic of what was passed as the bot. Anything else is a programming error: the
 * request, if any, is answered 500 (Meta delivers it again later) and a `TypeError` saying `usage` is thrown.
 */
export function turnLogicOf<C>(bot: TurnLogicOrBot<C>, res: WebhookResponse | undefined, usage: string): (context: C) => Promise<void> {
  if (typeof bot === 'function') return bot;
  if (bot !== null && typeof bot === 'object' && typeof bot.run === 'function') return async (context) => void (await bot.run(context));
  if (res) respond(res, 500);
  throw new TypeError(usage);
}
