/** Generators for ScalingCostAnalyzer.ratesPerHour: request counts per interval and the interval. */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { wrongType } from './arbitraries';
import { series, someDuration } from './arbitraries-planning';

/** Request counts per interval: whole and fractional, up to `max`, sometimes past it, bad, too many, or not a list. */
export function intervalCounts(max: number, maxIntervals: number): fc.Arbitrary<any> {
  const tooMany = new Array<number>(maxIntervals + 1).fill(1);
  return fc.oneof(
    { arbitrary: series(1000, 1, 240, 10), weight: 10 },
    { arbitrary: fc.constantFrom([max], [max + 1], [max * 10], [0, 0, 0], tooMany), weight: 2 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/** Intervals that divide an hour, and ones that do not (sub-second, 7 s, longer than an hour, non-finite, wrong types). */
export function requestInterval(): fc.Arbitrary<any> {
  return someDuration([Duration.seconds(1), Duration.seconds(15), Duration.minutes(1), Duration.minutes(5), Duration.minutes(30), Duration.hours(1)]);
}
