// npm run bench [-- --quick | --tiny] [--only=group,…] [--pairs=N] [--out=path]
// Every row is a ratio (or a difference) against a baseline measured in the same run: each
// variant in a fresh process, A and B alternated over pairs (5 full, 3 quick), each row the
// median with its min and max. Measures the built package: BENCH_DIST, else dist/ (which
// `npm run bench` builds first). BENCH_CPU_PROF=dir adds `--cpu-prof` to every variant process.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { benchArgs } from './method/args.js';
import { externalRow } from './method/external.js';
import { describeMachine, finish } from './method/machine.js';
import { measurePairs } from './method/pairs.js';
import { startPlatform } from './method/processes.js';
import { clock, Progress } from './method/progress.js';
import { pendingRow, summarise } from './method/summarise.js';
import { table } from './method/table.js';
import type { GroupSpec, Results, RowResult } from './method/types.js';
import { built, DIST } from './pkg.js';
import { EXTERNAL_ROWS, GROUPS } from './rows.js';

const { args, mode, pairs, output, only } = benchArgs(process.argv.slice(2), 'bench/results.json');

/** The variants a group can run with this build, and why the others cannot. */
function plan(group: GroupSpec) {
  const runnable = group.variants.filter((v) => v.requires === undefined || built(v.requires));
  const missing = new Map(group.variants.filter((v) => !runnable.includes(v)).map((v) => [v.name, `pending: src/${v.requires}`]));
  return { runnable, missing };
}

async function measureGroup(group: GroupSpec, progress: Progress, plannedTotal: number): Promise<RowResult[]> {
  const { runnable, missing } = plan(group);
  const waiting = (variant: string) => missing.get(variant);
  const rowsToMeasure = group.rows.filter((row) => !waiting(row.ours[0]) && !waiting(row.baseline[0]));
  const pendingRows = group.rows.filter((row) => !rowsToMeasure.includes(row)).map((row) => pendingRow(group.id, row, waiting(row.ours[0]) ?? waiting(row.baseline[0])!));
  for (const row of pendingRows) progress.note(`${row.title}: ${row.pending}`);
  if (rowsToMeasure.length === 0) return pendingRows;
  progress.stage(group.title, runnable.length * pairs);
  const server = group.server ? await startPlatform(group.server.latencyMs) : undefined;
  let measured;
  try {
    measured = await measurePairs(group, runnable, { pairs, context: { mode, ...(server ? { server: server.url } : {}) }, progress, plannedTotal });
  } catch (error) {
    progress.note(`${group.title} failed: ${String(error)}`);
    return [...group.rows.filter((row) => rowsToMeasure.includes(row)).map((row) => ({ ...pendingRow(group.id, row, `failed: ${String(error)}`), status: 'failed' as const })), ...pendingRows];
  } finally {
    server?.stop();
  }
  return [...rowsToMeasure.map((row) => summarise(group.id, row, measured)), ...pendingRows];
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const groups = GROUPS.filter((g) => !only || only.includes(g.id));
  const plannedTotal = groups.reduce((sum, g) => sum + plan(g).runnable.length * pairs * g.estimate[mode], 0);
  const progress = new Progress(plannedTotal);
  progress.note(`${mode} run, ${pairs} pair(s) per row, measuring ${DIST.startsWith(process.cwd()) ? relative(process.cwd(), DIST) : DIST}; planned ~${clock(plannedTotal)}`);
  const rows: RowResult[] = [];
  for (const group of groups) rows.push(...(await measureGroup(group, progress, plannedTotal)));
  if (!only) rows.push(...EXTERNAL_ROWS.map((row) => externalRow(row, 'bench/redis-results.json', /^graph-calls-3-instances$/)));
  const results: Results = {
    mode,
    command: `${process.env.npm_lifecycle_event === 'bench' ? 'npm run bench --' : 'node --import tsx bench/run.ts'} ${args.join(' ')}`.trim(),
    dist: DIST,
    machine: finish(machine),
    seconds: Math.round(progress.elapsed),
    pairs,
    rows,
  };
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(rows));
  const withTarget = rows.filter((r) => r.status === 'measured' && r.met !== null);
  const m = results.machine;
  console.log(`\n${withTarget.filter((r) => r.met).length} of ${withTarget.length} measured targets met; ${rows.filter((r) => r.status !== 'measured').length} rows pending or failed.`);
  console.log(`${mode} run, ${pairs} pair(s), ${results.seconds} s, on ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.loadBefore.join(' ')} → ${m.loadAfter.join(' ')}; written to ${output}`);
  if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
