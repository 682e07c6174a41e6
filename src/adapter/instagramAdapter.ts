import createDebug from 'debug';
import { type Activity, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import { InstagramProfileError } from '../errors.js';
import { delay } from '../internal/abort.js';
import { isIgsid } from '../platform/igsid.js';
import { verifyWebhookSignature } from '../platform/signatures.js';
import { DeliveryDedupe } from './dedupe.js';
import { answerHandshake } from './handshake.js';
import { headerOf, respond, type WebhookRequest, type WebhookResponse } from './http.js';
import { type InstagramAdapterOptions, type ResolvedAdapterOptions, resolveAdapterOptions } from './options.js';
import { readRawBody } from './requestBody.js';
import { SendApiClient } from './sendApi.js';
import { activitiesFromEntries, CHANNEL_ID, type InboundTurn } from './toActivities.js';
import { sendApiBodiesFor } from './toSendApi.js';
import { TurnQueue } from './turnQueue.js';

const log = createDebug('instagram-profile:adapter');

export type BotLogic = (context: TurnContext) => Promise<void>;

/** The part of a Botkit controller the adapter uses when Botkit loads it as a plugin. */
interface BotkitLike {
  webserver?: { get?(path: string, handler: (req: WebhookRequest, res: WebhookResponse) => void): unknown };
  getConfig(key: string): unknown;
}

/**
 * A Bot Framework adapter for Instagram messaging webhooks and the Send API. Works with
 * Node `http`, Express and Restify, and as Botkit's adapter. The webhook is acknowledged
 * (200) before any turn runs; turns of one customer then run in delivery order, turns of
 * different customers concurrently; repeated deliveries run once.
 */
export class InstagramAdapter extends BotAdapter {
  /** Botkit loads its adapter as a plugin by this name (see `init`). */
  readonly name = 'Instagram Adapter';
  readonly #options: ResolvedAdapterOptions;
  readonly #dedupe: DeliveryDedupe;
  readonly #queue = new TurnQueue();
  readonly #sendApi: SendApiClient;

  constructor(options: InstagramAdapterOptions) {
    super();
    this.#options = resolveAdapterOptions(options);
    this.#dedupe = new DeliveryDedupe(this.#options.dedupe);
    this.#sendApi = new SendApiClient(this.#options);
  }

  /**
   * Handles one webhook request: GET handshake, or a signed POST whose events become turns.
   * Resolves once the response is sent; turns go on afterwards (see `drain()`). Never
   * rejects because of a turn: turn errors go to `onTurnError`, else to the debug log.
   */
  async process(req: WebhookRequest, res: WebhookResponse, logic: BotLogic): Promise<void> {
    if (typeof logic !== 'function') {
      respond(res, 500);
      throw new TypeError('InstagramAdapter.process needs the bot logic: process(req, res, async (context) => { ... })');
    }
    try {
      const method = (req.method ?? 'POST').toUpperCase();
      if (method === 'GET') {
        const ok = answerHandshake(req, res, this.#options.verifyToken);
        log('webhook handshake %s', ok ? 'accepted' : 'refused');
        return;
      }
      if (method !== 'POST') return respond(res, 405, 'method not allowed', { allow: 'GET, POST' });
      const turns = await this.#acceptDelivery(req, res);
      if (turns) this.#schedule(turns, logic);
    } catch (error) {
      log('webhook request failed: %O', error);
      respond(res, 500);
    }
  }

  /** Alias of `process`: Botkit's web server calls `processActivity(req, res, logic)`. */
  processActivity(req: WebhookRequest, res: WebhookResponse, logic: BotLogic): Promise<void> {
    return this.process(req, res, logic);
  }

  /** Resolves when every turn scheduled so far has finished (for tests and graceful shutdown). */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await delay(typeof activity.value === 'number' ? activity.value : 1_000);
        responses.push({ id: '' });
        continue;
      }
      const businessId = businessOf(activity, context.activity);
      let id = '';
      for (const body of sendApiBodiesFor(activity)) id = (await this.#sendApi.send(businessId, body)).messageId ?? id;
      responses.push({ id });
    }
    return responses;
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
    activity.serviceUrl ??= this.#options.graphUrl;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** Botkit calls this when it loads the adapter: the GET handshake then works on Botkit's webhook route too. */
  init(botkit: BotkitLike): void {
    const path = botkit.getConfig('webhook_uri');
    if (typeof botkit.webserver?.get !== 'function' || typeof path !== 'string') return;
    botkit.webserver.get(path, (req, res) => {
      answerHandshake(req, res, this.#options.verifyToken);
    });
  }

  /** Reads, verifies and parses a POST; answers it; returns the turns to run (none when refused). */
  async #acceptDelivery(req: WebhookRequest, res: WebhookResponse): Promise<InboundTurn[] | undefined> {
    const { maxBodyBytes, bodyTimeoutMs, appSecret, graphUrl } = this.#options;
    const body = await readRawBody(req, maxBodyBytes, bodyTimeoutMs);
    if (!body.ok) {
      log('refused a webhook (%d): %s', body.status, body.reason);
      respond(res, body.status, body.status === 401 ? 'signature cannot be verified' : body.reason, body.status === 401 ? {} : { connection: 'close' });
      return undefined;
    }
    if (!verifyWebhookSignature(body.bytes, headerOf(req, 'x-hub-signature-256'), appSecret)) {
      log('refused a webhook: missing or wrong X-Hub-Signature-256');
      respond(res, 401, 'invalid signature');
      return undefined;
    }
    const delivery = parseDelivery(body.bytes);
    if (typeof delivery === 'string') {
      log('refused a webhook (400): %s', delivery);
      respond(res, 400, delivery);
      return undefined;
    }
    if (delivery.object !== CHANNEL_ID) {
      log('ignored a webhook for object %s: this adapter handles "instagram" only', String(delivery.object).slice(0, 40));
      respond(res, 200, 'ignored');
      return undefined;
    }
    const turns = activitiesFromEntries(delivery.entry, graphUrl);
    respond(res, 200, 'EVENT_RECEIVED');
    return turns;
  }

  #schedule(turns: InboundTurn[], logic: BotLogic): void {
    const { dedupe, now } = this.#options;
    for (const { activity, dedupeKey, queueKey } of turns) {
      // Older than the de-duplication window: it may have run and been forgotten since, so it must not run.
      if (dedupe && activity.timestamp instanceof Date && now() - activity.timestamp.getTime() > dedupe.ttlMs) {
        log('dropped a delivery older than the de-duplication window: %s', dedupeKey ?? activity.id ?? '-');
        continue;
      }
      if (!this.#dedupe.firstTime(dedupeKey)) {
        log('dropped a repeated delivery: %s', dedupeKey);
        continue;
      }
      void this.#queue.enqueue(queueKey, () => this.#boundedTurn(activity, logic));
    }
  }

  /** The turn, or its time limit: a turn that never settles must not hold its customer's queue forever. */
  #boundedTurn(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    const { turnTimeoutMs } = this.#options;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        log('turn %s still running after %d ms: letting the next turns of this customer go ahead', activity.id ?? '-', turnTimeoutMs);
        resolve();
      }, turnTimeoutMs);
      timer.unref?.();
      // #runTurn never rejects: it hands turn errors to onTurnError or the log.
      void this.#runTurn(activity, logic).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async #runTurn(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    try {
      await this.runMiddleware(new TurnContext(this, activity), logic);
    } catch (error) {
      // No onTurnError, or it threw: the webhook was answered long ago, so only the log can tell.
      log('turn %s (%s) failed: %O', activity.id ?? '-', activity.type, error);
    }
  }
}

type Delivery = { object: unknown; entry: unknown[] };

/** The delivery, or why it is not one: JSON object with an `entry` array. */
function parseDelivery(bytes: Buffer): Delivery | string {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'the body is not JSON';
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'the body is not a JSON object';
  const { object, entry } = json as { object?: unknown; entry?: unknown };
  if (!Array.isArray(entry)) return 'the body has no "entry" array';
  return { object, entry };
}

/** The business account a reply is sent as: the reply's `from`, else the incoming activity's recipient. */
function businessOf(outgoing: Partial<Activity>, incoming: Partial<Activity> | undefined): string | undefined {
  const candidates = [outgoing.from?.id, incoming?.recipient?.id];
  return candidates.find((id) => isIgsid(id));
}
