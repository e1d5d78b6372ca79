import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, size, wholeNumber, wrongType } from './arbitraries';
import { mostly, nonFiniteNumbers, someDuration, sometimesMissing } from './arbitraries-planning';
import { fuzzTest, numberProblems } from './harness';
import { CapacityType, GpuProduct, InstanceCatalog, InstanceSelection, InstanceSelector, InstanceType } from '../../src';

const capacityType = fc.oneof(
  { arbitrary: fc.constantFrom(CapacityType.ON_DEMAND, CapacityType.SPOT), weight: 10 },
  { arbitrary: fc.constantFrom('reserved', 'ON_DEMAND', 'Spot'), weight: 1 },
);
const gpuProduct = fc.oneof(
  { arbitrary: fc.constantFrom(GpuProduct.T4, GpuProduct.A10G, GpuProduct.H100), weight: 6 },
  {
    arbitrary: fc.record({ name: orWrong(fc.constantFrom('b200', 'mi300x', '', 'B 200', 'x'.repeat(64))), memory: orWrong(size(1, 200)) }),
    weight: 3,
  },
);
const typeProps = sometimesMissing(fc.record({
  name: orWrong(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9]{1,5}\.[0-9]?x?large$/), fc.constantFrom('', 'g5 xlarge', 'g5]x', 'a\nb',
    'x'.repeat(70))), 60),
  priceUsdPerHour: orWrong(fc.oneof({ arbitrary: fc.double({ min: 0.01, max: 100, noNaN: true }), weight: 8 }, {
    arbitrary: realNumber(0.01, 100),
    weight: 1,
  }, { arbitrary: fc.constantFrom(0.000001, 0.0000004, 10_000, 10_001), weight: 1 }), 60),
  capacityPerReplica: orWrong(fc.oneof({ arbitrary: fc.double({ min: 0.5, max: 500, noNaN: true }), weight: 8 }, {
    arbitrary: realNumber(0.5,
      500),
    weight: 1,
  }, { arbitrary: fc.constantFrom(0.000001, 1e-7, 1e6, 1e6 + 1), weight: 1 }), 60),
  latency: mostly(fc.constantFrom(Duration.millis(50), Duration.millis(120)), someDuration([Duration.millis(200), Duration.seconds(1)]), 10),
  gpus: orWrong(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 8 }), weight: 10 }, { arbitrary: wholeNumber(0, 8), weight: 1 }), 60),
  gpuProduct: optional(gpuProduct, 40),
  vcpus: orWrong(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 192 }), weight: 10 }, { arbitrary: wholeNumber(1, 192), weight: 1 }), 60),
  memory: orWrong(size(1, 768), 60),
  capacityType: optional(capacityType, 40),
  // Serving figures are optional (a node pool needs none): sometimes both are absent, and the selector must refuse the type.
  serving: fc.oneof({ arbitrary: fc.constant(true), weight: 8 }, { arbitrary: fc.constant(false), weight: 1 }),
}).map(({ serving, ...t }) => (serving ? t : { ...t, capacityPerReplica: undefined, latency: undefined })),
['name', 'priceUsdPerHour', 'capacityPerReplica', 'latency', 'gpus', 'vcpus', 'memory']);

/** Serving figures by name for `InstanceCatalog.awsGpu().withServing`: real names, unknown names, bad figures. */
const awsFigures = fc.dictionary(
  fc.oneof({ arbitrary: fc.constantFrom(...InstanceCatalog.awsGpu().types.map(t => t.name)), weight: 10 },
    { arbitrary: fc.constantFrom('g4dn.xlarge', 'G5.XLARGE', '', 'constructor'), weight: 1 }),
  orWrong(fc.record({
    capacityPerReplica: mostly(fc.double({ min: 0.5, max: 500, noNaN: true }), orWrong(realNumber(0.5, 500))),
    latency: mostly(fc.constantFrom(Duration.millis(40), Duration.millis(150)), someDuration([Duration.millis(300)]), 10),
  }, { requiredKeys: [] }), 30),
  { minKeys: 0, maxKeys: 4 });

const catalog = fc.oneof(
  { arbitrary: fc.constant('design'), weight: 4 },
  { arbitrary: fc.constant('aws'), weight: 1 },
  { arbitrary: awsFigures.map(figures => ({ aws: figures })), weight: 4 },
  {
    arbitrary: fc.record({
      families: orWrong(fc.array(fc.constantFrom('g5', 'g6', 'g6e', 'p5', 'g4dn', '', 'G6'), { maxLength: 3 }), 20),
      figures: awsFigures,
    }),
    weight: 2,
  },
  { arbitrary: fc.array(typeProps, { maxLength: 4 }), weight: 10 },
  { arbitrary: fc.constantFrom(InstanceCatalog.MAX_TYPES + 1, 300).map(n => ({ generated: n })), weight: 1 },
  { arbitrary: wrongType(), weight: 1 },
);

const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      requiredRequestsPerSecond: mostly(fc.double({ min: 0.1, max: 2000, noNaN: true }), orWrong(fc.oneof(realNumber(0.1, 2000),
        fc.constantFrom(InstanceSelector.MAX_REQUESTS_PER_SECOND, InstanceSelector.MAX_REQUESTS_PER_SECOND + 1, 1e21, 123456.789)))),
      catalog: optional(catalog),
      targetUtilization: mostly(fc.constantFrom(undefined, 0.5, 0.8, 1), optional(realNumber(0.05, 1))),
      maxLatency: optional(someDuration([Duration.millis(100), Duration.millis(150), Duration.millis(500)])),
      budgetUsdPerHour: optional(fc.oneof(realNumber(0.5, 100), fc.constantFrom(1e-9, 1e300))),
      minReplicas: optional(fc.oneof(wholeNumber(1, 5), fc.constantFrom(InstanceSelector.MAX_REPLICAS, InstanceSelector.MAX_REPLICAS + 1))),
      capacityTypes: optional(fc.oneof(fc.array(capacityType, { maxLength: 3 }), fc.constant({}))),
    }), ['requiredRequestsPerSecond']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

/** Builds the catalog the generated input describes (its errors are the input's errors). */
function build(p: any): any {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return p;
  const c = p.catalog;
  let cat: any = c;
  if (c === 'design') {cat = InstanceCatalog.designDocument();} else if (c === 'aws') {cat = InstanceCatalog.awsGpu();} else if (c && c.aws) {
    cat = InstanceCatalog.awsGpu().withServing(c.aws);
  } else if (c && c.families) {
    cat = InstanceCatalog.awsGpu().families(c.families).withServing(c.figures);
  } else if (c && typeof c.generated === 'number') {
    cat = InstanceCatalog.of(Array.from({ length: c.generated }, (_, i) => InstanceType.of({
      name: `t${i}.xlarge`,
      priceUsdPerHour: 0.5 + (i % 97) / 10,
      capacityPerReplica: 1 + (i * 7) % 113,
      latency: Duration.millis(50 + i % 150),
      gpus: 1,
      vcpus: 4,
      memory: Size.gibibytes(16),
    })));
  } else if (Array.isArray(c)) {
    cat = InstanceCatalog.of(c.map((t: any) => {
      const g = t && t.gpuProduct;
      const product = g && !(g instanceof GpuProduct) && typeof g === 'object' && 'memory' in g ? GpuProduct.of(g.name, g.memory) : g;
      return InstanceType.of(t === null || typeof t !== 'object' ? t : { ...t, gpuProduct: product });
    }));
  }
  return { ...p, catalog: cat };
}

const EPS = 1e-9;

/** The invariants of a selection: exact counts, costs, bounds, and never dearer than a feasible single type. */
function problems(p: any, s: InstanceSelection): string[] {
  const out = [...nonFiniteNumbers({
    ...s,
    plan: s.plan && { ...s.plan, latency: 0 },
    alternatives: s.alternatives.map(a => ({
      ...a,
      latency: 0,
    })),
  })];
  const util = p.targetUtilization ?? 0.7;
  const minReplicas = p.minReplicas ?? 2;
  const budget = p.budgetUsdPerHour === undefined ? Infinity : Math.round(p.budgetUsdPerHour * 1e6);
  const maxMs = p.maxLatency?.toMilliseconds({ integral: false }) ?? Infinity;
  const types: InstanceCatalog = p.catalog ?? InstanceCatalog.designDocument();
  const allowed: string[] = p.capacityTypes ?? Object.values(CapacityType);
  const eligible = types.types.filter(t => allowed.includes(t.capacityType) && t.latency!.toMilliseconds({ integral: false }) <= maxMs);
  const need = (t: InstanceType) => Math.max(minReplicas, Math.ceil(p.requiredRequestsPerSecond / (t.capacityPerReplica! * util) - EPS));
  const cheapestFeasible = Math.min(...eligible.filter(t => need(t) <= InstanceSelector.MAX_REPLICAS)
    .map(t => need(t) * t.priceMicroUsdPerHour).filter(c => c <= budget));
  if (!s.reason) out.push('reason is empty');
  if (s.feasible !== (s.plan !== undefined)) out.push('feasible and plan disagree');
  if (!s.feasible && Number.isFinite(cheapestFeasible)) out.push(`infeasible, but a single type costs ${cheapestFeasible} micro-dollars within the limits`);
  s.alternatives.forEach((a, i) => {
    const t = types.find(a.instanceType, a.capacityType)!;
    if (!t || !eligible.includes(t)) out.push(`alternatives[${i}] is not an eligible type`);
    out.push(...numberProblems(`alternatives[${i}].replicas`, a.replicas, { min: minReplicas, max: InstanceSelector.MAX_REPLICAS }));
    if (!Number.isInteger(a.replicas)) out.push(`alternatives[${i}].replicas is not whole`);
    if (t && a.replicas * t.capacityPerReplica! * util < p.requiredRequestsPerSecond * (1 - EPS)) out.push(`alternatives[${i}] does not serve the load`);
    if (t && a.costMicroUsdPerHour !== a.replicas * t.priceMicroUsdPerHour) out.push(`alternatives[${i}] cost is not replicas x price`);
    if (a.costMicroUsdPerHour > budget) out.push(`alternatives[${i}] is over budget`);
    if (i > 0 && a.costMicroUsdPerHour < s.alternatives[i - 1].costMicroUsdPerHour) out.push('alternatives are not cheapest first');
  });
  if (s.plan && s.plan.costMicroUsdPerHour > cheapestFeasible) out.push(`plan costs ${s.plan.costMicroUsdPerHour}, more than a feasible ${cheapestFeasible}`);
  const m = s.mixedFleet;
  if (m) {
    out.push(...nonFiniteNumbers({ ...m, latency: 0 }));
    if (m.costMicroUsdPerHour > budget) out.push('mixedFleet is over budget');
    if (s.plan && m.costMicroUsdPerHour >= s.plan.costMicroUsdPerHour) out.push('mixedFleet is not cheaper than the plan');
    const capacity = m.counts.reduce((sum, c) => sum + c.replicas * types.find(c.instanceType, c.capacityType)!.capacityPerReplica!, 0);
    if (capacity * util < p.requiredRequestsPerSecond * (1 - EPS)) out.push('mixedFleet does not serve the load');
    if (m.replicas < minReplicas || m.replicas > InstanceSelector.MAX_REPLICAS) out.push(`mixedFleet has ${m.replicas} replicas`);
    if (!(m.gapUsdPerHour >= 0) || (m.gapUsdPerHour === 0) !== m.optimal) out.push(`mixedFleet gap ${m.gapUsdPerHour} with optimal ${m.optimal}`);
    if (m.gapUsdPerHour !== s.mixedFleetGapUsdPerHour) out.push('mixedFleetGapUsdPerHour is not the mixed fleet\'s gap');
  }
  if (!(s.mixedFleetGapUsdPerHour >= 0) || !Number.isFinite(s.mixedFleetGapUsdPerHour)) out.push(`mixedFleetGapUsdPerHour ${s.mixedFleetGapUsdPerHour}`);
  return out;
}

describe('InstanceSelector', () => {
  fuzzTest('InstanceSelector.cheapest', props, (raw) => {
    const p = build(raw);
    return problems(p, InstanceSelector.cheapest(p));
  });
});
