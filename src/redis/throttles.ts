import { giveUpAt, run, type StoreContext } from './context.js';
import { isThrottleScope } from './messages.js';
import { INDEX_ADD } from './scripts.js';
import type { ThrottleNotice, ThrottleReason } from './types.js';

/*
 * Throttles (and open circuits) live in one sorted set, member `<reason>|<scope>` scored by
 * the server time they end: the set keeps the later end of a member, drops ended ones, and
 * expires with the last. Reading them is one command, at start and after a reconnect.
 */

const REASON_CODES: Record<ThrottleReason, string> = { 'rate-limited': 'rl', 'circuit-open': 'co' };

export async function publishThrottle(context: StoreContext, scope: string, untilMs: number, reason: ThrottleReason): Promise<void> {
  if (!isThrottleScope(scope) || !Number.isFinite(untilMs) || !(reason in REASON_CODES)) return;
  const { connection, keys, options } = context;
  const member = `${REASON_CODES[reason]}|${scope}`;
  const lifted = untilMs <= options.now();
  // A lifted throttle travels as 0: "ended", on every clock.
  const until = lifted ? 0 : Math.round(connection.toServer(untilMs));
  await (lifted ? run(context, ['ZREM', keys.throttles(), member]) : run(context, ['EVAL', INDEX_ADD, 1, keys.throttles(), member, until, giveUpAt(context)]));
  await context.publish({ type: 'throttle', scope, until, reason });
}

/** The throttles in force, with their ends on this instance's clock. */
export async function readThrottles(context: StoreContext): Promise<ThrottleNotice[]> {
  const { connection, keys } = context;
  const reply = await run(context, ['ZRANGE', keys.throttles(), `(${Math.floor(connection.serverNow())}`, '+inf', 'BYSCORE', 'WITHSCORES']);
  if (!Array.isArray(reply)) return [];
  const notices: ThrottleNotice[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const [code, scope] = String(reply[i]).split('|');
    const reason = code === 'rl' ? 'rate-limited' : code === 'co' ? 'circuit-open' : undefined;
    const until = Number(reply[i + 1]);
    if (reason && isThrottleScope(scope) && Number.isFinite(until)) notices.push({ scope, until: connection.toLocal(until), reason });
  }
  return notices;
}
