import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFigures, renderPages, replaceSection } from '../../scripts/figures.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the figures in the README and docs/', () => {
  for (const [path, expected] of renderPages(root)) {
    it(`should match docs/figures/*.json in ${path} (else run npm run docs)`, () => {
      expect(readFileSync(join(root, path), 'utf8') === expected, `${path} differs from what npm run docs writes`).to.equal(true);
    });
  }

  it('should hold every figure the benchmark produces, each with a target', () => {
    const ids = readFigures(root).bench.figures.map((f) => f.id);
    expect(ids).to.have.members(['hot-path', 'warm-lookup', 'client-cpu-vs-undici', 'client-cpu-vs-fetch', 'client-cpu-vs-axios', 'calls-vs-no-cache', 'calls-vs-map', 'memory-per-entry', 'memory-flat', 'webhook-batch-1', 'webhook-batch-10', 'webhook-batch-50']);
  });

  it('should replace only what sits between the markers', () => {
    const page = 'before\n<!-- x:start note -->\nold\n<!-- x:end -->\nafter\n';
    expect(replaceSection(page, 'x', 'new')).to.equal('before\n<!-- x:start note -->\nnew\n<!-- x:end -->\nafter\n');
    expect(() => replaceSection('no markers', 'x', 'new')).to.throw(/x:start/);
  });
});
