// The figure tables of README.md, docs/performance.md and docs/reliability.md, rendered from
// docs/figures/*.json (the last full bench, soak and fuzz runs). `npm run docs` writes them;
// test/readme/figures.test.ts fails when a page differs from what these functions render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from '../bench/lib.js';

export interface BenchFigures {
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
  bench: BenchFigures;
  soak: SoakFigures;
  fuzz: FuzzFigures;
}

export const FIGURES_DIR = join('docs', 'figures');

export function readFigures(root: string): AllFigures {
  const read = (name: string) => JSON.parse(readFileSync(join(root, FIGURES_DIR, `${name}.json`), 'utf8'));
  return { bench: read('bench'), soak: read('soak'), fuzz: read('fuzz') };
}

/** The same number format as `npm run bench` prints. */
const format = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));
const thousands = (n: number) => n.toLocaleString('en');
const day = (iso: string) => iso.slice(0, 10);
const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

export function renderBenchTable({ bench }: AllFigures): string {
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
  const each = fuzz.properties.map((p) => `${p.name} ${p.seconds} s`).join(', ');
  return `Last \`npm run fuzz\` (${fuzz.date}, ${fuzz.machine}): all ${fuzz.properties.length} properties held for ${thousands(fuzz.runs)} runs each — ${each}; ${minutes(fuzz.totalSeconds)} in all.${fuzz.note ? ` ${fuzz.note}` : ''}`;
}

function heapRange(soak: SoakFigures): string {
  const heaps = soak.samples.map(([, heap]) => heap);
  return `${Math.min(...heaps).toFixed(1)}–${Math.max(...heaps).toFixed(1)}`;
}

export function renderSoak({ soak }: AllFigures): string {
  const lookups = Object.entries(soak.lookups).map(([name, count]) => `${thousands(count)} ${name}`).join(', ');
  return [
    `Last full soak (\`npm run soak\`, ${soak.date}, ${soak.machine}): **${thousands(soak.turns)} turns in ${soak.seconds} s, ${thousands(Math.round(soak.turnsPerSecond))} turns/s**. Heap after GC ${heapRange(soak)} MiB from the first sample to the last; event-loop delay p99 ${soak.eventLoopDelayP99Ms} ms; **${soak.unhandledRejections} unhandled rejections, ${soak.warnings} warnings**. Lookups: ${lookups}; ${thousands(soak.sendFailures)} replies refused by the injected Send API faults, each a typed rejection the bot caught.${soak.note ? ` ${soak.note}` : ''}`,
    '',
    '| turns | heap MiB (after GC) | RSS MiB |',
    '|---|---|---|',
    ...soak.samples.map(([turns, heap, rss]) => `| ${thousands(turns)} | ${heap.toFixed(1)} | ${rss.toFixed(1)} |`),
  ].join('\n');
}

/** The README's one short table. */
export function renderSummary({ bench, soak, fuzz }: AllFigures): string {
  const byId = new Map(bench.figures.map((f) => [f.id, f]));
  const row = (id: string, claim: (f: Figure) => string) => {
    const f = byId.get(id);
    return f ? `| ${f.figure} | ${claim(f)} | ${f.target}: ${f.met ? 'met' : '**missed**'} |` : undefined;
  };
  const met = bench.figures.filter((f) => f.met).length;
  return [
    '| figure | last full run | target |',
    '|---|---|---|',
    row('calls-vs-no-cache', (f) => `${format(f.ours)} Graph calls for ${format(f.baseline)} turns`),
    row('memory-per-entry', (f) => `${format(f.ours)} ${f.unit}`),
    row('hot-path', (f) => `${f.ratio.toFixed(2)} × the throughput without the middleware`),
    row('client-cpu-vs-undici', (f) => `${f.ratio.toFixed(2)} × bare undici, ${(1 / (byId.get('client-cpu-vs-fetch')?.ratio ?? 1)).toFixed(1)} × cheaper than fetch`),
    `| Soak: ${thousands(soak.turns)} turns, 5 % faults | ${thousands(Math.round(soak.turnsPerSecond))} turns/s, heap ${heapRange(soak)} MiB, ${soak.unhandledRejections} unhandled rejections | no rejection, no warning, flat heap: ${soak.unhandledRejections === 0 && soak.warnings === 0 ? 'met' : '**missed**'} |`,
    `| Property tests: ${fuzz.properties.length} properties | ${thousands(fuzz.runs)} runs each, all held | all hold: met |`,
    '',
    `Benchmarks: ${met} of ${bench.figures.length} targets met (${day(bench.machine.date)}, ${bench.machine.cores} cores); every figure, its baseline, and why a target is missed: [docs/performance.md](docs/performance.md). Fault matrix, limits, soak and property tests: [docs/reliability.md](docs/reliability.md).`,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
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
    page(join('docs', 'performance.md'), [['bench', renderBenchTable]]),
    page(join('docs', 'reliability.md'), [
      ['fuzz', renderFuzz],
      ['soak', renderSoak],
    ]),
  ]);
}
