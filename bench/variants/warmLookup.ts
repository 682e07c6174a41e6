// Warm lookup: the first `await getInstagramProfile(context)` of a turn on a cached profile,
// vs `await lru.get(key)` on the same data (the floor).
import { LRUCache } from 'lru-cache';
import type { InstagramProfile } from '../../src/index.js';
import { nsPerOp, realisticProfile, repeatMedian, sizes } from '../lib.js';
import type { Variant } from '../method/types.js';
import { loadRoot } from '../pkg.js';
import { activityFrom, BUSINESS } from './botbuilderPipeline.js';

// A pool of live turns, renewed between timed batches, as a busy server holds: each ask is the first of its turn.
const POOL = 1_000;

const ours: Variant = async ({ mode }) => {
  const { InstagramProfileMiddleware, getInstagramProfile } = await loadRoot();
  const lookups = sizes(mode, { full: 200_000, quick: 100_000, tiny: 2_000 });
  const profile = realisticProfile(1);
  const middleware = new InstagramProfileMiddleware({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  middleware.cache.set(BUSINESS, profile);
  const activity = activityFrom(profile);
  const contexts = Array.from({ length: POOL }, () => ({ activity, turnState: new Map<unknown, unknown>() }));
  const begin = () => Promise.all(contexts.map((c) => middleware.onTurn(c, async () => undefined)));
  await begin();
  if ((await getInstagramProfile(contexts[0]!))?.id !== profile.id) throw new Error('the warm lookup did not hit the cache');
  const batch = async () => {
    let total = 0;
    for (let done = 0; done < lookups; done += POOL) {
      await begin();
      total += (await nsPerOp(POOL, (i) => getInstagramProfile(contexts[i]!))) * POOL;
    }
    return total / (Math.ceil(lookups / POOL) * POOL);
  };
  await batch(); // warm-up, not measured
  return { nsPerLookup: await repeatMedian(5, batch) };
};

const floor: Variant = async ({ mode }) => {
  const lookups = sizes(mode, { full: 200_000, quick: 100_000, tiny: 2_000 });
  const profile = realisticProfile(1);
  const lru = new LRUCache<string, InstagramProfile>({ max: 10_000, ttl: 3_600_000 });
  const key = `${BUSINESS}:${profile.id}`;
  lru.set(key, profile);
  const batch = () => nsPerOp(lookups, () => lru.get(key));
  await batch(); // warm-up, not measured
  return { nsPerLookup: await repeatMedian(5, batch) };
};

export const variants: Record<string, Variant> = { ours, floor };
