import { parseApiVersion } from '../platform/versions.js';

/** Option checks that throw TypeError/RangeError naming the option, as at construction. */

export function optionalInteger(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`Option "${name}" must be an integer, got ${describe(value)}`);
  if (value < min || value > max) throw new RangeError(`Option "${name}" must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`Option "${name}" must be a boolean, got ${describe(value)}`);
  return value;
}

export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`Option "${name}" must be a non-empty string, got ${describe(value)}`);
  return value;
}

/** An options group that may be turned off with `false`: its object (or `{}`), or false. */
export function objectOrFalse<T extends object>(name: string, value: unknown): T | false {
  if (value === false) return false;
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new TypeError(`Option "${name}" must be an object or false, got ${describe(value)}`);
  }
  return (value ?? {}) as T;
}

/** Describes a value for an error message without ever printing it (it may be a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}

/**
 * A required text option such as a secret. Its type accepts `undefined` (it usually comes
 * from `process.env`), so a missing value is refused here, naming the option.
 */
export function requiredString(name: string, value: unknown): string {
  if (value === undefined || value === '') {
    throw new TypeError(`Option "${name}" is missing: it is usually set from an environment variable, e.g. ${name}: process.env.${envName(name)}`);
  }
  if (typeof value !== 'string') throw new TypeError(`Option "${name}" must be a non-empty string, got ${describe(value)}`);
  return value;
}

/** An access token, or a function of the business id (and an abort signal) returning one. */
export function requiredAccessToken<T>(value: unknown): T {
  if (typeof value === 'function') return value as T;
  return requiredString('accessToken', value) as T;
}

/** A Graph API version such as "v26.0"; `fallback` when not given. */
export function apiVersionOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || parseApiVersion(value) === undefined) {
    throw new RangeError(`Option "apiVersion" must look like "v26.0", got ${describe(value)}${typeof value === 'string' ? ` "${value.slice(0, 20)}"` : ''}`);
  }
  return value;
}

/** An absolute http(s) base URL without query, fragment or credentials, with no trailing slash. */
export function baseUrlOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  return httpUrlOption(name, value, { query: false }).href.replace(/\/+$/, '');
}

/** An absolute http(s) URL without fragment or credentials (they would leak or be dropped); a query only when `query` allows it. */
export function httpUrlOption(name: string, value: unknown, { query }: { query: boolean }): URL {
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError();
    url = new URL(value);
  } catch {
    throw new TypeError(`Option "${name}" must be an absolute http(s) URL, got ${describe(value)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (!query && url.search) || url.hash || url.username || url.password) {
    throw new TypeError(`Option "${name}" must be an http(s) URL without ${query ? '' : 'query, '}fragment or credentials`);
  }
  return url;
}

/** An undici Dispatcher (Agent, Pool, MockAgent...), duck-typed so another copy of undici works too. */
export function dispatcherOption<T>(value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as { dispatch?: unknown }).dispatch !== 'function') {
    throw new TypeError('Option "dispatcher" must be an undici Dispatcher (Agent, Pool, MockAgent, ...)');
  }
  return value as T;
}

/** A function option (clocks, random sources, hooks); `fallback` when not given. */
export function functionOption<T extends (...args: never[]) => unknown>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new TypeError(`Option "${name}" must be a function, got ${describe(value)}`);
  return value as T;
}

/** The variable the samples and the README read an option from, for the hint in a missing-option error. */
function envName(option: string): string {
  if (option === 'accessToken') return 'PAGE_ACCESS_TOKEN';
  return option.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}
