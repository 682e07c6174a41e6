import { InstagramProfileError } from '../errors.js';
import { parseJson } from '../internal/json.js';
import { type DeletionRecord, type DeletionStatusStore, deletionRecordFrom, isConfirmationCode } from '../deletion/statusStore.js';
import { runBulk, type StoreContext } from './context.js';

/** Longest stored value read back, in characters: a record is under 100; anything longer is not ours. */
const MAX_RECORD_CHARS = 1_024;

/**
 * Confirmation codes of data-deletion requests, one key per code (`<keyPrefix>ds:<code>`,
 * `SET … PX ttl`, a small JSON value): every instance answers the status page. Unlike the
 * rest of the store, a Redis that does not answer is an error here (code
 * `DELETION_STATUS_UNAVAILABLE`): the deletion handler logs it and still answers Meta, the
 * status handler answers 503. A value that is not a record reads as unknown.
 */
export class RedisDeletionStatusStore implements DeletionStatusStore {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async get(code: string): Promise<DeletionRecord | undefined> {
    if (!isConfirmationCode(code)) return undefined;
    const reply = await runBulk(this.#context, ['GET', this.#context.keys.deletionStatus(code)]);
    if (reply === undefined) {
      // Still up: the server answered this command with an error (another type under the key), which is no record.
      if (this.#context.connection.up === true) return undefined;
      throw unavailable('read');
    }
    if (typeof reply !== 'string' || reply.length > MAX_RECORD_CHARS) return undefined;
    return deletionRecordFrom(parseJson(reply));
  }

  async set(code: string, record: DeletionRecord, ttlMs: number): Promise<void> {
    if (!isConfirmationCode(code)) throw new TypeError('A confirmation code is 1 to 128 characters among A-Z a-z 0-9 _ -');
    const value = deletionRecordFrom(record);
    if (value === undefined) throw new TypeError('A deletion record is { status: pending | complete | failed, requestedAt, completedAt? } with times in ms');
    if (!Number.isFinite(ttlMs) || ttlMs < 1) throw new RangeError(`The ttl of a confirmation code must be at least 1 ms, got ${ttlMs}`);
    const reply = await runBulk(this.#context, ['SET', this.#context.keys.deletionStatus(code), JSON.stringify(value), 'PX', Math.ceil(ttlMs)]);
    if (reply !== 'OK') throw unavailable('stored');
  }
}

/** Never names the code: whoever holds it may read the status. */
function unavailable(what: 'read' | 'stored'): InstagramProfileError {
  return new InstagramProfileError(`Redis did not answer: the status of a deletion request could not be ${what}`, 'DELETION_STATUS_UNAVAILABLE');
}
