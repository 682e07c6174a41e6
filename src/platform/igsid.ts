/**
 * Instagram-scoped IDs are numeric strings. Anything else must never reach a URL path or
 * query, so this check runs before any request is built.
 */
const IGSID_PATTERN = /^[0-9]{1,32}$/;

export function isIgsid(value: unknown): value is string {
  return typeof value === 'string' && IGSID_PATTERN.test(value);
}
