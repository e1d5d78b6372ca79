import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { GpuProduct } from '../../src/planning/gpu-product';
import { CapacityType, InstanceCatalog, InstanceType } from '../../src/planning/instance-catalog';
import { InstanceSelection, InstanceSelector } from '../../src/planning/instance-selector';
import { cheapestMix, toDecimal, undominated } from '../../src/planning/internal/selector-core';

const NOTE = 'needs one Deployment per instance type behind weighted routing';

function type(name: string, priceUsdPerHour: number, capacityPerReplica: number, latencyMs = 100, capacityType = CapacityType.ON_DEMAND) {
  return InstanceType.of({
    name, priceUsdPerHour, capacityPerReplica, latency: Duration.millis(latencyMs), gpus: 1, vcpus: 4, memory: Size.gibibytes(16), capacityType,
  });
}

/** Plan names and counts, cheapest first. */
function summary(s: InstanceSelection): string[] {
  return s.alternatives.map(p => `${p.instanceType} x ${p.replicas} = ${p.costMicroUsdPerHour}`);
}

describe('the design document example (11 rps)', () => {
  /*
   * The document ranks by hourly cost / (capacity x 3600), i.e. by price per rps of capacity:
   *   g4dn.xlarge  2 x 0.526 = 1.052 for 20 rps -> 0.0526 $/h per rps
   *   g4dn.2xlarge 1 x 0.752 = 0.752 for 18 rps -> 0.0418
   *   g4dn.4xlarge 1 x 1.204 = 1.204 for 35 rps -> 0.0344  <- the document's pick
   *   p3.2xlarge   1 x 3.06  = 3.06  for 50 rps -> 0.0612
   *   p3.8xlarge   1 x 12.24 = 12.24 for 180 rps -> 0.068
   * Ranked by what serving 11 rps costs, one g4dn.2xlarge ($0.752/h) wins.
   */
  test('at full utilization and one replica picks one g4dn.2xlarge at $0.752/h, not the g4dn.4xlarge', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 11, minReplicas: 1, targetUtilization: 1 });
    expect(s.feasible).toBe(true);
    expect(s.plan).toEqual({
      instanceType: 'g4dn.2xlarge',
      capacityType: CapacityType.ON_DEMAND,
      replicas: 1,
      latency: Duration.millis(150),
      costUsdPerHour: 0.752,
      costMicroUsdPerHour: 752_000,
      totalCapacity: 18,
      utilization: 11 / 18,
      costUsdPerMillionRequests: 752_000 / (11 * 3600), // $18.99 per million served, not $11.60 at capacity
    });
    expect(summary(s)).toEqual([
      'g4dn.2xlarge x 1 = 752000',
      'g4dn.xlarge x 2 = 1052000',
      'g4dn.4xlarge x 1 = 1204000',
      'p3.2xlarge x 1 = 3060000',
      'p3.8xlarge x 1 = 12240000',
    ]);
    expect(s.mixedFleet).toBeUndefined();
  });

  /*
   * Defaults: 70% target utilization, at least 2 replicas.
   *   capacity at target: 10 x 0.7 = 7, 18 x 0.7 = 12.6, 35 x 0.7 = 24.5, 50 x 0.7 = 35, 180 x 0.7 = 126
   *   replicas = max(2, ceil(11 / that)): xlarge max(2, 2) = 2, every other type max(2, 1) = 2
   *   cost: 2 x 0.526 = 1.052, 2 x 0.752 = 1.504, 2 x 1.204 = 2.408, 2 x 3.06 = 6.12, 2 x 12.24 = 24.48
   * -> g4dn.xlarge x 2 at $1.052/h, 20 rps capacity, 55% utilized, 1,052,000 / 39,600 = $26.57 per million.
   * No mix beats it: any two replicas cost at least 2 x 0.526.
   */
  test('with the defaults picks two g4dn.xlarge at $1.052/h', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 11 });
    expect(s.plan).toMatchObject({ instanceType: 'g4dn.xlarge', replicas: 2, costMicroUsdPerHour: 1_052_000, costUsdPerHour: 1.052, totalCapacity: 20 });
    expect(s.plan?.utilization).toBe(0.55);
    expect(s.plan?.costUsdPerMillionRequests).toBeCloseTo(26.5657, 4);
    expect(summary(s)).toEqual([
      'g4dn.xlarge x 2 = 1052000',
      'g4dn.2xlarge x 2 = 1504000',
      'g4dn.4xlarge x 2 = 2408000',
      'p3.2xlarge x 2 = 6120000',
      'p3.8xlarge x 2 = 24480000',
    ]);
    expect(s.mixedFleet).toBeUndefined();
    expect(s.reason).toBe('g4dn.xlarge x 2 (on-demand) at $1.052/h serves 11 rps with 20 rps of capacity (55% utilized, '
      + '$26.57 per million requests served); cheapest of 5 feasible instance types');
  });
});

describe('worked examples', () => {
  /*
   * 40 rps, utilization 1, one replica minimum. Single types: xlarge 4 x 0.526 = 2.104, 2xlarge 3 x 0.752 = 2.256,
   * 4xlarge 2 x 1.204 = 2.408, p3.2xlarge 1 x 3.06, p3.8xlarge 1 x 12.24 -> g4dn.xlarge x 4 at $2.104/h.
   * Mix: g4dn.4xlarge (35) + g4dn.xlarge (10) = 45 rps for 1.204 + 0.526 = $1.73/h, saving $0.374/h.
   */
  test('reports a mixed fleet when it is strictly cheaper than any single type', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 40, minReplicas: 1, targetUtilization: 1 });
    expect(s.plan).toMatchObject({ instanceType: 'g4dn.xlarge', replicas: 4, costMicroUsdPerHour: 2_104_000 });
    expect(s.mixedFleet).toEqual({
      counts: [
        { instanceType: 'g4dn.4xlarge', capacityType: CapacityType.ON_DEMAND, replicas: 1 },
        { instanceType: 'g4dn.xlarge', capacityType: CapacityType.ON_DEMAND, replicas: 1 },
      ],
      replicas: 2,
      costUsdPerHour: 1.73,
      costMicroUsdPerHour: 1_730_000,
      savingUsdPerHour: 0.374,
      totalCapacity: 45,
      utilization: 40 / 45,
      costUsdPerMillionRequests: 1_730_000 / (40 * 3600),
      latency: Duration.millis(200),
      note: NOTE,
      optimal: true,
      gapUsdPerHour: 0,
    });
    expect(s.mixedFleetGapUsdPerHour).toBe(0);
    expect(s.reason).toMatch(/; a mixed fleet \(g4dn\.4xlarge x 1 \+ g4dn\.xlarge x 1\) costs \$1\.73\/h, \$0\.374\/h less, but needs one Deployment/);
  });

  /*
   * 40 rps with defaults and at most 150 ms (no g4dn.xlarge): 2xlarge ceil(40 / 12.6) = 4 -> 3.008,
   * 4xlarge ceil(40 / 24.5) = 2 -> 2.408, p3.2xlarge 2 -> 6.12, p3.8xlarge 2 -> 24.48.
   * Mixes with 4xlarge + 2xlarge need 24.5 + 2 x 12.6 = 49.7 >= 40 -> 2.708: dearer. No mix.
   */
  test('honours the latency limit', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 40, maxLatency: Duration.millis(150) });
    expect(summary(s)).toEqual(['g4dn.4xlarge x 2 = 2408000', 'g4dn.2xlarge x 4 = 3008000', 'p3.2xlarge x 2 = 6120000', 'p3.8xlarge x 2 = 24480000']);
    expect(s.mixedFleet).toBeUndefined();
  });

  test('counts replicas exactly where floating point would add one', () => {
    // 6.3 / (3 x 0.7) is exactly 3, but 3 * 0.7 = 2.0999999999999996 in floating point, so Math.ceil gives 4
    expect(Math.ceil(6.3 / (3 * 0.7))).toBe(4);
    const catalog = InstanceCatalog.of([type('a', 1, 3)]);
    const s = InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 6.3, minReplicas: 1 });
    expect(s.plan).toMatchObject({ replicas: 3, costMicroUsdPerHour: 3_000_000 });
  });

  test('reads each number as the decimal it prints as', () => {
    expect(toDecimal(0.7)).toEqual({ n: 7n, k: 1 });
    expect(toDecimal(1e-7)).toEqual({ n: 1n, k: 7 });
    expect(toDecimal(1.5e21)).toEqual({ n: 1_500_000_000_000_000_000_000n, k: 0 });
    expect(toDecimal(100000)).toEqual({ n: 100000n, k: 0 });
  });

  test('breaks cost ties by more capacity, then by name', () => {
    const catalog = InstanceCatalog.of([type('b', 1, 10), type('a', 1, 10), type('c', 1, 20)]);
    const s = InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 5 });
    expect(s.alternatives.map(p => p.instanceType)).toEqual(['c', 'a', 'b']);
  });

  test('filters by capacity type', () => {
    const catalog = InstanceCatalog.of([type('x', 1, 10), type('x', 0.3, 10, 100, CapacityType.SPOT)]);
    expect(InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 5 }).plan)
      .toMatchObject({ capacityType: CapacityType.SPOT, costMicroUsdPerHour: 600_000 });
    const onDemand = InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 5, capacityTypes: [CapacityType.ON_DEMAND] });
    expect(onDemand.plan).toMatchObject({ capacityType: CapacityType.ON_DEMAND, costMicroUsdPerHour: 2_000_000 });
  });

  test('drops dominated types before the mixed-fleet search', () => {
    const items = [
      { capacity: 10n, priceMicroUsd: 5 }, { capacity: 8n, priceMicroUsd: 6 },
      { capacity: 10n, priceMicroUsd: 5 }, { capacity: 20n, priceMicroUsd: 9 },
    ];
    expect(undominated(items).sort()).toEqual([0, 3]);
    expect(cheapestMix(items, 25n, 1, Infinity)).toEqual({ counts: [1, 0, 0, 1], costMicroUsd: 14, optimal: true, lowerBoundMicroUsd: 14 });
  });
});

describe('infeasible selections carry a reason', () => {
  test('no type meets the latency limit', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 11, maxLatency: Duration.millis(50) });
    expect(s).toEqual({
      feasible: false,
      reason: 'no instance type meets 50 ms (fastest: p3.8xlarge at 60 ms): raise maxLatency to at least 60 ms or add faster instance types',
      alternatives: [],
      mixedFleet: undefined,
      mixedFleetGapUsdPerHour: 0,
    });
  });

  /* 40 rps, utilization 1, one replica, at most 150 ms: 2xlarge x 3 = 2.256, 4xlarge x 2 = 2.408; a 4xlarge + a 2xlarge = 53 rps for $1.956/h. */
  test('the cheapest single type is over budget, and says when a mixed fleet fits', () => {
    const s = InstanceSelector.cheapest({
      requiredRequestsPerSecond: 40, maxLatency: Duration.millis(150), budgetUsdPerHour: 2, targetUtilization: 1, minReplicas: 1,
    });
    expect(s.feasible).toBe(false);
    expect(s.plan).toBeUndefined();
    expect(s.reason).toBe('cheapest plan g4dn.2xlarge x 3 costs $2.256/h, above the $2/h budget: raise budgetUsdPerHour to at least 2.256, '
      + 'or lower the load or minReplicas, or raise targetUtilization; a mixed fleet (g4dn.4xlarge x 1 + g4dn.2xlarge x 1) costs $1.956/h, '
      + 'within budget, but needs one Deployment per instance type behind weighted routing');
    expect(s.mixedFleet).toMatchObject({ costMicroUsdPerHour: 1_956_000, savingUsdPerHour: 0.3, totalCapacity: 53 });
  });

  test('over budget with no mixed fleet that fits', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 11, budgetUsdPerHour: 1 });
    expect(s.reason).toBe('cheapest plan g4dn.xlarge x 2 costs $1.052/h, above the $1/h budget: raise budgetUsdPerHour to at least 1.052, '
      + 'or lower the load or minReplicas, or raise targetUtilization');
    expect(s.mixedFleet).toBeUndefined();
  });

  test('a budget equal to the cost is met exactly', () => {
    expect(InstanceSelector.cheapest({ requiredRequestsPerSecond: 11, budgetUsdPerHour: 1.052 }).feasible).toBe(true);
  });

  test('the capacity-type filter leaves nothing', () => {
    const s = InstanceSelector.cheapest({ requiredRequestsPerSecond: 11, capacityTypes: [CapacityType.SPOT] });
    expect(s.reason).toBe('the catalog has no spot instance types (it has on-demand): add spot types or allow other capacityTypes');
    expect(s.feasible).toBe(false);
  });

  test('the catalog is empty', () => {
    expect(InstanceSelector.cheapest({ catalog: InstanceCatalog.of([]), requiredRequestsPerSecond: 1 }).reason)
      .toBe('the catalog has no instance types: add some with InstanceCatalog.of([...])');
  });
});

describe('invalid props', () => {
  test.each([
    [{ requiredRequestsPerSecond: 0 }, "[InstanceSelector] 'requiredRequestsPerSecond' (0) must be a number above zero: give the peak load the fleet must serve, in requests per second, e.g. 11"],
    [{ requiredRequestsPerSecond: NaN }, "[InstanceSelector] 'requiredRequestsPerSecond' (NaN) must be a number above zero: give the peak load the fleet must serve, in requests per second, e.g. 11"],
    [{ requiredRequestsPerSecond: 1, targetUtilization: 1.5 }, "[InstanceSelector] 'targetUtilization' (1.5) must be a fraction above 0 and at most 1: give the share of capacity replicas may run at, e.g. 0.7 keeps 30% headroom for spikes and a lost replica"],
    [{ requiredRequestsPerSecond: 1, targetUtilization: 0 }, "[InstanceSelector] 'targetUtilization' (0) must be a fraction above 0 and at most 1: give the share of capacity replicas may run at, e.g. 0.7 keeps 30% headroom for spikes and a lost replica"],
    [{ requiredRequestsPerSecond: 1, maxLatency: Duration.millis(0) }, "[InstanceSelector] 'maxLatency' (0 millis) must be a Duration above zero: give the slowest acceptable request latency, e.g. Duration.millis(200), or leave it unset for no limit"],
    [{ requiredRequestsPerSecond: 1, budgetUsdPerHour: 0 }, "[InstanceSelector] 'budgetUsdPerHour' (0) must be a number above zero: give the most the fleet may cost per hour in US dollars, e.g. 2.5, or leave it unset for no budget"],
    [{ requiredRequestsPerSecond: 1, minReplicas: 1.5 }, "[InstanceSelector] 'minReplicas' (1.5) must be a whole number of at least 1: give 1 or more; keep the default 2 so one replica can fail without an outage"],
    [{ requiredRequestsPerSecond: 1, minReplicas: 0 }, "[InstanceSelector] 'minReplicas' (0) must be a whole number of at least 1: give 1 or more; keep the default 2 so one replica can fail without an outage"],
    [{ requiredRequestsPerSecond: 1, capacityTypes: [] }, "[InstanceSelector] 'capacityTypes' ([]) must not be empty: list at least one CapacityType (on-demand, spot), or leave it unset for every capacity type in the catalog"],
    [{ requiredRequestsPerSecond: 1, capacityTypes: ['reserved' as CapacityType] }, "[InstanceSelector] 'capacityTypes' ([\"reserved\"]) must hold only on-demand, spot: list at least one CapacityType (on-demand, spot), or leave it unset for every capacity type in the catalog"],
  ])('fails on %j', (props, message) => {
    expect(() => InstanceSelector.cheapest(props)).toThrow(new Error(message));
  });

  test('fails when the load is 1e21 requests per second, above MAX_REQUESTS_PER_SECOND, instead of searching for minutes', () => {
    expect(InstanceSelector.MAX_REQUESTS_PER_SECOND).toBe(1_000_000);
    expect(() => InstanceSelector.cheapest({ requiredRequestsPerSecond: 1e21 })).toThrow(new Error(
      "[InstanceSelector] 'requiredRequestsPerSecond' (1e+21) must be at most 1000000: "
      + 'plan a load beyond a million requests per second as several fleets (e.g. one per region), each of at most 1000000'));
  });

  test('fails when minReplicas is above MAX_REPLICAS', () => {
    expect(() => InstanceSelector.cheapest({ requiredRequestsPerSecond: 1, minReplicas: 100_001 })).toThrow(new Error(
      "[InstanceSelector] 'minReplicas' (100001) must be at most 100000: give 1 or more; keep the default 2 so one replica can fail without an outage"));
  });

  test('leaves out a type that needs more than MAX_REPLICAS replicas, and says so when none is left', () => {
    const catalog = InstanceCatalog.of([type('small', 0.1, 1), type('big', 10, 100)]);
    const s = InstanceSelector.cheapest({ catalog, requiredRequestsPerSecond: 150_000, targetUtilization: 1 });
    expect(s.alternatives.map(a => a.instanceType)).toEqual(['big']);
    const small = InstanceCatalog.of([type('small', 0.1, 1), type('tiny', 0.05, 0.5)]);
    expect(InstanceSelector.cheapest({ catalog: small, requiredRequestsPerSecond: 1_000_000 }).reason).toBe(
      'every instance type needs more than 100000 replicas for this load (fewest: small x 1428572): '
      + 'add instance types with more capacity per replica, or split the load over several fleets');
  });

  test('fails when props is not an object (null from JavaScript)', () => {
    expect(() => InstanceSelector.cheapest(null as any)).toThrow(new Error(
      "[InstanceSelector] 'props' (null) must be an object of named fields, not null: give an object such as { requiredRequestsPerSecond: 40 }"));
  });

  test('fails on a catalog type with infinite capacity (InstanceType.of rejects it)', () => {
    expect(() => InstanceCatalog.of([type('inf', 1, Infinity)])).toThrow(new Error(
      "[InstanceType inf] 'capacityPerReplica' (Infinity) must be from 0.000001 to 1000000 requests per second: fix the catalog entry"));
  });
});

describe('InstanceType', () => {
  const base = { name: 'g5.xlarge', priceUsdPerHour: 1.006, capacityPerReplica: 20, latency: Duration.millis(150), gpus: 1, vcpus: 4, memory: Size.gibibytes(16) };

  test('holds the price exactly, the latency as a Duration, the memory as a Size and the GPU model', () => {
    const t = InstanceType.of({ ...base, gpuProduct: GpuProduct.A10G });
    expect(t).toMatchObject({
      priceUsdPerHour: 1.006, priceMicroUsdPerHour: 1_006_000, capacityPerReplica: 20, capacityType: CapacityType.ON_DEMAND,
    });
    expect(t.latency!.toMilliseconds()).toBe(150);
    expect(t.memory.toGibibytes()).toBe(16);
    expect(t.gpuProduct).toBe(GpuProduct.A10G);
    expect(InstanceType.of(base).gpuProduct).toBeUndefined();
  });

  test('the design document catalog names its GPU models', () => {
    const types = InstanceCatalog.designDocument().types;
    expect(types.map(t => [t.name, t.gpus, t.gpuProduct?.name, t.gpuProduct?.memory.toGibibytes(), t.memory.toGibibytes()])).toEqual([
      ['g4dn.xlarge', 1, 't4', 16, 16],
      ['g4dn.2xlarge', 1, 't4', 16, 32],
      ['g4dn.4xlarge', 1, 't4', 16, 64],
      ['p3.2xlarge', 1, 'v100', 16, 61],
      ['p3.8xlarge', 4, 'v100', 16, 244],
    ]);
  });

  test.each([
    [{ name: '' }, "[InstanceType ] 'name' (\"\") is empty: fix the catalog entry"],
    [{ priceUsdPerHour: 0 }, "[InstanceType g5.xlarge] 'priceUsdPerHour' (0) must be a price above zero: fix the catalog entry"],
    [{ capacityPerReplica: -1 }, "[InstanceType g5.xlarge] 'capacityPerReplica' (-1) must be above zero: fix the catalog entry"],
    [{ latency: 150 as unknown as Duration }, "[InstanceType g5.xlarge] 'latency' (150) must be a Duration, e.g. Duration.millis(150): fix the catalog entry"],
    [{ latency: Duration.millis(0) }, "[InstanceType g5.xlarge] 'latency' (0 millis) must be above zero: fix the catalog entry"],
    [{ gpus: -1 }, "[InstanceType g5.xlarge] 'gpus' (-1) must be zero or more: fix the catalog entry"],
    [{ vcpus: NaN }, "[InstanceType g5.xlarge] 'vcpus' (NaN) must be zero or more: fix the catalog entry"],
    [{ memory: 16 as unknown as Size }, "[InstanceType g5.xlarge] 'memory' (16) must be a Size, e.g. Size.gibibytes(16): fix the catalog entry"],
    [{ memory: Size.gibibytes(Infinity) }, "[InstanceType g5.xlarge] 'memory' (InfinityGi) must be zero or more: fix the catalog entry"],
    [{ gpuProduct: 'a10g' as unknown as GpuProduct }, "[InstanceType g5.xlarge] 'gpuProduct' (\"a10g\") must be a GpuProduct, e.g. GpuProduct.T4 or GpuProduct.of('b200', Size.gibibytes(180)): fix the catalog entry"],
  ])('fails on %j', (override, message) => {
    expect(() => InstanceType.of({ ...base, ...override })).toThrow(new Error(message));
  });
});

describe('properties against brute force', () => {
  interface Spec { readonly priceMilli: number; readonly rpsTenths: number; readonly latencyMs: number }
  const specArb = fc.record({
    priceMilli: fc.integer({ min: 100, max: 5000 }), rpsTenths: fc.integer({ min: 40, max: 120 }), latencyMs: fc.integer({ min: 10, max: 100 }),
  });
  interface Case {
    readonly specs: Spec[];
    readonly requiredTenths: number;
    readonly utilTenths: number;
    readonly minReplicas: number;
    readonly maxLatencyMs?: number;
  }
  const caseArb: fc.Arbitrary<Case> = fc.record({
    specs: fc.array(specArb, { minLength: 2, maxLength: 5 }),
    requiredTenths: fc.integer({ min: 1, max: 160 }),
    utilTenths: fc.integer({ min: 5, max: 10 }),
    minReplicas: fc.integer({ min: 1, max: 3 }),
    maxLatencyMs: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
  });

  /** Every count vector with x_i <= max(ceil(R / cap_i), minReplicas): an optimum never needs more. Integer arithmetic in hundredths of rps. */
  function bruteForce(specs: Spec[], requiredTenths: number, utilTenths: number, minReplicas: number) {
    const caps = specs.map(s => s.rpsTenths * utilTenths);
    const demand = requiredTenths * 10;
    const bounds = caps.map(c => Math.max(Math.ceil(demand / c), minReplicas));
    let bestMix = Infinity;
    const single = specs.map((s, i) => Math.max(minReplicas, Math.ceil(demand / caps[i])) * s.priceMilli * 1000);
    const x = new Array<number>(specs.length).fill(0);
    const walk = (i: number): void => {
      if (i === specs.length) {
        const capacity = x.reduce((sum, n, j) => sum + n * caps[j], 0);
        const replicas = x.reduce((sum, n) => sum + n, 0);
        const cost = x.reduce((sum, n, j) => sum + n * specs[j].priceMilli * 1000, 0);
        if (capacity >= demand && replicas >= minReplicas) bestMix = Math.min(bestMix, cost);
        return;
      }
      for (x[i] = 0; x[i] <= bounds[i]; x[i]++) walk(i + 1);
      x[i] = 0;
    };
    walk(0);
    return { bestMix, bestSingle: Math.min(...single), single };
  }

  const selectFor = (c: Case) => {
    const catalog = InstanceCatalog.of(c.specs.map((s, i) => type(`t${i}`, s.priceMilli / 1000, s.rpsTenths / 10, s.latencyMs)));
    return InstanceSelector.cheapest({
      catalog,
      requiredRequestsPerSecond: c.requiredTenths / 10,
      targetUtilization: c.utilTenths / 10,
      minReplicas: c.minReplicas,
      maxLatency: c.maxLatencyMs === undefined ? undefined : Duration.millis(c.maxLatencyMs),
    });
  };
  const eligible = (c: Case) => c.specs.filter(s => c.maxLatencyMs === undefined || s.latencyMs <= c.maxLatencyMs);

  test('the single-type plan is never dearer than any feasible single-type alternative', () => {
    fc.assert(fc.property(caseArb, c => {
      const s = selectFor(c);
      const specs = eligible(c);
      if (specs.length === 0) return !s.feasible && s.reason.startsWith('no instance type meets');
      const { bestSingle } = bruteForce(specs, c.requiredTenths, c.utilTenths, c.minReplicas);
      return s.plan!.costMicroUsdPerHour === bestSingle && s.alternatives.length === specs.length
        && s.alternatives.every(p => p.costMicroUsdPerHour >= s.plan!.costMicroUsdPerHour);
    }), { numRuns: 200 });
  });

  test('the mixed fleet is the cheapest of all combinations and strictly cheaper than the single-type plan', () => {
    fc.assert(fc.property(caseArb, c => {
      const specs = eligible(c);
      fc.pre(specs.length > 0);
      const s = selectFor(c);
      const { bestMix, bestSingle } = bruteForce(specs, c.requiredTenths, c.utilTenths, c.minReplicas);
      if (bestMix < bestSingle) {
        return s.mixedFleet!.costMicroUsdPerHour === bestMix && s.mixedFleet!.costMicroUsdPerHour < s.plan!.costMicroUsdPerHour;
      }
      return s.mixedFleet === undefined;
    }), { numRuns: 200 });
  });

  test('never under-provisions and money sums are exact micro-dollars', () => {
    fc.assert(fc.property(caseArb, c => {
      const s = selectFor(c);
      const byName = new Map(c.specs.map((spec, i) => [`t${i}`, spec]));
      const fleets = s.alternatives.map(p => ({ parts: [p], cost: p.costMicroUsdPerHour, usd: p.costUsdPerHour }));
      const m = s.mixedFleet;
      const check = (parts: { instanceType: string; replicas: number }[], cost: number, usd: number) => {
        const capacityHundredths = parts.reduce((sum, p) => sum + p.replicas * byName.get(p.instanceType)!.rpsTenths * c.utilTenths, 0);
        const replicas = parts.reduce((sum, p) => sum + p.replicas, 0);
        const micro = parts.reduce((sum, p) => sum + p.replicas * byName.get(p.instanceType)!.priceMilli * 1000, 0);
        return capacityHundredths >= c.requiredTenths * 10 && replicas >= c.minReplicas
          && Number.isSafeInteger(cost) && cost === micro && Math.round(usd * 1e6) === cost;
      };
      return fleets.every(f => check(f.parts, f.cost, f.usd))
        && (!m || check(m.counts, m.costMicroUsdPerHour, m.costUsdPerHour) && m.replicas >= c.minReplicas);
    }), { numRuns: 200 });
  });
});
