import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as fc from 'fast-check';
import { orWrong, realNumber, wrongType } from './arbitraries';
import { nonFiniteNumbers } from './arbitraries-planning';
import { fuzzTest } from './harness';
import { CostAwareNodePool, GpuProduct, InstanceCatalog, InstanceType, NodePoolLimits } from '../../src';

const catalog = InstanceCatalog.designDocument().types;

/** Made-up catalog entries (made in the case, so InstanceType.of's rejections count as rejections), and forged instances. */
const madeType = fc.record({
  name: fc.constantFrom('m7i.2xlarge', 'p5.48xlarge', 'Bad Name', 'x', 'a.b.c'),
  priceUsdPerHour: fc.constantFrom(0.4, 98.32, 0.000001, 10_000, 1e-12, 1e-7, 1e9),
  vcpus: fc.constantFrom(0, 1, 8, 192, 100_000, 0.5, 1e300),
  gpus: fc.constantFrom(0, 1, 8, 64, 0.5, 1e300),
  memory: fc.constantFrom(Size.gibibytes(32), Size.mebibytes(1), Size.gibibytes(0), Size.tebibytes(1024), Size.pebibyte(100)),
}).map((p) => () => InstanceType.of({
  ...p, capacityPerReplica: 1, latency: Duration.millis(100), gpuProduct: p.gpus > 0 ? GpuProduct.A10G : undefined,
}));
/** An InstanceType whose fields a JavaScript caller overwrote (InstanceType.of never makes these). */
const forgedType = fc.record({
  vcpus: fc.constantFrom<any>(8, -1, 0.5, NaN, Infinity, '8', null),
  gpus: fc.constantFrom<any>(1, -1, 0.5, NaN, '1', undefined),
  priceMicroUsdPerHour: fc.constantFrom<any>(1_006_000, 0, -5, 0.5, NaN, Infinity, '1'),
  memory: fc.constantFrom<any>(Size.gibibytes(16), Size.gibibytes(0), Size.gibibytes(NaN), 16, null),
}).map((f) => () => Object.assign(Object.create(InstanceType.prototype), { ...catalog[0], ...f }));

const instanceTypes = fc.oneof(
  { arbitrary: fc.subarray(catalog, { minLength: 1 }), weight: 10 },
  {
    arbitrary: fc.array(fc.oneof({ arbitrary: fc.constantFrom(...catalog), weight: 6 }, { arbitrary: madeType, weight: 3 },
      { arbitrary: forgedType, weight: 1 }, { arbitrary: wrongType(), weight: 1 }), { minLength: 0, maxLength: 4 }),
    weight: 6,
  },
  { arbitrary: fc.constant(null).map(() => new Array(501).fill(catalog[0])), weight: 1 },
  { arbitrary: wrongType(), weight: 1 },
);
const budget = fc.oneof(
  { arbitrary: fc.double({ min: 0, max: 1000, noNaN: true }), weight: 10 },
  { arbitrary: orWrong(fc.oneof(realNumber(0, 10_000_000), fc.constantFrom(0, 0.000001, 10_000_000, 10_000_001, 1e300))), weight: 3 },
);

function limitProblems(name: string, value: unknown): string[] {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return [`${name} is ${String(value)}, not a whole number of 0 or more`];
  return [];
}

describe('CostAwareNodePool.limitsForBudget', () => {
  const made = (types: any) => (Array.isArray(types)
    ? types.map((t: any) => (typeof t === 'function' && t.length === 0 && t.name === '' ? t() : t)) : types);
  fuzzTest('CostAwareNodePool.limitsForBudget', fc.tuple(budget, instanceTypes), ([usd, types]) => {
    const l: NodePoolLimits = CostAwareNodePool.limitsForBudget(usd, made(types));
    const gib = l.memory instanceof Size ? l.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE }) : NaN;
    return [...nonFiniteNumbers({ vcpus: l.vcpus, gpus: l.gpus, memoryGib: gib }), ...limitProblems('vcpus', l.vcpus),
      ...limitProblems('gpus', l.gpus), ...limitProblems('memory (GiB)', gib)];
  });
});
