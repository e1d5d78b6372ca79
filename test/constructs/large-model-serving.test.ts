import {
  GpuProduct, LargeModelServing, LargeModelServingProps, ModelArchitecture, ModelPrecision, ModelSizer, ModelWeights, ScalingEngine, ScalingMetric,
  VpaUpdateMode,
} from '../../src';
import { maxLeaderWorkerSetNameLength } from '../../src/common/leader-worker-set';
import { expectConformant } from '../conformance';
import { allOfKind, newChart, ofKind } from '../util';

const props = (overrides: Partial<LargeModelServingProps> = {}): LargeModelServingProps => ({
  name: 'llama',
  image: 'vllm/vllm-openai:v0.12.0',
  model: ModelArchitecture.LLAMA_3_1_70B,
  modelId: 'meta-llama/Llama-3.1-70B-Instruct',
  gpuProduct: GpuProduct.H100,
  maxReplicas: 4,
  ...overrides,
});

function synth(overrides: Partial<LargeModelServingProps> = {}) {
  const chart = newChart({ namespace: 'serving' });
  const serving = new LargeModelServing(chart, 'llama', props(overrides));
  return { serving, manifests: expectConformant(chart) };
}

describe('LargeModelServing', () => {
  test('sizes the replicas from the model and scales them both ways', () => {
    const { serving, manifests } = synth();
    const expected = ModelSizer.size({ model: ModelArchitecture.LLAMA_3_1_70B, gpuProduct: GpuProduct.H100 });
    expect(serving.sizing).toEqual(expected);
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.resources.limits['nvidia.com/gpu']).toBe(String(expected.gpusPerReplica));
    expect(container.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', String(expected.gpusPerReplica), '--max-model-len', '8192', '--max-num-seqs', '16']));
    expect(allOfKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(1);
    expect(allOfKind(manifests, 'VerticalPodAutoscaler')).toHaveLength(1);
  });

  test('the VPA applies only at pod creation and never goes below what loading the weights needs', () => {
    const { serving, manifests } = synth();
    const vpa = ofKind(manifests, 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy.updateMode).toBe('Initial');
    const policy = vpa.spec.resourcePolicy.containerPolicies[0];
    expect(policy.controlledResources).toEqual(['cpu', 'memory']);
    const minMemoryGib = parseInt(policy.minAllowed.memory, 10) / 1024;
    expect(minMemoryGib).toBeGreaterThanOrEqual(serving.sizing.hostMemory.toGibibytes());
    expect(policy.maxAllowed).toBeDefined();
  });

  test('scales replicas on vLLM load, never on the CPU or memory the VPA controls', () => {
    const hpa = ofKind(synth().manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m: any) => m.pods.metric.name)).toEqual(['scaling_queue_length', 'scaling_kv_cache_usage']);
  });

  test('8-bit weights ask vLLM for fp8 quantization and fewer GPUs', () => {
    const fp16 = synth().serving.sizing.gpusPerReplica;
    const { serving, manifests } = synth({ precision: ModelPrecision.FP8 });
    expect(serving.sizing.gpusPerReplica).toBeLessThanOrEqual(fp16);
    expect(ofKind(manifests, 'Deployment').spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--quantization', 'fp8']));
  });

  test('fails with the numbers when the model does not fit one node and maxNodesPerReplica is 1', () => {
    const chart = newChart();
    const sizing = ModelSizer.size({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G });
    expect(sizing.fits).toBe(false);
    expect(() => new LargeModelServing(chart, 'huge', props({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G, maxNodesPerReplica: 1 }))).toThrow(
      `[test/huge] 'model' ("${ModelArchitecture.LLAMA_3_1_405B.name}") does not fit one node: ${sizing.reason}: change the GPU, precision, contextLength or ` +
      'concurrency, or raise maxNodesPerReplica');
  });

  test('fails with the numbers when the model does not fit maxNodesPerReplica nodes (4 by default)', () => {
    const chart = newChart();
    // 405B bf16 needs 5 nodes of 8 x A10G.
    const sizing = ModelSizer.size({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G, maxNodesPerReplica: 4 });
    expect(() => new LargeModelServing(chart, 'huge', props({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G }))).toThrow(
      `[test/huge] 'model' ("${ModelArchitecture.LLAMA_3_1_405B.name}") does not fit 4 nodes (maxNodesPerReplica): ${sizing.reason}: change the GPU, ` +
      'precision, contextLength or concurrency, or raise maxNodesPerReplica');
  });

  test('fails when asked to scale replicas on CPU, which the VPA controls', () => {
    expect(() => synth({ metrics: [ScalingMetric.cpuUtilization(70)] })).toThrow(
      "[test/llama] 'metrics[0]' (\"CPU utilization (%)\") scales on CPU or memory utilization, whose requests the VPA of this construct controls: " +
      "each VPA change would move the HPA's metric: scale on a load metric such as ScalingMetric.waitingRequests(5) or ScalingMetric.kvCacheUsage(80), " +
      'or set updateMode: VpaUpdateMode.OFF for recommendations only');
  });

  test('a VPA in Off mode may coexist with CPU scaling', () => {
    expect(() => synth({ metrics: [ScalingMetric.cpuUtilization(70)], updateMode: VpaUpdateMode.OFF })).not.toThrow();
  });

  test('on one node: the Deployment is the workload, and the serving labels are its selector', () => {
    const { serving, manifests } = synth({ queueName: 'inference' });
    const deployment = ofKind(manifests, 'Deployment');
    expect(serving.workload).toBe(serving.deployment);
    expect(serving.leaderWorkerSet).toBeUndefined();
    expect(serving.servingPodLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(ofKind(manifests, 'Service').spec.selector).toEqual(serving.servingPodLabels);
    expect(deployment.metadata.labels).toEqual(expect.objectContaining({ 'kueue.x-k8s.io/queue-name': 'inference' }));
    expect(serving.verticalAutoscaler).toBeDefined();
  });

  test('exposes the footprint of its replicas', () => {
    const { serving } = synth();
    expect(serving.footprint.requests.gpus).toBe(serving.sizing.gpusPerReplica);
    expect(serving.footprint.maxReplicas).toBe(4);
  });
});

describe('LargeModelServing across nodes (LeaderWorkerSet)', () => {
  const big = (overrides: Partial<LargeModelServingProps> = {}) => synth({
    name: 'llama-405b', model: ModelArchitecture.LLAMA_3_1_405B, modelId: 'meta-llama/Llama-3.1-405B-Instruct', ...overrides,
  });

  test('405B bf16 on 8 x H100 nodes: groups of 2 pods, tensor parallel 8, pipeline parallel 2, on Ray', () => {
    const { serving, manifests } = big();
    expect([serving.sizing.nodesPerReplica, serving.sizing.tensorParallelSize, serving.sizing.pipelineParallelSize]).toEqual([2, 8, 2]);
    expect(allOfKind(manifests, 'Deployment')).toHaveLength(0);
    expect(allOfKind(manifests, 'VerticalPodAutoscaler')).toHaveLength(0);
    expect(serving.verticalAutoscaler).toBeUndefined();
    expect(serving.deployment).toBeUndefined();
    const lws = ofKind(manifests, 'LeaderWorkerSet');
    expect(serving.leaderWorkerSet?.name).toBe('llama-405b-lws');
    expect(serving.workload).toBe(serving.leaderWorkerSet);
    expect(lws.spec.replicas).toBeUndefined();
    const t = lws.spec.leaderWorkerTemplate;
    expect([t.size, t.restartPolicy, lws.spec.startupPolicy]).toEqual([2, 'RecreateGroupOnPodRestart', 'LeaderCreated']);
    expect(lws.spec.rolloutStrategy).toEqual({ type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 0 } });
    const leader = t.leaderTemplate.spec.containers[0];
    expect(leader.command).toEqual(['/bin/sh', '-c', 'ray start --head --port=6379 --disable-usage-stats && exec vllm serve "$@"', 'vllm']);
    expect(leader.args.slice(0, 5)).toEqual(['meta-llama/Llama-3.1-405B-Instruct', '--tensor-parallel-size', '8', '--pipeline-parallel-size', '2']);
    expect(leader.args.slice(-2)).toEqual(['--distributed-executor-backend', 'ray']);
    const worker = t.workerTemplate.spec.containers[0];
    expect(worker.command).toEqual(['/bin/sh', '-c',
      'until ray start --address="$LWS_LEADER_ADDRESS:6379" --block --disable-usage-stats; do sleep 5; done']);
    // Probes on the leader only; both pods get 8 GPUs, the sized host memory plus /dev/shm, and a memory-backed /dev/shm.
    expect([leader.startupProbe, leader.readinessProbe, leader.livenessProbe].every(p => p?.httpGet?.path === '/health')).toBe(true);
    expect([worker.startupProbe, worker.readinessProbe, worker.livenessProbe]).toEqual([undefined, undefined, undefined]);
    for (const [pod, c] of [[t.leaderTemplate.spec, leader], [t.workerTemplate.spec, worker]]) {
      expect(c.resources.limits).toEqual({ 'cpu': '32', 'memory': `${serving.sizing.hostMemory.toGibibytes() + 16}Gi`, 'nvidia.com/gpu': '8' });
      expect(pod.volumes.find((v: any) => v.name === 'dshm').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '16Gi' });
    }
  });

  test('the serving labels, the Service and the metrics select the leaders only; the PDB every pod of the set', () => {
    const { serving, manifests } = big();
    const lws = ofKind(manifests, 'LeaderWorkerSet');
    const leaderLabels = lws.spec.leaderWorkerTemplate.leaderTemplate.metadata.labels;
    const workerLabels = lws.spec.leaderWorkerTemplate.workerTemplate.metadata.labels;
    expect(serving.servingPodLabels).toEqual(leaderLabels);
    expect(Object.entries(serving.servingPodLabels).every(([k, v]) => workerLabels[k] === v)).toBe(false);
    expect(serving.servingPort).toBe(8000);
    expect(ofKind(manifests, 'Service').spec.selector).toEqual(serving.servingPodLabels);
    expect(serving.service.name).toBe('llama-405b');
    const hpa = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama-405b-lws' });
    expect(hpa.spec.metrics.map((m: any) => m.pods.metric.name)).toEqual(['scaling_queue_length', 'scaling_kv_cache_usage']);
    // Prometheus scrapes through the Service, whose endpoints are the leaders: only they export vLLM's metrics.
    expect(ofKind(manifests, 'ServiceMonitor').spec.selector.matchLabels).toEqual(ofKind(manifests, 'Service').metadata.labels);
    expect(ofKind(manifests, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'leaderworkerset.sigs.k8s.io/name': 'llama-405b-lws' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(serving.podDisruptionBudget.kind).toBe('PodDisruptionBudget');
  });

  test('a KEDA engine scales the LeaderWorkerSet on the same metrics', () => {
    const { manifests } = big({ engine: ScalingEngine.keda() });
    const so = ofKind(manifests, 'ScaledObject');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama-405b-lws' });
    expect(so.spec.triggers.map((t: any) => t.type)).toEqual(['prometheus', 'prometheus']);
  });

  test('footprint per group: groupSize pods of the sized requests, groups as replicas', () => {
    const { serving } = big();
    expect(serving.footprint).toMatchObject({
      target: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama-405b-lws' },
      groupSize: 2,
      minReplicas: 2,
      maxReplicas: 4,
      scalingOwner: { kind: 'HorizontalPodAutoscaler', name: 'llama-405b' },
    });
    expect(serving.footprint.requests.gpus).toBe(8);
  });

  test('queueName, the exclusive topology and a NetworkPolicy that keeps Ray within the set', () => {
    const { serving, manifests } = big({ queueName: 'inference', exclusiveTopologyKey: 'topology.k8s.aws/network-node-layer-3' });
    const lws = ofKind(manifests, 'LeaderWorkerSet');
    expect(lws.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'inference' });
    expect(lws.metadata.annotations).toEqual({ 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'topology.k8s.aws/network-node-layer-3' });
    const np = ofKind(manifests, 'NetworkPolicy');
    expect(serving.networkPolicy?.name).toBe(np.metadata.name);
    expect(np.spec.ingress).toEqual([{ from: [{ podSelector: np.spec.podSelector }] }, { ports: [{ port: 8000, protocol: 'TCP' }] }]);
  });

  test('fails when the name makes the LeaderWorkerSet\'s pod names too long', () => {
    // 4 groups of 2: '<name>-lws-<group>' at most 52 characters, so '<name>-lws' at most 50 and the name at most 46.
    expect(() => big({ name: 'a'.repeat(46) })).not.toThrow();
    expect(() => big({ name: 'a'.repeat(47) })).toThrow(`[test/llama] 'name' ("${'a'.repeat(47)}") makes the LeaderWorkerSet name '${'a'.repeat(47)}-lws' ` +
      '(51 characters), longer than the 50 its pods\' names allow at maxReplicas 4 and 2 nodes per replica: the worker StatefulSets are ' +
      '\'<name>-lws-<group>\' (at most 52 characters, for the controller-revision-hash label) and the worker pods \'<name>-lws-<group>-<worker>\' ' +
      '(at most 63): shorten name to at most 46 characters');
  });

  test('fails when a VPA setting is given for a replica across nodes', () => {
    expect(() => big({ updateMode: VpaUpdateMode.INITIAL })).toThrow("[test/llama] 'updateMode' (\"Initial\") configures the VPA, and a replica across 2 " +
      'nodes gets none: the VPA finds a LeaderWorkerSet\'s pods through its /scale selector, the leaders only, and would size the workers from them: ' +
      'leave it out: each pod gets the sized CPU and memory (sizing.vcpus, sizing.hostMemory)');
  });

  test('may scale on CPU: a replica across nodes has no VPA to fight', () => {
    const hpa = ofKind(big({ metrics: [ScalingMetric.waitingRequests(5), ScalingMetric.cpuUtilization(70)] }).manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m: any) => m.type)).toEqual(['Pods', 'Resource']);
  });

  test('fails when modelWeights is given for a replica across nodes', () => {
    expect(() => big({ modelWeights: ModelWeights.fromVolume({ claimName: 'llama-405b-weights' }) })).toThrow("[test/llama] 'modelWeights' (\"volume\") " +
      'applies to a replica on one node, and this one spans 2 nodes, whose pods each load their pipeline stage from modelId (the Hugging Face Hub) ' +
      'into their own model cache: leave it out, or serve the model on one node');
  });

  test('fails when exclusiveTopologyKey is given to a replica on one node', () => {
    expect(() => synth({ exclusiveTopologyKey: 'topology.kubernetes.io/zone' })).toThrow("[test/llama] 'exclusiveTopologyKey' (\"topology.kubernetes.io/zone\") " +
      'only applies to a replica across nodes, and this one fits one node: leave it out');
  });

  test('maxLeaderWorkerSetNameLength: the worker StatefulSet (52) or the worker pod (63) bounds it', () => {
    expect(maxLeaderWorkerSetNameLength(4, 2)).toBe(50);
    // 100 groups (index 99): 52 - 1 - 2 = 49; 11 workers (index 10): 63 - 2 - 2 - 2 = 57.
    expect(maxLeaderWorkerSetNameLength(100, 11)).toBe(49);
  });
});
