import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fragmentPrelude } from './fragmentContext.js';
import type { Example } from './markdown.js';

const execFileAsync = promisify(execFile);

/** The two ways a consumer's TypeScript resolves the package (ESM consumer; TypeScript 5.9 `tsc --init` strictness). */
export const MODULE_SETTINGS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;
export type ModuleSetting = keyof typeof MODULE_SETTINGS;

/** What TypeScript 5.9's `tsc --init` turns on, with Node's types: the strictness of a fresh project. */
export const CONSUMER_COMPILER_OPTIONS = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  moduleDetection: 'force',
  skipLibCheck: true,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  esModuleInterop: true,
  rootDir: 'examples',
};

/** One example written into the project: where it is, and how many prelude lines precede its code. */
export interface PlacedExample {
  example: Example;
  /** Path relative to the project, e.g. `examples/README/bot.ts`. */
  path: string;
  preludeLines: number;
}

export interface ExampleProject {
  dir: string;
  placed: PlacedExample[];
  remove(): void;
}

/**
 * A throw-away consumer project holding every example as its own file, with the BUILT package
 * (`package.json` + `dist/`) installed by name and the repository's other packages linked in, so
 * examples resolve `botbuilder-instagram-profile` exactly as a user's project does.
 */
export function createExampleProject(root: string, examples: readonly Example[]): ExampleProject {
  if (!existsSync(join(root, 'dist', 'esm', 'index.d.ts'))) throw new Error('dist/ is not built: run `npm run build` (npm test does) before the example suite');
  const dir = mkdtempSync(join(tmpdir(), 'igp-examples-'));
  linkPackages(root, dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
  for (const [setting, options] of Object.entries(MODULE_SETTINGS)) {
    const emit = setting === 'nodenext' ? { outDir: 'out' } : { noEmit: true };
    writeFileSync(join(dir, `tsconfig.${setting}.json`), JSON.stringify({ compilerOptions: { ...CONSUMER_COMPILER_OPTIONS, ...options, ...emit }, include: ['examples'] }, null, 2));
  }
  const placed = examples.map((example) => place(dir, example));
  return { dir, placed, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function linkPackages(root: string, dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'botbuilder-instagram-profile') continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry), 'dir');
  }
  // The package as installed: its manifest and its build, nothing else of the repository.
  const self = join(modules, 'botbuilder-instagram-profile');
  mkdirSync(self);
  symlinkSync(join(root, 'package.json'), join(self, 'package.json'), 'file');
  symlinkSync(join(root, 'dist'), join(self, 'dist'), 'dir');
}

function place(dir: string, example: Example): PlacedExample {
  const folder = example.page.replace(/\.md$/, '').replace(/[^\w-]+/g, '_');
  const path = join('examples', folder, example.fileName ?? `line-${example.line}.ts`);
  if (existsSync(join(dir, path))) throw new Error(`${example.page}:${example.line}: another example of the page is already named ${basename(path)}`);
  const prelude = example.kind === 'fragment' ? fragmentPrelude(example.code) : '';
  mkdirSync(join(dir, dirname(path)), { recursive: true });
  writeFileSync(join(dir, path), `${prelude}${example.code}\n`);
  return { example, path, preludeLines: prelude.split('\n').length - 1 };
}

/** A compiler error, told by the page line it points at. */
export interface ExampleError {
  placed: PlacedExample | undefined;
  /** `README.md:42: TS2345 …`, or the raw tsc line when it is outside any example's own code. */
  message: string;
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** One tsc run over every example under one module setting. */
export async function typeCheck(root: string, project: ExampleProject, setting: ModuleSetting): Promise<ExampleError[]> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await execFileAsync(process.execPath, [tsc, '-p', `tsconfig.${setting}.json`, '--pretty', 'false'], { cwd: project.dir, maxBuffer: 32 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => error);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const byPath = new Map(project.placed.map((p) => [p.path, p]));
  const errors: ExampleError[] = [];
  for (const line of output.split('\n')) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, path, row, , code, text] = match;
      const placed = byPath.get(path!.replaceAll('\\', '/'));
      const codeLine = Number(row) - (placed?.preludeLines ?? 0);
      errors.push({
        placed: placed && codeLine >= 1 ? placed : undefined,
        message: placed ? `${placed.example.page}:${placed.example.line + codeLine - 1}: ${code} ${text}` : line,
      });
    } else if (line.startsWith(' ') && errors.length) {
      errors.at(-1)!.message += `\n${line}`; // a message's continuation lines
    } else if (line.trim()) {
      errors.push({ placed: undefined, message: line });
    }
  }
  return errors;
}
