import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchInferenceJob, EdgeInference, ElasticRayTraining, GpuProduct, GpuRequest, HyperparameterSearch, InferenceAutoscaler, LargeModelServing,
  ModelArchitecture, QueueTrigger, ScalingMetric, TriggerCredentials, WorkloadFootprints,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

/** One of each construct that runs pods. */
function everyWorkload(chart: Chart) {
  const gpu = GpuRequest.of(1, { gpuProduct: GpuProduct.A10G });
  return {
    server: new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu }, maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(5)] }),
    edge: new EdgeInference(chart, 'edge', { name: 'edge', modelServer: { image: 'example/detector:3.2' } }),
    large: new LargeModelServing(chart, 'llama', {
      name: 'llama',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 2,
    }),
    batch: new BatchInferenceJob(chart, 'embed', { name: 'embed', image: 'example/embedder:1.4.0', gpu, parallelism: 2 }),
    queued: new BatchInferenceJob(chart, 'summarize', {
      name: 'summarize',
      image: 'example/summarizer:2.0.1',
      gpu,
      maxReplicaCount: 3,
      queue: QueueTrigger.sqs('https://sqs.us-west-2.amazonaws.com/123456789012/jobs', { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() }),
    }),
    training: new ElasticRayTraining(chart, 'train', {
      name: 'train', workerGroups: [{ name: 'gpu', minReplicas: 0, maxReplicas: 2, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpu }],
    }),
    search: new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2, gpus: 1 }, samples: 4, maxConcurrentTrials: 2 }),
  };
}

/** Every pod spec of the synthesized objects, by where it sits. */
function podSpecs(manifests: any[]): [string, any][] {
  const job = ofKind(manifests, 'Job');
  const scaledJob = ofKind(manifests, 'ScaledJob');
  const rayCluster = ofKind(manifests, 'RayCluster');
  const rayJob = ofKind(manifests, 'RayJob');
  return [
    ...manifests.filter(m => m.kind === 'Deployment').map(d => [`Deployment ${d.metadata.name}`, d.spec.template.spec] as [string, any]),
    ['Job', job.spec.template.spec],
    ['ScaledJob', scaledJob.spec.jobTargetRef.template.spec],
    ['RayCluster head', rayCluster.spec.headGroupSpec.template.spec],
    ['RayCluster worker', rayCluster.spec.workerGroupSpecs[0].template.spec],
    ['RayJob head', rayJob.spec.rayClusterSpec.headGroupSpec.template.spec],
    ['RayJob worker', rayJob.spec.rayClusterSpec.workerGroupSpecs[0].template.spec],
  ];
}

describe('the library\'s pods', () => {
  test('are built one way: restricted security, a memory-backed /dev/shm, requests equal to limits, GPUs with their toleration', () => {
    const chart = newChart();
    everyWorkload(chart);
    const specs = podSpecs(expectConformant(chart));
    expect(specs).toHaveLength(9);
    for (const [where, pod] of specs) {
      const container = pod.containers[0];
      expect([where, pod.automountServiceAccountToken]).toEqual([where, false]);
      expect([where, pod.securityContext]).toEqual([where, expect.objectContaining({
        runAsNonRoot: true,
        runAsUser: expect.any(Number),
        runAsGroup: expect.any(Number),
        fsGroup: pod.securityContext.runAsGroup,
        seccompProfile: { type: 'RuntimeDefault' },
      })]);
      expect([where, container.securityContext]).toEqual([where, expect.objectContaining({
        runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      })]);
      expect([where, container.resources.requests]).toEqual([where, container.resources.limits]);
      expect([where, pod.volumes[0]]).toEqual([where, { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: expect.any(String) } }]);
      expect([where, container.volumeMounts[0]]).toEqual([where, { name: 'dshm', mountPath: '/dev/shm' }]);
      if (container.resources.limits['nvidia.com/gpu'] !== undefined) {
        expect([where, pod.tolerations]).toEqual([where, [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]]);
      }
    }
  });

  test('footprints are recorded as the objects are built, never read back from them', () => {
    const chart = newChart();
    const toJson = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      everyWorkload(chart);
      const footprints = WorkloadFootprints.of(chart);
      expect(footprints.map(f => [f.target.kind, f.target.name, f.component ?? '']).sort()).toEqual([
        ['Deployment', 'chat', ''], ['Deployment', 'edge', ''], ['Deployment', 'llama', ''], ['Job', 'embed', ''],
        ['RayCluster', 'train', 'gpu'], ['RayCluster', 'train', 'head'], ['RayJob', 'tune', 'head'], ['RayJob', 'tune', 'trials'],
        ['ScaledJob', 'summarize', ''],
      ]);
      expect(toJson).not.toHaveBeenCalled();
    } finally {
      toJson.mockRestore();
    }
  });

  test('footprints agree with what is synthesized', () => {
    const chart = newChart();
    const w = everyWorkload(chart);
    const manifests = expectConformant(chart);
    const server = ofKind(manifests, 'Deployment').spec.template.spec;
    expect(w.server.footprint).toMatchObject({
      requests: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 },
      tolerations: server.tolerations,
      nodeSelector: server.nodeSelector,
    });
    expect(server.containers[0].resources.requests).toEqual({ 'cpu': '2', 'memory': '8Gi', 'nvidia.com/gpu': '1' });
    // The Ray head pod counts the autoscaler sidecar KubeRay adds: 2 + 0.5 CPU, 8 GiB + 512 MiB.
    expect(w.training.headFootprint.requests).toEqual({ cpu: kplus.Cpu.millis(2500), memory: Size.mebibytes(8704), gpus: 0 });
  });

  test('fixedReplicas is the count a manifest fixes, absent when the scaling owner decides it', () => {
    const chart = newChart();
    const w = everyWorkload(chart);
    expect(w.edge.footprint.fixedReplicas).toBe(1);
    expect(ofKind(expectConformant(chart), 'Deployment').spec.replicas).toBeUndefined();
    for (const f of [w.server.footprint, w.large.footprint, w.batch.footprint, w.queued.footprint, w.search.footprint, ...w.training.footprints]) {
      expect(f.fixedReplicas).toBeUndefined();
    }
    const queued = new HyperparameterSearch(newChart(), 'tune', {
      entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 4, maxConcurrentTrials: 8, kueueQueue: 'research',
    });
    expect(queued.footprint.fixedReplicas).toBe(queued.maxWorkers);
  });
});
