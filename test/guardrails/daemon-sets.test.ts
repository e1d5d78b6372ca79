import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { G5, GPU_TAINT, guard, messages, newApp, poolProps } from './util';
import { CostAwareNodePool, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, ScalingGuardrails, ScalingMetric } from '../../src';
import { effectiveRequests } from '../../src/guardrails/engine/daemon-sets';

const FIX = 'add a node pool that offers these GPUs and whose taints the pods tolerate (e.g. a CostAwareNodePool with such instance types), ' +
  'make the workload select a GPU that a pool offers, or declare the pool that will host it in the ScalingGuardrails \'nodePools\'';

/** A model server of one A10G, 15 vCPU and 56 GiB: fits a g5.4xlarge's allocatable (15.89 vCPU, 56.34 GiB) with 0.89 vCPU to spare. */
function server(chart: Chart, id: string): InferenceAutoscaler {
  return new InferenceAutoscaler(chart, id, {
    name: id,
    modelServer: {
      image: 'vllm/vllm-openai:v0.12.0',
      cpu: kplus.Cpu.units(15),
      memory: Size.gibibytes(56),
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    },
    maxReplicas: 2,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
  });
}

/** A hand-written DaemonSet of one container with these requests (and these pod spec fields). */
function daemonSet(chart: Chart, name: string, cpu: string, memory: string, pod: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: `example/${name}:1.0.0`, resources: { requests: { cpu, memory } } }], ...pod },
      },
    },
  });
}

function app(build: (monitoring: Chart) => void, props = {}): ScalingGuardrails {
  const { app: a, chart } = newApp();
  server(chart, 'big');
  new CostAwareNodePool(new Chart(a, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
  build(new Chart(a, 'monitoring'));
  return guard(a, props);
}

describe('DaemonSets of the app come off the nodes they run on', () => {
  test('trips: a DaemonSet that tolerates the GPU taint takes 1 vCPU from every g5.4xlarge, and is named', () => {
    const g = app(m => daemonSet(m, 'dcgm-exporter', '1', '512Mi', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }));
    expect(messages(g, GuardrailRule.GPU_PLACEMENT)).toEqual([
      "[apps/big] gpu-placement: Deployment 'big' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) fits no GPU " +
      "node pool: on 'a10g' (capacity/a10g), no instance type it may launch fits one pod (1 GPU, 15 vCPU, 56 GiB) in what a node offers " +
      'pods, its allocatable as Karpenter computes it (after the VM overhead, kube-reserved and the eviction threshold) less the DaemonSets\' ' +
      "1 vCPU, 0.5 GiB (DaemonSet 'dcgm-exporter' (monitoring/dcgm-exporter) 1 vCPU, 0.5 GiB): g5.4xlarge 1 GPU, 14.89 vCPU, 55.84 GiB " +
      `(of 1 GPU, 16 vCPU, 64 GiB): ${FIX}`,
    ]);
  });

  test('passes: the same DaemonSet without the toleration never runs on the tainted GPU pool', () => {
    expect(app(m => daemonSet(m, 'dcgm-exporter', '1', '512Mi')).check().findings).toEqual([]);
  });

  test('passes: a nodeSelector or required node affinity the pool cannot satisfy keeps it off the pool', () => {
    const tolerateAll = { tolerations: [{ operator: 'Exists' }] };
    expect(app(m => daemonSet(m, 'cpu-agent', '1', '512Mi', { ...tolerateAll, nodeSelector: { 'karpenter.k8s.aws/instance-gpu-count': '0' } }))
      .check().findings).toEqual([]);
    const affinity = (values: string[]) => ({
      ...tolerateAll,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'In', values }] }],
          },
        },
      },
    });
    expect(app(m => daemonSet(m, 'other-pool-agent', '1', '512Mi', affinity(['system']))).check().findings).toEqual([]);
    // The same affinity naming this pool puts it on the pool's nodes.
    expect(messages(app(m => daemonSet(m, 'pool-agent', '1', '512Mi', affinity(['a10g']))), GuardrailRule.GPU_PLACEMENT)).toHaveLength(1);
  });

  test('adds to daemonSetOverhead, which stays for DaemonSets outside the app', () => {
    const tolerate = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] };
    // 0.5 + 0.5 vCPU = 1 vCPU > 0.89 spare.
    const g = app(m => daemonSet(m, 'agent', '500m', '128Mi', tolerate), { daemonSetOverhead: { cpu: kplus.Cpu.millis(500) } });
    expect(messages(g, GuardrailRule.GPU_PLACEMENT)[0]).toContain(
      "less the DaemonSets' 1 vCPU, 0.13 GiB (daemonSetOverhead 0.5 vCPU, 0 GiB, DaemonSet 'agent' (monitoring/agent) 0.5 vCPU, 0.13 GiB)");
    expect(app(m => daemonSet(m, 'agent', '300m', '128Mi', tolerate), { daemonSetOverhead: { cpu: kplus.Cpu.millis(500) } }).check().findings).toEqual([]);
  });

  test('per pool: a DaemonSet on one pool leaves the other pool\'s nodes whole', () => {
    const { app: a, chart } = newApp();
    server(chart, 'big');
    new CostAwareNodePool(new Chart(a, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
    new CostAwareNodePool(new Chart(a, 'capacity2'), 'a10g-b', poolProps('a10g-b', [G5.x4large]));
    daemonSet(new Chart(a, 'monitoring'), 'agent', '1', '512Mi', {
      tolerations: [GPU_TAINT].map(t => ({ ...t, operator: 'Exists' })),
      nodeSelector: { 'karpenter.sh/nodepool': 'a10g' },
    });
    const report = guard(a).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools.filter(p => p.workloads.length > 0).map(p => [p.name, p.workloads])).toEqual([['a10g-b', ['apps/big (3 pods)']]]);
  });

  test('a cdk8s-plus DaemonSet counts too (requests defaulted to limits)', () => {
    const g = app(m => {
      const ds = new kplus.DaemonSet(m, 'plus-agent', { metadata: { name: 'plus-agent' } });
      ds.addContainer({
        image: 'example/agent:1.0.0',
        resources: { cpu: { limit: kplus.Cpu.units(1) }, memory: { limit: Size.mebibytes(256) } },
      });
      ds.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('nvidia.com/gpu')));
    });
    expect(messages(g, GuardrailRule.GPU_PLACEMENT)[0]).toContain("DaemonSet 'plus-agent' (monitoring/plus-agent) 1 vCPU, 0.25 GiB");
  });
});

describe('the effective request of a pod (Kubernetes PodRequests)', () => {
  const c = (cpu: string, memory: string, restartPolicy?: string) =>
    ({ resources: { requests: { cpu, memory } }, ...(restartPolicy ? { restartPolicy } : {}) });
  test('max of the init containers against the sum of the containers', () => {
    expect(effectiveRequests({ containers: [c('100m', '64Mi'), c('100m', '64Mi')], initContainers: [c('1', '32Mi')] }))
      .toEqual({ cpuMillis: 1000, memoryMib: 128, gpus: 0 });
  });
  test('sidecar init containers add to the containers and to later init containers', () => {
    expect(effectiveRequests({ containers: [c('100m', '64Mi')], initContainers: [c('200m', '16Mi', 'Always'), c('1', '32Mi')] }))
      .toEqual({ cpuMillis: 1200, memoryMib: 80, gpus: 0 });
  });
  test('limits stand for missing requests', () => {
    expect(effectiveRequests({ containers: [{ resources: { limits: { 'cpu': '2', 'memory': '1Gi', 'nvidia.com/gpu': 1 } } }] }))
      .toEqual({ cpuMillis: 2000, memoryMib: 1024, gpus: 1 });
  });
});
