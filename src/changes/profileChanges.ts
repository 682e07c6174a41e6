import type { InstagramProfile } from '../types.js';

/** What changed in a person's profile between the previous known profile and the one just loaded. */
export interface ProfileChanges {
  /** Now follows the business; before, did not (or it was unknown). */
  followed: boolean;
  /** Followed the business before, no longer does. */
  unfollowed: boolean;
  /** `name` changed. */
  renamed: boolean;
  usernameChanged: boolean;
  /** The picture itself changed (the URL's path; its signed query changes on every read and is ignored). */
  pictureChanged: boolean;
  verifiedChanged: boolean;
  /** Current minus previous `followerCount`; 0 when either is unknown. */
  followerCountDelta: number;
}

/**
 * A change the cache detected when it reloaded a person from Graph. Carries personal data
 * (both profiles): an `onProfileChange` hook decides what to keep, and for how long.
 */
export interface ProfileChange {
  businessId: string | undefined;
  igsid: string;
  previous: InstagramProfile;
  current: InstagramProfile;
  changes: ProfileChanges;
}

/** Receives each change once (once across instances with a shared store); may be async. Its errors are logged, never thrown. */
export type ProfileChangeListener = (change: ProfileChange) => void | Promise<void>;

/** What changed from `previous` to `current`, or undefined when nothing did. */
export function diffProfiles(previous: InstagramProfile, current: InstagramProfile): ProfileChanges | undefined {
  const followed = current.isUserFollowBusiness === true && previous.isUserFollowBusiness !== true;
  const unfollowed = previous.isUserFollowBusiness === true && current.isUserFollowBusiness === false;
  const renamed = previous.name !== current.name;
  const usernameChanged = previous.username !== undefined && current.username !== undefined && previous.username !== current.username;
  const pictureChanged = picturePath(previous.profilePic) !== picturePath(current.profilePic);
  const verifiedChanged = previous.isVerifiedUser !== undefined && current.isVerifiedUser !== undefined && previous.isVerifiedUser !== current.isVerifiedUser;
  const followerCountDelta = previous.followerCount !== undefined && current.followerCount !== undefined ? current.followerCount - previous.followerCount : 0;
  if (!followed && !unfollowed && !renamed && !usernameChanged && !pictureChanged && !verifiedChanged && followerCountDelta === 0) return undefined;
  return { followed, unfollowed, renamed, usernameChanged, pictureChanged, verifiedChanged, followerCountDelta };
}

/** The picture's identity: its URL without the signed, expiring query; the whole string when it is not a URL. */
function picturePath(url: string | null): string | null {
  if (url === null) return null;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
