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
import { type InboxRecord, recordPayloadOf } from './inbox.js';
import { InboxRunner } from './inboxRunner.js';
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
  /** The durable inbox, when `inbox` is set. */
  readonly #inbox: InboxRunner | undefined;
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
    this.#inbox = this.#openInbox();
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
      this.#inbox?.start(runTurn);
      const admitted = await this.#accept(req, res);
      if (!admitted) return;
      if (this.#inbox) return await this.#keepInInbox(this.#inbox, admitted, res, runTurn);
      answer(res, 200, 'EVENT_RECEIVED', 'accepted');
      const scheduled = this.#scheduling.then(() => this.#schedule(this.#readTurns(admitted), runTurn));
      this.#scheduling = scheduled.catch((error: unknown) => log('scheduling a delivery failed: %O', error));
      await this.#scheduling;
    } catch (error) {
      log('webhook request failed: %O', error);
      if (!res.headersSent && !res.writableEnded) countDelivery(500, 'failed');
      respond(res, 500);
    }
  }

  /** Resolves when every turn scheduled (or taken from the inbox) so far has finished (or outlived `turnTimeoutMs`). */
  async drain(): Promise<void> {
    await this.#scheduler.drain();
    while (this.#inbox && this.#inbox.held > 0) {
      await this.#inbox.idle();
      await this.#scheduler.drain();
    }
  }

  /**
   * Starts taking events from the durable inbox with this turn logic, before any delivery
   * comes (one does it too): an instance that starts after a crash runs what was left.
   */
  consume(runTurn: RunTurn): void {
    if (!this.#closing) this.#inbox?.start(runTurn);
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
    // The inbox takes no more events; those it holds run, as acknowledged turns do.
    const drained = Promise.all([this.#scheduling, this.#inbox?.stopTaking()])
      .then(() => this.drain())
      .then(() => true as const);
    const finished = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    const left = this.#scheduler.running + this.#scheduler.queued + (this.#inbox?.waiting ?? 0);
    // Events still held stay in the inbox: another instance takes them over.
    await this.#inbox?.abandon();
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

  /** Reads, verifies, parses and admits a POST; returns its entries and the places reserved for them, not yet answered (none when refused, and then answered). */
  async #accept(req: WebhookRequest, res: WebhookResponse): Promise<Admitted | undefined> {
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
    return { entries, reserved: count };
  }

  #openInbox(): InboxRunner | undefined {
    const { inbox, dedupe, maxConcurrentTurns, turnTimeoutMs, graphUrl, now } = this.options;
    if (!inbox) return undefined;
    const { store, client, claimAfterMs, maxLength } = inbox;
    const durable = store.openInbox({ client, claimAfterMs, maxLength, completedTtlMs: dedupe ? dedupe.ttlMs : DAY_MS });
    return new InboxRunner(durable, this.#scheduler, {
      window: 2 * maxConcurrentTurns,
      turnTimeoutMs,
      patienceMs: Math.min(claimAfterMs, INBOX_PATIENCE_MS),
      serviceUrl: graphUrl,
      now,
    });
  }

  /**
   * Keeps a delivery's new events in the inbox, then answers 200. When the inbox cannot keep
   * them (Redis down or slow), they run in this process as without an inbox: still 200.
   */
  async #keepInInbox(inbox: InboxRunner, admitted: Admitted, res: WebhookResponse, runTurn: RunTurn): Promise<void> {
    const read = this.#readTurns(admitted, true);
    const tally = read.tally;
    const fresh: InboundTurn[] = [];
    const records: InboxRecord[] = [];
    read.turns.forEach((turn, i) => {
      const outcome = this.#screen(turn);
      if (outcome !== 'fresh') {
        this.#scheduler.release(1);
        tally[outcome]++;
        return;
      }
      fresh.push(turn);
      records.push({ customer: turn.queueKey, payload: read.payloads[i]!, digest: this.options.dedupe ? digestOf(turn) : undefined });
    });
    const kept = await inbox.write(records);
    answer(res, 200, 'EVENT_RECEIVED', 'accepted');
    if (kept) {
      this.#scheduler.release(fresh.length);
      tally.accepted += fresh.length;
      for (const outcome of TALLIED) countEvents(outcome, tally[outcome]);
      return;
    }
    // Not durable, not lost: run here, and mark each completed so that a late copy in the inbox does not run again.
    const digests = new Map(records.flatMap((record, i) => (record.digest ? [[fresh[i]!.activity, record.digest] as const] : [])));
    const marked: RunTurn = async (activity) => {
      await runTurn(activity);
      const digest = digests.get(activity);
      if (digest !== undefined) await inbox.completed(digest);
    };
    const scheduled = this.#scheduling.then(() => this.#schedule({ turns: fresh, payloads: [], tally }, marked, true));
    this.#scheduling = scheduled.catch((error: unknown) => log('scheduling a delivery failed: %O', error));
    await this.#scheduling;
  }

  /** The delivery's turns (with each item's inbox payload when asked); unreadable items give their reserved place back. */
  #readTurns({ entries, reserved }: Admitted, withPayloads = false): ReadTurns {
    const turns: InboundTurn[] = [];
    const payloads: string[] = [];
    readWebhookItems(entries, (item) => {
      // Before turnOf, which annotates the item in place.
      if (withPayloads) payloads.push(recordPayloadOf(item));
      turns.push(turnOf(item, this.options.graphUrl, this.options.now));
    });
    const unreadable = reserved - turns.length;
    this.#scheduler.release(unreadable);
    return { turns, payloads, tally: { accepted: 0, duplicate: 0, expired: 0, ignored: unreadable } };
  }

  /** Schedules the delivery's turns, yielding to the event loop between slices of a large batch. */
  async #schedule({ turns, tally }: ReadTurns, runTurn: RunTurn, screened = false): Promise<void> {
    // Tallied here and counted once per outcome and delivery, not once per event.
    try {
      for (let i = 0; i < turns.length; i++) {
        if (i > 0 && i % ITEMS_PER_SLICE === 0) await yieldToEventLoop();
        const turn = turns[i]!;
        const screen = screened ? 'fresh' : this.#screen(turn);
        const admitted = screen === 'fresh' ? this.#enqueue(turn, runTurn) : screen;
        if (admitted !== 'accepted' && admitted !== 'shared') this.#scheduler.release(1);
        if (admitted !== 'shared') tally[admitted]++;
      }
    } finally {
      for (const outcome of TALLIED) countEvents(outcome, tally[outcome]);
    }
  }

  /** Whether a turn may run: not a repeat seen by this process, not older than the de-duplication window. */
  #screen(turn: InboundTurn): 'fresh' | 'duplicate' | 'expired' {
    const { activity, timeMs } = turn;
    const { dedupe, now } = this.options;
    if (!dedupe || !this.#ledger) return 'fresh';
    // Older than the window: it may have run and been forgotten since, so it must not run.
    if (timeMs !== undefined && now() - timeMs > dedupe.ttlMs) {
      log('dropped a delivery older than the de-duplication window: %s', activity.id ?? '-');
      return 'expired';
    }
    const digest = digestOf(turn);
    if (digest === undefined) return 'fresh';
    if (!this.#ledger.firstTime(digest, dedupe.ttlMs)) {
      log('dropped a repeated delivery: %s', activity.id ?? digest);
      return 'duplicate';
    }
    return 'fresh';
  }

  /**
   * Schedules one screened turn. Answers `shared` when the shared ledger will tell (and
   * count) whether it runs.
   */
  #enqueue(turn: InboundTurn, runTurn: RunTurn): 'accepted' | 'shared' {
    const { activity, queueKey } = turn;
    const { dedupe } = this.options;
    const shared = this.#sharedLedger;
    const digest = dedupe && shared ? digestOf(turn) : undefined;
    if (!dedupe || !shared || digest === undefined) {
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

/** A delivery let in: its entries, and the places reserved for them (one per item, counted once). */
interface Admitted {
  entries: readonly unknown[];
  reserved: number;
}

interface ReadTurns {
  turns: InboundTurn[];
  /** Each turn's item as an inbox payload (inbox only). */
  payloads: string[];
  tally: Record<(typeof TALLIED)[number], number>;
}

/** How long a held inbox event waits for Redis to say whose turn it is before running anyway. */
const INBOX_PATIENCE_MS = 5_000;
const DAY_MS = 86_400_000;

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

/** A turn's delivery digest, worked out once (screening and the shared ledger both need it); undefined when nothing identifies the event. */
function digestOf(turn: InboundTurn): string | undefined {
  if (turn.dedupeKey === undefined) return undefined;
  return (turn.digest ??= deliveryDigest(turn.dedupeKey));
}
