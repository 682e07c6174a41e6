import { randomBytes } from 'node:crypto';

/** Graph error bodies as Meta sends them; messages follow the reference's examples. */
export interface MetaError {
  status: number;
  body: { error: Record<string, unknown> };
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64url');
}

export function metaError(status: number, code: number, message: string, type: string, extra: Record<string, unknown> = {}): MetaError {
  return { status, body: { error: { message, type, code, ...extra, fbtrace_id: fbtraceId() } } };
}

export const errors = {
  tokenMissing: () => metaError(400, 104, 'An access token is required to request this resource.', 'OAuthException'),
  tokenMalformed: () => metaError(400, 190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException'),
  tokenInvalid: () => metaError(400, 190, 'Error validating access token: The session is invalid because the user logged out.', 'OAuthException', { error_subcode: 467 }),
  tokenExpired: (at: number) =>
    metaError(400, 190, `Error validating access token: Session has expired on ${new Date(at).toUTCString()}.`, 'OAuthException', { error_subcode: 463 }),
  proofMissing: () => metaError(400, 100, 'API calls from the server require an appsecret_proof argument', 'GraphMethodException'),
  proofInvalid: () => metaError(400, 100, 'Invalid appsecret_proof provided in the API argument', 'GraphMethodException'),
  proofStale: () => metaError(400, 100, 'The appsecret_proof has expired: appsecret_time is more than 5 minutes old', 'GraphMethodException'),
  nonexistingField: (field: string) => metaError(400, 100, `(#100) Tried accessing nonexisting field (${field}) on node type (User)`, 'OAuthException'),
  unsupportedGet: (id: string) =>
    metaError(
      400,
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      'GraphMethodException',
      { error_subcode: 33 },
    ),
  noMatchingUser: () => metaError(400, 9010, 'No matching Instagram user', 'IGApiException'),
  /** 230: HTTP 400 as graph.facebook.com sends it, 500 as graph.instagram.com does. */
  consentRequired: (status: number) => metaError(status, 230, 'User consent is required to access user profile', 'IGApiException'),
  unknownPath: (path: string) => metaError(400, 2500, `Unknown path components: ${path.slice(0, 100)}`, 'OAuthException'),
  badRequest: (message: string, subcode?: number) => metaError(400, 100, `(#100) ${message}`, 'OAuthException', subcode === undefined ? {} : { error_subcode: subcode }),
  noMatchingRecipient: () => metaError(400, 100, '(#100) No matching user found', 'OAuthException', { error_subcode: 2018001 }),
  outsideWindow: () => metaError(400, 10, '(#10) This message is sent outside of allowed window.', 'OAuthException', { error_subcode: 2018278 }),
  bodyTooLarge: () => metaError(413, 1, 'Request entity too large', 'OAuthException'),
  transient: () => metaError(500, 2, 'An unexpected error has occurred. Please retry your request later.', 'OAuthException', { is_transient: true }),
  unknown: (status: number) => metaError(status, 1, 'An unknown error has occurred.', 'OAuthException'),
  appRateLimit: () => metaError(400, 4, '(#4) Application request limit reached', 'OAuthException', { is_transient: true }),
  accountRateLimit: () =>
    metaError(400, 80002, 'There have been too many calls to this Instagram account. Wait a bit and try again.', 'OAuthException', { is_transient: true }),
};
