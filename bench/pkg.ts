// The built package the benchmarks measure: `BENCH_DIST` (a build made with bench/method/tempBuild.ts),
// else the package's own dist/, which `npm run bench` builds first. Types come from src/.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Adapter from '../src/adapter/index.js';
import type * as Agents from '../src/agents/index.js';
import type * as Root from '../src/index.js';

export const DIST = resolve(process.env.BENCH_DIST ?? fileURLToPath(new URL('../dist', import.meta.url)));

const entry = (folder: string) => join(DIST, 'esm', folder, 'index.js');

/** Whether the build has this entry folder (`agents`, `telemetry`, …); rows that need a missing one are pending. */
export function built(folder: string): boolean {
  return existsSync(entry(folder));
}

const load = <T>(folder: string) => import(pathToFileURL(entry(folder)).href) as Promise<T>;

export const loadRoot = () => load<typeof Root>('');
export const loadAdapter = () => load<typeof Adapter>('adapter');
export const loadAgents = () => load<typeof Agents>('agents');

/** A module of the build that no entry exports, for rows that measure one internal step (`agents/activity.js`). */
export const loadInternal = <T>(path: string) => import(pathToFileURL(join(DIST, 'esm', path)).href) as Promise<T>;
