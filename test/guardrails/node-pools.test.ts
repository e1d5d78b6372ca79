import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, ec2, G5, G6, GPU_TAINT, guard, messages, newApp, poolProps } from './util';
import { CapacityType, CostAwareNodePool, NodePoolPurpose, NodeTaintEffect, ScalingGuardrails } from '../../src';

describe('CostAwareNodePool.nodePoolDeclarations', () => {
  test('describes each NodePool: name, taints, the label values it can launch with, limits, weight and priced types', () => {
    const { chart } = newApp();
    const pool = new CostAwareNodePool(chart, 'gpu', poolProps('gpu', [G5.xlarge, G6.x2large], {
      capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND], budgetUsdPerHour: 40, purpose: NodePoolPurpose.INFERENCE,
    }));
    const [spot, onDemand] = pool.nodePoolDeclarations;
    expect(spot).toEqual({
      name: 'gpu-spot',
      taints: [{ key: 'nvidia.com/gpu', effect: NodeTaintEffect.NO_SCHEDULE }],
      labels: {
        'node.kubernetes.io/instance-type': ['g5.xlarge', 'g6.2xlarge'],
        'karpenter.sh/capacity-type': ['spot'],
        'kubernetes.io/os': ['linux'],
        'cdk8s-ml-scaling/purpose': ['inference'],
        'karpenter.sh/nodepool': ['gpu-spot'],
        'karpenter.k8s.aws/instance-family': ['g5', 'g6'],
        'karpenter.k8s.aws/instance-category': ['g'],
        'karpenter.k8s.aws/instance-generation': ['5', '6'],
        'karpenter.k8s.aws/instance-size': ['2xlarge', 'xlarge'],
        'karpenter.k8s.aws/instance-cpu': ['4', '8'],
        'karpenter.k8s.aws/instance-memory': ['16384', '32768'],
        'karpenter.k8s.aws/instance-gpu-count': ['1'],
        'karpenter.k8s.aws/instance-gpu-name': ['a10g', 'l4'],
        'karpenter.k8s.aws/instance-gpu-manufacturer': ['nvidia'],
        'karpenter.k8s.aws/instance-gpu-memory': ['24576'],
      },
      limits: pool.limits[0],
      instanceTypes: [G5.xlarge, G6.x2large],
      weight: 100,
    });
    expect([onDemand.name, onDemand.weight, onDemand.labels!['karpenter.sh/capacity-type'], onDemand.limits]).toEqual(
      ['gpu-on-demand', 10, ['on-demand'], pool.limits[1]]);
  });

  test('a pool without GPUs has no taint and a GPU limit of 0; one capacity type has no weight', () => {
    const { chart } = newApp();
    const cpu = new CostAwareNodePool(chart, 'cpu', poolProps('cpu', [ec2('m7i.2xlarge', 0.4032, 8, 32)]));
    const [d] = cpu.nodePoolDeclarations;
    expect([d.taints, d.limits!.gpus, d.weight, d.labels!['karpenter.k8s.aws/instance-gpu-name']]).toEqual([[], 0, undefined, undefined]);
  });

  test('are built once, from the values the NodePools are written from', () => {
    const { chart } = newApp();
    const pool = new CostAwareNodePool(chart, 'gpu', poolProps('gpu', [G5.xlarge, G6.x2large], {
      capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND], budgetUsdPerHour: 40, purpose: NodePoolPurpose.INFERENCE,
    }));
    expect(pool.nodePoolDeclarations).toBe(pool.nodePoolDeclarations);
    pool.nodePoolDeclarations.forEach((d, i) => {
      const spec = Testing.synth(chart).filter(m => m.kind === 'NodePool')[i].spec;
      expect(d.limits).toBe(pool.limits[i]);
      expect(spec.limits).toEqual({ 'cpu': String(d.limits!.vcpus), 'memory': d.limits!.memory!.asString(), 'nvidia.com/gpu': String(d.limits!.gpus) });
      expect(spec.template.spec.taints).toEqual(d.taints);
      expect(spec.weight).toBe(d.weight);
      for (const r of spec.template.spec.requirements) expect(d.labels![r.key]).toEqual(r.values);
      for (const [key, value] of Object.entries(spec.template.metadata.labels)) expect(d.labels![key]).toEqual([value]);
    });
  });
});

describe('declared node pools', () => {
  test('run the same checks as the pools in the app', () => {
    const { app, chart } = newApp();
    // 5 replicas + 2 surge (25%, rounded up).
    chatService(chart, 'chat', 5);
    const report = guard(app, { nodePools: [a10gPool('shared', { limits: { gpus: 8 }, instanceTypes: [G5.x2large] })] }).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools).toEqual([{
      name: 'shared',
      path: 'Guardrails',
      declared: true,
      demand: { cpu: kplus.Cpu.units(28), memory: Size.gibibytes(112), gpus: 7 },
      limits: { gpus: 8 },
      workloads: ['apps/chat (7 pods)'],
      costUsdPerHour: 8.484,
      costMicroUsdPerHour: 8_484_000,
    }]);
  });

  test('instance types restrict the instance labels; labels left out are open only for Karpenter\'s well-known ones', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 2);
    // No labels: the instance types (L4 only) decide the GPU name.
    expect(messages(guard(app, { nodePools: [{ name: 'l4', taints: [GPU_TAINT], instanceTypes: [G6.xlarge] }] }))).toEqual([expect.stringContaining(
      "on 'l4' (Guardrails), none of its instance types (g6.xlarge) has karpenter.k8s.aws/instance-gpu-name=a10g: ")]);
    // Neither labels nor types: any GPU, as Karpenter would launch.
    const { app: app2, chart: chart2 } = newApp();
    chatService(chart2, 'chat', 2);
    expect(guard(app2, { nodePools: [{ name: 'any-gpu', taints: [GPU_TAINT] }] }).check().findings).toEqual([]);
  });

  test.each([
    [{ name: 'Bad_Name' }, "[Guardrails] 'nodePools[0].name' (\"Bad_Name\") is not a NodePool name (a DNS-1123 subdomain): give the name of the NodePool as the cluster has it"],
    [{ name: 'a', taints: [{ key: '', effect: NodeTaintEffect.NO_SCHEDULE }] }, "[Guardrails] 'nodePools[0].taints[0].key' (\"\") is empty: give the taint key, e.g. nvidia.com/gpu"],
    [{ name: 'a', taints: [{ key: 'k', effect: 'NoWay' as NodeTaintEffect }] },
      "[Guardrails] 'nodePools[0].taints[0].effect' (\"NoWay\") is not a taint effect: use NoSchedule, PreferNoSchedule, NoExecute (NodeTaintEffect)"],
    [{ name: 'a', labels: { team: [] } }, "[Guardrails] 'nodePools[0].labels.team' ([]) lists no value: list the values the pool allows for the label, or leave the label out"],
    [{ name: 'a', limits: { gpus: -1 } }, "[Guardrails] 'nodePools[0].limits.gpus' (-1) must be a number of 0 or more: give the pool's limit, or leave it out for no limit"],
    [{ name: 'a', limits: { memory: 256 as unknown as Size } },
      "[Guardrails] 'nodePools[0].limits.memory' (256) must be a Size: give the pool's memory limit, e.g. Size.gibibytes(1024), or leave it out for no limit"],
    [{ name: 'a', weight: 101 }, "[Guardrails] 'nodePools[0].weight' (101) must be a whole number from 1 to 100: use a Karpenter weight from 1 to 100, or leave it out"],
  ])('fails on a bad declaration %#', (pool, message) => {
    expect(() => new ScalingGuardrails(newApp().app, 'Guardrails', { nodePools: [pool] })).toThrow(message);
  });

  test('fails when a pool is declared twice', () => {
    expect(() => new ScalingGuardrails(newApp().app, 'Guardrails', { nodePools: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      "[Guardrails] 'nodePools[1].name' (\"a\") is already declared (nodePools[0]): declare each pool once");
  });

  test('fails when the props, a declaration or its parts have the wrong JavaScript type', () => {
    const build = (props: any) => () => new ScalingGuardrails(newApp().app, 'Guardrails', props);
    expect(build(null)).toThrow("[Guardrails] 'props' (null) must be an object of named fields, not null");
    expect(build({ nodePools: { name: 'a' } })).toThrow(
      "[Guardrails] 'nodePools' ({\"name\":\"a\"}) must be a list, not an object: declare the NodePools outside the app");
    expect(build({ nodePools: ['a'] })).toThrow("[Guardrails] 'nodePools[0]' (\"a\") must be an object of named fields, not a string");
    expect(build({ nodePools: [{ name: 'a', taints: { key: 'k' } }] })).toThrow("[Guardrails] 'nodePools[0].taints' ({\"key\":\"k\"}) must be a list");
    expect(build({ nodePools: [{ name: 'a', labels: { team: 'ml' } }] })).toThrow(
      "[Guardrails] 'nodePools[0].labels.team' (\"ml\") lists no value: list the values the pool allows for the label, or leave the label out");
    expect(build({ nodePools: [{ name: 'a', labels: { team: ['has space'] } }] })).toThrow(
      "[Guardrails] 'nodePools[0].labels.team[0]' (\"has space\") is not a label value");
    expect(build({ nodePools: [{ name: 'a', limits: { gpus: '8' } }] })).toThrow(
      "[Guardrails] 'nodePools[0].limits.gpus' (\"8\") must be a number of 0 or more: give the pool's limit, or leave it out for no limit");
    expect(build({ nodePools: [{ name: 'a', instanceTypes: [{ name: 'g5.xlarge' }] }] })).toThrow(
      "[Guardrails] 'nodePools[0].instanceTypes[0]' ({\"name\":\"g5.xlarge\"}) must be an InstanceType (made by its static methods), not an object");
    expect(build({ budgetUsdPerHour: '100' })).toThrow(
      "[Guardrails] 'budgetUsdPerHour' (\"100\") must be a price above zero: give the most the node pools may cost per hour, in US dollars");
  });
});
