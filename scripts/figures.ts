// The figure tables of README.md, docs/performance.md and docs/reliability.md, rendered from
// docs/figures/*.json (the last full bench, soak and fuzz runs; bench-before.json is the last run
// of the earlier bench method, kept for comparison). `npm run docs` writes them;
// test/readme/figures.test.ts fails when a page differs from what these functions render.
// docs/performance.md is rendered whole (bench/performancePage.ts), the other pages between their markers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from '../bench/lib.js';
import type { Results, RowResult } from '../bench/method/types.js';
import { mediansAcrossRuns } from '../bench/method/summarise.js';
import { renderPerformancePage } from '../bench/performancePage.js';

/** The last full run of the earlier bench method (one process, no spread). */
export interface BeforeFigures {
  mode: string;
  machine: { cpu: string; cores: number; node: string; date: string };
  note?: string;
  figures: Figure[];
}

export interface SoakFigures {
  date: string;
  machine: string;
  note?: string;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  /** [turns so far, heap MiB after GC, RSS MiB]. */
  samples: Array<[number, number, number]>;
  eventLoopDelayP99Ms: number;
  unhandledRejections: number;
  warnings: number;
  lookups: Record<string, number>;
  sendFailures: number;
}

export interface FuzzFigures {
  date: string;
  machine: string;
  note?: string;
  runs: number;
  properties: Array<{ name: string; seconds: number }>;
  totalSeconds: number;
}

export interface AllFigures {
  bench: Results;
  /** Earlier full runs of the same code (`bench-earlier-*.json`), for the spread across runs. */
  earlier: Results[];
  before: BeforeFigures;
  soak: SoakFigures;
  fuzz: FuzzFigures;
}

export const FIGURES_DIR = join('docs', 'figures');

export function readFigures(root: string): AllFigures {
  const read = (name: string) => JSON.parse(readFileSync(join(root, FIGURES_DIR, `${name}.json`), 'utf8'));
  const earlier = readdirSync(join(root, FIGURES_DIR))
    .filter((name) => /^bench-earlier-\d+\.json$/.test(name))
    .sort()
    .map((name) => read(name.slice(0, -'.json'.length)) as Results);
  return { bench: read('bench'), earlier, before: read('bench-before'), soak: read('soak'), fuzz: read('fuzz') };
}

/** The same number format as `npm run bench` prints. */
const format = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));
const thousands = (n: number) => n.toLocaleString('en');
const day = (iso: string) => iso.slice(0, 10);
const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

export function renderBeforeTable({ before: bench }: AllFigures): string {
  const rows = bench.figures.map((f) => `| ${f.figure} | ${format(f.ours)} ${f.unit} | ${format(f.baseline)} (${f.baselineName}) | ${f.ratio.toFixed(3)} | ${f.target} | ${f.met ? 'yes' : 'NO'} |`);
  const missed = bench.figures.filter((f) => !f.met).map((f) => f.figure);
  return [
    `Last ${bench.mode} run (\`npm run bench\`), ${day(bench.machine.date)}, on ${bench.machine.cpu}, ${bench.machine.cores} cores, Node ${bench.machine.node}:`,
    '',
    '| figure | ours | baseline | ratio | target | met? |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `${bench.figures.length - missed.length} of ${bench.figures.length} targets met.${missed.length ? ` Missed: ${missed.join('; ')}.` : ''}${bench.note ? ` ${bench.note}` : ''}`,
  ].join('\n');
}

export function renderFuzz({ fuzz }: AllFigures): string {
  const each = fuzz.properties.map((p) => `${p.name}: ${p.seconds} s`).join('; ');
  return `Last \`npm run fuzz\` (${fuzz.date}, ${fuzz.machine}): all ${fuzz.properties.length} properties held for ${thousands(fuzz.runs)} runs each — ${each}; ${minutes(fuzz.totalSeconds)} in all.${fuzz.note ? ` ${fuzz.note}` : ''}`;
}

function heapRange(soak: SoakFigures): string {
  const heaps = soak.samples.map(([, heap]) => heap);
  return `${Math.min(...heaps).toFixed(1)}–${Math.max(...heaps).toFixed(1)}`;
}

export function renderSoak({ soak }: AllFigures): string {
  const lookups = Object.entries(soak.lookups).map(([name, count]) => `${thousands(count)} ${name}`).join(', ');
  return [
    `Last full soak (\`npm run soak\`, ${soak.date}, ${soak.machine}): **${thousands(soak.turns)} turns in ${soak.seconds} s, ${thousands(Math.round(soak.turnsPerSecond))} turns/s**. Heap after GC ${heapRange(soak)} MiB from the first sample to the last; event-loop delay p99 ${soak.eventLoopDelayP99Ms} ms; **${soak.unhandledRejections} unhandled rejections, ${soak.warnings} warnings**. Lookups: ${lookups}; ${thousands(soak.sendFailures)} replies lost for good after the Send API client's retries (${((100 * soak.sendFailures) / soak.turns).toPrecision(2)} % of turns; each a typed rejection the bot caught).${soak.note ? ` ${soak.note}` : ''}`,
    '',
    '| turns | heap MiB (after GC) | RSS MiB |',
    '|---|---|---|',
    ...soak.samples.map(([turns, heap, rss]) => `| ${thousands(turns)} | ${heap.toFixed(1)} | ${rss.toFixed(1)} |`),
  ].join('\n');
}

/** How a row of the paired bench reads in a sentence: its median and spread, ratio or difference. */
function spread(row: RowResult): string {
  if (row.median === null || row.min === null || row.max === null) return row.pending ?? 'not measured';
  const digits = row.compare === 'difference' ? 1 : 2;
  const unit = row.compare === 'difference' ? ` ${row.unit}` : '×';
  return `${row.median.toFixed(digits)}${unit} [${row.min.toFixed(digits)}–${row.max.toFixed(digits)}]`;
}

/** The rows the README sums up, in this order; the rest are in docs/performance.md. */
const SUMMARY_ROWS = ['graph-calls-1-instance', 'memory-per-entry', 'hot-path-vs-noop', 'warm-lookup', 'webhook-instagram-batch-10', 'webhook-agents-batch-10', 'first-reply-p99', 'e2e-vs-bare', 'client-cpu-vs-undici'];

/** The medians of one row over the last run and the earlier ones, as "min–max". */
function acrossRuns(row: RowResult, runs: Results[]): string {
  const medians = mediansAcrossRuns(row.id, runs);
  if (medians.length < 2) return '–';
  const digits = row.compare === 'difference' ? 1 : 2;
  return `${Math.min(...medians).toFixed(digits)}–${Math.max(...medians).toFixed(digits)}`;
}

/** The README's one short table. */
export function renderSummary({ bench, earlier, soak, fuzz }: AllFigures): string {
  const byId = new Map(bench.rows.map((row) => [row.id, row]));
  const runs = [bench, ...earlier];
  const rows = SUMMARY_ROWS.flatMap((id) => {
    const row = byId.get(id);
    return row ? [`| ${row.title} | ${spread(row)} | ${acrossRuns(row, runs)} | ${row.target ?? 'report'}: ${row.met === null ? 'reported' : row.met ? 'met' : '**missed**'} |`] : [];
  });
  const targets = bench.rows.filter((row) => row.met !== null);
  const met = targets.filter((row) => row.met).length;
  return [
    `| figure | last full run: median [min–max] | medians over ${runs.length} full runs | target |`,
    '|---|---|---|---|',
    ...rows,
    `| Soak: ${thousands(soak.turns)} turns, 5 % faults | ${thousands(Math.round(soak.turnsPerSecond))} turns/s, heap ${heapRange(soak)} MiB, ${soak.unhandledRejections} unhandled rejections | – | no rejection, no warning, bounded heap: ${soak.unhandledRejections === 0 && soak.warnings === 0 ? 'met' : '**missed**'} |`,
    `| Property tests: ${fuzz.properties.length} properties | ${thousands(fuzz.runs)} runs each, all held | – | all hold: met |`,
    '',
    `Benchmarks (\`npm run bench\`, on ${bench.machine.cpu}, Node ${bench.machine.node}): ${met} of ${targets.length} targets met in the last full run (${day(bench.machine.date)}, ${bench.machine.cores} cores, ${bench.pairs} pairs of fresh processes, load average ${(bench.machine.loadBefore[0] ?? 0).toFixed(1)} → ${(bench.machine.loadAfter[0] ?? 0).toFixed(1)}); every row, its baseline, its spread and what the rest of the cost is: [docs/performance.md](docs/performance.md). Fault matrix, limits, soak and property tests: [docs/reliability.md](docs/reliability.md).`,
  ].join('\n');
}

/** Replaces what sits between `<!-- name:start … -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = new RegExp(`<!-- ${name}:start[^>]*-->\\n`);
  const open = start.exec(text);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  if (!open || end < open.index) throw new Error(`no <!-- ${name}:start --> … <!-- ${name}:end --> markers`);
  return `${text.slice(0, open.index + open[0].length)}${content}\n${text.slice(end)}`;
}

/** Every generated page, as `npm run docs` writes it: path → full text. */
export function renderPages(root: string): Map<string, string> {
  const figures = readFigures(root);
  const page = (path: string, sections: Array<[string, (f: AllFigures) => string]>) => {
    let text = readFileSync(join(root, path), 'utf8');
    for (const [name, render] of sections) text = replaceSection(text, name, render(figures));
    return [path, text] as const;
  };
  return new Map([
    page('README.md', [['figures', renderSummary]]),
    [join('docs', 'performance.md'), renderPerformancePage(figures.bench, figures.earlier, renderBeforeTable(figures))],
    page(join('docs', 'reliability.md'), [
      ['fuzz', renderFuzz],
      ['soak', renderSoak],
    ]),
  ]);
}
