import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, optional, size, wrongType } from './arbitraries';
import { cpu, modelServerProps, realizeServer, validServer } from './arbitraries-serving';
import { fuzzTest, synthProblems } from './harness';
import { EdgeInference, VpaUpdateMode } from '../../src';

const updateMode = fc.oneof({ arbitrary: fc.constantFrom(...Object.values(VpaUpdateMode)), weight: 6 },
  { arbitrary: fc.constantFrom('recreate', 'Auto ', 'InPlace'), weight: 1 });

const props = fc.oneof(
  {
    arbitrary: fc.record({
      modelServer: fc.oneof({ arbitrary: modelServerProps(), weight: 20 }, { arbitrary: fc.constant(undefined), weight: 1 },
        { arbitrary: wrongType(), weight: 1 }),
      maxCpu: optional(cpu()),
      maxMemory: optional(size(1, 64)),
      updateMode: optional(updateMode),
      name: optional(dnsLabel()),
    }),
    weight: 12,
  },
  {
    // Mostly valid: the server's own fields, and ceilings around its size.
    arbitrary: fc.record({
      modelServer: validServer(),
      maxCpu: fc.option(fc.integer({ min: 1, max: 32 }).map((n) => kplus.Cpu.units(n)), { nil: undefined }),
      maxMemory: fc.option(fc.integer({ min: 1, max: 256 }).map((n) => Size.gibibytes(n)), { nil: undefined }),
      updateMode: fc.option(fc.constantFrom(...Object.values(VpaUpdateMode)), { nil: undefined }),
      name: fc.option(fc.constantFrom('detector', 'edge-1'), { nil: undefined }),
    }, { requiredKeys: ['modelServer'] }),
    weight: 6,
  },
  { arbitrary: wrongType(), weight: 1 },
);

/** Builds one case (the model server's kind is made here, so its own errors count as the case's). */
export const run = (p: any) => synthProblems((chart) => {
  const input = p !== null && typeof p === 'object' && !Array.isArray(p) ? { ...p, modelServer: realizeServer(p.modelServer) } : p;
  new EdgeInference(chart, 'edge', input);
});
export const arbitrary = props;

describe('EdgeInference', () => {
  fuzzTest('EdgeInference', props, run);
});
