import { createHmac, timingSafeEqual } from 'node:crypto';
import { appSecretProof } from '../platform/signatures.js';
import { errors, type MetaError } from './metaErrors.js';
import type { ResolvedEmulatorOptions } from './options.js';

const PROOF_MAX_AGE_S = 300;

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The access token of a Graph request: `access_token` query parameter or `Authorization: Bearer/OAuth`. */
export function tokenOf(query: URLSearchParams, authorization: string | undefined): string | undefined {
  const fromQuery = query.get('access_token');
  if (fromQuery) return fromQuery;
  const match = authorization ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization) : null;
  return match?.[1];
}

/** Checks the token and the appsecret_proof as Meta does; undefined when the call may proceed. */
export function authenticate(options: ResolvedEmulatorOptions, query: URLSearchParams, authorization: string | undefined): MetaError | undefined {
  const token = tokenOf(query, authorization);
  if (!token) return errors.tokenMissing();
  if (token !== options.accessToken) {
    const known = options.accessTokens[token];
    if (known?.expired) return errors.tokenExpired(options.now() - 86_400_000);
    if (known?.invalid) return errors.tokenInvalid();
    if (!known) return errors.tokenMalformed();
  }
  const proof = query.get('appsecret_proof');
  if (!proof) return options.requireProof ? errors.proofMissing() : undefined;
  const time = query.get('appsecret_time');
  if (time === null) {
    // The older form: HMAC of the token alone.
    const legacy = createHmac('sha256', options.appSecret).update(token).digest('hex');
    return sameHex(proof, legacy) ? undefined : errors.proofInvalid();
  }
  const seconds = Number(time);
  if (!/^\d{1,12}$/.test(time)) return errors.proofInvalid();
  if (!sameHex(proof, appSecretProof(token, options.appSecret, seconds))) return errors.proofInvalid();
  const age = options.now() / 1000 - seconds;
  return age > PROOF_MAX_AGE_S || age < -PROOF_MAX_AGE_S ? errors.proofStale() : undefined;
}
