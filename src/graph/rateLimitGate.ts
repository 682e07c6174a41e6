import createDebug from 'debug';
import { localErrorFields, RateLimitError } from '../errors.js';
import { APP_RATE_LIMIT_CODE } from '../platform/graphErrors.js';
import { parseAppUsage, parseBusinessUseCaseUsage, peakUsage, regainAccessMs, type AppUsage, type BusinessUseCaseUsage } from '../platform/usage.js';

const log = createDebug('instagram-profile:throttle');

/** The key of calls made without a business id and of app-wide limits, for throttles and circuits alike. */
export const APP_KEY = '*';
const MAX_BACKOFF_MS = 3_600_000;

export interface UsageSnapshot {
  app: AppUsage | undefined;
  business: BusinessUseCaseUsage[];
  /** The highest usage percentage seen in the last reply (throttling may start at 100). */
  peak: number;
  at: number;
  /** The raw headers, to skip parsing when the next reply repeats them. */
  appHeader?: string | string[] | undefined;
  businessHeader?: string | string[] | undefined;
}

interface Block {
  until: number;
  error: RateLimitError;
  strikes: number;
}

/**
 * Remembers who is throttled. Meta's advice is to stop calling while throttled, since calls
 * made meanwhile extend the block; so after a rate-limit error no call is made for that
 * business (or for anyone, after app-wide code 4) until Meta's estimate, or our backoff, passes.
 */
export class RateLimitGate {
  readonly #blocks = new Map<string, Block>();
  readonly #usage = new Map<string, UsageSnapshot>();

  /** The last usage seen per business (`*` for calls without one), for the usage gauges. */
  usageEntries(): IterableIterator<[string, UsageSnapshot]> {
    return this.#usage.entries();
  }

  constructor(
    private readonly now: () => number,
    private readonly backoff: number,
    /** Told of every block this instance starts, so that other instances can share it. */
    private readonly onBlocked: (key: string, until: number) => void = () => undefined,
  ) {}

  /** The error to answer at once when `businessId` (or the whole app) is still throttled. */
  blocked(businessId: string | undefined): RateLimitError | undefined {
    return this.#check(APP_KEY) ?? (businessId === undefined ? undefined : this.#check(businessId));
  }

  /** Records the usage headers of any reply (parsed only when they changed: they move slowly). */
  recordUsage(businessId: string | undefined, headers: Record<string, string | string[] | undefined>): UsageSnapshot | undefined {
    const appHeader = headers['x-app-usage'];
    const businessHeader = headers['x-business-use-case-usage'];
    if (appHeader === undefined && businessHeader === undefined) return undefined;
    const key = businessId ?? APP_KEY;
    const last = this.#usage.get(key);
    if (last && last.appHeader === appHeader && last.businessHeader === businessHeader) return last;
    const app = parseAppUsage(appHeader);
    const business = parseBusinessUseCaseUsage(businessHeader);
    const snapshot = { app, business, peak: peakUsage(app, business), at: this.now(), appHeader, businessHeader };
    this.#usage.set(key, snapshot);
    if (snapshot.peak >= 80) log('usage at %d%% for business %s', snapshot.peak, businessId ?? '(none)');
    return snapshot;
  }

  usage(businessId: string | undefined): UsageSnapshot | undefined {
    return this.#usage.get(businessId ?? APP_KEY);
  }

  /** Blocks calls after a rate-limit error; returns how long, in ms. */
  onRateLimited(businessId: string | undefined, graphCode: number | undefined, snapshot: UsageSnapshot | undefined): number {
    const key = graphCode === APP_RATE_LIMIT_CODE || businessId === undefined ? APP_KEY : businessId;
    const strikes = (this.#blocks.get(key)?.strikes ?? 0) + 1;
    const hintMs = regainAccessMs(snapshot?.business ?? [], businessId);
    const waitMs = hintMs > 0 ? hintMs : Math.min(MAX_BACKOFF_MS, this.backoff * 2 ** (strikes - 1));
    const error = new RateLimitError(
      `Graph API calls ${key === APP_KEY ? 'of this app' : `for business ${key}`} are throttled (code ${graphCode ?? 'unknown'}); not calling for ${Math.ceil(waitMs / 1000)} s`,
      localErrorFields(graphCode),
      waitMs,
    );
    const until = this.now() + waitMs;
    this.#blocks.set(key, { until, error, strikes });
    log('throttled %s for %d ms (%s)', key === APP_KEY ? 'the app' : `business ${key}`, waitMs, hintMs > 0 ? "Meta's estimate" : `backoff, strike ${strikes}`);
    this.onBlocked(key, until);
    return waitMs;
  }

  /**
   * A block another instance started (`key`: a business id or `*`), until `until` on this
   * clock; 0 or a past time lifts it. A later end wins; the backoff strikes stay this instance's own.
   */
  applyShared(key: string, until: number): void {
    const current = this.#blocks.get(key);
    const now = this.now();
    if (until <= now) {
      if (current) current.until = Math.min(current.until, now);
      return;
    }
    if (current && current.until >= until) return;
    const waitMs = until - now;
    const error = new RateLimitError(
      `Graph API calls ${key === APP_KEY ? 'of this app' : `for business ${key}`} are throttled (seen by another instance); not calling for ${Math.ceil(waitMs / 1000)} s`,
      localErrorFields(),
      waitMs,
    );
    this.#blocks.set(key, { until, error, strikes: current?.strikes ?? 0 });
    log('throttled %s for %d ms (shared by another instance)', key === APP_KEY ? 'the app' : `business ${key}`, waitMs);
  }

  /** A successful call ends the backoff progression. */
  onSuccess(businessId: string | undefined): void {
    if (this.#blocks.size === 0) return;
    this.#blocks.delete(businessId ?? APP_KEY);
  }

  #check(key: string): RateLimitError | undefined {
    const block = this.#blocks.get(key);
    if (!block) return undefined;
    const remaining = block.until - this.now();
    // Expired blocks stay (for the strike count) until a call succeeds.
    if (remaining <= 0) return undefined;
    const { error } = block;
    return new RateLimitError(error.message, error, remaining);
  }
}
