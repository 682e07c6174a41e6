import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { extractExamples } from '../readme/markdown.js';
import { CONSUMER_COMPILER_OPTIONS, MODULE_SETTINGS } from '../readme/project.js';
import { freePort } from '../readme/run.js';
import { consumerManifests } from './offlineLock.js';

const execFileAsync = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command; resolves with its output whatever the exit code. */
async function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * The first hour of a user, end to end: the packed tarball installed into a fresh project
 * with botbuilder, Express and TypeScript from npm's cache (`--offline`: no host is reached),
 * the README's one-screen bot compiled by that project's TypeScript under strict with both
 * module settings, and run against the emulator until it answers by name.
 */
describe('the packed package in a fresh project', function () {
  this.timeout(300_000);
  let work: string;
  let consumer: string;
  let installOutput: string;

  before(async function () {
    if (!existsSync(join(root, 'dist', 'esm', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does) first');
    work = mkdtempSync(join(tmpdir(), 'igp-consumer-'));
    // --ignore-scripts: npm test has just built dist/; prepack would rebuild it in the working tree under the other suites.
    const pack = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
    expect(pack.code, pack.output).to.equal(0);
    const [packed] = JSON.parse(pack.output.slice(pack.output.indexOf('['))) as Array<{ filename: string; integrity: string }>;

    consumer = join(work, 'bot');
    mkdirSync(consumer);
    const { manifest, lock } = consumerManifests(root, { tarball: `../${packed!.filename}`, integrity: packed!.integrity }, ['botbuilder', 'express', '@types/express', '@types/node', 'typescript']);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const install = await run(npm, ['ci', '--offline', '--no-audit', '--no-fund'], consumer);
    installOutput = install.output;
    if (install.code !== 0 && /ENOTCACHED/.test(install.output)) {
      const reason = `npm's cache lacks a package the consumer project needs (run npm ci once online): ${/request to (\S+)/.exec(install.output)?.[1] ?? 'see npm output'}`;
      if (process.env.CI) throw new Error(reason);
      this.skip();
    }
    expect(install.code, install.output).to.equal(0);

    // The README's bot and its try-it script, exactly as printed.
    const readme = extractExamples(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md');
    mkdirSync(join(consumer, 'src'));
    for (const name of ['bot.ts', 'try-bot.ts']) {
      const example = readme.find((e) => e.fileName === name);
      expect(example, `README example ${name}`).to.not.equal(undefined);
      writeFileSync(join(consumer, 'src', name), example!.code);
    }
  });

  after(() => work && rmSync(work, { recursive: true, force: true }));

  it('should install from the tarball with no install-script warning about the package', () => {
    const installed = realpathSync(join(consumer, 'node_modules', 'botbuilder-instagram-profile'));
    expect(installed.startsWith(realpathSync(consumer))).to.equal(true);
    expect(installOutput).to.not.match(/botbuilder-instagram-profile@[^\n]*\((prepare|preinstall|install|postinstall)/);
  });

  it('should ship every file the README and docs/ pages link to, and no TypeScript sources or source maps', async () => {
    const installed = join(consumer, 'node_modules', 'botbuilder-instagram-profile');
    const pages = ['README.md', ...readdirSync(join(installed, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
    const missing = pages.flatMap((page) =>
      [...readFileSync(join(installed, page), 'utf8').matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(#[^)]*)?\)/g)]
        .map((link) => join(dirname(page), link[1]!))
        .filter((target) => !existsSync(join(installed, target)))
        .map((target) => `${page} → ${target}`),
    );
    expect(pages.length).to.be.greaterThan(5);
    expect(missing, 'links to files the tarball lacks').to.deep.equal([]);
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => /\.map$|(?<!\.d)\.ts$/.test(file))).to.deep.equal([]);
  });

  for (const [setting, options] of Object.entries(MODULE_SETTINGS)) {
    it(`should compile the README's one-screen bot under strict with ${setting} resolution`, async () => {
      const config = { compilerOptions: { ...CONSUMER_COMPILER_OPTIONS, ...options, rootDir: 'src', ...(setting === 'nodenext' ? { outDir: 'out' } : { noEmit: true }) }, include: ['src'] };
      writeFileSync(join(consumer, `tsconfig.${setting}.json`), JSON.stringify(config, null, 2));
      const tsc = await run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${setting}.json`, '--pretty', 'false'], consumer);
      expect(tsc.output.trim(), 'tsc errors').to.equal('');
      expect(tsc.code).to.equal(0);
    });
  }

  it('should run the bot against the emulator and get a reply by first name', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(await freePort()) };
    const tryIt = await run(process.execPath, [join('out', 'try-bot.js')], consumer, env);
    expect(tryIt.code, tryIt.output).to.equal(0); // try-bot.ts asserts the reply is 'Hi Ada! Thanks for following us.'
  });
});
