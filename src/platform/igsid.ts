/**
 * Instagram-scoped IDs (and business account ids) are numeric strings. Anything else must
 * never reach a URL path or query, nor a cache or de-duplication key. The one digits-only
 * check of the package; char codes rather than a regex, since it runs on every turn.
 */
export const MAX_ID_LENGTH = 32;

export function isIgsid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
