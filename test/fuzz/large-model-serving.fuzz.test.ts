import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, optional, orWrong, secretEnv, size, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { behavior, cpu, engine, monitoring, scalingMetric, startupEstimate } from './arbitraries-serving';
import { fuzzTest, synthProblems } from './harness';
import { GpuProduct, LargeModelServing, ModelArchitecture, ModelPrecision, ScalingMetric, VpaUpdateMode } from '../../src';

const models = [ModelArchitecture.LLAMA_2_7B, ModelArchitecture.LLAMA_3_1_8B, ModelArchitecture.LLAMA_3_1_70B, ModelArchitecture.LLAMA_3_1_405B];
const precisions = [ModelPrecision.BF16, ModelPrecision.FP16, ModelPrecision.FP8, ModelPrecision.INT8, ModelPrecision.INT4];
const gpus = [GpuProduct.H100, GpuProduct.A100, GpuProduct.L40S, GpuProduct.A10G, GpuProduct.T4, GpuProduct.H200];
const image = fc.oneof({ arbitrary: fc.constantFrom('vllm/vllm-openai:v0.12.0', 'vllm/vllm-openai:v0.13.1'), weight: 10 },
  { arbitrary: fc.constantFrom('vllm/vllm-openai:v0.5.0', 'vllm/vllm-openai', 'example/llm:1.0', '', 'Bad/Image', 'lmsysorg/sglang:v0.5.6.post2-cu129'), weight: 2 });
const modelId = fc.oneof({ arbitrary: fc.constantFrom('meta-llama/Llama-3.1-70B-Instruct', '/models/llama'), weight: 10 },
  { arbitrary: fc.constantFrom('', '--model', 'a\nb', ' '), weight: 1 });
const extraArgs = fc.oneof({ arbitrary: fc.constantFrom(['--enable-prefix-caching'], [], ['--max-num-batched-tokens', '8192']), weight: 8 },
  { arbitrary: fc.constantFrom(['--port', '9000'], ['--model=x'], [1], ['--max-model-len', '4096']), weight: 2 });
const metrics = fc.oneof(
  { arbitrary: fc.constantFrom([ScalingMetric.waitingRequests(5)], [ScalingMetric.kvCacheUsage(80), ScalingMetric.runningRequests(8)]), weight: 6 },
  { arbitrary: fc.array(scalingMetric(), { maxLength: 3 }), weight: 3 });

const any = fc.record({
  image: orWrong(image),
  model: orWrong(fc.constantFrom(...models)),
  modelId: orWrong(modelId),
  secretEnv: optional(secretEnv()),
  precision: optional(fc.constantFrom(...precisions)),
  contextLength: optional(fc.oneof({ arbitrary: fc.constantFrom(2048, 8192, 32_768), weight: 6 }, { arbitrary: wholeNumber(1, 131_072), weight: 2 })),
  concurrency: optional(fc.oneof({ arbitrary: fc.constantFrom(1, 16, 64), weight: 6 }, { arbitrary: wholeNumber(1, 1024), weight: 2 })),
  gpuProduct: orWrong(fc.constantFrom(...gpus)),
  gpusPerNode: optional(fc.oneof({ arbitrary: fc.constantFrom(1, 2, 4, 8), weight: 6 }, { arbitrary: wholeNumber(1, 64), weight: 1 })),
  maxReplicas: orWrong(fc.oneof({ arbitrary: fc.integer({ min: 3, max: 20 }), weight: 6 }, { arbitrary: wholeNumber(1, 10_000), weight: 1 })),
  minReplicas: optional(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 6 }, { arbitrary: wholeNumber(1, 10_000), weight: 1 })),
  allowSingleReplica: optional(fc.boolean()),
  metrics: optional(metrics),
  behavior: behavior(),
  engine: engine(),
  updateMode: optional(fc.oneof({ arbitrary: fc.constantFrom(...Object.values(VpaUpdateMode)), weight: 6 }, { arbitrary: fc.constantFrom('initial', 'Auto '), weight: 1 })),
  maxCpu: optional(cpu()),
  maxMemory: optional(size(1, 4096)),
  extraArgs: optional(extraArgs),
  name: optional(dnsLabel()),
  monitoring: monitoring(),
  priorityClassName: optional(fc.constantFrom('realtime', 'gpu.inference', 'Bad_Name', '', 'x'.repeat(254))),
  startupEstimate: optional(startupEstimate),
});

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const valid = fc.record({
  image: fc.constantFrom('vllm/vllm-openai:v0.12.0', 'vllm/vllm-openai:v0.13.1'),
  model: fc.constantFrom(...models),
  modelId: fc.constantFrom('meta-llama/Llama-3.1-70B-Instruct', '/models/llama'),
  precision: opt(fc.constantFrom(...precisions)),
  contextLength: opt(fc.constantFrom(2048, 8192, 32_768)),
  concurrency: opt(fc.constantFrom(1, 16, 64)),
  gpuProduct: fc.constantFrom(...gpus),
  gpusPerNode: opt(fc.constantFrom(1, 2, 4, 8)),
  maxReplicas: fc.integer({ min: 3, max: 20 }),
  maxCpu: opt(fc.integer({ min: 1, max: 512 }).map((n) => kplus.Cpu.units(n))),
  maxMemory: opt(fc.integer({ min: 1, max: 8192 }).map((n) => Size.gibibytes(n))),
  extraArgs: opt(fc.constantFrom(['--enable-prefix-caching'], [])),
  updateMode: opt(fc.constantFrom(...Object.values(VpaUpdateMode))),
  name: opt(fc.constantFrom('llama', 'llm-1')),
  secretEnv: opt(validSecretEnv()),
}, { requiredKeys: ['image', 'model', 'modelId', 'gpuProduct', 'maxReplicas'] });

const props = fc.oneof({ arbitrary: any, weight: 10 }, { arbitrary: valid, weight: 8 }, { arbitrary: wrongType(), weight: 1 });

export const run = (p: any) => synthProblems((chart) => { new LargeModelServing(chart, 'llm', p); });
export const arbitrary = props;

describe('LargeModelServing', () => {
  fuzzTest('LargeModelServing', props, run);
});
