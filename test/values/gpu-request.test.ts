import { Size } from 'cdk8s';
import { GpuProduct, GpuRequest } from '../../src';

describe('GpuRequest', () => {
  test('selects the product on a label Karpenter knows at launch', () => {
    const gpu = GpuRequest.of(2, { gpuProduct: GpuProduct.H100 });
    expect(gpu.gpus).toBe(2);
    expect(gpu.resourceName).toBe('nvidia.com/gpu');
    expect(gpu.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'h100' });
    expect(gpu.toleration).toEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  });

  test('without a product any NVIDIA GPU will do', () => {
    expect(GpuRequest.of(1).nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' });
  });

  test('a custom node selector replaces the well-known labels', () => {
    expect(GpuRequest.of(1, { nodeSelector: { 'ml-scaling/pool': 'gpu-inference' } }).nodeSelector).toEqual({ 'ml-scaling/pool': 'gpu-inference' });
  });

  test('custom products carry their memory', () => {
    expect(GpuProduct.of('b200', Size.gibibytes(180)).memory.toGibibytes()).toBe(180);
    expect(GpuProduct.A10G.memory.toGibibytes()).toBe(24);
  });

  test('a custom product needs its memory as a Size', () => {
    expect(() => GpuProduct.of('b200', 180 as unknown as Size)).toThrow(new Error(
      "[GpuProduct] 'memory' (180) is not a Size: give the memory of one GPU as a Size, e.g. GpuProduct.of('b200', Size.gibibytes(24))"));
  });
});
