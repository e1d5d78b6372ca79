import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { mostly, nonFiniteNumbers, series, sometimesMissing } from './arbitraries-planning';
import { intervalCounts, requestInterval } from './arbitraries-planning-cost';
import { fuzzTest, numberProblems } from './harness';
import { CostComparison, ScalingCostAnalyzer, StrategyCost } from '../../src';
import { planVertical } from '../../src/planning/internal/cost-core';

const price = mostly(fc.double({ min: 0.01, max: 50, noNaN: true }), orWrong(fc.oneof(realNumber(0.01, 50), fc.constantFrom(0.000001, 1e-7,
  10_000, 10_001))));
const capacity = mostly(fc.double({ min: 0.5, max: 200, noNaN: true }), orWrong(fc.oneof(realNumber(0.5, 200), fc.constantFrom(1e12, 1e13, 1e-300))));
const horizontal = sometimesMissing(fc.record({
  priceUsdPerHour: price,
  capacityPerReplica: capacity,
  minReplicas: mostly(fc.integer({ min: 0, max: 3 }), orWrong(wholeNumber(0, 3))),
  maxReplicas: mostly(fc.integer({ min: 3, max: 40 }), orWrong(fc.oneof(wholeNumber(1, 40), fc.constantFrom(ScalingCostAnalyzer.MAX_REPLICAS,
    ScalingCostAnalyzer.MAX_REPLICAS + 1)))),
  targetUtilization: mostly(fc.constantFrom(undefined, 0.7), optional(realNumber(0.05, 1))),
}), ['priceUsdPerHour', 'capacityPerReplica', 'minReplicas', 'maxReplicas']);
const size = sometimesMissing(fc.record({
  name: mostly(fc.constantFrom('small', 'medium', 'large', 'xlarge'), orWrong(fc.constantFrom('', 'x'))),
  capacityPerReplica: capacity,
  priceUsdPerHour: price,
}), ['name', 'capacityPerReplica', 'priceUsdPerHour']);
const vertical = fc.oneof(
  { arbitrary: fc.record({ sizes: fc.uniqueArray(size, { minLength: 1, maxLength: 4, selector: (z: any) => z?.name }) }), weight: 10 },
  { arbitrary: fc.record({ sizes: orWrong(fc.array(size, { maxLength: 4 })) }), weight: 2 },
  {
    arbitrary: fc.constant({
      sizes: new Array(ScalingCostAnalyzer.MAX_SIZES + 1).fill({
        name: 'a',
        capacityPerReplica: 1,
        priceUsdPerHour: 1,
      }),
    }),
    weight: 1,
  },
);
const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      loadPerHour: mostly(fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 72 }),
        series(3000, 0, 72, ScalingCostAnalyzer.MAX_HOURS + 1)),
      horizontal: mostly(fc.constant(undefined), optional(horizontal, 10), 1),
      vertical: mostly(fc.constant(undefined), optional(vertical, 10), 1),
    }), ['loadPerHour']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

function strategyProblems(name: string, s: StrategyCost, hours: number): string[] {
  const out = [
    ...numberProblems(`${name}.totalCostMicroUsd`, s.totalCostMicroUsd, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    ...numberProblems(`${name}.hoursShortOfCapacity`, s.hoursShortOfCapacity, { min: 0, max: hours }),
    ...numberProblems(`${name}.requestsServed`, s.requestsServed, { min: 0 }),
    ...numberProblems(`${name}.unservedRequests`, s.unservedRequests, { min: 0 }),
  ];
  if (s.hourly.length !== hours) out.push(`${name}.hourly has ${s.hourly.length} hours, not ${hours}`);
  if (!Number.isSafeInteger(s.totalCostMicroUsd)) out.push(`${name}.totalCostMicroUsd is not an exact integer`);
  const sum = s.hourly.reduce((a, h) => a + h.costMicroUsd, 0);
  if (sum !== s.totalCostMicroUsd) out.push(`${name}: the hours sum to ${sum}, not ${s.totalCostMicroUsd}`);
  s.hourly.forEach((h, i) => {
    if (h.costMicroUsd < 0 || h.servedLoad < 0 || h.unservedLoad < 0) out.push(`${name}.hourly[${i}] has a negative figure`);
    if (Math.abs(h.servedLoad + h.unservedLoad - h.load) > 1e-6 * Math.max(1,
      h.load)) out.push(`${name}.hourly[${i}] served + unserved is not the load`);
  });
  return out;
}

describe('ScalingCostAnalyzer', () => {
  fuzzTest('ScalingCostAnalyzer.compare', props, (p) => {
    const r: CostComparison = ScalingCostAnalyzer.compare(p);
    const hours = p.loadPerHour.length;
    const out = [...nonFiniteNumbers(r), ...strategyProblems('horizontal', r.horizontal, hours), ...strategyProblems('vertical', r.vertical, hours)];
    if (r.cheaper !== 'horizontal' && r.cheaper !== 'vertical') out.push(`cheaper is ${r.cheaper}`);
    if (!r.reason) out.push('reason is empty');
    const h = p.horizontal;
    if (h) {
      r.horizontal.hourly.forEach((x, i) => {
        const n = Number(x.replicasOrSize);
        if (!(n >= h.minReplicas && n <= h.maxReplicas)) out.push(`horizontal.hourly[${i}] has ${x.replicasOrSize} replicas`);
      });
    }
    return out;
  });

  fuzzTest('ScalingCostAnalyzer.ratesPerHour', fc.tuple(intervalCounts(ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL, ScalingCostAnalyzer.MAX_INTERVALS), requestInterval()),
    ([counts, interval]) => {
      const rates = ScalingCostAnalyzer.ratesPerHour(counts, interval);
      const perHour = 3600 / interval.toSeconds();
      const out = nonFiniteNumbers(rates);
      if (!Array.isArray(rates) || rates.length !== Math.ceil(counts.length / perHour)) out.push(`${rates.length} hours from ${counts.length} intervals`);
      rates.forEach((r, i) => {
        if (r < 0) out.push(`rates[${i}] is ${r}`);
        if (r > ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL) out.push(`rates[${i}] is ${r}, above any interval's count`);
      });
      return out;
    });

  // sizes and summarize are private: they are reached through compare, and called here directly with what a JSON caller's
  // vertical strategy holds (sizes) and with the plan its sizes give (summarize).
  fuzzTest('ScalingCostAnalyzer.sizes', fc.tuple(fc.oneof({ arbitrary: vertical, weight: 12 }, { arbitrary: wrongType(), weight: 1 }),
    fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 48 })), ([v, loads]) => {
    const sizes = (ScalingCostAnalyzer as any).sizes(v);
    const out = nonFiniteNumbers(sizes);
    if (sizes.length !== v.sizes.length) out.push(`${sizes.length} sizes from ${v.sizes.length}`);
    sizes.forEach((z: any, i: number) => {
      if (!(z.capacity > 0) || !Number.isSafeInteger(z.priceMicroUsd) || z.priceMicroUsd < 1) out.push(`sizes[${i}] is ${JSON.stringify(z)}`);
    });
    const summary: StrategyCost = (ScalingCostAnalyzer as any).summarize('vertical', planVertical(loads, sizes));
    return [...out, ...nonFiniteNumbers(summary).filter((p) => !/costUsdPer/.test(p)), ...strategyProblems('vertical', summary, loads.length)];
  });
});
