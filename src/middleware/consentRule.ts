import type { ProfileCache } from '../cache/profileCache.js';
import type { InstagramEvent } from '../events/index.js';
import type { GraphProfileClient } from '../graph/client.js';
import type { ProfileLookup } from '../types.js';

const NOT_GRANTED_BY_EVENT: ProfileLookup = Object.freeze({ status: 'no-consent' });

/**
 * The lookup a turn makes for its event, under Meta's consent rule, stated here once:
 * events that grant no consent (reads, reactions, comments, echoes...) may read the cache
 * (both levels, with a shared store) but never call Graph; a consent event (message, quick
 * reply, postback) clears a remembered "no consent". A fresh profile or a remembered
 * failure is answered at once, with no promise; anything else goes through the cache's
 * single-flight load, which waits no longer than the client's `timeout`.
 */
export function lookupUnderConsentRule(cache: ProfileCache, client: GraphProfileClient, refreshFollowStatusAfter = 0) {
  const shared = cache.store !== undefined;
  return (event: InstagramEvent, forceRefresh: boolean): ProfileLookup | Promise<ProfileLookup> => {
    const { igsid, businessId } = event;
    const cached = cache.peek(businessId, igsid);
    if (!event.grantsConsent) return cached ?? (shared ? cache.find(businessId, igsid).then((found) => found ?? NOT_GRANTED_BY_EVENT) : NOT_GRANTED_BY_EVENT);
    if (cached?.status === 'no-consent') cache.clearNoConsent(businessId, igsid);
    else if (!forceRefresh && cached !== undefined && !(cached.status === 'ok' && cached.source === 'stale')) {
      if (!followFlagsTooOld(cache, event, refreshFollowStatusAfter)) return cached;
      // Follow flags older than refreshFollowStatusAfter: this turn re-reads them (one Graph call).
      forceRefresh = true;
    }
    return cache.lookup(businessId, igsid, (signal, timeout) => client.fetchProfile(igsid, { businessId, signal, timeout }), {
      forceRefresh,
      timeout: client.timeout,
      grantsConsent: true,
    });
  };
}

function followFlagsTooOld(cache: ProfileCache, event: InstagramEvent, refreshAfter: number): boolean {
  if (refreshAfter === 0) return false;
  const age = cache.profileAge(event.businessId, event.igsid);
  return age !== undefined && age >= refreshAfter;
}
