/** Generators for an EC2NodeClass's kubelet settings (issue 18): valid amounts, their boundaries, and wrong types. */
import { Size } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber } from './arbitraries';
import { cpu } from './arbitraries-serving';

const memory = () => orWrong(fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 8192 }).map((m) => Size.mebibytes(m)), weight: 8 },
  { arbitrary: fc.constantFrom(Size.mebibytes(1.5), Size.tebibytes(1), Size.tebibytes(2), Size.gibibytes(Infinity), Size.mebibytes(NaN)), weight: 2 },
));

/** `NodeKubeletSettings`, mostly valid. */
export function kubeletSettings(): fc.Arbitrary<any> {
  return orWrong(fc.record({
    kubeReservedCpu: optional(orWrong(cpu())),
    kubeReservedMemory: optional(memory()),
    systemReservedCpu: optional(orWrong(cpu())),
    systemReservedMemory: optional(memory()),
    evictionHardMemoryAvailable: optional(memory()),
    evictionHardMemoryAvailablePercent: optional(fc.oneof(realNumber(0, 100), fc.constantFrom(5, 7.5, 100, 0.01, 1.125))),
    maxPods: optional(wholeNumber(1, 1000)),
    podsPerCore: optional(wholeNumber(1, 1000)),
    evictionSoft: fc.constantFrom(undefined, undefined, undefined, { 'memory.available': '5%' }),
  }, { requiredKeys: [] }).map((k) => Object.fromEntries(Object.entries(k).filter(([, v]) => v !== undefined))), 20);
}
