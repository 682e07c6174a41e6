import { cpus, loadavg } from 'node:os';
import type { Machine } from './types.js';

/** The machine a run measured, with the load average before it (after: `finish`). */
export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadBefore: loadavg().map(round),
    loadAfter: [],
    date: new Date().toISOString(),
  };
}

export function finish(machine: Machine): Machine {
  return { ...machine, loadAfter: loadavg().map(round) };
}

const round = (n: number) => Math.round(n * 100) / 100;
