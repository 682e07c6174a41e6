// Run with --expose-gc. Heap per cached profile at 100 000 entries, ours vs the same profiles
// in a plain Map; and (ours) heap after many senders through a cache of max 10 000.
import type { Metrics, Variant } from '../method/types.js';
import { realisticProfile, sizes } from '../lib.js';
import { loadRoot } from '../pkg.js';
import { BUSINESS } from './botServer.js';

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const ENTRIES = { full: 100_000, quick: 100_000, tiny: 5_000 };

const ours: Variant = async ({ mode }) => {
  const { ProfileCache } = await loadRoot();
  const entries = ENTRIES[mode];
  const warm = new ProfileCache({ max: 1_000 }); // warm-up, not measured
  for (let i = 0; i < 1_000; i++) warm.set(BUSINESS, realisticProfile(i));
  warm.clear();
  const before = heap();
  const cache = new ProfileCache({ max: entries });
  for (let i = 0; i < entries; i++) cache.set(BUSINESS, realisticProfile(i));
  const bytesPerEntry = (heap() - before) / entries;
  if (cache.size !== entries) throw new Error('the cache dropped entries');
  cache.clear();
  return { bytesPerEntry, ...flatness(ProfileCache, sizes(mode, { full: 1_000_000, quick: 200_000, tiny: 40_000 })) };
};

/** Heap once the cache is full vs after `senders` distinct senders through max 10 000. */
function flatness(ProfileCache: Awaited<ReturnType<typeof loadRoot>>['ProfileCache'], senders: number): Metrics {
  const bounded = new ProfileCache({ max: 10_000 });
  const fullAt = Math.max(senders / 10, 20_000);
  let heapFullMiB = 0;
  for (let i = 0; i < senders; i++) {
    bounded.set(BUSINESS, realisticProfile(i));
    if (i + 1 === fullAt) heapFullMiB = heap() / 1_048_576;
  }
  if (bounded.size !== 10_000) throw new Error(`the bounded cache holds ${bounded.size}`);
  return { heapFullMiB, heapEndMiB: heap() / 1_048_576 };
}

const map: Variant = async ({ mode }) => {
  const entries = ENTRIES[mode];
  const warm = new Map<string, unknown>(); // warm-up, not measured
  for (let i = 0; i < 1_000; i++) warm.set(String(i), realisticProfile(i));
  warm.clear();
  const before = heap();
  const plain = new Map<string, unknown>();
  for (let i = 0; i < entries; i++) {
    const p = realisticProfile(i);
    plain.set(`${BUSINESS}:${p.id}`, p);
  }
  const bytesPerEntry = (heap() - before) / entries;
  if (plain.size !== entries) throw new Error('the map dropped entries');
  return { bytesPerEntry };
};

export const variants: Record<string, Variant> = { ours, map };
