import createDebug from 'debug';
import { type DurableInbox, type InboxBegin, type InboxEntry, type InboxRecord, turnOfEntry } from './inbox.js';
import type { TurnScheduler } from './scheduler.js';
import type { InboundActivity } from './activity.js';

const log = createDebug('instagram-profile:inbox');

/** Runs one turn; never rejects (the adapters catch). */
type RunTurn = (activity: InboundActivity) => Promise<void>;

export interface InboxRunnerOptions {
  /** Events held at once by this instance: more would only wait here while other instances could run them. */
  window: number;
  turnTimeoutMs: number;
  /** How long the inbox may be unable to tell (Redis down) before a held event runs anyway, in ms. */
  patienceMs: number;
  serviceUrl: string;
  now: () => number;
}

/**
 * This instance's side of the durable inbox: takes events, keeps each customer's events
 * in order, asks the inbox for the customer's turn before running one, runs it on the
 * shared `TurnScheduler` (so the concurrency limit and the turn time limit hold), and
 * finishes it. Waiting for a customer's turn happens outside the scheduler: a slot is
 * only ever held by a turn that runs, so instances waiting on each other never deadlock.
 */
export class InboxRunner {
  readonly #inbox: DurableInbox;
  readonly #scheduler: TurnScheduler;
  readonly #options: InboxRunnerOptions;
  /** Held events by customer, oldest first: only the first of each asks for its turn. */
  readonly #customers = new Map<string, InboxEntry[]>();
  #runTurn: RunTurn | undefined;
  #held = 0;
  /** Held events in the scheduler now (counted there as running or queued too). */
  #scheduled = 0;
  #started = false;
  #abandoned = false;
  #idleWaiters: (() => void)[] = [];

  constructor(inbox: DurableInbox, scheduler: TurnScheduler, options: InboxRunnerOptions) {
    this.#inbox = inbox;
    this.#scheduler = scheduler;
    this.#options = options;
  }

  /** Events taken from the inbox and not finished yet. */
  get held(): number {
    return this.#held;
  }

  /** Held events not in the scheduler: waiting for their customer's turn, or being finished. */
  get waiting(): number {
    return this.#held - this.#scheduled;
  }

  write(records: readonly InboxRecord[]): Promise<boolean> {
    return this.#inbox.write(records).catch((error: unknown) => {
      log('the inbox write threw: %O', error);
      return false;
    });
  }

  /** Marks an event that ran without the inbox completed, best effort. */
  completed(digest: string): Promise<void> {
    return this.#inbox.completed(digest).catch(() => undefined);
  }

  /** Starts taking events, run with this turn logic (the latest given is used). */
  start(runTurn: RunTurn): void {
    this.#runTurn = runTurn;
    if (this.#started || this.#abandoned) return;
    this.#started = true;
    this.#inbox.start({ room: () => this.#options.window - this.#held, take: (entries) => this.#take(entries) });
  }

  /** Takes no more events; those held still run. */
  stopTaking(): Promise<void> {
    return this.#inbox.stop();
  }

  /** Resolves once no event is held. */
  idle(): Promise<void> {
    if (this.#held === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Gives up what is still held: it stays in the inbox, and other instances take it over. */
  async abandon(): Promise<void> {
    this.#abandoned = true;
    await this.#inbox.close();
  }

  #take(entries: readonly InboxEntry[]): void {
    for (const entry of entries) {
      this.#held++;
      const queue = this.#customers.get(entry.customer);
      if (queue) {
        insertInOrder(queue, entry);
        continue;
      }
      this.#customers.set(entry.customer, [entry]);
      void this.#advance(entry.customer);
    }
  }

  /** Runs the customer's held events one after another, each once the inbox gives it the customer's turn. */
  async #advance(customer: string): Promise<void> {
    const queue = this.#customers.get(customer)!;
    while (queue.length > 0) {
      const entry = queue[0]!;
      // An earlier event taken over from a dead instance may come in ahead of this one meanwhile.
      const verdict = await this.#begin(entry, () => queue[0] !== entry);
      if (verdict === 'abandoned') return;
      if (verdict === 'preempted') continue;
      if (verdict === 'run') await this.#run(entry);
      else {
        log('skipped event %s: it completed before', entry.id);
        await this.#finish(entry, false);
      }
      queue.splice(queue.indexOf(entry), 1);
      this.#held--;
    }
    this.#customers.delete(customer);
    if (this.#held === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #begin(entry: InboxEntry, preempted: () => boolean): Promise<InboxBegin | 'abandoned' | 'preempted'> {
    let pause = 5;
    let unavailableSince: number | undefined;
    for (;;) {
      if (this.#abandoned) return 'abandoned';
      if (preempted()) return 'preempted';
      const verdict = await this.#inbox.begin(entry).catch((): InboxBegin => 'unavailable');
      if (verdict === 'run' || verdict === 'done') return verdict;
      if (verdict === 'unavailable') {
        unavailableSince ??= performance.now();
        // Redis is never a new way to fail: past this, the event runs without the customer's lease.
        if (performance.now() - unavailableSince >= this.#options.patienceMs) {
          log('the inbox cannot tell whose turn it is (Redis down?): running event %s anyway', entry.id);
          return 'run';
        }
      } else unavailableSince = undefined;
      await sleep(pause);
      pause = Math.min(pause * 2, 100);
    }
  }

  async #run(entry: InboxEntry): Promise<void> {
    const turn = turnOfEntry(entry, this.#options.serviceUrl, this.#options.now);
    if (!turn) {
      log('dropped event %s: its payload is not one readable webhook item', entry.id);
      await this.#finish(entry, false);
      return;
    }
    // A place in the scheduler, as an HTTP delivery reserves one: the limits hold for both.
    for (let pause = 5; !this.#scheduler.tryReserve(1); pause = Math.min(pause * 2, 100)) {
      if (this.#abandoned) return;
      await sleep(pause);
    }
    const runTurn = this.#runTurn!;
    this.#scheduled++;
    await new Promise<void>((resolve) => {
      this.#scheduler.enqueue(turn.queueKey, () => this.#withinTimeLimit(runTurn(turn.activity), entry).finally(resolve));
    });
    this.#scheduled--;
    await this.#finish(entry, true);
  }

  /** The turn, or its time limit: past it the customer's next event goes ahead, as without an inbox. */
  async #withinTimeLimit(turn: Promise<void>, entry: InboxEntry): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('event %s is still running after %d ms: finishing it so that the customer\'s next event goes ahead', entry.id, this.#options.turnTimeoutMs);
        resolve();
      }, this.#options.turnTimeoutMs);
    });
    try {
      await Promise.race([turn, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells the inbox, again until it hears (an unacknowledged event would run again elsewhere). */
  async #finish(entry: InboxEntry, completed: boolean): Promise<void> {
    for (let pause = 50; !this.#abandoned; pause = Math.min(pause * 2, 1_000)) {
      if (await this.#inbox.finish(entry, completed).catch(() => false)) return;
      await sleep(pause);
    }
  }
}

/** Keeps a customer's held events in inbox order: a taken-over event is older than those read since. */
function insertInOrder(queue: InboxEntry[], entry: InboxEntry): void {
  let at = queue.length;
  while (at > 0 && compareIds(queue[at - 1]!.id, entry.id) > 0) at--;
  queue.splice(at, 0, entry);
}

/** Orders stream ids (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
