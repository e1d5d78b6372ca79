import * as fc from 'fast-check';
import { wrongType } from './arbitraries';
import { fuzzTest } from './harness';
import { ScalingApproach, ScalingStrategyAdvisor, WorkloadKind, WorkloadScenario } from '../../src';

const scenario = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(WorkloadScenario)), weight: 10 },
  { arbitrary: fc.constantFrom('training', 'inference/real-time', 'INFERENCE/REAL-TIME-API', ' inference/real-time-api', 'toString', '__proto__'), weight: 3 },
  { arbitrary: wrongType(), weight: 2 },
);
const props = fc.oneof(
  { arbitrary: fc.record({ scenario }), weight: 20 },
  { arbitrary: fc.constant({}), weight: 1 },
  { arbitrary: wrongType(), weight: 2 },
);

describe('ScalingStrategyAdvisor', () => {
  fuzzTest('ScalingStrategyAdvisor.recommend', props, (p) => {
    const r = ScalingStrategyAdvisor.recommend(p);
    const problems: string[] = [];
    if (r.scenario !== p.scenario) problems.push(`scenario is ${r.scenario}, not ${p.scenario}`);
    if (!Object.values(WorkloadKind).includes(r.kind)) problems.push(`kind ${r.kind} is not a WorkloadKind`);
    if (!Object.values(ScalingApproach).includes(r.approach)) problems.push(`approach ${r.approach} is not a ScalingApproach`);
    if (!r.reasoning) problems.push('reasoning is empty');
    if (!Array.isArray(r.constructs) || r.constructs.length === 0) problems.push('constructs is empty');
    if (!Array.isArray(r.caveats) || !Array.isArray(r.plannedConstructs)) problems.push('caveats or plannedConstructs is not a list');
    return problems;
  });
});
