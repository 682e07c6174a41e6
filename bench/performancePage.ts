// docs/performance.md, rendered from the last full bench run and the earlier runs kept beside it
// (docs/figures/bench.json, bench-earlier-*.json): `npm run docs` writes it through
// scripts/figures.ts, and test/readme/figures.test.ts fails when the page differs.
import { FINDINGS } from './findings.js';
import { format, spread, table, verdict } from './method/table.js';
import type { Results, RowResult } from './method/types.js';
import { mediansAcrossRuns } from './method/summarise.js';

/**
 * The whole page: `last` is the run it shows, `earlier` the runs whose medians give the spread
 * across runs, `before` the table of the earlier method's last run (kept for comparison).
 */
export function renderPerformancePage(last: Results, earlier: readonly Results[], before: string): string {
  const runs = [last, ...earlier];
  const beforeSection = `

## Before: the earlier method

The last full run of the earlier method (one process for all variants, rounds interleaved in
it, no spread reported), for comparison with the rows above. Its ratios swung up to 2× from one
run to the next, which is why the method changed.

${before}
`;
  const m = last.machine;
  const measured = last.rows.filter((r) => r.status === 'measured' && r.met !== null);
  return `# Performance

[README](../README.md) › Performance

<!-- Written by \`npm run docs\` from docs/figures/bench*.json: edit bench/performancePage.ts or bench/findings.ts, not this page. -->

What a bot owner feels — the hot path, a warm lookup, webhook throughput, the whole round trip
of a reply, the first reply to a new customer, the Graph client, memory and Graph calls —
each measured as a ratio (or a difference) against a baseline **in the same run**.

## How it is measured

- \`npm run bench\` builds the package and measures **the built \`dist/\`**, as users run it
  (\`BENCH_DIST=dir\` measures another build: \`node --import tsx bench/method/tempBuild.ts /tmp/bench-dist\`).
- **Each variant runs in a fresh process** (its own V8, JIT and GC history), with an
  unmeasured warm-up in that process, then the measurement (the median of a few repeats).
- **A and B alternate over pairs** (A B, B A, …): 5 pairs in a full run, 3 with \`--quick\`.
  Each pair gives one ratio (or difference, for latencies); a row is **the median of its
  pairs, with the min and max**.
- A row is **met** only when its median meets the target; it is flagged **spread crosses**
  when some pairs meet the target and others do not — one run alone could have said either.
- Anything that crosses HTTP talks to a loopback stand-in for the platform
  (\`bench/platform/server.ts\`) in its own process, which also posts the signed webhooks and
  times replies, so a bot's CPU figures count the bot alone.
- Figures are **CPU time** of the measured process (\`process.cpuUsage\`, GC threads included)
  wherever they are not latencies: on a shared machine another process's burst stretches wall
  time 2× and more, while the CPU a process spent barely moves.
- Progress: a line per stage and per 5 % of the run, with the time elapsed and left.
- To profile a row: \`BENCH_CPU_PROF=/tmp/prof node --import tsx bench/run.ts --quick --only=<group>\`
  writes the profiles of each variant process in a folder of its own (the main thread's is the
  largest file); \`node --import tsx bench/method/topFunctions.ts <file> [count] [--package]\` lists the
  top self-time functions.

## Last run

\`${last.command}\` (measuring \`${last.dist}\`) — ${last.mode} run, ${last.pairs} pairs, ${last.seconds} s, ${m.date.slice(0, 16).replace('T', ' ')} UTC, on ${m.cpu},
${m.cores} cores, ${m.platform}, Node ${m.node}; load average ${m.loadBefore.join(' / ')} before, ${m.loadAfter.join(' / ')} after.
${earlier.length ? `Spreads across runs use ${earlier.length + 1} ${last.mode} runs.\n` : ''}
${table(last.rows)}

${measured.filter((r) => r.met).length} of ${measured.length} measured targets met; ${last.rows.filter((r) => r.status !== 'measured').length} rows pending.

## What each row means

${last.rows.map((row, index) => rowSection(row, index, runs)).join('\n\n')}
${beforeSection}`;
}

/** Medians of one row across every run given, as "min – max over N runs". */
function acrossRuns(row: RowResult, runs: readonly Results[]): string {
  const medians = mediansAcrossRuns(row.id, runs);
  if (medians.length < 2) return '';
  const f = (n: number) => (row.compare === 'difference' ? `${n >= 0 ? '+' : ''}${n.toFixed(1)} ms` : n.toFixed(3));
  return ` Across ${medians.length} ${runs[0]!.mode} runs the median went from ${f(Math.min(...medians))} to ${f(Math.max(...medians))}.`;
}

function rowSection(row: RowResult, index: number, runs: readonly Results[]): string {
  const lines = [`${index + 1}. **${row.title}** — ${verdict(row)}${row.target ? ` (target ${row.target})` : ''}: ${spread(row)}.${acrossRuns(row, runs)}`, `   ${row.meaning}`];
  if (row.status === 'measured') lines.push(`   Ours ${format(row.ours)} ${row.unit}; baseline ${format(row.baseline)} (${row.baselineName}); ${row.pairs} pairs.${row.note ? ` ${row.note}.` : ''}`);
  const finding = FINDINGS[row.id];
  if (finding && (row.met === false || row.status !== 'measured')) lines.push(`   *What the rest of the cost is:* ${finding}`);
  return lines.join('\n');
}
