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

function percent(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function parseJsonObject(header: unknown): Record<string, unknown> | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > 16_384) return undefined;
  try {
    const value: unknown = JSON.parse(header);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
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
      if (entry === null || typeof entry !== 'object') continue;
      const record = entry as Record<string, unknown>;
      usages.push({
        businessId,
        type: typeof record.type === 'string' ? record.type : undefined,
        callCount: percent(record.call_count),
        totalTime: percent(record.total_time),
        totalCpuTime: percent(record.total_cputime),
        estimatedTimeToRegainAccessMinutes: percent(record.estimated_time_to_regain_access),
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
