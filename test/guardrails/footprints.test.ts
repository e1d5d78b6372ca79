import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { newApp, numbers } from './util';
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
    expect(WorkloadFootprints.of(chart).map(f => [f.component, f.minReplicas, f.maxReplicas, numbers(f.requests)])).toEqual([
      ['head', 1, 1, { cpuMillis: 2500, memoryMib: 8704, gpus: 0 }],
      ['cpu', 1, 4, { cpuMillis: 8000, memoryMib: 32768, gpus: 0 }],
      ['big', 0, 2, { cpuMillis: 16000, memoryMib: 65536, gpus: 0 }],
    ]);
    expect(training.headFootprint.scalingOwner).toEqual({ kind: 'RayCluster', name: 'train' });
    expect(training.footprint.component).toBe('cpu');
  });

  test('a HyperparameterSearch counts its head and its trial workers', () => {
    const { chart } = newApp();
    new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { cpu: 2 }, samples: 8, maxConcurrentTrials: 8 });
    expect(WorkloadFootprints.of(chart).map(f => [f.target.kind, f.component, f.maxReplicas, numbers(f.requests).cpuMillis])).toEqual([
      ['RayJob', 'head', 1, 2500], ['RayJob', 'trials', 2, 8000],
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
      gpu: GpuProduct.H100,
      maxReplicas: 3,
    });
    const footprints = WorkloadFootprints.of(chart);
    expect(footprints.map(f => [f.target.kind, f.target.name, f.maxReplicas])).toEqual([['Deployment', 'llama', 3]]);
  });
});
