import createDebug from 'debug';
import { queryOf } from '../webhook/http.js';
import type { CallbackHandler } from './callbacks.js';
import { methodAllowed, respondJson } from './http.js';
import { type DeletionStatusHandlerOptions, resolveStatusOptions } from './options.js';
import { type DeletionRecord, type DeletionStatus, isConfirmationCode } from './statusStore.js';

const log = createDebug('instagram-profile:deletion');

/** What the status page answers for a known code. */
export interface DeletionStatusReply {
  confirmation_code: string;
  status: DeletionStatus;
  /** ISO 8601. */
  requestedAt: string;
  /** ISO 8601, once the purge finished (complete or failed). */
  completedAt?: string;
}

/**
 * The status page Meta links to (`statusUrl?code=…`): `{ confirmation_code, status,
 * requestedAt, completedAt? }` as JSON, 404 for an unknown code, 400 for a malformed one.
 */
export function createDeletionStatusHandler(options: DeletionStatusHandlerOptions): CallbackHandler {
  const store = resolveStatusOptions(options);
  return async (req, res) => {
    if (!methodAllowed(req, res, ['GET', 'HEAD'])) return;
    const code = queryOf(req).get('code');
    if (!isConfirmationCode(code)) {
      respondJson(res, 400, { error: 'the code parameter is missing or malformed' });
      return;
    }
    let found: DeletionRecord | undefined;
    try {
      found = await store.get(code);
    } catch (error) {
      log('could not read the status of a deletion request: %s', error instanceof Error ? error.message : typeof error);
      respondJson(res, 503, { error: 'the status cannot be read right now' });
      return;
    }
    if (found === undefined || found === null) respondJson(res, 404, { error: 'unknown confirmation code' });
    else respondJson(res, 200, statusReply(code, found));
  };
}

function statusReply(code: string, { status, requestedAt, completedAt }: DeletionRecord): DeletionStatusReply {
  const reply: DeletionStatusReply = { confirmation_code: code, status, requestedAt: new Date(requestedAt).toISOString() };
  if (completedAt !== undefined) reply.completedAt = new Date(completedAt).toISOString();
  return reply;
}
