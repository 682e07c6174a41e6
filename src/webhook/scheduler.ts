/**
 * Runs turns one after another per key (one customer of one business), turns of different
 * keys concurrently up to `maxConcurrent`, and holds at most `maxQueued` waiting turns.
 * Capacity is reserved before a delivery is acknowledged (`tryReserve`), so a turn that was
 * acknowledged always has a place. A turn that outlives `turnTimeoutMs` stops holding its
 * key and its slot (it is not cancelled): one timer for all turns, armed for the oldest.
 */
export type Task = () => Promise<void>;

export interface SchedulerOptions {
  maxConcurrent: number;
  maxQueued: number;
  turnTimeoutMs: number;
  /** Told when a turn outlives `turnTimeoutMs`. */
  onTurnTimeout?: (key: string) => void;
}

interface KeyQueue {
  tasks: Task[];
  /** The running turn of this key, or undefined. */
  running: RunningTurn | undefined;
  /** Waiting in `#ready` for a slot. */
  waiting: boolean;
}

interface RunningTurn {
  key: string;
  startedAt: number;
  released: boolean;
}

export class TurnScheduler {
  readonly #options: SchedulerOptions;
  readonly #keys = new Map<string, KeyQueue>();
  /** Keys with tasks waiting for a free slot, oldest first. */
  #ready: string[] = [];
  #readyHead = 0;
  /** Running turns in start order (oldest first), for the time limit. */
  readonly #runningTurns = new Set<RunningTurn>();
  #queued = 0;
  #reserved = 0;
  #timer: NodeJS.Timeout | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** Turns running now. */
  get running(): number {
    return this.#runningTurns.size;
  }

  /** Turns waiting for a slot or for their customer's earlier turn. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Reserves room for `count` turns of one delivery, or refuses (false) when they might not
   * fit. Every turn scheduled afterwards uses one reservation; `release` returns the rest.
   */
  tryReserve(count: number): boolean {
    const free = this.#options.maxConcurrent + this.#options.maxQueued - this.running - this.#queued - this.#reserved;
    if (count > free) return false;
    this.#reserved += count;
    return true;
  }

  release(count: number): void {
    this.#reserved = Math.max(0, this.#reserved - count);
  }

  /** Schedules a turn on a reservation made by `tryReserve`. */
  enqueue(key: string, task: Task): void {
    if (this.#reserved > 0) this.#reserved--;
    let queue = this.#keys.get(key);
    if (!queue) {
      queue = { tasks: [], running: undefined, waiting: false };
      this.#keys.set(key, queue);
    }
    queue.tasks.push(task);
    this.#queued++;
    if (queue.running || queue.waiting) return;
    // Nothing ahead for this customer: start now when a slot is free (most turns), else wait.
    if (this.running < this.#options.maxConcurrent) this.#start(key, queue);
    else this.#wait(key, queue);
  }

  /** Resolves once every turn scheduled so far (and any they scheduled) has finished or outlived its time limit. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #wait(key: string, queue: KeyQueue): void {
    queue.waiting = true;
    this.#ready.push(key);
  }

  #start(key: string, queue: KeyQueue): void {
    const task = queue.tasks.shift()!;
    this.#queued--;
    const turn: RunningTurn = { key, startedAt: performance.now(), released: false };
    queue.running = turn;
    this.#runningTurns.add(turn);
    this.#armTimer();
    let settled: Promise<void>;
    try {
      settled = task();
    } catch (error) {
      settled = Promise.reject(error);
    }
    // Tasks hand their own errors on; a rejection here only releases the slot.
    settled.then(
      () => this.#finish(turn),
      () => this.#finish(turn),
    );
  }

  /** The turn ended, or outlived its limit: free its slot and its customer's queue. */
  #finish(turn: RunningTurn): void {
    if (turn.released) return;
    turn.released = true;
    this.#runningTurns.delete(turn);
    const queue = this.#keys.get(turn.key)!;
    queue.running = undefined;
    if (queue.tasks.length > 0) this.#wait(turn.key, queue);
    else this.#keys.delete(turn.key);
    this.#pump();
    if (this.#isIdle()) this.#notifyIdle();
  }

  #pump(): void {
    while (this.running < this.#options.maxConcurrent && this.#readyHead < this.#ready.length) {
      const key = this.#ready[this.#readyHead++]!;
      const queue = this.#keys.get(key)!;
      queue.waiting = false;
      this.#start(key, queue);
    }
    // Compact now and then, so the array of started keys does not grow without bound.
    if (this.#readyHead > 1_024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  /** One timer, for the oldest running turn: turns start in order and share one limit. */
  #armTimer(): void {
    if (this.#timer !== undefined) return;
    const oldest = this.#runningTurns.values().next().value;
    if (!oldest) return;
    const wait = Math.max(0, oldest.startedAt + this.#options.turnTimeoutMs - performance.now());
    this.#timer = setTimeout(() => this.#expire(), wait);
    this.#timer.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    const limit = performance.now() - this.#options.turnTimeoutMs;
    for (const turn of this.#runningTurns) {
      if (turn.startedAt > limit) break;
      this.#options.onTurnTimeout?.(turn.key);
      this.#finish(turn);
    }
    this.#armTimer();
  }

  #isIdle(): boolean {
    return this.#runningTurns.size === 0 && this.#queued === 0;
  }

  #notifyIdle(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
