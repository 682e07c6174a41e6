import type { InstagramProfile } from '../types.js';

export type FollowStatus = 'mutual' | 'follower' | 'followed' | 'none' | 'unknown';

/**
 * mutual: both follow; follower: the person follows the business; followed: the business
 * follows the person; none: neither; unknown: a flag is missing (never guessed as false).
 */
export function followStatus(profile: InstagramProfile | undefined): FollowStatus {
  const follows = profile?.isUserFollowBusiness;
  const followed = profile?.isBusinessFollowUser;
  if (follows === undefined || followed === undefined) return 'unknown';
  if (follows) return followed ? 'mutual' : 'follower';
  return followed ? 'followed' : 'none';
}

export type AudienceTier = 'unknown' | 'personal' | 'nano' | 'micro' | 'mid' | 'macro' | 'mega';

/** The follower count from which each tier starts. */
export interface AudienceTiers {
  nano: number;
  micro: number;
  mid: number;
  macro: number;
  mega: number;
}

/** Influencer-marketing conventions: 1 K, 10 K, 100 K, 500 K, 1 M. Below `nano`: `personal`. */
const DEFAULT_AUDIENCE_TIERS: Readonly<AudienceTiers> = Object.freeze({ nano: 1_000, micro: 10_000, mid: 100_000, macro: 500_000, mega: 1_000_000 });

const ORDER = ['mega', 'macro', 'mid', 'micro', 'nano'] as const;

function resolveTiers(tiers: Partial<AudienceTiers> | undefined): AudienceTiers {
  if (tiers === undefined) return DEFAULT_AUDIENCE_TIERS;
  const merged = { ...DEFAULT_AUDIENCE_TIERS, ...tiers };
  let previous = Infinity;
  for (const tier of ORDER) {
    const min = merged[tier];
    if (typeof min !== 'number' || !Number.isFinite(min) || min < 0) throw new TypeError(`Audience tier "${tier}" must be a non-negative number`);
    if (min > previous) throw new RangeError(`Audience tiers must ascend: "${tier}" (${min}) is above the next tier (${previous})`);
    previous = min;
  }
  return merged;
}

/** Buckets a person by `followerCount`; `unknown` when the count is missing. */
export function audienceTier(profile: InstagramProfile | undefined, tiers?: Partial<AudienceTiers>): AudienceTier {
  const resolved = resolveTiers(tiers);
  const count = profile?.followerCount;
  if (typeof count !== 'number' || !Number.isFinite(count)) return 'unknown';
  for (const tier of ORDER) if (count >= resolved[tier]) return tier;
  return 'personal';
}
