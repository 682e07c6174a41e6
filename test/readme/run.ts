import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ExampleProject, PlacedExample } from './project.js';

export interface ExampleRun {
  code: number | null;
  timedOut: boolean;
  output: string;
}

/** A free loopback port for the example's bot (`PORT`), so examples never collide with anything listening on 3978. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Runs a runnable example as its reader would: the JavaScript tsc emitted (nodenext), with
 * plain Node, no loader, and an environment holding no Instagram secrets. The example's own
 * asserts decide; it must also close what it opens, or it is stopped after `timeoutMs`.
 */
export async function runExample(project: ExampleProject, placed: PlacedExample, timeoutMs = 30_000): Promise<ExampleRun> {
  const script = join(project.dir, 'out', placed.path.replace(/^examples\//, '').replace(/\.ts$/, '.js'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(await freePort()), NODE_OPTIONS: '' };
  const child = spawn(process.execPath, [script], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, timedOut, output };
}
