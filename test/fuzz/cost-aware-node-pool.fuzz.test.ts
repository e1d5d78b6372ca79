import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { duration, labels, optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { kubeletSettings } from './arbitraries-kubelet';
import { fuzzTest, synthProblems } from './harness';
import { CapacityType, CostAwareNodePool, GpuProduct, InstanceCatalog, InstanceType, NodePoolPurpose } from '../../src';

const catalog = InstanceCatalog.designDocument().types;

/** Instance types: the catalog's, made-up ones with extreme prices and sizes, and names EC2 does not have. */
const instanceType = fc.oneof(
  { arbitrary: fc.constantFrom(...catalog), weight: 10 },
  {
    arbitrary: fc.record({
      name: fc.constantFrom('m7i.2xlarge', 'p5.48xlarge', 'Bad Name', 'x', 'a.b.c'),
      priceUsdPerHour: fc.constantFrom(0.4, 98.32, 1e-12, 1e-7, 1e9, 0.0000005),
      vcpus: fc.constantFrom(0, 1, 8, 192, 0.5, 1e300),
      gpus: fc.constantFrom(0, 1, 8, 0.5, 1e300),
      memory: fc.constantFrom(Size.gibibytes(32), Size.mebibytes(1), Size.gibibytes(0), Size.pebibyte(100)),
    }).map((p) => () => InstanceType.of({
      ...p, capacityPerReplica: 1, latency: Duration.millis(100), gpuProduct: p.gpus > 0 ? GpuProduct.A10G : undefined,
    })),
    weight: 3,
  },
);

const text = (valid: string[], bad: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 8 }, { arbitrary: fc.constantFrom(...bad), weight: 2 });
const tags = fc.oneof(
  { arbitrary: fc.constant({ 'karpenter.sh/discovery': 'ml' }), weight: 8 },
  { arbitrary: fc.constantFrom({}, { '': 'x' }, { a: '' }, { a: 3 }, { ['k'.repeat(200)]: 'v' }), weight: 2 },
);

const nodeClass = orWrong(fc.record({
  role: optional(text(['KarpenterNodeRole-ml'], ['', 'a b', 'x'.repeat(200)])),
  instanceProfile: optional(text(['ml-nodes'], ['', 'x'.repeat(200)])),
  subnetTags: orWrong(tags),
  securityGroupTags: orWrong(tags),
  amiAlias: orWrong(text(['al2023@v20251015', 'bottlerocket@v1.20.0'], ['al2023@latest', 'al2023', '@v1', 'AL2023@v1', 'a@b@c', 'al2023@v 1'])),
  rootVolumeSize: optional(fc.oneof(fc.integer({ min: 20, max: 1000 }).map((g) => Size.gibibytes(g)),
    fc.constantFrom(Size.mebibytes(1536), Size.gibibytes(0), Size.pebibyte(100), Size.gibibytes(Infinity)))),
  metadataHopLimit: optional(wholeNumber(1, 64)),
  // Issue 18: the kubelet settings the guardrails read.
  kubelet: optional(kubeletSettings()),
}, { requiredKeys: ['subnetTags', 'securityGroupTags', 'amiAlias'] }), 30);

/** Issue 17, capacity reservations: ids, tags and owners right and wrong, counts, prices, capacity blocks. */
const reservation = orWrong(fc.record({
  id: optional(text(['cr-0123456789abcdef0', 'cr-0a1b2c3d4e5f60718'], ['cr-123', 'CR-0123456789ABCDEF0', 'cr-0123456789abcdefg', '', 'odcr-1'])),
  tags: optional(orWrong(tags)),
  ownerId: optional(text(['123456789012'], ['12', '12345678901x', ''])),
  instanceType: orWrong(fc.constantFrom('g4dn.xlarge', 'p3.8xlarge', 'p5.48xlarge', 'm7i.2xlarge', 'nope')),
  instanceCount: orWrong(fc.oneof(wholeNumber(1, 10_000), fc.constantFrom(0, -1, 1.5, 1e9))),
  priceUsdPerHour: optional(fc.oneof(realNumber(0, 100), fc.constantFrom(0, -1, 1e12))),
  capacityBlock: optional(orWrong(fc.boolean())),
}, { requiredKeys: ['instanceType', 'instanceCount'] }), 20);

const fuzzyProps = fc.record({
  purpose: orWrong(fc.oneof(fc.constantFrom(...Object.values(NodePoolPurpose)), fc.constantFrom('batch', 'Training'))),
  instanceTypes: orWrong(fc.array(orWrong(instanceType, 30), { minLength: 0, maxLength: 3 }), 20),
  capacityTypes: optional(fc.array(orWrong(fc.oneof(fc.constantFrom(...Object.values(CapacityType)), fc.constantFrom('reserved', 'Spot'))),
    { maxLength: 3 })),
  budgetUsdPerHour: optional(realNumber(0, 1000)),
  spotBudgetShare: optional(realNumber(0, 1)),
  maxGpus: optional(wholeNumber(1, 1_000_000)),
  maxVcpus: optional(wholeNumber(1, 1_000_000)),
  nodeClass,
  longestRun: optional(duration(0, 10_000_000)),
  terminationGracePeriod: optional(duration(0, 100_000)),
  consolidateAfter: optional(duration(0, 100_000)),
  name: optional(text(['gpu-pool', 'a'.repeat(40)], ['', 'Gpu', 'a'.repeat(64), 'gpu_pool', 'a.b'])),
  prometheusSelectorLabels: optional(labels()),
  reservations: optional(orWrong(fc.array(reservation, { maxLength: 3 }), 10)),
}, { requiredKeys: ['purpose', 'instanceTypes', 'nodeClass'] });

/** Pools that should build, so that the synthesized objects are checked often. */
const validProps = fc.record({
  purpose: fc.constantFrom(...Object.values(NodePoolPurpose)),
  instanceTypes: fc.subarray(catalog, { minLength: 1 }),
  capacityTypes: fc.option(fc.subarray([CapacityType.ON_DEMAND, CapacityType.SPOT], { minLength: 1 }), { nil: undefined }),
  budgetUsdPerHour: fc.integer({ min: 50, max: 500 }),
  nodeClass: fc.constant({
    role: 'KarpenterNodeRole-ml',
    subnetTags: { 'karpenter.sh/discovery': 'ml' },
    securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
    amiAlias: 'al2023@v20251015',
  }),
  longestRun: fc.option(fc.integer({ min: 1, max: 100 }).map((h) => Duration.hours(h)), { nil: undefined }),
  // An ODCR of the design catalog's g4dn.xlarge (at most its on-demand price), when the pool allows that type.
  reservations: fc.option(fc.record({ instanceCount: fc.integer({ min: 1, max: 4 }), cents: fc.integer({ min: 1, max: 52 }) })
    .map(({ instanceCount, cents }) => [{ id: 'cr-0123456789abcdef0', instanceType: 'g4dn.xlarge', instanceCount, priceUsdPerHour: cents / 100 }]), { nil: undefined }),
});

const props = fc.oneof({ arbitrary: validProps, weight: 8 }, { arbitrary: fuzzyProps, weight: 20 }, { arbitrary: wrongType(), weight: 1 });

describe('CostAwareNodePool', () => {
  // A generated catalog entry is made in the case, so InstanceType.of's own rejections are sorted like the pool's.
  const made = (p: any) => (p && Array.isArray(p.instanceTypes)
    ? { ...p, instanceTypes: p.instanceTypes.map((t: any) => (typeof t === 'function' && t.length === 0 && t.name === '' ? t() : t)) } : p);
  fuzzTest('CostAwareNodePool', props, (p) => synthProblems((chart) => { new CostAwareNodePool(chart, 'pool', made(p)); }));
});
