import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, guard, messages, newApp } from './util';
import { GpuProduct, GpuRequest, GuardrailRule, RayServeInference, RayServeInferenceProps, RayServeUpgrade, ScalingGuardrails } from '../../src';

const FIX = 'raise the pool\'s limits (and its declaration), lower the maxReplicas of the workloads charged to it, or give them ' +
  'another pool they can run on';

/** Llama 3.1 8B, one A10G per replica, 1 to 4 replicas: 1 to 4 one-GPU workers. */
function llama(overrides: Partial<RayServeInferenceProps> = {}): RayServeInferenceProps {
  return {
    name: 'llama',
    image: 'rayproject/ray-llm:2.52.0-py311-cu128',
    application: { importPath: 'vllm_serve:deployment', deploymentName: 'VLLMDeployment', model: 'meta-llama/Llama-3.1-8B-Instruct' },
    autoscaling: { minReplicas: 1, maxReplicas: 4, targetOngoingRequests: 32 },
    workers: { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), cpu: kplus.Cpu.units(8), memory: Size.gibibytes(28) },
    ...overrides,
  };
}

function withSystemHead(serve: RayServeInference): RayServeInference {
  ScalingGuardrails.suppress(serve, GuardrailRule.CPU_PLACEMENT, 'the Ray head runs on the system node group');
  return serve;
}

describe('guardrails on a RayServeInference', () => {
  test('counts the worker group at its maximum plus the NewCluster upgrade\'s second cluster at its minimum', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama()));
    // 4 workers at the maximum + 1 (the new cluster's minimum during an upgrade) = 5 GPUs.
    const report = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 5 } })] }).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.workloads])).toEqual([['a10g', 5, ['apps/llama[gpu] (5 pods)']]]);
    expect(report.outsidePools).toEqual(['apps/llama[head]']);
  });

  test('a pool one GPU short is a finding that names the replicas and the surge', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama()));
    const g = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 4 } })] });
    expect(messages(g, GuardrailRule.POOL_CAPACITY)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'a10g', with every workload at its maximum, needs 5 GPUs against a limit of 4 GPUs (over by 1 GPU); " +
      `charged to it: apps/llama[gpu] 5 pods (1 beyond every pool it fits; of its 4 replicas + 1 surge): ${FIX}`,
    ]);
  });

  test('two replicas per 2-GPU worker halve the workers; an incremental upgrade surges by maxSurgePercent of the replicas', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama({
      autoscaling: { minReplicas: 2, maxReplicas: 8 },
      workers: { gpu: GpuRequest.of(2, { gpuProduct: GpuProduct.A10G }), cpu: kplus.Cpu.units(16), memory: Size.gibibytes(56) },
      upgrade: RayServeUpgrade.incremental({ gatewayClassName: 'istio', stepSizePercent: 25, interval: Duration.seconds(60), maxSurgePercent: 50 }),
    })));
    // 8 replicas / 2 per worker = 4 workers; surge: 50% of 8 = 4 replicas = 2 workers; 6 workers x 2 GPUs = 12 GPUs.
    const report = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 12 } })] }).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools.map(p => [p.demand.gpus, p.workloads])).toEqual([[12, ['apps/llama[gpu] (6 pods)']]]);
  });

  test('workers that select a GPU no pool offers are a gpu-placement finding', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama({
      workers: { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }), cpu: kplus.Cpu.units(8), memory: Size.gibibytes(28) },
    })));
    const found = messages(guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 8 } })] }), GuardrailRule.GPU_PLACEMENT);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('apps/llama');
  });

  test('one-horizontal-owner: an HPA on a RayService is a finding (Ray scales it, and the CRD has no /scale)', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama()));
    new ApiObject(chart, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'llama' },
      spec: { scaleTargetRef: { apiVersion: 'ray.io/v1', kind: 'RayService', name: 'llama' }, minReplicas: 1, maxReplicas: 4 },
    });
    expect(messages(guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 8 } })] }), GuardrailRule.ONE_HORIZONTAL_OWNER)).toEqual([
      "[apps/hpa] one-horizontal-owner: HorizontalPodAutoscaler 'llama' scales RayService 'llama', which Ray's autoscaler already scales " +
      "(Serve's replicas and the worker groups' replicas, through enableInTreeAutoscaling); KubeRay's CRD has no /scale subresource, so the " +
      "autoscaler fails, and a patched replica count fights Ray's: remove it and set the bounds on the Ray object",
    ]);
  });

  test('ray-exposure: the RayService head is ClusterIP; a LoadBalancer on its head pods is a finding', () => {
    const { app, chart } = newApp();
    withSystemHead(new RayServeInference(chart, 'llama', llama()));
    const g = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 8 } })] });
    expect(messages(g, GuardrailRule.RAY_EXPOSURE)).toEqual([]);
    new ApiObject(chart, 'lb', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'llama-dashboard' },
      // KubeRay names the RayService's cluster `llama-<random>`: the head is found by its other labels.
      spec: { type: 'LoadBalancer', selector: { 'app.kubernetes.io/instance': 'llama', 'ray.io/node-type': 'head' }, ports: [{ port: 80, targetPort: 8000 }] },
    });
    expect(messages(g, GuardrailRule.RAY_EXPOSURE)).toEqual([
      "[apps/lb] ray-exposure: Service 'llama-dashboard' is LoadBalancer and picks the pods of RayService 'llama': keep the head Service ClusterIP " +
      'and reach the dashboard with kubectl port-forward, or put an authenticating proxy in front of it and record that with ' +
      'ScalingGuardrails.suppress(construct, GuardrailRule.RAY_EXPOSURE, reason)',
    ]);
  });

  test('a hand-written RayService counts its head (with KubeRay\'s default autoscaler sidecar) and each worker group at its maximum', () => {
    const { app, chart } = newApp();
    const container = (cpu: string, memory: string, gpus?: string) => ({
      name: 'ray',
      image: 'rayproject/ray:2.52.0-gpu',
      resources: { limits: { cpu, memory, ...(gpus ? { 'nvidia.com/gpu': gpus } : {}) } },
    });
    const rs = new ApiObject(chart, 'serve', {
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      metadata: { name: 'serve' },
      spec: {
        upgradeStrategy: { type: 'NewClusterWithIncrementalUpgrade', clusterUpgradeOptions: { maxSurgePercent: 50, stepSizePercent: 10, intervalSeconds: 30, gatewayClassName: 'istio' } },
        rayClusterConfig: {
          enableInTreeAutoscaling: true,
          headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [container('2', '8Gi')] } } },
          workerGroupSpecs: [{
            groupName: 'gpu',
            minReplicas: 1,
            maxReplicas: 4,
            numOfHosts: 2,
            rayStartParams: {},
            template: {
              spec: {
                containers: [container('8', '32Gi', '1')],
                tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
                nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a10g' },
              },
            },
          }],
        },
      },
    });
    ScalingGuardrails.suppress(rs, GuardrailRule.CPU_PLACEMENT, 'the Ray head runs on the system node group');
    // 4 replicas x 2 hosts = 8 pods, and the incremental surge: 50% of 4 = 2 replicas x 2 hosts = 4 pods: 12 GPUs.
    const report = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 11 } })] }).check();
    expect(report.findings.map(f => f.message)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'a10g', with every workload at its maximum, needs 12 GPUs against a limit of 11 GPUs (over by 1 GPU); " +
      `charged to it: apps/serve[gpu] 12 pods (1 beyond every pool it fits; of its 8 replicas + 4 surge): ${FIX}`,
    ]);
    expect(report.outsidePools).toEqual(['apps/serve[head]']);
  });
});
