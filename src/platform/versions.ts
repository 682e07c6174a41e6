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

/**
 * When each Graph API version stops being served, from Meta's changelog
 * (https://developers.facebook.com/docs/graph-api/changelog/versions/, as of 2026-11).
 * A version with no end date yet is left out: it is live. v12/v14 field gating above stays
 * the documented contract, although every live version has all seven fields.
 */
const VERSION_ENDS: Readonly<Record<string, string>> = {
  'v25.0': '2028-07-29',
  'v24.0': '2028-02-18',
  'v23.0': '2027-10-08',
  'v22.0': '2027-05-20',
  'v21.0': '2027-01-21',
  'v20.0': '2026-09-24',
  'v19.0': '2026-05-21',
  'v18.0': '2026-01-26',
  'v17.0': '2025-09-12',
  'v16.0': '2025-05-14',
  'v15.0': '2024-11-20',
  'v14.0': '2024-09-17',
  'v13.0': '2024-05-28',
  'v12.0': '2024-02-08',
  'v11.0': '2023-09-14',
  'v10.0': '2023-06-08',
  'v9.0': '2023-02-23',
  'v8.0': '2022-11-01',
  'v7.0': '2022-08-04',
  'v6.0': '2022-05-05',
  'v5.0': '2022-02-03',
  'v4.0': '2021-11-02',
};

/** How long before its end a pinned version is warned about. */
export const VERSION_WARNING_DAYS = 90;
const DAY_MS = 86_400_000;

export type ApiVersionLifecycle =
  | { status: 'live'; version: string }
  | { status: 'ending'; version: string; endsAt: Date; daysLeft: number }
  | { status: 'ended'; version: string; endedAt: Date };

/** Where `version` stands at `nowMs`: live, ending within `VERSION_WARNING_DAYS`, or ended. */
export function apiVersionLifecycle(version: string, nowMs: number): ApiVersionLifecycle {
  const end = VERSION_ENDS[version];
  // Older than the table (v3.x and before) has ended too; a newer or unknown one is taken as live.
  const major = parseApiVersion(version);
  if (end === undefined) {
    return major !== undefined && major < 4 ? { status: 'ended', version, endedAt: new Date('2021-08-03') } : { status: 'live', version };
  }
  const endsAt = new Date(`${end}T00:00:00Z`);
  if (endsAt.getTime() <= nowMs) return { status: 'ended', version, endedAt: endsAt };
  const daysLeft = Math.ceil((endsAt.getTime() - nowMs) / DAY_MS);
  return daysLeft <= VERSION_WARNING_DAYS ? { status: 'ending', version, endsAt, daysLeft } : { status: 'live', version };
}

const warned = new Set<string>();

/**
 * Warns once per process (`process.emitWarning`) when a pinned version ends within 90 days
 * (code `INSTAGRAM_PROFILE_API_VERSION_ENDING`) or has ended (`…_ENDED`, naming the newest
 * version: Meta then answers with the oldest live version). Never throws: a bot that ran
 * yesterday must not fail to start because a date passed.
 */
export function warnAboutApiVersion(version: string, nowMs: number = Date.now()): ApiVersionLifecycle {
  const lifecycle = apiVersionLifecycle(version, nowMs);
  if (lifecycle.status === 'live' || warned.has(`${lifecycle.status}:${version}`)) return lifecycle;
  warned.add(`${lifecycle.status}:${version}`);
  if (lifecycle.status === 'ending') {
    process.emitWarning(
      `Graph API ${version} ends on ${lifecycle.endsAt.toISOString().slice(0, 10)} (in ${lifecycle.daysLeft} days): move apiVersion to ${LATEST_API_VERSION}`,
      { code: 'INSTAGRAM_PROFILE_API_VERSION_ENDING', detail: 'https://developers.facebook.com/docs/graph-api/changelog/versions/' },
    );
  } else {
    process.emitWarning(
      `Graph API ${version} ended on ${lifecycle.endedAt.toISOString().slice(0, 10)}: Meta answers calls to it with the oldest live version. Pin apiVersion to ${LATEST_API_VERSION}, the newest this package knows`,
      { code: 'INSTAGRAM_PROFILE_API_VERSION_ENDED', detail: 'https://developers.facebook.com/docs/graph-api/changelog/versions/' },
    );
  }
  return lifecycle;
}
