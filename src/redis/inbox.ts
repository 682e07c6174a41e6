import createDebug from 'debug';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DurableInbox, InboxBegin, InboxConsumer, InboxEntry, InboxRecord, InboxSettings } from '../webhook/inbox.js';
import { type CommandSender, commandSender, isRedisClientLike, type RedisClientLike, type RedisReply } from './clients.js';
import { BULK_DEADLINE_MS, run, type StoreContext, strictGiveUpAt } from './context.js';

const log = createDebug('instagram-profile:inbox');

/** The consumer group every instance reads through. */
const GROUP = 'instagram-profile';
/** How long one blocking read waits for new events, in ms: also how long `stop()` may wait for it. */
const BLOCK_MS = 500;
/** Events asked for by one read or one take-over. */
const READ_COUNT = 100;
/** Ids per XCLAIM heartbeat command. */
const HEARTBEAT_CHUNK = 500;
/** A customer's queue that nothing drains any more (its events trimmed by the fuse) goes after this. */
const QUEUE_TTL_MS = 7 * 24 * 3_600_000;
/** Customer queue keys as the core makes them: `<business digits>/<customer digits>`. */
const CUSTOMER = /^\d{0,32}\/\d{1,32}$/;
/** Completion keys the store accepts: a digest, or `e<stream id>`. */
const COMPLETION_KEY = /^[\w-]{1,64}$/;

const SERVER_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: stream, then each record's customer queue. ARGV: giveUpAt, maxLength, queueTtlMs,
 * then per record: customer, digest, payload. One script, so a delivery is kept whole or not
 * at all; refused past `giveUpAt`, so a write given up at its deadline changes nothing later.
 */
const WRITE = `${SERVER_NOW}
if now > tonumber(ARGV[1]) then return 0 end
for i = 2, #KEYS do
  local at = 4 + (i - 2) * 3
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'c', ARGV[at], 'd', ARGV[at + 1], 'e', ARGV[at + 2])
  redis.call('RPUSH', KEYS[i], id)
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return #KEYS - 1`;

/**
 * KEYS: stream, queue, lease. ARGV: group, id, token, leaseMs. Only the first unfinished
 * event of a customer may run, and only by the lease holder. A head that is in nobody's
 * pending list was finished or trimmed (the entry asking was delivered after it, so it was
 * delivered too): it is dropped from the queue.
 */
const BEGIN = `if not redis.call('LPOS', KEYS[2], ARGV[2]) then return 'gone' end
for _ = 1, 64 do
  local head = redis.call('LINDEX', KEYS[2], 0)
  if head == ARGV[2] then
    local holder = redis.call('GET', KEYS[3])
    if holder and holder ~= ARGV[3] then return 'wait' end
    redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
    return 'run'
  end
  if #redis.call('XPENDING', KEYS[1], ARGV[1], head, head, 1) > 0 then return 'wait' end
  redis.call('LPOP', KEYS[2])
end
return 'wait'`;

/** KEYS: stream, queue, lease. ARGV: group, id, token. Acknowledges, deletes, dequeues, and frees the customer. */
const FINISH = `redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('LREM', KEYS[2], 1, ARGV[2])
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
return 1`;

/** KEYS: lease. ARGV: token, leaseMs. Renews the lease only while this holder owns it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

interface Held {
  entry: InboxEntry;
  /** `<consumer>|<entry id>`: names who holds a customer's lease. */
  token: string;
  leased: boolean;
}

interface BlockingShape {
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  isOpen?: unknown;
  status?: unknown;
  connect?(): Promise<unknown>;
  call?: unknown;
  disconnect?(): unknown;
  destroy?(): unknown;
}

/**
 * The durable inbox on a Redis Stream, read through one consumer group. Events are written
 * with their customer's queue in one script; an instance takes them with XREADGROUP on a
 * connection of its own, runs the first unfinished event of each customer under the
 * customer's lease, and acknowledges and deletes each after its turn. Events held by an
 * instance that stopped answering are taken over with XAUTOCLAIM after `claimAfterMs`;
 * a heartbeat (XCLAIM to itself) keeps a live instance's events from being taken.
 */
export class RedisInbox implements DurableInbox {
  /** This instance in the consumer group; also the start of its lease tokens. */
  readonly consumer = `${hostname().replace(/[^\w.-]/g, '_')}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #context: StoreContext;
  readonly #settings: InboxSettings;
  readonly #blocking: CommandSender;
  readonly #connection: BlockingShape;
  readonly #owned: boolean;
  readonly #onHealth: (failing: boolean) => void;
  readonly #held = new Map<string, Held>();
  #reader: InboxConsumer | undefined;
  #reading: Promise<void> | undefined;
  #tick: ReturnType<typeof setInterval> | undefined;
  #ticking = false;
  #claimCursor = '0-0';
  #stopped = false;
  #closed = false;
  #failing = false;

  constructor(context: StoreContext, settings: InboxSettings, onHealth: (failing: boolean) => void) {
    this.#context = context;
    this.#settings = settings;
    this.#onHealth = onHealth;
    const given = settings.client;
    if (given !== undefined && !isRedisClientLike(given)) {
      throw new TypeError('Option "inbox.client" must be an ioredis, iovalkey or node-redis client for the blocking reads (a connection of its own)');
    }
    const connection = given ?? context.options.client.duplicate?.();
    if (!isRedisClientLike(connection)) throw new TypeError('Option "inbox.client" is required: the store\'s client.duplicate() did not return a client');
    this.#owned = given === undefined;
    this.#connection = connection as BlockingShape;
    this.#blocking = commandSender(connection as RedisClientLike);
    if (this.#owned) this.#connection.on?.('error', (error) => log('inbox connection error: %s', error instanceof Error ? error.message : 'unknown'));
  }

  get #keys() {
    const prefix = this.#context.keys.prefix;
    return {
      stream: `${prefix}{inbox}:s`,
      queue: (customer: string) => `${prefix}{inbox}:q:${customer}`,
      lease: (customer: string) => `${prefix}{inbox}:l:${customer}`,
    };
  }

  /** The stream key, for operators and tests. */
  get stream(): string {
    return this.#keys.stream;
  }

  async write(records: readonly InboxRecord[]): Promise<boolean> {
    if (records.length === 0) return true;
    if (this.#closed || !records.every(validRecord)) return false;
    const keys = [this.#keys.stream, ...records.map((record) => this.#keys.queue(record.customer))];
    const args = records.flatMap((record) => [record.customer, record.digest ?? '', record.payload]);
    const reply = await run(this.#context, ['EVAL', WRITE, keys.length, ...keys, strictGiveUpAt(this.#context), this.#settings.maxLength, QUEUE_TTL_MS, ...args]);
    this.#health(reply === records.length);
    return reply === records.length;
  }

  start(consumer: InboxConsumer): void {
    if (this.#reader || this.#stopped) return;
    this.#reader = consumer;
    this.#reading = this.#readLoop();
    const every = Math.min(5_000, Math.max(25, Math.floor(this.#settings.claimAfterMs / 4)));
    this.#tick = setInterval(() => void this.#onTick(), every);
    this.#tick.unref?.();
  }

  async begin(entry: InboxEntry): Promise<InboxBegin> {
    const held = this.#held.get(entry.id);
    if (!held) return 'done';
    const keys = this.#keys;
    const leaseMs = this.#settings.claimAfterMs;
    const reply = await this.#run(['EVAL', BEGIN, 3, keys.stream, keys.queue(entry.customer), keys.lease(entry.customer), GROUP, entry.id, held.token, leaseMs]);
    if (reply === 'gone') return 'done';
    if (reply !== 'run') return reply === 'wait' ? 'wait' : 'unavailable';
    held.leased = true;
    const mark = await this.#run(['GET', this.#context.keys.delivery(this.#completionKey(entry))]);
    if (mark === undefined) return 'unavailable';
    return mark === 'c' ? 'done' : 'run';
  }

  async finish(entry: InboxEntry, completed: boolean): Promise<boolean> {
    const held = this.#held.get(entry.id);
    if (!held) return true;
    if (completed && !(await this.#markCompleted(this.#completionKey(entry)))) return false;
    const keys = this.#keys;
    const reply = await this.#run(['EVAL', FINISH, 3, keys.stream, keys.queue(entry.customer), keys.lease(entry.customer), GROUP, entry.id, held.token]);
    if (reply !== 1) return false;
    this.#held.delete(entry.id);
    return true;
  }

  async completed(digest: string): Promise<void> {
    if (COMPLETION_KEY.test(digest)) await this.#markCompleted(digest);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#reading;
    if (this.#owned) {
      // ioredis: disconnect(); node-redis: destroy(). The read loop has ended: nothing is in flight.
      if (typeof this.#connection.call === 'function') this.#connection.disconnect?.();
      else this.#connection.destroy?.();
    }
  }

  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
    clearInterval(this.#tick);
    if (this.#held.size > 0) log('closing with %d event(s) unfinished: other instances take them over after %d ms', this.#held.size, this.#settings.claimAfterMs);
    this.#held.clear();
  }

  /** Commands off the webhook's answer path: the longer deadline, so that a loaded machine is not taken for a slow Redis. */
  #run(args: (string | number)[]): Promise<RedisReply | undefined> {
    return run(this.#context, args, Math.max(this.#context.connection.timeoutMs, BULK_DEADLINE_MS));
  }

  #completionKey(entry: InboxEntry): string {
    return entry.digest && COMPLETION_KEY.test(entry.digest) ? entry.digest : `e${entry.id}`;
  }

  async #markCompleted(key: string): Promise<boolean> {
    const expireAt = Math.round(this.#context.connection.serverNow() + this.#settings.completedTtlMs);
    return (await this.#run(['SET', this.#context.keys.delivery(key), 'c', 'PXAT', expireAt])) !== undefined;
  }

  #health(ok: boolean): void {
    if (ok === !this.#failing) return;
    this.#failing = !ok;
    // Logged once per change, not once per delivery.
    if (ok) log('inbox writes work again: deliveries are kept in Redis before they are answered');
    else log('an inbox write failed or timed out: deliveries run in this process (not durable) until Redis takes them again');
    this.#onHealth(!ok);
  }

  async #readLoop(): Promise<void> {
    await this.#connect();
    let groupReady = false;
    while (!this.#stopped) {
      if (!groupReady) groupReady = await this.#createGroup();
      const room = Math.min(READ_COUNT, this.#reader!.room());
      if (!groupReady || room <= 0) {
        await sleep(groupReady ? 20 : this.#context.options.retryIntervalMs);
        continue;
      }
      const read = await this.#blockingCommand(['XREADGROUP', 'GROUP', GROUP, this.consumer, 'COUNT', String(room), 'BLOCK', String(BLOCK_MS), 'STREAMS', this.#keys.stream, '>']);
      if (read.error) {
        if (/NOGROUP/.test(read.error)) groupReady = false;
        else log('inbox read failed: %s', read.error.slice(0, 120));
        await sleep(this.#context.options.retryIntervalMs);
        continue;
      }
      const streams = read.reply;
      if (Array.isArray(streams) && Array.isArray(streams[0])) this.#hand(streams[0][1]);
    }
  }

  /** A blocking command under a deadline of its own; a reply that comes after it is still handed over. */
  async #blockingCommand(args: string[]): Promise<{ reply?: RedisReply; error?: string }> {
    const sent: Promise<{ reply?: RedisReply; error?: string }> = this.#blocking(args).then(
      (reply) => ({ reply }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), BLOCK_MS + this.#context.connection.timeoutMs + 1_000)));
    const result = await Promise.race([sent, deadline]);
    clearTimeout(timer);
    if (result) return result;
    // Entries it returns are ours (in our pending list): take them when they come.
    void sent.then((late) => {
      const streams = late.reply;
      if (!this.#stopped && Array.isArray(streams) && Array.isArray(streams[0])) this.#hand(streams[0][1]);
    });
    return { error: 'the blocking read took too long' };
  }

  async #connect(): Promise<void> {
    const connection = this.#connection;
    try {
      if (typeof connection.call !== 'function' && connection.isOpen === false && typeof connection.connect === 'function') await connection.connect();
      if (typeof connection.call === 'function' && connection.status === 'wait' && typeof connection.connect === 'function') await connection.connect();
    } catch (error) {
      log('inbox connection: connecting failed: %s', error instanceof Error ? error.message : 'unknown');
    }
  }

  /** From the start of the stream: events written before any instance read are not skipped. */
  async #createGroup(): Promise<boolean> {
    const created = await this.#blockingCommand(['XGROUP', 'CREATE', this.#keys.stream, GROUP, '0', 'MKSTREAM']);
    if (!created.error || /BUSYGROUP/.test(created.error)) return true;
    log('inbox: creating the consumer group failed: %s', created.error.slice(0, 120));
    return false;
  }

  /** Entries of an XREADGROUP or XAUTOCLAIM reply: valid ones to the consumer, unreadable ones acknowledged and dropped. */
  #hand(reply: RedisReply | undefined): void {
    if (!Array.isArray(reply)) return;
    const taken: InboxEntry[] = [];
    for (const raw of reply) {
      if (!Array.isArray(raw) || typeof raw[0] !== 'string') continue;
      const id = raw[0];
      if (this.#held.has(id)) continue;
      const entry = entryOf(id, raw[1]);
      if (!entry) {
        log('inbox: dropped entry %s, which this version cannot read', id);
        void this.#run(['XACK', this.#keys.stream, GROUP, id]).then(() => this.#run(['XDEL', this.#keys.stream, id]));
        continue;
      }
      this.#held.set(id, { entry, token: `${this.consumer}|${id}`, leased: false });
      taken.push(entry);
    }
    if (taken.length > 0) this.#reader!.take(taken);
  }

  async #onTick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      await Promise.all([this.#heartbeat(), this.#renewLeases()]);
      if (!this.#stopped) await this.#claimStale();
    } finally {
      this.#ticking = false;
    }
  }

  /** Resets the idle time of every event this instance holds, so that no other instance takes it over. */
  async #heartbeat(): Promise<void> {
    const ids = [...this.#held.keys()];
    for (let i = 0; i < ids.length; i += HEARTBEAT_CHUNK) {
      await this.#run(['XCLAIM', this.#keys.stream, GROUP, this.consumer, 0, ...ids.slice(i, i + HEARTBEAT_CHUNK), 'JUSTID']);
    }
  }

  async #renewLeases(): Promise<void> {
    const renewals = [...this.#held.values()].filter((held) => held.leased);
    await Promise.all(renewals.map((held) => this.#run(['EVAL', RENEW, 1, this.#keys.lease(held.entry.customer), held.token, this.#settings.claimAfterMs])));
  }

  /**
   * Takes over events idle for `claimAfterMs` in another instance's pending list (XAUTOCLAIM,
   * Redis ≥ 6.2), whether or not this instance has room: the events it holds may be waiting
   * for exactly those, the first unfinished of their customers.
   */
  async #claimStale(): Promise<void> {
    if (!this.#reader) return;
    const reply = await this.#run(['XAUTOCLAIM', this.#keys.stream, GROUP, this.consumer, this.#settings.claimAfterMs, this.#claimCursor, 'COUNT', READ_COUNT]);
    if (!Array.isArray(reply)) return;
    this.#claimCursor = typeof reply[0] === 'string' ? reply[0] : '0-0';
    if (Array.isArray(reply[1]) && reply[1].length > 0) log('inbox: took over %d event(s) of an instance that stopped answering', reply[1].length);
    if (!this.#stopped) this.#hand(reply[1]);
  }
}

function validRecord(record: InboxRecord): boolean {
  return CUSTOMER.test(record.customer) && typeof record.payload === 'string' && (record.digest === undefined || COMPLETION_KEY.test(record.digest));
}

/** An entry's fields (`c` customer, `d` digest, `e` event), checked: a stream entry is untrusted input. */
function entryOf(id: string, fields: RedisReply | undefined): InboxEntry | undefined {
  if (!Array.isArray(fields)) return undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) if (typeof fields[i] === 'string' && typeof fields[i + 1] === 'string') values[fields[i] as string] = fields[i + 1] as string;
  const { c: customer, d: digest, e: payload } = values;
  if (!customer || !CUSTOMER.test(customer) || payload === undefined) return undefined;
  return { id, customer, payload, digest: digest && COMPLETION_KEY.test(digest) ? digest : undefined };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });
}
