import { AccessTokenError, localErrorFields } from '../errors.js';
import type { Deadline } from '../internal/abort.js';
import { redactError, type Redact } from '../internal/redact.js';
import type { AccessTokenProvider } from '../types.js';

/**
 * The token for a business: the configured string, or what the provider function returns,
 * given the deadline's `signal` (made only if the function reads it: most never do).
 * A failing or empty provider becomes an `AccessTokenError`. The provider's own error is
 * kept as `cause` only once `redact` removed the secrets it may name (the app secret, an
 * earlier token).
 */
export async function tokenFor(
  provider: AccessTokenProvider,
  businessId: string | undefined,
  deadline: Deadline,
  redact: Redact,
): Promise<string> {
  if (typeof provider === 'string') return provider;
  let token: unknown;
  try {
    token = await provider(businessId, {
      get signal() {
        return deadline.signal;
      },
    });
  } catch (error) {
    throw new AccessTokenError('The accessToken function failed', localErrorFields(), { cause: redactError(error, redact) });
  }
  if (typeof token !== 'string' || token.length === 0) {
    throw new AccessTokenError(`The accessToken function returned no token for business ${businessId ?? '(none)'}`, localErrorFields());
  }
  return token;
}
