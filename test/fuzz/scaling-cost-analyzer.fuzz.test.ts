import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { mostly, nonFiniteNumbers, series, sometimesMissing } from './arbitraries-planning';
import { costCatalogs, intervalCounts, requestInterval, startTimes } from './arbitraries-planning-cost';
import { fuzzTest, numberProblems } from './harness';
import { CostComparison, ScalingCostAnalyzer, StrategyCost } from '../../src';

const families = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.constantFrom(['a'], ['b'], ['a', 'b'], ['g4dn', 'p3'], ['g6']), weight: 3 },
  { arbitrary: orWrong(fc.constantFrom([], ['zz'], [''], ['a', 3])), weight: 1 },
);
const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      load: mostly(fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 240 }),
        series(3000, 0, 240, ScalingCostAnalyzer.MAX_STEPS + 1)),
      interval: optional(requestInterval()),
      startTime: startTimes(),
      loadPerHour: mostly(fc.constant(undefined), series(3000, 0, 24, 10), 10),
      catalog: costCatalogs(),
      horizontalType: mostly(fc.constant(undefined), optional(fc.constantFrom('a.s0', 'b.s1', 'g4dn.xlarge', 'g6.xlarge', 'nope', ''))),
      verticalFamilies: families,
      targetUtilization: mostly(fc.constantFrom(undefined, 0.7), optional(realNumber(0.005, 1))),
      minReplicas: mostly(fc.constantFrom(undefined, 0, 1, 2), optional(wholeNumber(0, 3))),
      maxReplicas: mostly(fc.constantFrom(undefined, 3, 40), optional(fc.oneof(wholeNumber(1, 40),
        fc.constantFrom(ScalingCostAnalyzer.MAX_REPLICAS, ScalingCostAnalyzer.MAX_REPLICAS + 1)))),
      resizeEvery: optional(requestInterval()),
    }), ['load']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

function strategyProblems(name: string, s: StrategyCost): string[] {
  const out = [
    ...numberProblems(`${name}.totalCostMicroUsd`, s.totalCostMicroUsd, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    ...numberProblems(`${name}.requestsServed`, s.requestsServed, { min: 0 }),
    ...numberProblems(`${name}.unservedRequests`, s.unservedRequests, { min: 0 }),
    ...numberProblems(`${name}.unservedFraction`, s.unservedFraction, { min: 0, max: 1 }),
  ];
  if (!Number.isSafeInteger(s.totalCostMicroUsd)) out.push(`${name}.totalCostMicroUsd is not an exact integer`);
  const sum = s.hourly.reduce((a, h) => a + h.costMicroUsd, 0);
  if (sum !== s.totalCostMicroUsd) out.push(`${name}: the hours sum to ${sum}, not ${s.totalCostMicroUsd}`);
  if (s.hoursShortOfCapacity !== s.hourly.filter(h => h.shortOfCapacity).length) out.push(`${name}.hoursShortOfCapacity disagrees with the hours`);
  s.hourly.forEach((h, i) => {
    if (h.costMicroUsd < 0 || h.servedLoad < 0 || h.unservedLoad < 0) out.push(`${name}.hourly[${i}] has a negative figure`);
    if (Math.abs(h.servedLoad + h.unservedLoad - h.load) > 1e-6 * Math.max(1, h.load)) out.push(`${name}.hourly[${i}] served + unserved is not the load`);
    if (h.start !== undefined && Number.isNaN(h.start.getTime())) out.push(`${name}.hourly[${i}].start is an Invalid Date`);
  });
  return out;
}

describe('ScalingCostAnalyzer', () => {
  fuzzTest('ScalingCostAnalyzer.compare', props, (p) => {
    const r: CostComparison = ScalingCostAnalyzer.compare(p);
    const out = [...nonFiniteNumbers(r), ...strategyProblems('horizontal', r.horizontal), ...strategyProblems('vertical', r.vertical)];
    if (r.cheaper !== 'horizontal' && r.cheaper !== 'vertical') out.push(`cheaper is ${r.cheaper}`);
    if (!r.reason) out.push('reason is empty');
    r.horizontal.hourly.forEach((x, i) => {
      for (const n of x.replicasOrSize.split('-').map(Number)) {
        if (!(n >= r.minReplicas && n <= r.maxReplicas)) out.push(`horizontal.hourly[${i}] has ${x.replicasOrSize} replicas`);
      }
    });
    if (r.horizontal.hourly.length !== r.vertical.hourly.length) out.push('the strategies have different hours');
    return out;
  });

  fuzzTest('ScalingCostAnalyzer.ratesPerHour', fc.tuple(intervalCounts(ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL, ScalingCostAnalyzer.MAX_INTERVALS),
    requestInterval(), startTimes()), ([counts, interval, startTime]) => {
    const rates = ScalingCostAnalyzer.ratesPerHour(counts, interval, startTime);
    const out = nonFiniteNumbers(rates);
    const seconds = interval.toSeconds();
    const startMs = startTime?.getTime() ?? 0;
    const hours = Math.ceil((startMs + counts.length * seconds * 1000) / 3_600_000) - Math.floor(startMs / 3_600_000);
    if (!Array.isArray(rates) || rates.length !== hours) out.push(`${rates.length} hours from ${counts.length} intervals`);
    const total = counts.reduce((a: number, c: number) => a + c, 0);
    rates.forEach((r, i) => {
      if (r < 0) out.push(`rates[${i}] is ${r}`);
      if (r > ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL) out.push(`rates[${i}] is ${r}, above any interval's count`);
    });
    if (total > 1e-300 && rates.every(r => r === 0)) out.push('every hour is 0 for counts above 0');
    return out;
  });
});
