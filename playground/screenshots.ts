// Refreshes the playground's pictures in docs/: `node --import tsx playground/screenshots.ts`.
// The browser tests take them (into a temporary folder, so `npm test` leaves the tree alone);
// this runs those tests and copies the pictures the README shows.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SPECS = ['test/playground/layout.test.ts', 'test/playground/switches.test.ts'];
/** Screenshot taken by the tests → picture in docs/. */
const PUBLISHED: Record<string, string> = {
  'desktop.png': 'playground.png',
  'phone.png': 'playground-phone.png',
  'desktop-blocked-cached.png': 'playground-blocked.png',
};

const folder = mkdtempSync(join(tmpdir(), 'playground-screenshots-'));
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const run = spawnSync(process.execPath, [mocha, '--no-config', '-n', 'import=tsx', '--extension', 'ts', '--timeout', '10000', ...SPECS], {
  cwd: ROOT,
  env: { ...process.env, PLAYGROUND_SCREENSHOTS: folder },
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error(`The browser tests failed (exit ${run.status}): docs/ left as it was.`);
  process.exit(1);
}
mkdirSync(join(ROOT, 'docs'), { recursive: true });
for (const [taken, published] of Object.entries(PUBLISHED)) {
  copyFileSync(join(folder, taken), join(ROOT, 'docs', published));
  console.log(`docs/${published} ← ${taken}`);
}
