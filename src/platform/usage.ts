import { isRecord, parseJson } from '../internal/json.js';

/**
 * Meta's usage headers. `X-App-Usage` holds percentages of the app's rolling-hour budget;
 * `X-Business-Use-Case-Usage` holds, per business id, entries whose
 * `estimated_time_to_regain_access` is in minutes.
 */

export interface AppUsage {
  callCount: number;
  totalTime: number;
  totalCpuTime: number;
}

export interface BusinessUseCaseUsage {
  businessId: string;
  type: string | undefined;
  callCount: number;
  totalTime: number;
  totalCpuTime: number;
  /** Minutes until calls are accepted again, as Meta estimates it (0 when not throttled). */
  estimatedTimeToRegainAccessMinutes: number;
}

/** Headers are read only up to this length: they are small, and untrusted. */
const MAX_HEADER_LENGTH = 16_384;

function percent(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function parseJsonObject(header: unknown): Record<string, unknown> | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) return undefined;
  const value = parseJson(header);
  return isRecord(value) ? value : undefined;
}

/** Parses `X-App-Usage`; undefined when absent or malformed. */
export function parseAppUsage(header: unknown): AppUsage | undefined {
  const value = parseJsonObject(header);
  if (!value) return undefined;
  return {
    callCount: percent(value.call_count),
    totalTime: percent(value.total_time),
    totalCpuTime: percent(value.total_cputime),
  };
}

/** Parses `X-Business-Use-Case-Usage` into a flat list; malformed parts are skipped. */
export function parseBusinessUseCaseUsage(header: unknown): BusinessUseCaseUsage[] {
  const value = parseJsonObject(header);
  if (!value) return [];
  const usages: BusinessUseCaseUsage[] = [];
  for (const [businessId, entries] of Object.entries(value)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (!isRecord(entry)) continue;
      usages.push({
        businessId,
        type: typeof entry.type === 'string' ? entry.type : undefined,
        callCount: percent(entry.call_count),
        totalTime: percent(entry.total_time),
        totalCpuTime: percent(entry.total_cputime),
        estimatedTimeToRegainAccessMinutes: percent(entry.estimated_time_to_regain_access),
      });
    }
  }
  return usages;
}

/** The highest of the usage percentages: throttling may start when it reaches 100. */
export function peakUsage(app: AppUsage | undefined, business: readonly BusinessUseCaseUsage[]): number {
  let peak = app ? Math.max(app.callCount, app.totalTime, app.totalCpuTime) : 0;
  for (const usage of business) peak = Math.max(peak, usage.callCount, usage.totalTime, usage.totalCpuTime);
  return peak;
}

/**
 * How long, in ms, Meta expects `businessId` to stay throttled: the estimate of its own
 * entries when the header names it, else the longest estimate in the header. The key is
 * not always the account the call was made for: with Facebook Login it is the Page id,
 * which this package never learns. 0 when there is no estimate.
 */
export function regainAccessMs(usages: readonly BusinessUseCaseUsage[], businessId: string | undefined): number {
  let own: number | undefined;
  let longest = 0;
  for (const usage of usages) {
    const minutes = usage.estimatedTimeToRegainAccessMinutes;
    longest = Math.max(longest, minutes);
    if (usage.businessId === businessId) own = Math.max(own ?? 0, minutes);
  }
  return (own ?? longest) * 60_000;
}
