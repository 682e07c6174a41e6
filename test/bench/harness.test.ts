import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../bench/method/types.js';
import { EXTERNAL_ROWS, GROUPS } from '../../bench/rows.js';

/** Runs `bench/run.ts --tiny` once, end to end (fresh processes, platform server, report): the harness, not the timings. */
describe('the benchmark harness (--tiny)', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'igp-bench-'));
  const out = join(dir, 'results.json');
  let run: ReturnType<typeof spawnSync>;
  let results: Results;

  before(() => {
    run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--tiny', `--out=${out}`], { encoding: 'utf8' });
    results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should exit 0 and write one row for every row the groups and external sources define', () => {
    expect(run.status, String(run.stderr)).to.equal(0);
    const expected = [...GROUPS.flatMap((g) => g.rows.map((r) => r.id)), ...EXTERNAL_ROWS.map((r) => r.id)];
    expect(results.rows.map((r) => r.id)).to.have.members(expected);
    expect(results.rows).to.have.length(expected.length);
  });

  it('should give every measured row a median within its min and max, and a verdict', () => {
    const measured = results.rows.filter((r) => r.status === 'measured');
    expect(measured.length).to.be.greaterThan(10);
    for (const row of measured) {
      expect(row.min, row.id).to.be.a('number');
      expect(row.median!, row.id).to.be.within(row.min!, row.max!);
      // Rows read from another script's results keep that run's pairs.
      if (row.group !== 'external') {
        expect(row.pairs, row.id).to.equal(1);
        expect(row.values, row.id).to.have.length(1);
      }
      expect(row.met, row.id).to.equal(row.target === null ? null : row.met);
      if (row.target !== null) expect(row.met, row.id).to.be.a('boolean');
      expect(row.spreadCrossesTarget, row.id).to.be.a('boolean');
    }
  });

  it('should give every row that is not measured a reason', () => {
    for (const row of results.rows.filter((r) => r.status !== 'measured')) {
      expect(row.status, row.id).to.equal('pending');
      expect(row.pending, row.id).to.match(/^pending: /);
    }
  });

  it('should record the machine, its load before and after, and the command', () => {
    expect(results.machine).to.include.keys('cpu', 'cores', 'node', 'platform', 'date');
    expect(results.machine.loadBefore).to.have.length(3);
    expect(results.machine.loadAfter).to.have.length(3);
    expect(results.command).to.match(/bench\/run\.ts --tiny/);
    expect(results.mode).to.equal('tiny');
  });

  it('should print one table line per row and progress lines with the time elapsed and left', () => {
    const tableLines = String(run.stdout).split('\n').filter((line) => line.startsWith('| '));
    expect(tableLines).to.have.length(results.rows.length + 1);
    expect(String(run.stderr)).to.match(/\[\d+:\d\d\] 100 % .*~0:00 left/);
  });

  it('should count exactly one Graph call per sender for our middleware on one instance', () => {
    const calls = results.rows.find((r) => r.id === 'graph-calls-1-instance')!;
    expect(calls.status).to.equal('measured');
    expect(calls.met).to.equal(true);
    expect(calls.ours).to.equal(calls.baseline);
  });
});
