import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The one place where the library words its errors, so every message has the same parts:
 * `[path] 'prop' (value) problem: fix`.
 */
export function describeValue(value: unknown): string {
  const text = describeFully(value);
  // A value from a fuzzer or a config file may be megabytes: the message shows its start.
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describeFully(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.slice(0, 20).map(describeValue).join(', ')}${value.length > 20 ? ', ...' : ''}]`;
  // Sizes and durations as their amounts, not `[object Object]`: `16Gi`, `150 millis`.
  if (value instanceof Size) return safely(() => value.asString());
  if (value instanceof Duration) return safely(() => value.toHumanString() || `${value.toMilliseconds({ integral: false })} millis`);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return safely(() => JSON.stringify(value));
  if (value instanceof Date) return String(value);
  if (typeof value === 'object' && value !== null) return `a ${(value as object).constructor?.name ?? 'object'}`;
  if (typeof value === 'function') return 'a function';
  return String(value);
}

function safely(f: () => string): string {
  try {
    return f();
  } catch {
    return 'an unprintable value';
  }
}

/** Builds the message for a bad prop: names the construct path, the prop, the value, what is allowed and the fix. */
export function propMessage(scope: IConstruct | string, prop: string, value: unknown, problem: string, fix: string): string {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  return `[${path}] '${prop}' (${describeValue(value)}) ${problem}: ${fix}`;
}

/** Throws a construction-time error for a bad prop. */
export function invalidProp(scope: IConstruct | string, prop: string, value: unknown, problem: string, fix: string): never {
  throw new Error(propMessage(scope, prop, value, problem, fix));
}

/** A number that must be a whole number within [min, max]. */
export function requireInteger(scope: IConstruct | string, prop: string, value: number, min: number, max: number, fix: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    invalidProp(scope, prop, value, `must be ${range}`, fix);
  }
}

/** A number that must be finite and above zero (fractions allowed). */
export function requirePositive(scope: IConstruct | string, prop: string, value: number, fix: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    invalidProp(scope, prop, value, 'must be a number above zero', fix);
  }
}
