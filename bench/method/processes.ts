import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Metrics, VariantContext } from './types.js';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const MARK = 'BENCH-METRICS ';

/**
 * Node flags of a variant process: tsx, and `--cpu-prof` into `BENCH_CPU_PROF/<group>-<variant>-<pair>/`
 * when set (to profile a row that misses). A folder each: tsx's loader thread writes a profile too,
 * under its own default name; the main thread's is the largest.
 */
function nodeArgs(extra: readonly string[], profileName: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  const profile = dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, profileName)}`] : [];
  return [...extra, ...profile, '--import', 'tsx'];
}

/**
 * Runs one variant in a fresh process (its own V8, JIT and GC history) and returns what it
 * measured. Its stderr passes through; its stdout carries one marked JSON line.
 */
export function runVariant(module: string, variant: string, context: VariantContext, options: { nodeArgs?: readonly string[]; profileName: string }): Promise<Metrics> {
  const args = [...nodeArgs(options.nodeArgs ?? [], options.profileName), join(BENCH, 'method', 'variantProcess.ts'), module, variant, JSON.stringify(context)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let metrics: Metrics | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(MARK)) metrics = JSON.parse(line.slice(MARK.length)) as Metrics;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 && metrics) resolve(metrics);
      else reject(new Error(`${module} ${variant} exited with ${code} and ${metrics ? 'metrics' : 'no metrics'}`));
    });
  });
}

/** Starts the loopback platform server (bench/platform/server.ts) in its own process. */
export async function startPlatform(latencyMs: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH, 'platform', 'server.ts'), String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the platform server exited (${code})`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => void child.kill('SIGTERM') };
}

export { MARK };
