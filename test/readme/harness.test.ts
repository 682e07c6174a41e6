import { expect } from 'chai';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fragmentPrelude, namesDefinedBy } from './fragmentContext.js';
import { extractExamples } from './markdown.js';
import { createExampleProject, typeCheck, type ExampleError, type ExampleProject } from './project.js';
import { runExample } from './run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A page whose examples break in each way the suite must catch, and one fragment that must pass. */
const PAGE = [
  '# Guide', //                                                       1
  '```ts', //                                                         2
  "import { firstName } from 'botbuilder-instagram-profile';", //    3
  'const n: number = firstName(undefined);', //                       4: TS2322
  '```', //                                                           5
  '```ts fragment', //                                                6
  "import { getInstagramProfile } from 'botbuilder-instagram-profile/botkit';", // 7
  'const profiles = 1;', //                                           8: shadows the context's `profiles`
  'const profile = await getInstagramProfile(message);', //           9
  'await context.sendActivity(`Hi ${displayName(profile)} ${profiles}`);', // 10
  '```', //                                                           11
  '```ts runnable', //                                                12
  "import assert from 'node:assert/strict';", //                     13
  'assert.equal(1 + 1, 3);', //                                       14
  '```', //                                                           15
  '```ts runnable', //                                                16
  'setInterval(() => {}, 1000);', //                                  17
  '```', //                                                           18
  '```sh', //                                                         19
  'npm test', //                                                      20
  '```', //                                                           21
].join('\n');

describe('the README example harness', function () {
  this.timeout(120_000);
  const examples = extractExamples(PAGE, 'GUIDE.md');
  let project: ExampleProject;
  let errors: ExampleError[];

  before(async () => {
    project = createExampleProject(root, examples);
    errors = await typeCheck(root, project, 'nodenext');
  });

  after(() => project?.remove());

  it('should extract only the TypeScript examples, with their kind and first line', () => {
    expect(examples.map((e) => [e.line, e.kind])).to.deep.equal([
      [3, 'module'],
      [7, 'fragment'],
      [13, 'runnable'],
      [17, 'runnable'],
    ]);
  });

  it('should refuse an unknown word in an info string, so a typo cannot skip a check', () => {
    expect(() => extractExamples('```ts runable\nx\n```', 'X.md')).to.throw(/X\.md:1: unknown word "runable"/);
    expect(() => extractExamples('```ts fragment file=a.ts\nx\n```', 'X.md')).to.throw(/fragment cannot be imported/);
  });

  it('should report a type error at its line in the page', () => {
    expect(errors.map((e) => e.message)).to.have.length(1);
    expect(errors[0]!.message).to.match(/^GUIDE\.md:4: TS2322 Type 'string' is not assignable to type 'number'/);
    expect(errors[0]!.placed?.example).to.equal(examples[0]);
  });

  it('should type-check a fragment in the declared context, keeping the names it imports or declares itself', () => {
    expect(namesDefinedBy(examples[1]!.code)).to.have.keys('getInstagramProfile', 'profiles', 'profile');
    const prelude = fragmentPrelude(examples[1]!.code);
    expect(prelude).to.include('declare const context: TurnContext;').and.not.include('declare const profiles').and.not.include(' getInstagramProfile,');
    expect(errors.filter((e) => e.placed?.example === examples[1])).to.deep.equal([]);
  });

  it('should fail a runnable example whose assert does not hold', async () => {
    const run = await runExample(project, project.placed[2]!);
    expect(run.code).to.not.equal(0);
    expect(run.output).to.include('AssertionError');
  });

  it('should stop and flag a runnable example that never exits', async () => {
    const run = await runExample(project, project.placed[3]!, 1_500);
    expect(run.timedOut).to.equal(true);
  });
});
