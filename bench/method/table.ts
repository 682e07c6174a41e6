import type { RowResult } from './types.js';

/** The same number format everywhere: thousands separated, small values with 2 decimals. */
export const format = (n: number | null) => (n === null ? '–' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));

/** A row's median and spread: "0.97 [0.95–1.01]" for ratios, "+3.1 ms [+2.0–+4.4]" for differences. */
export function spread(row: RowResult): string {
  if (row.median === null) return row.pending ?? row.status;
  if (row.compare === 'difference') {
    const ms = (n: number | null) => `${n !== null && n >= 0 ? '+' : ''}${n?.toFixed(1)}`;
    return `${ms(row.median)} ms [${ms(row.min)} – ${ms(row.max)}]`;
  }
  return `${row.median.toFixed(3)} [${row.min?.toFixed(3)} – ${row.max?.toFixed(3)}]`;
}

export function verdict(row: RowResult): string {
  if (row.status !== 'measured') return row.status;
  if (row.met === null) return 'report';
  return `${row.met ? 'met' : 'MISSED'}${row.spreadCrossesTarget ? ' (spread crosses)' : ''}`;
}

/** A Markdown table of the rows. */
export function table(rows: readonly RowResult[]): string {
  const lines = ['| row | ours | baseline | median [min – max] | target | pairs | result |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ours = row.ours === null ? '–' : `${format(row.ours)} ${row.unit}`;
    lines.push(`| ${row.title} | ${ours} | ${format(row.baseline)} (${row.baselineName}) | ${spread(row)} | ${row.target ?? 'report'} | ${row.pairs} | ${verdict(row)} |`);
  }
  return lines.join('\n');
}
