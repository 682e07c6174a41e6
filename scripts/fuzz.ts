// npm run fuzz: every property test at FUZZ_RUNS runs (100 000 by default), a line per property
// with the time elapsed and an estimate of what is left, then bench/fuzz.json, which
// `npm run docs` takes into docs/figures/ (scripts/figures.ts FuzzFigures).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { describeMachine } from '../bench/method/machine.js';

process.env.FUZZ_RUNS ??= '100000';
const runs = Number(process.env.FUZZ_RUNS);
const PROPERTIES = join('test', 'properties');
const files = readdirSync(PROPERTIES).filter((name) => name.endsWith('.test.ts')).sort().map((name) => join(PROPERTIES, name));

const mocha = new Mocha({ timeout: 0, reporter: 'dot' });
for (const file of files) mocha.addFile(file);
await mocha.loadFilesAsync();

const total = mocha.suite.total();
const started = performance.now();
const properties: Array<{ name: string; seconds: number }> = [];
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

const runner = mocha.run((failures) => {
  const machine = describeMachine();
  const totalSeconds = Math.round((performance.now() - started) / 1000);
  if (failures > 0) {
    console.log(`${failures} of ${total} properties failed: bench/fuzz.json not written`);
    process.exitCode = 1;
    return;
  }
  const figures = { date: machine.date.slice(0, 10), machine: `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`, runs, properties, totalSeconds };
  writeFileSync('bench/fuzz.json', `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`all ${total} properties held for ${runs.toLocaleString('en')} runs each in ${clock(totalSeconds * 1000)}; written to bench/fuzz.json (npm run docs takes it into the docs)`);
});

runner.on('test end', (test) => {
  const suite = test.parent?.title.replace(/ \(property\)$/, '') ?? 'property';
  const sameSuite = properties.filter((p) => p.name === suite || p.name.startsWith(`${suite} #`)).length;
  properties.push({ name: sameSuite === 0 ? suite : `${suite} #${sameSuite + 1}`, seconds: Math.round((test.duration ?? 0) / 1000) });
  const elapsed = performance.now() - started;
  const left = (elapsed / properties.length) * (total - properties.length);
  console.log(`\n[${clock(elapsed)}] ${properties.length} of ${total} properties (${test.state === 'passed' ? 'held' : 'FAILED'}: ${test.fullTitle()}), ~${clock(left)} left`);
});
