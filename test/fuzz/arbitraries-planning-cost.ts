/** Generators for ScalingCostAnalyzer: request counts per interval, the interval, catalogs of priced types, start times. */
import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, wrongType } from './arbitraries';
import { series, someDuration } from './arbitraries-planning';
import { InstanceCatalog, InstanceType } from '../../src';

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

/** Start times: valid instants on and off the hour, the edges of a Date, an Invalid Date, wrong types, or none. */
export function startTimes(): fc.Arbitrary<any> {
  return optional(fc.oneof(
    { arbitrary: fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01') }), weight: 10 },
    { arbitrary: fc.constantFrom(new Date(NaN), new Date(8.64e15), new Date(-8.64e15), new Date('9999-12-31T23:59:00Z')), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  ));
}

const typeWith = (name: string, priceUsdPerHour: number, capacityPerReplica?: number) => InstanceType.of({
  name,
  priceUsdPerHour,
  capacityPerReplica,
  latency: capacityPerReplica === undefined ? undefined : Duration.millis(100),
  gpus: 1,
  vcpus: 4,
  memory: Size.gibibytes(16),
});

/**
 * Catalogs of one or two families (`a.s0`.., `b.s0`..) with random prices and capacities, sometimes a type without
 * serving figures or an empty catalog; and the design document's and the AWS GPU catalog (no serving figures).
 */
export function costCatalogs(): fc.Arbitrary<any> {
  const entry = fc.record({
    family: fc.constantFrom('a', 'b'),
    price: fc.oneof(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.constantFrom(0.000001, 10_000)),
    capacity: fc.oneof({ arbitrary: fc.double({ min: 0.5, max: 300, noNaN: true }), weight: 10 },
      { arbitrary: fc.constantFrom(undefined, 0.000001, 1_000_000), weight: 1 }),
  });
  const built = fc.array(entry, { minLength: 0, maxLength: 6 })
    .map(es => InstanceCatalog.of(es.map((e, i) => typeWith(`${e.family}.s${i}`, e.price, e.capacity))));
  return fc.oneof(
    { arbitrary: built, weight: 10 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom(InstanceCatalog.designDocument(), InstanceCatalog.awsGpu()), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  );
}
