/**
 * Graph API versions and the User Profile API fields each one has.
 * Fields `name` and `profile_pic` exist on every version; the four v12.0 fields and
 * `username` (v14.0) are gated, and that gating is the documented contract.
 */

/** The newest Graph API version this package knows (released 2026-07-29). */
export const LATEST_API_VERSION = 'v26.0';

export const PROFILE_FIELDS = [
  'name',
  'username',
  'profile_pic',
  'follower_count',
  'is_verified_user',
  'is_user_follow_business',
  'is_business_follow_user',
] as const;

export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The first major version that has each field. */
const FIELD_SINCE: Readonly<Record<ProfileField, number>> = {
  name: 0,
  profile_pic: 0,
  is_verified_user: 12,
  follower_count: 12,
  is_user_follow_business: 12,
  is_business_follow_user: 12,
  username: 14,
};

const VERSION_PATTERN = /^v(\d{1,3})\.(\d{1,2})$/;

/** Parses `v26.0` into its major number, or returns undefined for anything else. */
export function parseApiVersion(version: unknown): number | undefined {
  if (typeof version !== 'string') return undefined;
  const match = VERSION_PATTERN.exec(version);
  return match ? Number(match[1]) : undefined;
}

export function isProfileField(field: unknown): field is ProfileField {
  return typeof field === 'string' && Object.hasOwn(FIELD_SINCE, field);
}

/** The version (e.g. `v14.0`) from which a field exists. */
export function fieldIntroducedIn(field: ProfileField): string {
  const major = FIELD_SINCE[field];
  return major === 0 ? 'v1.0' : `v${major}.0`;
}

export function isFieldAvailable(field: ProfileField, version: string): boolean {
  const major = parseApiVersion(version);
  return major !== undefined && major >= FIELD_SINCE[field];
}

/** Every profile field that `version` has, in a stable order. */
export function fieldsForVersion(version: string): ProfileField[] {
  return PROFILE_FIELDS.filter((field) => isFieldAvailable(field, version));
}
