/**
 * Key layout. Keys of one customer share a Cluster slot through the hash tag
 * `{<business>:<igsid>}`, so a script may touch their profile, lease and tombstone at
 * once. Ids are digits only (checked before a key is made), so they never carry a glob
 * character into a SCAN pattern or a brace into a hash tag.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The profile entry (or remembered failure) of one customer of one business. */
  profile(businessId: string | undefined, igsid: string): string {
    return `${this.prefix}p:${tag(businessId, igsid)}`;
  }

  /** The load lease of that customer. */
  lease(businessId: string | undefined, igsid: string): string {
    return `${this.prefix}l:${tag(businessId, igsid)}`;
  }

  /** Set by a deletion for a short while: refuses writes that were already on their way. */
  tombstone(businessId: string | undefined, igsid: string): string {
    return `${this.prefix}x:${tag(businessId, igsid)}`;
  }

  /** Sorted set of the businesses holding an entry of this IGSID, scored by the entry's expiry. */
  personIndex(igsid: string): string {
    return `${this.prefix}u:${igsid}`;
  }

  /** Sorted set of the IGSIDs held for this business, scored by the entry's expiry. */
  businessIndex(businessId: string | undefined): string {
    return `${this.prefix}b:${businessId ?? ''}`;
  }

  /** Sorted set of shared throttles (`<reason>|<scope>`), scored by when each ends. */
  throttles(): string {
    return `${this.prefix}throttles`;
  }

  delivery(digest: string): string {
    return `${this.prefix}d:${digest}`;
  }

  /** The status of one data-deletion request, by its confirmation code (URL-safe characters only, checked first). */
  deletionStatus(code: string): string {
    return `${this.prefix}ds:${code}`;
  }

  /** SCAN pattern of one person's profile keys in every business (when their index is gone). */
  personPattern(igsid: string): string {
    return `${this.prefix}p:{*:${igsid}}`;
  }

  /** SCAN pattern of every profile key of one business (when its index is gone). */
  businessPattern(businessId: string | undefined): string {
    return `${this.prefix}p:{${businessId ?? ''}:*}`;
  }

  /** The business and IGSID of a profile key, or undefined when it is not one. */
  parseProfile(key: string): { businessId: string | undefined; igsid: string } | undefined {
    const match = /^p:\{(\d*):(\d+)\}$/.exec(key.startsWith(this.prefix) ? key.slice(this.prefix.length) : '');
    if (!match) return undefined;
    return { businessId: match[1] === '' ? undefined : match[1], igsid: match[2]! };
  }
}

function tag(businessId: string | undefined, igsid: string): string {
  return `{${businessId ?? ''}:${igsid}}`;
}
