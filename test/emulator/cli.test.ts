import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageVersion } from '../../src/emulator/version.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'src', 'emulator', 'cli.ts');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('instagram-emulator CLI', () => {
  it('should print the package version for --version and -v, and exit 0', async () => {
    for (const flag of ['--version', '-v']) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, flag], { cwd: root });
      expect(stdout).to.equal(`${version}\n`);
    }
  });

  it('should mention --version in --help', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--help'], { cwd: root });
    expect(stdout).to.include('--version').and.include('--login');
  });

  describe('packageVersion', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'emulator-version-'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'botbuilder-instagram-profile', version: '9.8.7' }));
      for (const build of ['cjs', 'esm']) {
        mkdirSync(join(dir, 'dist', build, 'emulator'), { recursive: true });
        // The build writes a package.json with only the module type next to each output.
        writeFileSync(join(dir, 'dist', build, 'package.json'), JSON.stringify({ type: build === 'cjs' ? 'commonjs' : 'module' }));
      }
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("should find the package's version from dist/cjs and dist/esm, past their type-only package.json", () => {
      expect(packageVersion(join(dir, 'dist', 'cjs', 'emulator'))).to.equal('9.8.7');
      expect(packageVersion(join(dir, 'dist', 'esm', 'emulator'))).to.equal('9.8.7');
    });

    it('should answer undefined when no package.json above has a version', () => {
      rmSync(join(dir, 'package.json'));
      expect(packageVersion(join(dir, 'dist', 'cjs', 'emulator'))).to.satisfy((v: string | undefined) => v === undefined || v !== '9.8.7');
    });
  });
});
