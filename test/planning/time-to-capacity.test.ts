import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { HpaScalingPolicyType, HpaSelectPolicy, ScalingBehavior, StartupEstimate, TimeToCapacity } from '../../src';

/** 240 + 120 + 600 + 60 = 1,020 s. */
const ESTIMATE: StartupEstimate = {
  nodeProvisioning: Duration.minutes(4),
  imagePull: Duration.minutes(2),
  modelLoad: Duration.minutes(10),
  warmUp: Duration.seconds(60),
};

const steps = (t: { steps: { at: Duration; replicas: number }[] }) => t.steps.map(s => [s.at.toSeconds(), s.replicas]);

describe('TimeToCapacity.estimate', () => {
  test('turns sizes and rates into whole seconds, rounded up', () => {
    const e = TimeToCapacity.estimate({
      nodeProvisioning: Duration.minutes(4),
      imageSize: Size.gibibytes(10),
      imagePullMibPerSecond: 100,
      weights: Size.gibibytes(15),
      weightLoadMibPerSecond: 700,
      warmUp: Duration.seconds(45),
    });
    // 10,240 MiB / 100 = 102.4 -> 103 s; 15,360 MiB / 700 = 21.9 -> 22 s.
    expect(e.imagePull.toSeconds()).toBe(103);
    expect(e.modelLoad!.toSeconds()).toBe(22);
    expect(TimeToCapacity.total(e).toSeconds()).toBe(240 + 103 + 22 + 45);
  });

  test('takes durations as given, and warm-up defaults to none', () => {
    const e = TimeToCapacity.estimate({ nodeProvisioning: Duration.seconds(0), imagePull: Duration.seconds(30), modelLoad: Duration.minutes(2) });
    expect(e).toEqual({ nodeProvisioning: Duration.seconds(0), imagePull: Duration.seconds(30), modelLoad: Duration.minutes(2) });
    expect(TimeToCapacity.total(e).toSeconds()).toBe(150);
  });

  test('fails when a part is given both ways, or neither', () => {
    expect(() => TimeToCapacity.estimate({
      nodeProvisioning: Duration.minutes(4),
      imagePull: Duration.minutes(1),
      imageSize: Size.gibibytes(1),
      modelLoad: Duration.minutes(1),
    })).toThrow("[TimeToCapacity.estimate] 'imagePull' (1 minute) is given with imageSize: give imagePull, or imageSize " +
      'with imagePullMibPerSecond, not both');
    expect(() => TimeToCapacity.estimate({ nodeProvisioning: Duration.minutes(4), imagePull: Duration.minutes(1), weights: Size.gibibytes(16) }))
      .toThrow("[TimeToCapacity.estimate] 'weightLoadMibPerSecond' (undefined) is missing: give modelLoad, or weights with weightLoadMibPerSecond");
    expect(() => TimeToCapacity.estimate({ imagePull: Duration.minutes(1), modelLoad: Duration.minutes(1) } as any))
      .toThrow("[TimeToCapacity.estimate] 'nodeProvisioning' (undefined) is missing: give the time from a pending pod to a Ready node");
  });

  test('fails for a rate of zero, a size of zero and a part above a day', () => {
    expect(() => TimeToCapacity.estimate({
      nodeProvisioning: Duration.minutes(4),
      imageSize: Size.gibibytes(1),
      imagePullMibPerSecond: 0,
      modelLoad: Duration.minutes(1),
    })).toThrow("'imagePullMibPerSecond' (0) must be a number above 0 and at most 10000000");
    expect(() => TimeToCapacity.estimate({
      nodeProvisioning: Duration.minutes(4),
      imageSize: Size.gibibytes(0),
      imagePullMibPerSecond: 10,
      modelLoad: Duration.minutes(1),
    })).toThrow("'imageSize' (0Gi) must be above zero and at most 1 TiB");
    expect(() => TimeToCapacity.estimate({ nodeProvisioning: Duration.hours(25), imagePull: Duration.minutes(1), modelLoad: Duration.minutes(1) }))
      .toThrow("'nodeProvisioning' (1 day 60 minutes) must be at most 1 day");
  });

  test('a rate of the weights is only for LargeModelServing, which knows them', () => {
    expect(() => TimeToCapacity.total({ ...ESTIMATE, modelLoad: undefined, weightLoadMibPerSecond: 500 }))
      .toThrow("[TimeToCapacity.total] 'estimate.weightLoadMibPerSecond' (500) needs the size of the weights, which only LargeModelServing knows: " +
        'give modelLoad instead (TimeToCapacity.estimate turns weights and a rate into one)');
  });
});

describe('TimeToCapacity.scaleUp', () => {
  test('steps the API default behavior: 4 pods or 100% per 15 s, no window', () => {
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 2, maxReplicas: 20, behavior: ScalingBehavior.custom({}) });
    // 2 -> max(2 + 4, 2 x 2) = 6 at 0 s; 6 -> 12 at 15 s; 12 -> 24, capped at 20, at 30 s.
    expect(steps(t)).toEqual([[0, 6], [15, 12], [30, 20]]);
    expect(t.timeToReady.toSeconds()).toBe(1020);
    expect(t.firstReplicaReady!.toSeconds()).toBe(1020);
    expect(t.maxReplicasReady!.toSeconds()).toBe(1050);
  });

  test('the standard preset waits out its 60 s window, then doubles once per 60 s', () => {
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 2, maxReplicas: 20, behavior: ScalingBehavior.standard() });
    // The proposals of 2 from before the load leave the window at 45 s (the one at -15 s is 60 s old then).
    expect(steps(t)).toEqual([[45, 6], [105, 12], [165, 20]]);
    expect(t.firstReplicaReady!.toSeconds()).toBe(45 + 1020);
    expect(t.maxReplicasReady!.toSeconds()).toBe(165 + 1020);
  });

  test('the real-time preset: 30 s window, 100% or 10 pods per 30 s', () => {
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 3, maxReplicas: 50, behavior: ScalingBehavior.realTime() });
    expect(steps(t)).toEqual([[15, 13], [45, 26], [75, 50]]);
  });

  test('without a behavior the controller\'s legacy limit applies: max(2 x current, 4) per sync', () => {
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 2, maxReplicas: 20 });
    expect(steps(t)).toEqual([[0, 4], [15, 8], [30, 16], [45, 20]]);
  });

  test('from zero, KEDA activates one replica and its HPA takes over at once', () => {
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 0, maxReplicas: 3 });
    expect(steps(t)).toEqual([[0, 1], [0, 3]]);
    expect(t.maxReplicasReady!.toSeconds()).toBe(1020);
  });

  test('a disabled scale-up never reaches the maximum, and min = max adds nothing', () => {
    const disabled = ScalingBehavior.custom({ scaleUp: { selectPolicy: HpaSelectPolicy.DISABLED } });
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 2, maxReplicas: 20, behavior: disabled });
    expect(t.steps).toEqual([]);
    expect(t.firstReplicaReady).toBeUndefined();
    expect(t.maxReplicasReady).toBeUndefined();
    const fixed = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 5, maxReplicas: 5 });
    expect(fixed.steps).toEqual([]);
    expect(fixed.firstReplicaReady).toBeUndefined();
    expect(fixed.maxReplicasReady!.toSeconds()).toBe(0);
  });

  test('fails when maxReplicas is below minReplicas', () => {
    expect(() => TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 5, maxReplicas: 4 }))
      .toThrow("[TimeToCapacity.scaleUp] 'maxReplicas' (4) is below 'minReplicas' (5): raise maxReplicas or lower minReplicas");
  });

  test('a slow Pods policy on many replicas finishes quickly (the stepping skips the syncs the policy holds)', () => {
    const slow = ScalingBehavior.custom({ scaleUp: { policies: [{ type: HpaScalingPolicyType.PODS, value: 1, period: Duration.seconds(1800) }] } });
    const started = Date.now();
    const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: 1, maxReplicas: 2000, behavior: slow });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(t.steps).toHaveLength(1999);
    expect(t.maxReplicasReady!.toSeconds()).toBe(1998 * 1800 + 1020);
  });

  test('property: counts only grow, stay within bounds, and the last is maxReplicas unless disabled', () => {
    const policy = fc.record({
      type: fc.constantFrom(HpaScalingPolicyType.PODS, HpaScalingPolicyType.PERCENT),
      value: fc.integer({ min: 1, max: 300 }),
      period: fc.integer({ min: 1, max: 1800 }).map(s => Duration.seconds(s)),
    });
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 500 }), fc.array(policy, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 3600 }), fc.constantFrom(HpaSelectPolicy.MAX, HpaSelectPolicy.MIN),
      (min, span, policies, window, select) => {
        const max = Math.max(min, 1) + span - 1;
        const behavior = ScalingBehavior.custom({ scaleUp: { policies, stabilizationWindow: Duration.seconds(window), selectPolicy: select } });
        const t = TimeToCapacity.scaleUp({ estimate: ESTIMATE, minReplicas: min, maxReplicas: max, behavior });
        let last = min;
        for (const s of t.steps) {
          expect(s.replicas).toBeGreaterThan(last);
          expect(s.replicas).toBeLessThanOrEqual(max);
          last = s.replicas;
        }
        if (max > min) expect(last).toBe(max);
        expect(t.maxReplicasReady!.toSeconds()).toBeGreaterThanOrEqual(max > min ? t.timeToReady.toSeconds() : 0);
      }), { numRuns: 200 });
  });
});
