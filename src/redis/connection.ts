import createDebug from 'debug';
import { type CommandSender, isOutage, type RedisReply } from './clients.js';

export const log = createDebug('instagram-profile:redis');

/** While Redis answers, a TIME every 10 s: refreshes the clock offset and notices a Redis that hangs with no traffic. */
const HEARTBEAT_MS = 10_000;

/**
 * Two clocks drift apart by at most this much per ms (100 ppm, twice a common crystal's): the
 * error of a kept clock sample grows with its age, so a fresher one soon wins.
 */
const DRIFT_PER_MS = 1e-4;

/** A clock sample older than this gives way to any new one, however imprecise: either clock may have been stepped. */
const SAMPLE_MAX_AGE_MS = 60_000;

/** The rejection of a command given up at its deadline (already counted as an outage). */
const DEADLINE = Symbol('deadline');

export interface ConnectionOptions {
  timeoutMs: number;
  /** Deadline of the first probe: a new client may still be connecting. */
  firstProbeMs: number;
  retryIntervalMs: number;
  now: () => number;
}

/**
 * The command path to Redis, kept healthy: every command runs under a deadline, an outage
 * or a timeout makes it `degraded` (commands then answer undefined at once, without being
 * sent), and a probe brings it back. It also tracks the server's clock, so that expiries
 * are set in server time and instances with skewed clocks agree.
 */
export class RedisConnection {
  readonly #send: CommandSender;
  readonly #options: ConnectionOptions;
  readonly #onUp: () => void;
  readonly #onChange: (why: string) => void;
  #up: boolean | undefined;
  #closed = false;
  #offset = 0;
  /** Half the round trip of the TIME sample behind `#offset`: the server stamped it within that of our estimate. */
  #sampleError = 0;
  /** When that sample was taken (monotonic), for its drift and age. */
  #sampledAt: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #probing = false;

  constructor(send: CommandSender, options: ConnectionOptions, events: { onUp: () => void; onChange: (why: string) => void }) {
    this.#send = send;
    this.#options = options;
    this.#onUp = events.onUp;
    this.#onChange = events.onChange;
    void this.#probe();
  }

  /** undefined until the first probe answers or fails. */
  get up(): boolean | undefined {
    return this.#up;
  }

  /** Server time now, in ms, as estimated from this instance's clock. */
  serverNow(): number {
    return this.#options.now() + this.#offset;
  }

  /**
   * How far `serverNow()` may be from the server's clock, in ms: half the round trip of the
   * TIME sample in use, plus drift since. A loaded process measures a long round trip, so this
   * says how much to trust the estimate, and writes that must not land late allow for it.
   */
  clockError(): number {
    return this.#sampledAt === undefined ? 0 : this.#sampleError + (performance.now() - this.#sampledAt) * DRIFT_PER_MS;
  }

  /** A time on this instance's clock as a server time. */
  toServer(localMs: number): number {
    return localMs + this.#offset;
  }

  /** A server time as a time on this instance's clock. */
  toLocal(serverMs: number): number {
    return serverMs - this.#offset;
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /**
   * Runs one command under the deadline. Undefined when Redis is degraded, the command
   * failed or timed out (a command given up may still run later: every write is built to
   * be harmless then). A reply error of a server that answered is a failure of that command only.
   */
  run(args: string[], deadlineMs = this.#options.timeoutMs): Promise<RedisReply | undefined> {
    if (this.#up !== true) return Promise.resolve(undefined);
    return this.#withDeadline(args, deadlineMs).then(
      (reply) => reply,
      (error: unknown) => {
        if (error === DEADLINE) return undefined;
        if (isOutage(error)) this.#down(error instanceof Error ? error.message : 'failed');
        else log('%s answered an error: %s', args[0], error instanceof Error ? error.message.slice(0, 120) : 'unknown');
        return undefined;
      },
    );
  }

  /** Stops probing; later commands answer undefined without being sent. */
  close(): void {
    this.#closed = true;
    this.#up = false;
    clearTimeout(this.#timer);
  }

  #withDeadline(args: string[], ms: number): Promise<RedisReply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const startedAt = performance.now();
      const giveUp = () => {
        if (settled) return;
        settled = true;
        this.#down(`${args[0]} took longer than ${ms} ms`);
        reject(DEADLINE);
      };
      const timer = setTimeout(() => {
        // A timer that fires late means this process was busy (a long task, a loaded CPU), not
        // that Redis was slow: its reply may be waiting in the socket. Let I/O run once first.
        if (performance.now() - startedAt > ms * 1.5) setImmediate(giveUp);
        else giveUp();
      }, ms);
      this.#send(args).then(
        (reply) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          resolve(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          reject(error);
        },
      );
    });
  }

  #down(why: string): void {
    if (this.#closed) return;
    if (this.#up !== false) {
      this.#up = false;
      // The heartbeat may be 10 s away: probe on the retry interval instead.
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#onChange(why);
    }
    this.#schedule(this.#options.retryIntervalMs);
  }

  #schedule(ms: number): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#probe();
    }, ms);
    this.#timer.unref?.();
  }

  /**
   * TIME: proves Redis answers and measures its clock against ours (half the round trip on each
   * side). The most precise recent sample is kept: a round trip stretched by a busy moment
   * replaces it only once it is old.
   */
  async #probe(): Promise<void> {
    if (this.#closed || this.#probing) return;
    this.#probing = true;
    const before = this.#options.now();
    try {
      const reply = await this.#withDeadline(['TIME'], this.#up === undefined ? this.#options.firstProbeMs : this.#options.timeoutMs);
      const after = this.#options.now();
      const serverMs = serverTimeMs(reply);
      if (serverMs === undefined) throw new Error('TIME answered garbage');
      this.#keepSample(serverMs - (before + after) / 2, (after - before) / 2);
      if (this.#up !== true && !this.#closed) {
        this.#up = true;
        this.#onChange(`Redis answers (clock offset to the server ${Math.round(this.#offset)} ms)`);
        this.#onUp();
      }
      // An estimate whose error eats into the commands' deadline (a first TIME that waited for
      // the connection, a busy moment) is measured again soon, not at the next heartbeat.
      this.#schedule(this.clockError() > this.#options.timeoutMs / 4 ? this.#options.retryIntervalMs : HEARTBEAT_MS);
    } catch (error) {
      this.#down(error instanceof Error ? error.message : 'TIME failed');
    } finally {
      this.#probing = false;
    }
  }

  #keepSample(offset: number, error: number): void {
    const sampledAt = performance.now();
    const stale = this.#sampledAt === undefined || sampledAt - this.#sampledAt > SAMPLE_MAX_AGE_MS;
    if (!stale && error > this.clockError()) return;
    this.#offset = offset;
    this.#sampleError = error;
    this.#sampledAt = sampledAt;
  }
}

function serverTimeMs(reply: RedisReply): number | undefined {
  if (!Array.isArray(reply) || reply.length !== 2) return undefined;
  const seconds = Number(reply[0]);
  const micros = Number(reply[1]);
  if (!Number.isFinite(seconds) || !Number.isFinite(micros)) return undefined;
  return seconds * 1000 + Math.floor(micros / 1000);
}
