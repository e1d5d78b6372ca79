import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, G5, GPU_TAINT, guard, messages, newApp, poolProps, trainingCluster } from './util';
import {
  BatchInferenceJob, CapacityType, CostAwareNodePool, GpuProduct, GpuRequest, GuardrailRule, InstanceCatalog, NodeTaintEffect,
} from '../../src';

const RULE = GuardrailRule.GPU_PLACEMENT;
const FIX = 'add a node pool that offers these GPUs and whose taints the pods tolerate (e.g. a CostAwareNodePool with such instance types), ' +
  'make the workload select a GPU that a pool offers, or declare the pool that will host it in the ScalingGuardrails \'nodePools\'';
const t4Types = InstanceCatalog.designDocument().types.filter(t => t.name.startsWith('g4dn'));

describe('gpu-placement', () => {
  test('fails when the only GPU pool has other GPUs, naming the workload, the pool and the label', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    const capacity = new Chart(app, 'capacity');
    new CostAwareNodePool(capacity, 't4', poolProps('t4', t4Types));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/chat] gpu-placement: Deployment 'chat' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no " +
      "GPU node pool: on 't4' (capacity/t4), 'karpenter.k8s.aws/instance-gpu-name' allows [\"t4\"], not \"a10g\": " + FIX,
    ]);
  });

  test('passes when a pool offers the GPU the workload selects', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge, G5.x2large]));
    expect(guard(app).check().findings).toEqual([]);
  });

  test('fails when there is no GPU pool at all', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/chat] gpu-placement: Deployment 'chat' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no " +
      `GPU node pool: the app has none and none is declared: ${FIX}`,
    ]);
  });

  test('fails when the pods do not tolerate a pool taint; PreferNoSchedule taints never keep pods off', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    const g = guard(app, {
      nodePools: [
        a10gPool('dedicated', { taints: [GPU_TAINT, { key: 'team', value: 'research', effect: NodeTaintEffect.NO_SCHEDULE }] }),
      ],
    });
    expect(messages(g, RULE)).toEqual([expect.stringContaining(
      "fits no GPU node pool: on 'dedicated' (Guardrails), has the taint team=research:NoSchedule, which the pods do not tolerate: ")]);
    const { app: app2, chart: chart2 } = newApp();
    chatService(chart2, 'chat', 4);
    const soft = guard(app2, { nodePools: [a10gPool('soft', { taints: [GPU_TAINT, { key: 'team', effect: NodeTaintEffect.PREFER_NO_SCHEDULE }] })] });
    expect(soft.check().findings).toEqual([]);
  });

  test('fails when the pods select a custom label the pool does not set', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4, GpuRequest.of(1, { nodeSelector: { 'example.com/gpu-tier': 'gold' } }));
    expect(messages(guard(app, { nodePools: [a10gPool('a10g')] }), RULE)).toEqual([
      "[apps/chat] gpu-placement: Deployment 'chat' (1 GPU per pod, nodeSelector example.com/gpu-tier=gold) fits no GPU node pool: " +
      "on 'a10g' (Guardrails), sets no label 'example.com/gpu-tier' (Karpenter launches nodes only with the custom labels a pool sets): " + FIX,
    ]);
    const { app: app2, chart: chart2 } = newApp();
    chatService(chart2, 'chat', 4, GpuRequest.of(1, { nodeSelector: { 'example.com/gpu-tier': 'gold' } }));
    expect(guard(app2, { nodePools: [a10gPool('a10g', { labels: { 'example.com/gpu-tier': ['gold', 'silver'] } })] }).check().findings).toEqual([]);
  });

  test('fails when one pod needs more than any instance type of the pool has', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4, GpuRequest.of(2, { gpuProduct: GpuProduct.A10G }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge, G5.x4large]));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/chat] gpu-placement: Deployment 'chat' (2 GPUs per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no GPU " +
      "node pool: on 'a10g' (capacity/a10g), no instance type it may launch fits one pod (2 GPUs, 4 vCPU, 16 GiB) in what a node offers " +
      'pods, its allocatable as Karpenter computes it (after the VM overhead, kube-reserved and the eviction threshold): g5.4xlarge 1 GPU, ' +
      `15.89 vCPU, 56.34 GiB (of 1 GPU, 16 vCPU, 64 GiB), g5.xlarge 1 GPU, 3.92 vCPU, 13.83 GiB (of 1 GPU, 4 vCPU, 16 GiB): ${FIX}`,
    ]);
  });

  test('fails when no instance type has every instance label the pods select', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4, GpuRequest.of(1, {
      nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a10g', 'node.kubernetes.io/instance-type': 'g5.48xlarge' },
    }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge]));
    expect(messages(guard(app), RULE)).toEqual([expect.stringContaining(
      "on 'a10g' (capacity/a10g), 'node.kubernetes.io/instance-type' allows [\"g5.xlarge\"], not \"g5.48xlarge\": ")]);
  });

  test('Ray GPU workers that stay on demand fit no spot-only pool', () => {
    const { app, chart } = newApp();
    trainingCluster(chart, 'train', 4);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large], { capacityTypes: [CapacityType.SPOT] }));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/train] gpu-placement: RayCluster 'train' worker group 'gpu' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g, " +
      "karpenter.sh/capacity-type=on-demand) fits no GPU node pool: on 'a10g' (capacity/a10g), 'karpenter.sh/capacity-type' allows " +
      `["spot"], not "on-demand": ${FIX}`,
    ]);
  });

  test('the spot and on-demand pools of one CostAwareNodePool that refuse alike are named together', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new CostAwareNodePool(new Chart(app, 'capacity'), 't4', poolProps('t4', t4Types, { capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND] }));
    expect(messages(guard(app), RULE)).toEqual([expect.stringContaining(
      "fits no GPU node pool: on 't4-spot' (capacity/t4) and 't4-on-demand' (capacity/t4), 'karpenter.k8s.aws/instance-gpu-name' allows [\"t4\"], not \"a10g\": ")]);
  });

  test('reads hand-written Karpenter NodePools in the app: their requirements, template labels and taints', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    const pool = new ApiObject(new Chart(app, 'capacity'), 'gpu', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'hand-gpu' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['a10g', 'l4'] }],
            taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
          },
        },
        limits: { 'nvidia.com/gpu': '8' },
      },
    });
    const g = guard(app);
    expect(g.check().findings).toEqual([]);
    pool.addJsonPatch(JsonPatch.replace('/spec/template/spec/requirements/0/values', ['l4']));
    expect(messages(g, RULE)).toEqual([expect.stringContaining(
      "on 'hand-gpu' (capacity/gpu), 'karpenter.k8s.aws/instance-gpu-name' allows [\"l4\"], not \"a10g\": ")]);
  });

  test('workloads without GPUs never trip it: with no pool for them they are reported as outside the pools (and by cpu-placement)', () => {
    const { app, chart } = newApp();
    new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.0', name: 'embed', cpu: kplus.Cpu.units(2), memory: Size.gibibytes(4) });
    const report = guard(app, { nodePools: [a10gPool('a10g')] }).check();
    expect(report.findings.map(f => f.rule)).toEqual([GuardrailRule.CPU_PLACEMENT]);
    expect(report.outsidePools).toEqual(['apps/embed']);
  });

  test('a workload that can never run (maxReplicas 0) is not placed', () => {
    const { app, chart } = newApp();
    trainingCluster(chart, 'train', 0);
    expect(messages(guard(app), RULE)).toEqual([]);
  });
});
