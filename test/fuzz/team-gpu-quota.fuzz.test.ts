import * as fc from 'fast-check';
import { optional, orWrong, wholeNumber, dnsLabel, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { TeamGpuQuota } from '../../src';

const entry = orWrong(fc.record({ priorityClassName: orWrong(dnsLabel()), maxGpus: orWrong(wholeNumber(0, 1_000_000)) }));
const props = fc.oneof(
  {
    arbitrary: fc.record({
      namespace: optional(dnsLabel()),
      maxGpus: optional(wholeNumber(0, 1_000_000)),
      perPriorityClass: optional(fc.array(entry, { maxLength: 3 })),
      name: optional(dnsLabel()),
    }),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('TeamGpuQuota', () => {
  fuzzTest('TeamGpuQuota', props, (p) => synthProblems((chart) => { new TeamGpuQuota(chart, 'quota', p); }));
});
