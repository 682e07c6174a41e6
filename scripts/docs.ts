// npm run docs: takes the last full bench/soak/fuzz results into docs/figures/, then rewrites
// the figure tables of README.md, docs/performance.md and docs/reliability.md from them.
// The only script that writes into docs/: tests only compare (test/readme/figures.test.ts).
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_DIR, renderPages } from './figures.js';

const root = process.cwd();

/** Results the bench scripts write (git-ignored), and the committed copy each becomes. */
const RESULTS: Array<[from: string, to: string, isFullRun: (json: { mode?: string; turns?: number; runs?: number }) => boolean]> = [
  ['bench/results.json', 'bench.json', (json) => json.mode === 'full'],
  ['bench/soak.json', 'soak.json', (json) => (json.turns ?? 0) >= 1_000_000],
  ['bench/fuzz.json', 'fuzz.json', (json) => (json.runs ?? 0) >= 100_000],
];

// Earlier full runs of the same code, given as arguments (`npm run docs -- run1.json run2.json`):
// kept as bench-earlier-N.json for the spread across runs, replacing any kept before.
const earlierRuns = process.argv.slice(2);
if (earlierRuns.length > 0) {
  for (const name of readdirSync(join(root, FIGURES_DIR))) if (/^bench-earlier-\d+\.json$/.test(name)) rmSync(join(root, FIGURES_DIR, name));
  earlierRuns.forEach((file, i) => {
    if (JSON.parse(readFileSync(file, 'utf8')).mode !== 'full') throw new Error(`${file} is not a full run`);
    copyFileSync(file, join(root, FIGURES_DIR, `bench-earlier-${i + 1}.json`));
    console.log(`${file} → ${join(FIGURES_DIR, `bench-earlier-${i + 1}.json`)}`);
  });
}

for (const [from, to, isFullRun] of RESULTS) {
  if (!existsSync(join(root, from))) continue;
  if (!isFullRun(JSON.parse(readFileSync(join(root, from), 'utf8')))) {
    console.log(`${from}: not a full run, left out (a full bench, a 1 000 000-turn soak, a 100 000-run fuzz)`);
    continue;
  }
  copyFileSync(join(root, from), join(root, FIGURES_DIR, to));
  console.log(`${from} → ${join(FIGURES_DIR, to)}`);
}

for (const [path, text] of renderPages(root)) {
  if (readFileSync(join(root, path), 'utf8') === text) continue;
  writeFileSync(join(root, path), text);
  console.log(`rewrote the figures of ${path}`);
}
