import { randomBytes } from 'node:crypto';
import createDebug from 'debug';
import { respond, type WebhookRequest, type WebhookResponse } from '../webhook/http.js';
import { methodAllowed, respondJson } from './http.js';
import {
  type DeauthorizeHandlerOptions,
  type DeletionHandlerOptions,
  resolveDeletionOptions,
  resolvePurgeOptions,
  type ResolvedDeletionOptions,
} from './options.js';
import { purgeBusinessesOf } from './purge.js';
import { signedRequestField } from './requestBody.js';
import { parseSignedRequest, type SignedRequestPayload } from './signedRequest.js';
import type { DeletionRecord, DeletionStatusStore } from './statusStore.js';

const log = createDebug('instagram-profile:deletion');

/** A Node `http`, Express or Restify handler. It never rejects: every failure is an answer. */
export type CallbackHandler = (req: WebhookRequest, res: WebhookResponse) => Promise<void>;

/** The data-deletion handler, and the store its codes are in (for `createDeletionStatusHandler`). */
export type DeletionHandler = CallbackHandler & { readonly store: DeletionStatusStore };

/** Meta's answer to a data-deletion callback. */
export interface DeletionReply {
  url: string;
  confirmation_code: string;
}

/**
 * The data-deletion request callback: verifies the `signed_request`, purges every business
 * account of its app user, and answers `{ url, confirmation_code }`. A refused request (400)
 * purges nothing; a purge that fails still gets a code, whose status says `failed`.
 */
export function createDeletionHandler(options: DeletionHandlerOptions): DeletionHandler {
  const resolved = resolveDeletionOptions(options);
  const handler = guarded(async (req, res) => {
    const payload = await verifiedCallback(req, res, resolved.appSecret);
    if (payload === undefined) return;
    const code = randomBytes(16).toString('hex');
    const requestedAt = resolved.now();
    // Recorded before purging, so that a crash part-way leaves `pending`, not an unknown code.
    await record(resolved, code, { status: 'pending', requestedAt });
    const status = await purgeBusinessesOf(payload.userId, resolved);
    await record(resolved, code, status === 'pending' ? { status, requestedAt } : { status, requestedAt, completedAt: resolved.now() });
    respondJson(res, 200, deletionReply(resolved.statusUrl, code));
  });
  return Object.assign(handler, { store: resolved.store });
}

/**
 * The deauthorize callback: the business removed the app, so its token is dead and what is
 * held for it is purged. 200 with no body; 500 when the purge failed, so a retry can finish it.
 */
export function createDeauthorizeHandler(options: DeauthorizeHandlerOptions): CallbackHandler {
  const resolved = resolvePurgeOptions(options);
  return guarded(async (req, res) => {
    const payload = await verifiedCallback(req, res, resolved.appSecret);
    if (payload === undefined) return;
    const status = await purgeBusinessesOf(payload.userId, resolved);
    respond(res, status === 'failed' ? 500 : 200, status === 'failed' ? 'the purge failed' : '');
  });
}

/** The verified payload of a POSTed callback, or undefined once the refusal is answered. */
async function verifiedCallback(req: WebhookRequest, res: WebhookResponse, appSecret: string): Promise<SignedRequestPayload | undefined> {
  if (!methodAllowed(req, res, ['POST'])) return undefined;
  const field = await signedRequestField(req);
  if (!field.ok) {
    log('refused a callback: %s', field.reason);
    respond(res, field.status, field.reason);
    return undefined;
  }
  const parsed = parseSignedRequest(field.value, appSecret);
  if (!parsed.ok) {
    log('refused a signed_request (%s): %s', parsed.error.code, parsed.error.message);
    respond(res, 400, parsed.error.message);
    return undefined;
  }
  return parsed.payload;
}

/** A store that fails must not cost Meta its answer: the code is still given, and the failure logged. */
async function record({ store, statusTtlMs }: ResolvedDeletionOptions, code: string, entry: DeletionRecord): Promise<void> {
  try {
    await store.set(code, entry, statusTtlMs);
  } catch (error) {
    log('could not record the status of a deletion request: %s', error instanceof Error ? error.message : typeof error);
  }
}

function deletionReply(statusUrl: URL, code: string): DeletionReply {
  const url = new URL(statusUrl);
  url.searchParams.set('code', code);
  return { url: url.href, confirmation_code: code };
}

/** Express 4 and Node's http ignore a rejected handler: the request would hang. */
function guarded(handle: CallbackHandler): CallbackHandler {
  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      log('callback failed: %s', error instanceof Error ? error.message : typeof error);
      try {
        respond(res, 500, 'internal error');
      } catch {
        // A response with neither end() nor send(): nothing can be answered, and it was logged.
      }
    }
  };
}
