import createDebug from 'debug';
import { type Activity, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import { InstagramProfileError } from '../errors.js';
import type { InboundActivity } from '../webhook/activity.js';
import { type CloseResult, WebhookCore } from '../webhook/core.js';
import { answerHandshake } from '../webhook/handshake.js';
import { turnLogicOf, type TurnLogicOrBot } from '../webhook/botLogic.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/http.js';
import type { InstagramWebhookOptions } from '../webhook/options.js';
import { CHANNEL_ID } from '../webhook/toActivities.js';

const log = createDebug('instagram-profile:adapter');

export type BotLogic = (context: TurnContext) => Promise<void>;

/** Options of `InstagramAdapter`; the same as the Agents SDK adapter's. */
export type InstagramAdapterOptions = InstagramWebhookOptions;

/** The part of a Botkit controller the adapter uses when Botkit loads it as a plugin. */
interface BotkitLike {
  webserver?: { get?(path: string, handler: (req: WebhookRequest, res: WebhookResponse) => void): unknown };
  getConfig(key: string): unknown;
}

/** What `process` accepts as the bot: a function of the context, or anything with `run(context)` (an `ActivityHandler`). */
export type BotLogicOrHandler = TurnLogicOrBot<TurnContext>;

/**
 * A Bot Framework adapter for Instagram messaging webhooks and the Send API. Works with
 * Node `http`, Express and Restify, and as Botkit's adapter. The webhook is acknowledged
 * (200) before any turn runs; turns of one customer then run in delivery order, turns of
 * different customers concurrently; repeated deliveries run once. All of that lives in the
 * framework-neutral `WebhookCore`; this class only makes botbuilder turns of it.
 */
export class InstagramAdapter extends BotAdapter {
  /** Botkit loads its adapter as a plugin by this name (see `init`). */
  readonly name = 'Instagram Adapter';
  readonly #core: WebhookCore;

  constructor(options: InstagramAdapterOptions) {
    super();
    this.#core = new WebhookCore(options, 'InstagramAdapter');
  }

  /**
   * Handles one webhook request: GET handshake, or a signed POST whose events become turns.
   * Resolves once the response is sent; turns go on afterwards (see `drain()`). Never
   * rejects because of a turn: turn errors go to `onTurnError`, else to the debug log.
   */
  async process(req: WebhookRequest, res: WebhookResponse, bot: BotLogicOrHandler): Promise<void> {
    const logic = turnLogicOf(bot, res, 'InstagramAdapter.process needs the bot: process(req, res, async (context) => { ... }) or an ActivityHandler');
    await this.#core.handle(req, res, (activity) => this.#runTurn(activity, logic));
  }

  /**
   * With a durable inbox (`inbox` option), starts running its events before any webhook
   * arrives, so an instance that starts after a crash or a deploy works through the backlog.
   */
  consume(bot: BotLogicOrHandler): void {
    const logic = turnLogicOf(bot, undefined, 'InstagramAdapter.consume needs the bot: consume(async (context) => { ... }) or an ActivityHandler');
    this.#core.consume((activity) => this.#runTurn(activity, logic));
  }

  /** Alias of `process`: Botkit's web server calls `processActivity(req, res, logic)`. */
  processActivity(req: WebhookRequest, res: WebhookResponse, bot: BotLogicOrHandler): Promise<void> {
    return this.process(req, res, bot);
  }

  /** Resolves when every turn scheduled so far has finished (for tests and graceful shutdown). */
  drain(): Promise<void> {
    return this.#core.drain();
  }

  /**
   * Graceful shutdown (wire it to SIGTERM): new deliveries get `503`, which Meta retries, and
   * acknowledged turns finish within `timeoutMs` (default 10 000). Stop your HTTP server after it.
   */
  close(options?: { timeoutMs?: number }): Promise<CloseResult> {
    return this.#core.close(options);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return this.#core.send(activities as never, context.activity as never);
  }

  async updateActivity(_context: TurnContext, _activity: Partial<Activity>): Promise<void> {
    throw new InstagramProfileError('Instagram cannot edit a sent message: updateActivity is not supported', 'SEND_UNSUPPORTED');
  }

  async deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    throw new InstagramProfileError('Instagram bots cannot delete a sent message: deleteActivity is not supported', 'SEND_UNSUPPORTED');
  }

  /** Runs `logic` with a context for a saved conversation reference, e.g. to message a customer later (within Meta's 24 h window). */
  async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    activity.channelId ??= CHANNEL_ID;
    activity.serviceUrl ??= this.#core.options.graphUrl;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** Botkit calls this when it loads the adapter: the GET handshake then works on Botkit's webhook route too. */
  init(botkit: BotkitLike): void {
    const path = botkit.getConfig('webhook_uri');
    if (typeof botkit.webserver?.get !== 'function' || typeof path !== 'string') return;
    botkit.webserver.get(path, (req, res) => {
      answerHandshake(req, res, this.#core.options.verifyToken);
    });
  }

  async #runTurn(activity: InboundActivity, logic: BotLogic): Promise<void> {
    try {
      await this.runMiddleware(new TurnContext(this, activity as Partial<Activity>), logic);
    } catch (error) {
      // No onTurnError, or it threw: the webhook was answered long ago, so only the log can tell.
      log('turn %s (%s) failed: %O', activity.id ?? '-', activity.type, error);
    }
  }
}
