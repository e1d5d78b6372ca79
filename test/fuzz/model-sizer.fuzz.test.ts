import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, size, wholeNumber, wrongType } from './arbitraries';
import { mostly, nonFiniteNumbers, sometimesMissing } from './arbitraries-planning';
import { fuzzTest, numberProblems } from './harness';
import { GpuProduct, ModelArchitecture, ModelPrecision, ModelSizer, ModelSizing } from '../../src';

/** Descriptions of enum-like values; the run builds them, so their factories' errors count as the input's. */
const precision = fc.oneof(
  { arbitrary: fc.constantFrom(ModelPrecision.BF16, ModelPrecision.FP8, ModelPrecision.INT4, ModelPrecision.INT8), weight: 8 },
  {
    arbitrary: fc.record({
      of: fc.constant('precision'),
      name: orWrong(fc.constantFrom('fp6', '', 'a\nb')),
      bytes: orWrong(realNumber(0.25,
        8)),
    }),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('bf16', 2), weight: 1 },
);
const model = fc.oneof(
  {
    arbitrary: fc.constantFrom(ModelArchitecture.LLAMA_3_1_8B, ModelArchitecture.LLAMA_3_1_70B, ModelArchitecture.LLAMA_2_7B,
      ModelArchitecture.LLAMA_3_1_405B),
    weight: 8,
  },
  {
    arbitrary: fc.record({
      of: fc.constant('model'),
      props: mostly(sometimesMissing(fc.record({
        parameterCountBillions: mostly(fc.double({ min: 0.1, max: 1000, noNaN: true }), orWrong(fc.oneof(realNumber(0.1, 1000),
          fc.constantFrom(100_000, 100_001)))),
        layers: mostly(fc.integer({ min: 1, max: 128 }), orWrong(fc.oneof(wholeNumber(1, 128), fc.constantFrom(10_000, 10_001)))),
        kvHeads: mostly(fc.constantFrom(1, 2, 4, 8, 16, 32, 6), orWrong(wholeNumber(1, 64))),
        headDim: mostly(fc.constantFrom(64, 128, 256), orWrong(fc.oneof(wholeNumber(1, 256), fc.constantFrom(65_536, 65_537)))),
        name: optional(fc.constantFrom('qwen2.5-72b', '', 'x\ny')),
      }), ['parameterCountBillions', 'layers', 'kvHeads', 'headDim']), wrongType(), 10),
    }),
    weight: 4,
  },
  { arbitrary: wrongType(), weight: 1 },
);
const gpu = fc.oneof(
  { arbitrary: fc.constantFrom(GpuProduct.T4, GpuProduct.L4, GpuProduct.A100, GpuProduct.H100, GpuProduct.H200), weight: 8 },
  {
    arbitrary: fc.record({
      of: fc.constant('gpu'),
      name: orWrong(fc.constantFrom('b200', 'mi300x', '', 'B 200')),
      memory: orWrong(size(1,
        2048)),
    }),
    weight: 3,
  },
  { arbitrary: wrongType(), weight: 1 },
);
const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      model,
      precision: mostly(fc.constant(undefined), optional(precision)),
      kvCachePrecision: mostly(fc.constant(undefined), optional(precision)),
      contextLength: mostly(fc.constantFrom(undefined, 4096, 8192, 131072), optional(fc.oneof(wholeNumber(1, 131072),
        fc.constantFrom(ModelSizer.MAX_CONTEXT_LENGTH, ModelSizer.MAX_CONTEXT_LENGTH + 1)))),
      concurrency: mostly(fc.constantFrom(undefined, 1, 16, 256), optional(fc.oneof(wholeNumber(1, 512),
        fc.constantFrom(ModelSizer.MAX_CONCURRENCY + 1)))),
      gpuProduct: gpu,
      gpusPerNode: mostly(fc.constantFrom(undefined, 1, 4, 8), optional(fc.oneof(wholeNumber(1, 16), fc.constantFrom(64, 128, 6)))),
      gpuMemoryUtilization: mostly(fc.constantFrom(undefined, 0.9), optional(realNumber(0.1, 1))),
    }), ['model', 'gpuProduct']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

function build(v: any): any {
  if (v === null || typeof v !== 'object' || !('of' in v)) return v;
  if (v.of === 'precision') return ModelPrecision.of(v.name, v.bytes);
  if (v.of === 'model') return ModelArchitecture.of(v.props);
  return GpuProduct.of(v.name, v.memory);
}

const gib = (s: Size) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });

function problems(p: any, r: ModelSizing): string[] {
  const perNode = p.gpusPerNode ?? 8;
  const out = [
    ...nonFiniteNumbers(r),
    ...['weights', 'kvCache', 'requiredGpuMemory', 'usableGpuMemory', 'hostMemory']
      .flatMap(k => numberProblems(k, gib((r as any)[k]), { min: 0 })),
    ...numberProblems('vcpus', r.vcpus, { min: 4 }),
    ...numberProblems('gpusPerReplica', r.gpusPerReplica, { min: 0, max: perNode }),
  ];
  if (r.fits !== r.gpusPerReplica > 0) out.push('fits and gpusPerReplica disagree');
  if (r.gpusPerReplica > 0 && !Number.isInteger(Math.log2(r.gpusPerReplica))) out.push(`gpusPerReplica ${r.gpusPerReplica} is not a power of two`);
  if (r.fits && gib(r.requiredGpuMemory) > gib(r.usableGpuMemory) * (1 + 1e-9)) out.push('fits, but needs more memory than it may use');
  if (!Number.isInteger(r.vcpus)) out.push('vcpus is not whole');
  if (!r.reason) out.push('reason is empty');
  return out;
}

describe('ModelSizer', () => {
  fuzzTest('ModelSizer.size', props, (raw) => {
    const p = raw === null || typeof raw !== 'object' ? raw : {
      ...raw,
      model: build(raw.model),
      precision: build(raw.precision),
      kvCachePrecision: build(raw.kvCachePrecision),
      gpuProduct: build(raw.gpuProduct),
    };
    return problems(p, ModelSizer.size(p));
  });
});
