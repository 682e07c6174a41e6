import { LRUCache } from 'lru-cache';
import { finiteNumber, isRecord } from '../internal/json.js';
import { functionOption, optionalInteger } from '../internal/validate.js';

export type DeletionStatus = 'pending' | 'complete' | 'failed';

/** What is kept per confirmation code: no id of the person or business, since anyone holding the code may read it. */
export interface DeletionRecord {
  status: DeletionStatus;
  /** When the callback arrived, in ms since the epoch. */
  requestedAt: number;
  /** When the purge finished (complete or failed), in ms since the epoch. */
  completedAt?: number | undefined;
}

const STATUSES: readonly unknown[] = ['pending', 'complete', 'failed'] satisfies DeletionStatus[];

// Our codes are 32 hex digits; a shared store may hold others', so any short URL-safe code is accepted.
const CODE = /^[A-Za-z0-9_-]{1,128}$/;

/** A code the status page looks up and a store may put in a key: 1 to 128 URL-safe characters, no glob or brace. */
export function isConfirmationCode(value: unknown): value is string {
  return typeof value === 'string' && CODE.test(value);
}

/** The record a stored value holds (only its known fields), or undefined when it is not one: what a shared store reads back is untrusted. */
export function deletionRecordFrom(value: unknown): DeletionRecord | undefined {
  if (!isRecord(value) || !STATUSES.includes(value.status)) return undefined;
  const requestedAt = finiteNumber(value.requestedAt);
  const completedAt = value.completedAt === undefined ? undefined : finiteNumber(value.completedAt);
  if (requestedAt === undefined || (value.completedAt !== undefined && completedAt === undefined)) return undefined;
  const record: DeletionRecord = { status: value.status as DeletionStatus, requestedAt };
  if (completedAt !== undefined) record.completedAt = completedAt;
  return record;
}

/**
 * Where confirmation codes and their status live: in memory by default, or a shared store
 * (Redis) so that every instance answers the status page. Values are plain JSON.
 */
export interface DeletionStatusStore {
  get(code: string): DeletionRecord | undefined | Promise<DeletionRecord | undefined>;
  set(code: string, record: DeletionRecord, ttlMs: number): unknown;
}

export interface MemoryDeletionStatusStoreOptions {
  /** Most codes kept; the least recently used go first. Default 10 000. */
  max?: number | undefined;
  /** Clock in ms (`Date.now`-like), for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** The default store: a bounded in-process map. Codes are lost on restart and not seen by other instances. */
export class MemoryDeletionStatusStore implements DeletionStatusStore {
  readonly #records: LRUCache<string, DeletionRecord>;

  constructor(options: MemoryDeletionStatusStoreOptions = {}) {
    const max = optionalInteger('max', options.max, 10_000, 1, 10_000_000);
    const now = functionOption('now', options.now, Date.now);
    // ttlResolution 0: read the injected clock on every check, as the profile cache does.
    this.#records = new LRUCache<string, DeletionRecord>({ max, ttlAutopurge: false, perf: { now }, ttlResolution: 0 });
  }

  get(code: string): DeletionRecord | undefined {
    return this.#records.get(code);
  }

  set(code: string, record: DeletionRecord, ttlMs: number): void {
    this.#records.set(code, record, { ttl: ttlMs });
  }
}
