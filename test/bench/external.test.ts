import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalRow } from '../../bench/method/external.js';
import { EXTERNAL_ROWS } from '../../bench/rows.js';

describe('the benchmark method: rows another script measured', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igp-external-'));
  const path = join(dir, 'redis-results.json');
  const spec = EXTERNAL_ROWS[0]!;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should be pending, naming the file, while the file is missing', () => {
    const row = externalRow(spec, join(dir, 'none.json'), /calls/);
    expect(row.status).to.equal('pending');
    expect(row.pending).to.match(/none\.json not found/);
    expect(row.met).to.equal(false);
  });

  it('should take the matching row with its median and spread, and judge it against our target', () => {
    writeFileSync(path, JSON.stringify({ rows: [{ id: 'latency-p50' }, { id: 'graph-calls-3-instances-with-tier', median: 1, min: 1, max: 1.02, pairs: 5, values: [1, 1, 1, 1.02, 1] }] }));
    const row = externalRow(spec, path, /calls.*3.*inst/);
    expect(row).to.include({ status: 'measured', median: 1, min: 1, max: 1.02, pairs: 5, met: true, spreadCrossesTarget: true });
    expect(row.note).to.match(/graph-calls-3-instances-with-tier/);
  });

  it('should be pending when no row of the file matches', () => {
    writeFileSync(path, JSON.stringify({ rows: [{ id: 'latency-p50', median: 2 }] }));
    expect(externalRow(spec, path, /calls.*3.*inst/).pending).to.match(/^pending: no row matching/);
  });
});
