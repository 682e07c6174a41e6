// npm run docs: takes the last full bench/soak/fuzz results into docs/figures/, then rewrites
// the figure tables of README.md, docs/performance.md and docs/reliability.md from them.
// The only script that writes into docs/: tests only compare (test/readme/figures.test.ts).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_DIR, renderPages } from './figures.js';

const root = process.cwd();

/** Results the bench scripts write (git-ignored), and the committed copy each becomes. */
const RESULTS: Array<[from: string, to: string, isFullRun: (json: { mode?: string }) => boolean]> = [
  ['bench/results.json', 'bench.json', (json) => json.mode === 'full'],
  ['bench/soak.json', 'soak.json', () => true],
  ['bench/fuzz.json', 'fuzz.json', () => true],
];

for (const [from, to, isFullRun] of RESULTS) {
  if (!existsSync(join(root, from))) continue;
  if (!isFullRun(JSON.parse(readFileSync(join(root, from), 'utf8')))) {
    console.log(`${from}: not a full run, left out (run it without --quick/--tiny)`);
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
