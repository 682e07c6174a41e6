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
