import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Emulator, Persona } from 'botbuilder-instagram-profile/emulator';
import type { Inspector } from '../samples/shared/inspector.js';

const PUBLIC = join(import.meta.dirname, 'public');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const REPLY_WAIT_MS = 4_000;

type GraphMode = 'normal' | 'slow' | 'failing';

interface UserLine {
  from: 'user';
  at: number;
  text: string;
  kind: 'message' | 'icebreaker' | 'menu' | 'quick-reply' | 'comment';
  delivered: boolean;
  note?: string;
}

/**
 * The playground's server: static files, and a small JSON API over the emulator and the
 * bot's inspector. Sample code: it shows the library at work, it is not part of it.
 */
export class Playground {
  readonly #lines = new Map<string, UserLine[]>();
  readonly #hidden = new Set<string>();
  #graph: GraphMode = 'normal';
  #server: Server | undefined;

  constructor(
    private readonly emulator: Emulator,
    private readonly inspector: Inspector,
  ) {}

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => send(res, 500, { error: (error as Error).message }));
    });
    await new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(port, host, resolve);
    });
    return `http://${host}:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground.local');
    const [, api, resource, key] = url.pathname.split('/');
    if (api !== 'api') return this.#static(url.pathname, res);
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (req.method === 'GET' && resource === 'state') return send(res, 200, this.#state());
    if (req.method === 'GET' && resource === 'thread' && key) return send(res, 200, this.#thread(this.emulator.persona(key)));
    if (req.method === 'POST' && resource === 'act' && key) return send(res, 200, await this.#act(this.emulator.persona(key), body));
    if (req.method === 'POST' && resource === 'hide' && key) return send(res, 200, this.#hide(this.emulator.persona(key), body.hidden === true));
    if (req.method === 'POST' && resource === 'graph') return send(res, 200, this.#setGraph(body.mode));
    return send(res, 404, { error: 'not found' });
  }

  #state() {
    return {
      business: this.emulator.businessId,
      icebreakers: this.emulator.icebreakers,
      persistentMenu: this.emulator.persistentMenu,
      graph: this.#graph,
      profileCalls: this.emulator.stats.profileCalls(),
      personas: this.emulator.personas.map((p) => ({
        ...p.toJSON(),
        avatar: p.toJSON().hasPicture ? `${this.emulator.url}/_emulator/pictures/${p.igsid}.svg?oe=${(Math.floor(Date.now() / 1000) + 86_400).toString(16)}` : null,
        hidden: this.#hidden.has(p.igsid),
        calls: this.emulator.stats.profileCalls(p.igsid),
      })),
    };
  }

  #thread(persona: Persona) {
    const bot = persona.received().map((m) => ({ from: 'bot' as const, at: m.at, text: m.text ?? `[${m.attachment?.type ?? 'message'}]`, quickReplies: m.quickReplies ?? [] }));
    const lines = [...(this.#lines.get(persona.igsid) ?? []), ...bot].sort((a, b) => a.at - b.at);
    const turns = this.inspector.turns.filter((t) => t.igsid === persona.igsid);
    return { persona: persona.key, lines, lastTurn: turns.at(-1) ?? null, calls: this.emulator.stats.profileCalls(persona.igsid), totalCalls: this.emulator.stats.profileCalls(), hidden: this.#hidden.has(persona.igsid), graph: this.#graph };
  }

  async #act(persona: Persona, body: Record<string, unknown>) {
    const text = typeof body.text === 'string' ? body.text.slice(0, 1_000) : '';
    const payload = typeof body.payload === 'string' ? body.payload : '';
    const title = typeof body.title === 'string' ? body.title : payload;
    const before = persona.received().length;
    const line: UserLine = { from: 'user', at: Date.now(), text, kind: 'message', delivered: true };
    const actions: Record<string, () => Promise<unknown>> = {
      message: () => persona.sends(text),
      icebreaker: () => ((line.text = title), persona.tapsIcebreaker(payload)),
      menu: () => ((line.text = title), persona.tapsMenu(payload)),
      'quick-reply': () => ((line.text = title), persona.tapsQuickReply(payload, title)),
      comment: () => ((line.text = text), persona.comments(text)),
    };
    const kind = String(body.kind);
    const act = actions[kind];
    if (!act) throw new Error(`unknown action ${kind}`);
    line.kind = kind as UserLine['kind'];
    this.#remember(persona, line);
    try {
      await act();
      // Comments grant no consent and get no DM; everything else should get an answer.
      if (kind !== 'comment') await this.emulator.waitForSent(persona.igsid, { count: before + 1, timeoutMs: REPLY_WAIT_MS }).catch(() => undefined);
    } catch (error) {
      line.delivered = false;
      line.note = (error as Error).message.includes('blocked') ? 'Instagram delivered nothing: this person has blocked the business.' : (error as Error).message;
    }
    return this.#thread(persona);
  }

  /** Makes the profile unreadable, as Meta answers for someone who blocked the business (100/33). */
  #hide(persona: Persona, hidden: boolean) {
    if (hidden) this.#hidden.add(persona.igsid);
    else this.#hidden.delete(persona.igsid);
    this.#applyFaults();
    return this.#thread(persona);
  }

  #setGraph(mode: unknown) {
    if (mode !== 'normal' && mode !== 'slow' && mode !== 'failing') throw new Error('mode must be normal, slow or failing');
    this.#graph = mode;
    this.#applyFaults();
    return this.#state();
  }

  #applyFaults(): void {
    const { faults } = this.emulator;
    faults.clear();
    for (const igsid of this.#hidden) faults.inject({ kind: 'graph-error', igsid, graphError: { code: 100, subcode: 33, type: 'GraphMethodException', message: 'Unsupported get request.' } });
    // Slower than the bot's 2 s timeout: the lookup gives up and the bot answers without a name.
    if (this.#graph === 'slow') faults.inject({ kind: 'latency', latencyMs: 2_500 });
    if (this.#graph === 'failing') faults.inject({ kind: 'status', status: 503 });
  }

  #remember(persona: Persona, line: UserLine): void {
    const lines = this.#lines.get(persona.igsid) ?? [];
    lines.push(line);
    this.#lines.set(persona.igsid, lines);
  }

  async #static(path: string, res: ServerResponse): Promise<void> {
    const file = path === '/' ? 'index.html' : path.slice(1);
    if (!/^[a-z0-9-]+\.(html|js|css|svg)$/.test(file)) return send(res, 404, { error: 'not found' });
    try {
      const content = await readFile(join(PUBLIC, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(content);
    } catch {
      send(res, 404, { error: 'not found' });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
