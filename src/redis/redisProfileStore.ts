import { randomBytes } from 'node:crypto';
import { commandSender, type RedisSubscriberLike } from './clients.js';
import { RedisConnection, log } from './connection.js';
import { customerKey, run, type StoreContext } from './context.js';
import { completed, received } from './deliveries.js';
import { RedisDeletionStatusStore } from './deletionStatuses.js';
import { clearNoConsent, forgetBusiness, forgetPerson } from './forget.js';
import { RedisKeys } from './keys.js';
import { type BusMessage, decodeMessage, encodeMessage } from './messages.js';
import { type RedisProfileStoreOptions, type ResolvedStoreOptions, resolveStoreOptions } from './options.js';
import { publishResult, readEntry, tryLease, waitForResult, writeEntry } from './profiles.js';
import { BusSubscription } from './subscription.js';
import { publishThrottle, readThrottles } from './throttles.js';
import { RedisInbox } from './inbox.js';
import type { InboxSettings, InboxStore } from '../webhook/inbox.js';
import type {
  DeliveryVerdict,
  ForgetResult,
  Invalidation,
  InvalidationBus,
  LeaseOutcome,
  ProfileLease,
  RedisStoreStatus,
  SharedDeliveryLedger,
  SharedProfileEntry,
  SharedProfileTier,
  SharedProfileWrite,
  SharedThrottles,
  ThrottleNotice,
  ThrottleReason,
} from './types.js';

/** Deletions that could not reach Redis, replayed when it returns (bounded: a long outage keeps the newest). */
const MAX_PENDING_DELETIONS = 10_000;

/** How long a new store may stay `connecting` (and its first probe may take) before it counts as degraded. */
export const CONNECT_MS = 2_000;

type PendingDeletion = { igsid: string; businessId: string | undefined } | { business: string };

/**
 * The shared tier for several instances of a bot, on Redis or Valkey: a second-level
 * profile cache, one Graph load per customer across instances (a short lease), an
 * invalidation bus carrying keys only, shared throttles and open circuits, and shared
 * webhook de-duplication. Redis is an optimisation, never a new way to fail: every command
 * runs under `operationTimeoutMs`, and when Redis is unreachable, slow or answering
 * garbage the store reports `degraded`, answers "unknown"/misses at once so that callers
 * act local-only, and recovers by itself.
 */
export class RedisProfileStore implements SharedProfileTier, InvalidationBus, SharedThrottles, SharedDeliveryLedger, InboxStore {
  readonly #options: ResolvedStoreOptions;
  readonly #context: StoreContext;
  readonly #connection: RedisConnection;
  readonly #bus: BusSubscription;
  /** This instance on the bus: its own messages come back and are skipped. */
  readonly #origin = randomBytes(9).toString('base64url');
  readonly #invalidationListeners = new Set<(invalidation: Invalidation) => void>();
  readonly #throttleListeners = new Set<(notice: ThrottleNotice) => void>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #pending: PendingDeletion[] = [];
  readonly #inboxes = new Set<RedisInbox>();
  /** The last inbox write failed: deliveries run in-process only, which `status()` shows as degraded. */
  #inboxFailing = false;
  #status: RedisStoreStatus = 'connecting';
  #settled = false;
  #closed = false;
  readonly #settledWaiters: (() => void)[] = [];
  readonly #settleTimer: ReturnType<typeof setTimeout>;
  /**
   * Confirmation codes of data-deletion requests, in Redis so that every instance answers
   * the status page. `createDeletionHandler` uses it by default when its `profiles` is
   * backed by this store, and takes the store itself as `store` (see docs/deletion.md).
   */
  readonly deletionStatuses: RedisDeletionStatusStore;

  constructor(options: RedisProfileStoreOptions) {
    this.#options = resolveStoreOptions(options);
    const { client, operationTimeoutMs, retryIntervalMs, now, channel } = this.#options;
    const { subscriber, owned } = this.#subscriber();
    this.#connection = new RedisConnection(commandSender(client), { timeoutMs: operationTimeoutMs, firstProbeMs: CONNECT_MS, retryIntervalMs, now }, {
      onUp: () => void this.#afterReconnect(),
      onChange: (why) => this.#changed(why),
    });
    this.#bus = new BusSubscription(subscriber, owned, channel, {
      onText: (text) => this.#received(text),
      onGap: () => this.#afterGap(),
      onChange: (why) => this.#changed(why),
    });
    this.#context = this.#makeContext();
    this.deletionStatuses = new RedisDeletionStatusStore(this.#context);
    // A store still waiting for Redis or the bus after this is degraded, not connecting.
    this.#settleTimer = setTimeout(() => {
      this.#settled = true;
      this.#changed('Redis or the bus did not answer in time');
    }, CONNECT_MS);
    this.#settleTimer.unref?.();
  }

  /** `ready`: Redis answers and the bus is subscribed. `degraded`: one of them is not, and the store acts local-only where needed. */
  status(): RedisStoreStatus {
    return this.#status;
  }

  /** Resolves with the status once the store has connected, or has given up connecting for now (then `degraded`). */
  ready(): Promise<RedisStoreStatus> {
    if (this.#settled) return Promise.resolve(this.#status);
    return new Promise((resolve) => this.#settledWaiters.push(() => resolve(this.#status)));
  }

  // Second-level cache and lease (SharedProfileTier).

  get(businessId: string | undefined, igsid: string): Promise<SharedProfileEntry | undefined> {
    return readEntry(this.#context, businessId, igsid);
  }

  set(businessId: string | undefined, igsid: string, entry: SharedProfileWrite, ttlMs: number): Promise<boolean> {
    return writeEntry(this.#context, businessId, igsid, entry, ttlMs);
  }

  /** Asks for the lease of a customer's load, for `ms` (default `leaseMs`). */
  tryLease(businessId: string | undefined, igsid: string, ms = this.#options.leaseMs): Promise<LeaseOutcome> {
    return tryLease(this.#context, businessId, igsid, ms);
  }

  publishResult(lease: ProfileLease, entry: SharedProfileWrite | undefined, ttlMs: number): Promise<void> {
    return publishResult(this.#context, lease, entry, ttlMs);
  }

  waitForResult(businessId: string | undefined, igsid: string, timeoutMs: number, signal?: AbortSignal): Promise<SharedProfileEntry | undefined> {
    return waitForResult(this.#context, businessId, igsid, timeoutMs, signal);
  }

  // Invalidation bus and deletion (InvalidationBus).

  onInvalidate(listener: (invalidation: Invalidation) => void): () => void {
    this.#invalidationListeners.add(listener);
    return () => this.#invalidationListeners.delete(listener);
  }

  async invalidate(businessId: string | undefined, igsid: string): Promise<void> {
    await this.#context.publish({ type: 'invalidate', invalidation: { scope: 'profile', businessId, igsid } });
  }

  clearNoConsent(businessId: string | undefined, igsid: string): Promise<void> {
    return clearNoConsent(this.#context, businessId, igsid);
  }

  /** Deletes a person from Redis (of one business, or of every business) and drops them on every instance. Retried when Redis returns if it could not finish. */
  async forget(igsid: string, businessId?: string): Promise<ForgetResult> {
    const result = await forgetPerson(this.#context, igsid, businessId);
    if (!result.complete) this.#retryLater({ igsid, businessId });
    return result;
  }

  /** Deletes everything held for one business account. Retried when Redis returns if it could not finish. */
  async forgetBusiness(businessId: string): Promise<ForgetResult> {
    const result = await forgetBusiness(this.#context, businessId);
    if (!result.complete) this.#retryLater({ business: businessId });
    return result;
  }

  // Throttles and open circuits (SharedThrottles).

  publishThrottle(scope: string, untilMs: number, reason: ThrottleReason): Promise<void> {
    return publishThrottle(this.#context, scope, untilMs, reason);
  }

  onThrottle(listener: (notice: ThrottleNotice) => void): () => void {
    this.#throttleListeners.add(listener);
    return () => this.#throttleListeners.delete(listener);
  }

  readThrottles(): Promise<ThrottleNotice[]> {
    return readThrottles(this.#context);
  }

  // Webhook de-duplication (SharedDeliveryLedger).

  received(digest: string, ttlMs: number): Promise<DeliveryVerdict> {
    return received(this.#context, digest, ttlMs, this.#options.reclaimAfterMs);
  }

  completed(digest: string, ttlMs: number): Promise<void> {
    return completed(this.#context, digest, ttlMs);
  }

  // Durable webhook inbox (InboxStore).

  /**
   * The durable inbox of a webhook adapter (`inbox: { store }`): a Redis Stream read through a
   * consumer group on a connection of its own (`settings.client`, else `client.duplicate()`).
   * Called by the adapter; see docs/inbox.md.
   */
  openInbox(settings: InboxSettings): RedisInbox {
    const inbox = new RedisInbox(this.#context, settings, (failing) => {
      this.#inboxFailing = failing;
      this.#changed(failing ? 'an inbox write failed' : 'inbox writes work again');
    });
    this.#inboxes.add(inbox);
    return inbox;
  }

  /** Stops probing, leaves the bus (closing the subscriber if the store made it) and ends waits. Your client stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#settleTimer);
    this.#connection.close();
    await Promise.all([this.#bus.close(), ...[...this.#inboxes].map((inbox) => inbox.close())]);
    for (const waiters of this.#waiters.values()) for (const wake of waiters) wake();
    this.#waiters.clear();
    this.#changed('closed');
    this.#settle();
  }

  #subscriber(): { subscriber: RedisSubscriberLike; owned: boolean } {
    const { subscriber, client } = this.#options;
    if (subscriber) return { subscriber, owned: false };
    const duplicate = client.duplicate?.();
    if (duplicate === null || typeof (duplicate as { subscribe?: unknown })?.subscribe !== 'function') {
      throw new TypeError('Option "subscriber" is required: client.duplicate() did not return a client that can subscribe');
    }
    return { subscriber: duplicate as RedisSubscriberLike, owned: true };
  }

  #makeContext(): StoreContext {
    const { channel } = this.#options;
    const bus = this.#bus;
    return {
      connection: this.#connection,
      keys: new RedisKeys(this.#options.keyPrefix),
      options: this.#options,
      publish: async (message: BusMessage) => (await run(this.#context, ['PUBLISH', channel, encodeMessage(this.#origin, message)])) !== undefined,
      wake: (businessId, igsid) => this.#wake(customerKey(businessId, igsid)),
      sleepUntilResult: (businessId, igsid, ms, signal) => this.#sleep(customerKey(businessId, igsid), ms, signal),
      get busUp() {
        return bus.up;
      },
    };
  }

  #received(text: string): void {
    const decoded = decodeMessage(text);
    if (!decoded) {
      log('bus: dropped a message this version does not understand');
      return;
    }
    if (decoded.origin === this.#origin) return;
    const { message } = decoded;
    if (message.type === 'result') this.#wake(customerKey(message.businessId, message.igsid));
    else if (message.type === 'invalidate') this.#emit(this.#invalidationListeners, message.invalidation);
    else this.#emit(this.#throttleListeners, { scope: message.scope, until: message.until === 0 ? 0 : this.#connection.toLocal(message.until), reason: message.reason });
  }

  #wake(key: string): void {
    const waiters = this.#waiters.get(key);
    if (!waiters) return;
    this.#waiters.delete(key);
    for (const wake of waiters) wake();
  }

  /** Resolves true after `ms` or when a result for `key` arrives; false when `signal` aborts first. */
  #sleep(key: string, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, waiters);
      const finish = (woke: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        resolve(woke && !this.#closed);
      };
      const wake = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        log('a listener threw: %s', error instanceof Error ? error.message : 'unknown');
      }
    }
  }

  /** Missed messages cannot be replayed: every instance drops what it holds locally and re-reads the shared throttles. */
  #afterGap(): void {
    this.#emit(this.#invalidationListeners, { scope: 'everything' });
    void this.#replayThrottles();
  }

  async #afterReconnect(): Promise<void> {
    if (this.#inboxFailing) {
      // Redis answers again: the next inbox write says whether it takes deliveries again.
      this.#inboxFailing = false;
      this.#changed('Redis answers: inbox writes are tried again');
    }
    await this.#replayThrottles();
    const pending = this.#pending.splice(0);
    if (pending.length > 0) log('replaying %d deletion(s) that could not reach Redis', pending.length);
    for (const deletion of pending) {
      if ('business' in deletion) await this.forgetBusiness(deletion.business);
      else await this.forget(deletion.igsid, deletion.businessId);
    }
  }

  async #replayThrottles(): Promise<void> {
    for (const notice of await this.readThrottles()) this.#emit(this.#throttleListeners, notice);
  }

  #retryLater(deletion: PendingDeletion): void {
    if (this.#closed) return;
    this.#pending.push(deletion);
    if (this.#pending.length > MAX_PENDING_DELETIONS) this.#pending.shift();
    log('a deletion could not finish: retried when Redis answers again');
  }

  #changed(why: string): void {
    const next = this.#currentStatus();
    if (next !== this.#status) {
      log('%s → %s: %s', this.#status, next, why);
      this.#status = next;
    }
    if (next !== 'connecting') this.#settle();
  }

  #currentStatus(): RedisStoreStatus {
    const up = this.#connection.up;
    if (this.#closed) return 'closed';
    if (up === true && this.#bus.up && !this.#inboxFailing) return 'ready';
    return !this.#settled && up !== false ? 'connecting' : 'degraded';
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#settleTimer);
    for (const resolve of this.#settledWaiters.splice(0)) resolve();
  }

}
