import { createHash } from 'node:crypto';
import { giveUpAt, run, type StoreContext } from './context.js';
import { RECEIVED } from './scripts.js';
import type { DeliveryVerdict } from './types.js';

/* One key per delivery digest: `r:<server ms received>`, then `c` once its turn completed. */

export async function received(context: StoreContext, digest: string, ttlMs: number, reclaimAfterMs: number): Promise<DeliveryVerdict> {
  if (typeof digest !== 'string' || !(ttlMs >= 1)) return 'unknown';
  const expiresAt = Math.round(context.connection.serverNow() + ttlMs);
  const reply = await run(context, ['EVAL', RECEIVED, 1, context.keys.delivery(fixedSize(digest)), expiresAt, reclaimAfterMs, giveUpAt(context)]);
  if (reply === 'first' || reply === 'reclaimed') return 'first';
  return reply === 'duplicate' ? 'duplicate' : 'unknown';
}

export async function completed(context: StoreContext, digest: string, ttlMs: number): Promise<void> {
  if (typeof digest !== 'string' || !(ttlMs >= 1)) return;
  // PXAT: a late arrival keeps the window it was meant to have.
  await run(context, ['SET', context.keys.delivery(fixedSize(digest)), 'c', 'PXAT', Math.round(context.connection.serverNow() + ttlMs)]);
}

/** Callers pass a digest already; anything else is hashed, so no key grows with the event id. */
function fixedSize(digest: string): string {
  return /^[\w-]{1,64}$/.test(digest) ? digest : createHash('sha256').update(digest).digest('base64url').slice(0, 22);
}
