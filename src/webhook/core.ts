import createDebug from 'debug';
import { isRecord, parseJson } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';
import { verifyWebhookSignature } from '../platform/signatures.js';
import { countWebhookItems, readWebhookItems } from '../platform/webhookItem.js';
import { SendApiClient } from '../graph/sendApi.js';
import { countDelivery, countEvents, countTurnTimeout, type DeliveryOutcome, type EventOutcome, observeWebhook } from '../telemetry/index.js';
import type { InboundActivity, OutgoingActivity } from './activity.js';
import { deliveryDigest, LocalDeliveryLedger, type DeliveryLedger, type DeliveryVerdict } from './dedupe.js';
import { answerHandshake } from './handshake.js';
import { headerOf, respond, type WebhookRequest, type WebhookResponse } from './http.js';
import { type InstagramWebhookOptions, type ResolvedWebhookOptions, resolveWebhookOptions } from './options.js';
import { readRawBody } from './requestBody.js';
import { TurnScheduler } from './scheduler.js';
import { CHANNEL_ID, turnOf, type InboundTurn } from './toActivities.js';
import { sendApiBodiesFor } from './toSendApi.js';

const log = createDebug('instagram-profile:webhook');

/** What `close()` achieved: whether every acknowledged turn finished in time. */
export interface CloseResult {
  drained: boolean;
  /** Turns still running or queued when the time was up (they are not cancelled). */
  unfinishedTurns: number;
}

/** Runs one turn for an activity; the adapter wraps it in its framework's context and middleware. Must not reject. */
export type RunTurn = (activity: InboundActivity) => Promise<void>;

/** Items scheduled between two yields to the event loop: a batch of 1 000 stays one short task. */
const ITEMS_PER_SLICE = 500;
/** The longest `delay` activity honoured: setTimeout's limit (a longer one would fire at once). */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The framework-neutral Instagram webhook: handshake, signature over the raw bytes, answer
 * before any turn, admission with backpressure, de-duplication, per-customer order, the turn
 * time limit; and the Send API on the way out. `InstagramAdapter` (botbuilder) and
 * `InstagramAgentsAdapter` (Agents SDK) only wrap it in their framework's context.
 */
export class WebhookCore {
  readonly options: ResolvedWebhookOptions;
  readonly #scheduler: TurnScheduler;
  readonly #ledger: LocalDeliveryLedger | undefined;
  readonly #sharedLedger: DeliveryLedger | undefined;
  readonly #sendApi: SendApiClient;
  /** Deliveries are scheduled one after another, so a large one sliced over several ticks keeps its place. */
  #scheduling: Promise<void> = Promise.resolve();
  /** Set by `close()`: new deliveries are refused with 503 (Meta delivers them again later). */
  #closing: Promise<CloseResult> | undefined;

  constructor(options: InstagramWebhookOptions, owner?: string) {
    this.options = resolveWebhookOptions(options, owner);
    const { dedupe, maxConcurrentTurns, maxQueuedTurns, turnTimeoutMs, now } = this.options;
    this.#scheduler = new TurnScheduler({
      maxConcurrent: maxConcurrentTurns,
      maxQueued: maxQueuedTurns,
      turnTimeoutMs,
      onTurnTimeout: (key) => {
        log('a turn of %s is still running after %d ms: letting the next turns of this customer go ahead', key, turnTimeoutMs);
        countTurnTimeout();
      },
    });
    this.#ledger = dedupe ? new LocalDeliveryLedger(dedupe.maxBytes, now) : undefined;
    this.#sharedLedger = dedupe ? dedupe.store : undefined;
    const { accessToken, appSecret, apiVersion, graphUrl, dispatcher, sendTimeoutMs, sendRetries } = this.options;
    this.#sendApi = new SendApiClient({ accessToken, appSecret, apiVersion, graphUrl, dispatcher, sendTimeoutMs, sendRetries, now });
    observeWebhook(this);
  }

  /** Turns running and waiting now (for metrics and tests). */
  get load(): { running: number; queued: number } {
    return { running: this.#scheduler.running, queued: this.#scheduler.queued };
  }

  /**
   * Handles one webhook request: GET handshake, or a signed POST whose events become turns.
   * Resolves once the request is answered; turns go on afterwards (see `drain()`).
   */
  async handle(req: WebhookRequest, res: WebhookResponse, runTurn: RunTurn): Promise<void> {
    try {
      const method = (req.method ?? 'POST').toUpperCase();
      if (method === 'GET') {
        const ok = answerHandshake(req, res, this.options.verifyToken);
        log('webhook handshake %s', ok ? 'accepted' : 'refused');
        return;
      }
      if (method !== 'POST') return refuse(res, 405, 'method not allowed', { allow: 'GET, POST' });
      if (this.#closing) return refuse(res, 503, 'shutting down: deliver again later', { 'retry-after': '5', connection: 'close' });
      const entries = await this.#accept(req, res);
      if (!entries) return;
      const scheduled = this.#scheduling.then(() => this.#schedule(entries, runTurn));
      this.#scheduling = scheduled.catch((error: unknown) => log('scheduling a delivery failed: %O', error));
      await this.#scheduling;
    } catch (error) {
      log('webhook request failed: %O', error);
      if (!res.headersSent && !res.writableEnded) countDelivery(500, 'failed');
      respond(res, 500);
    }
  }

  /** Resolves when every turn scheduled so far has finished (or outlived `turnTimeoutMs`). */
  drain(): Promise<void> {
    return this.#scheduler.drain();
  }

  /**
   * Graceful shutdown: from now on deliveries are answered `503` (Meta retries them, so
   * another instance, or this one after a restart, gets them), and the turns already
   * acknowledged run to their end within `timeoutMs`. Resolves with whether they all
   * finished; calling it again returns the same result.
   */
  close({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<CloseResult> {
    this.#closing ??= this.#drainWithin(timeoutMs);
    return this.#closing;
  }

  async #drainWithin(timeoutMs: number): Promise<CloseResult> {
    log('closing: refusing new deliveries, waiting up to %d ms for %d running and %d queued turns', timeoutMs, this.#scheduler.running, this.#scheduler.queued);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = this.#scheduling.then(() => this.#scheduler.drain()).then(() => true as const);
    const finished = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    const left = this.#scheduler.running + this.#scheduler.queued;
    log(finished ? 'closed: every turn finished' : 'closed with %d turns unfinished after %d ms', left, timeoutMs);
    return { drained: finished, unfinishedTurns: finished ? 0 : left };
  }

  /**
   * Sends outgoing activities through the Send API as the business the conversation belongs
   * to. `delay` waits (capped at `MAX_DELAY_MS`), `typing` is a sender action, messages map to
   * text, quick replies and attachments; other types send nothing. Resolves with the message ids.
   */
  async send(activities: readonly OutgoingActivity[], incoming: InboundActivity | OutgoingActivity | undefined): Promise<{ id: string }[]> {
    const responses: { id: string }[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await sleep(delayOf(activity.value));
        responses.push({ id: '' });
        continue;
      }
      const businessId = businessOf(activity, incoming);
      let id = '';
      for (const body of sendApiBodiesFor(activity)) id = (await this.#sendApi.send(businessId, body)).messageId ?? id;
      responses.push({ id });
    }
    return responses;
  }

  /** Reads, verifies and parses a POST, admits it, and answers it; returns its entries (none when refused). */
  async #accept(req: WebhookRequest, res: WebhookResponse): Promise<readonly unknown[] | undefined> {
    const { maxBodyBytes, bodyTimeoutMs, appSecret } = this.options;
    const body = await readRawBody(req, maxBodyBytes, bodyTimeoutMs);
    if (!body.ok) {
      log('refused a webhook (%d): %s', body.status, body.reason);
      refuse(res, body.status, body.status === 401 ? 'signature cannot be verified' : body.reason, body.status === 401 ? {} : { connection: 'close' });
      return undefined;
    }
    if (!verifyWebhookSignature(body.bytes, headerOf(req, 'x-hub-signature-256'), appSecret)) {
      log('refused a webhook: missing or wrong X-Hub-Signature-256');
      refuse(res, 401, 'invalid signature');
      return undefined;
    }
    const delivery = parseJson(body.bytes);
    if (!isRecord(delivery) || !Array.isArray(delivery.entry)) {
      log('refused a webhook (400): not a JSON object with an "entry" array');
      refuse(res, 400, 'the body is not a JSON object with an "entry" array');
      return undefined;
    }
    if (delivery.object !== CHANNEL_ID) {
      log('ignored a webhook for object %s: this adapter handles "instagram" only', String(delivery.object).slice(0, 40));
      answer(res, 200, 'ignored', 'ignored');
      return undefined;
    }
    const entries = delivery.entry;
    // Admission before acknowledging: a 503 makes Meta deliver again later; a 200 is a promise to run.
    const count = countWebhookItems(entries);
    if (!this.#scheduler.tryReserve(count)) {
      log('refused a webhook (503): %d events would not fit (%d running, %d queued)', count, this.#scheduler.running, this.#scheduler.queued);
      refuse(res, 503, 'busy: deliver again later', { 'retry-after': '1' });
      countEvents('refused', count, 503);
      return undefined;
    }
    answer(res, 200, 'EVENT_RECEIVED', 'accepted');
    return entries;
  }

  /** Schedules the delivery's turns, yielding to the event loop between slices of a large batch. */
  async #schedule(entries: readonly unknown[], runTurn: RunTurn): Promise<void> {
    const turns: InboundTurn[] = [];
    readWebhookItems(entries, (item) => turns.push(turnOf(item, this.options.graphUrl, this.options.now)));
    // Reserved for every item; those that are unreadable or dropped give their place back.
    const unreadable = countWebhookItems(entries) - turns.length;
    this.#scheduler.release(unreadable);
    // Tallied here and counted once per outcome and delivery, not once per event.
    const tally: Record<(typeof TALLIED)[number], number> = { accepted: 0, duplicate: 0, expired: 0, ignored: unreadable };
    try {
      for (let i = 0; i < turns.length; i++) {
        if (i > 0 && i % ITEMS_PER_SLICE === 0) await yieldToEventLoop();
        const admitted = this.#admit(turns[i]!, runTurn);
        if (admitted !== 'accepted' && admitted !== 'shared') this.#scheduler.release(1);
        if (admitted !== 'shared') tally[admitted]++;
      }
    } finally {
      for (const outcome of TALLIED) countEvents(outcome, tally[outcome]);
    }
  }

  /**
   * Schedules one turn unless it is a repeat or too old. Answers what became of it;
   * `shared` is scheduled too, but only the shared ledger will tell (and count) whether it runs.
   */
  #admit({ activity, dedupeKey, queueKey, timeMs }: InboundTurn, runTurn: RunTurn): 'accepted' | 'shared' | 'duplicate' | 'expired' {
    const { dedupe, now } = this.options;
    if (!dedupe || !this.#ledger) {
      this.#scheduler.enqueue(queueKey, () => runTurn(activity));
      return 'accepted';
    }
    // Older than the window: it may have run and been forgotten since, so it must not run.
    if (timeMs !== undefined && now() - timeMs > dedupe.ttlMs) {
      log('dropped a delivery older than the de-duplication window: %s', activity.id ?? '-');
      return 'expired';
    }
    if (dedupeKey === undefined) {
      this.#scheduler.enqueue(queueKey, () => runTurn(activity));
      return 'accepted';
    }
    const digest = deliveryDigest(dedupeKey);
    if (!this.#ledger.firstTime(digest, dedupe.ttlMs)) {
      log('dropped a repeated delivery: %s', activity.id ?? digest);
      return 'duplicate';
    }
    const shared = this.#sharedLedger;
    if (!shared) {
      this.#scheduler.enqueue(queueKey, () => runTurn(activity));
      return 'accepted';
    }
    // Asked now, awaited in the customer's queue: order holds and scheduling never waits on Redis.
    const verdict = askLedger(() => shared.received(digest, dedupe.ttlMs));
    this.#scheduler.enqueue(queueKey, async () => {
      const duplicate = (await verdict) === 'duplicate';
      countEvents(duplicate ? 'duplicate' : 'accepted', 1);
      if (duplicate) {
        log('dropped a delivery another instance received: %s', activity.id ?? digest);
        return;
      }
      try {
        await runTurn(activity);
      } finally {
        await askLedger(() => shared.completed(digest, dedupe.ttlMs));
      }
    });
    return 'shared';
  }
}

/** What becomes of the events of an accepted delivery, counted once per delivery. */
const TALLIED = ['accepted', 'duplicate', 'expired', 'ignored'] as const satisfies readonly EventOutcome[];

/** Answers a delivery and counts it. */
function answer(res: WebhookResponse, status: number, body: string, outcome: DeliveryOutcome, headers?: Record<string, string>): void {
  respond(res, status, body, headers);
  countDelivery(status, outcome);
}

function refuse(res: WebhookResponse, status: number, body: string, headers?: Record<string, string>): void {
  answer(res, status, body, 'refused', headers);
}

/** A ledger call that can never fail the turn: an error means "cannot tell". */
async function askLedger<T>(call: () => T | Promise<T>): Promise<T | DeliveryVerdict> {
  try {
    return await call();
  } catch (error) {
    log('the shared delivery ledger failed: %O', error);
    return 'unknown';
  }
}

function delayOf(value: unknown): number {
  // botbuilder's default delay is 1 s; NaN, negative and past-the-timer values are clamped.
  if (typeof value !== 'number' || Number.isNaN(value)) return 1_000;
  return Math.min(MAX_DELAY_MS, Math.max(0, value));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The business account a reply is sent as: the reply's `from`, else the incoming activity's recipient. */
function businessOf(outgoing: OutgoingActivity, incoming: InboundActivity | OutgoingActivity | undefined): string | undefined {
  const candidates = [outgoing.from?.id, incoming?.recipient?.id];
  return candidates.find((id) => isIgsid(id));
}
