import type { Dispatcher } from 'undici';
import { graphUrlOption } from '../graph/options.js';
import {
  apiVersionOption,
  describe,
  dispatcherOption,
  functionOption,
  objectOrFalse,
  optionalInteger,
  requiredAccessToken,
  requiredString,
} from '../internal/validate.js';
import { LATEST_API_VERSION } from '../platform/versions.js';
import type { AccessTokenProvider } from '../types.js';
import type { DeliveryLedger } from './dedupe.js';
import type { InboxStore } from './inbox.js';

export interface DedupeOptions {
  /**
   * How long a delivery is remembered, in ms. Default 36 h: Meta retries a failed delivery
   * for up to 36 h. Events older than this run no turn (they may have run and been forgotten).
   */
  ttlMs?: number | undefined;
  /**
   * Memory for remembered deliveries, in bytes (each takes 80 B: a fixed-size digest,
   * whatever the event's id). Default 16 MiB ≈ 210 000 deliveries. When it fills before
   * `ttlMs` passes, the oldest go first: the default holds the whole 36 h window up to
   * 1.6 events/s, about 5.8 h at 10 events/s. Use the shared store (`/redis`) past that.
   */
  maxBytes?: number | undefined;
  /** A shared ledger (a `RedisProfileStore`, or your own) consulted after the local check. */
  store?: DeliveryLedger | undefined;
}

/** The durable inbox (see docs/inbox.md): events kept in Redis before the 200, run by whichever instance is alive. */
export interface InboxOptions {
  /** Where events are kept: a `RedisProfileStore` (`/redis`), or your own `InboxStore`. Required. */
  store: InboxStore;
  /** A connection of its own for the blocking reads (ioredis, iovalkey or node-redis). Default: a duplicate of the store's client, closed on `close()`. */
  client?: unknown;
  /** An event held by an instance that stopped answering (a crash, SIGKILL) is taken over after this long, in ms. Default 30 000. */
  claimAfterMs?: number | undefined;
  /**
   * A fuse on the stream's length (XADD MAXLEN ~): finished events are deleted at once, so the
   * stream only holds events not run yet; past this the oldest go, run or not. Default 100 000.
   */
  maxLength?: number | undefined;
}

/** Options shared by `InstagramAdapter` (botbuilder) and `InstagramAgentsAdapter` (Agents SDK). */
export interface InstagramWebhookOptions {
  /** The Meta app secret: webhook bodies are signed with it (`X-Hub-Signature-256`); Send API calls carry `appsecret_proof`. Required. */
  appSecret: string | undefined;
  /** The verify token you typed in the app's webhook settings; answers the GET handshake. Required. */
  verifyToken: string | undefined;
  /** Page (or Instagram user) access token for the Send API, or a function of the business account id returning one. Required. */
  accessToken: AccessTokenProvider | undefined;
  /** Graph API version of Send API calls. Default `LATEST_API_VERSION` (v26.0). */
  apiVersion?: string | undefined;
  /** `https://graph.facebook.com` (Facebook Login), `https://graph.instagram.com` (Instagram Login) or the emulator's URL; also the activities' `serviceUrl`. Default: the host of a string token (graph.instagram.com for `IG…` tokens), else graph.facebook.com. */
  graphUrl?: string | undefined;
  /** The undici Dispatcher for Send API calls (a MockAgent in tests). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher | undefined;
  /** Largest webhook body accepted, in bytes; larger → 413. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Time allowed to receive a webhook body, in ms; slower → 408. Default 10 000. */
  bodyTimeoutMs?: number | undefined;
  /** Deadline of one Send API call, retries of transient failures included, in ms. Default 10 000. */
  sendTimeoutMs?: number | undefined;
  /** Retries of a transient Send API failure within `sendTimeoutMs` (see `SendApiClient`). Default 3. */
  sendRetries?: number | undefined;
  /**
   * How long one turn may hold back the next turns of the same customer, in ms. A turn that
   * never settles (e.g. Botkit's `bot.reply` after a failed send) then stops blocking the
   * queue; it is not cancelled. Default 120 000.
   */
  turnTimeoutMs?: number | undefined;
  /**
   * Turns running at once, across customers. Default 512: turns mostly wait on I/O (a profile
   * read, the Send API), and at 300 ms a turn 64 slots carried only 213 events/s, so first
   * replies queued (bench `first-reply`: p50 +388 ms over the floor at 64, +5 ms at 512).
   */
  maxConcurrentTurns?: number | undefined;
  /**
   * Turns waiting for a free slot. A delivery that would pass this bound is answered `503`
   * before anything is acknowledged, so Meta delivers it again later; an acknowledged event
   * is never dropped. Default 10 000.
   */
  maxQueuedTurns?: number | undefined;
  /** Drop repeated deliveries within a bounded window, or `false` to run every delivery. Defaults: see `DedupeOptions`. */
  dedupe?: DedupeOptions | false | undefined;
  /**
   * Keep each delivery's events in Redis before answering 200, so that a crash or a deploy
   * loses none: `{ store }` with a `RedisProfileStore`. Off by default. Redis down: events run
   * in this process, as without an inbox.
   */
  inbox?: InboxOptions | false | undefined;
  /** Clock in ms since the epoch (for `appsecret_time` and event ages). Default `Date.now`. */
  now?: () => number | undefined;
}

export interface ResolvedWebhookOptions {
  appSecret: string;
  verifyToken: string;
  accessToken: AccessTokenProvider;
  apiVersion: string;
  graphUrl: string;
  dispatcher: Dispatcher | undefined;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  sendTimeoutMs: number;
  /** Passed to `SendApiClient`, which checks it and holds its default. */
  sendRetries: number | undefined;
  turnTimeoutMs: number;
  maxConcurrentTurns: number;
  maxQueuedTurns: number;
  dedupe: ResolvedDedupeOptions | false;
  inbox: ResolvedInboxOptions | false;
  now: () => number;
}

export interface ResolvedInboxOptions {
  store: InboxStore;
  client: unknown;
  claimAfterMs: number;
  maxLength: number;
}

export interface ResolvedDedupeOptions {
  ttlMs: number;
  maxBytes: number;
  store: DeliveryLedger | undefined;
}

const MIB = 1024 * 1024;
const HOURS_36 = 36 * 3_600_000;

/** Every default of the webhook adapters, resolved and checked in one place. */
export function resolveWebhookOptions(options: InstagramWebhookOptions, owner = 'InstagramAdapter'): ResolvedWebhookOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${owner} needs an options object`);
  return {
    appSecret: requiredString('appSecret', options.appSecret),
    verifyToken: requiredString('verifyToken', options.verifyToken),
    accessToken: requiredAccessToken<AccessTokenProvider>(options.accessToken),
    apiVersion: apiVersionOption(options.apiVersion, LATEST_API_VERSION),
    graphUrl: graphUrlOption(options.graphUrl, options.accessToken),
    dispatcher: dispatcherOption<Dispatcher>(options.dispatcher),
    maxBodyBytes: optionalInteger('maxBodyBytes', options.maxBodyBytes, MIB, 1_024, 64 * MIB),
    bodyTimeoutMs: optionalInteger('bodyTimeoutMs', options.bodyTimeoutMs, 10_000, 1, 600_000),
    sendTimeoutMs: optionalInteger('sendTimeoutMs', options.sendTimeoutMs, 10_000, 1, 600_000),
    sendRetries: options.sendRetries,
    turnTimeoutMs: optionalInteger('turnTimeoutMs', options.turnTimeoutMs, 120_000, 1, 3_600_000),
    maxConcurrentTurns: optionalInteger('maxConcurrentTurns', options.maxConcurrentTurns, 512, 1, 100_000),
    maxQueuedTurns: optionalInteger('maxQueuedTurns', options.maxQueuedTurns, 10_000, 0, 10_000_000),
    dedupe: resolveDedupe(options.dedupe),
    inbox: resolveInbox(options.inbox),
    now: functionOption('now', options.now, Date.now),
  };
}

function resolveDedupe(value: unknown): ResolvedDedupeOptions | false {
  const dedupe = objectOrFalse<DedupeOptions & { max?: unknown }>('dedupe', value);
  if (!dedupe) return false;
  if (dedupe.max !== undefined) throw new TypeError('Option "dedupe.max" is gone: the window is bounded in bytes (dedupe.maxBytes) and time (dedupe.ttlMs)');
  const store = dedupe.store;
  if (store !== undefined && (store === null || typeof store.received !== 'function' || typeof store.completed !== 'function')) {
    throw new TypeError('Option "dedupe.store" must have received() and completed() (e.g. a RedisProfileStore)');
  }
  return {
    ttlMs: optionalInteger('dedupe.ttlMs', dedupe.ttlMs, HOURS_36, 1, 30 * 24 * 3_600_000),
    maxBytes: optionalInteger('dedupe.maxBytes', dedupe.maxBytes, 16 * MIB, 1_024, 1_024 * MIB),
    store,
  };
}

function resolveInbox(value: unknown): ResolvedInboxOptions | false {
  if (value === undefined) return false;
  const inbox = objectOrFalse<InboxOptions>('inbox', value);
  if (!inbox) return false;
  const store = inbox.store as Partial<InboxStore> | null | undefined;
  if (store === null || typeof store !== 'object' || typeof store.openInbox !== 'function') {
    throw new TypeError(`Option "inbox.store" must have openInbox() (a RedisProfileStore), got ${describe(store)}`);
  }
  return {
    store: store as InboxStore,
    client: inbox.client,
    claimAfterMs: optionalInteger('inbox.claimAfterMs', inbox.claimAfterMs, 30_000, 100, 3_600_000),
    maxLength: optionalInteger('inbox.maxLength', inbox.maxLength, 100_000, 1_000, 100_000_000),
  };
}
