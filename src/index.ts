export { InstagramProfileMiddleware } from './middleware/instagramProfileMiddleware.js';
export type { InstagramProfileMiddlewareOptions } from './middleware/options.js';
export { getInstagramEvent, getInstagramProfile, getProfileChanges } from './middleware/accessors.js';
export type { ProfileChange, ProfileChangeListener, ProfileChanges } from './changes/profileChanges.js';
export { TURN_HANDLE_KEY } from './middleware/turnState.js';
export type { BotkitMessageLike, TurnContextLike, TurnProfileHandle } from './middleware/turnState.js';

export { GraphProfileClient } from './graph/client.js';
export type { FetchProfileOptions } from './graph/client.js';
export type { GraphProfileClientOptions } from './graph/options.js';
export type { CircuitBreakerOptions } from './graph/circuitBreaker.js';
export type { UsageSnapshot } from './graph/rateLimitGate.js';

export { ProfileCache } from './cache/profileCache.js';
export type { ProfileCacheOptions, ProfileLoader } from './cache/profileCache.js';

export { createEventRecognizer, recognizeInstagramEvent } from './events/index.js';
export type { InstagramEvent, InstagramEventKind, InstagramEventOptions } from './events/index.js';

export { audienceTier, displayName, firstName, followStatus, personalize } from './personalize/index.js';
export type { AudienceTier, AudienceTiers, FollowStatus } from './personalize/index.js';

export {
  AccessTokenError,
  CircuitOpenError,
  ConsentRequiredError,
  GraphApiError,
  GraphRequestError,
  InstagramProfileError,
  PermissionError,
  ProfileNotFoundError,
  RateLimitError,
} from './errors.js';
export type { GraphApiErrorFields, GraphErrorBody, GraphRequestErrorCode, InstagramProfileErrorCode } from './errors.js';

export { LATEST_API_VERSION, PROFILE_FIELDS } from './platform/versions.js';
export type { ProfileField } from './platform/versions.js';
export type { AccessTokenProvider, InstagramProfile, ProfileLookup, ProfileLookupFailure, ProfileSource } from './types.js';

export {
  createDeauthorizeHandler,
  createDeletionHandler,
  createDeletionStatusHandler,
  createSignedRequest,
  MemoryDeletionStatusStore,
  parseSignedRequest,
  SignedRequestError,
} from './deletion/index.js';
export type {
  BusinessesOf,
  BusinessPurger,
  CallbackHandler,
  DeauthorizeHandlerOptions,
  DeletionHandler,
  DeletionHandlerOptions,
  DeletionRecord,
  DeletionReply,
  DeletionStatus,
  DeletionStatusHandlerOptions,
  DeletionStatusReply,
  DeletionStatusStore,
  MemoryDeletionStatusStoreOptions,
  SignedRequestErrorCode,
  SignedRequestPayload,
  SignedRequestResult,
  StatusStoreHolder,
} from './deletion/index.js';

export { apiVersionLifecycle } from './platform/versions.js';
export type { ApiVersionLifecycle } from './platform/versions.js';
export { FACEBOOK_GRAPH_URL, INSTAGRAM_GRAPH_URL } from './platform/hosts.js';
