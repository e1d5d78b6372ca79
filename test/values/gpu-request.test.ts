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
      "[GpuProduct] 'memory' (180) must be a Size (e.g. Size.gibibytes(16)), not a number: give the memory of one GPU as a Size, e.g. GpuProduct.of('b200', Size.gibibytes(24))"));
  });

  test('fails when the node selector holds a value that is not a label value', () => {
    expect(() => GpuRequest.of(1, { nodeSelector: { pool: 'gpu inference' } })).toThrow(new Error(
      "[GpuRequest.of] 'options.nodeSelector.pool' (\"gpu inference\") is not a label value (at most 63 letters, digits, '-', '_' or '.', " +
      'starting and ending with a letter or digit, or empty): use keys such as "team" or "example.com/team" and values of at most 63 letters, ' +
      "digits, '-', '_' or '.', starting and ending with a letter or digit"));
  });

  test('fails when the node selector is empty, which would select no GPU nodes', () => {
    expect(() => GpuRequest.of(1, { nodeSelector: {} })).toThrow(new Error(
      "[GpuRequest.of] 'options.nodeSelector' ({}) is empty, so the pods would select no GPU nodes: " +
      "give the node labels of the GPU nodes, e.g. { 'ml-scaling/pool': 'gpu-inference' }, or leave it out"));
  });

  test('fails when the options are not an object, as a JSON caller may pass them', () => {
    expect(() => GpuRequest.of(1, null as any)).toThrow(new Error(
      "[GpuRequest.of] 'options' (null) must be an object of named fields, not null: give { gpuProduct } or { nodeSelector }, or leave the options out"));
  });

  test('fails when the product is a string instead of a GpuProduct', () => {
    expect(() => GpuRequest.of(1, { gpuProduct: 'a10g' as unknown as GpuProduct })).toThrow(new Error(
      "[GpuRequest.of] 'options.gpuProduct' (\"a10g\") must be a GpuProduct (made by its static methods), not a string: " +
      "give a GpuProduct, e.g. GpuProduct.L4 or GpuProduct.of('b200', Size.gibibytes(180))"));
  });
});
