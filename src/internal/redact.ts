import { inspect } from 'node:util';

/**
 * Keeps secrets (access tokens, app secrets) out of everything we print or throw. Graph
 * messages and network errors can echo what was sent, so every such text passes through here.
 */
export type Redact = (text: string) => string;

const REDACTED = '[redacted]';
/** How many `cause` links of an error are kept; deeper ones are dropped. */
const MAX_CAUSE_DEPTH = 5;

export function createRedactor(secrets: Iterable<string | undefined>): Redact {
  const usable = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // A secret also travels URL-encoded, and errors echo URLs: as encodeURIComponent writes it,
  // and as URLSearchParams does (space as "+", !'()~ escaped).
  const variants = usable.flatMap((secret) => [secret, encodeURIComponent(secret), formEncoded(secret)]);
  // Longest first, so a secret that contains another is removed whole.
  const list = [...new Set(variants)].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}

function formEncoded(secret: string): string {
  return new URLSearchParams([['', secret]]).toString().slice(1);
}

/**
 * Returns `error` itself when none of its text (message, stack, string properties, causes)
 * holds a secret, else a plain copy with the secrets removed (same name, message, code,
 * string properties, redacted causes), so it can safely be kept as a `cause`.
 */
export function redactError(error: unknown, redact: Redact): unknown {
  return isClean(error, redact, 0) ? error : redactedCopy(error, redact, 0);
}

function isClean(value: unknown, redact: Redact, depth: number): boolean {
  if (typeof value === 'string') return redact(value) === value;
  if (value === null || typeof value !== 'object') return true;
  if (!(value instanceof Error)) {
    // Other objects (sockets, headers, arrays) are read as inspect prints them, with a bound on size.
    const text = inspect(value, { depth: 6, maxStringLength: Infinity, maxArrayLength: 1_000, breakLength: Infinity });
    return redact(text) === text;
  }
  if (depth > MAX_CAUSE_DEPTH) return false;
  try {
    // Own properties, enumerable or not: `message` and `stack` are not enumerable.
    return Reflect.ownKeys(value).every((key) => isClean(Reflect.get(value, key), redact, depth + 1));
  } catch {
    return false; // a getter that throws: copy the error rather than trust it
  }
}

function redactedCopy(value: unknown, redact: Redact, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (!(value instanceof Error)) return isClean(value, redact, depth) ? value : REDACTED;
  const copy = new Error(redact(String(value.message)));
  copy.name = value.name;
  copy.stack = redact(value.stack ?? '');
  // Only text and plain data are carried over: anything else might hold what we cannot see.
  for (const key of Object.keys(value)) {
    const field = readOwn(value, key);
    if (typeof field === 'string') define(copy, key, redact(field), true);
    else if (typeof field === 'number' || typeof field === 'boolean') define(copy, key, field, true);
  }
  const cause = readOwn(value, 'cause');
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) define(copy, 'cause', redactedCopy(cause, redact, depth + 1), false);
  return copy;
}

function readOwn(target: object, key: string): unknown {
  try {
    return Reflect.get(target, key);
  } catch {
    return undefined;
  }
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}
