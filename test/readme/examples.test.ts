import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractExamples, type Example } from './markdown.js';
import { createExampleProject, MODULE_SETTINGS, typeCheck, type ExampleError, type ExampleProject, type ModuleSetting } from './project.js';
import { runExample } from './run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README.md and every page under docs/: the pages a user reads. */
function documentedPages(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => relative(root, join(root, 'docs', name)).replaceAll('\\', '/'))
    .sort();
  return ['README.md', ...docs];
}

const examples: Example[] = documentedPages().flatMap((page) => extractExamples(readFileSync(join(root, page), 'utf8'), page));
const where = (example: Example) => `${example.page}:${example.line}`;

describe('the examples of the README and docs/', function () {
  this.timeout(180_000);
  let project: ExampleProject;
  const errors = new Map<ModuleSetting, ExampleError[]>();

  before(async () => {
    project = createExampleProject(root, examples);
    for (const setting of Object.keys(MODULE_SETTINGS) as ModuleSetting[]) errors.set(setting, await typeCheck(root, project, setting));
  });

  after(() => project?.remove());

  it('should find the one-screen bots and runnable examples in the README', () => {
    const readme = examples.filter((e) => e.page === 'README.md');
    expect(readme.filter((e) => e.kind === 'runnable').length, 'runnable README examples').to.be.at.least(3);
    expect(readme.map((e) => e.fileName)).to.include.members(['bot.ts', 'botkit-bot.ts']);
  });

  for (const setting of Object.keys(MODULE_SETTINGS) as ModuleSetting[]) {
    describe(`type-checked against the built package under strict, ${setting} resolution`, () => {
      it('should report no error outside the examples themselves (fragment context, configuration)', () => {
        expect(errors.get(setting)!.filter((e) => !e.placed).map((e) => e.message)).to.deep.equal([]);
      });

      for (const example of examples) {
        it(`should compile ${where(example)} (${example.kind}${example.fileName ? ` ${example.fileName}` : ''})`, () => {
          const own = errors.get(setting)!.filter((e) => e.placed?.example === example);
          expect(own.map((e) => e.message)).to.deep.equal([]);
        });
      }
    });
  }

  describe('runnable examples, run with Node against the emulator', () => {
    for (const example of examples.filter((e) => e.kind === 'runnable')) {
      it(`should run ${where(example)} to the end, every assert in it holding`, async () => {
        const placed = project.placed.find((p) => p.example === example)!;
        const run = await runExample(project, placed);
        expect(run.timedOut, `${where(example)} did not exit: it must close the servers it opens\n${run.output}`).to.equal(false);
        expect(run.code, `${where(example)} failed:\n${run.output}`).to.equal(0);
      });
    }
  });
});
