import type { RedisSubscriberLike } from './clients.js';
import { log } from './connection.js';

type Listener = (...args: unknown[]) => void;

interface SubscriberShape {
  subscribe(channel: string, listener?: Listener): Promise<unknown>;
  unsubscribe?(channel: string, listener?: Listener): Promise<unknown>;
  on?(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
  removeListener?(event: string, listener: Listener): unknown;
  call?: unknown;
  status?: unknown;
  isOpen?: unknown;
  connect?(): Promise<unknown>;
  disconnect?(): unknown;
  destroy?(): unknown;
}

/** Events by which ioredis (`close`) and node-redis (`end`, `reconnecting`) report a lost connection. */
const LOST_EVENTS = ['close', 'end', 'reconnecting'];

/**
 * The bus's own connection. ioredis-style clients take `subscribe(channel)` and emit
 * `message(channel, text)`; node-redis-style ones take `subscribe(channel, listener(text))`
 * and must be connected. Both re-subscribe by themselves after a reconnect: a `ready` after
 * a loss is a gap in which messages may have been missed.
 *
 * The bus is up only once Redis has acknowledged a SUBSCRIBE on the current connection;
 * until then a message published by another instance would not reach this one, and the gap
 * reported too early would let that invalidation be lost.
 */
export class BusSubscription {
  readonly #subscriber: SubscriberShape;
  readonly #owned: boolean;
  readonly #channel: string;
  readonly #onText: (text: string) => void;
  readonly #onGap: () => void;
  readonly #onChange: (why: string) => void;
  readonly #eventStyle: boolean;
  #up = false;
  #subscribed = false;
  /** Counts lost connections, so that an acknowledgement from a connection since lost is not taken as up. */
  #connection = 0;
  #closed = false;
  #starting = false;
  readonly #handlers: [string, Listener][] = [];

  constructor(
    subscriber: RedisSubscriberLike,
    owned: boolean,
    channel: string,
    events: { onText: (text: string) => void; onGap: () => void; onChange: (why: string) => void },
  ) {
    this.#subscriber = subscriber as unknown as SubscriberShape;
    this.#owned = owned;
    this.#channel = channel;
    this.#onText = events.onText;
    this.#onGap = events.onGap;
    this.#onChange = events.onChange;
    // ioredis and iovalkey have `call`; node-redis has not.
    this.#eventStyle = typeof this.#subscriber.call === 'function';
    this.#listen('ready', () => this.#ready());
    for (const event of LOST_EVENTS) this.#listen(event, () => this.#lost(event));
    // An owned connection is ours to keep quiet; a user's keeps their own error handling.
    if (owned) this.#listen('error', (error) => log('bus connection error: %s', error instanceof Error ? error.message : 'unknown'));
    if (this.#eventStyle) this.#listen('message', (channel, text) => channel === this.#channel && typeof text === 'string' && this.#onText(text));
    void this.#start();
  }

  get up(): boolean {
    return this.#up;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const was = this.#up;
    this.#up = false;
    for (const [event, handler] of this.#handlers) (this.#subscriber.off ?? this.#subscriber.removeListener)?.call(this.#subscriber, event, handler);
    try {
      if (this.#owned) {
        // node-redis: destroy(); ioredis: disconnect(). Neither waits for the server.
        if (this.#eventStyle) this.#subscriber.disconnect?.();
        else this.#subscriber.destroy?.();
      } else if (this.#subscribed) {
        await this.#subscriber.unsubscribe?.(this.#channel, this.#eventStyle ? undefined : this.#nodeListener);
      }
    } catch {
      // Closing a connection that is already gone.
    }
    if (was) this.#onChange('closed');
  }

  readonly #nodeListener = (text: unknown) => {
    if (typeof text === 'string') this.#onText(text);
  };

  async #start(): Promise<void> {
    if (this.#starting) return;
    this.#starting = true;
    try {
      const subscriber = this.#subscriber;
      if (!this.#eventStyle && subscriber.isOpen === false && typeof subscriber.connect === 'function') await subscriber.connect();
      // A duplicate of a `lazyConnect` ioredis client waits to be told to connect.
      if (this.#eventStyle && subscriber.status === 'wait' && typeof subscriber.connect === 'function') await subscriber.connect();
      // ioredis refuses the ready check on a connection already in subscriber mode: subscribe once it is ready.
      if (this.#eventStyle && subscriber.status !== undefined && subscriber.status !== 'ready') await this.#once('ready');
      if (this.#closed) return;
      await (this.#eventStyle ? subscriber.subscribe(this.#channel) : subscriber.subscribe(this.#channel, this.#nodeListener));
      this.#subscribed = true;
      this.#setUp(true, 'bus subscribed');
    } catch (error) {
      // The client keeps reconnecting; its next `ready` starts over.
      log('bus: subscribing failed: %s', error instanceof Error ? error.message : 'unknown');
    } finally {
      this.#starting = false;
    }
  }

  #ready(): void {
    if (this.#closed) return;
    if (!this.#subscribed) {
      void this.#start();
      return;
    }
    if (this.#up) return;
    void this.#resubscribed(this.#connection);
  }

  /**
   * node-redis emits `ready` once its re-SUBSCRIBE is answered. ioredis emits it as it sends
   * its own (or none, with `autoResubscribe: false`): ours is answered after it, on the same
   * connection, so its reply is the acknowledgement. Subscribing twice to one channel is a no-op.
   */
  async #resubscribed(connection: number): Promise<void> {
    try {
      if (this.#eventStyle) await this.#subscriber.subscribe(this.#channel);
    } catch (error) {
      // The connection went again; its next `ready` tries again.
      log('bus: re-subscribing failed: %s', error instanceof Error ? error.message : 'unknown');
      return;
    }
    if (this.#closed || this.#up || connection !== this.#connection) return;
    this.#setUp(true, 'bus re-subscribed after a gap: invalidations may have been missed');
    this.#onGap();
  }

  #lost(event: string): void {
    if (this.#closed) return;
    this.#connection += 1;
    if (this.#up) this.#setUp(false, `bus connection lost (${event})`);
  }

  #setUp(up: boolean, why: string): void {
    if (this.#up === up) return;
    this.#up = up;
    this.#onChange(why);
  }

  #listen(event: string, handler: Listener): void {
    if (typeof this.#subscriber.on !== 'function') return;
    this.#subscriber.on(event, handler);
    this.#handlers.push([event, handler]);
  }

  #once(event: string): Promise<void> {
    return new Promise((resolve) => {
      const handler = () => {
        (this.#subscriber.off ?? this.#subscriber.removeListener)?.call(this.#subscriber, event, handler);
        resolve();
      };
      this.#listen(event, handler);
    });
  }
}
