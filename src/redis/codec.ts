import { finiteNumber, isRecord, parseJson } from '../internal/json.js';
import type { InstagramProfile } from '../types.js';
import type { SharedProfileWrite } from './types.js';

/**
 * Stored values are versioned JSON. A value of another version (a newer deployment, during
 * a rolling upgrade) or one that does not parse is a miss: never served, never deleted.
 * Times are server times in ms, so instances with skewed clocks read the same lifetimes.
 */
export const VALUE_VERSION = 1;

/** A stored entry as read back, with server times. */
export type StoredEntry =
  | { kind: 'profile'; profile: InstagramProfile; freshUntil: number; expiresAt: number; pictureOmitted: boolean }
  | { kind: 'no-consent' | 'not-found'; expiresAt: number };

const NEGATIVE_KINDS = { 'no-consent': 'nc', 'not-found': 'nf' } as const;

/** Marks a remembered "no consent" in its stored text, for the script that deletes only those. */
export const NO_CONSENT_MARK = '"k":"nc"';

export function encodeEntry(entry: SharedProfileWrite, freshUntil: number, expiresAt: number, storePictures: boolean): string {
  if (entry.kind !== 'profile') return JSON.stringify({ v: VALUE_VERSION, k: NEGATIVE_KINDS[entry.kind], e: expiresAt });
  const { profilePic, ...rest } = entry.profile;
  const profile = storePictures ? { ...rest, profilePic } : rest;
  return JSON.stringify({ v: VALUE_VERSION, k: 'p', f: freshUntil, e: expiresAt, ...(storePictures ? {} : { np: 1 }), p: profile });
}

/** The entry in `text`, or undefined when it is not a valid entry of this version for `igsid`. */
export function decodeEntry(text: unknown, igsid: string): StoredEntry | undefined {
  if (typeof text !== 'string') return undefined;
  const value = parseJson(text);
  if (!isRecord(value) || value.v !== VALUE_VERSION) return undefined;
  const expiresAt = finiteNumber(value.e);
  if (expiresAt === undefined) return undefined;
  if (value.k === 'nc') return { kind: 'no-consent', expiresAt };
  if (value.k === 'nf') return { kind: 'not-found', expiresAt };
  const freshUntil = finiteNumber(value.f);
  if (value.k !== 'p' || freshUntil === undefined) return undefined;
  const pictureOmitted = value.np === 1;
  const profile = decodeProfile(value.p, igsid, pictureOmitted);
  return profile && { kind: 'profile', profile, freshUntil, expiresAt, pictureOmitted };
}

/** Copies only the known fields, each checked: a stored value is untrusted input. */
function decodeProfile(value: unknown, igsid: string, pictureOmitted: boolean): InstagramProfile | undefined {
  if (!isRecord(value) || value.id !== igsid) return undefined;
  const { name, username, profilePic, followerCount, isVerifiedUser, isUserFollowBusiness, isBusinessFollowUser } = value;
  if (name !== null && typeof name !== 'string') return undefined;
  if (!pictureOmitted && profilePic !== null && typeof profilePic !== 'string') return undefined;
  if (!optional(username, 'string') || !optional(isVerifiedUser, 'boolean')) return undefined;
  if (!optional(isUserFollowBusiness, 'boolean') || !optional(isBusinessFollowUser, 'boolean')) return undefined;
  if (followerCount !== undefined && finiteNumber(followerCount) === undefined) return undefined;
  const profile: InstagramProfile = { id: igsid, name, profilePic: pictureOmitted ? null : (profilePic as string | null) };
  if (username !== undefined) profile.username = username as string;
  if (followerCount !== undefined) profile.followerCount = followerCount as number;
  if (isVerifiedUser !== undefined) profile.isVerifiedUser = isVerifiedUser as boolean;
  if (isUserFollowBusiness !== undefined) profile.isUserFollowBusiness = isUserFollowBusiness as boolean;
  if (isBusinessFollowUser !== undefined) profile.isBusinessFollowUser = isBusinessFollowUser as boolean;
  return profile;
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}
