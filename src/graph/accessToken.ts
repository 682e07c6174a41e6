import { AccessTokenError } from '../errors.js';
import type { AccessTokenProvider } from '../types.js';

/**
 * The token for a business: the configured string, or what the provider function returns.
 * A failing or empty provider becomes an `AccessTokenError` (the provider's error as `cause`).
 */
export async function tokenFor(provider: AccessTokenProvider, businessId: string | undefined, signal: AbortSignal = new AbortController().signal): Promise<string> {
  if (typeof provider === 'string') return provider;
  let token: unknown;
  try {
    token = await provider(businessId, { signal });
  } catch (error) {
    throw new AccessTokenError('The accessToken function failed', noGraphFields(), { cause: error });
  }
  if (typeof token !== 'string' || token.length === 0) {
    throw new AccessTokenError(`The accessToken function returned no token for business ${businessId ?? '(none)'}`, noGraphFields());
  }
  return token;
}

function noGraphFields() {
  return { status: 0, graphCode: undefined, subcode: undefined, type: undefined, fbtraceId: undefined, isTransient: false };
}
