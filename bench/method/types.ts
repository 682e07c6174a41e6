/** The shapes of the benchmark method: groups of variants, the rows computed from them, and the results. */

export type Mode = 'full' | 'quick' | 'tiny';

/** What one variant process measured: named numbers (e.g. `{ nsPerTurn: 812 }`). */
export type Metrics = Record<string, number>;

/** What a variant process gets: the mode, and the loopback platform server's URL when its group has one. */
export interface VariantContext {
  mode: Mode;
  server?: string;
}

/** A variant's code, in a module under bench/variants/ that exports `variants: Record<string, Variant>`. */
export type Variant = (context: VariantContext) => Promise<Metrics>;

/**
 * How a row compares ours with its baseline, per pair: `ratio` = ours / baseline,
 * `difference` = ours − baseline. `better` says which side of `limit` is met; `equal` needs exactly `limit`.
 */
export interface Target {
  compare: 'ratio' | 'difference';
  better: 'higher' | 'lower' | 'equal';
  limit: number;
  /** As printed, e.g. "≥ 0.98". */
  text: string;
}

/** A metric of one variant: [variant name, metric name]. */
export type MetricRef = readonly [variant: string, metric: string];

export interface RowSpec {
  id: string;
  title: string;
  /** Unit of `ours` and `baseline`. */
  unit: string;
  ours: MetricRef;
  baseline: MetricRef;
  baselineName: string;
  /** Undefined: reported, no target (`met` is null). */
  target?: Target;
  /** What the row means, for docs/performance.md. */
  meaning: string;
}

export interface VariantSpec {
  name: string;
  /** A folder of the build this variant needs (e.g. `agents`): without it the variant is skipped and its rows are pending. */
  requires?: string;
}

/** A stage of the run: variants measured in fresh processes, alternated over pairs, and the rows they give. */
export interface GroupSpec {
  id: string;
  title: string;
  /** Module under bench/ exporting `variants`. */
  module: string;
  variants: VariantSpec[];
  rows: RowSpec[];
  /** Start a loopback platform server (Graph + Send API, and a webhook driver) for this group, with this Graph latency. */
  server?: { latencyMs: number };
  /** Extra node flags of the variant processes (e.g. `--expose-gc`). */
  nodeArgs?: string[];
  /** Per-process time estimate in seconds for each mode, for the progress line's first guess. */
  estimate: Record<Mode, number>;
}

export interface RowResult {
  id: string;
  group: string;
  title: string;
  unit: string;
  baselineName: string;
  status: 'measured' | 'pending' | 'failed';
  /** Why a pending or failed row has no figure (e.g. "pending: src/telemetry"). */
  pending?: string;
  target: string | null;
  compare: Target['compare'] | null;
  /** Median, min and max over the pairs of ours/baseline (ratio) or ours − baseline (difference). */
  median: number | null;
  min: number | null;
  max: number | null;
  /** Medians of the raw figures. */
  ours: number | null;
  baseline: number | null;
  /** Each pair's ratio or difference, in run order. */
  values: number[];
  pairs: number;
  /** Met when the median meets the target; null for rows that only report. */
  met: boolean | null;
  /** The spread (min..max) has values on both sides of the target: one run could say met, another missed. */
  spreadCrossesTarget: boolean;
  meaning: string;
  note?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  loadBefore: number[];
  loadAfter: number[];
  date: string;
}

export interface Results {
  mode: Mode;
  command: string;
  dist: string;
  machine: Machine;
  seconds: number;
  pairs: number;
  rows: RowResult[];
}
