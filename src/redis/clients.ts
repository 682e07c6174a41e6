/*
 * Bring your own client. The package depends on no Redis client: these structural types
 * describe what it calls, and `commandSender` tells the two families apart at run time.
 */

/** ioredis and iovalkey (`new Redis(...)`, and their Cluster): `call(command, ...args)`. */
export interface CallingRedisClient {
  call(command: string, ...args: string[]): Promise<unknown>;
  duplicate?(): unknown;
}

/** node-redis v5+ (`createClient(...)` of `redis` or `@redis/client`), or any client taking a raw command as an array. */
export interface ArrayCommandRedisClient {
  sendCommand(args: string[]): Promise<unknown>;
  duplicate?(): unknown;
}

export type RedisClientLike = CallingRedisClient | ArrayCommandRedisClient;

/**
 * A connection for pub/sub: an ioredis-style client (`subscribe(channel)` then `'message'`
 * events) or a node-redis-style one (`subscribe(channel, listener)`). Only subscribe
 * commands run on it, never on the main connection.
 */
export interface RedisSubscriberLike {
  subscribe(channel: string, ...rest: never[]): unknown;
}

/** A Redis reply once Buffers are read as text: what every command of the store returns. */
export type RedisReply = string | number | null | RedisReply[];

export type CommandSender = (args: string[]) => Promise<RedisReply>;

/** Sends raw commands through whichever client was given. */
export function commandSender(client: RedisClientLike): CommandSender {
  const candidate = client as Partial<CallingRedisClient & ArrayCommandRedisClient>;
  // ioredis also has a `sendCommand`, taking its own Command objects: `call` goes first.
  if (typeof candidate.call === 'function') {
    const call = candidate.call.bind(client);
    return async ([command, ...args]) => asReply(await call(command!, ...args));
  }
  if (typeof candidate.sendCommand === 'function') {
    const send = candidate.sendCommand.bind(client);
    return async (args) => asReply(await send(args));
  }
  throw new TypeError('Option "client" must be an ioredis, iovalkey or node-redis client (with call(...) or sendCommand([...]))');
}

export function isRedisClientLike(value: unknown): value is RedisClientLike {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.call === 'function' || typeof candidate.sendCommand === 'function';
}

function asReply(value: unknown): RedisReply {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(asReply);
  if (typeof value === 'bigint') return Number(value);
  // RESP3 maps and other shapes are not used by any command of the store.
  return null;
}

/**
 * Reply errors come from a server that answered: its own error, not an outage, except the
 * few that mean "not serving now" (loading, busy script, failover, cluster down).
 */
export function isOutage(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const reply = /^([A-Z][A-Z_-]+) /.exec(message);
  if (!reply) return true;
  return ['LOADING', 'BUSY', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'CLUSTERDOWN', 'NOREPLICAS'].includes(reply[1]!);
}
