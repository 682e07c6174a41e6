import { realisticProfile } from '../lib.js';

/** The IGSID of the i-th benchmark customer. */
export const igsidOf = (i: number) => String(6_938_000_000_000_000 + i);

/** A User Profile API reply (Graph's field names) for an IGSID, with realistic sizes. */
export function profileReply(igsid: string) {
  const p = realisticProfile(Number(igsid) - 6_938_000_000_000_000);
  return {
    name: p.name,
    username: p.username,
    profile_pic: p.profilePic,
    follower_count: p.followerCount,
    is_verified_user: p.isVerifiedUser,
    is_user_follow_business: p.isUserFollowBusiness,
    is_business_follow_user: p.isBusinessFollowUser,
    id: igsid,
  };
}
