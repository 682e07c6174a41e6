import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/**
 * A private `redis-server` for one test file: its own loopback port, no persistence, never
 * the developer's Redis. Tests may stop, crash, restart or reconfigure it mid-test.
 */
export interface RedisTestServer {
  readonly port: number;
  readonly url: string;
  /** Sends one command on a fresh connection and returns the raw RESP reply text. */
  command(...args: (string | number)[]): Promise<string>;
  /**
   * Sends one command and resolves once it is written to the socket, with its reply still to
   * come: a command another connection sends after that reaches Redis after it. For commands
   * that block the server (`DEBUG SLEEP`) while the test goes on.
   */
  sendCommand(...args: (string | number)[]): Promise<{ reply: Promise<string> }>;
  configSet(name: string, value: string | number): Promise<void>;
  /** Stops the server: SIGTERM by default, SIGKILL to simulate a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port, empty (persistence is off). */
  restart(): Promise<void>;
  readonly running: boolean;
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export async function startRedisServer(): Promise<RedisTestServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--enable-debug-command', 'local', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`redis-server exited early with code ${code}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForPong(port), exited]);
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    command: (...args) => sendCommand(port, args),
    sendCommand: (...args) =>
      new Promise((resolve, reject) => {
        const reply = sendCommand(port, args, () => resolve({ reply }));
        reply.catch(reject);
      }),
    configSet: async (name, value) => {
      const reply = await sendCommand(port, ['CONFIG', 'SET', name, value]);
      if (!reply.startsWith('+OK')) throw new Error(`CONFIG SET ${name} failed: ${reply.trim()}`);
    },
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    get running() {
      return child !== undefined;
    },
  };
}

/** Registers mocha hooks: a server started before the suite and stopped after it. */
export function redisServerForSuite(): () => RedisTestServer {
  let server: RedisTestServer | undefined;
  before(async function () {
    this.timeout(10_000);
    server = await startRedisServer();
  });
  after(async () => {
    await server?.stop('SIGKILL');
  });
  return () => {
    if (!server) throw new Error('the Redis test server has not started yet');
    return server;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPong(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await sendCommand(port, ['PING'])).startsWith('+PONG')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not answer PING on port ${port}`);
}

/** One RESP command on its own connection; resolves with the first complete reply line(s). `onSent` runs once it is written. */
function sendCommand(port: number, args: (string | number)[], onSent?: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const done = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply);
    };
    socket.setTimeout(5_000, () => done(new Error('no reply from redis-server')));
    socket.once('error', done);
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (isCompleteReply(reply)) done();
    });
    socket.on('close', () => done());
    socket.connect(port, '127.0.0.1', () => {
      const parts = args.map(String);
      socket.write(`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`, () => onSent?.());
    });
  });
}

/** Enough of RESP for admin replies: simple strings, errors, integers, one bulk string, or a flat array. */
function isCompleteReply(text: string): boolean {
  const lines = text.split('\r\n');
  if (lines.length < 2) return false;
  const head = lines[0]!;
  if ('+-:'.includes(head[0]!)) return true;
  if (head[0] === '$') return Number(head.slice(1)) < 0 || lines.length >= 3;
  if (head[0] === '*') return Number(head.slice(1)) <= 0 || lines.length >= 1 + 2 * Number(head.slice(1)) + 1;
  return true;
}
