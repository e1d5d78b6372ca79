import { Size, SizeRoundingBehavior } from 'cdk8s';
import { invalidProp } from '../../common/errors';

/**
 * Every text the planners write: input errors (thrown, they are programming errors) and the reasons
 * a plan carries (returned, they are planning outcomes). Kept in one module so the wording stays uniform.
 */

/** What the model-sizing errors are raised against, in place of a construct path. */
export const MODEL_SIZER = 'ModelSizer';
export const MODEL_ARCHITECTURE = 'ModelArchitecture';
export const MODEL_PRECISION = 'ModelPrecision';

/** The fix for each input the sizer checks, so the check and its advice sit together. */
export const SIZING_FIXES = {
  parameterCountBillions: 'give the parameter count in billions, e.g. 8.03 for Llama 3.1 8B',
  layers: "use num_hidden_layers from the model's config.json",
  kvHeads: "use num_key_value_heads from the model's config.json (num_attention_heads when it has no grouped-query attention)",
  headDim: "use head_dim from the model's config.json, or hidden_size / num_attention_heads",
  bytesPerParameter: 'give bytes per parameter: 2 for 16-bit, 1 for 8-bit, 0.5 for 4-bit',
  contextLength: 'give the longest sequence a replica serves (prompt + output tokens), e.g. 8192',
  concurrency: 'give the sequences one replica serves at once, e.g. 16',
  gpuMemory: "create the product with its memory, e.g. GpuProduct.of('b200', Size.gibibytes(180))",
  gpuMemoryUtilization: "use the server's GPU memory fraction, e.g. 0.9 (vLLM's --gpu-memory-utilization default)",
  gpusPerNode: 'give the GPUs on one node as a power of two, e.g. 8 for p5.48xlarge (tensor parallelism splits by powers of two)',
  maxNodesPerReplica: 'give the most nodes one replica may span, from 1 (one node) to 64, e.g. 2 for Llama 3.1 405B at bf16 on 8 x H100',
} as const;

/** Throws unless `value` is finite and above zero. */
export function requirePositiveNumber(owner: string, prop: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalidProp(owner, prop, value, 'must be a number above zero', fix);
  }
}

/** The size in GiB; throws unless it is a Size above zero. */
export function requireMemory(owner: string, prop: string, value: Size, fix: string): number {
  const amount = value instanceof Size ? value.toGibibytes({ rounding: SizeRoundingBehavior.NONE }) : NaN;
  if (!Number.isFinite(amount) || amount <= 0) {
    invalidProp(owner, prop, value, 'must be a size above zero', fix);
  }
  return amount;
}

/** Throws unless `value` is a whole number of at least 1 (and at most `max`). */
export function requireWholeNumber(owner: string, prop: string, value: number, fix: string, max = Infinity): void {
  if (!Number.isInteger(value) || value < 1) {
    invalidProp(owner, prop, value, 'must be a whole number of at least 1', fix);
  }
  if (value > max) invalidProp(owner, prop, value, `must be at most ${max}`, fix);
}

/** Throws when a number is above its bound. */
export function requireAtMost(owner: string, prop: string, value: number, max: number, fix: string): void {
  if (value > max) invalidProp(owner, prop, value, `must be at most ${max}`, fix);
}

/** Throws unless `value` is in (0, 1]. */
export function requireFraction(owner: string, prop: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    invalidProp(owner, prop, value, 'must be a fraction above 0 and at most 1', fix);
  }
}

/** Throws unless `value` is 1, 2, 4, 8, ... */
export function requirePowerOfTwo(owner: string, prop: string, value: number, fix: string): void {
  if (!Number.isInteger(value) || value < 1 || !Number.isInteger(Math.log2(value))) {
    invalidProp(owner, prop, value, 'must be a power of two (1, 2, 4, 8, ...)', fix);
  }
}

/** GiB with one decimal, as the reasons print them. */
export function gib(value: number): string {
  return value.toFixed(1);
}

/** The numbers a sizing reason quotes. */
export interface SizingFigures {
  readonly gpuName: string;
  readonly gpuMemoryGib: number;
  readonly gpuMemoryUtilization: number;
  readonly weightsGib: number;
  readonly kvCacheGib: number;
  readonly reserveGib: number;
  readonly requiredGib: number;
  readonly usableGib: number;
  readonly gpus: number;
}

function breakdown(f: SizingFigures): string {
  return `weights ${gib(f.weightsGib)} + KV cache ${gib(f.kvCacheGib)} + runtime reserve ${gib(f.reserveGib)}`;
}

function usable(f: SizingFigures): string {
  return `${gib(f.usableGib)} GiB usable (${f.gpus} x ${f.gpuMemoryGib} GiB x ${f.gpuMemoryUtilization})`;
}

const SHRINK = 'use a larger GPU, lower precision, shorter context or fewer concurrent sequences';

/** Why the chosen tensor-parallel degree; `smaller` is the same sizing one power of two below, if any. */
export function fitsReason(chosen: SizingFigures, smaller?: SizingFigures): string {
  const head = `${chosen.gpus} x ${chosen.gpuName} (tensor parallel ${chosen.gpus}): needs ${gib(chosen.requiredGib)} GiB `
    + `(${breakdown(chosen)}) within ${usable(chosen)}`;
  if (!smaller) return head;
  return `${head}; ${smaller.gpus} x ${smaller.gpuName} would give only ${gib(smaller.usableGib)} GiB `
    + `for ${gib(smaller.requiredGib)} GiB`;
}

/** Why nothing up to a whole node holds the model (`maxNodes` 1), or nothing up to `maxNodes` nodes. */
export function tooLargeReason(atMost: SizingFigures, maxNodes: number, nodes: number): string {
  const where = nodes > 1 ? `${nodes} nodes of ${atMost.gpus / nodes} x ${atMost.gpuName}` : `${atMost.gpus} x ${atMost.gpuName}`;
  const more = maxNodes > 1 ? `, or raise maxNodesPerReplica above ${maxNodes}` : ', or let a replica span nodes (maxNodesPerReplica)';
  return `needs ${gib(atMost.requiredGib)} GiB (${breakdown(atMost)}) but ${where} give at most ${usable(atMost)}: ${SHRINK}${more}`;
}

/** Why a replica spans `nodes` nodes; `fewer` is the same sizing one node fewer. */
export function acrossNodesReason(chosen: SizingFigures, nodes: number, fewer: SizingFigures): string {
  const perNode = chosen.gpus / nodes;
  const fewerNodes = nodes - 1;
  return `${nodes} nodes x ${perNode} x ${chosen.gpuName} (tensor parallel ${perNode} within a node, pipeline parallel ${nodes} across nodes): `
    + `needs ${gib(chosen.requiredGib)} GiB (${breakdown(chosen)}) within ${usable(chosen)}; ${fewerNodes} node${fewerNodes === 1 ? '' : 's'} `
    + `would give only ${gib(fewer.usableGib)} GiB for ${gib(fewer.requiredGib)} GiB`;
}

/** Why the memory-fitting degree is not a degree the server can split the model's KV heads over. */
export function headsReason(atMemory: SizingFigures, kvHeads: number, maxDegree: number): string {
  return `needs ${atMemory.gpus} x ${atMemory.gpuName} for ${gib(atMemory.requiredGib)} GiB (${breakdown(atMemory)}), `
    + `but the tensor-parallel degree must divide the model's ${kvHeads} KV head${kvHeads === 1 ? '' : 's'}, so at most ${maxDegree} GPU`
    + `${maxDegree === 1 ? '' : 's'} per replica: ${SHRINK}`;
}
