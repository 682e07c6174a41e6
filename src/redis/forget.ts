import { isIgsid } from '../platform/igsid.js';
import type { RedisReply } from './clients.js';
import { giveUpAt, run, runBulk, type StoreContext } from './context.js';
import { CLEAR_NO_CONSENT, FORGET_ONE } from './scripts.js';
import { NO_CONSENT_MARK } from './codec.js';
import type { ForgetResult } from './types.js';

/**
 * How long a deletion refuses writes of the same customer: a load in flight on another
 * instance (at most a lease long before others take over) and writes already on their way
 * (refused by the server past their deadline anyway). The marker holds no profile data.
 */
function tombstoneMs(context: StoreContext): number {
  return context.options.leaseMs + giveUpAt(context) - context.connection.serverNow();
}
/** Customers deleted at once (single-key commands: Cluster-safe, no multi-slot script). */
const BATCH = 100;
const SCAN_COUNT = 1_000;

/** Deletes a person's entries: of one business, or of every business (through the person's index, or SCAN when it is gone). */
export async function forgetPerson(context: StoreContext, igsid: string, businessId: string | undefined): Promise<ForgetResult> {
  if (!isIgsid(igsid) || (businessId !== undefined && !isIgsid(businessId))) return { removed: 0, complete: true };
  const { keys } = context;
  const progress = { removed: 0, complete: true };
  let businesses: (string | undefined)[] | undefined = [businessId];
  if (businessId === undefined) {
    businesses = await indexedBusinesses(context, igsid);
    if (businesses === undefined) return { removed: 0, complete: false };
  }
  await inBatches(businesses, (business) => forgetOne(context, business, igsid, progress));
  // Also drops members whose entries lapsed: nothing of the person stays in the index.
  const last = businessId === undefined ? await runBulk(context, ['DEL', keys.personIndex(igsid)]) : 0;
  const published = await context.publish({
    type: 'invalidate',
    invalidation: businessId === undefined ? { scope: 'person', igsid } : { scope: 'profile', businessId, igsid },
  });
  return { removed: progress.removed, complete: progress.complete && last !== undefined && published };
}

/** Deletes everything held for one business: its index in batches (ZSCAN), or SCAN when the index is gone. */
export async function forgetBusiness(context: StoreContext, businessId: string): Promise<ForgetResult> {
  if (!isIgsid(businessId)) return { removed: 0, complete: true };
  const { keys } = context;
  const index = keys.businessIndex(businessId);
  const progress = { removed: 0, complete: true };
  const exists = await runBulk(context, ['EXISTS', index]);
  if (exists === undefined) return { removed: 0, complete: false };
  const forgetPage = (igsids: string[]) => inBatches(igsids, (igsid) => forgetOne(context, businessId, igsid, progress));
  const scanned =
    exists === 1
      ? await scan(context, (cursor) => ['ZSCAN', index, cursor, 'COUNT', SCAN_COUNT], (items) => forgetPage(items.filter((_, i) => i % 2 === 0).filter(isIgsid)))
      : await scan(context, (cursor) => ['SCAN', cursor, 'MATCH', keys.businessPattern(businessId), 'COUNT', SCAN_COUNT], (found) =>
          forgetPage(found.flatMap((key) => keys.parseProfile(key) ?? []).filter((key) => key.businessId === businessId).map((key) => key.igsid)),
        );
  const deleted = await runBulk(context, ['DEL', index]);
  const published = await context.publish({ type: 'invalidate', invalidation: { scope: 'business', businessId } });
  return { removed: progress.removed, complete: progress.complete && scanned && deleted !== undefined && published };
}

/** Deletes a remembered "no consent" (and only that) and tells the other instances. */
export async function clearNoConsent(context: StoreContext, businessId: string | undefined, igsid: string): Promise<void> {
  await run(context, ['EVAL', CLEAR_NO_CONSENT, 1, context.keys.profile(businessId, igsid), NO_CONSENT_MARK]);
  await context.publish({ type: 'invalidate', invalidation: { scope: 'consent', businessId, igsid } });
}

async function forgetOne(context: StoreContext, businessId: string | undefined, igsid: string, progress: { removed: number; complete: boolean }): Promise<void> {
  const { keys } = context;
  const [removed, ...unindexed] = await Promise.all([
    runBulk(context, ['EVAL', FORGET_ONE, 2, keys.profile(businessId, igsid), keys.tombstone(businessId, igsid), Math.ceil(tombstoneMs(context))]),
    runBulk(context, ['ZREM', keys.businessIndex(businessId), igsid]),
    runBulk(context, ['ZREM', keys.personIndex(igsid), businessId ?? '']),
  ]);
  if (typeof removed === 'number') progress.removed += removed;
  if (removed === undefined || unindexed.includes(undefined)) progress.complete = false;
}

/** The businesses holding the person: their index, else (index evicted or never made) a SCAN of their keys. Undefined if Redis failed. */
async function indexedBusinesses(context: StoreContext, igsid: string): Promise<(string | undefined)[] | undefined> {
  const { keys } = context;
  const members = await runBulk(context, ['ZRANGE', keys.personIndex(igsid), 0, -1]);
  if (!Array.isArray(members)) return undefined;
  if (members.length > 0) return members.map((member) => (member === '' ? undefined : String(member)));
  const found: (string | undefined)[] = [];
  const complete = await scan(
    context,
    (cursor) => ['SCAN', cursor, 'MATCH', keys.personPattern(igsid), 'COUNT', SCAN_COUNT],
    async (page) => {
      for (const key of page) {
        const parsed = keys.parseProfile(key);
        if (parsed?.igsid === igsid) found.push(parsed.businessId);
      }
    },
  );
  return complete ? found : undefined;
}

/** Walks a SCAN-family cursor to its end; false when a step failed. */
async function scan(context: StoreContext, command: (cursor: string) => (string | number)[], onPage: (items: string[]) => Promise<unknown>): Promise<boolean> {
  let cursor = '0';
  do {
    const reply: RedisReply | undefined = await runBulk(context, command(cursor));
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) return false;
    cursor = String(reply[0]);
    await onPage(reply[1].map(String));
  } while (cursor !== '0');
  return true;
}

async function inBatches<T>(items: T[], action: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) await Promise.all(items.slice(start, start + BATCH).map(action));
}
