import { isIgsid } from '../platform/igsid.js';
import type { RedisReply } from './clients.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { BusMessage } from './messages.js';
import type { ResolvedStoreOptions } from './options.js';

/**
 * A write refused by the server this long after its deadline and the clock estimate's known
 * error: a margin, so that a write sent in time is never refused.
 */
const LATE_GRACE_MS = 1_000;

/** What the store's parts share: the connection, key names, options, and the bus to publish on. */
export interface StoreContext {
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
  readonly options: ResolvedStoreOptions;
  /** Publishes on the bus; false when it could not. */
  publish(message: BusMessage): Promise<boolean>;
  /** Wakes this instance's waiters for a customer's result (the bus does not echo our own messages). */
  wake(businessId: string | undefined, igsid: string): void;
  /** Waits for a result of that customer, `ms` at most; false when `signal` aborted. */
  sleepUntilResult(businessId: string | undefined, igsid: string, ms: number, signal: AbortSignal | undefined): Promise<boolean>;
  readonly busUp: boolean;
}

/**
 * Deletions walk indexes with many commands in flight, and nobody's turn waits on them:
 * they get a longer deadline than the per-turn one, still short enough to notice a hang.
 */
export const BULK_DEADLINE_MS = 1_000;

export function run(context: StoreContext, args: (string | number)[], deadlineMs?: number): Promise<RedisReply | undefined> {
  return context.connection.run(args.map(String), deadlineMs);
}

/** A command of a deletion: under the longer of the two deadlines. */
export function runBulk(context: StoreContext, args: (string | number)[]): Promise<RedisReply | undefined> {
  return run(context, args, Math.max(context.connection.timeoutMs, BULK_DEADLINE_MS));
}

/**
 * Server time past which a write sent now is refused: never before our deadline, whatever the
 * error of the clock estimate. For writes built to be harmless when they land a little late
 * (a deletion's marker outlives this window, see forget.ts).
 */
export function giveUpAt(context: StoreContext): number {
  const { connection } = context;
  return Math.ceil(connection.serverNow() + connection.timeoutMs + connection.clockError() + LATE_GRACE_MS);
}

/**
 * Server time past which a write sent now is refused: never after our deadline, whatever the
 * error of the clock estimate. For writes that must change nothing once given up, because the
 * work then goes another way (an inbox write: the turn runs in-process). An imprecise
 * estimate refuses some writes that were in time; they take that other way too.
 */
export function strictGiveUpAt(context: StoreContext): number {
  const { connection } = context;
  // Minus 1: a timer may fire up to a millisecond early.
  return Math.floor(connection.serverNow() + connection.timeoutMs - connection.clockError()) - 1;
}

/** A digits-only IGSID and, when given, a digits-only business id: the only ids ever put in a key. */
export function validIds(businessId: string | undefined, igsid: string): boolean {
  return isIgsid(igsid) && (businessId === undefined || isIgsid(businessId));
}

/** `<business>:<igsid>`, the in-process key of a customer (as the local cache spells it). */
export function customerKey(businessId: string | undefined, igsid: string): string {
  return `${businessId ?? ''}:${igsid}`;
}
