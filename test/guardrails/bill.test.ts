import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, ec2, G5, guard, messages } from './util';
import {
  CapacityType, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, ScalingGuardrails, ScalingMetric,
} from '../../src';

/** An InferenceAutoscaler on one GPU per pod. */
function service(chart: Chart, name: string, minReplicas: number, maxReplicas: number, cpu: number, memoryGib: number,
  gpuProduct = GpuProduct.A10G): InferenceAutoscaler {
  return new InferenceAutoscaler(chart, name, {
    name,
    modelServer: {
      image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(cpu), memory: Size.gibibytes(memoryGib), gpu: GpuRequest.of(1, { gpuProduct }),
    },
    minReplicas,
    maxReplicas,
    allowSingleReplica: minReplicas < 2,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
  });
}

/**
 * Two teams (namespaces `search` and `ads`) on an A10G spot pool (weight 100, 4 GPUs, spot prices g5.xlarge $0.40 and
 * g5.2xlarge $0.50, and an on-demand entry it must not use) and an A10G on-demand pool (weight 10, no limits,
 * g5.xlarge $1.006, g5.2xlarge $1.212, g5.4xlarge $1.624).
 * search/chat: 1 GPU, 4 vCPU, 16 GiB per pod, 2 to 6 replicas; fits both pools.
 * ads/rank: 1 GPU, 12 vCPU, 48 GiB per pod, 1 to 3 replicas; fits only g5.4xlarge (on-demand).
 */
function twoTeams(): { app: App; guardrails: ScalingGuardrails } {
  const app = Testing.app();
  service(new Chart(app, 'search', { namespace: 'search' }), 'chat', 2, 6, 4, 16);
  service(new Chart(app, 'ads', { namespace: 'ads' }), 'rank', 1, 3, 12, 48);
  const spot = [
    ec2('g5.xlarge', 0.40, 4, 16, 1, GpuProduct.A10G, CapacityType.SPOT),
    ec2('g5.2xlarge', 0.50, 8, 32, 1, GpuProduct.A10G, CapacityType.SPOT),
    G5.xlarge,
  ];
  const guardrails = guard(app, {
    nodePools: [
      a10gPool('a10g-spot', { weight: 100, labels: { 'karpenter.sh/capacity-type': ['spot'] }, limits: { gpus: 4 }, instanceTypes: spot }),
      a10gPool('a10g-on-demand', { weight: 10, labels: { 'karpenter.sh/capacity-type': ['on-demand'] }, instanceTypes: [G5.xlarge, G5.x2large, G5.x4large] }),
    ],
  });
  return { app, guardrails };
}

/** [worst case, expected] in micro-dollars per hour. */
function figures(line: { worstCaseMicroUsdPerHour: number; expectedMicroUsdPerHour: number }): [number, number] {
  return [line.worstCaseMicroUsdPerHour, line.expectedMicroUsdPerHour];
}

/** A hand-written Karpenter NodePool (as read back from manifests), tainted for GPUs. */
function nodePool(chart: Chart, name: string, requirements: any[]): ApiObject {
  return new ApiObject(chart, name, {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements,
          taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
        },
      },
    },
  });
}

describe('the bill', () => {
  // Per-unit prices. Spot pool (spot entries only): GPU min(0.40, 0.50) = 0.40; vCPU min(0.40/4, 0.50/8) = 0.0625;
  // GiB min(0.40/16, 0.50/32) = 0.015625. On-demand pool: GPU 1.006; vCPU 1.624/16 = 0.1015; GiB 1.624/64 = 0.025375.
  // Worst case: each Deployment's peak, maxReplicas + its rollout surge (the library's maxSurge 25%, rounded up):
  //   chat 6 + ceil(0.25 x 6) = 6 + 2 = 8 pods; rank 3 + ceil(0.25 x 3) = 3 + 1 = 4 pods.
  //   rank first (one eligible pool): 4 pods on-demand. chat: 4 pods on spot (its GPU limit), 4 on-demand.
  //   spot: chat 4 pods = 4 GPUs, 16 vCPU, 64 GiB: max(1.60, 1.00, 1.00) = $1.60.
  //   on-demand: chat 4 pods (4, 16, 64) + rank 4 pods (4, 48, 192) = 8 GPUs, 64 vCPU, 256 GiB: max(8.048, 6.496, 6.496) = $8.048.
  //   lines: chat 1.60 + max(4.024, 1.624, 1.624) = $5.624; rank alone max(4.024, 4.872, 4.872) = $4.872 (its vCPU binds).
  // Expected at minReplicas: chat 2 pods on spot: max(0.80, 0.50, 0.50) = $0.80; rank 1 pod on-demand: max(1.006, 1.218, 1.218) = $1.218.
  test('two teams on spot and on-demand pools: worst case and minReplicas, per workload, team, pool and capacity type', () => {
    const bill = twoTeams().guardrails.check().bill;
    const lines = bill.workloads.map(w =>
      [w.workload, w.team, w.maxReplicas, w.worstCasePods, w.expectedReplicas, w.expectedReplicasGiven, w.nodePools, figures(w)]);
    expect(lines).toEqual([
      ['ads/rank', 'ads', 3, 4, 1, false, ['a10g-on-demand'], [4_872_000, 1_218_000]],
      ['search/chat', 'search', 6, 8, 2, false, ['a10g-spot', 'a10g-on-demand'], [5_624_000, 800_000]],
    ]);
    expect(bill.teams.map(t => [t.team, t.workloads, figures(t)])).toEqual([
      ['ads', 1, [4_872_000, 1_218_000]],
      ['search', 1, [5_624_000, 800_000]],
    ]);
    expect(bill.nodePools.map(p => [p.name, p.capacityType, p.priced, p.pricedAtCapacityType, figures(p)])).toEqual([
      ['a10g-spot', 'spot', true, true, [1_600_000, 800_000]],
      ['a10g-on-demand', 'on-demand', true, true, [8_048_000, 1_218_000]],
    ]);
    expect(bill.capacityTypes.map(c => [c.capacityType, c.nodePools, figures(c)])).toEqual([
      ['on-demand', ['a10g-on-demand'], [8_048_000, 1_218_000]],
      ['spot', ['a10g-spot'], [1_600_000, 800_000]],
    ]);
    // Pools priced together cost less than the workloads priced alone ($10.496/h): rank binds on vCPU, the pool on GPUs.
    // Total 1.60 + 8.048 = $9.648.
    expect([bill.worstCaseMicroUsdPerHour, bill.worstCaseUsdPerHour, bill.expectedMicroUsdPerHour, bill.expectedUsdPerHour]).toEqual(
      [9_648_000, 9.648, 2_018_000, 2.018]);
    expect(bill.worstCaseMicroUsdPerHour).toBe(twoTeams().guardrails.check().worstCaseCostMicroUsdPerHour);
    expect([bill.incomplete, bill.unpricedPools, bill.unknownInstanceTypes, bill.outsidePools]).toEqual([false, [], [], []]);
  });

  // Given: chat 5.5, rank 2.5. rank 2.5 pods on-demand (2.5, 30, 75... GiB 120): max(2.515, 3.045, 3.045) = $3.045.
  // chat: 4 pods on spot ($1.60), 1.5 on-demand (1.5, 6, 24): max(1.509, 0.609, 0.609) = $1.509; line $3.109.
  // on-demand pool: 4 GPUs, 36 vCPU, 144 GiB: max(4.024, 3.654, 3.654) = $4.024. Total 1.60 + 4.024 = $5.624.
  // (Expected replicas run no rollout surge; the worst case is the first test's: 8 and 4 peak pods.)
  test('expected replicas given from outside, by namespace, kind and name of the scaled object; fractions are priced exactly', () => {
    const bill = twoTeams().guardrails.bill([
      { namespace: 'search', kind: 'Deployment', name: 'chat', replicas: 5.5 },
      { namespace: 'ads', kind: 'Deployment', name: 'rank', replicas: 2.5 },
    ]);
    expect(bill.workloads.map(w => [w.workload, w.expectedReplicas, w.expectedReplicasGiven, figures(w)])).toEqual([
      ['ads/rank', 2.5, true, [4_872_000, 3_045_000]],
      ['search/chat', 5.5, true, [5_624_000, 3_109_000]],
    ]);
    expect(bill.nodePools.map(p => [p.name, figures(p)])).toEqual([['a10g-spot', [1_600_000, 1_600_000]], ['a10g-on-demand', [8_048_000, 4_024_000]]]);
    expect([bill.expectedMicroUsdPerHour, bill.expectedUsdPerHour]).toEqual([5_624_000, 5.624]);
    // A workload not listed is expected at its minReplicas.
    const one = twoTeams().guardrails.bill([{ namespace: 'ads', kind: 'Deployment', name: 'rank', replicas: 3 }]);
    expect(one.workloads.map(w => [w.workload, w.expectedReplicas, w.expectedReplicasGiven])).toEqual([['ads/rank', 3, true], ['search/chat', 2, false]]);
  });

  test('toJson: plain, stable data with the same keys in the same order', () => {
    const json = twoTeams().guardrails.check().bill.toJson();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(JSON.stringify(json)).toEqual(JSON.stringify(twoTeams().guardrails.check().bill.toJson()));
    expect(Object.keys(json)).toEqual([
      'worstCaseUsdPerHour', 'worstCaseMicroUsdPerHour', 'expectedUsdPerHour', 'expectedMicroUsdPerHour', 'incomplete',
      'teams', 'workloads', 'nodePools', 'capacityTypes', 'unpricedPools', 'unknownInstanceTypes', 'outsidePools',
    ]);
    expect(json.workloads[1]).toEqual({
      workload: 'search/chat',
      namespace: 'search',
      kind: 'Deployment',
      name: 'chat',
      team: 'search',
      maxReplicas: 6,
      worstCasePods: 8,
      expectedReplicas: 2,
      expectedReplicasGiven: false,
      nodePools: ['a10g-spot', 'a10g-on-demand'],
      worstCaseUsdPerHour: 5.624,
      worstCaseMicroUsdPerHour: 5_624_000,
      expectedUsdPerHour: 0.8,
      expectedMicroUsdPerHour: 800_000,
      incomplete: false,
    });
  });

  test('fails on expected replicas for no workload, twice for one, or out of its range', () => {
    const { guardrails } = twoTeams();
    expect(() => guardrails.bill([{ namespace: 'search', kind: 'Deployment', name: 'nope', replicas: 1 }])).toThrow(
      "[Guardrails] 'expected[0]' (\"search/Deployment/nope\") names no workload of the app (namespace/kind/name[component] of the scaled object): " +
      "name one: the app's are ads/Deployment/rank, search/Deployment/chat");
    expect(() => guardrails.bill([{ namespace: 'ads', kind: 'Deployment', name: 'rank', replicas: 1 }, { namespace: 'ads', kind: 'Deployment', name: 'rank', replicas: 2 }]))
      .toThrow("[Guardrails] 'expected[1]' (\"ads/Deployment/rank\") is given twice: give each workload's expected replicas once");
    expect(() => guardrails.bill([{ namespace: 'ads', kind: 'Deployment', name: 'rank', replicas: 4 }])).toThrow(
      "[Guardrails] 'expected[0].replicas' (4) must be a number at least 0 and at most 3: give the replicas ads/Deployment/rank is expected to run, " +
      'from 0 to its maxReplicas (3)');
    expect(() => guardrails.bill('x' as any)).toThrow("[Guardrails] 'expected' (\"x\") must be a list, not a string");
  });

  // g6 types of InstanceCatalog.awsGpu(): g6.xlarge $0.8048 (4 vCPU, 16 GiB, 1 L4), g6.2xlarge $0.9776 (8 vCPU, 32 GiB).
  // Per unit: GPU 0.8048; vCPU min(0.2012, 0.1222) = 0.1222; GiB min(0.0503, 0.03055) = 0.03055.
  // One pod (1 GPU, 4 vCPU, 16 GiB): max(0.8048, 0.4888, 0.4888) = $0.8048. Worst case: 3 replicas + ceil(0.25 x 3) = 1
  // surge = 4 pods, 4 x 0.8048 = $3.2192 (above the $2 budget); expected at minReplicas: 1 pod, $0.8048.
  test('a hand-written NodePool that pins its instance types is priced from InstanceCatalog.awsGpu(), with its capacity type', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ml', { namespace: 'ml' });
    service(chart, 'l4', 1, 3, 4, 16, GpuProduct.L4);
    nodePool(new Chart(app, 'capacity'), 'l4-spot', [
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6.xlarge', 'g6.2xlarge'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
    ]);
    const report = guard(app, { budgetUsdPerHour: 2 }).check();
    expect(report.nodePools.map(p => [p.name, p.costMicroUsdPerHour])).toEqual([['l4-spot', 3_219_200]]);
    expect(report.findings.map(f => f.rule)).toEqual([GuardrailRule.BUDGET_CEILING]);
    const bill = report.bill;
    // Spot is allowed, so the pool is billed as spot; the catalog has on-demand prices only.
    expect(bill.nodePools.map(p => [p.name, p.path, p.capacityType, p.priced, p.pricedAtCapacityType, figures(p)])).toEqual([
      ['l4-spot', 'capacity/l4-spot', 'spot', true, false, [3_219_200, 804_800]],
    ]);
    expect(bill.teams.map(t => [t.team, figures(t)])).toEqual([['ml', [3_219_200, 804_800]]]);
  });

  test('a NodePool pinned to types the catalogs do not know stays unpriced, and they are listed', () => {
    const app = Testing.app();
    service(new Chart(app, 'ml'), 'l4', 1, 3, 4, 16, GpuProduct.L4);
    nodePool(new Chart(app, 'capacity'), 'mixed', [
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6', 'g7x'] },
    ]);
    const g = guard(app, { budgetUsdPerHour: 100 });
    const bill = g.check().bill;
    expect([bill.unpricedPools, bill.unknownInstanceTypes, bill.incomplete]).toEqual([['mixed'], ['mixed: karpenter.k8s.aws/instance-family=g7x'], true]);
    expect(bill.workloads.map(w => [w.workload, w.team, figures(w), w.incomplete])).toEqual([['ml/l4', 'default', [0, 0], true]]);
    expect(bill.nodePools.map(p => [p.capacityType, p.priced])).toEqual([['spot', false]]);
    // 3 replicas + 1 surge = 4 pods of 1 GPU, 4 vCPU, 16 GiB.
    expect(messages(g, GuardrailRule.BUDGET_CEILING)).toEqual([
      "[capacity/mixed] budget-ceiling: NodePool 'mixed' must host 4 GPUs, 16 vCPU, 64 GiB with every workload at its maximum but has no instance " +
      "prices, so 'budgetUsdPerHour' (100) cannot be checked against it: build the pool with CostAwareNodePool, which knows its instance prices, pin " +
      'its requirements to instance types of InstanceCatalog.awsGpu() (karpenter.k8s.aws/instance-family=g7x are not in it), or suppress ' +
      'budget-ceiling on it with the reason',
    ]);
  });

  test('hand-written workloads and pools, as read back from manifests: keyed by namespace, kind and name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'manifests');
    new ApiObject(chart, 'embed', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'embed', namespace: 'search' },
      spec: {
        selector: { matchLabels: { app: 'embed' } },
        template: {
          metadata: { labels: { app: 'embed' } },
          spec: {
            containers: [{ name: 'embed', image: 'example/embed:1.0', resources: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 } } }],
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          },
        },
      },
    });
    new ApiObject(chart, 'embed-hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'embed', namespace: 'search' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'embed' }, minReplicas: 1, maxReplicas: 3 },
    });
    nodePool(chart, 'l4', [
      { key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['l4'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['xlarge', '2xlarge'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    ]);
    const bill = guard(app).bill([{ namespace: 'search', kind: 'Deployment', name: 'embed', replicas: 2 }]);
    // The same g6.xlarge and g6.2xlarge as above. The Deployment gives no strategy: Kubernetes' default RollingUpdate
    // with maxSurge 25%, so the worst case is 3 replicas + ceil(0.25 x 3) = 1 surge = 4 pods, 4 x 0.8048 = $3.2192;
    // expected 2 pods, $1.6096.
    expect(bill.workloads.map(w => [w.workload, w.team, w.nodePools, w.maxReplicas, w.worstCasePods, figures(w)])).toEqual(
      [['manifests/embed', 'search', ['l4'], 3, 4, [3_219_200, 1_609_600]]]);
    expect(bill.nodePools.map(p => [p.capacityType, p.pricedAtCapacityType])).toEqual([['on-demand', true]]);
  });

  // worstCasePods follows the Deployment's strategy: Recreate runs no pod above maxReplicas (3 pods, 3 x 0.8048 =
  // $2.4144); maxSurge 2 runs two (5 pods, $4.024). The pool prices the 8 pods together: 8 x 0.8048 = $6.4384.
  test('worstCasePods: maxReplicas plus the surge of the Deployment\'s own strategy', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'manifests');
    const deployment = (name: string, strategy: any) => {
      new ApiObject(chart, name, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'search' },
        spec: {
          strategy,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [{ name, image: 'example/embed:1.0', resources: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 } } }],
              tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
            },
          },
        },
      });
      new ApiObject(chart, `${name}-hpa`, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace: 'search' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 3 },
      });
    };
    deployment('recreate', { type: 'Recreate' });
    deployment('surge2', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
    nodePool(chart, 'l4', [
      { key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['l4'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['xlarge', '2xlarge'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    ]);
    const report = guard(app).check();
    expect(report.bill.workloads.map(w => [w.workload, w.maxReplicas, w.worstCasePods, w.worstCaseMicroUsdPerHour])).toEqual([
      ['manifests/recreate', 3, 3, 2_414_400],
      ['manifests/surge2', 3, 5, 4_024_000],
    ]);
    expect([report.bill.worstCaseMicroUsdPerHour, report.worstCaseCostMicroUsdPerHour]).toEqual([6_438_400, 6_438_400]);
  });

  test('a workload on no known pool is listed and leaves the bill incomplete', () => {
    const app = Testing.app();
    service(new Chart(app, 'ml'), 'chat', 1, 2, 4, 16);
    const bill = guard(app).check().bill;
    // A GPU workload no pool takes (a gpu-placement finding): on no pool, so its line is incomplete.
    expect(bill.workloads.map(w => [w.workload, figures(w), w.incomplete, w.nodePools])).toEqual([['ml/chat', [0, 0], true, []]]);
    expect([bill.nodePools, bill.capacityTypes, bill.incomplete]).toEqual([[], [], true]);
  });
});
