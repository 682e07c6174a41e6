import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Checks that the benchmark harness runs end to end and reports well-formed figures; not the timings. */
describe('the benchmark harness', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'igp-bench-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should print one table and write results.json with every figure', () => {
    const out = join(dir, 'results.json');
    const table = execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--tiny', `--out=${out}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const results = JSON.parse(readFileSync(out, 'utf8'));
    const ids = results.figures.map((f: { id: string }) => f.id);
    expect(ids).to.deep.equal([
      'hot-path',
      'warm-lookup',
      'client-cpu-vs-undici',
      'client-cpu-vs-fetch',
      'client-cpu-vs-axios',
      'calls-vs-no-cache',
      'calls-vs-map',
      'memory-per-entry',
      'memory-flat',
      'webhook-batch-1',
      'webhook-batch-10',
      'webhook-batch-50',
    ]);
    for (const f of results.figures) {
      expect(f.ours, f.id).to.be.a('number').and.be.greaterThan(0);
      expect(f.baseline, f.id).to.be.a('number').and.be.greaterThan(0);
      expect(f.ratio, f.id).to.be.closeTo(f.ours / f.baseline, 1e-9);
      expect(f.met, f.id).to.be.a('boolean');
    }
    expect(results.machine).to.include.keys('cpu', 'cores', 'node', 'date');
    expect(table.split('\n').filter((line) => line.startsWith('| '))).to.have.length(ids.length + 1);
  });

  it('should count exactly one Graph call per sender for our middleware', () => {
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    const calls = results.figures.find((f: { id: string }) => f.id === 'calls-vs-map');
    expect(calls.met).to.equal(true);
    expect(calls.ours).to.be.below(calls.baseline);
  });
});
