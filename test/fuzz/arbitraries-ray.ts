/**
 * Generators for the Ray, node pool, priority and guardrail targets: CPU amounts, GPU requests, Ray versions,
 * namespace lists and booleans as a JSON/YAML caller spells them.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, optional, orWrong, wholeNumber } from './arbitraries';
import { GpuProduct, GpuRequest } from '../../src';

/** CPU amounts: whole cores, millicores, zero, negative, fractions of a millicore, huge and non-finite. */
export function cpu(): fc.Arbitrary<kplus.Cpu> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 64 }).map((n) => kplus.Cpu.units(n)), weight: 8 },
    { arbitrary: fc.integer({ min: 100, max: 16000 }).map((n) => kplus.Cpu.millis(n)), weight: 4 },
    {
      arbitrary: fc.constantFrom(kplus.Cpu.units(0), kplus.Cpu.units(-1), kplus.Cpu.millis(0.5), kplus.Cpu.units(1e9),
        kplus.Cpu.units(Infinity), kplus.Cpu.units(NaN), kplus.Cpu.millis(1)),
      weight: 2,
    },
  );
}

/** Sizes of memory: GiB from 1 to 256, and zero, fractions, huge and non-finite ones. */
export function memory(): fc.Arbitrary<Size> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 256 }).map((g) => Size.gibibytes(g)), weight: 10 },
    {
      arbitrary: fc.constantFrom(Size.mebibytes(512), Size.gibibytes(0), Size.mebibytes(1.5), Size.kibibytes(0.5),
        Size.pebibyte(100), Size.gibibytes(Infinity), Size.gibibytes(NaN)),
      weight: 2,
    },
  );
}

/** GPU requests: 1 to 8 GPUs, with or without a product; 0, too many and fractional counts. */
export function gpuRequest(): fc.Arbitrary<GpuRequest> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => GpuRequest.of(n)), weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => GpuRequest.of(n, { gpuProduct: GpuProduct.A10G })), weight: 3 },
    { arbitrary: fc.constantFrom(0, -1, 0.5, 65, NaN, Infinity).map((n) => GpuRequest.of(n)), weight: 1 },
  );
}

/** Ray versions: supported, too old, not a version, and text that is not an image tag. */
export function rayVersion(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('2.52.0', '2.52.1', '2.53.0', '3.0', '2.60.10'), weight: 8 },
    {
      arbitrary: fc.constantFrom('2.46.0', '2.51.9', '1.0.0', 'latest', '', '2.52', 'v2.52.0', '2.52.0 ', '2.52.0:x', '2.52.0-rc1',
        '99999999999999999999.0.0', `2.${'9'.repeat(200)}.0`),
      weight: 3,
    },
  );
}

/** Namespace names as a list, with bad names (not label values) and wrong item types. */
export function namespaces(): fc.Arbitrary<any[]> {
  return fc.array(orWrong(dnsLabel()), { maxLength: 3 });
}

/** A boolean, or the strings and numbers a YAML caller writes for one. */
export function bool(): fc.Arbitrary<any> {
  return optional(fc.boolean());
}

/** A PriorityClass name: DNS-1123 subdomains, and names that are not. */
export function priorityClassName(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('gpu-training', 'team.example.com', 'a'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'Training', 'gpu_training', '-x', 'x.', `${'a'.repeat(254)}`, 'a..b'), weight: 3 },
  );
}

/** Replica bounds around the int32 range. */
export function replicas(): fc.Arbitrary<number> {
  return wholeNumber(0, 2 ** 31 - 1);
}
