import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CostComparison, ScalingCostAnalyzer, StrategyCost } from '../../src/planning/scaling-cost-analyzer';

/** The design document's 12-hour pattern, in requests per second. */
const DOCUMENT_PATTERN = [10, 15, 20, 50, 80, 100, 120, 100, 80, 50, 30, 20];

const sizesOf = (s: StrategyCost) => s.hourly.map(h => h.replicasOrSize);

describe('the design document example (compare({ loadPerHour }) with its defaults)', () => {
  const c = ScalingCostAnalyzer.compare({ loadPerHour: DOCUMENT_PATTERN });

  test('horizontal: clamp(ceil(load / 10), 2, 20) g4dn.xlarge replicas at $0.526', () => {
    // 10->1->2 (min), 15->2, 20->2, 50->5, 80->8, 100->10, 120->12, 100->10, 80->8, 50->5, 30->3, 20->2
    expect(sizesOf(c.horizontal)).toEqual(['2', '2', '2', '5', '8', '10', '12', '10', '8', '5', '3', '2']);
    // 69 replica-hours x 526000 micro-dollars = 36294000 -> $36.294; / 12 h = $3.0245/h
    expect(c.horizontal.totalCostMicroUsd).toBe(36_294_000);
    expect(c.horizontal.totalCostUsd).toBe(36.294);
    expect(c.horizontal.averageCostUsdPerHour).toBeCloseTo(3.0245, 10);
    // served = the whole load: 675 rps-hours x 3600 = 2,430,000 requests
    expect(c.horizontal.requestsServed).toBe(2_430_000);
    expect(c.horizontal.costUsdPerMillionRequestsServed).toBeCloseTo(36.294 / 2.43, 10); // 14.9358...
    expect(c.horizontal.costUsdPerUnitLoadServed).toBeCloseTo(36.294 / 675, 12); // 0.053769 (the document's "efficiency")
    expect(c.horizontal.hoursShortOfCapacity).toBe(0);
    expect(c.horizontal.unservedRequests).toBe(0);
    expect(c.horizontal.hourly[0]).toEqual({
      hour: 0,
      load: 10,
      capacity: 20,
      servedLoad: 10,
      unservedLoad: 0,
      shortOfCapacity: false,
      costUsd: 1.052,
      costMicroUsd: 1_052_000,
      replicasOrSize: '2',
    });
  });

  test('vertical: the cheapest size that holds each hour (120 -> xlarge)', () => {
    expect(sizesOf(c.vertical)).toEqual([
      'small', 'medium', 'medium', 'large', 'large', 'xlarge', 'xlarge', 'xlarge', 'large', 'large', 'medium', 'medium',
    ]);
    // small 1 x 0.526 + medium 4 x 1.204 + large 4 x 3.06 + xlarge 3 x 12.24
    // = 0.526 + 4.816 + 12.24 + 36.72 = $54.302; / 12 h = $4.52517/h
    expect(c.vertical.totalCostMicroUsd).toBe(54_302_000);
    expect(c.vertical.totalCostUsd).toBe(54.302);
    expect(c.vertical.averageCostUsdPerHour).toBeCloseTo(54.302 / 12, 10);
    expect(c.vertical.costUsdPerMillionRequestsServed).toBeCloseTo(54.302 / 2.43, 10); // 22.3465...
    expect(c.vertical.costUsdPerUnitLoadServed).toBeCloseTo(54.302 / 675, 12); // 0.080447
    expect(c.vertical.hoursShortOfCapacity).toBe(0);
  });

  test('horizontal is cheaper, and the reason quotes both totals', () => {
    expect(c.cheaper).toBe('horizontal');
    expect(c.reason).toBe('both serve every hour; horizontal costs less (horizontal $36.294 vs vertical $54.302)');
  });
});

describe('a load beyond both strategies is reported unserved, never priced as served', () => {
  // 250 rps exceeds horizontal's 20 x 10 = 200 and vertical's xlarge 150; 160 exceeds only the xlarge
  const c = ScalingCostAnalyzer.compare({ loadPerHour: [100, 250, 160, 5] });

  test('horizontal: 20 replicas at 250 rps, 50 rps unserved', () => {
    // 100->10, 250->25 clamped to 20, 160->16, 5->1->2 (min): 48 x $0.526 = $25.248
    expect(sizesOf(c.horizontal)).toEqual(['10', '20', '16', '2']);
    expect(c.horizontal.totalCostMicroUsd).toBe(25_248_000);
    expect(c.horizontal.hoursShortOfCapacity).toBe(1);
    expect(c.horizontal.hourly[1]).toMatchObject({ capacity: 200, servedLoad: 200, unservedLoad: 50, shortOfCapacity: true });
    expect(c.horizontal.unservedRequests).toBe(50 * 3600);
    expect(c.horizontal.requestsServed).toBe((100 + 200 + 160 + 5) * 3600);
  });

  test('vertical: the largest size in both short hours (the document would price them as small)', () => {
    // xlarge, xlarge (short by 100), xlarge (short by 10), small: 3 x 12.24 + 0.526 = $37.246
    expect(sizesOf(c.vertical)).toEqual(['xlarge', 'xlarge', 'xlarge', 'small']);
    expect(c.vertical.totalCostMicroUsd).toBe(37_246_000);
    expect(c.vertical.hoursShortOfCapacity).toBe(2);
    expect(c.vertical.hourly.map(h => h.unservedLoad)).toEqual([0, 100, 10, 0]);
    expect(c.vertical.unservedRequests).toBe(110 * 3600);
    expect(c.vertical.costUsdPerMillionRequestsServed).toBeCloseTo(37.246 / (405 * 3600) * 1e6, 10);
  });

  test('the strategy with fewer short hours wins', () => {
    expect(c.cheaper).toBe('horizontal');
    expect(c.reason).toBe('neither serves every hour: horizontal is short of capacity in 1 hour (180000 requests unserved), '
      + 'vertical is short of capacity in 2 hours (396000 requests unserved); horizontal falls short least '
      + '(horizontal $25.248 vs vertical $37.246): raise maxReplicas or add a larger size');
  });
});

describe('choosing the cheaper strategy', () => {
  test('vertical wins a steady 30 rps (one medium beats 3 replicas)', () => {
    // horizontal 3 x 0.526 = 1.578/h, vertical medium 1.204/h, for 2 hours
    const c = ScalingCostAnalyzer.compare({ loadPerHour: [30, 30] });
    expect(c.horizontal.totalCostMicroUsd).toBe(3_156_000);
    expect(c.vertical.totalCostMicroUsd).toBe(2_408_000);
    expect(c.cheaper).toBe('vertical');
  });

  test('a strategy that falls short never wins on price against one that serves every hour', () => {
    // 5 replicas x 10 = 50 rps < 100: horizontal costs $2.63 but is short; the xlarge ($12.24) serves it
    const c = ScalingCostAnalyzer.compare({
      loadPerHour: [100],
      horizontal: { priceUsdPerHour: 0.526, capacityPerReplica: 10, minReplicas: 1, maxReplicas: 5 },
    });
    expect(c.horizontal.totalCostUsd).toBe(2.63);
    expect(c.cheaper).toBe('vertical');
    expect(c.reason).toBe('vertical serves every hour; horizontal is short of capacity in 1 hour (180000 requests unserved), '
      + 'and capacity that falls short is no saving (vertical $12.24 vs horizontal $2.63)');
  });

  test('a full tie goes to horizontal', () => {
    const c = ScalingCostAnalyzer.compare({
      loadPerHour: [10],
      horizontal: { priceUsdPerHour: 1, capacityPerReplica: 10, minReplicas: 1, maxReplicas: 1 },
      vertical: { sizes: [{ name: 'one', capacityPerReplica: 10, priceUsdPerHour: 1 }] },
    });
    expect(c.cheaper).toBe('horizontal');
    expect(c.reason).toBe('both serve every hour at the same cost (horizontal $1 vs vertical $1); horizontal is listed first');
  });
});

describe('target utilization', () => {
  test('a replica counts for capacity x utilization, without floating-point overshoot', () => {
    // 14 / (10 x 0.7) = 2.0000000000000004 in floating point: still 2 replicas; 14.1 needs 3
    const c = ScalingCostAnalyzer.compare({
      loadPerHour: [14, 14.1, 0],
      horizontal: { priceUsdPerHour: 0.526, capacityPerReplica: 10, minReplicas: 1, maxReplicas: 10, targetUtilization: 0.7 },
    });
    expect(sizesOf(c.horizontal)).toEqual(['2', '3', '1']);
    expect(c.horizontal.hourly[0].capacity).toBeCloseTo(14, 12);
    expect(c.horizontal.hoursShortOfCapacity).toBe(0);
  });

  test('the ceiling of max x capacity x utilization is what is served', () => {
    const c = ScalingCostAnalyzer.compare({
      loadPerHour: [20],
      horizontal: { priceUsdPerHour: 1, capacityPerReplica: 10, minReplicas: 1, maxReplicas: 2, targetUtilization: 0.5 },
    });
    expect(c.horizontal.hourly[0]).toMatchObject({ capacity: 10, servedLoad: 10, unservedLoad: 10, shortOfCapacity: true });
  });
});

describe('ratesPerHour', () => {
  test('averages each whole hour, and a trailing partial hour over what it has', () => {
    // 60 one-minute intervals of 120 requests = 7200 requests / 3600 s = 2 rps; then 2 minutes of 60 = 120 / 120 s = 1 rps
    const counts = [...Array(60).fill(120), 60, 60];
    expect(ScalingCostAnalyzer.ratesPerHour(counts, Duration.minutes(1))).toEqual([2, 1]);
    expect(ScalingCostAnalyzer.ratesPerHour([3600, 7200], Duration.hours(1))).toEqual([1, 2]);
  });
});

describe('input errors', () => {
  const h = { priceUsdPerHour: 0.526, capacityPerReplica: 10, minReplicas: 2, maxReplicas: 20 };
  const cases: Array<[string, () => unknown, string]> = [
    ['empty load', () => ScalingCostAnalyzer.compare({ loadPerHour: [] }),
      "[ScalingCostAnalyzer] 'loadPerHour' ([]) must hold at least one value: give one load per hour in requests per second "
      + '(0 or more), e.g. the hourly request count / 3600'],
    ['negative load', () => ScalingCostAnalyzer.compare({ loadPerHour: [1, -1] }),
      "[ScalingCostAnalyzer] 'loadPerHour[1]' (-1) must be a finite number of 0 or more: give one load per hour in requests "
      + 'per second (0 or more), e.g. the hourly request count / 3600'],
    ['max below min', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], horizontal: { ...h, maxReplicas: 1 } }),
      "[ScalingCostAnalyzer] 'horizontal.maxReplicas' (1) is below 'horizontal.minReplicas' (2): raise maxReplicas or lower minReplicas"],
    ['fractional min', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], horizontal: { ...h, minReplicas: 1.5 } }),
      "[ScalingCostAnalyzer] 'horizontal.minReplicas' (1.5) must be a whole number of at least 0: use a whole number of 0 or more "
      + '(2 or more for a service that must survive a node drain)'],
    ['zero price', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], horizontal: { ...h, priceUsdPerHour: 0 } }),
      "[ScalingCostAnalyzer] 'horizontal.priceUsdPerHour' (0) must be a price of at least 0.000001 (one micro-dollar): "
      + "use the instance's hourly price in US dollars, e.g. 0.526 for g4dn.xlarge on demand"],
    ['utilization above 1', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], horizontal: { ...h, targetUtilization: 70 } }),
      "[ScalingCostAnalyzer] 'horizontal.targetUtilization' (70) must be a fraction above 0 and at most 1: use the fraction of "
      + 'capacity the autoscaler aims for, e.g. 0.7 for 30% headroom (1 = none)'],
    ['no sizes', () => ScalingCostAnalyzer.compare({ loadPerHour: [1], vertical: { sizes: [] } }),
      "[ScalingCostAnalyzer] 'vertical.sizes' ([]) must hold at least one value: give at least one size, "
      + 'e.g. { name: "xlarge", capacityPerReplica: 150, priceUsdPerHour: 12.24 }'],
    ['duplicate size', () => ScalingCostAnalyzer.compare({
      loadPerHour: [1],
      vertical: { sizes: [{ name: 'a', capacityPerReplica: 1, priceUsdPerHour: 1 }, { name: 'a', capacityPerReplica: 2, priceUsdPerHour: 2 }] },
    }), "[ScalingCostAnalyzer] 'vertical.sizes[1].name' (\"a\") is given twice: give each size a unique, non-empty name"],
    ['zero capacity size', () => ScalingCostAnalyzer.compare({
      loadPerHour: [1], vertical: { sizes: [{ name: 'a', capacityPerReplica: 0, priceUsdPerHour: 1 }] },
    }), "[ScalingCostAnalyzer] 'vertical.sizes[0].capacityPerReplica' (0) must be a number above zero: give the requests per second "
      + 'the size serves at full utilization, above zero'],
    ['interval not dividing an hour', () => ScalingCostAnalyzer.ratesPerHour([1], Duration.seconds(7)),
      "[ScalingCostAnalyzer] 'interval' (7 seconds) must be a whole number of seconds that divides 3600: use an interval of whole "
      + 'seconds that divides an hour evenly, e.g. Duration.minutes(1) for per-minute counts or Duration.hours(1) for hourly ones'],
    ['interval of a fraction of a second', () => ScalingCostAnalyzer.ratesPerHour([1], Duration.millis(500)),
      "[ScalingCostAnalyzer] 'interval' (500 millis) must be a whole number of seconds that divides 3600: use an interval of whole "
      + 'seconds that divides an hour evenly, e.g. Duration.minutes(1) for per-minute counts or Duration.hours(1) for hourly ones'],
  ];
  test.each(cases)('fails on %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('properties', () => {
  const loads = fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 48 });
  const horizontal = fc.record({
    priceUsdPerHour: fc.double({ min: 0.01, max: 50, noNaN: true }),
    capacityPerReplica: fc.double({ min: 0.5, max: 100, noNaN: true }),
    minReplicas: fc.integer({ min: 0, max: 5 }),
    extra: fc.integer({ min: 1, max: 30 }),
    targetUtilization: fc.double({ min: 0.1, max: 1, noNaN: true }),
  }).map(({ extra, ...h }) => ({ ...h, maxReplicas: h.minReplicas + extra }));
  const vertical = fc.array(fc.record({
    capacityPerReplica: fc.double({ min: 1, max: 300, noNaN: true }),
    priceUsdPerHour: fc.double({ min: 0.01, max: 50, noNaN: true }),
  }), { minLength: 1, maxLength: 6 }).map(sizes => ({ sizes: sizes.map((s, i) => ({ name: `s${i}`, ...s })) }));
  const arb = fc.record({ loadPerHour: loads, horizontal, vertical });
  const both = (c: CostComparison) => [c.horizontal, c.vertical];

  test('costs are exact sums of the hourly micro-dollars', () => {
    fc.assert(fc.property(arb, (props) => {
      for (const s of both(ScalingCostAnalyzer.compare(props))) {
        const sum = s.hourly.reduce((a, h) => a + h.costMicroUsd, 0);
        expect(Number.isInteger(sum)).toBe(true);
        expect(s.totalCostMicroUsd).toBe(sum);
        expect(s.totalCostUsd).toBe(sum / 1e6);
      }
    }));
  });

  test('served never exceeds the load or the capacity, and served + unserved = load', () => {
    fc.assert(fc.property(arb, (props) => {
      for (const s of both(ScalingCostAnalyzer.compare(props))) {
        for (const h of s.hourly) {
          expect(h.servedLoad).toBeLessThanOrEqual(h.load);
          expect(h.servedLoad).toBeLessThanOrEqual(h.capacity * (1 + 1e-9)); // float tolerance of capacity x utilization
          expect(h.servedLoad + h.unservedLoad).toBeCloseTo(h.load, 9);
          expect(h.shortOfCapacity).toBe(h.unservedLoad > 0);
        }
        expect(s.hoursShortOfCapacity).toBe(s.hourly.filter(h => h.shortOfCapacity).length);
      }
    }));
  });

  test('horizontal replicas stay within min and max', () => {
    fc.assert(fc.property(arb, (props) => {
      for (const h of ScalingCostAnalyzer.compare(props).horizontal.hourly) {
        const replicas = Number(h.replicasOrSize);
        expect(replicas).toBeGreaterThanOrEqual(props.horizontal.minReplicas);
        expect(replicas).toBeLessThanOrEqual(props.horizontal.maxReplicas);
      }
    }));
  });

  test('a higher load never lowers the cost of an hour', () => {
    fc.assert(fc.property(arb, (props) => {
      for (const s of both(ScalingCostAnalyzer.compare(props))) {
        const byLoad = [...s.hourly].sort((a, b) => a.load - b.load);
        for (let i = 1; i < byLoad.length; i++) {
          expect(byLoad[i].costMicroUsd).toBeGreaterThanOrEqual(byLoad[i - 1].costMicroUsd);
        }
      }
    }));
  });

  test('the winner serves every hour whenever the other strategy does', () => {
    fc.assert(fc.property(arb, (props) => {
      const c = ScalingCostAnalyzer.compare(props);
      const [winner, other] = c.cheaper === 'horizontal' ? [c.horizontal, c.vertical] : [c.vertical, c.horizontal];
      expect(winner.hoursShortOfCapacity).toBeLessThanOrEqual(other.hoursShortOfCapacity);
      if (winner.hoursShortOfCapacity === 0 && other.hoursShortOfCapacity === 0) {
        expect(winner.totalCostMicroUsd).toBeLessThanOrEqual(other.totalCostMicroUsd);
      }
    }));
  });
});

describe('the NASA KSC July 1995 trace', () => {
  const dir = path.join(__dirname, '..', '..', '..', 'shared', 'traces');
  const read = (file: string): number[] | undefined => {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) {
      console.warn(`skipped: ${p} is absent`);
      return undefined;
    }
    return fs.readFileSync(p, 'utf8').trim().split('\n').slice(1).map(line => Number(line.split(',')[1]));
  };

  test('scaled so the peak hour needs 15 replicas: served in full, totals are the sum of the hours', () => {
    const hourly = read('nasa_ksc_1995-07_1h.csv');
    if (!hourly) return;
    // requests per hour / 3600 = rps (peak 14926 / 3600 = 4.15 rps); scaled x36, i.e. rps = requests / 100:
    // peak 149.26 rps -> ceil(14.926) = 15 replicas of 10 rps, within both max 20 replicas and the xlarge's 150 rps
    const load = ScalingCostAnalyzer.ratesPerHour(hourly, Duration.hours(1)).map(rps => rps * 36);
    const c = ScalingCostAnalyzer.compare({ loadPerHour: load });
    expect(load.length).toBe(661);
    expect(Math.max(...c.horizontal.hourly.map(h => Number(h.replicasOrSize)))).toBe(15);
    for (const s of [c.horizontal, c.vertical]) {
      expect(s.hoursShortOfCapacity).toBe(0);
      expect(s.unservedRequests).toBe(0);
      expect(s.totalCostMicroUsd).toBe(s.hourly.reduce((a, h) => a + h.costMicroUsd, 0));
    }
    // independent recomputation: replica-hours = sum of max(2, ceil(requests / 1000)) (rps / 10 = requests / 1000)
    const replicaHours = hourly.reduce((a, r) => a + Math.max(2, Math.ceil(r / 1000)), 0);
    expect(c.horizontal.totalCostMicroUsd).toBe(replicaHours * 526_000);
    expect(c.horizontal.requestsServed).toBeCloseTo(hourly.reduce((a, r) => a + r, 0) * 36, 3);
    expect(c.cheaper).toBe(c.horizontal.totalCostMicroUsd <= c.vertical.totalCostMicroUsd ? 'horizontal' : 'vertical');
  });

  test('hourly rates from the per-minute file equal the hourly file / 3600', () => {
    const hourly = read('nasa_ksc_1995-07_1h.csv');
    const minutes = read('nasa_ksc_1995-07_1min.csv');
    if (!hourly || !minutes) return;
    const rates = ScalingCostAnalyzer.ratesPerHour(minutes, Duration.minutes(1));
    expect(rates.length).toBe(hourly.length);
    rates.forEach((r, i) => expect(r).toBeCloseTo(hourly[i] / 3600, 9));
  });
});

describe('input checks of ratesPerHour and the vertical sizes', () => {
  test('fails when the vertical strategy given to sizes is not an object, instead of a TypeError', () => {
    expect(() => (ScalingCostAnalyzer as any).sizes(null)).toThrow(
      "[ScalingCostAnalyzer] 'vertical' (null) must be an object of named fields, not null: give { sizes: [...] }, or leave it unset");
  });

  test('fails when the request counts are not a list', () => {
    expect(() => ScalingCostAnalyzer.ratesPerHour({} as any, Duration.minutes(1))).toThrow(
      "[ScalingCostAnalyzer] 'requestsPerInterval' ({}) must be a list, not an object: give one request count (0 or more) per interval, in time order");
  });
});
