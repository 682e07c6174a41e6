import {
  AccessTokenError,
  ConsentRequiredError,
  GraphApiError,
  type GraphApiErrorFields,
  type GraphErrorBody,
  PermissionError,
  ProfileNotFoundError,
  RateLimitError,
} from '../errors.js';
import { isRecord } from '../internal/json.js';

/**
 * Graph error codes and how this package treats them. Messages change per call, so
 * classification is by code and subcode only (the one exception, appsecret_proof, is noted).
 */
const CONSENT_REQUIRED_CODE = 230;
const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 17, 32, 613, 80001, 80002, 80006]);
/** Code 4 throttles the whole app; the others one business (page, account or user). */
export const APP_RATE_LIMIT_CODE = 4;
/** 1200 is the Send API's "temporary send message failure". */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2, 341, 368, 1200]);
const TOKEN_CODES: ReadonlySet<number> = new Set([190, 102]);
const NOT_FOUND_SUBCODES_OF_100: ReadonlySet<number> = new Set([33, 2534014]);
const PAGE_NOT_LINKED_SUBCODE = 2534013;
const NO_MATCHING_USER_CODE = 9010;

/**
 * Whether the same request may succeed later: `transient` (again after a short backoff),
 * `throttled` (again once the limit lifts), or `permanent` (never as it is).
 */
export type RetryClass = 'transient' | 'throttled' | 'permanent';

/** Codes whose class holds whatever the status or `is_transient` say ("230 never is transient, even as HTTP 500"). */
const RETRY_CLASS_BY_CODE: ReadonlyMap<number, RetryClass> = new Map<number, RetryClass>([
  ...[...RATE_LIMIT_CODES].map((code) => [code, 'throttled'] as const),
  ...[...TOKEN_CODES].map((code) => [code, 'permanent'] as const),
  [CONSENT_REQUIRED_CODE, 'permanent'],
  [NO_MATCHING_USER_CODE, 'permanent'],
  ...[...TRANSIENT_CODES].map((code) => [code, 'transient'] as const),
]);

/**
 * The retry class of a Graph error: by code from the table above; otherwise transient
 * when Graph says `is_transient` or answered 5xx, permanent for any other 4xx.
 */
export function retryClassOf(status: number, error: GraphErrorBody): RetryClass {
  const byCode = error.code === undefined ? undefined : RETRY_CLASS_BY_CODE.get(error.code);
  if (byCode !== undefined) return byCode;
  return error.is_transient === true || status >= 500 ? 'transient' : 'permanent';
}

/** Reads `{"error": {...}}`; undefined when `body` is not a Graph error envelope. */
export function readErrorEnvelope(body: unknown): GraphErrorBody | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const record = body.error;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  const int = (key: string) => (Number.isSafeInteger(record[key]) ? (record[key] as number) : undefined);
  const envelope: GraphErrorBody = {
    message: text('message'),
    type: text('type'),
    code: int('code'),
    error_subcode: int('error_subcode'),
    is_transient: record.is_transient === true,
    error_user_title: text('error_user_title'),
    error_user_msg: text('error_user_msg'),
    fbtrace_id: text('fbtrace_id'),
  };
  // An envelope with neither code nor message is not one Graph would send.
  return envelope.code !== undefined || envelope.message !== undefined ? envelope : undefined;
}

/** Whether a Graph error may succeed when retried soon. Code 230 never is, even as HTTP 500. */
export function isTransientGraphError(status: number, error: GraphErrorBody): boolean {
  return retryClassOf(status, error) === 'transient';
}

function isPermissionCode(code: number, subcode: number | undefined): boolean {
  return code === 3 || code === 10 || (code >= 200 && code <= 299) || (code === 100 && subcode === PAGE_NOT_LINKED_SUBCODE);
}

/**
 * Turns an HTTP status and a Graph error envelope into the typed error. `retryAfterMs` is
 * used for rate-limit errors (the caller derives it from the usage headers). `redact`
 * removes secrets from Graph's message, which may echo what was sent.
 */
export function graphErrorFrom(
  status: number,
  error: GraphErrorBody,
  options: { retryAfterMs?: number; redact?: (text: string) => string } = {},
): GraphApiError {
  const code = error.code;
  const subcode = error.error_subcode;
  // Every text Graph sends back may echo what it was sent.
  const clean = (text: string | undefined) => (text === undefined || !options.redact ? text : options.redact(text));
  const fields: GraphApiErrorFields = {
    status,
    graphCode: code,
    subcode,
    type: clean(error.type),
    fbtraceId: clean(error.fbtrace_id),
    isTransient: isTransientGraphError(status, error),
    userMessage: clean(error.error_user_msg),
  };
  const raw = error.message ?? 'Graph API error';
  const detail = clean(raw) ?? raw;
  const message = `Graph API error ${code ?? 'without code'}${subcode !== undefined ? `/${subcode}` : ''} (HTTP ${status}): ${detail}`;

  if (code === CONSENT_REQUIRED_CODE) return new ConsentRequiredError(message, fields);
  if (code === NO_MATCHING_USER_CODE || (code === 100 && subcode !== undefined && NOT_FOUND_SUBCODES_OF_100.has(subcode))) {
    return new ProfileNotFoundError(message, fields);
  }
  if (code !== undefined && TOKEN_CODES.has(code)) return new AccessTokenError(message, fields);
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return new RateLimitError(message, fields, options.retryAfterMs ?? 0);
  if (code !== undefined && isPermissionCode(code, subcode)) return new PermissionError(message, fields);
  // The one case Meta signals only in text: a missing or wrong appsecret_proof (code 100).
  if (code === 100 && /appsecret_proof/i.test(raw)) return new PermissionError(message, fields);
  return new GraphApiError(message, fields);
}
