import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from './emulator.js';
import type { FaultRule } from './faults.js';
import { parseJson, readBody, sendJson } from './http.js';
import type { RateLimitSettings } from './rateLimit.js';

const CONTROL_BODY_LIMIT = 65_536;

type Body = Record<string, unknown>;

function str(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new TypeError(`"${key}" must be a string`);
  return value;
}

/** Persona actions of the control API: `POST /_emulator/personas/<key>/<action>`. */
const ACTIONS: Record<string, (emulator: Emulator, key: string, body: Body) => Promise<unknown> | unknown> = {
  sends: (e, key, body) => e.persona(key).sends(str(body, 'text'), { standby: body.standby === true }),
  'taps-icebreaker': (e, key, body) => e.persona(key).tapsIcebreaker(str(body, 'payload')),
  'taps-menu': (e, key, body) => e.persona(key).tapsMenu(str(body, 'payload')),
  'taps-quick-reply': (e, key, body) => e.persona(key).tapsQuickReply(str(body, 'payload'), typeof body.title === 'string' ? body.title : undefined),
  reacts: (e, key, body) => e.persona(key).reacts(str(body, 'mid'), typeof body.emoji === 'string' ? body.emoji : undefined),
  reads: (e, key, body) => e.persona(key).reads(str(body, 'mid')),
  comments: (e, key, body) => e.persona(key).comments(str(body, 'text')),
  block: (e, key) => e.persona(key).blocksBusiness(),
  unblock: (e, key) => e.persona(key).unblocksBusiness(),
};

function summary(result: unknown): unknown {
  if (result && typeof result === 'object' && 'status' in result && 'mids' in result) {
    const { status, mids, body } = result as { status: number; mids: string[]; body: string };
    return { delivered: true, status, mids, body };
  }
  return { ok: true };
}

/**
 * The control API under `/_emulator/`, so another process (the playground, a test in another
 * language) can make personas act and read what the bot did. JSON in, JSON out.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, emulator: Emulator): Promise<void> {
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  let body: Body = {};
  if (method === 'POST') {
    const raw = await readBody(req, CONTROL_BODY_LIMIT);
    const json = raw === undefined ? undefined : raw.length === 0 ? {} : parseJson(raw);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return sendJson(res, 400, { error: 'The body must be a JSON object' });
    body = json as Body;
  } else {
    req.resume();
  }
  try {
    const [resource, key, action] = parts;
    if (method === 'GET' && resource === 'state') return sendJson(res, 200, emulator.state());
    if (method === 'GET' && resource === 'personas' && key === undefined) return sendJson(res, 200, emulator.personas);
    if (method === 'POST' && resource === 'personas' && key !== undefined && action !== undefined && Object.hasOwn(ACTIONS, action)) {
      return sendJson(res, 200, summary(await ACTIONS[action]!(emulator, key, body)));
    }
    if (method === 'GET' && resource === 'sent') return sendJson(res, 200, emulator.sent(url.searchParams.get('igsid') ?? undefined, { includeActions: url.searchParams.get('actions') === 'true' }));
    if (method === 'GET' && resource === 'stats') return sendJson(res, 200, emulator.stats.toJSON());
    if (method === 'POST' && resource === 'stats' && key === 'reset') return emulator.stats.reset(), sendJson(res, 200, { ok: true });
    if (method === 'POST' && resource === 'faults') return emulator.faults.inject(body as unknown as FaultRule), sendJson(res, 200, emulator.faults.list());
    if (method === 'DELETE' && resource === 'faults') return emulator.faults.clear(), sendJson(res, 200, []);
    if (method === 'POST' && resource === 'rate-limit') return emulator.rateLimit.set(body as RateLimitSettings), sendJson(res, 200, emulator.rateLimit.settings);
    if (method === 'POST' && resource === 'webhook-url') return emulator.setWebhookUrl(str(body, 'url')), sendJson(res, 200, { ok: true });
    return sendJson(res, 404, { error: `No control route ${method} ${url.pathname}` });
  } catch (error) {
    return sendJson(res, 400, { error: (error as Error).message });
  }
}
