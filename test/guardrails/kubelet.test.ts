import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, G5, guard, messages, newApp, NODE_CLASS, poolProps } from './util';
import { CostAwareNodePool, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, NodeKubeletSettings, ScalingMetric } from '../../src';
import { kubeletAmountsOf } from '../../src/common/kubelet';
import { allocatableOf, allocatableWithKubelet } from '../../src/guardrails/engine/allocatable';
import { expectConformant } from '../conformance';

const G5_4XL = { cpuMillis: 16000, memoryMib: 65536, gpus: 1 };
const with_ = (k: NodeKubeletSettings, bottlerocket = false) => allocatableWithKubelet(G5_4XL, 'g5.4xlarge', kubeletAmountsOf(k), bottlerocket);

/** A model server of one A10G, 15 vCPU and 56 GiB: fits a g5.4xlarge's default allocatable (15.89 vCPU, 56.34 GiB). */
function server(chart: Chart): InferenceAutoscaler {
  return new InferenceAutoscaler(chart, 'big', {
    name: 'big',
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(15), memory: Size.gibibytes(56), gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
    maxReplicas: 2,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
  });
}

describe('allocatable with an EC2NodeClass\'s kubelet settings (types.go v1.14.1, NewInstanceType)', () => {
  // g5.4xlarge: 65,536 MiB - ceil(4,915.2) VM overhead = 60,620 MiB; kube-reserved 11 x 234 + 255 = 2,829 MiB, 110 millicores.
  test('no settings: the defaults (57,691 MiB, 15,890 millicores)', () => {
    expect(with_({})).toEqual(allocatableOf(G5_4XL, 234));
    expect(with_({})).toEqual({ cpuMillis: 15890, memoryMib: 57691, gpus: 1 });
  });

  test('systemReserved comes off on top: 1 GiB and 500m leave 56,667 MiB and 15,390 millicores', () => {
    expect(with_({ systemReservedMemory: Size.gibibytes(1), systemReservedCpu: kplus.Cpu.millis(500) }))
      .toEqual({ cpuMillis: 15390, memoryMib: 56667, gpus: 1 });
  });

  test('kubeReserved replaces Karpenter\'s figure: 1 GiB and 200m leave 60,620 - 1,024 - 100 = 59,496 MiB and 15,800 millicores', () => {
    expect(with_({ kubeReservedMemory: Size.gibibytes(1), kubeReservedCpu: kplus.Cpu.millis(200) }))
      .toEqual({ cpuMillis: 15800, memoryMib: 59496, gpus: 1 });
  });

  test('evictionHard memory.available: 5% of the memory after the VM overhead (3,031 MiB), an amount, or 100% for none', () => {
    expect(with_({ evictionHardMemoryAvailablePercent: 5 }).memoryMib).toBe(60620 - 2829 - 3031);
    expect(with_({ evictionHardMemoryAvailable: Size.mebibytes(500) }).memoryMib).toBe(60620 - 2829 - 500);
    expect(with_({ evictionHardMemoryAvailablePercent: 100 }).memoryMib).toBe(60620 - 2829);
  });

  test('maxPods sets kube-reserved memory on Bottlerocket only (AL2023 counts the ENI-limited pods); podsPerCore changes no resource', () => {
    expect(with_({ maxPods: 110 }, true).memoryMib).toBe(60620 - (11 * 110 + 255) - 100);
    expect(with_({ maxPods: 110 }, false).memoryMib).toBe(57691);
    expect(with_({ podsPerCore: 2 }, false).memoryMib).toBe(57691);
  });
});

describe('pools use their EC2NodeClass\'s kubelet settings', () => {
  test('trips: a CostAwareNodePool reserving 1 GiB for the system leaves 55.34 GiB, below the pod\'s 56 GiB, and says why', () => {
    const { app, chart } = newApp();
    server(chart);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g',
      poolProps('a10g', [G5.x4large], { nodeClass: { ...NODE_CLASS, kubelet: { systemReservedMemory: Size.gibibytes(1) } } }));
    expect(messages(guard(app), GuardrailRule.GPU_PLACEMENT)).toEqual([expect.stringContaining(
      "on 'a10g' (capacity/a10g), no instance type it may launch fits one pod (1 GPU, 15 vCPU, 56 GiB) in what a node offers pods, its " +
      'allocatable as Karpenter computes it (after the VM overhead, kube-reserved, system-reserved and the eviction threshold of its ' +
      "EC2NodeClass's kubelet settings (systemReserved memory 1024Mi)): g5.4xlarge 1 GPU, 15.89 vCPU, 55.34 GiB (of 1 GPU, 16 vCPU, 64 GiB)")]);
  });

  test('passes: 256 MiB reserved and a 0.1% threshold (61 MiB) leave 57,474 MiB (56.13 GiB); and the EC2NodeClass carries the settings, valid against its schema', () => {
    const { app, chart } = newApp();
    server(chart);
    const capacity = new Chart(app, 'capacity');
    const kubelet = {
      systemReservedMemory: Size.mebibytes(256), kubeReservedCpu: kplus.Cpu.millis(100), evictionHardMemoryAvailablePercent: 0.1, maxPods: 110,
    };
    new CostAwareNodePool(capacity, 'a10g', poolProps('a10g', [G5.x4large], { nodeClass: { ...NODE_CLASS, kubelet } }));
    expect(guard(app).check().findings).toEqual([]);
    const nodeClass = Testing.synth(capacity).find(o => o.kind === 'EC2NodeClass');
    expect(nodeClass.spec.kubelet).toEqual({
      maxPods: 110, kubeReserved: { cpu: '100m' }, systemReserved: { memory: '256Mi' }, evictionHard: { 'memory.available': '0.1%' },
    });
    expectConformant(capacity);
  });

  test('a declared pool\'s kubelet settings count the same way', () => {
    const build = (kubelet?: NodeKubeletSettings) => {
      const { app, chart } = newApp();
      server(chart);
      return guard(app, { nodePools: [a10gPool('shared', { instanceTypes: [G5.x4large], kubelet })] });
    };
    expect(build().check().findings).toEqual([]);
    expect(messages(build({ systemReservedCpu: kplus.Cpu.units(1) }), GuardrailRule.GPU_PLACEMENT)).toEqual([expect.stringContaining(
      'kubelet settings (systemReserved cpu 1)): g5.4xlarge 1 GPU, 14.89 vCPU, 56.34 GiB')]);
  });
});

describe('kubelet settings are checked', () => {
  test.each([
    ['not an object', 5, /'nodeClass\.kubelet'/],
    ['an unknown field', { evictionSoft: {} }, /'nodeClass\.kubelet' \("evictionSoft"\) is not a kubelet setting the library writes/],
    ['cpu not a Cpu', { kubeReservedCpu: 1 }, /'nodeClass\.kubelet\.kubeReservedCpu'/],
    ['memory not a Size', { systemReservedMemory: 512 }, /'nodeClass\.kubelet\.systemReservedMemory'/],
    ['percent above 100', { evictionHardMemoryAvailablePercent: 101 }, /'nodeClass\.kubelet\.evictionHardMemoryAvailablePercent'/],
    ['percent with three decimals', { evictionHardMemoryAvailablePercent: 1.125 }, /has more than two decimals/],
    ['both thresholds', { evictionHardMemoryAvailablePercent: 5, evictionHardMemoryAvailable: Size.mebibytes(100) }, /are exclusive/],
    ['maxPods 0', { maxPods: 0 }, /'nodeClass\.kubelet\.maxPods'/],
    ['podsPerCore not whole', { podsPerCore: 1.5 }, /'nodeClass\.kubelet\.podsPerCore'/],
  ])('CostAwareNodePool: %s', (_what, kubelet, error) => {
    const { app } = newApp();
    expect(() => new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g',
      poolProps('a10g', [G5.x4large], { nodeClass: { ...NODE_CLASS, kubelet: kubelet as any } }))).toThrow(error);
  });

  test('ScalingGuardrails: a declared pool\'s kubelet', () => {
    const { app } = newApp();
    expect(() => guard(app, { nodePools: [a10gPool('shared', { kubelet: { maxPods: -1 } })] })).toThrow(/'nodePools\[0\]\.kubelet\.maxPods'/);
  });
});
