// npm run bench [-- --quick]: every figure, as ratios against baselines measured in the same run.
// Measures the built package (dist/), as users run it: `npm run bench` builds first.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { callCount } from './callCount.js';
import { clientCost } from './clientCost.js';
import { hotPath, warmLookup } from './hotPath.js';
import type { Figure, Mode } from './lib.js';
import { memory } from './memory.js';
import { webhook } from './webhook.js';

const args = process.argv.slice(2);
const mode: Mode = args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full';
const output = args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'bench/results.json';

const steps: Array<[string, (mode: Mode) => Promise<Figure | Figure[]>]> = [
  ['hot path', hotPath],
  ['warm lookup', warmLookup],
  ['client cost', clientCost],
  ['call count', callCount],
  ['memory', memory],
  ['webhook adapter', webhook],
];

const format = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));

async function main(): Promise<void> {
  const started = Date.now();
  const figures: Figure[] = [];
  for (const [name, run] of steps) {
    process.stderr.write(`running ${name} (${mode})…\n`);
    figures.push(...[await run(mode)].flat());
  }
  const rows = figures.map((f) => [f.figure, `${format(f.ours)} ${f.unit}`, `${format(f.baseline)} (${f.baselineName})`, f.ratio.toFixed(3), f.target, f.met ? 'yes' : 'NO']);
  const header = ['figure', 'ours', 'baseline', 'ratio', 'target', 'met?'];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}`, date: new Date().toISOString() };
  console.log(`\n${mode} run on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  writeFileSync(output, `${JSON.stringify({ mode, machine, figures }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
