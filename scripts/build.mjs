// Builds dist/esm (ES modules) and dist/cjs (CommonJS) from the same sources, each with
// its own type declarations, so `import` and `require` both get a native module.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const targets = [
  { dir: 'dist/esm', type: 'module', args: ['--module', 'NodeNext', '--moduleResolution', 'NodeNext'] },
  { dir: 'dist/cjs', type: 'commonjs', args: ['--module', 'CommonJS', '--moduleResolution', 'Node10'] },
];

rmSync('dist', { recursive: true, force: true });
for (const { dir, type, args } of targets) {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dir, ...args], { stdio: 'inherit' });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, `${JSON.stringify({ type }, null, 2)}\n`);
}
// npm sets the bin's mode on install; this keeps a local `node_modules/.bin` link runnable too.
if (existsSync('dist/cjs/emulator/cli.js')) chmodSync('dist/cjs/emulator/cli.js', 0o755);
