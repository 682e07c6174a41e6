import { type ChildProcess, fork } from 'node:child_process';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Report, Request } from './botProcess.js';
import { childEnv } from '../support/childEnv.js';

type Question = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One bot process, spoken to over IPC. */
export interface BotInstance {
  readonly webhookUrl: string;
  ask<T>(question: Question): Promise<T>;
  peek(businessId: string, igsid: string): Promise<string | undefined>;
  report(): Promise<Report>;
  close(): Promise<void>;
}

/** Starts `test/multiInstance/botProcess.ts` in its own Node process (tsx), resolving once its store has connected. */
export async function startBot(env: Record<string, string>): Promise<BotInstance> {
  const child: ChildProcess = fork('test/multiInstance/botProcess.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: childEnv({ ...env, DEBUG: process.env.BOT_DEBUG ?? '' }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (value: unknown) => void>();
  let next = 0;
  const webhookUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a bot process exited before it was ready (code ${code})`)));
    child.on('message', (message: { ready?: string; id?: number; value?: unknown }) => {
      if (message.ready) resolve(message.ready);
      else if (message.id !== undefined) {
        pending.get(message.id)?.(message.value);
        pending.delete(message.id);
      }
    });
  });
  const ask = <T>(question: Question): Promise<T> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve as (value: unknown) => void);
      child.send({ ...question, id });
    });
  return {
    webhookUrl,
    ask,
    peek: (businessId, igsid) => ask({ type: 'peek', businessId, igsid }),
    report: () => ask({ type: 'report' }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close', id: next++ });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A loopback round-robin HTTP proxy: each webhook POST goes to the next bot, as a load balancer would send it. */
export interface RoundRobinProxy {
  readonly url: string;
  /** For every mid, the instances (by index) its deliveries reached, in order. */
  readonly landings: Map<string, number[]>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const landings = new Map<string, number[]>();
  let turn = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = turn++ % targets.length;
      const body = Buffer.concat(chunks);
      for (const mid of midsOf(body)) landings.set(mid, [...(landings.get(mid) ?? []), index]);
      const upstream = httpRequest(targets[index]!, { method: req.method, headers: req.headers, agent }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/instagram`,
    landings,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

function midsOf(body: Buffer): string[] {
  try {
    const payload = JSON.parse(body.toString('utf8')) as { entry?: Array<{ messaging?: Array<{ message?: { mid?: string } }> }> };
    return (payload.entry ?? []).flatMap((entry) => (entry.messaging ?? []).flatMap((item) => (item.message?.mid ? [item.message.mid] : [])));
  } catch {
    return [];
  }
}

/** Runs `tasks` with at most `concurrency` at once. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
