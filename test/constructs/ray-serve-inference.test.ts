import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  GpuProduct, GpuRequest, GpuWorkPriorities, RayServeInference, RayServeInferenceProps, RayServeUpgrade, RayUpscalingMode,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const IMAGE = 'rayproject/ray-llm:2.52.0-py311-cu128';
const base: RayServeInferenceProps = {
  name: 'llama',
  image: IMAGE,
  application: { importPath: 'vllm_serve:deployment', deploymentName: 'VLLMDeployment', model: 'meta-llama/Llama-3.1-8B-Instruct' },
  autoscaling: { minReplicas: 1, maxReplicas: 4, targetOngoingRequests: 32 },
  workers: { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), cpu: kplus.Cpu.units(14), memory: Size.gibibytes(56) },
};

function synth(overrides: Partial<RayServeInferenceProps> = {}) {
  const chart = newChart({ namespace: 'ml-llm' });
  const serve = new RayServeInference(chart, 'llama', { ...base, ...overrides });
  const manifests = expectConformant(chart);
  const rs = ofKind(manifests, 'RayService');
  return { chart, serve, manifests, rs, np: ofKind(manifests, 'NetworkPolicy'), config: parse(rs.spec.serveConfigV2) as any };
}

function build(overrides: Partial<RayServeInferenceProps>): () => void {
  return () => new RayServeInference(newChart(), 'llama', { ...base, ...overrides });
}

describe('RayServeInference', () => {
  test('synthesizes a RayService, the workers\' PodDisruptionBudget and the NetworkPolicy (snapshot)', () => {
    const { manifests } = synth();
    expect(manifests.map(m => m.kind)).toEqual(['RayService', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(manifests).toMatchSnapshot();
  });

  test('Serve autoscaling_config carries the replica bounds, target and delays', () => {
    const { config } = synth({ autoscaling: { ...base.autoscaling, upscaleDelay: Duration.seconds(15), downscaleDelay: Duration.minutes(5) } });
    const app = config.applications[0];
    expect(app.import_path).toBe('vllm_serve:deployment');
    expect(app.runtime_env.env_vars).toEqual({ MODEL_ID: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(app.deployments).toEqual([{
      name: 'VLLMDeployment',
      max_ongoing_requests: 64,
      autoscaling_config: {
        min_replicas: 1, max_replicas: 4, target_ongoing_requests: 32, upscale_delay_s: 15, downscale_delay_s: 300, look_back_period_s: 30,
      },
      ray_actor_options: { num_cpus: 1, num_gpus: 1 },
    }]);
    expect(config.http_options).toEqual({ host: '0.0.0.0', port: 8000 });
  });

  test('one GPU per replica on one-GPU workers: workers equal replicas, Ray autoscaler on', () => {
    const { rs, serve } = synth();
    const c = rs.spec.rayClusterConfig;
    expect(c.enableInTreeAutoscaling).toBe(true);
    expect(c.autoscalerOptions).toMatchObject({ version: 'v2', upscalingMode: 'Default', idleTimeoutSeconds: 60 });
    expect(c.workerGroupSpecs).toHaveLength(1);
    expect(c.workerGroupSpecs[0]).toMatchObject({ groupName: 'gpu', replicas: 1, minReplicas: 1, maxReplicas: 4 });
    expect(c.workerGroupSpecs[0].rayStartParams).toEqual({ 'num-cpus': '14', 'num-gpus': '1' });
    expect([serve.replicasPerWorker, serve.minWorkers, serve.maxWorkers]).toEqual([1, 1, 4]);
  });

  test.each([
    // worker GPUs, GPUs per replica, worker cores, CPUs per replica, min, max -> per worker, min workers, max workers
    [4, 1, 48, 1, 1, 10, 4, 1, 3],
    [4, 2, 48, 1, 0, 5, 2, 0, 3],
    [4, 3, 48, 1, 2, 5, 1, 2, 5],
    [8, 1, 6, 2, 1, 7, 3, 1, 3],
    [8, 4, 96, 0, 3, 3, 2, 2, 2],
  ])('%i GPU workers, %i GPU replicas, %i cores, %i CPU replicas, %i..%i replicas: %i per worker, %i..%i workers',
    (wg, rg, wc, rc, min, max, per, minW, maxW) => {
      const { rs, serve } = synth({
        application: { ...base.application, gpusPerReplica: rg, cpusPerReplica: rc },
        autoscaling: { minReplicas: min, maxReplicas: max },
        workers: { gpu: GpuRequest.of(wg), cpu: kplus.Cpu.units(wc), memory: Size.gibibytes(64) },
      });
      expect([serve.replicasPerWorker, serve.minWorkers, serve.maxWorkers]).toEqual([per, minW, maxW]);
      expect(rs.spec.rayClusterConfig.workerGroupSpecs[0]).toMatchObject({ minReplicas: minW, maxReplicas: maxW });
    });

  test('the dashboard binds to all interfaces for the operator, which the NetworkPolicy alone admits to 8265', () => {
    const { rs, np } = synth({ operatorNamespace: 'kuberay-system', clientNamespaces: ['gateway'] });
    expect(rs.spec.rayClusterConfig.headGroupSpec.rayStartParams).toEqual({ 'num-cpus': '0', 'dashboard-host': '0.0.0.0' });
    expect(rs.spec.rayClusterConfig.headGroupSpec.serviceType).toBe('ClusterIP');
    expect(rs.spec.excludeHeadPodFromServeSvc).toBe(true);
    const toPort = (port: number) => np.spec.ingress.filter((r: any) => (r.ports ?? []).some((p: any) => p.port === port));
    expect(toPort(8265).map((r: any) => r.from)).toEqual([[{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kuberay-system' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'kuberay-operator' } },
    }]]);
    expect(toPort(8000).map((r: any) => r.from)).toEqual([[{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }]]);
    expect(np.spec.ingress.filter((r: any) => r.ports === undefined)).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/component': 'ray-serve' } } }] },
    ]);
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/component': 'ray-serve' });
  });

  test('token auth on; the autoscaler alone gets the service account token', () => {
    const { rs } = synth();
    const c = rs.spec.rayClusterConfig;
    expect(c.authOptions).toEqual({ mode: 'token' });
    expect(c.headGroupSpec.template.spec.automountServiceAccountToken).toBe(false);
    const volume = c.headGroupSpec.template.spec.volumes.find((v: any) => v.projected);
    expect(volume.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(c.autoscalerOptions.volumeMounts).toEqual([{ name: volume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
    expect(c.headGroupSpec.template.spec.containers[0].volumeMounts.map((m: any) => m.name)).not.toContain(volume.name);
  });

  test('GPU placement: toleration, product selector, on-demand unless spot is allowed, extra selectors', () => {
    const w = synth({ workers: { ...base.workers, nodeSelector: { 'karpenter.sh/nodepool': 'gpu-a10g' } } }).rs.spec.rayClusterConfig.workerGroupSpecs[0].template.spec;
    expect(w.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(w.nodeSelector).toMatchObject({ 'karpenter.sh/capacity-type': 'on-demand', 'karpenter.sh/nodepool': 'gpu-a10g' });
    const spot = synth({ workers: { ...base.workers, allowSpot: true } }).rs.spec.rayClusterConfig.workerGroupSpecs[0].template.spec;
    expect(spot.nodeSelector['karpenter.sh/capacity-type']).toBeUndefined();
  });

  test('names: the RayService, and the Serve Service KubeRay creates for it; a generated name fits KubeRay\'s 47', () => {
    const { serve } = synth();
    expect([serve.rayServiceName, serve.serveServiceName]).toEqual(['llama', 'llama-serve-svc']);
    const chart = newChart();
    const long = new RayServeInference(chart, 'a-very-long-construct-id-that-goes-on-and-on-past-the-limit', { ...base, name: undefined });
    expect(long.rayServiceName.length).toBeLessThanOrEqual(47);
    expect(long.rayServiceName).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  test('the head and workers name the serve port; the head schedules no replica', () => {
    const { rs } = synth();
    const c = rs.spec.rayClusterConfig;
    expect(c.headGroupSpec.template.spec.containers[0].ports).toContainEqual({ name: 'serve', containerPort: 8000 });
    expect(c.workerGroupSpecs[0].template.spec.containers[0].ports).toContainEqual({ name: 'serve', containerPort: 8000 });
  });

  test('workers spread over zones and nodes per Ray cluster, and drain one at a time', () => {
    const { rs, manifests } = synth();
    const workerLabels = { 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/component': 'ray-serve', 'ray.io/node-type': 'worker' };
    const spread = rs.spec.rayClusterConfig.workerGroupSpecs[0].template.spec.topologySpreadConstraints;
    expect(spread.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.matchLabelKeys])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', ['ray.io/cluster']], ['kubernetes.io/hostname', 'ScheduleAnyway', ['ray.io/cluster']],
    ]);
    expect(spread[0].labelSelector).toEqual({ matchLabels: workerLabels });
    expect(ofKind(manifests, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: workerLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('upgrades: NewCluster by default, incremental with its options', () => {
    expect(synth().rs.spec.upgradeStrategy).toEqual({ type: 'NewCluster' });
    const { rs, serve } = synth({
      upgrade: RayServeUpgrade.incremental({ gatewayClassName: 'istio', stepSizePercent: 25, interval: Duration.seconds(30), maxSurgePercent: 50 }),
    });
    expect(rs.spec.upgradeStrategy).toEqual({
      type: 'NewClusterWithIncrementalUpgrade',
      clusterUpgradeOptions: { gatewayClassName: 'istio', stepSizePercent: 25, intervalSeconds: 30, maxSurgePercent: 50 },
    });
    // 50% of 4 replicas: 2 workers more during the upgrade.
    expect(serve.footprint.surgeReplicas).toBe(2);
  });

  test('footprints: the worker group at its bounds with the NewCluster surge, the head with the sidecar', () => {
    const { serve } = synth();
    expect(serve.footprint).toMatchObject({
      target: { kind: 'RayService', name: 'llama', namespace: 'ml-llm' },
      component: 'gpu',
      minReplicas: 1,
      maxReplicas: 4,
      surgeReplicas: 1,
      requests: { gpus: 1 },
      scalingOwner: { kind: 'RayService', name: 'llama' },
    });
    expect(serve.footprint.requests.cpu.amount).toBe('14');
    expect(serve.footprint.requests.memory.toMebibytes()).toBe(57344);
    expect(serve.headFootprint).toMatchObject({ component: 'head', minReplicas: 1, maxReplicas: 1, surgeReplicas: 1, requests: { gpus: 0 } });
    expect(serve.headFootprint.requests.memory.toMebibytes()).toBe(8192 + 512);
  });

  test('the real-time inference PriorityClass of the app', () => {
    const chart = newChart({ namespace: 'ml-llm' });
    const p = new GpuWorkPriorities(chart, 'priorities');
    new RayServeInference(chart, 'llama', { ...base, autoscaling: { ...base.autoscaling, upscalingMode: RayUpscalingMode.AGGRESSIVE } });
    const rs = ofKind(expectConformant(chart), 'RayService');
    expect(rs.spec.rayClusterConfig.workerGroupSpecs[0].template.spec.priorityClassName).toBe(p.realTimeInferenceClassName);
  });

  describe('errors', () => {
    test.each<[string, Partial<RayServeInferenceProps>, string]>([
      ['a name over 47 characters', { name: 'a'.repeat(48) }, "[test/llama] 'name'"],
      ['an unpinned image', { image: 'rayproject/ray-llm' }, "[test/llama] 'image' (\"rayproject/ray-llm\") is not pinned"],
      ['fewer worker GPUs than a replica needs', { application: { ...base.application, gpusPerReplica: 2 } },
        "[test/llama] 'workers.gpu' (\"1 GPU(s)\") is fewer than 'application.gpusPerReplica' (2): a Serve replica runs on one worker: give each worker at least 2 GPUs, or lower gpusPerReplica"],
      ['maxReplicas below minReplicas', { autoscaling: { minReplicas: 3, maxReplicas: 2 } },
        "[test/llama] 'autoscaling.maxReplicas' (2) is below 'minReplicas' (3): raise maxReplicas or lower minReplicas"],
      ['maxOngoingRequests below the target', { autoscaling: { minReplicas: 1, maxReplicas: 2, targetOngoingRequests: 8, maxOngoingRequests: 4 } },
        "[test/llama] 'autoscaling.maxOngoingRequests' (4) is below 'targetOngoingRequests' (8): replicas could never reach the target: raise maxOngoingRequests or lower targetOngoingRequests"],
      ['an import path that is not module:attribute', { application: { ...base.application, importPath: 'vllm_serve' } },
        "[test/llama] 'application.importPath' (\"vllm_serve\") is not `module:attribute`"],
      ['a step above the surge', { upgrade: RayServeUpgrade.incremental({ gatewayClassName: 'istio', stepSizePercent: 60, interval: Duration.seconds(30), maxSurgePercent: 50 }) },
        "[test/llama] 'upgrade.stepSizePercent' (60) is above 'maxSurgePercent' (50): KubeRay refuses it: move at most maxSurgePercent of the traffic per step"],
      ['a fractional interval', { upgrade: RayServeUpgrade.incremental({ gatewayClassName: 'istio', stepSizePercent: 10, interval: Duration.millis(1500) }) },
        "[test/llama] 'upgrade.interval'"],
      ['a shared GPU', { workers: { ...base.workers, gpu: GpuRequest.timeSliced() } }, "[test/llama] 'workers.gpu'"],
      ['a secret variable also in the application env', {
        application: { ...base.application, env: { HF_TOKEN: 'x' } }, secretEnv: { HF_TOKEN: { secretName: 'hf', key: 'token' } },
      }, "[test/llama] 'secretEnv' (\"HF_TOKEN\") is also a variable of 'application.env'"],
      ['a client namespace that is not a namespace name', { clientNamespaces: ['Gateway'] }, "[test/llama] 'clientNamespaces[0]' (\"Gateway\")"],
      ['the model variable in the application env', { application: { ...base.application, env: { MODEL_ID: 'x' } } }, "[test/llama] 'application.env'"],
    ])('fails on %s', (_name, overrides, message) => {
      expect(build(overrides)).toThrow(message);
    });
  });
});
