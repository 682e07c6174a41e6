/** Shared helpers of the benchmarks: interleaved rounds, medians, CPU time, the result shape. */

export type Mode = 'full' | 'quick' | 'tiny';

/** One row of the table: our figure, the baseline's, their ratio and the target. */
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

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs each variant once per round, in alternating order (A B, B A, …) so drift and
 * warm-up hit both alike; returns each variant's median.
 */
export async function interleave<K extends string>(rounds: number, variants: Record<K, () => Promise<number>>): Promise<Record<K, number>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name].push(await variants[name]());
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<K, number>;
}

/** Nanoseconds per operation of `count` sequential awaited calls. */
export async function nsPerOp(count: number, op: (i: number) => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await op(i);
  return Number(process.hrtime.bigint() - start) / count;
}

/** CPU microseconds (user + system) this process spent in `fn`. */
export async function cpuMicros(fn: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

export function figure(partial: Omit<Figure, 'ratio' | 'met'> & { better: 'lower' | 'higher'; limit: number }): Figure {
  const { better, limit, ...rest } = partial;
  const ratio = rest.ours / rest.baseline;
  return { ...rest, ratio, met: better === 'lower' ? ratio <= limit : ratio >= limit };
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

/** Realistic profile data: an fbcdn-like picture URL (~230 bytes), a name, counts. */
export function realisticProfile(i: number) {
  const igsid = String(6_938_000_000_000_000 + i);
  return {
    id: igsid,
    name: `Person Number ${i} Surname`,
    username: `person.${i}`,
    profilePic: `https://scontent-iad3-1.cdninstagram.com/v/t51.2885-19/${440_000_000 + i}_${1_000_000_000_000 + i}_n.jpg?stp=dst-jpg_s206x206&_nc_cat=1&ccb=1-7&_nc_sid=bd6c3f&_nc_ohc=AbCdEfGhIjKlMnOp&oh=00_AfBcDeFgHiJkLmNoPqRsTuVwXyZ${i}&oe=6B0B33CD`,
    followerCount: i * 7,
    isVerifiedUser: false,
    isUserFollowBusiness: i % 2 === 0,
    isBusinessFollowUser: i % 3 === 0,
  };
}
