// Builds the package's ES modules into a directory of your choice, so a benchmark can measure
// a build without rewriting the shared dist/: `node --import tsx bench/method/tempBuild.ts /tmp/bench-dist`,
// then `BENCH_DIST=/tmp/bench-dist node --import tsx bench/run.ts --quick`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const target = resolve(process.argv[2] ?? '/tmp/bench-dist');
const esm = join(target, 'esm');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(esm, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', esm, '--module', 'NodeNext', '--moduleResolution', 'NodeNext'], { stdio: 'inherit' });
mkdirSync(esm, { recursive: true });
writeFileSync(join(esm, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
// Outside the repository the build must still find its dependencies: the same node_modules,
// so botbuilder and the rest are the very modules the benchmark imports (one copy, one instanceof).
const modules = join(target, 'node_modules');
if (!existsSync(modules)) symlinkSync(resolve('node_modules'), modules, 'dir');
process.stdout.write(`built ${esm}\n`);
