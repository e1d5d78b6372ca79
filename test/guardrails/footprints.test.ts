import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, guard, newApp } from './util';
import {
  ElasticRayTraining, GpuProduct, HyperparameterSearch, LargeModelServing, ModelArchitecture, ModelPrecision, WorkloadFootprints,
} from '../../src';

describe('WorkloadFootprints.of counts every kind of pod once', () => {
  test('an ElasticRayTraining counts its head (with the autoscaler sidecar) and every worker group', () => {
    const { chart } = newApp();
    const training = new ElasticRayTraining(chart, 'train', {
      name: 'train',
      head: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8) },
      workerGroups: [
        { name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32) },
        { name: 'big', minReplicas: 0, maxReplicas: 2, cpu: kplus.Cpu.units(16), memory: Size.gibibytes(64) },
      ],
    });
    expect(WorkloadFootprints.of(chart).map(f => [f.component, f.minReplicas, f.maxReplicas, f.requests])).toEqual([
      ['head', 1, 1, { cpu: kplus.Cpu.millis(2500), memory: Size.mebibytes(8704), gpus: 0 }],
      ['cpu', 1, 4, { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpus: 0 }],
      ['big', 0, 2, { cpu: kplus.Cpu.units(16), memory: Size.gibibytes(64), gpus: 0 }],
    ]);
    expect(training.headFootprint.scalingOwner).toEqual({ kind: 'RayCluster', name: 'train' });
    expect(training.footprint.component).toBe('cpu');
  });

  test('a HyperparameterSearch counts its head and its trial workers', () => {
    const { chart } = newApp();
    new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 8, maxConcurrentTrials: 8 });
    expect(WorkloadFootprints.of(chart).map(f => [f.target.kind, f.component, f.maxReplicas, f.requests.cpu])).toEqual([
      ['RayJob', 'head', 1, kplus.Cpu.millis(2500)], ['RayJob', 'trials', 2, kplus.Cpu.units(8)],
    ]);
  });

  test('a LargeModelServing counts once, not also as its inner autoscaler', () => {
    const { chart } = newApp();
    new LargeModelServing(chart, 'llama', {
      name: 'llama',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      precision: ModelPrecision.FP8,
      gpuProduct: GpuProduct.H100,
      maxReplicas: 3,
    });
    const footprints = WorkloadFootprints.of(chart);
    expect(footprints.map(f => [f.target.kind, f.target.name, f.maxReplicas])).toEqual([['Deployment', 'llama', 3]]);
  });
});

describe('the guardrails read a hand-written LeaderWorkerSet by groups', () => {
  test('an HPA on it counts maxReplicas x size pods of its worker template', () => {
    const { app, chart } = newApp();
    const pod = { spec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.12.0', resources: { limits: { 'cpu': '8', 'memory': '64Gi', 'nvidia.com/gpu': '4' } } }] } };
    new ApiObject(chart, 'lws', {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'vllm' },
      spec: { leaderWorkerTemplate: { size: 3, workerTemplate: pod } },
    });
    new ApiObject(chart, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'vllm' },
      spec: {
        scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'vllm' },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    const report = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 16 } })] }).check();
    // 2 groups x 3 pods x 4 GPUs = 24 against 16.
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.workloads])).toEqual([['a10g', 24, ['apps/lws (6 pods)']]]);
    expect(report.findings.map(f => f.message).join('\n')).toContain("NodePool 'a10g', with every workload at its maximum, needs 24 GPUs against a limit of 16 GPUs");
  });
});
