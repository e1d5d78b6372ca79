import { Size } from 'cdk8s';
import { GpuProduct } from './gpu-product';
import { checkInstance, checkStruct, checkText } from '../common/validate';
import { DegreeFigures, sizeModel } from './internal/model-sizer-core';
import {
  acrossNodesReason, fitsReason, headsReason, MODEL_ARCHITECTURE, MODEL_PRECISION, MODEL_SIZER, requireAtMost, requireFraction, requireMemory,
  requirePositiveNumber,
  requirePowerOfTwo, requireWholeNumber, SIZING_FIXES, SizingFigures, tooLargeReason,
} from './internal/model-sizer-messages';

/**
 * The number format of a model's weights or KV cache, by the bytes one value takes.
 *
 * @example
 * const nf4 = ModelPrecision.of('nf4', 0.5);
 */
export class ModelPrecision {
  /** The most bytes per parameter: 8 (a 64-bit float). */
  public static readonly MAX_BYTES_PER_PARAMETER = 8;
  /** IEEE half precision, 2 bytes per value. */
  public static readonly FP16 = new ModelPrecision('fp16', 2);
  /** bfloat16, 2 bytes per value (the dtype Llama checkpoints ship in). */
  public static readonly BF16 = new ModelPrecision('bf16', 2);
  /** 8-bit float (E4M3), 1 byte per value; needs Hopper/Ada GPUs for fast kernels. */
  public static readonly FP8 = new ModelPrecision('fp8', 1);
  /** 8-bit integer (e.g. W8A8, GPTQ 8-bit), 1 byte per value. */
  public static readonly INT8 = new ModelPrecision('int8', 1);
  /** 4-bit integer (e.g. AWQ, GPTQ 4-bit), half a byte per value; group scales are ignored. */
  public static readonly INT4 = new ModelPrecision('int4', 0.5);

  /**
   * Any other precision.
   * @param name a label for reasons and docs, e.g. "nf4"
   * @param bytesPerParameter bytes one value takes, above zero (0.5 for 4-bit)
   */
  public static of(name: string, bytesPerParameter: number): ModelPrecision {
    checkText(MODEL_PRECISION, 'name', name, 'give a label such as "fp6"', 63);
    requirePositiveNumber(MODEL_PRECISION, 'bytesPerParameter', bytesPerParameter, SIZING_FIXES.bytesPerParameter);
    requireAtMost(MODEL_PRECISION, 'bytesPerParameter', bytesPerParameter, ModelPrecision.MAX_BYTES_PER_PARAMETER, SIZING_FIXES.bytesPerParameter);
    return new ModelPrecision(name, bytesPerParameter);
  }

  private constructor(
    /** Label of the precision, e.g. `bf16`. */
    public readonly name: string,
    /** Bytes one weight (or one KV-cache value) takes. */
    public readonly bytesPerParameter: number,
  ) {}
}

/** The shape of a decoder-only transformer, as its `config.json` gives it. */
export interface ModelArchitectureProps {
  /** Parameters, in billions (e.g. 8.03). */
  readonly parameterCountBillions: number;
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Key/value heads (`num_key_value_heads`; `num_attention_heads` without grouped-query attention). */
  readonly kvHeads: number;
  /** Dimension of one attention head (`head_dim`, or `hidden_size / num_attention_heads`). */
  readonly headDim: number;
  /**
   * Label for reasons and docs.
   * @default "custom"
   */
  readonly name?: string;
}

/**
 * What sizing needs to know about a model: its parameter count and the shape of its KV cache.
 *
 * The built-in architectures come from the models' published Hugging Face `config.json`
 * (`num_hidden_layers`, `num_key_value_heads`, `hidden_size / num_attention_heads`) and the parameter
 * counts reported for their safetensors checkpoints.
 *
 * @example
 * const mistral7b = ModelArchitecture.of({ name: 'mistral-7b', parameterCountBillions: 7.24, layers: 32, kvHeads: 8, headDim: 128 });
 */
export class ModelArchitecture {
  /** meta-llama/Llama-2-7b-hf: 32 layers, 32 KV heads (no GQA), head dim 4096/32 = 128, 6.74B parameters. */
  public static readonly LLAMA_2_7B = new ModelArchitecture({
    name: 'llama-2-7b', parameterCountBillions: 6.74, layers: 32, kvHeads: 32, headDim: 128,
  });
  /** meta-llama/Llama-3.1-8B: 32 layers, 8 KV heads (32 query heads), head dim 4096/32 = 128, 8.03B parameters. */
  public static readonly LLAMA_3_1_8B = new ModelArchitecture({
    name: 'llama-3.1-8b', parameterCountBillions: 8.03, layers: 32, kvHeads: 8, headDim: 128,
  });
  /** meta-llama/Llama-3.1-70B: 80 layers, 8 KV heads (64 query heads), head dim 8192/64 = 128, 70.6B parameters. */
  public static readonly LLAMA_3_1_70B = new ModelArchitecture({
    name: 'llama-3.1-70b', parameterCountBillions: 70.6, layers: 80, kvHeads: 8, headDim: 128,
  });
  /** meta-llama/Llama-3.1-405B: 126 layers, 8 KV heads (128 query heads), head dim 16384/128 = 128, 405.9B parameters. */
  public static readonly LLAMA_3_1_405B = new ModelArchitecture({
    name: 'llama-3.1-405b', parameterCountBillions: 405.9, layers: 126, kvHeads: 8, headDim: 128,
  });

  /** The most parameters: 100,000 billion (100 trillion; the largest models have about 2 trillion). */
  public static readonly MAX_PARAMETER_COUNT_BILLIONS = 100_000;
  /** The most layers, and the most KV heads: 10,000. */
  public static readonly MAX_LAYERS = 10_000;
  /** The largest head dimension: 65,536. */
  public static readonly MAX_HEAD_DIM = 65_536;

  /**
   * Any other model; checks that every count is positive (and whole where it must be) and within the bounds:
   * parameterCountBillions at most 100,000, layers and kvHeads at most 10,000, headDim at most 65,536.
   */
  public static of(props: ModelArchitectureProps): ModelArchitecture {
    checkStruct(MODEL_ARCHITECTURE, 'props', props, 'give { parameterCountBillions, layers, kvHeads, headDim } from the model\'s config.json');
    requirePositiveNumber(MODEL_ARCHITECTURE, 'parameterCountBillions', props.parameterCountBillions, SIZING_FIXES.parameterCountBillions);
    requireAtMost(MODEL_ARCHITECTURE, 'parameterCountBillions', props.parameterCountBillions, ModelArchitecture.MAX_PARAMETER_COUNT_BILLIONS,
      SIZING_FIXES.parameterCountBillions);
    requireWholeNumber(MODEL_ARCHITECTURE, 'layers', props.layers, SIZING_FIXES.layers, ModelArchitecture.MAX_LAYERS);
    requireWholeNumber(MODEL_ARCHITECTURE, 'kvHeads', props.kvHeads, SIZING_FIXES.kvHeads, ModelArchitecture.MAX_LAYERS);
    requireWholeNumber(MODEL_ARCHITECTURE, 'headDim', props.headDim, SIZING_FIXES.headDim, ModelArchitecture.MAX_HEAD_DIM);
    if (props.name !== undefined) checkText(MODEL_ARCHITECTURE, 'name', props.name, 'give a label such as "qwen2.5-72b", or leave it unset', 253);
    return new ModelArchitecture(props);
  }

  /** Label for reasons and docs. */
  public readonly name: string;
  /** Parameters, in billions. */
  public readonly parameterCountBillions: number;
  /** Transformer layers. */
  public readonly layers: number;
  /** Key/value heads. */
  public readonly kvHeads: number;
  /** Dimension of one attention head. */
  public readonly headDim: number;

  private constructor(props: ModelArchitectureProps) {
    this.name = props.name ?? 'custom';
    this.parameterCountBillions = props.parameterCountBillions;
    this.layers = props.layers;
    this.kvHeads = props.kvHeads;
    this.headDim = props.headDim;
  }
}

/** What to size: a model, its precision, the load one replica serves, and the GPUs. */
export interface ModelSizingProps {
  /** The model. */
  readonly model: ModelArchitecture;
  /**
   * Precision of the weights.
   * @default ModelPrecision.BF16
   */
  readonly precision?: ModelPrecision;
  /**
   * Precision of the KV cache. With 8-bit weights this default assumes the server stores an 8-bit cache
   * (vLLM: `--kv-cache-dtype fp8`), which it does not do unless asked.
   * @default - the weights' precision; FP8 for weights under one byte (servers have no 4-bit KV cache)
   */
  readonly kvCachePrecision?: ModelPrecision;
  /**
   * Tokens per sequence, prompt and output together (vLLM's `--max-model-len`), at most `ModelSizer.MAX_CONTEXT_LENGTH` (10,000,000).
   * @default 8192
   */
  readonly contextLength?: number;
  /**
   * Sequences in flight per replica, each holding a full context of KV cache (vLLM's `--max-num-seqs`), at most
   * `ModelSizer.MAX_CONCURRENCY` (100,000).
   * @default 16
   */
  readonly concurrency?: number;
  /** The GPU model; its `memory` is what sizing divides (at most `ModelSizer.MAX_GPU_MEMORY_GIB`, 1,024 GiB). */
  readonly gpuProduct: GpuProduct;
  /**
   * GPUs on one node, a power of two up to `ModelSizer.MAX_GPUS_PER_NODE` (64); a replica's tensor-parallel group never spans nodes.
   * @default 8
   */
  readonly gpusPerNode?: number;
  /**
   * Fraction of each GPU's memory the server may use (vLLM's `--gpu-memory-utilization`).
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * The most nodes one replica may span, from 1 to `ModelSizer.MAX_NODES_PER_REPLICA` (64). Above 1, a model that does
   * not fit one node is planned across nodes: tensor parallel within each node, pipeline parallel across them (one
   * pipeline stage per node, never more nodes than layers).
   * @default 1
   */
  readonly maxNodesPerReplica?: number;
}

/**
 * The plan for one replica. Sizes are exact and most are fractional GiB: read them with
 * `toGibibytes({ rounding: SizeRoundingBehavior.NONE })` (cdk8s refuses a fractional conversion by default).
 */
export interface ModelSizing {
  /** Whether one replica fits on at most `maxNodesPerReplica` nodes of `gpusPerNode` GPUs of the given model. */
  readonly fits: boolean;
  /** Why this many GPUs and nodes, or why it does not fit, with the numbers. */
  readonly reason: string;
  /** GPUs per replica (`tensorParallelSize` x `pipelineParallelSize`); 0 when it does not fit. */
  readonly gpusPerReplica: number;
  /** Nodes one replica spans: 1 when it fits one node; 0 when it does not fit. */
  readonly nodesPerReplica: number;
  /**
   * Tensor-parallel degree (vLLM's `--tensor-parallel-size`): the GPUs a replica uses on each node, a power of two ≤
   * gpusPerNode that divides the KV heads; 0 when it does not fit.
   */
  readonly tensorParallelSize: number;
  /** Pipeline-parallel degree (vLLM's `--pipeline-parallel-size`): equal to `nodesPerReplica`; 0 when it does not fit. */
  readonly pipelineParallelSize: number;
  /** Memory of the weights. */
  readonly weights: Size;
  /** Memory of the KV cache for `concurrency` full-length sequences. */
  readonly kvCache: Size;
  /** Weights + KV cache + runtime reserve (1 GiB per GPU), at `gpusPerReplica` (or gpusPerNode when it does not fit). */
  readonly requiredGpuMemory: Size;
  /** GPU memory the server may use across the replica's GPUs, at `gpusPerReplica` (or gpusPerNode when it does not fit). */
  readonly usableGpuMemory: Size;
  /**
   * Host RAM of each node's pod to load its share of the weights, in whole GiB: weights / nodes × 1.1 + 4 GiB per GPU
   * of the node, rounded up (the whole replica's on one node).
   */
  readonly hostMemory: Size;
  /** vCPUs to request for each node's pod: 4 per GPU of the node, at least 4. */
  readonly vcpus: number;
}

/**
 * Sizes one replica of a large model served with tensor parallelism (vLLM-style): how many GPUs of a
 * given model hold its weights and the KV cache for the planned load.
 *
 * Use it before choosing instance types, or let `LargeModelServing` call it. Pure: no constructs, no I/O.
 *
 * Formula (GiB = bytes / 2^30):
 * - weights = parameters × bytes per parameter
 * - KV cache = 2 (K and V) × layers × KV heads × head dim × KV bytes × context length × concurrency
 * - usable(d) = d × GPU memory × gpuMemoryUtilization
 * - required(d) = weights + KV cache + 1 GiB per GPU (activations, CUDA graphs, NCCL buffers)
 * - GPUs per replica = the smallest power of two d ≤ gpusPerNode with usable(d) ≥ required(d); it must also
 *   divide the KV heads (vLLM splits them evenly), else the model does not fit
 * - host memory = ceil(weights × 1.1 + 4 GiB × d); vCPUs = max(4, 4 × d)
 * - across nodes (`maxNodesPerReplica` above 1, when no single node holds it): t = the largest power of two ≤
 *   gpusPerNode dividing the KV heads GPUs on each node (tensor parallel), and the fewest nodes n ≤ maxNodesPerReplica
 *   (and ≤ layers) with usable(n × t) ≥ required(n × t) (pipeline parallel n); each node's pod gets
 *   host memory ceil(weights / n × 1.1 + 4 GiB × t) and max(4, 4 × t) vCPUs
 *
 * A model that does not fit is a returned plan (`fits: false`, `gpusPerReplica: 0`) with the reason;
 * only invalid props throw.
 *
 * @see https://docs.vllm.ai/en/latest/serving/distributed_serving.html
 * @see https://docs.vllm.ai/en/latest/configuration/conserving_memory.html
 * @example
 * const plan = ModelSizer.size({ model: ModelArchitecture.LLAMA_3_1_70B, gpuProduct: GpuProduct.H100 });
 * // plan.gpusPerReplica === 4
 */
export class ModelSizer {
  /** The longest contextLength: 10,000,000 tokens. */
  public static readonly MAX_CONTEXT_LENGTH = 10_000_000;
  /** The most concurrent sequences per replica: 100,000. */
  public static readonly MAX_CONCURRENCY = 100_000;
  /** The most GPUs per node: 64. */
  public static readonly MAX_GPUS_PER_NODE = 64;
  /** The most memory of one GPU, in GiB: 1,024 (the largest today have 192). */
  public static readonly MAX_GPU_MEMORY_GIB = 1_024;
  /** The most nodes one replica may span: 64. */
  public static readonly MAX_NODES_PER_REPLICA = 64;

  /** Sizes one replica; throws only for invalid props. */
  public static size(props: ModelSizingProps): ModelSizing {
    checkStruct(MODEL_SIZER, 'props', props, 'give an object such as { model: ModelArchitecture.LLAMA_3_1_8B, gpuProduct: GpuProduct.L4 }');
    const model = checkInstance(MODEL_SIZER, 'model', props.model, ModelArchitecture as any, 'give ModelArchitecture.LLAMA_3_1_8B or ModelArchitecture.of(...)') as ModelArchitecture;
    for (const prop of ['precision', 'kvCachePrecision'] as const) {
      if (props[prop] !== undefined) checkInstance(MODEL_SIZER, prop, props[prop], ModelPrecision as any, 'give ModelPrecision.BF16 (or another constant) or ModelPrecision.of(...)');
    }
    checkInstance(MODEL_SIZER, 'gpuProduct', props.gpuProduct, GpuProduct as any, 'give GpuProduct.H100 (or another constant) or GpuProduct.of(...)');
    const precision = props.precision ?? ModelPrecision.BF16;
    const kvCachePrecision = props.kvCachePrecision
      ?? (precision.bytesPerParameter < 1 ? ModelPrecision.FP8 : precision);
    const contextLength = props.contextLength ?? 8192;
    const concurrency = props.concurrency ?? 16;
    const gpusPerNode = props.gpusPerNode ?? 8;
    const gpuMemoryUtilization = props.gpuMemoryUtilization ?? 0.9;
    const maxNodes = props.maxNodesPerReplica ?? 1;

    requireWholeNumber(MODEL_SIZER, 'contextLength', contextLength, SIZING_FIXES.contextLength, ModelSizer.MAX_CONTEXT_LENGTH);
    requireWholeNumber(MODEL_SIZER, 'concurrency', concurrency, SIZING_FIXES.concurrency, ModelSizer.MAX_CONCURRENCY);
    const gpuMemoryGib = requireMemory(MODEL_SIZER, 'gpuProduct.memory', props.gpuProduct.memory, SIZING_FIXES.gpuMemory);
    requireAtMost(MODEL_SIZER, 'gpuProduct.memory', gpuMemoryGib, ModelSizer.MAX_GPU_MEMORY_GIB, SIZING_FIXES.gpuMemory);
    requirePowerOfTwo(MODEL_SIZER, 'gpusPerNode', gpusPerNode, SIZING_FIXES.gpusPerNode);
    requireAtMost(MODEL_SIZER, 'gpusPerNode', gpusPerNode, ModelSizer.MAX_GPUS_PER_NODE, SIZING_FIXES.gpusPerNode);
    requireFraction(MODEL_SIZER, 'gpuMemoryUtilization', gpuMemoryUtilization, SIZING_FIXES.gpuMemoryUtilization);
    requireWholeNumber(MODEL_SIZER, 'maxNodesPerReplica', maxNodes, SIZING_FIXES.maxNodesPerReplica, ModelSizer.MAX_NODES_PER_REPLICA);

    const outcome = sizeModel({
      parameterCountBillions: model.parameterCountBillions,
      layers: model.layers,
      kvHeads: model.kvHeads,
      headDim: model.headDim,
      weightBytesPerParameter: precision.bytesPerParameter,
      kvBytesPerValue: kvCachePrecision.bytesPerParameter,
      contextLength,
      concurrency,
      gpuMemoryGib,
      gpuMemoryUtilization,
      gpusPerNode,
      maxNodes,
    });

    const describe = (f: DegreeFigures): SizingFigures => ({
      ...f,
      gpuName: props.gpuProduct.name,
      gpuMemoryGib,
      gpuMemoryUtilization,
      weightsGib: outcome.weightsGib,
      kvCacheGib: outcome.kvCacheGib,
    });
    let reason: string;
    if (outcome.nodes > 1) {
      reason = acrossNodesReason(describe(outcome.chosen), outcome.nodes, describe(outcome.smaller!));
    } else if (outcome.degree > 0) {
      reason = fitsReason(describe(outcome.chosen), outcome.smaller && describe(outcome.smaller));
    } else if (outcome.atMaxNodes) {
      reason = tooLargeReason(describe(outcome.atMaxNodes), maxNodes, outcome.atMaxNodes.nodes);
    } else if (outcome.memoryDegree === 0) {
      reason = tooLargeReason(describe(outcome.chosen), maxNodes, 1);
    } else {
      reason = headsReason(describe(outcome.atMemoryDegree), model.kvHeads, outcome.maxDegree);
    }

    return {
      fits: outcome.degree > 0,
      reason,
      gpusPerReplica: outcome.degree,
      nodesPerReplica: outcome.nodes,
      tensorParallelSize: outcome.nodes > 0 ? outcome.chosen.gpusPerNode : 0,
      pipelineParallelSize: outcome.nodes,
      weights: Size.gibibytes(outcome.weightsGib),
      kvCache: Size.gibibytes(outcome.kvCacheGib),
      requiredGpuMemory: Size.gibibytes(outcome.chosen.requiredGib),
      usableGpuMemory: Size.gibibytes(outcome.chosen.usableGib),
      hostMemory: Size.gibibytes(outcome.chosen.hostMemoryGib),
      vcpus: outcome.chosen.cpuCores,
    };
  }

  private constructor() {}
}
