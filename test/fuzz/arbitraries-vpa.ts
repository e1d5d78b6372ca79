/**
 * Generators for the VerticalAutoscaler, BatchInferenceJob, PrometheusSelector, PrometheusAdapterConfig and GpuRequest
 * fuzz targets: CPU amounts, GPU requests and queue triggers, valid and not.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { optional, orWrong, wholeNumber, wrongType } from './arbitraries';
import { GpuProduct, GpuRequest, QueueTrigger, TriggerCredentials } from '../../src';

/** CPU amounts: millicores, cores, zero, negatives, fractions of a millicore, non-finite. */
export function cpu(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 64_000 }).map((m) => kplus.Cpu.millis(m)), weight: 8 },
    { arbitrary: fc.integer({ min: 1, max: 64 }).map((c) => kplus.Cpu.units(c)), weight: 4 },
    {
      arbitrary: fc.constantFrom(kplus.Cpu.millis(0), kplus.Cpu.units(-1), kplus.Cpu.millis(0.5), kplus.Cpu.units(Infinity),
        kplus.Cpu.units(NaN), kplus.Cpu.units(1e9)),
      weight: 2,
    },
    { arbitrary: fc.constantFrom<any>('500m', 2, null, {}, Size.gibibytes(1)), weight: 1 },
  );
}

/** Memory sizes: whole mebibytes and gibibytes, zero, fractions, huge and non-finite sizes. */
export function memory(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 512 }).map((g) => Size.gibibytes(g)), weight: 8 },
    { arbitrary: fc.integer({ min: 1, max: 4096 }).map((m) => Size.mebibytes(m)), weight: 4 },
    {
      arbitrary: fc.constantFrom(Size.mebibytes(0), Size.mebibytes(1.5), Size.kibibytes(1), Size.pebibyte(100),
        Size.gibibytes(Infinity), Size.gibibytes(NaN)),
      weight: 2,
    },
    { arbitrary: fc.constantFrom<any>('8Gi', 8, null, {}, kplus.Cpu.units(1)), weight: 1 },
  );
}

/** Options of GpuRequest.of: a product, a node selector (valid or not), or wrong types. */
export function gpuOptions(): fc.Arbitrary<any> {
  const selector = fc.oneof(
    { arbitrary: fc.constantFrom({ 'ml-scaling/pool': 'gpu-inference' }, { pool: 'gpu' }), weight: 6 },
    { arbitrary: fc.constantFrom<any>({}, { 'Bad Key': 'x' }, { pool: 'has space' }, { pool: 1 }, { pool: null }, { 'a/b/c': 'x' }), weight: 3 },
  );
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.record({
        gpuProduct: optional(fc.constantFrom(GpuProduct.A10G, GpuProduct.H100, GpuProduct.L4)),
        nodeSelector: optional(selector, 4),
      }, { requiredKeys: [] }),
      weight: 8,
    },
    { arbitrary: fc.constantFrom<any>(null, 'a10g', 1, [], GpuProduct.L4, { gpuProduct: 'a10g' }), weight: 1 },
  );
}

/** GPU counts per pod: 1 to 8, the bound 64 and one past it, zero, fractions, wrong types. */
export function gpuCount(): fc.Arbitrary<any> {
  return orWrong(wholeNumber(1, 64), 10);
}

/** A GpuRequest made by GpuRequest.of, or the error it throws, as a thunk: so a rejection lands in the case that uses it. */
export function gpuRequest(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.tuple(gpuCount(), gpuOptions()).map(([n, o]) => new LazyGpu(n, o)), weight: 10 },
    { arbitrary: fc.constantFrom<any>(1, { gpus: 1 }, 'nvidia.com/gpu', null), weight: 1 },
  );
}

/** Defers GpuRequest.of to the case's run, where its error is sorted like any other. */
export class LazyGpu {
  public constructor(public readonly gpus: unknown, public readonly options: unknown) {}
  public make(): GpuRequest {
    return GpuRequest.of(this.gpus as number, this.options as any);
  }
}

/** Valid queue triggers from QueueTrigger's static factories, and wrong types in their place. */
export function queueTrigger(): fc.Arbitrary<any> {
  const valid = fc.constantFrom(
    () => QueueTrigger.sqs('https://sqs.eu-west-1.amazonaws.com/123456789012/jobs', {
      region: 'eu-west-1', credentials: TriggerCredentials.awsPodIdentity(), messagesPerReplica: 5,
    }),
    () => QueueTrigger.redisList('redis.default.svc:6379', 'jobs'),
    () => QueueTrigger.kafka('kafka:9092', 'workers', 'requests', { messagesPerReplica: 10 }),
  );
  return fc.oneof(
    { arbitrary: valid.map((f) => f()), weight: 10 },
    { arbitrary: fc.constantFrom<any>('sqs', { queueUrl: 'x' }, [], 1, true), weight: 1 },
  );
}

export { wrongType };
