// Run with --expose-gc: heap per cached profile, and heap after many senders through a bounded cache.
import { ProfileCache } from 'botbuilder-instagram-profile';
import { realisticProfile } from './lib.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const BUSINESS = '17841400000000001';
const entries = Number(process.argv[2] ?? 100_000);
const senders = Number(process.argv[3] ?? 1_000_000);

// Per entry: the same profiles in a plain Map (the data itself) vs in our cache.
const base0 = heap();
const plain = new Map<string, unknown>();
for (let i = 0; i < entries; i++) {
  const p = realisticProfile(i);
  plain.set(`${BUSINESS}:${p.id}`, p);
}
const plainBytes = (heap() - base0) / entries;
plain.clear();

const ours0 = heap();
const cache = new ProfileCache({ max: entries });
for (let i = 0; i < entries; i++) cache.set(BUSINESS, realisticProfile(i));
const oursBytes = (heap() - ours0) / entries;
if (cache.size !== entries) throw new Error('the cache dropped entries');
cache.clear();

// Flat heap: many distinct senders through max 10 000; the baseline is taken once the cache is full.
const bounded = new ProfileCache({ max: 10_000 });
const baselineAt = Math.max(senders / 10, 20_000);
let heapAtTenth = 0;
for (let i = 0; i < senders; i++) {
  bounded.set(BUSINESS, realisticProfile(i));
  if (i + 1 === baselineAt) heapAtTenth = heap();
}
const heapAtEnd = heap();
process.stdout.write(`${JSON.stringify({ entries, plainBytes, oursBytes, senders, heapAtTenth, heapAtEnd, size: bounded.size })}\n`);
