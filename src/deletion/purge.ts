import createDebug from 'debug';
import { isIgsid } from '../platform/igsid.js';
import type { ResolvedPurgeOptions } from './options.js';
import type { DeletionStatus } from './statusStore.js';

const log = createDebug('instagram-profile:deletion');

/**
 * Purges everything held for each business account of the app user: every account is
 * tried even when one fails. `failed` when any failed (or the ids could not be had),
 * `pending` when a purger says it will finish later (`RedisProfileStore` retries once Redis
 * is back: `{ complete: false }`), else `complete`. Never throws.
 */
export async function purgeBusinessesOf(userId: string, { profiles, businessesOf }: ResolvedPurgeOptions): Promise<DeletionStatus> {
  let businessIds: readonly string[];
  try {
    businessIds = businessIdsFrom(await businessesOf(userId));
  } catch (error) {
    log('businessesOf failed, nothing purged: %s', reasonOf(error));
    return 'failed';
  }
  if (businessIds.length === 0) {
    log('businessesOf named no business account: nothing to purge');
    return 'complete';
  }
  // async: a purger that throws synchronously is a failed purge too, not a failed callback.
  const outcomes = await Promise.allSettled(businessIds.map(async (businessId) => profiles.forgetBusiness(businessId)));
  let status: DeletionStatus = 'complete';
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') {
      log('purging business %s failed: %s', businessIds[i], reasonOf(outcome.reason));
      status = 'failed';
    } else if (status === 'complete' && isUnfinished(outcome.value)) {
      log('purging business %s will finish later', businessIds[i]);
      status = 'pending';
    }
  }
  log('purged %d business account(s): %s', businessIds.length, status);
  return status;
}

/** Distinct digits-only ids; anything else is a bug in `businessesOf`, and must not reach a store key. */
function businessIdsFrom(value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw new TypeError('businessesOf must return an array of business account ids');
  for (const id of value) if (!isIgsid(id)) throw new TypeError('businessesOf returned an id that is not a digits-only string');
  return [...new Set(value as string[])];
}

/** `{ complete: false }`: the shape of `RedisProfileStore`'s ForgetResult when Redis could not finish. */
function isUnfinished(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { complete?: unknown }).complete === false;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}${'code' in error && typeof error.code === 'string' ? ` (${error.code})` : ''}: ${error.message}`;
  return typeof error;
}
