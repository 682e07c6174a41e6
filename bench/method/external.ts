import { existsSync, readFileSync } from 'node:fs';
import { meets, crosses, pendingRow } from './summarise.js';
import type { RowResult, RowSpec } from './types.js';

interface ExternalRow {
  id?: string;
  median?: number;
  min?: number;
  max?: number;
  values?: number[];
  pairs?: number;
  ours?: number;
  baseline?: number;
}

/**
 * A row another script measured (the shared tier's `bench/redis.ts` writes
 * `bench/redis-results.json`): taken from its row whose id matches, with its own median and
 * spread; pending while the file or the row is missing.
 */
export function externalRow(row: RowSpec, path: string, idPattern: RegExp): RowResult {
  if (!existsSync(path)) return pendingRow('external', row, `pending: ${path} not found (bench/redis.ts writes it)`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { rows?: ExternalRow[]; figures?: ExternalRow[] };
  const found = (json.rows ?? json.figures ?? []).find((r) => r.id !== undefined && idPattern.test(r.id));
  const median = found?.median ?? (found?.ours !== undefined && found.baseline ? found.ours / found.baseline : undefined);
  if (!found || median === undefined) return pendingRow('external', row, `pending: no row matching ${idPattern} in ${path}`);
  const values = found.values ?? [found.min ?? median, found.max ?? median];
  return {
    ...pendingRow('external', row, ''),
    status: 'measured',
    pending: undefined,
    median,
    min: found.min ?? Math.min(...values),
    max: found.max ?? Math.max(...values),
    ours: found.ours ?? null,
    baseline: found.baseline ?? null,
    values,
    pairs: found.pairs ?? values.length,
    met: row.target ? meets(median, row.target) : null,
    spreadCrossesTarget: row.target ? crosses(values, row.target) : false,
    note: `from ${path} (${found.id})`,
  };
}
