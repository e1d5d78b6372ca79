import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { AutoscalerSimulator, CapacityType, InstanceCatalog, InstanceType } from '../../src';
import { CostComparison, CostComparisonProps, ScalingCostAnalyzer, StrategyCost } from '../../src/planning/scaling-cost-analyzer';
import { errorOf } from '../util';

/** The design document's 12-hour pattern, in requests per second. */
const DOCUMENT_PATTERN = [10, 15, 20, 50, 80, 100, 120, 100, 80, 50, 30, 20];

const sizesOf = (s: StrategyCost) => s.hourly.map(h => h.replicasOrSize);

/** A type with serving figures (the analyzer reads only the name, the price and the capacity). */
const type = (name: string, priceUsdPerHour: number, capacityPerReplica: number) => InstanceType.of({
  name, priceUsdPerHour, capacityPerReplica, latency: Duration.millis(100), gpus: 1, vcpus: 4, memory: Size.gibibytes(16),
});

/** Park-Miller generator: seeded, portable, so the synthetic traces are the same on every run. */
function prng(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** A family whose sizes cost in proportion to their capacity (no economies of scale): m.1x 10 rps $1 .. m.16x 160 rps $16. */
const LINEAR = InstanceCatalog.of([type('m.1x', 1, 10), type('m.2x', 2, 20), type('m.4x', 4, 40), type('m.8x', 8, 80), type('m.16x', 16, 160)]);

describe('the design document example, from its catalog', () => {
  const c = ScalingCostAnalyzer.compare({ loadPerHour: DOCUMENT_PATTERN });

  test('the defaults come from InstanceCatalog.designDocument(): g4dn.xlarge scaled out, the g4dn family scaled up', () => {
    expect(c.horizontalType).toBe('g4dn.xlarge');
    expect(c.verticalTypes).toEqual(['g4dn.xlarge', 'g4dn.2xlarge', 'g4dn.4xlarge']);
    expect(c.targetUtilization).toBe(0.7);
    expect(c.minReplicas).toBe(2);
    expect(c.maxReplicas).toBe(20);
    expect(c.minimumCapacity).toBe(20); // 2 x 10 rps
    expect(c.interval.toSeconds()).toBe(3600);
    expect(c.resizeEvery.toSeconds()).toBe(3600);
  });

  test('horizontal: max(2, ceil(load / (10 x 0.7))) replicas at $0.526', () => {
    expect(sizesOf(c.horizontal)).toEqual(['2', '3', '3', '8', '12', '15', '18', '15', '12', '8', '5', '3']);
    // 104 replica-hours x $0.526 = $54.704
    expect(c.horizontal.totalCostMicroUsd).toBe(54_704_000);
    expect(c.horizontal.instanceHours).toBe(104);
    expect(c.horizontal.unservedRequests).toBe(0);
    expect(c.horizontal.totalRequests).toBe(675 * 3600);
    expect(c.horizontal.costUsdPerMillionRequestsServed).toBeCloseTo(54.704 / 2.43, 10);
  });

  test('vertical holds the same floor (20 rps: the 4xlarge, as the 2xlarge has 18) and falls short above 35 rps', () => {
    expect(new Set(sizesOf(c.vertical))).toEqual(new Set(['g4dn.4xlarge']));
    expect(c.vertical.totalCostMicroUsd).toBe(12 * 1_204_000);
    // (15 + 45 + 65 + 85 + 65 + 45 + 15) rps-hours above 35 rps
    expect(c.vertical.unservedRequests).toBe(335 * 3600);
    expect(c.vertical.hoursShortOfCapacity).toBe(7);
    expect(c.vertical.overloadedTime.toSeconds()).toBe(7 * 3600);
    expect(c.cheaper).toBe('horizontal');
    expect(c.reason).toBe('horizontal serves all the load at target utilization 0.7, at least 20 rps; vertical leaves 49.6% of the load '
      + 'unserved (1206000 requests, 7 h short of capacity), and capacity that falls short is no saving (horizontal $54.704 vs vertical $14.448)');
  });

  test('the document\'s own ladder (g4dn and p3, the types its size table prices) serves everything and costs more', () => {
    const d = ScalingCostAnalyzer.compare({ loadPerHour: DOCUMENT_PATTERN, verticalFamilies: ['g4dn', 'p3'] });
    expect(d.verticalTypes).toEqual(['g4dn.xlarge', 'g4dn.2xlarge', 'g4dn.4xlarge', 'p3.2xlarge', 'p3.8xlarge']);
    // 10, 15, 20, 20 -> 4xlarge (the floor); 30 -> p3.2xlarge (35 rps at 0.7); 50..120 -> p3.8xlarge (126 rps at 0.7)
    expect(sizesOf(d.vertical)).toEqual(['g4dn.4xlarge', 'g4dn.4xlarge', 'g4dn.4xlarge', ...new Array(7).fill('p3.8xlarge'), 'p3.2xlarge', 'g4dn.4xlarge']);
    expect(d.vertical.totalCostMicroUsd).toBe(4 * 1_204_000 + 7 * 12_240_000 + 3_060_000); // $93.556
    expect(d.vertical.unservedRequests).toBe(0);
    expect(d.reason).toBe('both serve all the load at target utilization 0.7, at least 20 rps; horizontal costs less (horizontal $54.704 vs vertical $93.556)');
  });
});

describe('synthetic traces at one-minute resolution', () => {
  const minute = Duration.minutes(1);

  test('a flat load: horizontal and vertical cost the same when the sizes cost in proportion to capacity', () => {
    const rand = prng(1);
    const load = Array.from({ length: 24 * 60 }, () => 12 * (1 + 0.02 * (rand() * 2 - 1))); // 12 rps +/- 2%, a day
    const c = ScalingCostAnalyzer.compare({ load, interval: minute, catalog: LINEAR, minReplicas: 1 });
    // 2 replicas of m.1x (14 rps at 0.7) against one m.2x (14 rps at 0.7): $2/h each
    expect(c.horizontal.totalCostUsd).toBe(48);
    expect(c.vertical.totalCostUsd).toBe(48);
    expect(c.horizontal.unservedRequests + c.vertical.unservedRequests).toBe(0);
    expect(c.cheaper).toBe('horizontal');
    expect(c.reason).toMatch(/^both serve all the load at target utilization 0.7, at least 10 rps at the same cost/);
  });

  describe('a spiky load: 10 rps with a 5-minute spike to 50 rps in every hour', () => {
    const rand = prng(7);
    const load: number[] = [];
    for (let h = 0; h < 24; h++) {
      const at = Math.floor(rand() * 55);
      for (let m = 0; m < 60; m++) load.push(m >= at && m < at + 5 ? 50 : 10);
    }
    const c = ScalingCostAnalyzer.compare({ load, interval: minute, catalog: LINEAR, minReplicas: 1 });

    test('horizontal follows the spikes; vertical holds the hour\'s peak all hour', () => {
      // 55 min x 2 replicas + 5 min x 8 replicas = 150 replica-minutes = $2.50 an hour
      expect(c.horizontal.totalCostMicroUsd).toBe(24 * 2_500_000);
      expect(c.horizontal.hourly[0].replicasOrSize).toBe('2-8');
      // the peak 50 needs 50 / 0.7 = 71.4 rps: m.8x all hour
      expect(c.vertical.totalCostMicroUsd).toBe(24 * 8_000_000);
      expect(c.cheaper).toBe('horizontal');
    });

    test('hourly means understate the cost: they hide the spikes', () => {
      const means = ScalingCostAnalyzer.ratesPerHour(load.map(rps => rps * 60), minute);
      expect(means[0]).toBeCloseTo(10 + 40 * 5 / 60, 9); // 13.33 rps
      const coarse = ScalingCostAnalyzer.compare({ loadPerHour: means, catalog: LINEAR, minReplicas: 1 });
      expect(coarse.horizontal.totalCostMicroUsd).toBe(24 * 2_000_000); // 2 replicas: 0.8x the per-minute cost
      expect(coarse.vertical.totalCostMicroUsd).toBe(24 * 2_000_000); // m.2x: 0.25x
      expect(coarse.horizontal.totalCostMicroUsd / c.horizontal.totalCostMicroUsd).toBe(0.8);
    });

    test('a replica cap shows up as unserved load, integrated as AutoscalerSimulator integrates it', () => {
      const capped = ScalingCostAnalyzer.compare({ load, interval: minute, catalog: LINEAR, minReplicas: 1, maxReplicas: 4 });
      // 4 x 10 = 40 rps against 50: 10 rps x 300 s per hour
      expect(capped.horizontal.unservedRequests).toBeCloseTo(24 * 3000, 6);
      expect(capped.horizontal.overloadedTime.toMinutes()).toBe(24 * 5);
      expect(capped.horizontal.hoursShortOfCapacity).toBe(24);
      const sim = AutoscalerSimulator.run({
        load, step: minute, capacityPerReplica: 10, minReplicas: 4, maxReplicas: 4, initialReplicas: 4, priceUsdPerHour: 1,
      });
      expect(capped.horizontal.unservedRequests).toBeCloseTo(sim.unservedLoad, 6);
      expect(capped.horizontal.unservedFraction).toBeCloseTo(sim.unservedFraction, 12);
      expect(capped.horizontal.overloadedTime.toSeconds()).toBe(sim.overloadedTime.toSeconds());
    });
  });

  test('a trace starting mid-hour: clock hours, partial first and last hours, exact money', () => {
    // 90 minutes of 5 rps from 09:30:30 UTC: 29.5 min in the 09:00 hour, 60 in the 10:00 hour, 0.5 in the 11:00 hour
    const startTime = new Date('2026-03-02T09:30:30Z');
    const c = ScalingCostAnalyzer.compare({ load: new Array(90).fill(5), interval: minute, startTime, catalog: LINEAR, minReplicas: 1 });
    const h = c.horizontal.hourly;
    expect(h.map(x => x.start!.toISOString())).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z']);
    expect(h.map(x => x.coveredTime.toSeconds())).toEqual([1770, 3600, 30]);
    expect(h.map(x => x.costMicroUsd)).toEqual([491_667, 1_000_000, 8_333]); // $1/h x 29.5 min, rounded half up
    expect(c.horizontal.totalCostMicroUsd).toBe(1_500_000);
    expect(h.map(x => x.load)).toEqual([5, 5, 5]);
    expect(c.horizontal.averageCostUsdPerHour).toBe(1);
  });

  test('a mid-hour start moves the vertical strategy\'s resize windows onto the clock', () => {
    // 30 min of 5 rps then 60 min of 20 rps, from 09:30
    const load = [...new Array(30).fill(5), ...new Array(60).fill(20)];
    const props: CostComparisonProps = { load, interval: minute, catalog: LINEAR, minReplicas: 1 };
    const onClock = ScalingCostAnalyzer.compare({ ...props, startTime: new Date('2026-03-02T09:30:00Z') });
    // 09:00 window: peak 5 -> m.1x for 30 min ($0.50); 10:00 window: peak 20 -> 28.6 rps -> m.4x ($4)
    expect(sizesOf(onClock.vertical)).toEqual(['m.1x', 'm.4x']);
    expect(onClock.vertical.totalCostMicroUsd).toBe(4_500_000);
    // without a start time the trace starts on an hour: its first window holds the 20 rps too
    const offClock = ScalingCostAnalyzer.compare(props);
    expect(sizesOf(offClock.vertical)).toEqual(['m.4x', 'm.4x']);
    expect(offClock.vertical.totalCostMicroUsd).toBe(6_000_000);
    expect(offClock.horizontal.hourly[0].start).toBeUndefined();
  });

  test('an interval that straddles two resize windows runs at the larger of their sizes', () => {
    // 30-minute intervals from 09:45: the second (10:15-10:45) lies in the 10:00 window only; the first touches both
    const c = ScalingCostAnalyzer.compare({
      load: [5, 20, 5], interval: Duration.minutes(30), startTime: new Date('2026-03-02T09:45:00Z'), catalog: LINEAR, minReplicas: 1,
    });
    // windows: 09:00 peak 5 -> m.1x; 10:00 peak 20 -> m.4x; 11:00 peak 5 -> m.1x. Intervals: m.4x, m.4x, m.4x
    expect(sizesOf(c.vertical)).toEqual(['m.4x', 'm.4x', 'm.4x']);
    // 90 minutes of m.4x at $4/h
    expect(c.vertical.totalCostMicroUsd).toBe(6_000_000);
    expect(c.vertical.instanceHours).toBe(1.5);
  });

  test('ratesPerHour respects the start time, splitting an interval that straddles an hour', () => {
    // 30-minute counts from 09:45: 60 requests in 09:45-10:15 (half in each hour), 60 in 10:15-10:45, 120 in 10:45-11:15
    const rates = ScalingCostAnalyzer.ratesPerHour([60, 60, 120], Duration.minutes(30), new Date('2026-03-02T09:45:00Z'));
    expect(rates).toEqual([30 / 900, (30 + 60 + 60) / 3600, 60 / 900]);
    expect(ScalingCostAnalyzer.ratesPerHour([...new Array(60).fill(120), 60, 60], minute)).toEqual([2, 1]);
  });

  test('vertical wins when one large size serves the load below the price of the replicas', () => {
    // economies of scale: v.4x serves 4x the load of v.1x for 2x the price
    const catalog = InstanceCatalog.of([type('v.1x', 1, 10), type('v.4x', 2, 40)]);
    const rand = prng(3);
    const load = Array.from({ length: 6 * 60 }, () => 22 + 3 * rand()); // 22 to 25 rps, 6 hours
    const c = ScalingCostAnalyzer.compare({ load, interval: minute, catalog, minReplicas: 2 });
    // horizontal: ceil(load / 7) = 4 replicas of v.1x, $4/h; vertical: one v.4x (28 rps at 0.7), $2/h
    expect(c.horizontal.totalCostMicroUsd).toBe(6 * 4_000_000);
    expect(c.vertical.totalCostMicroUsd).toBe(6 * 2_000_000);
    expect(c.cheaper).toBe('vertical');
    expect(c.reason).toBe('both serve all the load at target utilization 0.7, at least 20 rps; vertical costs less (vertical $12 vs horizontal $24)');
  });
});

describe('equal terms', () => {
  test('both keep the minimum capacity at no load', () => {
    const c = ScalingCostAnalyzer.compare({ load: [0, 0], interval: Duration.minutes(30), catalog: LINEAR, minReplicas: 3 });
    expect(c.minimumCapacity).toBe(30);
    expect(c.horizontal.hourly[0].capacity).toBe(30);
    expect(c.vertical.hourly[0]).toMatchObject({ capacity: 40, replicasOrSize: 'm.4x' }); // the smallest size of 30 rps or more
    expect(c.horizontal.costUsdPerMillionRequestsServed).toBeUndefined();
  });

  test('both aim at the same utilization', () => {
    const c = ScalingCostAnalyzer.compare({ load: [14, 14.1], catalog: LINEAR, minReplicas: 0, targetUtilization: 0.7 });
    // 14 / 7 = 2.0000000000000004 in floating point: still 2 replicas; 14.1 needs 3. Vertical: 14 fits m.2x (14), 14.1 needs m.4x
    expect(sizesOf(c.horizontal)).toEqual(['2', '3']);
    expect(sizesOf(c.vertical)).toEqual(['m.2x', 'm.4x']);
  });

  test('the catalog\'s spot entries are left out when it holds the on-demand ones', () => {
    const spot = InstanceType.of({
      name: 'm.1x',
      priceUsdPerHour: 0.3,
      capacityPerReplica: 10,
      latency: Duration.millis(1),
      gpus: 1,
      vcpus: 4,
      memory: Size.gibibytes(16),
      capacityType: CapacityType.SPOT,
    });
    const catalog = InstanceCatalog.of([spot, ...LINEAR.types]);
    const c = ScalingCostAnalyzer.compare({ load: [5], catalog, minReplicas: 1, horizontalType: 'm.1x' });
    expect(c.horizontal.totalCostUsd).toBe(1);
    expect(c.vertical.totalCostUsd).toBe(1);
  });
});

describe('input errors', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['load and loadPerHour', () => ScalingCostAnalyzer.compare({ load: [1], loadPerHour: [1] }),
      "[ScalingCostAnalyzer] 'loadPerHour' ([1]) is given with load: give load (with interval), or the deprecated loadPerHour, not both"],
    ['no load', () => ScalingCostAnalyzer.compare({}),
      "[ScalingCostAnalyzer] 'load' (undefined) must be a list, not undefined: give one load per interval in requests per second (0 or more), "
      + 'in time order, e.g. the requests counted in each minute / 60'],
    ['negative load', () => ScalingCostAnalyzer.compare({ load: [1, -1] }),
      "[ScalingCostAnalyzer] 'load[1]' (-1) must be a finite number of 0 or more: give one load per interval in requests per second "
      + '(0 or more), in time order, e.g. the requests counted in each minute / 60'],
    ['a type without serving figures', () => ScalingCostAnalyzer.compare({ load: [1], catalog: InstanceCatalog.awsGpu(), horizontalType: 'g6.xlarge' }),
      "[ScalingCostAnalyzer] 'horizontalType' (\"g6.xlarge\") names a type without capacityPerReplica (g6.xlarge): the analyzer needs the load "
      + 'one replica serves: add the serving figures with InstanceCatalog.withServing({ [type]: { capacityPerReplica, latency } }) or instanceType.withServing(...)'],
    ['a catalog without serving figures', () => ScalingCostAnalyzer.compare({ load: [1], catalog: InstanceCatalog.awsGpu() }),
      "[ScalingCostAnalyzer] 'catalog' (\"g5.xlarge\") names a type without capacityPerReplica (g5.xlarge)"],
    ['an empty catalog', () => ScalingCostAnalyzer.compare({ load: [1], catalog: InstanceCatalog.of([]) }),
      "[ScalingCostAnalyzer] 'catalog' (\"an empty catalog\") holds no type"],
    ['a vertical family without serving figures', () => ScalingCostAnalyzer.compare({
      load: [1],
      catalog: InstanceCatalog.of([...LINEAR.types, InstanceType.of({ name: 'm.32x', priceUsdPerHour: 32, gpus: 1, vcpus: 4, memory: Size.gibibytes(1) })]),
    }), "[ScalingCostAnalyzer] 'verticalFamilies' (\"m.32x\") names a type without capacityPerReplica (m.32x)"],
    ['an unknown type', () => ScalingCostAnalyzer.compare({ load: [1], horizontalType: 'g6.xlarge' }),
      "[ScalingCostAnalyzer] 'horizontalType' (\"g6.xlarge\") is no type of the catalog: name a type of the catalog that has serving figures, e.g. \"g4dn.xlarge\""],
    ['an unknown family', () => ScalingCostAnalyzer.compare({ load: [1], verticalFamilies: ['g6'] }),
      "[ScalingCostAnalyzer] 'verticalFamilies[0]' (\"g6\") is no family of the catalog"],
    ['max below min', () => ScalingCostAnalyzer.compare({ load: [1], minReplicas: 3, maxReplicas: 2 }),
      "[ScalingCostAnalyzer] 'maxReplicas' (2) is below 'minReplicas' (3): raise maxReplicas or lower minReplicas"],
    ['utilization above 1', () => ScalingCostAnalyzer.compare({ load: [1], targetUtilization: 70 }),
      "[ScalingCostAnalyzer] 'targetUtilization' (70) must be a fraction above 0 and at most 1: use the fraction of capacity each strategy aims for"],
    ['resizing faster than the interval', () => ScalingCostAnalyzer.compare({ load: [1], interval: Duration.minutes(5), resizeEvery: Duration.minutes(1) }),
      "[ScalingCostAnalyzer] 'resizeEvery' (1 minute) must be whole seconds from the interval (300 s) to a day"],
    ['an invalid start time', () => ScalingCostAnalyzer.compare({ load: [1], startTime: new Date('nope') }),
      "[ScalingCostAnalyzer] 'startTime' (Invalid Date) must be a valid Date"],
    ['interval with loadPerHour', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], interval: Duration.minutes(1) }),
      "[ScalingCostAnalyzer] 'interval' (1 minute) is given with loadPerHour (hourly by definition): give load with interval instead of loadPerHour"],
    ['interval not dividing an hour', () => ScalingCostAnalyzer.ratesPerHour([1], Duration.seconds(7)),
      "[ScalingCostAnalyzer] 'interval' (7 seconds) must be a whole number of seconds that divides 3600"],
    ['a trace too long', () => ScalingCostAnalyzer.compare({ load: new Array(100_001).fill(1) }),
      "[ScalingCostAnalyzer] 'load' (\"100001 values\") span 100001 hours, more than 100000: compare a shorter trace, or split it"],
    ['request counts that are not a list', () => ScalingCostAnalyzer.ratesPerHour({} as any, Duration.minutes(1)),
      "[ScalingCostAnalyzer] 'requestsPerInterval' ({}) must be a list, not an object"],
  ];
  test.each(cases)('fails on %s', (_name, run, message) => {
    expect(errorOf(run)).toContain(message);
  });
});

describe('properties', () => {
  const catalog = fc.array(fc.record({
    capacity: fc.double({ min: 1, max: 300, noNaN: true }),
    price: fc.double({ min: 0.01, max: 50, noNaN: true }),
  }), { minLength: 1, maxLength: 5 }).map(ts => InstanceCatalog.of(ts.map((t, i) => type(`f.s${i}`, t.price, t.capacity))));
  const arb = fc.record({
    load: fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 200 }),
    interval: fc.constantFrom(Duration.minutes(1), Duration.minutes(5), Duration.minutes(15), Duration.hours(1)),
    startTime: fc.option(fc.integer({ min: 0, max: 3_600_000 * 24 }).map(ms => new Date(Date.UTC(2026, 0, 1) + ms)), { nil: undefined }),
    catalog,
    targetUtilization: fc.double({ min: 0.1, max: 1, noNaN: true }),
    minReplicas: fc.integer({ min: 0, max: 4 }),
    extra: fc.integer({ min: 0, max: 30 }),
  }).map(({ extra, ...p }) => ({ ...p, maxReplicas: Math.max(1, p.minReplicas + extra) }));
  const both = (c: CostComparison) => [c.horizontal, c.vertical];

  test('costs are exact sums of the hourly micro-dollars, and the hours cover the trace', () => {
    fc.assert(fc.property(arb, (props) => {
      const span = props.load.length * props.interval.toSeconds();
      for (const s of both(ScalingCostAnalyzer.compare(props))) {
        const sum = s.hourly.reduce((a, h) => a + h.costMicroUsd, 0);
        expect(Number.isSafeInteger(sum)).toBe(true);
        expect(s.totalCostMicroUsd).toBe(sum);
        expect(s.hourly.reduce((a, h) => a + h.coveredTime.toSeconds({ integral: false }), 0)).toBeCloseTo(span, 6);
        const requests = props.load.reduce((a, l) => a + l * props.interval.toSeconds(), 0);
        expect(s.totalRequests).toBeCloseTo(requests, 3);
      }
    }));
  });

  test('served never exceeds the load or the capacity, and served + unserved = load', () => {
    fc.assert(fc.property(arb, (props) => {
      for (const s of both(ScalingCostAnalyzer.compare(props))) {
        for (const h of s.hourly) {
          expect(h.servedLoad).toBeLessThanOrEqual(h.load * (1 + 1e-12));
          expect(h.servedLoad).toBeLessThanOrEqual(h.capacity * (1 + 1e-9));
          expect(h.servedLoad + h.unservedLoad).toBeCloseTo(h.load, 6);
          expect(h.shortOfCapacity).toBe(h.unservedRequests > 0);
        }
        expect(s.unservedFraction).toBeGreaterThanOrEqual(0);
        expect(s.unservedFraction).toBeLessThanOrEqual(1);
      }
    }));
  });

  test('horizontal replicas stay within min and max; vertical keeps the minimum capacity whenever a size has it', () => {
    fc.assert(fc.property(arb, (props) => {
      const c = ScalingCostAnalyzer.compare(props);
      for (const h of c.horizontal.hourly) {
        for (const n of h.replicasOrSize.split('-').map(Number)) {
          expect(n).toBeGreaterThanOrEqual(props.minReplicas);
          expect(n).toBeLessThanOrEqual(props.maxReplicas);
        }
      }
      const largest = Math.max(...props.catalog.types.map(t => t.capacityPerReplica!));
      if (largest >= c.minimumCapacity) c.vertical.hourly.forEach(h => expect(h.capacity).toBeGreaterThanOrEqual(c.minimumCapacity * (1 - 1e-9)));
    }));
  });

  test('the winner leaves no more unserved than the other, and costs no more when both serve everything', () => {
    fc.assert(fc.property(arb, (props) => {
      const c = ScalingCostAnalyzer.compare(props);
      const [winner, other] = c.cheaper === 'horizontal' ? [c.horizontal, c.vertical] : [c.vertical, c.horizontal];
      expect(winner.unservedRequests).toBeLessThanOrEqual(other.unservedRequests + 1e-9 * Math.max(1, winner.totalRequests));
      if (winner.unservedRequests === 0 && other.unservedRequests === 0) {
        expect(winner.totalCostMicroUsd).toBeLessThanOrEqual(other.totalCostMicroUsd);
      }
    }));
  });

  test('a start time on an hour gives the figures of no start time', () => {
    fc.assert(fc.property(arb, (props) => {
      const hourStart = new Date(Date.UTC(2026, 0, 1, 5));
      const a = ScalingCostAnalyzer.compare({ ...props, startTime: undefined });
      const b = ScalingCostAnalyzer.compare({ ...props, startTime: hourStart });
      expect(b.horizontal.totalCostMicroUsd).toBe(a.horizontal.totalCostMicroUsd);
      expect(b.vertical.totalCostMicroUsd).toBe(a.vertical.totalCostMicroUsd);
      expect(b.vertical.unservedRequests).toBe(a.vertical.unservedRequests);
    }));
  });
});
