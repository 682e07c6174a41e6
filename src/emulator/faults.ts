import type { RouteName } from './stats.js';

export type FaultKind =
  | 'latency'
  | 'status'
  | 'transient'
  | 'reset'
  | 'hang'
  | 'html'
  | 'truncated'
  | 'error-body-200'
  | 'wrong-types'
  | 'graph-error';

export interface FaultRule {
  /** Which route it hits; '*' for every Graph route. Default 'profile'. */
  route?: RouteName | '*';
  kind: FaultKind;
  /** For `latency`: added delay in ms before the normal answer. */
  latencyMs?: number;
  /** For `status`: the HTTP status to answer (with a code-1 Graph error body). */
  status?: number;
  /** For `graph-error`: the error to answer. */
  graphError?: { code: number; subcode?: number; type?: string; message?: string; status?: number; isTransient?: boolean };
  /** Apply to this many matching calls, then stop. */
  times?: number;
  /** Apply to this share of matching calls, 0..1. Default 1. */
  rate?: number;
  /** Only calls about this IGSID. */
  igsid?: string;
}

const KINDS: ReadonlySet<string> = new Set(['latency', 'status', 'transient', 'reset', 'hang', 'html', 'truncated', 'error-body-200', 'wrong-types', 'graph-error']);

/** Injected faults, first match wins; counted rules expire when used up. */
export class Faults {
  #rules: Array<FaultRule & { remaining: number }> = [];

  constructor(private readonly random: () => number) {}

  inject(rule: FaultRule): void {
    if (rule === null || typeof rule !== 'object' || !KINDS.has(rule.kind)) throw new TypeError(`Unknown fault kind: ${String(rule?.kind)}`);
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError('Fault "rate" must be between 0 and 1');
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) throw new RangeError('Fault "times" must be a positive integer');
    this.#rules.push({ ...rule, remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.#rules = [];
  }

  list(): FaultRule[] {
    return this.#rules.map(({ remaining: _remaining, ...rule }) => rule);
  }

  /** The fault to apply to this call, if any. */
  pick(route: RouteName, igsid: string | undefined): FaultRule | undefined {
    for (const rule of this.#rules) {
      if ((rule.route ?? 'profile') !== route && rule.route !== '*') continue;
      if (rule.igsid !== undefined && rule.igsid !== igsid) continue;
      if (rule.remaining <= 0) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.remaining--;
      return rule;
    }
    return undefined;
  }
}
