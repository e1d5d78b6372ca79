import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The one place where the library words its errors, so every message has the same parts:
 * `[path] 'prop' (value) problem: fix`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  // Sizes and durations as their amounts, not `[object Object]`: `16Gi`, `150 millis`.
  if (value instanceof Size) return value.asString();
  if (value instanceof Duration) return value.toHumanString() || `${value.toMilliseconds({ integral: false })} millis`;
  return String(value);
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
