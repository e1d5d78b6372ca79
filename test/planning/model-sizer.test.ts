import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as fc from 'fast-check';
import { GpuProduct } from '../../src';
import { ModelArchitecture, ModelPrecision, ModelSizer, ModelSizingProps } from '../../src/planning/model-sizer';

/** A size in GiB, fractions kept. */
const gib = (s: Size) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });

const SHRINK = 'use a larger GPU, lower precision, shorter context or fewer concurrent sequences';
const ACROSS_NODES = `${SHRINK}, or let a replica span nodes (maxNodesPerReplica)`;

/*
 * The matrix, worked by hand from the documented formula with the defaults (context 8192 x concurrency 16
 * = 131072 tokens, 90% of each GPU usable, 1 GiB runtime reserve per GPU, at most 8 GPUs per node).
 *   KV GiB = 2 x layers x kvHeads x 128 x bytes x 131072 / 2^30 = layers x kvHeads x bytes / 32
 *   a GPU holds usable - reserve: 24 GiB -> 21.6 - 1 = 20.6; 80 GiB -> 72 - 1 = 71; 141 GiB -> 126.9 - 1 = 125.9
 *   GPUs = smallest power of two d with d x (usable - reserve) >= weights + KV (all three models' kvHeads allow 8)
 */
interface Row {
  readonly model: ModelArchitecture;
  readonly precision: ModelPrecision;
  readonly gpuProduct: GpuProduct;
  /** 0 = does not fit on one node. */
  readonly gpus: number;
}
const { LLAMA_2_7B, LLAMA_3_1_8B, LLAMA_3_1_70B, LLAMA_3_1_405B } = ModelArchitecture;
const { BF16, FP8 } = ModelPrecision;
const { A10G, L4, H100, H200 } = GpuProduct;
const MATRIX: Row[] = [
  // 7B bf16: weights 6.74e9 x 2 / 2^30 = 12.55 + KV 32 x 32 x 2 / 32 = 64 -> 76.55 GiB
  { model: LLAMA_2_7B, precision: BF16, gpuProduct: A10G, gpus: 4 }, // 76.55 / 20.6 = 3.7 -> 4 (4 x 21.6 = 86.4 >= 80.55)
  { model: LLAMA_2_7B, precision: BF16, gpuProduct: L4, gpus: 4 }, // same 24 GiB as A10G -> 4
  { model: LLAMA_2_7B, precision: BF16, gpuProduct: H100, gpus: 2 }, // 76.55 / 71 = 1.08 -> 2 (1 x 72 < 77.55)
  { model: LLAMA_2_7B, precision: BF16, gpuProduct: H200, gpus: 1 }, // 76.55 <= 125.9 -> 1
  // 7B fp8: weights 6.28 + KV 32 -> 38.28 GiB
  { model: LLAMA_2_7B, precision: FP8, gpuProduct: A10G, gpus: 2 }, // 38.28 / 20.6 = 1.86 -> 2 (2 x 21.6 = 43.2 >= 40.28)
  { model: LLAMA_2_7B, precision: FP8, gpuProduct: L4, gpus: 2 }, // same as A10G -> 2
  { model: LLAMA_2_7B, precision: FP8, gpuProduct: H100, gpus: 1 }, // 38.28 <= 71 -> 1
  { model: LLAMA_2_7B, precision: FP8, gpuProduct: H200, gpus: 1 }, // 38.28 <= 125.9 -> 1
  // 70B bf16: weights 70.6e9 x 2 / 2^30 = 131.50 + KV 80 x 8 x 2 / 32 = 40 -> 171.50 GiB
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: A10G, gpus: 0 }, // 8 x 20.6 = 164.8 < 171.5 -> does not fit
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: L4, gpus: 0 }, // same as A10G -> does not fit
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: H100, gpus: 4 }, // 171.5 / 71 = 2.4 -> 4 (4 x 72 = 288 >= 175.5)
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: H200, gpus: 2 }, // 171.5 / 125.9 = 1.36 -> 2 (253.8 >= 173.5)
  // 70B fp8: weights 65.75 + KV 20 -> 85.75 GiB
  { model: LLAMA_3_1_70B, precision: FP8, gpuProduct: A10G, gpus: 8 }, // 85.75 / 20.6 = 4.2 -> 8 (4 x 21.6 = 86.4 < 89.75)
  { model: LLAMA_3_1_70B, precision: FP8, gpuProduct: L4, gpus: 8 }, // same as A10G -> 8
  { model: LLAMA_3_1_70B, precision: FP8, gpuProduct: H100, gpus: 2 }, // 85.75 / 71 = 1.2 -> 2 (1 x 72 < 86.75)
  { model: LLAMA_3_1_70B, precision: FP8, gpuProduct: H200, gpus: 1 }, // 85.75 <= 125.9 -> 1
  // 405B bf16: weights 405.9e9 x 2 / 2^30 = 756.05 + KV 126 x 8 x 2 / 32 = 63 -> 819.05 GiB
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: A10G, gpus: 0 }, // 8 x 20.6 = 164.8 < 819.05 -> does not fit
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: L4, gpus: 0 }, // same as A10G -> does not fit
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: H100, gpus: 0 }, // 8 x 71 = 568 < 819.05 -> does not fit
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: H200, gpus: 8 }, // 819.05 / 125.9 = 6.5 -> 8 (4 x 126.9 = 507.6 < 823.05)
  // 405B fp8: weights 378.02 + KV 31.5 -> 409.52 GiB
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: A10G, gpus: 0 }, // 164.8 < 409.52 -> does not fit
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: L4, gpus: 0 }, // same as A10G -> does not fit
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: H100, gpus: 8 }, // 409.52 / 71 = 5.8 -> 8 (8 x 72 = 576 >= 417.52)
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: H200, gpus: 4 }, // 409.52 / 125.9 = 3.25 -> 4 (507.6 >= 413.52)
];

describe('ModelSizer matrix (7B / 70B / 405B at 16 and 8 bits on 24, 80 and 141 GiB GPUs)', () => {
  test.each(MATRIX.map((r) => [r.model.name, r.precision.name, r.gpuProduct.name, r.gpus, r] as const))(
    '%s %s on %s: %d GPUs per replica (0 = does not fit)', (_m, _p, _g, gpus, row) => {
      const plan = ModelSizer.size({ model: row.model, precision: row.precision, gpuProduct: row.gpuProduct });
      expect(plan.gpusPerReplica).toBe(gpus);
      expect(plan.fits).toBe(gpus > 0);
      if (gpus === 0) expect(plan.reason).toMatch(/^needs .* GiB \(weights .* but 8 x \w+ give at most .* GiB usable/);
    });

  test('70B bf16 on H100: 4 GPUs, with the numbers and the reason', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_70B, gpuProduct: H100 });
    expect(gib(plan.weights)).toBeCloseTo(131.503, 3);
    expect(gib(plan.kvCache)).toBe(40);
    expect(gib(plan.requiredGpuMemory)).toBeCloseTo(175.503, 3);
    expect(gib(plan.usableGpuMemory)).toBeCloseTo(288, 9);
    expect(plan.hostMemory.toGibibytes()).toBe(161); // ceil(131.503 x 1.1 + 4 x 4) = ceil(160.65)
    expect(plan.vcpus).toBe(16);
    expect(plan.reason).toBe('4 x h100 (tensor parallel 4): needs 175.5 GiB (weights 131.5 + KV cache 40.0 + runtime reserve 4.0) '
      + 'within 288.0 GiB usable (4 x 80 GiB x 0.9); 2 x h100 would give only 144.0 GiB for 173.5 GiB');
  });

  test('one GPU: no comparison with a smaller degree, and the minimum 4 CPU cores', () => {
    const plan = ModelSizer.size({ model: LLAMA_2_7B, precision: FP8, gpuProduct: H100 });
    expect(plan.reason).toBe('1 x h100 (tensor parallel 1): needs 39.3 GiB (weights 6.3 + KV cache 32.0 + runtime reserve 1.0) '
      + 'within 72.0 GiB usable (1 x 80 GiB x 0.9)');
    expect(plan.vcpus).toBe(4);
    expect(plan.hostMemory.toGibibytes()).toBe(11); // ceil(6.277 x 1.1 + 4) = ceil(10.9)
  });

  test('70B bf16 on A10G does not fit: reports the numbers at a whole node of 8', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_70B, gpuProduct: A10G });
    expect(plan).toMatchObject({ fits: false, gpusPerReplica: 0, vcpus: 32 });
    expect(gib(plan.kvCache)).toBe(40);
    expect(gib(plan.usableGpuMemory)).toBeCloseTo(172.8, 9);
    expect(gib(plan.requiredGpuMemory)).toBeCloseTo(179.503, 3);
    expect(plan.reason).toBe('needs 179.5 GiB (weights 131.5 + KV cache 40.0 + runtime reserve 8.0) but 8 x a10g give at most '
      + `172.8 GiB usable (8 x 24 GiB x 0.9): ${ACROSS_NODES}`);
  });

  test('405B bf16 on H100 does not fit on 8 GPUs', () => {
    expect(ModelSizer.size({ model: LLAMA_3_1_405B, gpuProduct: H100 }).reason).toBe('needs 827.0 GiB (weights 756.0 + KV cache 63.0 '
      + `+ runtime reserve 8.0) but 8 x h100 give at most 576.0 GiB usable (8 x 80 GiB x 0.9): ${ACROSS_NODES}`);
  });
});

/*
 * Across nodes, worked by hand from the same formula: each GPU holds usable - reserve (20.6 GiB at 24 GiB, 71 at 80 GiB),
 * every node uses all its GPUs (8 divides the 8 KV heads of every Llama 3.1), and the replica takes the fewest whole nodes.
 */
interface NodesRow {
  readonly model: ModelArchitecture;
  readonly precision: ModelPrecision;
  readonly gpuProduct: GpuProduct;
  readonly gpusPerNode: number;
  readonly nodes: number;
}
const ACROSS: NodesRow[] = [
  // 405B bf16, 819.05 GiB: / 71 = 11.5 GPUs -> 2 nodes of 8 (16 x 72 = 1152 >= 835.05; 8 x 72 = 576 < 827.05)
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: H100, gpusPerNode: 8, nodes: 2 },
  // / 20.6 = 39.8 GPUs -> 5 nodes (40 x 21.6 = 864 >= 859.05; 4 nodes: 691.2 < 851.05)
  { model: LLAMA_3_1_405B, precision: BF16, gpuProduct: A10G, gpusPerNode: 8, nodes: 5 },
  // 405B fp8, 409.52 GiB: fits one node of 8 x H100 (576 >= 417.52)
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: H100, gpusPerNode: 8, nodes: 1 },
  // / 20.6 = 19.9 GPUs -> 3 nodes of 8 x L4 (24 x 21.6 = 518.4 >= 433.52; 2 nodes: 345.6 < 425.52)
  { model: LLAMA_3_1_405B, precision: FP8, gpuProduct: L4, gpusPerNode: 8, nodes: 3 },
  // 70B bf16, 171.50 GiB: / 20.6 = 8.3 GPUs -> 2 nodes of 8 x L4 (345.6 >= 187.5; 1 node: 172.8 < 179.5)
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: L4, gpusPerNode: 8, nodes: 2 },
  // 9 GPUs -> 3 nodes of 4 x L4 (12 x 21.6 = 259.2 >= 183.5; 2 nodes: 172.8 < 179.5)
  { model: LLAMA_3_1_70B, precision: BF16, gpuProduct: L4, gpusPerNode: 4, nodes: 3 },
];

describe('ModelSizer across nodes (maxNodesPerReplica)', () => {
  test.each(ACROSS.map(r => [r.model.name, r.precision.name, r.gpusPerNode, r.gpuProduct.name, r.nodes, r] as const))(
    '%s %s on %d x %s per node: %d nodes', (_m, _p, perNode, _g, nodes, row) => {
      const sized = (maxNodesPerReplica: number) => ModelSizer.size({
        model: row.model, precision: row.precision, gpuProduct: row.gpuProduct, gpusPerNode: perNode, maxNodesPerReplica,
      });
      const plan = sized(64);
      expect(plan.fits).toBe(true);
      expect(plan.nodesPerReplica).toBe(nodes);
      expect(plan.pipelineParallelSize).toBe(nodes);
      expect(plan.tensorParallelSize).toBe(perNode);
      expect(plan.gpusPerReplica).toBe(perNode * nodes);
      // Fewer nodes would not hold it: the plan is the fewest.
      if (nodes > 1) {
        expect(sized(nodes - 1).fits).toBe(false);
      }
    });

  test('405B bf16 on 8 x H100: 2 nodes, each pod loading half the weights, with the reason', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_405B, gpuProduct: H100, maxNodesPerReplica: 4 });
    // ceil(756.05 / 2 x 1.1 + 4 x 8) = ceil(447.8) = 448; 4 x 8 = 32 vCPUs per node's pod.
    expect(plan.hostMemory.toGibibytes()).toBe(448);
    expect(plan.vcpus).toBe(32);
    expect(gib(plan.requiredGpuMemory)).toBeCloseTo(835.05, 2);
    expect(gib(plan.usableGpuMemory)).toBeCloseTo(1152, 6);
    expect(plan.reason).toBe('2 nodes x 8 x h100 (tensor parallel 8 within a node, pipeline parallel 2 across nodes): needs 835.0 GiB '
      + '(weights 756.0 + KV cache 63.0 + runtime reserve 16.0) within 1152.0 GiB usable (16 x 80 GiB x 0.9); 1 node would give only '
      + '576.0 GiB for 827.0 GiB');
  });

  test('a model that fits one node stays on one node whatever maxNodesPerReplica allows', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_70B, gpuProduct: H100, maxNodesPerReplica: 8 });
    expect([plan.nodesPerReplica, plan.tensorParallelSize, plan.pipelineParallelSize, plan.gpusPerReplica]).toEqual([1, 4, 1, 4]);
  });

  test('does not fit within maxNodesPerReplica: the numbers at the most nodes, and the fix', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_405B, gpuProduct: A10G, maxNodesPerReplica: 4 });
    expect([plan.fits, plan.nodesPerReplica, plan.tensorParallelSize, plan.pipelineParallelSize, plan.gpusPerReplica]).toEqual([false, 0, 0, 0, 0]);
    expect(plan.reason).toBe('needs 851.0 GiB (weights 756.0 + KV cache 63.0 + runtime reserve 32.0) but 4 nodes of 8 x a10g give at most '
      + `691.2 GiB usable (32 x 24 GiB x 0.9): ${SHRINK}, or raise maxNodesPerReplica above 4`);
  });

  test('never more pipeline stages than layers', () => {
    const tiny = ModelArchitecture.of({ parameterCountBillions: 400, layers: 2, kvHeads: 8, headDim: 128 });
    expect(ModelSizer.size({ model: tiny, gpuProduct: L4, maxNodesPerReplica: 64 }).fits).toBe(false);
  });

  test('fails when maxNodesPerReplica is not a whole number from 1 to 64', () => {
    for (const bad of [0, 1.5, 65]) {
      expect(() => ModelSizer.size({ model: LLAMA_3_1_8B, gpuProduct: H100, maxNodesPerReplica: bad })).toThrow(/ModelSizer.*'maxNodesPerReplica'/);
    }
  });
});

describe('ModelSizer options', () => {
  test('defaults to bf16 weights, 8192 tokens and 16 sequences', () => {
    const implicit = ModelSizer.size({ model: LLAMA_3_1_8B, gpuProduct: L4 });
    const explicit = ModelSizer.size({
      model: LLAMA_3_1_8B, gpuProduct: L4, precision: BF16, contextLength: 8192, concurrency: 16, gpusPerNode: 8, gpuMemoryUtilization: 0.9,
    });
    expect(implicit).toEqual(explicit);
    // 8B: weights 8.03e9 x 2 / 2^30 = 14.96 + KV 32 x 8 x 2 / 32 = 16 -> 30.96 / 20.6 -> 2
    expect(implicit.gpusPerReplica).toBe(2);
  });

  test('4-bit weights keep an 8-bit KV cache unless told otherwise', () => {
    const int4 = ModelSizer.size({ model: LLAMA_3_1_70B, precision: ModelPrecision.INT4, gpuProduct: H100 });
    expect(gib(int4.kvCache)).toBe(20);
    expect(gib(int4.weights)).toBeCloseTo(32.876, 3);
    const int4Fp16Cache = ModelSizer.size({
      model: LLAMA_3_1_70B, precision: ModelPrecision.INT4, kvCachePrecision: ModelPrecision.FP16, gpuProduct: H100,
    });
    expect(gib(int4Fp16Cache.kvCache)).toBe(40);
  });

  test('8-bit weights with a 16-bit KV cache', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_70B, precision: FP8, kvCachePrecision: BF16, gpuProduct: H100 });
    expect(gib(plan.kvCache)).toBe(40);
    expect(plan.gpusPerReplica).toBe(2); // 65.75 + 40 + 2 = 107.75 <= 144
  });

  test('a smaller node caps the degree', () => {
    const plan = ModelSizer.size({ model: LLAMA_3_1_70B, precision: FP8, gpuProduct: A10G, gpusPerNode: 4 });
    expect(plan.fits).toBe(false);
    expect(plan.reason).toBe('needs 89.8 GiB (weights 65.8 + KV cache 20.0 + runtime reserve 4.0) but 4 x a10g give at most '
      + `86.4 GiB usable (4 x 24 GiB x 0.9): ${ACROSS_NODES}`);
  });

  test('does not fit when the degree memory needs does not divide the KV heads', () => {
    const mqa = ModelArchitecture.of({ name: 'mqa-70b', parameterCountBillions: 70.6, layers: 80, kvHeads: 1, headDim: 128 });
    const plan = ModelSizer.size({ model: mqa, gpuProduct: H100 });
    expect(plan).toMatchObject({ fits: false, gpusPerReplica: 0 });
    expect(plan.reason).toBe('needs 2 x h100 for 138.5 GiB (weights 131.5 + KV cache 5.0 + runtime reserve 2.0), but the '
      + `tensor-parallel degree must divide the model's 1 KV head, so at most 1 GPU per replica: ${SHRINK}`);
  });

  test('custom architectures and precisions carry their fields', () => {
    const arch = ModelArchitecture.of({ parameterCountBillions: 7.24, layers: 32, kvHeads: 8, headDim: 128 });
    expect(arch).toMatchObject({ name: 'custom', parameterCountBillions: 7.24, layers: 32, kvHeads: 8, headDim: 128 });
    expect(ModelPrecision.of('nf4', 0.5)).toMatchObject({ name: 'nf4', bytesPerParameter: 0.5 });
    expect([BF16, ModelPrecision.FP16, FP8, ModelPrecision.INT8, ModelPrecision.INT4].map((p) => [p.name, p.bytesPerParameter]))
      .toEqual([['bf16', 2], ['fp16', 2], ['fp8', 1], ['int8', 1], ['int4', 0.5]]);
  });
});

describe('ModelSizer input errors', () => {
  test('fails when a GPU product has no memory (GpuProduct.of rejects it)', () => {
    expect(() => GpuProduct.of('x', Size.gibibytes(0))).toThrow(
      "[GpuProduct] 'memory' (0Gi) must be a finite size of at least 1 MiB: give the memory of one GPU as a Size, e.g. GpuProduct.of('x', Size.gibibytes(24))");
  });

  const base: ModelSizingProps = { model: LLAMA_3_1_70B, gpuProduct: H100 };
  test.each([
    [{ contextLength: 0 }, "[ModelSizer] 'contextLength' (0) must be a whole number of at least 1: give the longest sequence a replica serves (prompt + output tokens), e.g. 8192"],
    [{ concurrency: 2.5 }, "[ModelSizer] 'concurrency' (2.5) must be a whole number of at least 1: give the sequences one replica serves at once, e.g. 16"],
    [{ gpuProduct: GpuProduct.of('x', Size.gibibytes(2048)) }, "[ModelSizer] 'gpuProduct.memory' (2048) must be at most 1024: create the product with its memory, e.g. GpuProduct.of('b200', Size.gibibytes(180))"],
    [{ contextLength: 10_000_001 }, "[ModelSizer] 'contextLength' (10000001) must be at most 10000000: give the longest sequence a replica serves (prompt + output tokens), e.g. 8192"],
    [{ gpusPerNode: 6 }, "[ModelSizer] 'gpusPerNode' (6) must be a power of two (1, 2, 4, 8, ...): give the GPUs on one node as a power of two, e.g. 8 for p5.48xlarge (tensor parallelism splits by powers of two)"],
    [{ gpusPerNode: 0 }, "[ModelSizer] 'gpusPerNode' (0) must be a power of two (1, 2, 4, 8, ...): give the GPUs on one node as a power of two, e.g. 8 for p5.48xlarge (tensor parallelism splits by powers of two)"],
    [{ gpuMemoryUtilization: 0 }, "[ModelSizer] 'gpuMemoryUtilization' (0) must be a fraction above 0 and at most 1: use the server's GPU memory fraction, e.g. 0.9 (vLLM's --gpu-memory-utilization default)"],
    [{ gpuMemoryUtilization: 1.2 }, "[ModelSizer] 'gpuMemoryUtilization' (1.2) must be a fraction above 0 and at most 1: use the server's GPU memory fraction, e.g. 0.9 (vLLM's --gpu-memory-utilization default)"],
  ] as const)('fails on %j', (override, message) => {
    expect(() => ModelSizer.size({ ...base, ...override })).toThrow(new Error(message));
  });

  const arch = { parameterCountBillions: 8, layers: 32, kvHeads: 8, headDim: 128 };
  test.each([
    [{ parameterCountBillions: -1 }, "[ModelArchitecture] 'parameterCountBillions' (-1) must be a number above zero: give the parameter count in billions, e.g. 8.03 for Llama 3.1 8B"],
    [{ layers: 0 }, "[ModelArchitecture] 'layers' (0) must be a whole number of at least 1: use num_hidden_layers from the model's config.json"],
    [{ kvHeads: 1.5 }, "[ModelArchitecture] 'kvHeads' (1.5) must be a whole number of at least 1: use num_key_value_heads from the model's config.json (num_attention_heads when it has no grouped-query attention)"],
    [{ headDim: 0 }, "[ModelArchitecture] 'headDim' (0) must be a whole number of at least 1: use head_dim from the model's config.json, or hidden_size / num_attention_heads"],
  ] as const)('ModelArchitecture.of fails on %j', (override, message) => {
    expect(() => ModelArchitecture.of({ ...arch, ...override })).toThrow(new Error(message));
  });

  test('ModelPrecision.of fails on a non-positive size', () => {
    expect(() => ModelPrecision.of('zero', 0)).toThrow(new Error(
      "[ModelPrecision] 'bytesPerParameter' (0) must be a number above zero: give bytes per parameter: 2 for 16-bit, 1 for 8-bit, 0.5 for 4-bit"));
  });
});

describe('ModelSizer properties', () => {
  const precisions = [ModelPrecision.INT4, FP8, ModelPrecision.INT8, BF16, ModelPrecision.FP16];
  const props = fc.record({
    model: fc.record({
      parameterCountBillions: fc.double({ min: 0.1, max: 1000, noNaN: true }),
      layers: fc.integer({ min: 1, max: 160 }),
      kvHeads: fc.constantFrom(1, 2, 4, 6, 8, 12, 16, 32, 40, 64),
      headDim: fc.constantFrom(64, 80, 96, 128, 256),
    }).map((a) => ModelArchitecture.of(a)),
    precision: fc.constantFrom(...precisions),
    contextLength: fc.integer({ min: 1, max: 131072 }),
    concurrency: fc.integer({ min: 1, max: 256 }),
    gpuProduct: fc.integer({ min: 1, max: 200 }).map((m) => GpuProduct.of('test', Size.gibibytes(m))),
    gpusPerNode: fc.constantFrom(1, 2, 4, 8, 16),
    gpuMemoryUtilization: fc.double({ min: 0.05, max: 1, noNaN: true }),
  });

  test('a fitting plan is a power of two within the node, and its usable memory covers the required', () => {
    fc.assert(fc.property(props, (p: ModelSizingProps) => {
      const plan = ModelSizer.size(p);
      if (!plan.fits) return plan.gpusPerReplica === 0 && plan.reason.length > 0;
      const d = plan.gpusPerReplica;
      return d >= 1 && Number.isInteger(Math.log2(d)) && d <= p.gpusPerNode! && p.model.kvHeads % d === 0
        && gib(plan.usableGpuMemory) >= gib(plan.requiredGpuMemory) && plan.vcpus >= 4 && gib(plan.hostMemory) >= gib(plan.weights);
    }), { numRuns: 500 });
  });

  test('more concurrent sequences never need fewer GPUs', () => {
    fc.assert(fc.property(props, fc.integer({ min: 1, max: 256 }), (p: ModelSizingProps, extra) => {
      const fewer = ModelSizer.size(p);
      const more = ModelSizer.size({ ...p, concurrency: p.concurrency! + extra });
      if (!fewer.fits) return !more.fits;
      return !more.fits || more.gpusPerReplica >= fewer.gpusPerReplica;
    }), { numRuns: 500 });
  });

  test('a lower precision never needs more GPUs', () => {
    fc.assert(fc.property(props, fc.constantFrom(...precisions), (p: ModelSizingProps, other) => {
      const [low, high] = [p.precision!, other].sort((a, b) => a.bytesPerParameter - b.bytesPerParameter);
      const lowPlan = ModelSizer.size({ ...p, precision: low });
      const highPlan = ModelSizer.size({ ...p, precision: high });
      if (!lowPlan.fits) return !highPlan.fits;
      return !highPlan.fits || lowPlan.gpusPerReplica <= highPlan.gpusPerReplica;
    }), { numRuns: 500 });
  });
});
