/**
 * The numeric core of model sizing: plain numbers in, plain numbers out, no validation and no text.
 * `ModelSizer` (../model-sizing.ts) validates the props, calls `sizeModel` and words the reason.
 */

/** Bytes in one GiB. */
export const BYTES_PER_GIB = 2 ** 30;
/** GPU memory kept per GPU for activations, CUDA graphs and the NCCL/CUDA context, beyond weights and KV cache. */
export const RUNTIME_RESERVE_GIB_PER_GPU = 1;
/** Host RAM on top of the weights while they are read and copied to the GPUs (page cache, staging buffers). */
export const HOST_WEIGHTS_HEADROOM = 0.1;
/** Host RAM per GPU worker process (Python, CUDA context, pinned buffers). */
export const HOST_OVERHEAD_GIB_PER_GPU = 4;
/** CPU cores per GPU (tokenizer, scheduler, one worker per GPU), never fewer than `MIN_CPU_CORES`. */
export const CPU_CORES_PER_GPU = 4;
/** CPU cores for the smallest replica. */
export const MIN_CPU_CORES = 4;

/** What the core needs, all validated. */
export interface SizingInputs {
  readonly parameterCountBillions: number;
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly weightBytesPerParameter: number;
  readonly kvBytesPerValue: number;
  readonly contextLength: number;
  readonly concurrency: number;
  readonly gpuMemoryGib: number;
  readonly gpuMemoryUtilization: number;
  readonly gpusPerNode: number;
  /** The most nodes one replica may span (pipeline parallel across them); 1 keeps a replica on one node. */
  readonly maxNodes: number;
}

/** Memory for a replica at one tensor-parallel degree. */
export interface DegreeFigures {
  readonly gpus: number;
  readonly reserveGib: number;
  readonly requiredGib: number;
  readonly usableGib: number;
  /** Host RAM of one node's pod. */
  readonly hostMemoryGib: number;
  /** CPU cores of one node's pod. */
  readonly cpuCores: number;
  /** Nodes the replica spans (the pipeline-parallel degree); 1 on one node. */
  readonly nodes: number;
  /** GPUs used on each node (the tensor-parallel degree). */
  readonly gpusPerNode: number;
}

/** The outcome, before it is worded. */
export interface SizingOutcome {
  readonly weightsGib: number;
  readonly kvCacheGib: number;
  /** Largest power of two that divides the KV heads and is at most gpusPerNode. */
  readonly maxDegree: number;
  /** Smallest power of two ≤ gpusPerNode whose memory holds the model, ignoring the heads; 0 if none. */
  readonly memoryDegree: number;
  /** GPUs per replica: memoryDegree when it also divides the KV heads; across nodes, maxDegree x nodes; else 0. */
  readonly degree: number;
  /** Figures at `degree`, or at gpusPerNode when it is 0. */
  readonly chosen: DegreeFigures;
  /** Figures at `memoryDegree` (or gpusPerNode), for explaining a heads limit. */
  readonly atMemoryDegree: DegreeFigures;
  /** Figures one power of two below `degree`, when degree > 1; one node fewer for a replica across nodes. */
  readonly smaller?: DegreeFigures;
  /** Nodes per replica: 1 on one node, more across nodes (pipeline parallel); 0 when it does not fit. */
  readonly nodes: number;
  /** Figures at `maxNodes` nodes of `maxDegree` GPUs, when more than one node was tried and none held the model. */
  readonly atMaxNodes?: DegreeFigures;
}

/** weights = parameters × bytes per parameter. */
export function weightsGib(parameterCountBillions: number, bytesPerParameter: number): number {
  return Math.round(parameterCountBillions * 1e9) * bytesPerParameter / BYTES_PER_GIB;
}

/** KV cache = 2 (K and V) × layers × KV heads × head dim × bytes × context × concurrency. */
export function kvCacheGib(i: SizingInputs): number {
  return 2 * i.layers * i.kvHeads * i.headDim * i.kvBytesPerValue * i.contextLength * i.concurrency / BYTES_PER_GIB;
}

/** Largest power of two dividing `n` (n a whole number ≥ 1). */
export function largestPowerOfTwoDividing(n: number): number {
  let d = 1;
  while (n % (d * 2) === 0) d *= 2;
  return d;
}

/** Figures for `nodes` nodes of `perNode` GPUs each: each node's pod loads its share of the weights (its pipeline stage). */
function figures(i: SizingInputs, weights: number, kv: number, perNode: number, nodes = 1): DegreeFigures {
  const gpus = perNode * nodes;
  const reserveGib = gpus * RUNTIME_RESERVE_GIB_PER_GPU;
  return {
    gpus,
    reserveGib,
    requiredGib: weights + kv + reserveGib,
    usableGib: gpus * i.gpuMemoryGib * i.gpuMemoryUtilization,
    hostMemoryGib: Math.ceil(weights / nodes * (1 + HOST_WEIGHTS_HEADROOM) + perNode * HOST_OVERHEAD_GIB_PER_GPU),
    cpuCores: Math.max(MIN_CPU_CORES, perNode * CPU_CORES_PER_GPU),
    nodes,
    gpusPerNode: perNode,
  };
}

/** Sizes one replica: the smallest power-of-two tensor-parallel degree whose usable memory holds the model. */
export function sizeModel(i: SizingInputs): SizingOutcome {
  const weights = weightsGib(i.parameterCountBillions, i.weightBytesPerParameter);
  const kv = kvCacheGib(i);
  const maxDegree = Math.min(i.gpusPerNode, largestPowerOfTwoDividing(i.kvHeads));
  let memoryDegree = 0;
  for (let d = 1; d <= i.gpusPerNode; d *= 2) {
    const f = figures(i, weights, kv, d);
    if (f.usableGib >= f.requiredGib) {
      memoryDegree = d;
      break;
    }
  }
  // Powers of two: if memoryDegree does not divide the heads, no larger one does either.
  const degree = memoryDegree > 0 && memoryDegree <= maxDegree ? memoryDegree : 0;
  const single: SizingOutcome = {
    weightsGib: weights,
    kvCacheGib: kv,
    maxDegree,
    memoryDegree,
    degree,
    chosen: figures(i, weights, kv, degree || i.gpusPerNode),
    atMemoryDegree: figures(i, weights, kv, memoryDegree || i.gpusPerNode),
    smaller: degree > 1 ? figures(i, weights, kv, degree / 2) : undefined,
    nodes: degree > 0 ? 1 : 0,
  };
  if (degree > 0 || i.maxNodes < 2) return single;
  // Across nodes: tensor parallel within a node (the largest degree the heads allow), pipeline parallel across nodes,
  // one stage per node, so there are never more nodes than layers.
  const most = Math.min(i.maxNodes, i.layers);
  for (let n = 2; n <= most; n++) {
    const f = figures(i, weights, kv, maxDegree, n);
    if (f.usableGib >= f.requiredGib) {
      return { ...single, degree: maxDegree * n, chosen: f, smaller: figures(i, weights, kv, maxDegree, n - 1), nodes: n };
    }
  }
  return { ...single, atMaxNodes: figures(i, weights, kv, maxDegree, Math.max(most, 1)) };
}
