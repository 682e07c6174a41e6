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

  it('should hold every row of the issue, each with its spread, and a target or marked as reported', () => {
    const rows = readFigures(root).bench.rows;
    expect(rows.map((row) => row.id)).to.include.members(['hot-path-vs-noop', 'hot-path-vs-none', 'hot-path-otel-vs-noop', 'warm-lookup', 'webhook-instagram-batch-1', 'webhook-instagram-batch-10', 'webhook-instagram-batch-50', 'webhook-agents-batch-1', 'webhook-agents-batch-10', 'webhook-agents-batch-50', 'e2e-vs-bare', 'e2e-vs-today', 'first-reply-p50', 'first-reply-p99', 'client-cpu-vs-undici', 'memory-per-entry', 'graph-calls-1-instance', 'graph-calls-3-instances']);
    for (const row of rows.filter((r) => r.status === 'measured')) {
      expect(row.min, row.id).to.be.a('number').and.at.most(row.median!);
      expect(row.max, row.id).to.be.a('number').and.at.least(row.median!);
      if (row.met !== null) expect(row.target, row.id).to.be.a('string');
    }
  });

  it('should replace only what sits between the markers', () => {
    const page = 'before\n<!-- x:start note -->\nold\n<!-- x:end -->\nafter\n';
    expect(replaceSection(page, 'x', 'new')).to.equal('before\n<!-- x:start note -->\nnew\n<!-- x:end -->\nafter\n');
    expect(() => replaceSection('no markers', 'x', 'new')).to.throw(/x:start/);
  });
});
