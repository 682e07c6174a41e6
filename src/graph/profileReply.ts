import type { InstagramProfile } from '../types.js';

/**
 * Checks a successful User Profile API reply and turns it into an InstagramProfile.
 * Returns a reason string when the reply is not what Graph sends (wrong types, another id),
 * so that garbage is reported and never cached.
 */
export function profileFromReply(igsid: string, reply: unknown): InstagramProfile | string {
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) return 'the reply is not a JSON object';
  const body = reply as Record<string, unknown>;
  if ('error' in body) return 'a successful reply carried an error body';
  if (body.id !== undefined && body.id !== igsid) return 'the reply is for another id';

  const name = nullableString(body.name);
  const profilePic = nullableUrl(body.profile_pic);
  if (name === false) return '"name" is not a string or null';
  if (profilePic === false) return '"profile_pic" is not an http(s) URL or null';

  const profile: InstagramProfile = { id: igsid, name, profilePic };
  if (body.username !== undefined && body.username !== null) {
    if (typeof body.username !== 'string') return '"username" is not a string';
    profile.username = body.username;
  }
  if (body.follower_count !== undefined && body.follower_count !== null) {
    const count = body.follower_count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return '"follower_count" is not a non-negative integer';
    profile.followerCount = count;
  }
  for (const [field, key] of BOOLEAN_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') return `"${field}" is not a boolean`;
    profile[key] = value;
  }
  return profile;
}

const BOOLEAN_FIELDS = [
  ['is_verified_user', 'isVerifiedUser'],
  ['is_user_follow_business', 'isUserFollowBusiness'],
  ['is_business_follow_user', 'isBusinessFollowUser'],
] as const;

function nullableString(value: unknown): string | null | false {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : false;
}

function nullableUrl(value: unknown): string | null | false {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
  return value;
}
