export { createDeauthorizeHandler, createDeletionHandler } from './callbacks.js';
export type { CallbackHandler, DeletionHandler, DeletionReply } from './callbacks.js';
export { createDeletionStatusHandler } from './statusHandler.js';
export type { DeletionStatusReply } from './statusHandler.js';
export type { BusinessesOf, BusinessPurger, DeauthorizeHandlerOptions, DeletionHandlerOptions, DeletionStatusHandlerOptions, StatusStoreHolder } from './options.js';
export { createSignedRequest, MAX_SIGNED_REQUEST_LENGTH, parseSignedRequest, SignedRequestError } from './signedRequest.js';
export type { SignedRequestErrorCode, SignedRequestPayload, SignedRequestResult } from './signedRequest.js';
export { MemoryDeletionStatusStore } from './statusStore.js';
export type { DeletionRecord, DeletionStatus, DeletionStatusStore, MemoryDeletionStatusStoreOptions } from './statusStore.js';
