import { randomBytes } from 'node:crypto';
import { decodeEntry, encodeEntry, type StoredEntry } from './codec.js';
import { giveUpAt, run, type StoreContext, validIds } from './context.js';
import { INDEX_ADD, PEEK_RESULT, RELEASE_LEASE, SET_ENTRY, TAKE_LEASE, TRY_LEASE } from './scripts.js';
import type { LeaseOutcome, ProfileLease, SharedProfileEntry, SharedProfileWrite } from './types.js';

/** While the bus is down no result message comes: re-read this often instead. */
const POLL_WITHOUT_BUS_MS = 100;
/** With the bus up, still re-read now and then, in case a message was lost. */
const POLL_WITH_BUS_MS = 1_000;

export async function readEntry(context: StoreContext, businessId: string | undefined, igsid: string): Promise<SharedProfileEntry | undefined> {
  if (!validIds(businessId, igsid)) return undefined;
  const reply = await run(context, ['GET', context.keys.profile(businessId, igsid)]);
  return shared(context, decodeEntry(reply, igsid));
}

export async function writeEntry(context: StoreContext, businessId: string | undefined, igsid: string, entry: SharedProfileWrite, ttlMs: number): Promise<boolean> {
  if (!validIds(businessId, igsid) || !validWrite(entry, igsid) || !(ttlMs >= 1)) return false;
  const { connection, keys, options } = context;
  const expiresAt = Math.round(connection.serverNow() + ttlMs);
  const freshUntil = entry.kind === 'profile' && entry.freshUntil !== undefined ? Math.min(expiresAt, Math.round(connection.toServer(entry.freshUntil))) : expiresAt;
  const value = encodeEntry(entry, freshUntil, expiresAt, options.storePictures);
  const lateAt = giveUpAt(context);
  // Indexes first (one connection keeps the order): a deletion running meanwhile finds the entry.
  const [, , stored] = await Promise.all([
    run(context, ['EVAL', INDEX_ADD, 1, keys.personIndex(igsid), businessId ?? '', expiresAt, lateAt]),
    run(context, ['EVAL', INDEX_ADD, 1, keys.businessIndex(businessId), igsid, expiresAt, lateAt]),
    run(context, ['EVAL', SET_ENTRY, 2, keys.profile(businessId, igsid), keys.tombstone(businessId, igsid), value, expiresAt, lateAt]),
  ]);
  return stored === 1;
}

export async function tryLease(context: StoreContext, businessId: string | undefined, igsid: string, ms: number): Promise<LeaseOutcome> {
  if (!validIds(businessId, igsid) || !(ms >= 1)) return { kind: 'unavailable' };
  const { keys, connection } = context;
  const token = randomBytes(12).toString('base64url');
  const leaseArgs = [token, Math.round(connection.serverNow() + ms), giveUpAt(context)];
  const reply = await run(context, ['EVAL', TRY_LEASE, 2, keys.lease(businessId, igsid), keys.profile(businessId, igsid), ...leaseArgs]);
  if (reply === undefined) return { kind: 'unavailable' };
  if (Array.isArray(reply) && reply[0] === 'present') {
    const entry = shared(context, decodeEntry(reply[1], igsid));
    if (entry) return { kind: 'present', entry };
    // A value this version cannot read (or one about to lapse): lease as if there were none.
    const again = await run(context, ['EVAL', TAKE_LEASE, 1, keys.lease(businessId, igsid), ...leaseArgs]);
    if (again === undefined) return { kind: 'unavailable' };
    return again === 'acquired' ? { kind: 'acquired', lease: { businessId, igsid, token } } : { kind: 'held' };
  }
  return reply === 'acquired' ? { kind: 'acquired', lease: { businessId, igsid, token } } : { kind: 'held' };
}

export async function publishResult(context: StoreContext, lease: ProfileLease, entry: SharedProfileWrite | undefined, ttlMs: number): Promise<void> {
  const { businessId, igsid, token } = lease;
  if (!validIds(businessId, igsid)) return;
  if (entry) await writeEntry(context, businessId, igsid, entry, ttlMs);
  await Promise.all([
    run(context, ['EVAL', RELEASE_LEASE, 1, context.keys.lease(businessId, igsid), token]),
    context.publish({ type: 'result', businessId, igsid }),
  ]);
  context.wake(businessId, igsid);
}

export async function waitForResult(
  context: StoreContext,
  businessId: string | undefined,
  igsid: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<SharedProfileEntry | undefined> {
  if (!validIds(businessId, igsid)) return undefined;
  const { keys, options } = context;
  const deadline = options.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) return undefined;
    const reply = await run(context, ['EVAL', PEEK_RESULT, 2, keys.profile(businessId, igsid), keys.lease(businessId, igsid)]);
    if (!Array.isArray(reply)) return undefined;
    const entry = shared(context, decodeEntry(reply[0], igsid));
    if (entry) return entry;
    const leaseLeft = Number(reply[1]);
    // No lease and no entry: the holder failed, or died and its lease lapsed. Take over.
    if (!(leaseLeft > 0)) return undefined;
    const remaining = deadline - options.now();
    if (remaining <= 0) return undefined;
    const poll = context.busUp ? POLL_WITH_BUS_MS : POLL_WITHOUT_BUS_MS;
    if (!(await context.sleepUntilResult(businessId, igsid, Math.min(leaseLeft + 1, remaining, poll), signal))) return undefined;
  }
}

/** A stored entry with its times on this instance's clock; undefined once lapsed. */
function shared(context: StoreContext, stored: StoredEntry | undefined): SharedProfileEntry | undefined {
  if (!stored) return undefined;
  const { connection, options } = context;
  const expiresAt = connection.toLocal(stored.expiresAt);
  if (expiresAt <= options.now()) return undefined;
  if (stored.kind !== 'profile') return { kind: stored.kind, expiresAt };
  const { profile, pictureOmitted } = stored;
  return { kind: 'profile', profile, expiresAt, freshUntil: Math.min(expiresAt, connection.toLocal(stored.freshUntil)), pictureOmitted };
}

function validWrite(entry: SharedProfileWrite, igsid: string): boolean {
  if (entry === null || typeof entry !== 'object') return false;
  if (entry.kind === 'no-consent' || entry.kind === 'not-found') return true;
  return entry.kind === 'profile' && entry.profile !== null && typeof entry.profile === 'object' && entry.profile.id === igsid;
}
