import { finiteNumber, isRecord, nonEmptyString, parseJson } from '../internal/json.js';
import { isIgsid } from '../platform/igsid.js';
import type { Invalidation, ThrottleReason } from './types.js';

/**
 * What travels on the bus: keys and times, never profile data. Each message names the
 * instance that sent it (`o`), so an instance ignores its own. A message of another
 * version or that does not parse is dropped.
 */
export type BusMessage =
  | { type: 'invalidate'; invalidation: Exclude<Invalidation, { scope: 'everything' }> }
  | { type: 'result'; businessId: string | undefined; igsid: string }
  | { type: 'throttle'; scope: string; until: number; reason: ThrottleReason };

const VERSION = 1;
const REASON_CODES: Record<ThrottleReason, string> = { 'rate-limited': 'rl', 'circuit-open': 'co' };

export function encodeMessage(origin: string, message: BusMessage): string {
  const base = { v: VERSION, o: origin };
  switch (message.type) {
    case 'result':
      return JSON.stringify({ ...base, t: 'r', b: message.businessId, i: message.igsid });
    case 'throttle':
      return JSON.stringify({ ...base, t: 't', s: message.scope, u: message.until, r: REASON_CODES[message.reason] });
    case 'invalidate': {
      const { invalidation } = message;
      if (invalidation.scope === 'person') return JSON.stringify({ ...base, t: 'u', i: invalidation.igsid });
      if (invalidation.scope === 'business') return JSON.stringify({ ...base, t: 'b', b: invalidation.businessId });
      return JSON.stringify({ ...base, t: invalidation.scope === 'consent' ? 'c' : 'p', b: invalidation.businessId, i: invalidation.igsid });
    }
  }
}

/** The message and its sender, or undefined for anything this version does not understand. */
export function decodeMessage(text: string): { origin: string; message: BusMessage } | undefined {
  const value = parseJson(text);
  if (!isRecord(value) || value.v !== VERSION) return undefined;
  const origin = nonEmptyString(value.o);
  if (origin === undefined) return undefined;
  const message = messageOf(value);
  return message && { origin, message };
}

function messageOf(value: Record<string, unknown>): BusMessage | undefined {
  const businessId = value.b === undefined ? undefined : isIgsid(value.b) ? value.b : null;
  const igsid = isIgsid(value.i) ? value.i : undefined;
  switch (value.t) {
    case 'r':
      return businessId !== null && igsid ? { type: 'result', businessId, igsid } : undefined;
    case 'p':
    case 'c':
      return businessId !== null && igsid ? { type: 'invalidate', invalidation: { scope: value.t === 'p' ? 'profile' : 'consent', businessId, igsid } } : undefined;
    case 'u':
      return igsid ? { type: 'invalidate', invalidation: { scope: 'person', igsid } } : undefined;
    case 'b':
      return businessId ? { type: 'invalidate', invalidation: { scope: 'business', businessId } } : undefined;
    case 't': {
      const until = finiteNumber(value.u);
      const reason = value.r === 'rl' ? 'rate-limited' : value.r === 'co' ? 'circuit-open' : undefined;
      return isThrottleScope(value.s) && until !== undefined && reason ? { type: 'throttle', scope: value.s, until, reason } : undefined;
    }
    default:
      return undefined;
  }
}

/** `*` (the whole app) or a business id. */
export function isThrottleScope(value: unknown): value is string {
  return value === '*' || isIgsid(value);
}
