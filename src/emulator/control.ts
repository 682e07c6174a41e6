import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseJson } from '../internal/json.js';
import { actionForRoute, argsFromJson, buildAction } from './actions.js';
import { refuseControl } from './controlGuard.js';
import type { FaultRule } from './faults.js';
import { readRequestBody, sendJson } from './http.js';
import { webhookUrlOption } from './options.js';
import type { RateLimitSettings } from './rateLimit.js';
import { deliverBatch, type Delivery } from './webhooks.js';
import type { PersonaState, World } from './world.js';

const CONTROL_BODY_LIMIT = 65_536;

type Body = Record<string, unknown>;

function summary({ status, mids, body }: Delivery) {
  return { delivered: true, status, mids, body };
}

/** Persona state changes that post nothing. */
const PERSONA_SWITCHES: Record<string, (state: PersonaState) => void> = {
  block: (state) => void (state.blocksBusiness = true),
  unblock: (state) => void (state.blocksBusiness = false),
  follow: (state) => void (state.followsBusiness = true),
  unfollow: (state) => void (state.followsBusiness = false),
};

async function personaRoute(world: World, key: string, route: string, body: Body): Promise<unknown> {
  const state = world.byKey(key);
  const name = actionForRoute(route);
  if (name) return summary(await deliverBatch(world, [buildAction(state, world.options, name, argsFromJson(name, body))]));
  const flip = Object.hasOwn(PERSONA_SWITCHES, route) ? PERSONA_SWITCHES[route] : undefined;
  if (!flip) return undefined;
  flip(state);
  return { ok: true };
}

/** The JSON body of a control request: an object, `{}` when empty, undefined when it is not JSON or too large. */
async function controlBody(req: IncomingMessage): Promise<Body | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return req.resume(), {};
  const raw = await readRequestBody(req, CONTROL_BODY_LIMIT);
  if (raw === undefined) return undefined;
  if (raw.length === 0) return {};
  const json = parseJson(raw);
  return isRecord(json) ? json : undefined;
}

/**
 * The control API under `/_emulator/`, so another process (the playground, a test in another
 * language) can make personas act and read what the bot did. JSON in, JSON out; requests
 * from other origins, other hosts or without a JSON content type are refused (controlGuard).
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, world: World): Promise<void> {
  const method = req.method ?? 'GET';
  const refusal = refuseControl(method, req.headers, world.baseUrl);
  if (refusal) return req.resume(), sendJson(res, refusal.status, { error: refusal.error });
  const body = await controlBody(req);
  if (body === undefined) return sendJson(res, 400, { error: 'The body must be a JSON object' });
  const [resource, key, action] = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  try {
    if (method === 'GET' && resource === 'state') return sendJson(res, 200, world.snapshot());
    if (method === 'GET' && resource === 'personas' && key === undefined) return sendJson(res, 200, world.snapshot().personas);
    if (method === 'POST' && resource === 'personas' && key !== undefined && action !== undefined) {
      const answer = await personaRoute(world, key, action, body);
      if (answer !== undefined) return sendJson(res, 200, answer);
    }
    if (method === 'GET' && resource === 'sent') return sendJson(res, 200, world.sentTo(url.searchParams.get('igsid') ?? undefined, url.searchParams.get('actions') === 'true'));
    if (method === 'GET' && resource === 'stats') return sendJson(res, 200, world.stats.toJSON());
    if (method === 'POST' && resource === 'stats' && key === 'reset') return world.stats.reset(), sendJson(res, 200, { ok: true });
    if (method === 'POST' && resource === 'faults') return world.faults.inject(body as unknown as FaultRule), sendJson(res, 200, world.faults.list());
    if (method === 'DELETE' && resource === 'faults') return world.faults.clear(), sendJson(res, 200, []);
    if (method === 'POST' && resource === 'rate-limit') return world.rateLimit.set(body as RateLimitSettings), sendJson(res, 200, world.rateLimit.settings);
    if (method === 'POST' && resource === 'webhook-url') {
      if (body.url === undefined) throw new TypeError('"url" must be a string');
      world.webhookUrl = webhookUrlOption(body.url);
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: `No control route ${method} ${url.pathname}` });
  } catch (error) {
    return sendJson(res, 400, { error: (error as Error).message });
  }
}
