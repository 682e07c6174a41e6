import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson } from '../internal/json.js';
import { authenticate } from './auth.js';
import type { FaultRule } from './faults.js';
import { readRequestBody, sendJson, sendText } from './http.js';
import { errors, metaError } from './metaErrors.js';
import { answerProfile, type Flavor, type GraphAnswer } from './profileRoute.js';
import { answerSend } from './sendRoute.js';
import type { RouteName } from './stats.js';
import type { World } from './world.js';

/** `/<version>/<node>` on the Facebook host's paths, `/ig/<version>/<node>` on the Instagram host's. */
const GRAPH_PATH = /^\/(ig\/)?(v\d{1,3}\.\d{1,2})\/([^/]+)(\/messages)?\/?$/;

export interface GraphContext {
  world: World;
  /** Responses left hanging by a `hang` fault, ended on close. */
  hanging: Set<ServerResponse>;
}

function answer(res: ServerResponse, result: GraphAnswer, headers: Record<string, string>): void {
  sendJson(res, result.status, result.body, headers);
}

/** Applies a fault; true when it answered (or deliberately did not). */
async function applyFault(fault: FaultRule, res: ServerResponse, context: GraphContext, headers: Record<string, string>): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1_000));
      return false;
    case 'status':
      answer(res, errors.unknown(fault.status ?? 500), headers);
      return true;
    case 'transient':
      answer(res, errors.transient(), headers);
      return true;
    case 'graph-error': {
      const e = fault.graphError ?? { code: 1 };
      const extra = { ...(e.subcode === undefined ? {} : { error_subcode: e.subcode }), ...(e.isTransient ? { is_transient: true } : {}) };
      answer(res, metaError(e.status ?? 400, e.code, e.message ?? `Injected Graph error ${e.code}`, e.type ?? 'OAuthException', extra), headers);
      return true;
    }
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'hang':
      context.hanging.add(res);
      res.on('close', () => context.hanging.delete(res));
      return true;
    case 'html':
      sendText(res, 502, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', headers);
      return true;
    case 'truncated':
      sendText(res, 200, 'application/json; charset=UTF-8', '{"name":"Ada Lovelace","username":"ad', headers);
      return true;
    case 'error-body-200':
      answer(res, { ...errors.transient(), status: 200 }, headers);
      return true;
    case 'wrong-types':
      sendJson(res, 200, { name: 42, follower_count: 'many', is_user_follow_business: 'yes', profile_pic: false }, headers);
      return true;
  }
}

/** Serves the User Profile API and the Send API; true when the path was a Graph path. */
export async function handleGraph(req: IncomingMessage, res: ServerResponse, url: URL, context: GraphContext): Promise<boolean> {
  const match = GRAPH_PATH.exec(url.pathname);
  if (!match) return false;
  const { world } = context;
  const [, igPrefix, version, node, messages] = match as unknown as [string, string | undefined, string, string, string | undefined];
  const flavor: Flavor = igPrefix ? 'instagram' : 'facebook';
  const route: RouteName = messages ? 'send' : 'profile';
  const node_ = decodeURIComponent(node);
  world.stats.record(route, route === 'profile' ? node_ : undefined);

  let body: Buffer | undefined;
  if (req.method === 'POST') {
    body = await readRequestBody(req, world.options.maxBodyBytes);
    if (body === undefined) return answer(res, errors.bodyTooLarge(), {}), true;
  } else {
    req.resume();
  }

  const auth = authenticate(world.options, url.searchParams, req.headers.authorization);
  if (auth) return answer(res, auth, {}), true;
  const usage = world.rateLimit.admit();
  if (usage.error) return answer(res, usage.error, usage.headers), true;
  const fault = world.faults.pick(route, route === 'profile' ? node_ : undefined);
  if (fault && (await applyFault(fault, res, context, usage.headers))) return true;

  if (route === 'profile') {
    if (req.method !== 'GET') return answer(res, errors.unknownPath(url.pathname), usage.headers), true;
    answer(res, answerProfile(world, flavor, version, node_, url.searchParams.get('fields'), world.baseUrl), usage.headers);
    return true;
  }
  if (req.method !== 'POST' || (node_ !== 'me' && node_ !== world.options.businessId)) return answer(res, errors.unknownPath(url.pathname), usage.headers), true;
  const json = parseJson(body ?? Buffer.alloc(0));
  answer(res, json === undefined ? errors.badRequest('The request body is not valid JSON') : answerSend(world, json), usage.headers);
  return true;
}
