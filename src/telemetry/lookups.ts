import type { Attributes } from '@opentelemetry/api';
import type { ProfileLookup } from '../types.js';
import { errorTypeOf } from './graphCall.js';
import { activeInstruments, type Instruments } from './instruments.js';
import { ATTR } from './names.js';

const OK: Record<string, Attributes> = {
  cache: Object.freeze({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'cache' }),
  graph: Object.freeze({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'graph' }),
  stale: Object.freeze({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'stale' }),
};

/** Attribute sets of failures, made once per status and code (both come from short fixed lists). */
const failures = new Map<string, Attributes>();
const MAX_FAILURE_SETS = 256;

/**
 * Counts a lookup a handler asked for, once it settles: call it where a turn's lookup
 * starts (the turn handle). Without a MeterProvider it returns at once and attaches
 * nothing to the answer.
 */
export function observeLookup(answer: ProfileLookup | Promise<ProfileLookup>): void {
  const instruments = activeInstruments();
  if (instruments === undefined) return;
  if (answer instanceof Promise) answer.then((lookup) => countLookup(instruments, lookup), () => undefined);
  else countLookup(instruments, answer);
}

function countLookup(instruments: Instruments, lookup: ProfileLookup): void {
  instruments.lookups.add(1, attributesOf(lookup));
}

function attributesOf(lookup: ProfileLookup): Attributes {
  if (lookup.status === 'ok') return OK[lookup.source] ?? { [ATTR.lookupStatus]: 'ok' };
  const errorType = lookup.error === undefined ? undefined : errorTypeOf(lookup.error);
  const key = `${lookup.status}\n${errorType ?? ''}`;
  let attributes = failures.get(key);
  if (attributes === undefined) {
    attributes = Object.freeze(errorType === undefined ? { [ATTR.lookupStatus]: lookup.status } : { [ATTR.lookupStatus]: lookup.status, [ATTR.errorType]: errorType });
    if (failures.size < MAX_FAILURE_SETS) failures.set(key, attributes);
  }
  return attributes;
}
