import * as fc from 'fast-check';
import { anyDuration, optional, options, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries-metrics';
import { fuzzTest, nonFiniteNumbers } from './harness';
import {
  HpaAlgorithm, HpaLimitReason, HpaMetricTargetType, HpaProposeReason, HpaScalingPolicyType, HpaSelectPolicy, HpaStabilizeReason, ScalingBehavior,
} from '../../src';

const SELECT = Object.values(HpaSelectPolicy) as string[];

/** Rules as a JSON config or another language passes them. */
const policy = orWrong(fc.record({
  type: orWrong(fc.constantFrom(...Object.values(HpaScalingPolicyType), 'percent', 'Count')),
  value: orWrong(wholeNumber(1, 1000)),
  period: anyDuration(1, 1800),
}), 20);
const rules = options(fc.record({
  stabilizationWindow: optional(anyDuration(0, 3600)),
  policies: optional(fc.array(policy, { maxLength: 3 })),
  selectPolicy: optional(fc.constantFrom(...SELECT, 'max', 'Maximum')),
  tolerance: optional(realNumber(0, 2)),
}, { requiredKeys: [] }));

/** A behavior: a preset, a custom one, no behavior, or something else. */
const behavior: fc.Arbitrary<any> = fc.oneof(
  { arbitrary: fc.constantFrom('realTime', 'standard', 'none'), weight: 3 },
  { arbitrary: fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), weight: 10 },
  { arbitrary: wrongType(), weight: 1 },
);

function makeBehavior(b: any): ScalingBehavior | undefined {
  if (b === 'realTime') return ScalingBehavior.realTime();
  if (b === 'standard') return ScalingBehavior.standard();
  if (b === 'none') return undefined;
  const plain = b !== null && typeof b === 'object' && !Array.isArray(b) && !(b instanceof Date);
  if (plain && Object.keys(b).every((k) => k === 'scaleUp' || k === 'scaleDown')) {
    return ScalingBehavior.custom(b);
  }
  return b;
}

const event = orWrong(fc.record({ replicaChange: orWrong(wholeNumber(0, 100)), age: anyDuration(0, 3600) }), 20);
const events = optional(fc.array(event, { maxLength: 4 }));
const count = (max: number) => orWrong(wholeNumber(0, max));

const call = fc.oneof(
  fc.record({ op: fc.constant('effectiveBehavior'), behavior }),
  fc.record({
    op: fc.constant('stabilize'),
    props: orWrong(fc.record({
      currentReplicas: count(1000),
      proposedReplicas: count(1000),
      scaleUpWindow: optional(anyDuration(0, 3600)),
      scaleDownWindow: optional(anyDuration(0, 3600)),
      recommendations: optional(fc.array(orWrong(fc.record({ replicas: count(1000), age: anyDuration(0, 7200) }), 20), { maxLength: 4 })),
    }, { requiredKeys: [] }), 30),
  }),
  fc.record({
    op: fc.constant('stabilizeWithoutBehavior'),
    props: orWrong(fc.record({
      proposedReplicas: count(1000),
      window: optional(anyDuration(0, 3600)),
      recommendations: optional(fc.array(orWrong(fc.record({ replicas: count(1000), age: anyDuration(0, 7200) }), 20), { maxLength: 4 })),
    }, { requiredKeys: [] }), 30),
  }),
  fc.record({
    op: fc.constant('limitRate'),
    behavior,
    props: orWrong(fc.record({
      currentReplicas: count(1000),
      desiredReplicas: count(1000),
      minReplicas: optional(wholeNumber(1, 100)),
      maxReplicas: orWrong(wholeNumber(1, 1000)),
      scaleUpEvents: events,
      scaleDownEvents: events,
    }, { requiredKeys: [] }), 30),
  }),
  fc.record({
    op: fc.constant('proposeReplicas'),
    behavior,
    props: orWrong(fc.record({
      currentReplicas: count(1000),
      metrics: orWrong(fc.array(orWrong(fc.record({
        targetType: orWrong(fc.constantFrom(...Object.values(HpaMetricTargetType), 'Average')),
        target: orWrong(realNumber(0, 1000)),
        pods: optional(fc.array(orWrong(fc.record({
          value: optional(realNumber(0, 1000)),
          ready: optional(fc.boolean()),
          request: optional(realNumber(0, 16)),
          pending: optional(fc.boolean()),
        }, { requiredKeys: [] }), 20), { maxLength: 5 })),
        // Up to HpaAlgorithm.MAX_SAMPLE, so that proposals reach the int32 cap.
        value: optional(fc.oneof(realNumber(0, 1e6), realNumber(0, 1e12))),
        unavailable: optional(fc.boolean()),
      }, { requiredKeys: [] }), 20), { maxLength: 3 })),
      tolerance: optional(realNumber(0, 1)),
      readyPodCount: optional(wholeNumber(0, 1000)),
      statusReplicas: optional(wholeNumber(0, 1000)),
    }, { requiredKeys: [] }), 30),
  }),
);

/** The invariants of each answer: finite whole replicas in range, windows never negative, enum members only. */
function run(c: any): string[] {
  const problems: string[] = [];
  switch (c.op) {
    case 'effectiveBehavior': {
      const json = HpaAlgorithm.effectiveBehavior(makeBehavior(c.behavior)).toJson() as any;
      for (const dir of ['scaleUp', 'scaleDown']) {
        const r = json[dir];
        if (!r) { problems.push(`${dir} missing`); continue; }
        if (!(r.stabilizationWindowSeconds >= 0 && r.stabilizationWindowSeconds <= 3600)) problems.push(`${dir} window ${r.stabilizationWindowSeconds}`);
        if (!SELECT.includes(r.selectPolicy)) problems.push(`${dir} selectPolicy ${r.selectPolicy}`);
        for (const p of r.policies ?? []) if (!(Number.isInteger(p.value) && p.value > 0 && p.periodSeconds > 0 && p.periodSeconds <= 1800)) problems.push(`${dir} policy ${JSON.stringify(p)}`);
      }
      return problems;
    }
    case 'stabilize': {
      const r = HpaAlgorithm.stabilize(c.props);
      if (!Number.isInteger(r.replicas) || r.replicas < 0) problems.push(`replicas ${r.replicas}`);
      if (!Object.values(HpaStabilizeReason).includes(r.reason)) problems.push(`reason ${r.reason}`);
      return problems;
    }
    case 'stabilizeWithoutBehavior': {
      const r = HpaAlgorithm.stabilizeWithoutBehavior(c.props);
      if (!Number.isInteger(r.replicas) || r.replicas < c.props.proposedReplicas) problems.push(`replicas ${r.replicas}`);
      if (!Object.values(HpaStabilizeReason).includes(r.reason)) problems.push(`reason ${r.reason}`);
      return problems;
    }
    case 'limitRate': {
      const r = HpaAlgorithm.limitRate({ ...c.props, behavior: makeBehavior(c.behavior) });
      const p = c.props;
      if (!Number.isInteger(r.replicas) || r.replicas < 0) problems.push(`replicas ${r.replicas}`);
      if (r.replicas > Math.max(p.maxReplicas, p.currentReplicas)) problems.push(`replicas ${r.replicas} above max ${p.maxReplicas}`);
      if (!Object.values(HpaLimitReason).includes(r.reason)) problems.push(`reason ${r.reason}`);
      return problems;
    }
    default: {
      const plain = c.props !== null && typeof c.props === 'object' && !Array.isArray(c.props);
      const behaviorGiven = makeBehavior(c.behavior);
      const r = HpaAlgorithm.proposeReplicas(plain && behaviorGiven !== undefined ? { ...c.props, behavior: behaviorGiven } : c.props);
      if (!Number.isInteger(r.replicas) || r.replicas < 0 || r.replicas > 2147483647) problems.push(`replicas ${r.replicas}`);
      // A proposal is a valid input of the next steps (the int32 cap): stabilize and limitRate take it.
      HpaAlgorithm.stabilize({ currentReplicas: r.replicas, proposedReplicas: r.replicas });
      HpaAlgorithm.limitRate({ currentReplicas: 1, desiredReplicas: r.replicas, maxReplicas: 2147483647 });
      if (!Object.values(HpaProposeReason).includes(r.reason)) problems.push(`reason ${r.reason}`);
      return [...problems, ...nonFiniteNumbers(r.perMetric, 'perMetric'), ...nonFiniteNumbers(r.usageRatios, 'usageRatios')];
    }
  }
}

describe('HpaAlgorithm and ScalingBehavior', () => {
  fuzzTest('HpaAlgorithm', call, run);
});
