/**
 * Errors of this package. Every error has a stable string `code`; Graph's own fields are
 * kept as data; the underlying error, when there is one, is the `cause`. No message or
 * property ever holds an access token or an app secret.
 */

export type InstagramProfileErrorCode =
  | 'INVALID_IGSID'
  | 'INVALID_BUSINESS_ID'
  | 'GRAPH_API_ERROR'
  | 'CONSENT_REQUIRED'
  | 'PROFILE_NOT_FOUND'
  | 'ACCESS_TOKEN_INVALID'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED'
  | 'GRAPH_TIMEOUT'
  | 'GRAPH_NETWORK_ERROR'
  | 'GRAPH_BAD_RESPONSE'
  | 'GRAPH_ABORTED'
  | 'CIRCUIT_OPEN'
  | 'LOOKUP_FAILED'
  | 'SEND_UNSUPPORTED'
  | 'SIGNED_REQUEST_INVALID'
  | 'SIGNED_REQUEST_TOO_LARGE'
  | 'SIGNED_REQUEST_BAD_SIGNATURE'
  | 'SIGNED_REQUEST_UNSUPPORTED_ALGORITHM'
  | 'DELETION_STATUS_UNAVAILABLE';

export class InstagramProfileError extends Error {
  override name = 'InstagramProfileError';
  readonly code: InstagramProfileErrorCode | (string & {});

  constructor(message: string, code: InstagramProfileErrorCode | (string & {}), options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Graph's error envelope: `{"error": {...}}`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

export interface GraphApiErrorFields {
  /** HTTP status of the reply (0 when the error was produced locally, e.g. while throttled). */
  status: number;
  graphCode: number | undefined;
  subcode: number | undefined;
  type: string | undefined;
  fbtraceId: string | undefined;
  /** True when the same request may succeed if retried. */
  isTransient: boolean;
  /** Graph's `error_user_msg`, meant for end users, when present. */
  userMessage?: string | undefined;
}

/** The Graph fields of an error made here rather than answered by Graph (a token function that failed, a throttle still running). */
export function localErrorFields(graphCode?: number): GraphApiErrorFields {
  return { status: 0, graphCode, subcode: undefined, type: undefined, fbtraceId: undefined, isTransient: false };
}

/** The Graph API answered, with an error. */
export class GraphApiError extends InstagramProfileError implements GraphApiErrorFields {
  override name = 'GraphApiError';
  readonly status: number;
  readonly graphCode: number | undefined;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly isTransient: boolean;
  readonly userMessage: string | undefined;

  constructor(message: string, fields: GraphApiErrorFields, code: InstagramProfileErrorCode = 'GRAPH_API_ERROR', options?: { cause?: unknown }) {
    super(message, code, options);
    this.status = fields.status;
    this.graphCode = fields.graphCode;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.fbtraceId = fields.fbtraceId;
    this.isTransient = fields.isTransient;
    this.userMessage = fields.userMessage;
  }
}

/** Code 230: the person has not messaged the business, nor tapped an ice breaker or a menu item. */
export class ConsentRequiredError extends GraphApiError {
  override name = 'ConsentRequiredError';
  constructor(message: string, fields: GraphApiErrorFields, options?: { cause?: unknown }) {
    super(message, fields, 'CONSENT_REQUIRED', options);
  }
}

/** 9010, 100/33, 100/2534014: no such Instagram user for this business (or they blocked it). */
export class ProfileNotFoundError extends GraphApiError {
  override name = 'ProfileNotFoundError';
  constructor(message: string, fields: GraphApiErrorFields, options?: { cause?: unknown }) {
    super(message, fields, 'PROFILE_NOT_FOUND', options);
  }
}

/** 190, 102: the access token is invalid or expired and must be renewed. */
export class AccessTokenError extends GraphApiError {
  override name = 'AccessTokenError';
  constructor(message: string, fields: GraphApiErrorFields, options?: { cause?: unknown }) {
    super(message, fields, 'ACCESS_TOKEN_INVALID', options);
  }
}

/** 3, 10, 200–299, 100/2534013: the app or token lacks a permission. */
export class PermissionError extends GraphApiError {
  override name = 'PermissionError';
  constructor(message: string, fields: GraphApiErrorFields, options?: { cause?: unknown }) {
    super(message, fields, 'PERMISSION_DENIED', options);
  }
}

/** 4, 17, 32, 613, 80001, 80002, 80006: throttled. `retryAfterMs` is Meta's estimate, or our backoff. */
export class RateLimitError extends GraphApiError {
  override name = 'RateLimitError';
  readonly retryAfterMs: number;
  constructor(message: string, fields: GraphApiErrorFields, retryAfterMs: number) {
    super(message, fields, 'RATE_LIMITED');
    this.retryAfterMs = retryAfterMs;
  }
}

export type GraphRequestErrorCode = 'GRAPH_TIMEOUT' | 'GRAPH_NETWORK_ERROR' | 'GRAPH_BAD_RESPONSE' | 'GRAPH_ABORTED';

/** The call itself failed: network error, timeout, abort, or a reply that is not what Graph sends. */
export class GraphRequestError extends InstagramProfileError {
  override name = 'GraphRequestError';
  /** HTTP status when a reply arrived, else undefined. */
  readonly status: number | undefined;
  declare readonly code: GraphRequestErrorCode;

  constructor(message: string, code: GraphRequestErrorCode, options?: { cause?: unknown; status?: number | undefined }) {
    super(message, code, options);
    this.status = options?.status;
  }

  /** Timeouts, network errors and 5xx replies may succeed when retried; aborts and bad 2xx/4xx bodies won't. */
  get isTransient(): boolean {
    if (this.code === 'GRAPH_TIMEOUT' || this.code === 'GRAPH_NETWORK_ERROR') return true;
    return this.code === 'GRAPH_BAD_RESPONSE' && this.status !== undefined && this.status >= 500;
  }
}

/** Calls for this business are paused after repeated failures (circuit breaker); `retryAfterMs` until the next probe. */
export class CircuitOpenError extends InstagramProfileError {
  override name = 'CircuitOpenError';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message, 'CIRCUIT_OPEN');
    this.retryAfterMs = retryAfterMs;
  }
}
