import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { InstanceCatalog, InstanceType } from '../../src/planning/instance-catalog';
import { InstanceSelector } from '../../src/planning/instance-selector';
import { cheapestMix, MixItem, replicasFor, scaleLoad } from '../../src/planning/internal/selector-core';

/**
 * The mixed-fleet search against an independent exact reference: a dynamic program over covered capacity (clamped at
 * the demand) and replicas (clamped at minReplicas), O(demand x minReplicas x items). It shares nothing with the
 * residue search or the branch and bound, so the demands here are large against the capacities, where the residue
 * search (not the branch and bound) answers.
 */
function reference(caps: number[], prices: number[], demand: number, minReplicas: number): number {
  const width = minReplicas + 1;
  const best = new Float64Array((demand + 1) * width).fill(Infinity);
  best[0] = 0;
  for (let c = 0; c <= demand; c++) {
    for (let k = 0; k <= minReplicas; k++) {
      const here = best[c * width + k];
      if (here === Infinity || (c === demand && k === minReplicas)) continue;
      for (let i = 0; i < caps.length; i++) {
        const at = Math.min(demand, c + caps[i]) * width + Math.min(minReplicas, k + 1);
        if (here + prices[i] < best[at]) best[at] = here + prices[i];
      }
    }
  }
  return best[demand * width + minReplicas];
}

/** Park-Miller generator: seeded catalogs. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

function check(items: MixItem[], demand: bigint, minReplicas: number, counts: number[]) {
  const capacity = counts.reduce((sum, n, i) => sum + BigInt(n) * items[i].capacity, 0n);
  const replicas = counts.reduce((sum, n) => sum + n, 0);
  return capacity >= demand && replicas >= minReplicas;
}

describe('mixed-fleet search against an exact reference', () => {
  const caseArb = fc.record({
    caps: fc.array(fc.integer({ min: 3, max: 80 }), { minLength: 1, maxLength: 7 }),
    exponent: fc.constantFrom(0.5, 0.8, 1, 1.2),
    noise: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 7, maxLength: 7 }),
    demand: fc.integer({ min: 1, max: 3000 }),
    minReplicas: fc.integer({ min: 1, max: 4 }),
  });

  test('is exact and proven on economies, diseconomies and random pricing', () => {
    fc.assert(fc.property(caseArb, c => {
      // price ~ capacity^exponent, times 0.9-1.1: bigger types cheaper per request for exponents below 1
      const prices = c.caps.map((cap, i) => Math.round(1000 * Math.pow(cap, c.exponent) * (0.9 + c.noise[i] / 1000)) + 1);
      const items = c.caps.map((cap, i) => ({ capacity: BigInt(cap), priceMicroUsd: prices[i] }));
      const r = cheapestMix(items, BigInt(c.demand), c.minReplicas, Infinity);
      const expected = reference(c.caps, prices, c.demand, c.minReplicas);
      return r.optimal && r.costMicroUsd === expected && r.lowerBoundMicroUsd === expected
        && check(items, BigInt(c.demand), c.minReplicas, r.counts!)
        && r.counts!.reduce((sum, n, i) => sum + n * prices[i], 0) === expected;
    }), { numRuns: 400 });
  });

  test('reports no mix exactly when none is strictly cheaper than mustBeat', () => {
    fc.assert(fc.property(caseArb, fc.integer({ min: -3, max: 3 }), (c, shift) => {
      const prices = c.caps.map((cap, i) => Math.round(1000 * Math.pow(cap, c.exponent) * (0.9 + c.noise[i] / 1000)) + 1);
      const items = c.caps.map((cap, i) => ({ capacity: BigInt(cap), priceMicroUsd: prices[i] }));
      const expected = reference(c.caps, prices, c.demand, c.minReplicas);
      const mustBeat = expected + shift;
      const r = cheapestMix(items, BigInt(c.demand), c.minReplicas, mustBeat);
      if (expected < mustBeat) return r.optimal && r.costMicroUsd === expected && r.counts !== undefined;
      return r.optimal && r.counts === undefined && r.costMicroUsd === mustBeat && r.lowerBoundMicroUsd === mustBeat;
    }), { numRuns: 300 });
  });

  test.each([0.5, 0.8, 1.2])('is exact on a 30-type catalog priced as capacity^%d at 2,000 rps', exponent => {
    for (const seed of [1, 2, 3]) {
      const rnd = lehmer(seed);
      const rps = Array.from({ length: 30 }, () => Math.round((1 + rnd() * 49) * 10) / 10);
      const load = scaleLoad(2000, 1, rps);
      const items = rps.map((x, i) => ({ capacity: load.capacities[i], priceMicroUsd: Math.round(100_000 * Math.pow(x, exponent)) + i }));
      const single = Math.min(...items.map(it => replicasFor(load.demand, it.capacity, 2) * it.priceMicroUsd));
      const r = cheapestMix(items, load.demand, 2, single);
      const expected = reference(items.map(it => Number(it.capacity)), items.map(it => it.priceMicroUsd), Number(load.demand), 2);
      expect(r.optimal).toBe(true);
      expect(r.costMicroUsd).toBe(Math.min(expected, single));
      if (r.counts) expect(check(items, load.demand, 2, r.counts)).toBe(true);
    }
  });
});

describe('the branch and bound, where the residue table is too large', () => {
  test('is exact on capacities with a gcd of 1 and millions of units (enumeration of every count vector)', () => {
    // Tables of 7-10 million residues: the coarse bounds (rounded capacities) and the branch and bound answer.
    fc.assert(fc.property(
      fc.array(fc.record({ cap: fc.integer({ min: 7_000_000, max: 10_000_000 }), price: fc.integer({ min: 1000, max: 3000 }) }),
        { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 20_000_000, max: 60_000_000 }),
      fc.integer({ min: 1, max: 8 }),
      (specs, demand, minReplicas) => {
        const items = specs.map(s => ({ capacity: BigInt(s.cap), priceMicroUsd: s.price }));
        let expected = Infinity;
        const bound = specs.map(s => Math.max(minReplicas, Math.ceil(demand / s.cap)));
        for (let a = 0; a <= bound[0]; a++) {
          for (let b = 0; b <= bound[1]; b++) {
            for (let c = 0; c <= bound[2]; c++) {
              if (a * specs[0].cap + b * specs[1].cap + c * specs[2].cap >= demand && a + b + c >= minReplicas) {
                expected = Math.min(expected, a * specs[0].price + b * specs[1].price + c * specs[2].price);
              }
            }
          }
        }
        const r = cheapestMix(items, BigInt(demand), minReplicas, Infinity);
        return r.optimal && r.costMicroUsd === expected && r.lowerBoundMicroUsd === expected
          && check(items, BigInt(demand), minReplicas, r.counts!);
      }), { numRuns: 100 });
  });

  test('stops at its work bound with a valid mix and a proven gap (200 types, capacities with four decimals)', () => {
    const rnd = lehmer(7);
    const types = Array.from({ length: 200 }, (_, i) => {
      const rps = Math.round((1 + rnd() * 499) * 10_000) / 10_000;
      return InstanceType.of({
        name: `t${i}.test`,
        priceUsdPerHour: Math.round(1.5 * Math.sqrt(rps) * 1000) / 1000,
        capacityPerReplica: rps,
        latency: Duration.millis(100),
        gpus: 1,
        vcpus: 8,
        memory: Size.gibibytes(32),
      });
    });
    const catalog = InstanceCatalog.of(types);
    const s = InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 100_000 });
    const m = s.mixedFleet!;
    expect(m).toBeDefined();
    const byName = new Map(types.map(t => [t.name, t]));
    const served = m.counts.reduce((sum, c) => sum + c.replicas * byName.get(c.instanceType)!.capacityPerReplica!, 0);
    expect(served * 0.7).toBeGreaterThanOrEqual(100_000 * (1 - 1e-9));
    expect(m.costMicroUsdPerHour).toBeLessThan(s.plan!.costMicroUsdPerHour);
    expect(m.optimal).toBe(false); // on this catalog the search stops at its bound: the gap path is exercised
    expect(m.gapUsdPerHour).toBeGreaterThan(0);
    expect(s.mixedFleetGapUsdPerHour).toBe(m.gapUsdPerHour);
    if (!m.optimal) expect(s.reason).toContain(`(not proven the cheapest mix: at most $${m.gapUsdPerHour}/h above it)`);
    // The gap is against a lower bound no fleet beats: never more than the saving over the best-ratio relaxation.
    expect(m.gapUsdPerHour).toBeLessThan(m.costUsdPerHour);
  });
});

describe('economies of scale through InstanceSelector', () => {
  test.each([0.5, 0.8, 1.2])('proves the mixed fleet optimal at 100,000 rps on 200 types priced as capacity^%d', exponent => {
    const rnd = lehmer(1);
    const types = Array.from({ length: 200 }, (_, i) => {
      const rps = Math.round((1 + rnd() * 499) * 10) / 10;
      return InstanceType.of({
        name: `t${i}.test`,
        priceUsdPerHour: Math.max(0.1, Math.round(0.2 * Math.pow(rps, exponent) * 1000) / 1000),
        capacityPerReplica: rps,
        latency: Duration.millis(100),
        gpus: 1,
        vcpus: 8,
        memory: Size.gibibytes(32),
      });
    });
    const start = Date.now();
    const s = InstanceSelector.cheapest({ catalog: InstanceCatalog.of(types), requiredRequestsPerSecond: 100_000 });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(s.mixedFleetGapUsdPerHour).toBe(0);
    if (s.mixedFleet) expect(s.mixedFleet).toMatchObject({ optimal: true, gapUsdPerHour: 0 });
  });
});
