import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, G5, guard, messages, newApp, poolProps } from './util';
import { CostAwareNodePool, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, InstanceCatalog, ScalingMetric } from '../../src';
import {
  allocatableOf, DEFAULT_MAX_PODS, kubeReservedCpuMillis, maxPodsOf, usableOf, vmMemoryOverheadMib,
} from '../../src/guardrails/engine/allocatable';

const FIX = 'add a node pool that offers these GPUs and whose taints the pods tolerate (e.g. a CostAwareNodePool with such instance types), ' +
  'make the workload select a GPU that a pool offers, or declare the pool that will host it in the ScalingGuardrails \'nodePools\'';

/** A model server of one A10G with the given CPU and memory. */
function server(chart: Chart, id: string, maxReplicas: number, cores: number, memoryGib: number): InferenceAutoscaler {
  return new InferenceAutoscaler(chart, id, {
    name: id,
    modelServer: {
      image: 'vllm/vllm-openai:v0.12.0',
      cpu: kplus.Cpu.units(cores),
      memory: Size.gibibytes(memoryGib),
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    },
    maxReplicas,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
  });
}

describe('allocatable as Karpenter computes it (aws/karpenter-provider-aws v1.14.1, types.go)', () => {
  // Figures computed by hand from the formulas of types.go (RULES.md, gpu-placement):
  //   memory = MiB - ceil(MiB x 0.075) - (11 x maxPods + 255) - 100
  //   cpu    = m - (60 + 10 + 10 + 0.25% of the millicores above 4000, each range truncated)
  test('g4dn.xlarge (4 vCPU, 16 GiB, 29 ENI-limited pods): 3.92 vCPU, 14,481 MiB', () => {
    // 16,384 - ceil(1,228.8) = 15,155; - (11 x 29 + 255 = 574) - 100 = 14,481. CPU 4,000 - (60 + 10 + 10) = 3,920.
    expect(maxPodsOf('g4dn.xlarge')).toBe(29);
    expect(allocatableOf({ cpuMillis: 4000, memoryMib: 16384, gpus: 1 }, 29)).toEqual({ cpuMillis: 3920, memoryMib: 14481, gpus: 1 });
  });

  test('g5.4xlarge (16 vCPU, 64 GiB, 234 ENI-limited pods): 15.89 vCPU, 57,691 MiB', () => {
    // 65,536 - ceil(4,915.2) = 60,620; - (11 x 234 + 255 = 2,829) - 100 = 57,691. CPU 16,000 - (80 + 12,000 x 0.0025 = 30) = 15,890.
    expect(maxPodsOf('g5.4xlarge')).toBe(234);
    expect(allocatableOf({ cpuMillis: 16000, memoryMib: 65536, gpus: 1 }, 234)).toEqual({ cpuMillis: 15890, memoryMib: 57691, gpus: 1 });
  });

  test('p5.48xlarge (192 vCPU, 2 TiB, 100 ENI-limited pods): 191.45 vCPU, 1,938,410 MiB', () => {
    // 2,097,152 - ceil(157,286.4) = 1,939,865; - (11 x 100 + 255 = 1,355) - 100 = 1,938,410. CPU 192,000 - (80 + 188,000 x 0.0025 = 470).
    expect(maxPodsOf('p5.48xlarge')).toBe(100);
    expect(allocatableOf({ cpuMillis: 192000, memoryMib: 2097152, gpus: 8 }, 100)).toEqual({ cpuMillis: 191450, memoryMib: 1938410, gpus: 8 });
  });

  test('the pieces: CPU ranges truncated to millicores, the VM overhead rounded up, 110 pods for a type not in the table', () => {
    expect([500, 1000, 1500, 2000, 3000, 4000, 4001, 4399, 4400].map(kubeReservedCpuMillis)).toEqual([30, 60, 65, 70, 75, 80, 80, 80, 81]);
    expect(vmMemoryOverheadMib(1024)).toBe(77); // 76.8
    expect(maxPodsOf('m7i.large')).toBe(DEFAULT_MAX_PODS);
    expect(DEFAULT_MAX_PODS).toBe(110);
    expect(maxPodsOf('constructor')).toBe(110);
    // Never below zero, for a type too small to hold the reservations.
    expect(allocatableOf({ cpuMillis: 0, memoryMib: 256, gpus: 0 }, 110)).toEqual({ cpuMillis: 0, memoryMib: 0, gpus: 0 });
    expect(usableOf({ cpuMillis: 1000, memoryMib: 100, gpus: 1 }, { cpuMillis: 250, memoryMib: 512, gpus: 2 }))
      .toEqual({ cpuMillis: 750, memoryMib: 0, gpus: 0 });
  });

  test('every type of the AWS GPU and design-document catalogs has its ENI-limited max pods', () => {
    const types = [...InstanceCatalog.awsGpu().types, ...InstanceCatalog.designDocument().types];
    expect(types.filter(t => maxPodsOf(t.name) === DEFAULT_MAX_PODS).map(t => t.name)).toEqual([]);
  });
});

describe('placement on allocatable less the DaemonSets', () => {
  test('trips: a 16 vCPU, 64 GiB pod on a pool whose only type has exactly 16 vCPU and 64 GiB', () => {
    const { app, chart } = newApp();
    server(chart, 'big', 2, 16, 64);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
    expect(messages(guard(app), GuardrailRule.GPU_PLACEMENT)).toEqual([
      "[apps/big] gpu-placement: Deployment 'big' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no GPU " +
      "node pool: on 'a10g' (capacity/a10g), no instance type it may launch fits one pod (1 GPU, 16 vCPU, 64 GiB) in what a node offers " +
      'pods, its allocatable as Karpenter computes it (after the VM overhead, kube-reserved and the eviction threshold): g5.4xlarge 1 GPU, ' +
      `15.89 vCPU, 56.34 GiB (of 1 GPU, 16 vCPU, 64 GiB): ${FIX}`,
    ]);
  });

  test('passes: the same pod at 15 vCPU and 56 GiB fits the g5.4xlarge\'s allocatable (15.89 vCPU, 56.34 GiB)', () => {
    const { app, chart } = newApp();
    server(chart, 'big', 2, 15, 56);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
    expect(guard(app).check().findings).toEqual([]);
  });

  test('the DaemonSets\' requests come off every node: what fits without them trips with them, naming both', () => {
    const build = (daemonSetOverhead?: { cpu?: kplus.Cpu; memory?: Size; gpus?: number }) => {
      const { app, chart } = newApp();
      server(chart, 'big', 2, 15, 56);
      new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
      return guard(app, { daemonSetOverhead });
    };
    expect(build({ cpu: kplus.Cpu.millis(500) }).check().findings).toEqual([]);
    expect(messages(build({ cpu: kplus.Cpu.millis(500), memory: Size.gibibytes(1) }), GuardrailRule.GPU_PLACEMENT)).toEqual([
      "[apps/big] gpu-placement: Deployment 'big' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no GPU " +
      "node pool: on 'a10g' (capacity/a10g), no instance type it may launch fits one pod (1 GPU, 15 vCPU, 56 GiB) in what a node offers " +
      'pods, its allocatable as Karpenter computes it (after the VM overhead, kube-reserved and the eviction threshold) less the DaemonSets\' ' +
      `0.5 vCPU, 1 GiB: g5.4xlarge 1 GPU, 15.39 vCPU, 55.34 GiB (of 1 GPU, 16 vCPU, 64 GiB): ${FIX}`,
    ]);
    // A DaemonSet that takes the node's only GPU leaves none for the pods.
    expect(messages(build({ gpus: 1 }), GuardrailRule.GPU_PLACEMENT)).toHaveLength(1);
  });

  test('pool-capacity charges pods only to pools whose types hold them after the reservations', () => {
    const { app, chart } = newApp();
    server(chart, 'big', 4, 16, 64);
    // Karpenter tries 'z-exact' first (equal weights: later names first); its only type is exactly the pod's size, so
    // the pods cannot land there and all go to the other pool.
    new CostAwareNodePool(new Chart(app, 'exact'), 'exact', poolProps('z-exact', [G5.x4large]));
    new CostAwareNodePool(new Chart(app, 'roomy'), 'roomy', poolProps('a-roomy', [G5.x4large, InstanceCatalog.awsGpu().find('g5.8xlarge')!]));
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools.filter(p => p.workloads.length > 0).map(p => [p.name, p.workloads])).toEqual([['a-roomy', ['apps/big (5 pods)']]]);
  });

  test('declared pools are judged the same way', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 2);
    expect(messages(guard(app, { nodePools: [a10gPool('shared', { instanceTypes: [G5.xlarge] })] }), GuardrailRule.GPU_PLACEMENT)).toHaveLength(1);
    const { app: app2, chart: chart2 } = newApp();
    chatService(chart2, 'chat', 2);
    expect(guard(app2, { nodePools: [a10gPool('shared', { instanceTypes: [G5.x2large] })] }).check().findings).toEqual([]);
  });
});

describe('daemonSetOverhead is checked', () => {
  test.each([
    ['not an object', 5, /daemonSetOverhead/],
    ['cpu not a Cpu', { cpu: 2 }, /daemonSetOverhead\.cpu/],
    ['memory not a Size', { memory: 512 }, /daemonSetOverhead\.memory/],
    ['gpus not whole', { gpus: 0.5 }, /daemonSetOverhead\.gpus/],
    ['gpus negative', { gpus: -1 }, /daemonSetOverhead\.gpus/],
    ['gpus above 64', { gpus: 65 }, /daemonSetOverhead\.gpus/],
  ])('%s', (_what, value, error) => {
    const { app } = newApp();
    expect(() => guard(app, { daemonSetOverhead: value as any })).toThrow(error);
  });
});
