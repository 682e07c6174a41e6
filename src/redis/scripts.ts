/*
 * Lua scripts, each touching keys of one Cluster slot only (one customer's hash tag, or a
 * single key). EVAL and these commands exist in Redis ≥ 7.0 and in Valkey alike. Writes use
 * absolute expiries (PXAT, in server time) and refuse to run past `giveUpAt`, so a command
 * that the caller gave up at its deadline, and that reaches Redis later, changes nothing.
 */

const SERVER_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: profile, tombstone. ARGV: value, expireAt, giveUpAt. 1 when stored. */
export const SET_ENTRY = `${SERVER_NOW}
if now > tonumber(ARGV[3]) or now >= tonumber(ARGV[2]) then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1`;

/**
 * KEYS: an index (sorted set). ARGV: member, score (the server time it lapses), giveUpAt.
 * Keeps the later score of a member, drops lapsed members, and lets the index live as
 * long as its longest member: indexes never grow without bound.
 */
export const INDEX_ADD = `${SERVER_NOW}
if now > tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[1], last[2]) end
return 1`;

/** KEYS: lease, profile. ARGV: token, expireAt, giveUpAt. The stored value when present, else 'acquired' or 'held'. */
export const TRY_LEASE = `${SERVER_NOW}
if now > tonumber(ARGV[3]) then return 'held' end
local value = redis.call('GET', KEYS[2])
if value then return {'present', value} end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then return 'acquired' end
return 'held'`;

/** KEYS: lease. ARGV: token, expireAt, giveUpAt. The lease alone, when the stored value is one we cannot read. */
export const TAKE_LEASE = `${SERVER_NOW}
if now > tonumber(ARGV[3]) then return 'held' end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then return 'acquired' end
return 'held'`;

/** KEYS: lease. ARGV: token. Deletes the lease only if this holder still owns it. */
export const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: profile, lease. The stored value (or false) and the lease's remaining ms (negative when none). */
export const PEEK_RESULT = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[2])}`;

/** KEYS: profile, tombstone. ARGV: tombstone ms. Deletes the entry and refuses writes already on their way. */
export const FORGET_ONE = `local removed = redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return removed`;

/** KEYS: profile. ARGV: the mark of a remembered "no consent". Deletes the entry only if it is one. */
export const CLEAR_NO_CONSENT = `local value = redis.call('GET', KEYS[1])
if value and string.find(value, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * KEYS: delivery. ARGV: expireAt, reclaimAfterMs, giveUpAt. 'first', 'duplicate',
 * 'reclaimed' (received long ago and never completed: its instance is presumed gone), or
 * 'unknown' for a value it cannot read.
 * Values: 'r:<server ms received>' or 'c' once completed.
 */
export const RECEIVED = `${SERVER_NOW}
if now > tonumber(ARGV[3]) then return 'late' end
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'r:' .. now, 'PXAT', ARGV[1])
  return 'first'
end
if value == 'c' then return 'duplicate' end
local at = tonumber(string.sub(value, 3))
if not at then return 'unknown' end
if now - at >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], 'r:' .. now, 'KEEPTTL')
  return 'reclaimed'
end
return 'duplicate'`;
