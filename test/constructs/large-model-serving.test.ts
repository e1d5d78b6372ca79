import {
  GpuProduct, LargeModelServing, LargeModelServingProps, ModelArchitecture, ModelPrecision, ModelSizer, ScalingMetric, VpaUpdateMode,
} from '../../src';
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

  test('fails with the numbers when the model does not fit one node', () => {
    const chart = newChart();
    const sizing = ModelSizer.size({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G });
    expect(sizing.fits).toBe(false);
    expect(() => new LargeModelServing(chart, 'huge', props({ model: ModelArchitecture.LLAMA_3_1_405B, gpuProduct: GpuProduct.A10G }))).toThrow(
      `[test/huge] 'model' ("${ModelArchitecture.LLAMA_3_1_405B.name}") does not fit one node: ${sizing.reason}: change the GPU, precision, contextLength or concurrency`);
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

  test('exposes the footprint of its replicas', () => {
    const { serving } = synth();
    expect(serving.footprint.requests.gpus).toBe(serving.sizing.gpusPerReplica);
    expect(serving.footprint.maxReplicas).toBe(4);
  });
});
