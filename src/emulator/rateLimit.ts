import { errors, type MetaError } from './metaErrors.js';

export interface RateLimitSettings {
  /** Calls per rolling hour that make 100 % of the budget. Default 4 800. */
  budgetPerHour?: number;
  /** Force throttling on or off (undefined: throttle when the budget is used up). */
  throttled?: boolean;
  /** The code answered while throttled: 4 (app) or 80002 (Instagram business use case). Default 80002. */
  code?: 4 | 80002;
  /** What `estimated_time_to_regain_access` says while throttled, in minutes. Default: until the oldest call leaves the hour. */
  regainAccessMinutes?: number;
  /** Report this usage percentage instead of the measured one. */
  callCountPercent?: number;
}

const HOUR = 3_600_000;

/** Meta's rolling-hour usage accounting, with the two usage headers and throttling. */
export class RateLimiter {
  #calls: number[] = [];
  #settings: Required<Pick<RateLimitSettings, 'budgetPerHour' | 'code'>> & RateLimitSettings = { budgetPerHour: 4_800, code: 80002 };

  constructor(
    private readonly now: () => number,
    private readonly businessId: string,
  ) {}

  set(settings: RateLimitSettings): void {
    if (settings.budgetPerHour !== undefined && !(Number.isInteger(settings.budgetPerHour) && settings.budgetPerHour > 0)) {
      throw new RangeError('Rate limit "budgetPerHour" must be a positive integer');
    }
    if (settings.code !== undefined && settings.code !== 4 && settings.code !== 80002) throw new RangeError('Rate limit "code" must be 4 or 80002');
    this.#settings = { ...this.#settings, ...settings };
  }

  reset(): void {
    this.#calls = [];
    this.#settings = { budgetPerHour: 4_800, code: 80002 };
  }

  get settings(): RateLimitSettings {
    return { ...this.#settings };
  }

  /** Counts a call; returns the error to answer when throttled, and the headers to send either way. */
  admit(): { headers: Record<string, string>; error?: MetaError } {
    const now = this.now();
    this.#expire(now);
    const percent = this.#percent();
    const throttled = this.#settings.throttled ?? percent >= 100;
    if (!throttled) this.#calls.push(now);
    const regain = throttled ? (this.#settings.regainAccessMinutes ?? this.#minutesToRegain(now)) : 0;
    const usage = Math.min(100, this.#settings.callCountPercent ?? this.#percent());
    const headers = {
      'x-app-usage': JSON.stringify({ call_count: usage, total_time: Math.round(usage / 2), total_cputime: Math.round(usage / 2) }),
      'x-business-use-case-usage': JSON.stringify({
        [this.businessId]: [{ type: 'instagram', call_count: throttled ? 100 : usage, total_cputime: Math.round(usage / 2), total_time: Math.round(usage / 2), estimated_time_to_regain_access: regain }],
      }),
    };
    if (!throttled) return { headers };
    return { headers, error: this.#settings.code === 4 ? errors.appRateLimit() : errors.accountRateLimit() };
  }

  /** Drops calls older than the rolling hour; calls are in time order, so from the front. */
  #expire(now: number): void {
    let first = 0;
    while (first < this.#calls.length && this.#calls[first]! <= now - HOUR) first++;
    if (first > 0) this.#calls.splice(0, first);
  }

  #percent(): number {
    return Math.round((this.#calls.length / this.#settings.budgetPerHour) * 100);
  }

  #minutesToRegain(now: number): number {
    const oldest = this.#calls[0];
    return oldest === undefined ? 1 : Math.max(1, Math.ceil((oldest + HOUR - now) / 60_000));
  }
}
