/**
 * Generators for the planners' fuzz targets: load series and histories (short, long, past the bounds, holding bad
 * values), and the invariants every planner result must keep.
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { realNumber, wrongType } from './arbitraries';
import { nonFiniteNumbers, numberProblems } from './harness';

/** Series of values 0 or more, sometimes with a bad value, sometimes longer than a planner accepts. */
export function series(maxValue: number, minLength: number, maxLength: number, tooLong: number): fc.Arbitrary<any> {
  const good = fc.double({ min: 0, max: maxValue, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    { arbitrary: fc.array(good, { minLength, maxLength }), weight: 12 },
    {
      arbitrary: fc.array(fc.oneof({ arbitrary: good, weight: 20 }, { arbitrary: realNumber(0, maxValue), weight: 1 }, {
        arbitrary: wrongType(),
        weight: 1,
      }),
      { minLength, maxLength }),
      weight: 3,
    },
    { arbitrary: fc.constantFrom([], [-1], [NaN], [Infinity], ['1'], [null], [1e308, 1e308], [Number.MIN_VALUE, 5e-324]), weight: 2 },
    { arbitrary: fc.constant(tooLong).map((n) => new Array<number>(n).fill(1)), weight: 1 },
    { arbitrary: fc.constant(tooLong).map((n) => { const a = new Array<number>(n); return a; }), weight: 1 },
  );
}

/** Durations for intervals and periods: common ones, boundaries and bad ones. */
export function someDuration(valid: Duration[]): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 12 },
    {
      arbitrary: fc.constantFrom(Duration.millis(0), Duration.millis(1), Duration.millis(1500), Duration.seconds(7), Duration.seconds(59),
        Duration.minutes(7), Duration.days(2), Duration.days(100_000), Duration.seconds(Infinity), Duration.seconds(NaN)),
      weight: 3,
    },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/** Problems of a list of numbers a planner returns: its length, and each value within bounds. */
export function listProblems(name: string, value: unknown, length: number | undefined, bounds: { min?: number; max?: number }): string[] {
  if (!Array.isArray(value)) return [`${name} is not a list`];
  const out: string[] = [];
  if (length !== undefined && value.length !== length) out.push(`${name} has ${value.length} values, not ${length}`);
  for (let i = 0; i < value.length && out.length < 3; i++) out.push(...numberProblems(`${name}[${i}]`, value[i], bounds));
  return out;
}

export { nonFiniteNumbers };

/** The props mostly whole, sometimes with one required prop missing (as a JSON caller forgets it). */
export function sometimesMissing<T extends object>(props: fc.Arbitrary<T>, required: (keyof T)[]): fc.Arbitrary<T> {
  return fc.tuple(props, fc.oneof({ arbitrary: fc.constant(-1), weight: 15 }, { arbitrary: fc.nat(required.length - 1), weight: 1 }))
    .map(([p, drop]) => {
      if (drop < 0) return p;
      const copy = { ...p };
      delete copy[required[drop]];
      return copy;
    });
}

/** Mostly `valid`, sometimes `any` (which holds the boundaries, invalid values and wrong types). */
export function mostly<T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<any>, weight = 4): fc.Arbitrary<any> {
  return fc.oneof({ arbitrary: valid, weight }, { arbitrary: any, weight: 1 });
}
