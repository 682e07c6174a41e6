import type { InstagramProfileError } from './errors.js';

/** A customer's Instagram profile, as the User Profile API describes them (camelCase). */
export interface InstagramProfile {
  /** The Instagram-scoped ID (IGSID) of the customer, digits only. */
  id: string;
  /** `null` when the person set no name. */
  name: string | null;
  /** Absent when not requested or when the API version predates v14.0. */
  username?: string;
  /** `null` when the person has no picture. The URL expires within days (see `oe=`). */
  profilePic: string | null;
  followerCount?: number;
  isVerifiedUser?: boolean;
  /** `undefined` means unknown; it is never conflated with `false`. */
  isUserFollowBusiness?: boolean;
  isBusinessFollowUser?: boolean;
}

/** Why a lookup produced no profile. */
export type ProfileLookupFailure = 'not-instagram' | 'no-consent' | 'not-found' | 'unavailable';

/** Where a profile came from: the cache, the Graph API, or a stale cache entry served while Graph was unavailable or being re-read. */
export type ProfileSource = 'cache' | 'graph' | 'stale';

/**
 * The outcome of a profile lookup; a failure is a result, never an exception. `error` is
 * always there for `unavailable` (something failed); for the other failures it is there when
 * Graph said so (`no-consent` from a 230, `not-found`), absent when the package knew without asking.
 */
export type ProfileLookup =
  | { status: 'ok'; profile: InstagramProfile; source: ProfileSource }
  | { status: Exclude<ProfileLookupFailure, 'unavailable'>; error?: InstagramProfileError }
  | { status: 'unavailable'; error: InstagramProfileError };

/**
 * An access token, or a function that returns the token for a business account. The
 * function runs under the call's deadline: `signal` aborts when the lookup or send is
 * given up, so a token fetched over the network can stop too.
 */
export type AccessTokenProvider = string | ((businessId: string | undefined, options: { signal: AbortSignal }) => string | Promise<string>);
