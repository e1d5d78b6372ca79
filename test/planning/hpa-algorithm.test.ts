import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  HpaAlgorithm, HpaLimitReason, HpaMetricInput, HpaMetricTargetType, HpaProposeReason, HpaScaleEvent, HpaStabilizeReason,
} from '../../src/planning/hpa-algorithm';
import {
  CoreRules, replicasChangePerPeriod, scaleDownLimit, scaleUpLimit, withinTolerance, withinTolerances,
} from '../../src/planning/internal/hpa-core';
import {
  HpaScalingPolicy, HpaScalingPolicyType, HpaScalingRules, HpaSelectPolicy, ScalingBehavior,
} from '../../src/planning/scaling-behavior';

/*
 * Cases mirror kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go and replica_calculator_test.go.
 * Each test name cites the upstream test (and, for table tests, the upstream case name).
 */

/** horizontal_test.go generateScalingRules(pods, podsPeriod, percent, percentPeriod, window), selectPolicy Max. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): HpaScalingRules {
  const policies: HpaScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: HpaScalingPolicyType.PODS, value: pods, period: Duration.seconds(podsPeriod) });
  if (percent !== 0) policies.push({ type: HpaScalingPolicyType.PERCENT, value: percent, period: Duration.seconds(percentPeriod) });
  return { stabilizationWindow: Duration.seconds(window), selectPolicy: HpaSelectPolicy.MAX, policies };
}

/** horizontal_test.go generateEventsUniformDistribution: events centred in equal segments of the last `period` seconds. */
function uniform(raw: number[], periodSeconds: number): HpaScaleEvent[] {
  const segment = periodSeconds / raw.length;
  return raw.map((replicaChange, i) => ({
    replicaChange,
    age: Duration.seconds(Math.trunc(periodSeconds - segment * (i + 1) + segment / 2)),
  }));
}

describe('HpaAlgorithm.limitRate mirrors TestScalingWithRules (convertDesiredReplicasWithBehaviorRate)', () => {
  interface Case {
    name: string;
    current: number;
    desired: number;
    min: number;
    max: number;
    up?: HpaScalingRules;
    down?: HpaScalingRules;
    upEvents?: HpaScaleEvent[];
    downEvents?: HpaScaleEvent[];
    expected: number;
    reason: string;
  }
  const sc = (name: string, core: Omit<Case, 'name'>, extra: Partial<Case> = {}): Case => ({ name, ...core, ...extra });
  const e159 = uniform([1, 5, 9], 120);
  const e8 = uniform([8, 12, 9, 11], 120);
  const cases: Case[] = [
    sc('prenormalized desired replicas within range',
      { current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' }),
    sc('prenormalized desired replicas < minReplicas',
      { current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' }),
    sc('prenormalized desired replicas within range when minReplicas is 0',
      { current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: 'DesiredWithinRange' }),
    sc('maxReplicas is the limit because maxReplicas < scaleUpLimit',
      { current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'TooManyReplicas' }),
    sc('desired replica count is more than the maximum replica count',
      { current: 100, desired: 1000, min: 100, max: 150, expected: 150, reason: 'TooManyReplicas' }),
    sc('scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
      { current: 3, desired: 1000, min: 1, max: 2000, expected: 4, reason: 'ScaleUpLimit' },
      { up: rules(0, 0, 1, 60, 0) }),
    sc('scaleUp with default behavior',
      { current: 10, desired: 50, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' }),
    sc('scaleUp with pods policy larger than percent policy',
      { current: 10, desired: 500, min: 1, max: 1000, expected: 110, reason: 'ScaleUpLimit' },
      { up: rules(100, 60, 100, 60, 0) }),
    sc('scaleUp with percent policy larger than pods policy',
      { current: 10, desired: 500, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' },
      { up: rules(2, 60, 100, 60, 0) }),
    sc('scaleUp with spec MaxReplicas limitation with large pod policy',
      { current: 10, desired: 50, min: 1, max: 1000, expected: 50, reason: 'DesiredWithinRange' },
      { up: rules(100, 60, 0, 0, 0) }),
    sc('scaleUp with spec MaxReplicas limitation with large percent policy',
      { current: 10, desired: 50, min: 1, max: 1000, expected: 50, reason: 'DesiredWithinRange' },
      { up: rules(10000, 60, 0, 0, 0) }),
    sc('scaleUp with pod policy limitation',
      { current: 10, desired: 50, min: 1, max: 1000, expected: 40, reason: 'ScaleUpLimit' },
      { up: rules(30, 60, 0, 0, 0) }),
    sc('scaleUp with percent policy limitation',
      { current: 10, desired: 50, min: 1, max: 1000, expected: 30, reason: 'ScaleUpLimit' },
      { up: rules(0, 0, 200, 60, 0) }),
    sc('scaleDown with percent policy larger than pod policy',
      { current: 100, desired: 2, min: 1, max: 1000, expected: 80, reason: 'ScaleDownLimit' },
      { down: rules(20, 60, 1, 60, 300) }),
    sc('scaleDown with pod policy larger than percent policy',
      { current: 100, desired: 2, min: 1, max: 1000, expected: 98, reason: 'ScaleDownLimit' },
      { down: rules(2, 60, 1, 60, 300) }),
    sc('scaleDown with spec MinReplicas=nil limitation with large pod policy',
      { current: 10, desired: 0, min: 1, max: 1000, expected: 1, reason: 'TooFewReplicas' },
      { down: rules(100, 60, 0, 0, 300) }),
    sc('scaleDown with spec MinReplicas limitation with large percent policy',
      { current: 10, desired: 2, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
      { down: rules(0, 0, 100, 60, 300) }),
    sc('scaleDown with pod policy limitation',
      { current: 10, desired: 2, min: 1, max: 1000, expected: 5, reason: 'ScaleDownLimit' },
      { down: rules(5, 60, 0, 0, 300) }),
    sc('scaleDown with percent policy limitation',
      { current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { down: rules(0, 0, 50, 60, 300) }),
    sc('scaleUp with spec MaxReplicas limitation with large pod policy and events',
      { current: 100, desired: 500, min: 1, max: 200, expected: 200, reason: 'TooManyReplicas' },
      { up: rules(300, 60, 0, 0, 0), upEvents: e159 }),
    sc('scaleUp with spec MaxReplicas limitation with large percent policy and events',
      { current: 100, desired: 500, min: 1, max: 200, expected: 200, reason: 'TooManyReplicas' },
      { up: rules(0, 0, 10000, 60, 0), upEvents: e159 }),
    sc('scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
      { current: 100, desired: 500, min: 1, max: 1000, expected: 100, reason: 'ScaleUpLimit' },
      { up: rules(5, 120, 0, 0, 0), upEvents: e159 }),
    sc('scaleUp with pod policy and previous scale up events',
      { current: 100, desired: 500, min: 1, max: 1000, expected: 235, reason: 'ScaleUpLimit' },
      { up: rules(150, 120, 0, 0, 0), upEvents: e159 }),
    sc('scaleUp with percent policy and previous scale up events',
      { current: 100, desired: 500, min: 1, max: 1000, expected: 255, reason: 'ScaleUpLimit' },
      { up: rules(0, 0, 200, 120, 0), upEvents: e159 }),
    sc('scaleDown with default policy and previous events',
      { current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { downEvents: e159 }),
    sc('scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
      { current: 100, desired: 0, min: 1, max: 1000, expected: 1, reason: 'TooFewReplicas' },
      { down: rules(115, 120, 0, 0, 300), downEvents: e159 }),
    sc('scaleDown with spec MinReplicas limitation with large pod policy and previous events',
      { current: 100, desired: 0, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
      { down: rules(130, 120, 0, 0, 300), downEvents: e159 }),
    sc('scaleDown with spec MinReplicas limitation with large percent policy and previous events',
      { current: 100, desired: 2, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
      { down: rules(0, 0, 100, 120, 300), downEvents: e159 }),
    sc('scaleDown with pod policy limitation and previous events',
      { current: 100, desired: 2, min: 1, max: 1000, expected: 100, reason: 'ScaleDownLimit' },
      { down: rules(5, 120, 0, 0, 300), downEvents: e159 }),
    sc('scaleDown with percent policy limitation and previous events',
      { current: 100, desired: 0, min: 1, max: 1000, expected: 56, reason: 'ScaleDownLimit' },
      { down: rules(0, 0, 50, 120, 300), downEvents: uniform([2, 4, 6], 120) }),
    sc('scaleDown with previous events preventing further scale down',
      { current: 100, desired: 0, min: 1, max: 1000, expected: 100, reason: 'ScaleDownLimit' },
      { down: rules(0, 0, 10, 120, 300), downEvents: uniform([10, 10, 10], 120) }),
    sc('scaleDown with with previous events still allowing more scale down',
      { current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { down: rules(0, 0, 1000, 120, 300), downEvents: uniform([10, 10, 10], 120) }),
    sc("check 'outdated' flag for events for one behavior for up",
      { current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
      { up: rules(1000, 60, 0, 0, 0), upEvents: e8 }),
    sc("check that events were not marked 'outdated' for two different policies in the behavior for up",
      { current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
      { up: rules(1000, 120, 100, 60, 0), upEvents: e8 }),
    sc("check that events were marked 'outdated' for two different policies in the behavior for up",
      { current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
      { up: rules(1000, 30, 100, 60, 0), upEvents: e8 }),
    sc("check 'outdated' flag for events for one behavior for down",
      { current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { down: rules(1000, 60, 0, 0, 300), downEvents: e8 }),
    sc("check that events were not marked 'outdated' for two different policies in the behavior for down",
      { current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { down: rules(1000, 120, 100, 60, 300), downEvents: e8 }),
    sc("check that events were marked 'outdated' for two different policies in the behavior for down",
      { current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
      { down: rules(1000, 30, 100, 60, 300), downEvents: e8 }),
  ];
  test.each(cases)('TestScalingWithRules/$name', (c) => {
    const result = HpaAlgorithm.limitRate({
      currentReplicas: c.current,
      desiredReplicas: c.desired,
      minReplicas: c.min,
      maxReplicas: c.max,
      behavior: ScalingBehavior.custom({ scaleUp: c.up, scaleDown: c.down }),
      scaleUpEvents: c.upEvents,
      scaleDownEvents: c.downEvents,
    });
    expect(result).toEqual({ replicas: c.expected, reason: c.reason });
  });
});

describe('HpaAlgorithm.limitRate without a behavior mirrors TestConvertDesiredReplicasWithRules (legacy path)', () => {
  test.each([
    { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
    { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
    {
      name: 'prenormalized desired zeroed replicas within range',
      current: 1,
      desired: 0,
      min: 0,
      max: 10,
      expected: 0,
      reason: 'DesiredWithinRange',
    },
    {
      name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit',
      current: 20,
      desired: 1000,
      min: 1,
      max: 10,
      expected: 10,
      reason: 'TooManyReplicas',
    },
    // calculateScaleUpLimit(3) = max(2 x 3, 4) = 6
    {
      name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas',
      current: 3,
      desired: 1000,
      min: 1,
      max: 2000,
      expected: 6,
      reason: 'ScaleUpLimit',
    },
  ])('TestConvertDesiredReplicasWithRules/$name', (c) => {
    const result = HpaAlgorithm.limitRate({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max });
    expect(result).toEqual({ replicas: c.expected, reason: c.reason });
  });

  test('calculateScaleUpLimit: the legacy limit is 4 for 1 replica (scaleUpLimitMinimum) and ignores events', () => {
    const result = HpaAlgorithm.limitRate({
      currentReplicas: 1, desiredReplicas: 100, maxReplicas: 100, scaleUpEvents: [{ replicaChange: 50, age: Duration.seconds(1) }],
    });
    expect(result).toEqual({ replicas: 4, reason: HpaLimitReason.SCALE_UP_LIMIT });
  });
});

describe('scale limits mirror TestCalculateScaleUpLimitWithScalingRules / TestCalculateScaleDownLimitWithBehaviors', () => {
  const minCore: CoreRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }],
  };
  const minRules: HpaScalingRules = {
    stabilizationWindow: Duration.seconds(300),
    selectPolicy: HpaSelectPolicy.MIN,
    policies: [
      { type: HpaScalingPolicyType.PODS, value: 2, period: Duration.seconds(60) },
      { type: HpaScalingPolicyType.PERCENT, value: 50, period: Duration.seconds(60) },
    ],
  };

  test('TestCalculateScaleUpLimitWithScalingRules: Min of 1+2 pods and ceil(1 x 1.5) is 2', () => {
    expect(scaleUpLimit(1, [], [], minCore)).toBe(2);
    expect(HpaAlgorithm.limitRate({
      currentReplicas: 1, desiredReplicas: 10, maxReplicas: 10, behavior: ScalingBehavior.custom({ scaleUp: minRules }),
    }))
      .toEqual({ replicas: 2, reason: HpaLimitReason.SCALE_UP_LIMIT });
  });

  test('TestCalculateScaleDownLimitWithBehaviors: Min of 5-2 pods and trunc(5 x 0.5) is 3', () => {
    expect(scaleDownLimit(5, [], [], minCore)).toBe(3);
    expect(HpaAlgorithm.limitRate({
      currentReplicas: 5, desiredReplicas: 1, maxReplicas: 10, behavior: ScalingBehavior.custom({ scaleDown: minRules }),
    }))
      .toEqual({ replicas: 3, reason: HpaLimitReason.SCALE_DOWN_LIMIT });
  });

  test('selectPolicy Disabled keeps the current replicas in that direction', () => {
    const disabled: HpaScalingRules = { selectPolicy: HpaSelectPolicy.DISABLED, policies: [] };
    expect(HpaAlgorithm.limitRate({
      currentReplicas: 5, desiredReplicas: 9, maxReplicas: 10, behavior: ScalingBehavior.custom({ scaleUp: disabled }),
    }))
      .toEqual({ replicas: 5, reason: HpaLimitReason.SCALE_UP_LIMIT });
    expect(HpaAlgorithm.limitRate({
      currentReplicas: 5, desiredReplicas: 1, maxReplicas: 10, behavior: ScalingBehavior.custom({ scaleDown: disabled }),
    }))
      .toEqual({ replicas: 5, reason: HpaLimitReason.SCALE_DOWN_LIMIT });
  });

  test('a scale-up limit counts scale-downs in the period back in (periodStartReplicas)', () => {
    // 10 now, 4 removed 10 s ago: the period started at 14, so 100% allows 28.
    expect(HpaAlgorithm.limitRate({
      currentReplicas: 10,
      desiredReplicas: 50,
      maxReplicas: 100,
      behavior: ScalingBehavior.custom({ scaleUp: rules(0, 0, 100, 60, 0) }),
      scaleDownEvents: [{ replicaChange: 4, age: Duration.seconds(10) }],
    })).toEqual({ replicas: 28, reason: HpaLimitReason.SCALE_UP_LIMIT });
  });

  test('realTime(): 3 replicas may grow to 13 (Pods 10 beats Percent 100) and 100 may shrink to 98 (Min of 10% and 2 pods)', () => {
    const behavior = ScalingBehavior.realTime();
    expect(HpaAlgorithm.limitRate({ currentReplicas: 3, desiredReplicas: 40, maxReplicas: 50, behavior }).replicas).toBe(13);
    expect(HpaAlgorithm.limitRate({ currentReplicas: 100, desiredReplicas: 3, minReplicas: 3, maxReplicas: 200, behavior }).replicas).toBe(98);
  });
});

describe('reconcileAutoscaler branches before normalization', () => {
  test('a target above maxReplicas goes to maxReplicas', () => {
    expect(HpaAlgorithm.limitRate({ currentReplicas: 12, desiredReplicas: 12, maxReplicas: 10, behavior: ScalingBehavior.custom({}) }))
      .toEqual({ replicas: 10, reason: HpaLimitReason.TOO_MANY_REPLICAS });
  });
  test('a target below minReplicas goes to minReplicas', () => {
    expect(HpaAlgorithm.limitRate({ currentReplicas: 1, desiredReplicas: 1, minReplicas: 3, maxReplicas: 10 }))
      .toEqual({ replicas: 3, reason: HpaLimitReason.TOO_FEW_REPLICAS });
  });
  test('a target at 0 replicas with minReplicas above 0 is left alone (ScalingDisabled)', () => {
    expect(HpaAlgorithm.limitRate({ currentReplicas: 0, desiredReplicas: 5, maxReplicas: 10 }))
      .toEqual({ replicas: 0, reason: HpaLimitReason.SCALING_DISABLED });
  });
});

describe('getReplicasChangePerPeriod mirrors TestStoreScaleEvents (replica change in the last 60 s)', () => {
  test.each([
    { name: 'empty entries with default behavior', events: [], expected: 0 },
    { name: 'one outdated entry to be replaced with behavior', events: [{ replicaChange: 7, ageSeconds: 61 }], expected: 0 },
    { name: 'one actual entry to be not touched with behavior', events: [{ replicaChange: 7, ageSeconds: 58 }], expected: 7 },
    {
      name: 'two entries, one of them to be replaced',
      events: [{ replicaChange: 7, ageSeconds: 61 }, { replicaChange: 6, ageSeconds: 59 }],
      expected: 6,
    },
    {
      name: 'replace one entry, use policies with different periods',
      events: [
        { replicaChange: 8, ageSeconds: 29 }, { replicaChange: 6, ageSeconds: 59 },
        { replicaChange: 7, ageSeconds: 61 }, { replicaChange: 9, ageSeconds: 61 },
      ],
      expected: 14,
    },
    { name: 'two entries, both actual', events: [{ replicaChange: 7, ageSeconds: 58 }, { replicaChange: 6, ageSeconds: 59 }], expected: 13 },
  ])('TestStoreScaleEvents/$name', ({ events, expected }) => {
    expect(replicasChangePerPeriod(60, events)).toBe(expected);
    // The same events as seen by limitRate: a 10-pod policy over 60 s from 20 replicas allows 20 - change + 10.
    const result = HpaAlgorithm.limitRate({
      currentReplicas: 20,
      desiredReplicas: 1000,
      maxReplicas: 1000,
      behavior: ScalingBehavior.custom({ scaleUp: rules(10, 60, 0, 0, 0) }),
      scaleUpEvents: events.map(e => ({ replicaChange: e.replicaChange, age: Duration.seconds(e.ageSeconds) })),
    });
    expect(result.replicas).toBe(Math.max(20, 30 - expected));
  });

  test('an event exactly one period old no longer counts', () => {
    expect(replicasChangePerPeriod(60, [{ replicaChange: 5, ageSeconds: 60 }])).toBe(0);
  });
});

describe('HpaAlgorithm.stabilize mirrors TestNormalizeDesiredReplicasWithBehavior (stabilizeRecommendationWithBehaviors)', () => {
  const min = 60;
  test.each([
    { name: 'empty recommendations for scaling down', recs: [], current: 100, desired: 5, up: 0, down: 0, expected: 5 },
    { name: 'simple scale down stabilization', recs: [[4, 2 * min], [5, min]], current: 100, desired: 3, up: 0, down: 3 * min, expected: 5 },
    { name: 'simple scale up stabilization', recs: [[4, 2 * min], [5, min]], current: 1, desired: 7, up: 5 * min, down: 0, expected: 4 },
    { name: 'no scale down stabilization', recs: [[1, 2 * min], [2, min]], current: 100, desired: 3, up: 5 * min, down: 0, expected: 3 },
    { name: 'no scale up stabilization', recs: [[4, 2 * min], [5, min]], current: 1, desired: 3, up: 0, down: 5 * min, expected: 3 },
    {
      name: 'no scale down stabilization, reuse recommendation element',
      recs: [[10, 10 * min], [9, 9 * min]],
      current: 100,
      desired: 3,
      up: 0,
      down: 0,
      expected: 3,
    },
    {
      name: 'no scale up stabilization, reuse recommendation element',
      recs: [[10, 10 * min], [9, 9 * min]],
      current: 1,
      desired: 100,
      up: 0,
      down: 0,
      expected: 100,
    },
    {
      name: 'scale down stabilization, reuse one of obsolete recommendation element',
      recs: [[10, 10 * min], [4, min], [5, 2 * min], [9, 9 * min]],
      current: 100,
      desired: 3,
      up: 0,
      down: 3 * min,
      expected: 5,
    },
    {
      name: 'scale up stabilization, reuse one of obsolete recommendation element',
      recs: [[10, 100 * min], [6, min], [5, 2 * min], [9, 3 * min]],
      current: 1,
      desired: 100,
      up: 300,
      down: 0,
      expected: 5,
    },
  ])('TestNormalizeDesiredReplicasWithBehavior/$name', (c) => {
    const result = HpaAlgorithm.stabilize({
      currentReplicas: c.current,
      proposedReplicas: c.desired,
      scaleUpWindow: Duration.seconds(c.up),
      scaleDownWindow: Duration.seconds(c.down),
      recommendations: c.recs.map(([replicas, ageSeconds]) => ({ replicas, age: Duration.seconds(ageSeconds) })),
    });
    expect(result.replicas).toBe(c.expected);
  });

  test('reports the AbleToScale reason normalizeDesiredReplicasWithBehaviors sets', () => {
    const recs = [{ replicas: 8, age: Duration.seconds(30) }];
    expect(HpaAlgorithm.stabilize({ currentReplicas: 10, proposedReplicas: 4, recommendations: recs }))
      .toEqual({ replicas: 8, reason: HpaStabilizeReason.SCALE_DOWN_STABILIZED });
    expect(HpaAlgorithm.stabilize({ currentReplicas: 2, proposedReplicas: 9, scaleUpWindow: Duration.seconds(60), recommendations: recs }))
      .toEqual({ replicas: 8, reason: HpaStabilizeReason.SCALE_UP_STABILIZED });
    expect(HpaAlgorithm.stabilize({ currentReplicas: 10, proposedReplicas: 12, recommendations: recs }))
      .toEqual({ replicas: 12, reason: HpaStabilizeReason.READY_FOR_NEW_SCALE });
  });

  test('defaults: no scale-up window, a 300 s scale-down window', () => {
    const recs = [{ replicas: 9, age: Duration.seconds(299) }, { replicas: 20, age: Duration.seconds(300) }];
    expect(HpaAlgorithm.stabilize({ currentReplicas: 10, proposedReplicas: 2, recommendations: recs }).replicas).toBe(9);
  });
});

describe('HpaAlgorithm.effectiveBehavior mirrors pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules)', () => {
  test('fills every default when nothing is set', () => {
    expect(HpaAlgorithm.effectiveBehavior().toJson()).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  test('copyHPAScalingRules: fills per field, keeping what is set', () => {
    const result = HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({
      scaleUp: { selectPolicy: HpaSelectPolicy.MIN }, scaleDown: { stabilizationWindow: Duration.seconds(60) },
    })).toJson();
    expect(result.scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Min',
      policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    const percent100 = [{ type: 'Percent', value: 100, periodSeconds: 15 }];
    expect(result.scaleDown).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: percent100 });
  });

  test('is idempotent (property)', () => {
    const policy = fc.record({
      type: fc.constantFrom(HpaScalingPolicyType.PODS, HpaScalingPolicyType.PERCENT),
      value: fc.integer({ min: 1, max: 1000 }),
      period: fc.integer({ min: 1, max: 1800 }).map(s => Duration.seconds(s)),
    });
    const direction = fc.option(fc.record({
      stabilizationWindow: fc.option(fc.integer({ min: 0, max: 3600 }).map(s => Duration.seconds(s)), { nil: undefined }),
      selectPolicy: fc.option(fc.constantFrom(HpaSelectPolicy.MAX, HpaSelectPolicy.MIN, HpaSelectPolicy.DISABLED), { nil: undefined }),
      policies: fc.option(fc.array(policy, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    }), { nil: undefined });
    fc.assert(fc.property(direction, direction, (scaleUp, scaleDown) => {
      const once = HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({ scaleUp, scaleDown }));
      expect(HpaAlgorithm.effectiveBehavior(once)).toEqual(once);
      expect(HpaAlgorithm.effectiveBehavior(once).toJson()).toEqual(once.toJson());
    }));
  });
});

/** A Utilization metric over pods with 1-CPU requests; `null` is a pod with no sample, `ready` defaults to true. */
function cpu(
  target: number, levelsMilli: Array<number | null>, opts: { ready?: boolean[]; requests?: number[]; pending?: boolean[] } = {},
): HpaMetricInput {
  return {
    targetType: HpaMetricTargetType.UTILIZATION,
    target,
    pods: levelsMilli.map((level, i) => ({
      value: level === null ? undefined : level / 1000,
      ready: opts.ready?.[i] ?? true,
      ...(opts.pending?.[i] ? { pending: true } : {}),
      request: opts.requests?.[i] ?? 1,
    })),
  };
}

/** A Pods metric (AverageValue); values in milli-units as upstream writes them. */
function podsMetric(targetMilli: number, levelsMilli: Array<number | null>, ready?: boolean[]): HpaMetricInput {
  return {
    targetType: HpaMetricTargetType.AVERAGE_VALUE,
    target: targetMilli / 1000,
    pods: levelsMilli.map((level, i) => ({ value: level === null ? undefined : level / 1000, ready: ready?.[i] ?? true })),
  };
}

describe('HpaAlgorithm.proposeReplicas mirrors replica_calculator_test.go', () => {
  const T = true;
  const F = false;
  test.each([
    // GetResourceReplicas (Utilization)
    { name: 'TestReplicaCalcScaleUp', current: 3, metric: cpu(30, [300, 500, 700]), expected: 5 },
    { name: 'TestReplicaCalcScaleUpUnreadyLessScale', current: 3, metric: cpu(30, [300, 500, 700], { ready: [F, T, T] }), expected: 4 },
    { name: 'TestReplicaCalcScaleUpHotCpuLessScale', current: 3, metric: cpu(30, [300, 500, 700], { ready: [F, T, T] }), expected: 4 },
    { name: 'TestReplicaCalcScaleUpUnreadyNoScale', current: 3, metric: cpu(30, [400, 500, 700], { ready: [T, F, F] }), expected: 3 },
    { name: 'TestReplicaCalcScaleUpIgnoresFailedPods (failed pods left out)', current: 2, metric: cpu(30, [500, 700]), expected: 4 },
    { name: 'TestReplicaCalcScaleDown', current: 5, metric: cpu(50, [100, 300, 500, 250, 250]), expected: 3 },
    {
      name: 'TestReplicaCalcScaleDownExcludeUnreadyPods',
      current: 5,
      metric: cpu(50, [100, 300, 500, 250, 250], { ready: [T, T, T, F, F] }),
      expected: 2,
    },
    {
      name: 'TestReplicaCalcScaleDownExcludeUnscheduledPods (Pending pods)',
      current: 5,
      metric: cpu(50, [100, null, null, null, null], { ready: [T, F, F, F, F], pending: [F, T, T, T, T] }),
      expected: 1,
    },
    {
      name: 'TestReplicaCalcScaleDownIgnoreHotCpuPods',
      current: 5,
      metric: cpu(50, [100, 300, 500, 250, 250], { ready: [T, T, T, F, F] }),
      expected: 2,
    },
    { name: 'TestReplicaCalcTolerance', current: 3, metric: cpu(100, [1010, 1030, 1020], { requests: [0.9, 1.0, 1.1] }), expected: 3 },
    { name: 'TestReplicaCalcMissingMetricsNoChangeEq', current: 2, metric: cpu(100, [1000, null]), expected: 2 },
    { name: 'TestReplicaCalcMissingMetricsNoChangeGt', current: 2, metric: cpu(100, [1900, null]), expected: 2 },
    { name: 'TestReplicaCalcMissingMetricsNoChangeLt', current: 2, metric: cpu(100, [600, null]), expected: 2 },
    { name: 'TestReplicaCalcMissingMetricsUnreadyChange', current: 3, metric: cpu(50, [100, 450, null], { ready: [F, T, T] }), expected: 3 },
    { name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp', current: 3, metric: cpu(50, [100, 2000, null], { ready: [F, T, T] }), expected: 4 },
    {
      name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown',
      current: 4,
      metric: cpu(50, [100, 100, 100, null], { ready: [F, T, T, T] }),
      expected: 3,
    },
    {
      name: 'TestReplicaCalcMissingMetricsScaleDownTargetOver100',
      current: 4,
      metric: cpu(300, [200, 100, 100, null], { ready: [F, T, T, T], requests: [1, 1, 2, 2] }),
      expected: 2,
    },
    { name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge', current: 2, metric: cpu(50, [100, 100, null]), expected: 2 },
    // calcPlainMetricReplicas (Pods metrics, AverageValue)
    { name: 'TestReplicaCalcScaleUpCM', current: 3, metric: podsMetric(15000, [20000, 10000, 30000]), expected: 4 },
    {
      name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale (readiness only matters for CPU)',
      current: 3,
      metric: podsMetric(15000, [50000, 10000, 30000]),
      expected: 6,
    },
    { name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', current: 3, metric: podsMetric(15000, [50000, 15000, 30000]), expected: 7 },
    { name: 'TestReplicaCalcScaleUpCMExternal (podMetric)', current: 1, metric: podsMetric(4400, [8600]), expected: 2 },
    { name: 'TestReplicaCalcScaleDownCM', current: 5, metric: podsMetric(20000, [12000, 12000, 12000, 12000, 12000]), expected: 3 },
    { name: 'TestReplicaCalcToleranceCM', current: 3, metric: podsMetric(20000, [20000, 21000, 21000]), expected: 3 },
    {
      name: 'TestPlainMetricReplicaCalcMissingMetricsNoChangeEq',
      current: 5,
      metric: podsMetric(20000, [20000, 19000, 21000, null, null]),
      expected: 5,
    },
    { name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM', current: 2, metric: podsMetric(17000, [10000, 10000, null]), expected: 2 },
    // GetObjectMetricReplicas / GetExternalMetricReplicas (Value) and the per-pod variants (AverageValue with a value)
    { name: 'TestReplicaCalcScaleUpCMObject', current: 3, metric: { targetType: HpaMetricTargetType.VALUE, target: 15, value: 20 }, expected: 4 },
    { name: 'TestReplicaCalcScaleDownCMObject', current: 5, metric: { targetType: HpaMetricTargetType.VALUE, target: 20, value: 12 }, expected: 3 },
    {
      name: 'TestReplicaCalcScaleDownCMExternal',
      current: 5,
      metric: { targetType: HpaMetricTargetType.VALUE, target: 14.334, value: 8.6 },
      expected: 3,
    },
    {
      name: 'TestReplicaCalcToleranceCMObject',
      current: 3,
      metric: { targetType: HpaMetricTargetType.VALUE, target: 20, value: 20.666 },
      expected: 3,
    },
    {
      name: 'TestReplicaCalcScaleUpCMPerPodObject',
      current: 3,
      metric: { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 5, value: 20 },
      expected: 4,
    },
    {
      name: 'TestReplicaCalcScaleDownPerPodCMObject',
      current: 5,
      metric: { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 2, value: 6 },
      expected: 3,
    },
    {
      name: 'TestReplicaCalcTolerancePerPodCMObject',
      current: 4,
      metric: { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 5, value: 20.166 },
      expected: 4,
    },
    {
      name: 'TestReplicaCalcScaleUpPerPodCMExternal',
      current: 3,
      metric: { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 2.15, value: 8.6 },
      expected: 4,
    },
    {
      name: 'TestReplicaCalcScaleDownPerPodCMExternal',
      current: 5,
      metric: { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 2.867, value: 8.6 },
      expected: 3,
    },
  ])('$name', ({ current, metric, expected }) => {
    const result = HpaAlgorithm.proposeReplicas({ currentReplicas: current, metrics: [metric] });
    expect(result.perMetric).toEqual([expected]);
    expect(result.replicas).toBe(expected);
    expect(result.reason).toBe(HpaProposeReason.VALID_METRIC_FOUND);
  });

  test('TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods: a Value target scales the ready pods only', () => {
    const metric = { targetType: HpaMetricTargetType.VALUE, target: 10, value: 50 };
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, readyPodCount: 1, metrics: [metric] }).replicas).toBe(5);
  });

  test('TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', () => {
    const metric = { targetType: HpaMetricTargetType.VALUE, target: 4.4, value: 8.6 };
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, readyPodCount: 1, metrics: [metric] }).replicas).toBe(2);
  });

  test('getUsageRatioReplicaCount: from 0 replicas a Value target gives ceil(ratio), ignoring the tolerance', () => {
    const metric = { targetType: HpaMetricTargetType.VALUE, target: 10, value: 10.5 };
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 0, metrics: [metric] }).replicas).toBe(2);
  });

  test('the tolerance is configurable: 1.05 scales with 0.01, not with the default 0.1', () => {
    const metric = podsMetric(1000, [1050, 1050]);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [metric] }).replicas).toBe(2);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [metric], tolerance: 0.01 }).replicas).toBe(3);
  });
});

describe('computeReplicasForMetrics: the largest proposal wins; invalid metrics (horizontal_test.go)', () => {
  test('TestScaleUpOneMetricInvalid-like: one invalid metric does not stop a scale-up', () => {
    const result = HpaAlgorithm.proposeReplicas({
      currentReplicas: 3, metrics: [cpu(30, [300, 400, 500]), podsMetric(1000, [null, null, null], [false, false, false])],
    });
    expect(result).toEqual({
      replicas: 4, perMetric: [4, 0], usageRatios: [40 / 30, 0], invalidMetrics: [1], reason: HpaProposeReason.VALID_METRIC_FOUND,
    });
  });

  test('TestNoScaleDownOneMetricInvalid-like: one invalid metric blocks a scale-down, keeping the current replicas', () => {
    const result = HpaAlgorithm.proposeReplicas({
      currentReplicas: 5, metrics: [cpu(50, [100, 300, 500, 250, 250]), podsMetric(1000, [null], [false])],
    });
    expect(result.replicas).toBe(5);
    expect(result.perMetric).toEqual([3, 0]);
    expect(result.reason).toBe(HpaProposeReason.INVALID_METRICS);
  });

  test('the largest of several valid proposals wins', () => {
    const result = HpaAlgorithm.proposeReplicas({
      currentReplicas: 3, metrics: [cpu(30, [300, 500, 700]), podsMetric(15000, [20000, 10000, 30000])],
    });
    expect(result.perMetric).toEqual([5, 4]);
    expect(result.replicas).toBe(5);
  });
});

describe('properties', () => {
  const policy = fc.record({
    type: fc.constantFrom(HpaScalingPolicyType.PODS, HpaScalingPolicyType.PERCENT),
    value: fc.integer({ min: 1, max: 300 }),
    period: fc.integer({ min: 1, max: 1800 }).map(s => Duration.seconds(s)),
  });
  const direction = fc.option(fc.record({
    selectPolicy: fc.constantFrom(HpaSelectPolicy.MAX, HpaSelectPolicy.MIN, HpaSelectPolicy.DISABLED),
    policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
  }), { nil: undefined });
  const event = fc.record({ replicaChange: fc.integer({ min: 0, max: 50 }), age: fc.integer({ min: 0, max: 2000 }).map(s => Duration.seconds(s)) });
  const events = fc.array(event, { maxLength: 5 });

  test('limitRate keeps replicas within [minReplicas, maxReplicas] whenever the target is scaled', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 300 }),
      fc.boolean(), direction, direction, events, events,
      (min, span, current, desired, withBehavior, scaleUp, scaleDown, up, down) => {
        const max = min + span;
        const result = HpaAlgorithm.limitRate({
          currentReplicas: current,
          desiredReplicas: desired,
          minReplicas: min,
          maxReplicas: max,
          behavior: withBehavior ? ScalingBehavior.custom({ scaleUp, scaleDown }) : undefined,
          scaleUpEvents: up,
          scaleDownEvents: down,
        });
        expect(result.replicas).toBeGreaterThanOrEqual(min);
        expect(result.replicas).toBeLessThanOrEqual(max);
        expect(Number.isInteger(result.replicas)).toBe(true);
      },
    ));
  });

  test('stabilize stays within [lowest in the scale-up window, highest in the scale-down window] of recommendations and the proposal', () => {
    const recs = fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 100 }), ageSeconds: fc.integer({ min: 0, max: 4000 }) }), { maxLength: 8 });
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 3600 }), recs,
      (current, proposed, upWindow, downWindow, recommendations) => {
        const { replicas } = HpaAlgorithm.stabilize({
          currentReplicas: current,
          proposedReplicas: proposed,
          scaleUpWindow: Duration.seconds(upWindow),
          scaleDownWindow: Duration.seconds(downWindow),
          recommendations: recommendations.map(r => ({ replicas: r.replicas, age: Duration.seconds(r.ageSeconds) })),
        });
        const low = Math.min(proposed, ...recommendations.filter(r => r.ageSeconds < upWindow).map(r => r.replicas));
        const high = Math.max(proposed, ...recommendations.filter(r => r.ageSeconds < downWindow).map(r => r.replicas));
        expect(replicas).toBeGreaterThanOrEqual(low);
        expect(replicas).toBeLessThanOrEqual(high);
      },
    ));
  });

  test('proposeReplicas keeps the current count for every pod exactly on target', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100 }), (pods, target) => {
      const metric = cpu(target, Array.from({ length: pods }, () => target * 10));
      expect(HpaAlgorithm.proposeReplicas({ currentReplicas: pods, metrics: [metric] }).replicas).toBe(pods);
    }));
  });
});

describe('errors', () => {
  const base = { currentReplicas: 3, desiredReplicas: 5, maxReplicas: 10 };
  test('fails on negative replicas', () => {
    expect(() => HpaAlgorithm.limitRate({ ...base, currentReplicas: -1 })).toThrow(
      "[HpaAlgorithm] 'currentReplicas' (-1) must be a whole number of at least 0: give a replica count as a whole number, e.g. 3");
  });
  test('fails when minReplicas is above maxReplicas', () => {
    expect(() => HpaAlgorithm.limitRate({ ...base, minReplicas: 11 })).toThrow(
      "[HpaAlgorithm] 'minReplicas' (11) is above 'maxReplicas' (10): raise maxReplicas or lower minReplicas");
  });
  const custom = (up?: HpaScalingRules, down?: HpaScalingRules) => ScalingBehavior.custom({ scaleUp: up, scaleDown: down });
  test('fails on a policy period of 0', () => {
    const behavior = custom({ policies: [{ type: HpaScalingPolicyType.PODS, value: 1, period: Duration.seconds(0) }] });
    expect(() => HpaAlgorithm.limitRate({ ...base, behavior })).toThrow(
      "[HpaAlgorithm] 'behavior.scaleUp.policies[0].period' (\"0s\") must be a whole number of seconds from 1 to 1800: "
      + 'give a policy period of 1 to 1800 s in whole seconds, as the API server allows');
  });
  test('fails on an unknown policy type', () => {
    const behavior = custom(undefined, { policies: [{ type: 'pods' as HpaScalingPolicyType, value: 1, period: Duration.seconds(15) }] });
    expect(() => HpaAlgorithm.limitRate({ ...base, behavior })).toThrow(
      "[HpaAlgorithm] 'behavior.scaleDown.policies[0].type' (\"pods\") must be one of Pods, Percent: use 'Pods' or 'Percent' (HpaScalingPolicyType)");
  });
  test('fails on an unknown selectPolicy', () => {
    expect(() => HpaAlgorithm.limitRate({ ...base, behavior: custom({ selectPolicy: 'max' as HpaSelectPolicy }) })).toThrow(
      "[HpaAlgorithm] 'behavior.scaleUp.selectPolicy' (\"max\") must be one of Max, Min, Disabled: use 'Max', 'Min' or 'Disabled' (HpaSelectPolicy)");
  });
  test('fails on an empty policy list that is not Disabled', () => {
    expect(() => HpaAlgorithm.limitRate({ ...base, behavior: custom({ policies: [] }) })).toThrow(
      "[HpaAlgorithm] 'behavior.scaleUp.policies' ([]) is empty while selectPolicy is not Disabled: "
      + 'give at least one policy, leave policies out for the API defaults, or, to stop scaling in this direction, '
      + 'set selectPolicy to Disabled (with policies left out: the API server refuses an empty list)');
  });
  test('fails on an event age that is not a finite duration (a Duration is never negative)', () => {
    expect(() => Duration.seconds(-5)).toThrow('Duration amounts cannot be negative');
    expect(() => HpaAlgorithm.limitRate({ ...base, scaleUpEvents: [{ replicaChange: 1, age: Duration.seconds(NaN) }] })).toThrow(
      "[HpaAlgorithm] 'scaleUpEvents[0].age' (NaN) must be a finite duration of 0 or more: give how long ago it happened, "
      + 'a finite duration of 0 or more, e.g. 30 seconds');
  });
  test('fails on a stabilization window above 3600 s', () => {
    expect(() => HpaAlgorithm.stabilize({ currentReplicas: 1, proposedReplicas: 2, scaleDownWindow: Duration.seconds(3601) })).toThrow(
      "[HpaAlgorithm] 'scaleDownWindow' (\"3601s\") must be a whole number of seconds from 0 to 3600: "
      + 'give a stabilization window of 0 to 3600 s in whole seconds, as the API server allows');
  });
  test('fails on a tolerance of 1', () => {
    expect(() => HpaAlgorithm.proposeReplicas({ currentReplicas: 1, metrics: [podsMetric(1000, [1000])], tolerance: 1 })).toThrow(
      "[HpaAlgorithm] 'tolerance' (1) must be a number from 0 up to (not including) 1: "
      + 'give a fraction from 0 up to (not including) 1; the controller default is 0.1');
  });
  test('fails on a target below a thousandth, which the controller reads as 0 (every ratio to it infinite)', () => {
    expect(() => HpaAlgorithm.proposeReplicas({
      currentReplicas: 9, metrics: [{ targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 1e-74, value: 3 }],
    })).toThrow("[HpaAlgorithm] 'metrics[0].target' (1e-74) must be a number at least 0.001 and at most 1000000000000: ");
  });
  test('fails on a sample above MAX_SAMPLE instead of proposing Infinity replicas', () => {
    expect(() => HpaAlgorithm.proposeReplicas({
      currentReplicas: 300, metrics: [{ targetType: HpaMetricTargetType.VALUE, target: 1, value: Number.MAX_VALUE }],
    })).toThrow("[HpaAlgorithm] 'metrics[0].value' (1.7976931348623157e+308) must be a number at least 0 and at most 1000000000000: ");
  });
  test('fails on props and lists of the wrong JavaScript type', () => {
    expect(() => HpaAlgorithm.proposeReplicas(null as any)).toThrow("[HpaAlgorithm] 'props' (null) must be an object of named fields, not null: ");
    expect(() => HpaAlgorithm.proposeReplicas({ currentReplicas: 7, metrics: { a: 1 } as any }))
      .toThrow("[HpaAlgorithm] 'metrics' ({\"a\":1}) must be a list, not an object: ");
    expect(() => HpaAlgorithm.stabilize({ currentReplicas: 1, proposedReplicas: 2, recommendations: new Date(0) as any }))
      .toThrow("[HpaAlgorithm] 'recommendations' (");
  });
  test('fails on no metrics', () => {
    expect(() => HpaAlgorithm.proposeReplicas({ currentReplicas: 1, metrics: [] })).toThrow(
      "[HpaAlgorithm] 'metrics' ([]) must not be empty: give at least one metric");
  });
  test('fails on a Utilization metric without pods', () => {
    const metric = { targetType: HpaMetricTargetType.UTILIZATION, target: 50, value: 3 };
    expect(() => HpaAlgorithm.proposeReplicas({ currentReplicas: 1, metrics: [metric] })).toThrow(
      "[HpaAlgorithm] 'metrics[0].pods' (undefined) is missing: Utilization needs per-pod samples with their requests (pods)");
  });
  test('fails on a Utilization pod with a request of 0', () => {
    expect(() => HpaAlgorithm.proposeReplicas({
      currentReplicas: 1, metrics: [{ targetType: HpaMetricTargetType.UTILIZATION, target: 50, pods: [{ value: 0.5, request: 0 }] }],
    })).toThrow(
      "[HpaAlgorithm] 'metrics[0].pods[0].request' (0) must be a number at least 0.001 and at most 1000000000000: "
      + 'give the pod resource request (sum over its containers, same unit as the samples) above zero');
  });
  test('fails on a metric with both pods and value', () => {
    expect(() => HpaAlgorithm.proposeReplicas({
      currentReplicas: 1, metrics: [{ targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 1, value: 2, pods: [] }],
    })).toThrow(
      "[HpaAlgorithm] 'metrics[0].pods' ([]) is given with value: give per-pod samples (pods) or one metric value (value), not both and not neither");
  });
});

describe('effectiveBehavior refuses what the API server refuses', () => {
  test('fails on a negative stabilization window instead of returning it', () => {
    // cdk8s refuses a negative Duration; a duration-like object from another language or a config reaches here instead.
    const negative = { toMilliseconds: () => -5000 } as unknown as Duration;
    const behavior = ScalingBehavior.custom({ scaleUp: { stabilizationWindow: negative } });
    expect(() => HpaAlgorithm.effectiveBehavior(behavior)).toThrow(
      "[HpaAlgorithm] 'behavior.scaleUp.stabilizationWindow' (\"-5s\") must be a whole number of seconds from 0 to 3600: "
      + 'give a stabilization window of 0 to 3600 s in whole seconds, as the API server allows');
  });

  test('fails on a selectPolicy that is not Max, Min or Disabled', () => {
    const behavior = ScalingBehavior.custom({ scaleDown: { selectPolicy: 'Average' as any } });
    expect(() => HpaAlgorithm.effectiveBehavior(behavior)).toThrow(
      "[HpaAlgorithm] 'behavior.scaleDown.selectPolicy' (\"Average\") must be one of Max, Min, Disabled: use 'Max', 'Min' or 'Disabled' (HpaSelectPolicy)");
  });

  test('fails when the behavior is not a ScalingBehavior', () => {
    expect(() => HpaAlgorithm.effectiveBehavior({ scaleUp: {} } as any)).toThrow(
      "[HpaAlgorithm] 'behavior' ({\"scaleUp\":{}}) must be a ScalingBehavior (made by its static methods), not an object");
  });
});

/*
 * Upstream behavior of kubernetes/kubernetes v1.33/v1.34 pkg/controller/podautoscaler (replica_calculator.go:
 * Tolerances.isWithin, groupPods, getUsageRatioReplicaCount and GetExternalPerPodMetricReplicas with their int32 cap;
 * horizontal.go: computeReplicasForMetrics with specReplicas and statusReplicas, stabilizeRecommendation) that the
 * public API could not express before.
 */
describe('upstream v1.33/v1.34 cases made expressible', () => {
  const MAX_INT32 = 2147483647;
  const T = true;
  const F = false;

  test('the int32 cap: a Value target far above its target proposes 2147483647, which stabilize and limitRate take', () => {
    const result = HpaAlgorithm.proposeReplicas({
      currentReplicas: 3, readyPodCount: 100_000, metrics: [{ targetType: HpaMetricTargetType.VALUE, target: 0.001, value: 1e12 }],
    });
    expect(result.replicas).toBe(MAX_INT32);
    expect(HpaAlgorithm.stabilize({ currentReplicas: 3, proposedReplicas: result.replicas }).replicas).toBe(MAX_INT32);
    expect(HpaAlgorithm.limitRate({ currentReplicas: 3, desiredReplicas: result.replicas, maxReplicas: 10 }).replicas).toBe(6);
  });

  test.each([
    ['AverageValue total (GetExternalPerPodMetricReplicas)', { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 0.001, value: 1e12 }],
    ['Pods metric (calcPlainMetricReplicas)', { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 0.001, pods: [{ value: 1e12 }, { value: 1e12 }, { value: 1e12 }] }],
    ['Utilization (GetResourceReplicas)', { targetType: HpaMetricTargetType.UTILIZATION, target: 1, pods: Array.from({ length: 3 }, () => ({ value: 1e12, request: 0.001 })) }],
  ])('the int32 cap holds for every calculator: %s', (_name, metric) => {
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, metrics: [metric as HpaMetricInput] }).replicas).toBe(MAX_INT32);
  });

  test('groupPods order: a running pod that is not ready and has no sample is missing, so it counts at 100% on a scale-down', () => {
    // Three ready pods at 10% and one not ready without a sample, target 50%: missing at 100% -> (300 + 1000) / 4000 = 32%.
    const notReady = cpu(50, [100, 100, 100, null], { ready: [T, T, T, F] });
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [notReady] }).replicas).toBe(3);
    // A pending pod is set aside as unready whether or not it has a sample: ceil(0.2 x 3) = 1.
    const pending = cpu(50, [100, 100, 100, null], { pending: [F, F, F, T] });
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [pending] }).replicas).toBe(1);
    // On a scale-up the missing pod counts as 0.
    const hot = cpu(50, [1000, 1000, 1000, null], { ready: [T, T, T, F] });
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [hot] }).replicas).toBe(6);
  });

  test('a pending pod with a sample is unready: its sample is dropped (Pods metrics too, where readiness alone does not count)', () => {
    const metric = podsMetric(1000, [2000, 2000, 9000]);
    const pending = { ...metric, pods: metric.pods!.map((p, i) => (i === 2 ? { ...p, pending: true } : p)) };
    // Ready pods at 2x, the pending one counts as 0 on the scale-up: (2000 + 2000 + 0) / 3 = 1333 -> ceil(1.333 x 3) = 4.
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, metrics: [pending] }).replicas).toBe(4);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, metrics: [metric] }).replicas).toBe(13);
  });

  test('withinTolerances is Tolerances.isWithin: 1 - down <= ratio <= 1 + up, both ends included', () => {
    expect(withinTolerances(1.1, 0.1, 0.1)).toBe(true);
    expect(withinTolerance(22 / 20, 0.1)).toBe(true);
    expect(withinTolerances(1.06, 0.05, 0.5)).toBe(false);
    expect(withinTolerances(0.6, 0.05, 0.5)).toBe(true);
    expect(withinTolerances(0.49, 0.05, 0.5)).toBe(false);
    expect(withinTolerances(1, 0, 0)).toBe(true);
  });

  test('per-direction tolerances from spec.behavior (HPAConfigurableTolerance), else the controller flag', () => {
    const behavior = ScalingBehavior.custom({ scaleUp: { tolerance: 0.05 }, scaleDown: { tolerance: 0.5 } });
    const up = podsMetric(1000, [1060, 1060]);
    const down = podsMetric(1000, [600, 600]);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [up] }).replicas).toBe(2);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [up], behavior }).replicas).toBe(3);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [down] }).replicas).toBe(2);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [down], behavior }).replicas).toBe(2);
    // Only the scale-down tolerance set: scale-up uses the flag given.
    const downOnly = ScalingBehavior.custom({ scaleDown: { tolerance: 0.5 } });
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [up], behavior: downOnly, tolerance: 0.01 }).replicas).toBe(3);
    // Value and AverageValue-total targets, and the rebalanced path with missing pods, use both tolerances too.
    const value = { targetType: HpaMetricTargetType.VALUE, target: 10, value: 10.6 };
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [value], behavior }).replicas).toBe(3);
    const total = { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 5, value: 6 };
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [total], behavior }).replicas).toBe(2);
    // Missing pod at 100%: 0.64 is outside 0.1 (-> 3) but within a scale-down tolerance of 0.5 (-> 4).
    const missing = cpu(50, [100, 100, 100, null]);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [missing] }).replicas).toBe(3);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [missing], behavior }).replicas).toBe(4);
  });

  test('stabilizeWithoutBehavior: the highest recommendation of the last 300 s, one exactly 300 s old included', () => {
    const rec = (replicas: number, s: number) => ({ replicas, age: Duration.seconds(s) });
    expect(HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: 3, recommendations: [rec(5, 299), rec(7, 301)] }))
      .toEqual({ replicas: 5, reason: HpaStabilizeReason.SCALE_DOWN_STABILIZED });
    expect(HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: 3, recommendations: [rec(5, 300)] }).replicas).toBe(5);
    expect(HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: 6, recommendations: [rec(5, 10)] }))
      .toEqual({ replicas: 6, reason: HpaStabilizeReason.READY_FOR_NEW_SCALE });
    const oneMinute = { proposedReplicas: 3, window: Duration.seconds(60), recommendations: [rec(5, 61)] };
    expect(HpaAlgorithm.stabilizeWithoutBehavior(oneMinute).replicas).toBe(3);
    // Not bounded by the current count: a current count of 4 (recorded at the first reconcile) and a recent 10 give 10,
    // above both the proposal and the current replicas; the legacy limit then allows max(2 x 4, 4) = 8.
    const stabilized = HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: 6, recommendations: [rec(4, 0), rec(10, 30)] });
    expect(stabilized.replicas).toBe(10);
    expect(HpaAlgorithm.limitRate({ currentReplicas: 4, desiredReplicas: stabilized.replicas, maxReplicas: 20 }).replicas).toBe(8);
    // The behavior path keeps the current count between its bounds instead.
    expect(HpaAlgorithm.stabilize({ currentReplicas: 4, proposedReplicas: 6, recommendations: [rec(10, 30)] }).replicas).toBe(6);
  });

  test('stabilizeWithoutBehavior checks its inputs', () => {
    expect(() => HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: -1 })).toThrow(/proposedReplicas/);
    expect(() => HpaAlgorithm.stabilizeWithoutBehavior({ proposedReplicas: 1, window: Duration.seconds(3601) })).toThrow(/window/);
  });

  test('computeReplicasForMetrics: an unavailable metric invalidates that metric only', () => {
    const unavailable = { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 1, unavailable: true };
    const up = HpaAlgorithm.proposeReplicas({ currentReplicas: 3, metrics: [cpu(30, [300, 500, 700]), unavailable] });
    expect(up).toEqual({
      replicas: 5, perMetric: [5, 0], usageRatios: [50 / 30, 0], invalidMetrics: [1], reason: HpaProposeReason.VALID_METRIC_FOUND,
    });
    const down = HpaAlgorithm.proposeReplicas({ currentReplicas: 5, metrics: [cpu(50, [100, 300, 500, 250, 250]), unavailable] });
    expect(down.replicas).toBe(5);
    expect(down.reason).toBe(HpaProposeReason.INVALID_METRICS);
    const all = HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [unavailable, { ...unavailable, value: 30 }] });
    expect(all).toEqual({ replicas: 2, perMetric: [0, 0], usageRatios: [0, 0], invalidMetrics: [0, 1], reason: HpaProposeReason.INVALID_METRICS });
  });

  test('a Utilization pod without a request makes that metric invalid (calculateRequests), not the call', () => {
    const noRequest = { targetType: HpaMetricTargetType.UTILIZATION, target: 50, pods: [{ value: 0.5, request: 1 }, { value: 0.5 }] };
    const result = HpaAlgorithm.proposeReplicas({ currentReplicas: 2, metrics: [noRequest, podsMetric(1000, [3000, 3000])] });
    expect(result.invalidMetrics).toEqual([0]);
    expect(result.replicas).toBe(6);
    expect(result.reason).toBe(HpaProposeReason.VALID_METRIC_FOUND);
  });

  test('status.replicas: an AverageValue total is divided by the scale status replicas, not spec.replicas', () => {
    const total = { targetType: HpaMetricTargetType.AVERAGE_VALUE, target: 5, value: 20 };
    // spec 3, status 4: 20 / (5 x 4) = 1 is within the tolerance, and upstream then returns the status replicas.
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, statusReplicas: 4, metrics: [total] }).replicas).toBe(4);
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 3, metrics: [total] }).replicas).toBe(4);
    // spec 4, status 2: 20 / 10 = 2 -> ceil(20 / 5) = 4.
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, statusReplicas: 2, metrics: [total] }).perMetric).toEqual([4]);
    // status 0 (nothing running yet): the ratio is infinite, never within the tolerance; reported as 0.
    const zero = HpaAlgorithm.proposeReplicas({ currentReplicas: 2, statusReplicas: 0, metrics: [{ ...total, value: 4 }] });
    expect(zero.perMetric).toEqual([1]);
    expect(zero.usageRatios).toEqual([0]);
    // Within the tolerance at spec 4 but not at status 2: 18 / 20 = 0.9 vs 18 / 10.
    expect(HpaAlgorithm.proposeReplicas({ currentReplicas: 4, metrics: [{ ...total, value: 18 }] }).replicas).toBe(4);
    const at2 = HpaAlgorithm.proposeReplicas({ currentReplicas: 4, statusReplicas: 2, metrics: [{ ...total, value: 18 }] });
    expect(at2.replicas).toBe(4);
    expect(() => HpaAlgorithm.proposeReplicas({ currentReplicas: 4, statusReplicas: -1, metrics: [total] })).toThrow(/statusReplicas/);
  });
});
