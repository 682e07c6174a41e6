import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProfileLookup } from 'botbuilder-instagram-profile';
import type { Emulator, Persona } from 'botbuilder-instagram-profile/emulator';
import { isRecord, parseJson } from '../src/internal/json.js';
import { readBounded } from '../src/internal/readBounded.js';
import type { PlaygroundBot } from './bot.js';
import { duration, explainCache, explainCalls, explainFollowSwitch, type FollowReread } from './explain.js';
import { serveStatic } from './staticFiles.js';

// Past the bot's 2 s lookup deadline, with room for its reply to travel.
const REPLY_WAIT_MS = 4_000;
const MAX_BODY_BYTES = 65_536;
// Slower than the bot's lookup deadline: the lookup gives up and the bot answers without a name.
const SLOW_LATENCY_MS = 2_500;

type GraphMode = 'normal' | 'slow' | 'failing';
type ActionKind = 'message' | 'icebreaker' | 'menu' | 'quick-reply' | 'comment';
const ACTION_KINDS: ReadonlySet<string> = new Set(['message', 'icebreaker', 'menu', 'quick-reply', 'comment']);

interface UserLine {
  from: 'user';
  at: number;
  text: string;
  kind: ActionKind;
  /** True while the bot works on it: the page shows it as sending. */
  pending: boolean;
  delivered: boolean;
  note?: string;
}

/** One action of a persona, and the Graph calls the emulator counted while it ran. */
interface ActRecord {
  at: number;
  calls: number;
  /** Set when the action re-read a profile the bot held fresh: what its follow flags showed. */
  reread?: FollowReread | undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The playground's server: static files, and a small JSON API over the emulator and the bot.
 * Sample code: it shows the library at work, it is not part of it.
 */
export class Playground {
  readonly #lines = new Map<string, UserLine[]>();
  readonly #acts = new Map<string, ActRecord[]>();
  readonly #blocked = new Set<string>();
  /** Each persona's follow flag at start, so the thread header can say when the switch changed it. */
  readonly #followedAtStart: ReadonlyMap<string, boolean>;
  /** One action per persona at a time, so "the bot's next reply" means this action's reply. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #graph: GraphMode = 'normal';

  constructor(
    private readonly emulator: Emulator,
    private readonly bot: PlaygroundBot,
  ) {
    this.#followedAtStart = new Map(emulator.personas.map((p) => [p.igsid, p.followsBusiness]));
  }

  /** The request handler, for `http.createServer`. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.#route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { error: (error as Error).message });
    });
  };

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground.local');
    const [, api, resource, key] = url.pathname.split('/');
    if (api !== 'api') {
      req.resume();
      return serveStatic(url.pathname, res);
    }
    const body = req.method === 'POST' ? await readJson(req) : {};
    const persona = key ? this.#persona(decodeURIComponent(key)) : undefined;
    if (req.method === 'GET' && resource === 'state') return send(res, 200, this.#state());
    if (req.method === 'GET' && resource === 'thread' && persona) return send(res, 200, this.#thread(persona));
    if (req.method === 'POST' && resource === 'act' && persona) return send(res, 200, await this.#serialised(persona, () => this.#act(persona, body)));
    if (req.method === 'POST' && resource === 'block' && persona) return send(res, 200, this.#block(persona, body.blocked === true));
    if (req.method === 'POST' && resource === 'follow' && persona) return send(res, 200, this.#follow(persona, body.follows === true));
    if (req.method === 'POST' && resource === 'forget' && persona) return send(res, 200, await this.#forget(persona));
    if (req.method === 'POST' && resource === 'graph') return send(res, 200, this.#setGraph(body.mode));
    throw new HttpError(404, 'not found');
  }

  #persona(key: string): Persona {
    const persona = this.emulator.personas.find((p) => p.key === key);
    if (!persona) throw new HttpError(404, `no persona "${key}"`);
    return persona;
  }

  #state() {
    return {
      business: this.emulator.businessId,
      bot: this.bot.name,
      icebreakers: this.emulator.icebreakers,
      persistentMenu: this.emulator.persistentMenu,
      graph: this.#graph,
      graphHints: {
        normal: 'Profile reads answer at once.',
        slow: `Profile reads take ${duration(SLOW_LATENCY_MS)}, past the bot's ${duration(this.bot.settings.timeoutMs)} deadline: it answers without a name.`,
        failing: 'Profile reads answer HTTP 503: the bot retries, then answers without a name.',
      } satisfies Record<GraphMode, string>,
      followHint: explainFollowSwitch(this.bot.settings),
      personas: this.emulator.personas.map((p) => ({
        ...p.toJSON(),
        avatar: p.toJSON().hasPicture ? `${this.emulator.url}/_emulator/pictures/${p.igsid}.svg?oe=${(Math.floor(Date.now() / 1000) + 86_400).toString(16)}` : null,
        blocked: this.#blocked.has(p.igsid),
      })),
    };
  }

  #thread(persona: Persona) {
    const bot = persona.received().map((m) => ({ from: 'bot' as const, at: m.at, text: m.text ?? `[${m.attachment?.type ?? 'message'}]`, quickReplies: m.quickReplies ?? [] }));
    // A user line is written only once the turn before it was answered: on a tie in ms, the bot's reply came first.
    const lines = [...(this.#lines.get(persona.igsid) ?? []), ...bot].sort((a, b) => a.at - b.at || (a.from === b.from ? 0 : a.from === 'bot' ? -1 : 1));
    const lastTurn = this.bot.inspector.turns.findLast((t) => t.igsid === persona.igsid) ?? null;
    const acts = this.#acts.get(persona.igsid) ?? [];
    const lastAct = acts.at(-1);
    const blocked = this.#blocked.has(persona.igsid);
    const { settings } = this.bot;
    return {
      persona: persona.key,
      lines,
      lastTurn,
      blocked,
      follows: persona.followsBusiness,
      followNote: this.#followNote(persona),
      graph: this.#graph,
      calls: {
        persona: this.emulator.stats.profileCalls(persona.igsid),
        total: this.emulator.stats.profileCalls(),
        retries: acts.reduce((sum, act) => sum + Math.max(0, act.calls - 1), 0),
        lastMessage: lastAct ? { calls: lastAct.calls, text: explainCalls({ calls: lastAct.calls, turn: lastTurn && lastTurn.at >= lastAct.at ? lastTurn : undefined, reread: lastAct.reread, settings }) } : null,
      },
      cache: explainCache({
        cached: this.#cached(persona),
        blocked,
        readAt: acts.findLast((act) => act.calls > 0)?.at,
        settings,
      }),
    };
  }

  async #serialised<T>(persona: Persona, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(persona.igsid) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.#queues.set(persona.igsid, next.catch(() => undefined));
    return next;
  }

  async #act(persona: Persona, body: Record<string, unknown>) {
    const kind = String(body.kind);
    if (!ACTION_KINDS.has(kind)) throw new HttpError(400, `unknown action ${kind}`);
    const text = typeof body.text === 'string' ? body.text.slice(0, 1_000) : '';
    const payload = typeof body.payload === 'string' ? body.payload : '';
    const title = typeof body.title === 'string' ? body.title : payload;
    const actions: Record<string, () => Promise<unknown>> = {
      message: () => persona.sends(text),
      icebreaker: () => persona.tapsIcebreaker(payload),
      menu: () => persona.tapsMenu(payload),
      'quick-reply': () => persona.tapsQuickReply(payload, title),
      comment: () => persona.comments(text),
    };
    const line: UserLine = { from: 'user', at: Date.now(), text: kind === 'message' || kind === 'comment' ? text : title, kind: kind as ActionKind, pending: true, delivered: true };
    this.#remember(persona, line);
    const repliesBefore = persona.received().length;
    const callsBefore = this.emulator.stats.profileCalls(persona.igsid);
    const cachedBefore = this.#cached(persona);
    try {
      await actions[kind]!();
      // Comments grant no consent and get no DM; everything else should get an answer.
      if (kind !== 'comment') await this.emulator.waitForSent(persona.igsid, { count: repliesBefore + 1, timeoutMs: REPLY_WAIT_MS }).catch(() => undefined);
    } catch (error) {
      line.delivered = false;
      line.note = (error as Error).message.includes('blocked') ? 'Instagram delivered nothing: this person has blocked the business.' : (error as Error).message;
    } finally {
      line.pending = false;
      const calls = this.emulator.stats.profileCalls(persona.igsid) - callsBefore;
      this.#record(persona, { at: line.at, calls, reread: calls > 0 ? followReread(cachedBefore, this.#cached(persona)) : undefined });
    }
    return this.#thread(persona);
  }

  /** Makes the profile unreadable, as Meta answers for someone who blocked the business (100/33). */
  #block(persona: Persona, blocked: boolean) {
    if (blocked) this.#blocked.add(persona.igsid);
    else this.#blocked.delete(persona.igsid);
    this.#applyFaults();
    return this.#thread(persona);
  }

  /** The person follows or unfollows the business: Instagram tells the bot nothing; its next profile read shows it. */
  #follow(persona: Persona, follows: boolean) {
    persona.follows(follows);
    return this.#thread(persona);
  }

  /** Shown in the thread header in place of the persona's description once the switch changed its follow flag. */
  #followNote(persona: Persona): string | null {
    if (persona.followsBusiness === this.#followedAtStart.get(persona.igsid)) return null;
    return persona.followsBusiness ? 'Now follows the business' : 'No longer follows the business';
  }

  #cached(persona: Persona): ProfileLookup | undefined {
    return this.bot.profiles.cache.peek(this.emulator.businessId, persona.igsid);
  }

  /** What a data-deletion request does: the bot's cache lets go of this person. */
  async #forget(persona: Persona) {
    await this.bot.profiles.forget(persona.igsid);
    return this.#thread(persona);
  }

  #setGraph(mode: unknown) {
    if (mode !== 'normal' && mode !== 'slow' && mode !== 'failing') throw new HttpError(400, 'mode must be normal, slow or failing');
    this.#graph = mode;
    this.#applyFaults();
    return this.#state();
  }

  #applyFaults(): void {
    const { faults } = this.emulator;
    faults.clear();
    for (const igsid of this.#blocked) faults.inject({ kind: 'graph-error', igsid, graphError: { code: 100, subcode: 33, type: 'GraphMethodException', message: 'Unsupported get request.' } });
    if (this.#graph === 'slow') faults.inject({ kind: 'latency', latencyMs: SLOW_LATENCY_MS });
    if (this.#graph === 'failing') faults.inject({ kind: 'status', status: 503 });
  }

  #remember(persona: Persona, line: UserLine): void {
    const lines = this.#lines.get(persona.igsid) ?? [];
    lines.push(line);
    this.#lines.set(persona.igsid, lines);
  }

  #record(persona: Persona, act: ActRecord): void {
    const acts = this.#acts.get(persona.igsid) ?? [];
    acts.push(act);
    this.#acts.set(persona.igsid, acts);
  }
}

/**
 * What an action's Graph call found in the follow flags, when the bot already held this
 * profile fresh (so the call was a follow-flag re-read, not a first read or a stale reload).
 */
function followReread(before: ProfileLookup | undefined, after: ProfileLookup | undefined): FollowReread | undefined {
  if (before?.status !== 'ok' || before.source === 'stale' || after?.status !== 'ok') return undefined;
  const was = before.profile.isUserFollowBusiness === true;
  const is = after.profile.isUserFollowBusiness === true;
  return was === is ? 'unchanged' : is ? 'followed' : 'unfollowed';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const read = await readBounded(req as Parameters<typeof readBounded>[0], { maxBytes: MAX_BODY_BYTES, timeoutMs: 10_000 });
  if (!read.ok) {
    req.resume();
    throw new HttpError(read.reason === 'too-large' ? 413 : 400, `request body: ${read.reason}`);
  }
  const value = read.bytes.length === 0 ? {} : parseJson(read.bytes);
  if (!isRecord(value)) throw new HttpError(400, 'request body must be a JSON object');
  return value;
}
