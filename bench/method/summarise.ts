import type { Metrics, Results, RowResult, RowSpec, Target } from './types.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Whether one value meets the target. */
export function meets(value: number, target: Target): boolean {
  if (target.better === 'higher') return value >= target.limit;
  if (target.better === 'lower') return value <= target.limit;
  return value === target.limit;
}

/** Some pairs meet the target and some do not: one run alone could have said either. */
export function crosses(values: readonly number[], target: Target): boolean {
  return values.some((v) => meets(v, target)) && values.some((v) => !meets(v, target));
}

/** One pair's ratio or difference for a row; undefined when a variant did not report the metric. */
export function pairValue(row: RowSpec, pair: ReadonlyMap<string, Metrics>): number | undefined {
  const ours = pair.get(row.ours[0])?.[row.ours[1]];
  const baseline = pair.get(row.baseline[0])?.[row.baseline[1]];
  if (ours === undefined || baseline === undefined) return undefined;
  return row.target?.compare === 'difference' ? ours - baseline : ours / baseline;
}

/** A row from every pair's metrics: median ratio (or difference) with its min and max, met, and whether the spread crosses the target. */
export function summarise(group: string, row: RowSpec, pairs: ReadonlyArray<ReadonlyMap<string, Metrics>>): RowResult {
  const values = pairs.map((pair) => pairValue(row, pair)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const base = {
    id: row.id,
    group,
    title: row.title,
    unit: row.unit,
    baselineName: row.baselineName,
    target: row.target?.text ?? null,
    compare: row.target?.compare ?? null,
    meaning: row.meaning,
  };
  if (values.length === 0) {
    return { ...base, status: 'pending', pending: 'no pair measured it', median: null, min: null, max: null, ours: null, baseline: null, values: [], pairs: 0, met: row.target ? false : null, spreadCrossesTarget: false };
  }
  const raw = (ref: RowSpec['ours']) => median(pairs.map((pair) => pair.get(ref[0])?.[ref[1]]).filter((v): v is number => v !== undefined));
  const mid = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    ...base,
    status: 'measured',
    median: mid,
    min,
    max,
    ours: raw(row.ours),
    baseline: raw(row.baseline),
    values,
    pairs: values.length,
    met: row.target ? meets(mid, row.target) : null,
    spreadCrossesTarget: row.target ? crosses(values, row.target) : false,
  };
}

/** A row that cannot be measured yet, with the reason printed in its place. */
export function pendingRow(group: string, row: RowSpec, reason: string): RowResult {
  return {
    id: row.id,
    group,
    title: row.title,
    unit: row.unit,
    baselineName: row.baselineName,
    status: 'pending',
    pending: reason,
    target: row.target?.text ?? null,
    compare: row.target?.compare ?? null,
    median: null,
    min: null,
    max: null,
    ours: null,
    baseline: null,
    values: [],
    pairs: 0,
    met: row.target ? false : null,
    spreadCrossesTarget: false,
    meaning: row.meaning,
  };
}

/** One row's median in each of several runs (those that measured it), for the spread across runs. */
export function mediansAcrossRuns(id: string, runs: readonly Results[]): number[] {
  return runs.map((run) => run.rows.find((row) => row.id === id)?.median).filter((m): m is number => typeof m === 'number');
}
