import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as fc from 'fast-check';
import { CapacityType, CostAwareNodePool, CostAwareNodePoolProps, InstanceCatalog, InstanceType, NodePoolPurpose } from '../../src';
import { expectConformant } from '../conformance';
import { promqlErrors } from '../conformance/promql';
import { allOfKind, newChart, ofKind } from '../util';

const catalog = InstanceCatalog.designDocument();
const g4dn = catalog.types.filter(t => t.name.startsWith('g4dn'));
const nodeClass = {
  role: 'KarpenterNodeRole-ml',
  subnetTags: { 'karpenter.sh/discovery': 'ml' },
  securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
  amiAlias: 'al2023@v20251015',
};
const props = (overrides: Partial<CostAwareNodePoolProps> = {}): CostAwareNodePoolProps => ({
  name: 'gpu-inference',
  purpose: NodePoolPurpose.INFERENCE,
  instanceTypes: g4dn,
  budgetUsdPerHour: 20,
  nodeClass,
  ...overrides,
});

function synth(overrides: Partial<CostAwareNodePoolProps> = {}) {
  const chart = newChart();
  const pool = new CostAwareNodePool(chart, 'pool', props(overrides));
  return { pool, manifests: expectConformant(chart) };
}

describe('CostAwareNodePool', () => {
  test('synthesizes a GPU inference pool and its node class (snapshot)', () => {
    const { manifests } = synth();
    expect(manifests.map(m => m.kind)).toEqual(['EC2NodeClass', 'NodePool', 'PrometheusRule']);
    expect(manifests).toMatchSnapshot();
  });

  test('limits from the budget: budget over the highest price per unit of each resource', () => {
    // g4dn: xlarge $0.526 (4 vCPU, 16 GiB, 1 GPU), 2xlarge $0.752 (8, 32, 1), 4xlarge $1.204 (16, 64, 1).
    // GPUs: highest $/GPU is 1.204 -> floor(20 / 1.204) = 16. vCPU: highest $/vCPU is 0.526/4 = 0.1315 -> floor(20 / 0.1315) = 152.
    // Memory: highest $/GiB is 0.526/16 = 0.032875 -> floor(20 / 0.032875) = 608.
    expect(CostAwareNodePool.limitsForBudget(20, g4dn)).toEqual({ vcpus: 152, memory: Size.gibibytes(608), gpus: 16 });
    const pool = ofKind(synth().manifests, 'NodePool');
    expect(pool.spec.limits).toEqual({ 'cpu': '152', 'memory': '608Gi', 'nvidia.com/gpu': '16' });
  });

  test('no mix of allowed types within the derived limits costs more than the budget', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        price: fc.integer({ min: 100_000, max: 40_000_000 }),
        vcpus: fc.integer({ min: 1, max: 96 }),
        mem: fc.integer({ min: 1, max: 768 }),
        gpus: fc.integer({ min: 0, max: 8 }),
      }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 200 }),
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 4, maxLength: 4 }),
      (specs, budgetUsd, counts) => {
        const types = specs.map((s, i) => InstanceType.of({
          name: `t${i}.large`, priceUsdPerHour: s.price / 1e6, capacityPerReplica: 1, latency: Duration.millis(1), gpus: s.gpus, vcpus: s.vcpus, memory: Size.gibibytes(s.mem),
        }));
        const limits = CostAwareNodePool.limitsForBudget(budgetUsd, types);
        const gib = (size: Size) => size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
        const mix = types.map((t, i) => ({ t, n: counts[i] }));
        const within = mix.reduce((a, m) => a + m.n * m.t.vcpus, 0) <= limits.vcpus
          && mix.reduce((a, m) => a + m.n * gib(m.t.memory), 0) <= gib(limits.memory)
          && (types.every(t => t.gpus === 0) || mix.reduce((a, m) => a + m.n * m.t.gpus, 0) <= limits.gpus);
        const costMicro = mix.reduce((a, m) => a + m.n * m.t.priceMicroUsdPerHour, 0);
        if (within) expect(costMicro).toBeLessThanOrEqual(budgetUsd * 1_000_000);
      }), { numRuns: 500 });
  });

  test('GPU pools carry the taint GpuRequest tolerates; instance types and capacity type are required', () => {
    const spec = ofKind(synth().manifests, 'NodePool').spec;
    expect(spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    expect(spec.template.spec.requirements).toEqual([
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g4dn.2xlarge', 'g4dn.4xlarge', 'g4dn.xlarge'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ]);
  });

  test('inference pools consolidate underused nodes a few at a time', () => {
    const spec = ofKind(synth().manifests, 'NodePool').spec;
    expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '5m', budgets: [{ nodes: '10%' }] });
    expect(spec.template.spec.expireAfter).toBe('720h');
    expect(spec.template.spec.terminationGracePeriod).toBe('15m');
  });

  test('training pools only lose empty nodes: no expiry, no drift, time for checkpoints', () => {
    const spec = ofKind(synth({ purpose: NodePoolPurpose.TRAINING }).manifests, 'NodePool').spec;
    expect(spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '30m',
      budgets: [{ nodes: '0', reasons: ['Drifted', 'Underutilized'] }, { nodes: '1', reasons: ['Empty'] }],
    });
    expect(spec.template.spec.expireAfter).toBe('Never');
    expect(spec.template.spec.terminationGracePeriod).toBe('2h');
    expect(ofKind(synth({ purpose: NodePoolPurpose.TRAINING, longestRun: Duration.hours(72) }).manifests, 'NodePool').spec.template.spec.expireAfter).toBe('72h');
  });

  test('spot and on-demand: two pools, spot weighted first, the budget split between them', () => {
    const { manifests, pool } = synth({ capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND], spotBudgetShare: 0.75 });
    const pools = allOfKind(manifests, 'NodePool');
    expect(pools.map(p => [p.metadata.name, p.spec.weight, p.spec.template.spec.requirements[1].values[0]])).toEqual([
      ['gpu-inference-spot', 100, 'spot'], ['gpu-inference-on-demand', 10, 'on-demand'],
    ]);
    expect(pool.limits).toEqual([CostAwareNodePool.limitsForBudget(15, g4dn), CostAwareNodePool.limitsForBudget(5, g4dn)]);
  });

  test('the node class: role, tag discovery, pinned AMI, IMDSv2 with a hop limit, a large encrypted root volume', () => {
    const spec = ofKind(synth().manifests, 'EC2NodeClass').spec;
    expect(spec).toEqual({
      role: 'KarpenterNodeRole-ml',
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'ml' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'ml' } }],
      amiSelectorTerms: [{ alias: 'al2023@v20251015' }],
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
    });
  });

  test('alerts for usage near the limits and spend above the budget, in valid PromQL', () => {
    const rules = ofKind(synth().manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['NodePoolNearLimit', 'NodePoolSpendAboveBudget']);
    for (const r of rules) expect(promqlErrors(r.expr)).toEqual([]);
    expect(rules[1].expr).toContain('> 20');
  });

  test('a GPU pool without a budget needs a GPU limit', () => {
    expect(() => synth({ budgetUsdPerHour: undefined })).toThrow(
      "[test/pool] 'budgetUsdPerHour' (undefined) is missing, and a GPU pool must have a GPU limit: give budgetUsdPerHour (limits are derived from it) or maxGpus");
    const pool = ofKind(synth({ budgetUsdPerHour: undefined, maxGpus: 8 }).manifests, 'NodePool');
    expect(pool.spec.limits['nvidia.com/gpu']).toBe('8');
  });

  test('a pool without GPUs and without a budget takes its vCPU limit from maxVcpus, and memory in proportion', () => {
    const m7i = InstanceType.of({
      name: 'm7i.2xlarge', priceUsdPerHour: 0.4032, capacityPerReplica: 10, latency: Duration.millis(100), gpus: 0, vcpus: 8, memory: Size.gibibytes(32),
    });
    expect(() => synth({ instanceTypes: [m7i], budgetUsdPerHour: undefined })).toThrow(
      "[test/pool] 'budgetUsdPerHour' (undefined) is missing, and every node pool needs limits: give budgetUsdPerHour (limits are derived from it) or maxVcpus");
    expect(() => synth({ instanceTypes: [m7i], budgetUsdPerHour: undefined, maxVcpus: 0.5 })).toThrow(
      "[test/pool] 'maxVcpus' (0.5) must be a whole number from 1 to 1000000: give a whole number of at least 1");
    const { pool, manifests } = synth({ instanceTypes: [m7i], budgetUsdPerHour: undefined, maxVcpus: 64 });
    // 32 GiB per 8 vCPUs: 64 vCPUs come with 256 GiB.
    expect(ofKind(manifests, 'NodePool').spec.limits).toEqual({ cpu: '64', memory: '256Gi' });
    expect(pool.limits).toEqual([{ vcpus: 64, memory: Size.gibibytes(256), gpus: 0 }]);
  });

  test('fails on an unpinned AMI, on both or neither of role and instance profile, and on a budget that buys no GPU', () => {
    const build = (o: Partial<CostAwareNodePoolProps>) => () => new CostAwareNodePool(newChart(), 'pool', props(o));
    expect(build({ nodeClass: { ...nodeClass, amiAlias: 'al2023@latest' } })).toThrow(
      "[test/pool] 'nodeClass.amiAlias' (\"al2023@latest\") is not pinned to an AMI version: pin it, e.g. \"al2023@v20251015\": with \"latest\" every AMI release replaces the nodes as drift");
    expect(build({ nodeClass: { ...nodeClass, instanceProfile: 'p' } })).toThrow(
      "[test/pool] 'nodeClass.role' (\"KarpenterNodeRole-ml\") and 'nodeClass.instanceProfile' are exclusive and one is required");
    expect(build({ budgetUsdPerHour: 1 })).toThrow(
      "[test/pool] 'budgetUsdPerHour' (1) does not buy a single GPU node of the allowed types: raise the budget or allow cheaper GPU types");
  });

  test('fails when a limit would not be finite (cpu: Infinity from a price below a micro-dollar)', () => {
    const build = (o: Partial<CostAwareNodePoolProps>) => () => new CostAwareNodePool(newChart(), 'pool', props(o));
    const free = () => InstanceType.of({
      name: 'm7i.2xlarge', priceUsdPerHour: 1e-9, capacityPerReplica: 10, latency: Duration.millis(100), gpus: 0, vcpus: 8, memory: Size.gibibytes(32),
    });
    expect(free).toThrow("[InstanceType m7i.2xlarge] 'priceUsdPerHour' (1e-9) must be a price from 0.000001 (one micro-dollar) to 10000: fix the catalog entry");
    const cheap = InstanceType.of({
      name: 'm7i.2xlarge', priceUsdPerHour: 0.000001, capacityPerReplica: 10, latency: Duration.millis(100), gpus: 0, vcpus: 100_000, memory: Size.gibibytes(32),
    });
    expect(build({ instanceTypes: [cheap], budgetUsdPerHour: 1_000_000 })).toThrow(
      "[test/pool] 'budgetUsdPerHour' (1000000) gives the vCPU limit 100000000000000000, which is not a whole number up to 1000000000: "
      + 'lower the budget, give maxVcpus and maxGpus, or fix the prices of the instance types');
    expect(build({ budgetUsdPerHour: Infinity })).toThrow(
      "[test/pool] 'budgetUsdPerHour' (Infinity) must be a price above 0 and at most 10000000: give the most the pool may cost per hour, in US dollars");
  });

  test('fails when purpose or a capacity type is not a member of its enum', () => {
    const build = (o: Partial<CostAwareNodePoolProps>) => () => new CostAwareNodePool(newChart(), 'pool', props(o));
    expect(build({ purpose: 'batch' as any })).toThrow(
      "[test/pool] 'purpose' (\"batch\") must be one of \"inference\", \"training\": use NodePoolPurpose.INFERENCE or NodePoolPurpose.TRAINING");
    expect(build({ capacityTypes: [CapacityType.SPOT, 'reserved' as any] })).toThrow(
      "[test/pool] 'capacityTypes[1]' (\"reserved\") must be one of \"on-demand\", \"spot\": use CapacityType.ON_DEMAND, CapacityType.SPOT or both");
    expect(build({ capacityTypes: 'spot' as any })).toThrow(
      "[test/pool] 'capacityTypes' (\"spot\") must be a list, not a string: use CapacityType.ON_DEMAND, CapacityType.SPOT or both");
  });

  test('fails when the node class is missing or its AMI family cannot be pinned', () => {
    const build = (o: Partial<CostAwareNodePoolProps>) => () => new CostAwareNodePool(newChart(), 'pool', props(o));
    expect(build({ nodeClass: undefined as any })).toThrow(
      "[test/pool] 'nodeClass' (undefined) must be an object of named fields, not undefined: give { role, subnetTags, securityGroupTags, amiAlias }");
    expect(build({ nodeClass: { ...nodeClass, amiAlias: 'ubuntu@v1' } })).toThrow(
      "[test/pool] 'nodeClass.amiAlias' (\"ubuntu\") must be one of \"al2\", \"al2023\", \"bottlerocket\"");
    expect(build({ nodeClass: { ...nodeClass, rootVolumeSize: Size.mebibytes(1536) } })).toThrow(
      "[test/pool] 'nodeClass.rootVolumeSize' (1536Mi) must be a whole number of GiB: give whole GiB from 1 to 59,000 (EBS gp3), e.g. Size.gibibytes(200)");
  });
});

describe('CostAwareNodePool.limitsForBudget input checks', () => {
  const forged = (fields: object) => Object.assign(Object.create(InstanceType.prototype), { ...g4dn[0], ...fields });

  test('fails when the instance types are not a list, instead of a TypeError', () => {
    expect(() => CostAwareNodePool.limitsForBudget(20, null as any)).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'instanceTypes' (null) must be a list, not null: give the instance types the pool may launch");
    expect(() => CostAwareNodePool.limitsForBudget(20, [])).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'instanceTypes' ([]) must not be empty: give the instance types the pool may launch");
  });

  test('fails when an instance type is a plain object, not an InstanceType', () => {
    expect(() => CostAwareNodePool.limitsForBudget(20, [{ name: 'g5.xlarge' } as any])).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'instanceTypes[0]' ({\"name\":\"g5.xlarge\"}) must be an InstanceType (made by its static methods), "
      + 'not an object: give an InstanceType from a catalog or InstanceType.of');
  });

  test('fails when an instance type has a shape or price no limit can be computed from, instead of NaN or Infinity limits', () => {
    expect(() => CostAwareNodePool.limitsForBudget(20, [forged({ vcpus: 0.5 })])).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'instanceTypes[0].vcpus' (0.5) must be a whole number at least 0 and at most 100000: "
      + 'fix the catalog entry: whole vCPUs and GPUs, and a price of at least one micro-dollar per hour');
    expect(() => CostAwareNodePool.limitsForBudget(20, [forged({ priceMicroUsdPerHour: 0 })])).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'instanceTypes[0].priceMicroUsdPerHour' (0) must be a whole number at least 1: ");
  });

  test('fails when the budget is not a finite price, instead of NaN limits', () => {
    expect(() => CostAwareNodePool.limitsForBudget(NaN, g4dn)).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'budgetUsdPerHour' (NaN) must be a price at least 0 and at most 10000000: "
      + 'give the most the pool may cost per hour, in US dollars');
    expect(() => CostAwareNodePool.limitsForBudget('20' as any, g4dn)).toThrow(
      "[CostAwareNodePool.limitsForBudget] 'budgetUsdPerHour' (\"20\") must be a price at least 0 and at most 10000000");
  });

  test('a budget of 0 buys limits of 0', () => {
    expect(CostAwareNodePool.limitsForBudget(0, g4dn)).toEqual({ vcpus: 0, memory: Size.gibibytes(0), gpus: 0 });
  });
});
