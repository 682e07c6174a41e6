/** Shared helpers of the variants: workload sizes, in-process medians, CPU time, realistic data. */
import { median } from './method/summarise.js';
import type { Mode } from './method/types.js';

export type { Mode };

/**
 * A row of results.json before the paired method: docs/figures/bench.json still holds these,
 * read by scripts/figures.ts. New results are `Results` (bench/method/types.ts).
 */
export interface Figure {
  id: string;
  figure: string;
  unit: string;
  ours: number;
  baseline: number;
  baselineName: string;
  ratio: number;
  target: string;
  met: boolean;
  note?: string;
}

/** Picks the size of a workload for the mode. */
export function sizes<T>(mode: Mode, each: Record<Mode, T>): T {
  return each[mode];
}

/** Runs a measurement `times` times in this process and returns the median (damps a GC or a scheduler hiccup). */
export async function repeatMedian(times: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await measure());
  return median(values);
}

/**
 * CPU nanoseconds (user + system, GC threads included) per operation of `count` sequential
 * awaited calls. CPU time, not wall time: on a shared machine another process's burst
 * stretches wall time by 2× and more, while the CPU this process spent barely moves.
 */
export async function nsPerOp(count: number, op: (i: number) => unknown): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await op(i);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1_000) / count;
}

/** CPU microseconds (user + system) this process spent in `fn`. */
export async function cpuMicros(fn: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** A Zipf(s) sampler over 1..n, by inverse CDF on a precomputed table. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k++) cdf[k - 1] = total += 1 / k ** s;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** A small deterministic PRNG (mulberry32), so every run sees the same traffic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// fbcdn links expire (`oe=`, hex Unix seconds) and the cache keeps no profile past that: a week
// from now, so every run measures cached profiles whatever the date.
const PICTURE_EXPIRY = Math.floor(Date.now() / 1_000 + 7 * 86_400).toString(16).toUpperCase();

/** Realistic profile data: an fbcdn-like picture URL (~230 bytes), a name, counts. */
export function realisticProfile(i: number) {
  const igsid = String(6_938_000_000_000_000 + i);
  return {
    id: igsid,
    name: `Person Number ${i} Surname`,
    username: `person.${i}`,
    profilePic: `https://scontent-iad3-1.cdninstagram.com/v/t51.2885-19/${440_000_000 + i}_${1_000_000_000_000 + i}_n.jpg?stp=dst-jpg_s206x206&_nc_cat=1&ccb=1-7&_nc_sid=bd6c3f&_nc_ohc=AbCdEfGhIjKlMnOp&oh=00_AfBcDeFgHiJkLmNoPqRsTuVwXyZ${i}&oe=${PICTURE_EXPIRY}`,
    followerCount: i * 7,
    isVerifiedUser: false,
    isUserFollowBusiness: i % 2 === 0,
    isBusinessFollowUser: i % 3 === 0,
  };
}
