/**
 * The two Graph hosts and which tokens each takes. Instagram Login issues Instagram user
 * tokens (they start with `IG`), which only graph.instagram.com accepts; Facebook Login
 * issues Page and user tokens (they start with `EAA`), which only graph.facebook.com
 * accepts. Sent to the other host, either answers 190 "Cannot parse access token".
 */
export const FACEBOOK_GRAPH_URL = 'https://graph.facebook.com';
export const INSTAGRAM_GRAPH_URL = 'https://graph.instagram.com';

export type TokenFamily = 'instagram' | 'facebook' | 'unknown';

/** Which login issued a token, by its prefix; the token itself is never kept or printed. */
export function tokenFamilyOf(token: string): TokenFamily {
  if (token.startsWith('IG')) return 'instagram';
  if (token.startsWith('EAA')) return 'facebook';
  return 'unknown';
}

/**
 * The host when `graphUrl` is not set: graph.instagram.com for an Instagram user token
 * given as a string, else graph.facebook.com (a token function's tokens are not known
 * before the first call).
 */
export function defaultGraphUrlFor(accessToken: unknown): string {
  return typeof accessToken === 'string' && tokenFamilyOf(accessToken) === 'instagram' ? INSTAGRAM_GRAPH_URL : FACEBOOK_GRAPH_URL;
}

/**
 * When a token was sent to the host of the other login, what to do about it; undefined
 * when nothing suggests so. Only Meta's hosts are judged (the emulator or a proxy is not).
 */
export function wrongHostHint(token: string, graphUrl: string): string | undefined {
  const family = tokenFamilyOf(token);
  if (family === 'instagram' && graphUrl === FACEBOOK_GRAPH_URL) {
    return `the token looks like an Instagram user token (Instagram Login), which only ${INSTAGRAM_GRAPH_URL} accepts: set graphUrl to it, or use a Page access token`;
  }
  if (family === 'facebook' && graphUrl === INSTAGRAM_GRAPH_URL) {
    return `the token looks like a Facebook Page or user token (Facebook Login), which only ${FACEBOOK_GRAPH_URL} accepts: set graphUrl to it, or use an Instagram user token`;
  }
  return undefined;
}
