import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  CapacityReservation, CapacityType, CostAwareNodePool, CostAwareNodePoolProps, GpuProduct, GpuRequest, InferenceAutoscaler, InstanceCatalog,
  NodePoolPurpose, ScalingGuardrails, ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { G5 } from '../guardrails/util';
import { allOfKind, newChart, ofKind } from '../util';

const nodeClass = {
  role: 'KarpenterNodeRole-ml',
  subnetTags: { 'karpenter.sh/discovery': 'ml' },
  securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
  amiAlias: 'al2023@v20251015',
};
const ODCR: CapacityReservation = { id: 'cr-0123456789abcdef0', instanceType: 'g5.xlarge', instanceCount: 2, priceUsdPerHour: 0.7 };
const props = (overrides: Partial<CostAwareNodePoolProps> = {}): CostAwareNodePoolProps => ({
  name: 'a10g',
  purpose: NodePoolPurpose.INFERENCE,
  instanceTypes: [G5.xlarge, G5.x2large],
  budgetUsdPerHour: 10,
  nodeClass,
  reservations: [ODCR],
  ...overrides,
});

describe('CostAwareNodePool with capacity reservations', () => {
  test('selects the reservation on the EC2NodeClass and adds a reserved pool holding exactly the reserved instances', () => {
    const chart = newChart();
    const pool = new CostAwareNodePool(chart, 'pool', props());
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'EC2NodeClass').spec.capacityReservationSelectorTerms).toEqual([{ id: 'cr-0123456789abcdef0' }]);
    const pools = allOfKind(manifests, 'NodePool');
    expect(pools.map((p: any) => [p.metadata.name, p.spec.weight])).toEqual([['a10g', undefined], ['a10g-reserved', 100]]);
    const reserved = pools[1].spec;
    expect(reserved.template.spec.requirements).toEqual([
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g5.xlarge'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['reserved'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      // An ODCR pool launches only into ODCRs, never into a Capacity Block its selector might also match.
      { key: 'karpenter.k8s.aws/capacity-reservation-type', operator: 'In', values: ['default'] },
    ]);
    // 2 x g5.xlarge (4 vCPU, 16 GiB, 1 GPU).
    expect(reserved.limits).toEqual({ 'cpu': '8', 'memory': '32Gi', 'nvidia.com/gpu': '2' });
    // The reservations ($1.40/h, used or not) come off the $10 budget: the on-demand pool gets $8.60.
    expect(pool.limits[0].gpus).toBe(CostAwareNodePool.limitsForBudget(8.6, [G5.xlarge, G5.x2large]).gpus);
    const declaration = pool.nodePoolDeclarations[1];
    expect(declaration.reservedUsdPerHour).toBe(1.4);
    expect(declaration.instanceTypes!.map(t => [t.name, t.capacityType, t.priceUsdPerHour])).toEqual([['g5.xlarge', CapacityType.RESERVED, 0.7]]);
    // Karpenter prices reserved nodes as free: the spend alert watches the fallback's $8.60, not the $10.
    const spend = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules.find((r: any) => r.alert === 'NodePoolSpendAboveBudget');
    expect(spend.expr).toMatch(/\) > 8\.6$/);
  });

  test('ranks reserved above spot above on-demand; tags and owner select shared reservations', () => {
    const chart = newChart();
    new CostAwareNodePool(chart, 'pool', props({
      capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
      reservations: [{ tags: { team: 'ml' }, ownerId: '123456789012', instanceType: 'g5.2xlarge', instanceCount: 3, capacityBlock: true, priceUsdPerHour: 1.5 }],
    }));
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'EC2NodeClass').spec.capacityReservationSelectorTerms).toEqual([{ tags: { team: 'ml' }, ownerID: '123456789012' }]);
    expect(allOfKind(manifests, 'NodePool').map((p: any) => [p.metadata.name, p.spec.weight])).toEqual([
      ['a10g-spot', 50], ['a10g-on-demand', 10], ['a10g-reserved', 100],
    ]);
  });

  test('the README example: a Capacity Block of 2 p5s and one more on demand', () => {
    const chart = newChart();
    const pool = new CostAwareNodePool(chart, 'gpu-training', {
      purpose: NodePoolPurpose.TRAINING,
      instanceTypes: InstanceCatalog.awsGpu().families(['p5']).types,
      budgetUsdPerHour: 143.1,
      reservations: [{ id: 'cr-0123456789abcdef0', instanceType: 'p5.48xlarge', instanceCount: 2, priceUsdPerHour: 44.03, capacityBlock: true }],
      nodeClass,
    });
    const manifests = expectConformant(chart);
    expect(pool.limits.map(l => l.gpus)).toEqual([8, 16]);
    // Only capacity-block offerings (Karpenter v1.14.1 labels each reserved offering with its reservation's type).
    const reserved = allOfKind(manifests, 'NodePool').find((p: any) => p.spec.weight === 100);
    expect(reserved.spec.template.spec.requirements).toContainEqual(
      { key: 'karpenter.k8s.aws/capacity-reservation-type', operator: 'In', values: ['capacity-block'] });
  });

  test('a pool with both an ODCR and a Capacity Block allows both reservation types', () => {
    const chart = newChart();
    new CostAwareNodePool(chart, 'pool', props({
      budgetUsdPerHour: 20,
      reservations: [ODCR, { id: 'cr-0123456789abcdef1', instanceType: 'g5.2xlarge', instanceCount: 1, priceUsdPerHour: 2, capacityBlock: true }],
    }));
    const reserved = allOfKind(expectConformant(chart), 'NodePool').find((p: any) => p.metadata.name === 'a10g-reserved');
    expect(reserved.spec.template.spec.requirements).toContainEqual(
      { key: 'karpenter.k8s.aws/capacity-reservation-type', operator: 'In', values: ['default', 'capacity-block'] });
  });

  test('an ODCR without a price is priced at the type\'s on-demand price', () => {
    const pool = new CostAwareNodePool(newChart(), 'pool', props({ reservations: [{ id: 'cr-0123456789abcdef0', instanceType: 'g5.2xlarge', instanceCount: 1 }] }));
    expect(pool.nodePoolDeclarations[1].reservedUsdPerHour).toBe(1.212);
  });

  test.each<[string, Partial<CostAwareNodePoolProps>, string]>([
    ['an id that is not cr- and 17 hex digits', { reservations: [{ ...ODCR, id: 'cr-123' }] },
      "[test/pool] 'reservations[0].id' (\"cr-123\") is not a capacity reservation id (\"cr-\" and 17 lowercase hexadecimal digits): copy it from the EC2 console or `aws ec2 describe-capacity-reservations`"],
    ['neither id nor tags', { reservations: [{ instanceType: 'g5.xlarge', instanceCount: 1 }] },
      "[test/pool] 'reservations[0].id' (undefined) and 'tags' are exclusive and one is required: select the reservation by its id, or by tags (with ownerId)"],
    ['a type the pool excludes', { reservations: [{ ...ODCR, instanceType: 'p5.48xlarge' }] },
      "[test/pool] 'reservations[0].instanceType' (\"p5.48xlarge\") is not one of the pool's instanceTypes (g5.2xlarge, g5.xlarge): add the type to instanceTypes, or fix the reservation's instance type"],
    ['an ODCR above the on-demand price', { reservations: [{ ...ODCR, priceUsdPerHour: 2 }] },
      "[test/pool] 'reservations[0].priceUsdPerHour' (2) is above the on-demand price of g5.xlarge (1.006), and EC2 bills an ODCR at the on-demand rate or less: give the price you pay (the on-demand price, less any Savings Plan discount), or set capacityBlock: true for a Capacity Block"],
    ['a count of zero', { reservations: [{ ...ODCR, instanceCount: 0 }] }, "'reservations[0].instanceCount' (0)"],
    ['an owner with an id', { reservations: [{ ...ODCR, ownerId: '123456789012' }] }, "'reservations[0].ownerId' (\"123456789012\") only applies with tags"],
    ['a bad owner', { reservations: [{ tags: { a: 'b' }, ownerId: '12', instanceType: 'g5.xlarge', instanceCount: 1 }] }, "'reservations[0].ownerId' (\"12\") is not a 12-digit AWS account id"],
    ['an empty tag value', { reservations: [{ tags: { a: '' }, instanceType: 'g5.xlarge', instanceCount: 1 }] }, "'reservations[0].tags.a' (\"\") is empty"],
    ['an id listed twice', { reservations: [ODCR, ODCR] }, "'reservations'"],
    ['a budget below the reservations', { budgetUsdPerHour: 1.4 },
      "[test/pool] 'budgetUsdPerHour' (1.4) does not cover the reservations, which cost 1.4 US dollars per hour used or not: raise the budget above the reservations' cost (the rest buys the spot and on-demand fallback)"],
    ['reserved as a capacity type', { capacityTypes: [CapacityType.RESERVED] }, "reserved capacity comes from 'reservations'"],
  ])('fails on %s', (_, overrides, message) => {
    expect(() => new CostAwareNodePool(newChart(), 'pool', props(overrides))).toThrow(message);
  });

  test('property: the reserved pool holds exactly the reserved GPUs, and the rest of the budget buys the others', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1000 }), (count, cents) => {
      const price = cents / 1000; // up to $1, below g5.xlarge on demand
      const pool = new CostAwareNodePool(newChart(), 'pool', props({
        budgetUsdPerHour: count * price + 5, reservations: [{ ...ODCR, instanceCount: count, priceUsdPerHour: price }],
      }));
      expect(pool.limits[1].gpus).toBe(count);
      expect(pool.nodePoolDeclarations[1].reservedUsdPerHour).toBeCloseTo(count * price, 6);
      expect(pool.limits[0].gpus).toBe(CostAwareNodePool.limitsForBudget(5, [G5.xlarge, G5.x2large]).gpus);
    }), { numRuns: 50 });
  });
});

/**
 * RULES.md worked example (bill and budget-ceiling, capacity reservations): chat (1 GPU, 2 vCPU, 8 GiB per pod, 1 to
 * 4 replicas, peak 5 pods with its rollout surge) on a pool with an ODCR of 2 x g5.xlarge at $0.70 and an on-demand
 * fallback of g5.xlarge ($1.006). Worst case: 2 pods on the reserved pool (its limit: 2 GPUs) at max(bound $1.40,
 * reservations $1.40) = $1.40; 3 pods on on-demand at 3 x $1.006 = $3.018; total $4.418. Expected (minReplicas 1): the reserved pool still costs $1.40
 * (paid used or not); nothing on on-demand.
 */
describe('reserved capacity in the bill and budget-ceiling', () => {
  function app(budgetUsdPerHour: number) {
    const a = Testing.app();
    const chart = new Chart(a, 'search', { namespace: 'search' });
    new CostAwareNodePool(chart, 'pool', props({ instanceTypes: [G5.xlarge], budgetUsdPerHour: 20 }));
    new InferenceAutoscaler(chart, 'chat', {
      name: 'chat',
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
      minReplicas: 1,
      maxReplicas: 4,
      allowSingleReplica: true,
      metrics: [ScalingMetric.vllmWaitingRequests(5)],
    });
    return new ScalingGuardrails(a, 'Guardrails', { budgetUsdPerHour });
  }

  test('prices the reserved pool at its reservations, used or not', () => {
    const bill = app(100).check().bill;
    expect(bill.nodePools.map(p => [p.name, p.capacityType, p.worstCaseMicroUsdPerHour, p.expectedMicroUsdPerHour])).toEqual([
      ['a10g-reserved', 'reserved', 1_400_000, 1_400_000],
      ['a10g', 'on-demand', 3_018_000, 0],
    ]);
    expect([bill.worstCaseMicroUsdPerHour, bill.expectedMicroUsdPerHour]).toEqual([4_418_000, 1_400_000]);
  });

  test('budget-ceiling counts the reservations', () => {
    const findings = app(3).check().findings.filter(f => f.rule === 'budget-ceiling').map(f => f.message);
    expect(findings).toEqual([expect.stringContaining("with every workload at its maximum the node pools cost at least $4.418/h, above 'budgetUsdPerHour' (3): over by $1.418/h ('a10g' $3.018/h, 'a10g-reserved' $1.40/h)")]);
  });
});
