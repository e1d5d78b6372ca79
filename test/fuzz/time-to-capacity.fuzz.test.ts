import * as fc from 'fast-check';
import { size } from './arbitraries';
import { anyDuration, optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries-metrics';
import { startupEstimate } from './arbitraries-serving';
import { fuzzTest, nonFiniteNumbers, numberProblems } from './harness';
import { HpaScalingPolicyType, HpaSelectPolicy, ScalingBehavior, TimeToCapacity } from '../../src';

const estimateProps = orWrong(fc.record({
  nodeProvisioning: anyDuration(0, 1800),
  imagePull: optional(anyDuration(0, 1800)),
  imageSize: optional(size(1, 100)),
  imagePullMibPerSecond: optional(realNumber(1, 5000)),
  modelLoad: optional(anyDuration(0, 7200)),
  weights: optional(size(1, 1000)),
  weightLoadMibPerSecond: optional(realNumber(1, 5000)),
  warmUp: optional(anyDuration(0, 600)),
  weightDownload: optional(anyDuration(0, 3600)),
}, { requiredKeys: [] }), 20);

const policy = orWrong(fc.record({
  type: orWrong(fc.constantFrom(HpaScalingPolicyType.PODS, HpaScalingPolicyType.PERCENT)),
  value: orWrong(wholeNumber(1, 500)),
  period: anyDuration(1, 1800),
}), 20);
const behavior = fc.oneof(
  { arbitrary: fc.constantFrom('realTime', 'standard', 'none'), weight: 3 },
  {
    arbitrary: fc.record({
      policies: optional(fc.array(policy, { maxLength: 3 })),
      stabilizationWindow: optional(anyDuration(0, 3600)),
      selectPolicy: optional(fc.constantFrom(...Object.values(HpaSelectPolicy), 'max')),
    }, { requiredKeys: [] }),
    weight: 8,
  },
  { arbitrary: wrongType(), weight: 1 },
);

function makeBehavior(b: any): any {
  if (b === 'realTime') return ScalingBehavior.realTime();
  if (b === 'standard') return ScalingBehavior.standard();
  if (b === 'none') return undefined;
  if (b !== null && typeof b === 'object' && !Array.isArray(b) && !(b instanceof Date) && Object.getPrototypeOf(b) === Object.prototype) {
    return ScalingBehavior.custom({ scaleUp: b });
  }
  return b;
}

const call = fc.oneof(
  fc.record({ op: fc.constant('estimate'), props: estimateProps }),
  fc.record({ op: fc.constant('total'), estimate: startupEstimate }),
  fc.record({ op: fc.constant('leadTime'), estimate: startupEstimate }),
  fc.record({
    op: fc.constant('scaleUp'),
    props: orWrong(fc.record({
      estimate: startupEstimate,
      minReplicas: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 10 }), weight: 6 }, { arbitrary: orWrong(wholeNumber(0, 200)), weight: 1 }),
      maxReplicas: fc.oneof({ arbitrary: fc.integer({ min: 10, max: 500 }), weight: 6 }, { arbitrary: orWrong(wholeNumber(1, 5000)), weight: 1 }),
      behavior,
    }, { requiredKeys: ['estimate', 'minReplicas', 'maxReplicas'] }), 20),
  }),
);

describe('TimeToCapacity', () => {
  fuzzTest('TimeToCapacity', call, (c: any) => {
    if (c.op === 'estimate') {
      const e = TimeToCapacity.estimate(c.props);
      const total = TimeToCapacity.total(e).toSeconds({ integral: false });
      return [...nonFiniteNumbers(e), ...numberProblems('total', total, { min: 0, max: 4 * 86_400 })];
    }
    if (c.op === 'leadTime') {
      // Whole minutes, never short of the total, less than a minute over it.
      const lead = TimeToCapacity.leadTime(c.estimate).toSeconds({ integral: false });
      const total = TimeToCapacity.total(c.estimate).toSeconds({ integral: false });
      return [...numberProblems('leadTime', lead, { min: total, max: total + 60 }), ...(lead % 60 === 0 ? [] : [`leadTime ${lead} s is not whole minutes`])];
    }
    if (c.op === 'total') {
      return numberProblems('total', TimeToCapacity.total(c.estimate).toSeconds({ integral: false }), { min: 0, max: 4 * 86_400 });
    }
    const props = c.props !== null && typeof c.props === 'object' && !Array.isArray(c.props) && !(c.props instanceof Date)
      ? { ...c.props, behavior: makeBehavior(c.props.behavior) } : c.props;
    const t = TimeToCapacity.scaleUp(props);
    const out: string[] = [];
    let last = props.minReplicas;
    for (const s of t.steps) {
      if (!(s.replicas > last && s.replicas <= props.maxReplicas)) out.push(`step to ${s.replicas} after ${last} (max ${props.maxReplicas})`);
      last = s.replicas;
    }
    if (t.maxReplicasReady !== undefined && props.maxReplicas > props.minReplicas && last !== props.maxReplicas) {
      out.push(`maxReplicasReady set, but the last step is ${last}`);
    }
    const first = t.firstReplicaReady?.toSeconds({ integral: false });
    const lastReady = t.maxReplicasReady?.toSeconds({ integral: false });
    if (first !== undefined && lastReady !== undefined && first > lastReady) {
      out.push('the first replica is ready after the last');
    }
    return out;
  });
});
