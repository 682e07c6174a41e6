import type { InstagramEvent, ProfileLookup } from 'botbuilder-instagram-profile';

/** What the bot knew in one turn: the playground shows it beside the thread. */
export interface TurnRecord {
  at: number;
  igsid: string | undefined;
  kind: InstagramEvent['kind'] | 'not-instagram';
  status: ProfileLookup['status'];
  source?: string;
  error?: { name: string; code: string; message: string };
  profile?: unknown;
  reply?: string;
}

/** Keeps the last turns in memory, for the playground (sample code: not part of the library). */
export class Inspector {
  readonly turns: TurnRecord[] = [];

  record(event: InstagramEvent | undefined, lookup: ProfileLookup, reply: string | undefined): void {
    const record: TurnRecord = { at: Date.now(), igsid: event?.igsid, kind: event?.kind ?? 'not-instagram', status: lookup.status, ...(reply ? { reply } : {}) };
    if (lookup.status === 'ok') Object.assign(record, { source: lookup.source, profile: lookup.profile });
    else if (lookup.error) record.error = { name: lookup.error.name, code: lookup.error.code, message: lookup.error.message };
    this.turns.push(record);
    if (this.turns.length > 500) this.turns.shift();
  }
}
