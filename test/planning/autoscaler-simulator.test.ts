import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CLASS_EXAMPLE } from './simulator-fixtures';
import { AutoscalerSimulator, SimulationProps, SimulationResult } from '../../src/planning/autoscaler-simulator';
import { HpaAlgorithm } from '../../src/planning/hpa-algorithm';
import {
  convertWithBehaviorRate, convertWithRules, CorePod, CoreRules, plainMetricReplicas, stabilize, toMilli, withinTolerance, withinTolerances,
} from '../../src/planning/internal/hpa-core';
import {
  legacyStabilize, RecommendationWindow, uniformPlainMetricReplicas,
} from '../../src/planning/internal/simulator-core';
import {
  HpaScalingPolicyType, HpaScalingRules, HpaSelectPolicy, ScalingBehavior,
} from '../../src/planning/scaling-behavior';

/** The props of a hand-worked case: 15 s steps, syncs on step starts, a metric of the instant, pods ready at once. */
function props(overrides: Partial<SimulationProps> & Pick<SimulationProps, 'load' | 'maxReplicas' | 'capacityPerReplica'>): SimulationProps {
  return {
    step: Duration.seconds(15), timeToReady: Duration.seconds(0), metricDelay: Duration.seconds(0), metricWindow: Duration.seconds(0), ...overrides,
  };
}

function pods(value: number, periodSeconds: number): HpaScalingRules['policies'] {
  return [{ type: HpaScalingPolicyType.PODS, value, period: Duration.seconds(periodSeconds) }];
}

const seconds = (n: number) => Duration.seconds(n);

function repeat(value: number, times: number): number[] {
  return new Array<number>(times).fill(value);
}

describe('AutoscalerSimulator: hand-worked cases', () => {
  test('a step up in load grows by 4 pods per sync under a 4-pod/15 s policy, then settles on the target', () => {
    // At 2 replicas the load of 100 proposes 20; each sync may add 4 to the 2, 6, 10... it found.
    // At 18: 100 / 18 = 5.556 per pod -> ceil(1.1112 x 18) = 21 (under the limit 22); at 21 the ratio is in tolerance.
    const result = AutoscalerSimulator.run(props({
      load: [10, ...repeat(100, 8)],
      minReplicas: 2,
      maxReplicas: 30,
      capacityPerReplica: 5,
      behavior: ScalingBehavior.custom({ scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(4, 15) } }),
    }));
    expect(result.replicas).toEqual([2, 6, 10, 14, 18, 21, 21, 21, 21]);
    expect(result.scaleUpEvents).toBe(5);
    expect(result.scaleDownEvents).toBe(0);
    expect(result.peakReplicas).toBe(21);
  });

  test('a 4-pod/60 s policy adds 4 pods once per minute although the controller syncs every 15 s', () => {
    const result = AutoscalerSimulator.run(props({
      load: [10, ...repeat(100, 9)],
      minReplicas: 2,
      maxReplicas: 30,
      capacityPerReplica: 5,
      behavior: ScalingBehavior.custom({ scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(4, 60) } }),
    }));
    // The event at 15 s stops counting when it is 60 s old (age < period), so the next 4 come at 75 s.
    expect(result.replicas).toEqual([2, 6, 6, 6, 6, 10, 10, 10, 10, 14]);
  });

  test('without a behavior the legacy path at most doubles per sync, and adds at least up to 4', () => {
    const doubling = AutoscalerSimulator.run(props({ load: [4, ...repeat(1000, 6)], initialReplicas: 4, maxReplicas: 100, capacityPerReplica: 1 }));
    expect(doubling.replicas).toEqual([4, 8, 16, 32, 64, 100, 100]);
    const fromOne = AutoscalerSimulator.run(props({ load: [1, ...repeat(1000, 3)], maxReplicas: 100, capacityPerReplica: 1 }));
    expect(fromOne.replicas).toEqual([1, 4, 8, 16]);
  });

  test('without a behavior the 300 s scale-down window holds the replicas, and counts a recommendation exactly 300 s old', () => {
    // Syncs at 0..45 s recommend 10; from 60 s the load proposes 2. stabilizeRecommendation drops a recommendation only
    // when it is more than 300 s old (time.Before), so the one from 45 s still holds at 345 s; the drop comes at 360 s.
    const load = [...repeat(10, 4), ...repeat(2, 26)];
    const result = AutoscalerSimulator.run(props({ load, initialReplicas: 10, maxReplicas: 20, capacityPerReplica: 1 }));
    expect(result.replicas).toEqual([...repeat(10, 24), ...repeat(2, 6)]);
    expect(result.scaleDownEvents).toBe(1);
  });

  test('with a behavior the same 300 s window lets go at 300 s (stabilizeRecommendationWithBehaviors uses time.After)', () => {
    const load = [...repeat(10, 4), ...repeat(2, 26)];
    const result = AutoscalerSimulator.run(props({
      load, initialReplicas: 10, maxReplicas: 20, capacityPerReplica: 1, behavior: ScalingBehavior.custom({}),
    }));
    expect(result.replicas).toEqual([...repeat(10, 23), ...repeat(2, 7)]);
  });

  test('pods that are not ready serve nothing: the load they would take is unserved, and they count as 0 in the metric', () => {
    // 15 s: 40 rps on 1 pod proposes 4; the 3 new pods are ready at 75 s. Until then 1 pod serves 10 of 40 rps:
    // 30 rps x 60 s = 1800 requests unserved. Syncs at 30..60 s see 40 on the ready pod and 0 on 3 unready ones:
    // a ratio of 1, so they do not pile on more pods.
    const result = AutoscalerSimulator.run(props({
      load: [10, ...repeat(40, 7)],
      maxReplicas: 20,
      capacityPerReplica: 10,
      timeToReady: seconds(60),
      behavior: ScalingBehavior.custom({ scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(100, 15) } }),
      priceUsdPerHour: 3.6,
    }));
    expect(result.replicas).toEqual([1, 4, 4, 4, 4, 4, 4, 4]);
    expect(result.readyReplicas).toEqual([1, 1, 1, 1, 1, 4, 4, 4]);
    expect(result.unservedLoad).toBe(1800);
    expect(result.totalLoad).toBe(10 * 15 + 40 * 105);
    expect(result.unservedFraction).toBeCloseTo(1800 / 4350, 12);
    expect(result.overloadedTime.toSeconds()).toBe(60);
    // 1 replica for 15 s, then 4 for 105 s (ready or not): 435 replica-seconds; at $3.60 an hour that is $0.435.
    expect(result.duration.toSeconds()).toBe(120);
    expect(result.replicaHours).toBeCloseTo(435 / 3600, 12);
    expect(result.meanReplicas).toBeCloseTo(3.625, 12);
    expect(result.costUsd).toBe(0.435);
    expect(result.peakReplicas).toBe(4);
  });

  test('cost is undefined without a price, and 0 at a price of 0', () => {
    const base = props({ load: [10, 10], maxReplicas: 5, capacityPerReplica: 10 });
    expect(AutoscalerSimulator.run(base).costUsd).toBeUndefined();
    expect(AutoscalerSimulator.run({ ...base, priceUsdPerHour: 0 }).costUsd).toBe(0);
  });

  test('costs and replica-hours over hours: 3 replicas for 2 h at $2.50 cost $15', () => {
    const result = AutoscalerSimulator.run({
      load: [30, 30, 30, 30], step: seconds(1800), minReplicas: 3, maxReplicas: 10, capacityPerReplica: 10, priceUsdPerHour: 2.5,
    });
    expect(result.replicas).toEqual([3, 3, 3, 3]);
    expect(result.replicaHours).toBe(6);
    expect(result.costUsd).toBe(15);
    expect(result.meanReplicas).toBe(3);
  });

  test('scale-down removes pods that are not ready first, newest first', () => {
    // 0 s: +2 pods (A, ready at 60 s). 15 s: +2 (B, ready at 75 s). 30-45 s: the load drops, but the four pods without a
    // sample are missing pods, counted at the target on a scale-down, so the count holds. 60 s: the A pods are ready and
    // 5 -> 4 removes a B pod (not ready, newest), never a ready one. 75 s: 4 -> 2 removes the other B pod first.
    const result = AutoscalerSimulator.run(props({
      load: [30, 100, 5, 10, 20, 20, 20],
      maxReplicas: 20,
      capacityPerReplica: 10,
      timeToReady: seconds(60),
      behavior: ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(2, 15) },
        scaleDown: { stabilizationWindow: Duration.seconds(0), policies: pods(3, 15) },
      }),
    }));
    // Missing pods: groupPods and calcPlainMetricReplicas, kubernetes/kubernetes v1.33 replica_calculator.go.
    expect(result.replicas).toEqual([3, 5, 5, 5, 4, 2, 2]);
    expect(result.readyReplicas).toEqual([1, 1, 1, 1, 3, 2, 2]);
  });

  test('a scale-down policy counts from the replicas at the start of its period, scale-ups in it included', () => {
    // 5 -> 9 -> 13 under 4 pods/15 s. At 30 s the load proposes 2; the 1-pod/60 s down policy starts from
    // 13 - 8 (added in the last 60 s) = 5, so 4 is allowed at once (periodStartReplicas upstream). The scale-up of 0 s
    // is exactly one up-period old when the one of 15 s is stored: it is not outdated yet (time.Before), so it is kept
    // and still counts for the 60 s down period.
    const result = AutoscalerSimulator.run(props({
      load: [1000, 1000, 10, 10],
      initialReplicas: 5,
      maxReplicas: 100,
      capacityPerReplica: 10,
      behavior: ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(4, 15) },
        scaleDown: { stabilizationWindow: Duration.seconds(0), policies: pods(1, 60) },
      }),
    }));
    expect(result.replicas).toEqual([9, 13, 4, 4]);
  });

  test('a scale event older than its own longest period is reused by the next one, and stops counting (storeScaleEvent)', () => {
    // Scale-ups at 0 s and 30 s (the load holds at 15 s). When the second is stored the first is 30 s old, past the
    // 15 s up-period: upstream marks it outdated and overwrites it. So at 45 s the 1-pod/60 s down policy sees only
    // the second (+4): it starts from 13 - 4 = 9 and allows 8, not the 4 it would allow with both.
    const result = AutoscalerSimulator.run(props({
      load: [1000, 90, 1000, 10, 10],
      initialReplicas: 5,
      maxReplicas: 100,
      capacityPerReplica: 10,
      behavior: ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(4, 15) },
        scaleDown: { stabilizationWindow: Duration.seconds(0), policies: pods(1, 60) },
      }),
    }));
    expect(result.replicas).toEqual([9, 9, 13, 8, 8]);
  });

  test('hourly steps with 15 s syncs: the controller acts within the hour, and the totals split at each sync', () => {
    // Hour 1 (3600 s): 400 rps at 10 per pod proposes 40; the default policy (4 pods or 100% per 15 s) allows 20, then 40.
    // Hour 2 (7200 s): 100 rps proposes 10, held by the 300 s window until 7485 s (the last 40 was at 7185 s).
    const result = AutoscalerSimulator.run({
      load: [100, 400, 100],
      step: Duration.hours(1),
      initialReplicas: 10,
      maxReplicas: 50,
      capacityPerReplica: 10,
      timeToReady: seconds(0),
      metricDelay: seconds(0),
      metricWindow: seconds(0),
      behavior: ScalingBehavior.custom({}),
    });
    expect(result.replicas).toEqual([10, 40, 10]);
    const replicaSeconds = 10 * 3600 + 20 * 15 + 40 * 3585 + 40 * 285 + 10 * 3315;
    expect(result.replicaHours).toBeCloseTo(replicaSeconds / 3600, 9);
    // Only [3600, 3615) with 20 ready pods (200 rps) is short of 400 rps.
    expect(result.overloadedTime.toSeconds()).toBe(15);
    expect(result.unservedLoad).toBe(200 * 15);
    expect(result.scaleUpEvents).toBe(2);
    expect(result.scaleDownEvents).toBe(1);
  });

  test('per-second steps: syncs every 15 s act on the load of their own second', () => {
    // 60 s at 10 rps then 60 s at 50. At 60 s the legacy limit allows 4 (max(2 x 1, 4)); at 75 s 50 / 4 = 12.5 per pod
    // proposes ceil(1.25 x 4) = 5.
    const result = AutoscalerSimulator.run(props({
      load: [...repeat(10, 60), ...repeat(50, 60)], step: seconds(1), maxReplicas: 10, capacityPerReplica: 10,
    }));
    expect(result.replicas).toEqual([...repeat(1, 60), ...repeat(4, 15), ...repeat(5, 45)]);
    expect(result.unservedLoad).toBe(10 * 15);
    expect(result.overloadedTime.toSeconds()).toBe(15);
  });

  test('steps that do not line up with syncs (7 s steps, 15 s syncs) report the state at the end of each step', () => {
    // Syncs at 0, 15, 30 s fall in steps 0, 2 and 4; the load of 40 starts at 14 s (step 2), seen by the sync at 15 s.
    const result = AutoscalerSimulator.run(props({ load: [10, 10, 40, 40, 40], step: seconds(7), maxReplicas: 10, capacityPerReplica: 10 }));
    expect(result.replicas).toEqual([1, 1, 4, 4, 4]);
    // [14, 15): 40 rps on 1 pod of 10.
    expect(result.unservedLoad).toBe(30);
    expect(result.overloadedTime.toSeconds()).toBe(1);
  });

  test('a stale metric makes the controller react one sync later', () => {
    const base = props({
      load: [20, 80, 80, 80, 80],
      initialReplicas: 2,
      maxReplicas: 100,
      capacityPerReplica: 10,
      behavior: ScalingBehavior.custom({ scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(100, 15) } }),
    });
    expect(AutoscalerSimulator.run(base).replicas).toEqual([2, 8, 8, 8, 8]);
    expect(AutoscalerSimulator.run({ ...base, metricDelay: seconds(15) }).replicas).toEqual([2, 2, 8, 8, 8]);
  });

  test('a stale metric of the instant does not overshoot: pods ready since the sampled instant have no sample', () => {
    // 45 s: the 30 s-old metric shows 80 rps on 2 pods, so 8; at 60 s those 6 new pods are ready but were not at 30 s,
    // so only the 2 old pods report (40 per pod, 4 x target) and the 6 count as 0: trunc(2 x 40 / 8) / 10 = 1, keep 8.
    const result = AutoscalerSimulator.run(props({
      load: [20, 80, 80, 80, 80, 80],
      initialReplicas: 2,
      maxReplicas: 100,
      capacityPerReplica: 10,
      timeToReady: seconds(15),
      metricDelay: seconds(30),
      behavior: ScalingBehavior.custom({ scaleUp: { stabilizationWindow: Duration.seconds(0), policies: pods(100, 15) } }),
    }));
    expect(result.replicas).toEqual([2, 2, 2, 8, 8, 8]);
  });

  test('initial replicas above maxReplicas are brought to the bound at the first sync', () => {
    const result = AutoscalerSimulator.run(props({ load: [50, 50], initialReplicas: 20, maxReplicas: 10, capacityPerReplica: 5 }));
    expect(result.replicas).toEqual([10, 10]);
    expect(result.scaleDownEvents).toBe(1);
    expect(result.peakReplicas).toBe(20);
  });

  test('the documented defaults: 3 minutes to ready, a 2-minute rate window 15 s old, 15 s syncs, min 1, a target utilization of 1', () => {
    expect(AutoscalerSimulator.DEFAULT_TIME_TO_READY.toSeconds()).toBe(180);
    expect(AutoscalerSimulator.DEFAULT_METRIC_DELAY.toSeconds()).toBe(15);
    expect(AutoscalerSimulator.DEFAULT_METRIC_WINDOW.toSeconds()).toBe(120);
    expect(AutoscalerSimulator.DEFAULT_COOLDOWN_PERIOD.toSeconds()).toBe(300);
    expect(AutoscalerSimulator.DEFAULT_POLLING_INTERVAL.toSeconds()).toBe(30);
    const result = AutoscalerSimulator.run({ load: [10, ...repeat(40, 20)], step: seconds(15), maxReplicas: 10, capacityPerReplica: 10 });
    // The load of 40 starts at 15 s. At 45 s the window [-90 s, 30 s] holds 15 s of it: (105 x 10 + 15 x 40) / 120 =
    // 13.75 on the 1 ready pod: 2. With 1 pod not ready its 0 damps the ratio: at 60 s trunc(17.5 / 2) / 10 = 0.875
    // and at 75 s 1.0625 keep 2; at 90 s 25 / 2 = 1.25 -> 3; at 135 s 36.25 / 3 = 1.208 -> 4, the 4 that serve 40 rps.
    expect(result.replicas).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, ...repeat(4, 12)]);
    expect(result.readyReplicas).toEqual([...repeat(1, 15), 2, 2, 2, 3, 3, 3]);
    expect(result.peakReplicas).toBe(4);
    // 30 rps unserved from 15 s to 225 s, 20 to 270 s, 10 to 315 s.
    expect(result.unservedLoad).toBe(30 * 210 + 20 * 45 + 10 * 45);
  });

  test('the class example runs', () => {
    const result = AutoscalerSimulator.run(CLASS_EXAMPLE);
    expect(result.replicas).toHaveLength(10);
    expect(result.unservedFraction).toBeGreaterThan(0);
    expect(result.unservedFraction).toBeLessThan(1);
  });

  test('the HPA aims at capacityPerReplica x targetUtilization, read to the milli-unit; capacity alone sets what is served', () => {
    const fastUp = ScalingBehavior.custom({ scaleUp: { policies: pods(100, 15) } });
    // 10 x 0.7 aims at 7 per pod: 70 rps on 1 pod proposes ceil(70 / 7) = 10; then 7 per pod is on target.
    const seventy = AutoscalerSimulator.run(props({
      load: [7, 70, 70], maxReplicas: 20, capacityPerReplica: 10, targetUtilization: 0.7, behavior: fastUp,
    }));
    expect(seventy.replicas).toEqual([1, 10, 10]);
    // Served up to ready x 10 (not x 7): 7 rps on 1 pod is served.
    expect(seventy.unservedLoad).toBe(0);
    // 3 x 0.3 is 0.8999999999999999 in float64: the target is still 900 milli-units, so 9 rps on 1 pod asks for 10, not 11.
    const tenths = AutoscalerSimulator.run(props({
      load: [0.9, 9, 9], maxReplicas: 20, capacityPerReplica: 3, targetUtilization: 0.3, behavior: fastUp,
    }));
    expect(tenths.replicas).toEqual([1, 10, 10]);
  });
});

describe('AutoscalerSimulator: errors name the prop, the value, the problem and the fix', () => {
  const ok: SimulationProps = { load: [1, 2, 3], step: seconds(60), maxReplicas: 5, capacityPerReplica: 2 };
  const S = '[AutoscalerSimulator]';
  const LOAD_FIX = 'give one load value per step, each a finite number of 0 or more in the unit of capacityPerReplica (e.g. requests per second)';
  const STEP_FIX = 'give the length of one load step, e.g. 1 minute for a per-minute trace or 1 hour for an hourly one';
  const SYNC_FIX = 'give the HPA sync period (--horizontal-pod-autoscaler-sync-period), e.g. 15 seconds';
  const cases: Array<[string, Partial<SimulationProps>, string]> = [
    ['load is empty', { load: [] }, `${S} 'load' ([]) must not be empty: ${LOAD_FIX}`],
    ['a load value is NaN', { load: [1, 2, NaN] }, `${S} 'load[2]' (NaN) must be a finite number of 0 or more: ${LOAD_FIX}`],
    ['a load value is negative', { load: [-1] }, `${S} 'load[0]' (-1) must be a finite number of 0 or more: ${LOAD_FIX}`],
    ['a load value is infinite', { load: [1, Infinity] }, `${S} 'load[1]' (Infinity) must be a finite number of 0 or more: ${LOAD_FIX}`],
    ['step is 0', { step: seconds(0) }, `${S} 'step' ("0s") must be a finite duration above 0: ${STEP_FIX}`],
    ['step is below a microsecond', { step: seconds(1e-7) }, `${S} 'step' ("1e-7s") is shorter than a microsecond, the time resolution `
      + `of the simulation: ${STEP_FIX}`],
    ['maxReplicas is 0', { maxReplicas: 0 }, `${S} 'maxReplicas' (0) must be a whole number from 1 to 2147483647: `
      + 'give maxReplicas as a whole number of at least 1, as the HPA spec does'],
    ['minReplicas is 0', { minReplicas: 0 }, `${S} 'minReplicas' (0) must be a whole number from 1 to 2147483647: give minReplicas as a whole `
      + 'number of at least 1, or 0 with an activationThreshold (KEDA scales to and from zero)'],
    ['minReplicas is fractional', { minReplicas: 1.5 }, `${S} 'minReplicas' (1.5) must be a whole number from 1 to 2147483647: give minReplicas `
      + 'as a whole number of at least 1, or 0 with an activationThreshold (KEDA scales to and from zero)'],
    ['minReplicas is above maxReplicas', { minReplicas: 6 }, `${S} 'minReplicas' (6) is above 'maxReplicas' (5): raise maxReplicas or lower minReplicas`],
    ['initialReplicas is fractional', { initialReplicas: 2.5 }, `${S} 'initialReplicas' (2.5) must be a whole number from 1 to 2147483647: give `
      + 'the replicas running (and ready) when the load starts, as a whole number of at least 1 (0 with an activationThreshold), or leave it unset for minReplicas'],
    ['capacityPerReplica is 0', { capacityPerReplica: 0 }, `${S} 'capacityPerReplica' (0) must be a finite number above 0: give the load one `
      + 'ready replica serves at full utilization, in the unit of the load, e.g. 10 requests per second'],
    ['targetUtilization is 0', { targetUtilization: 0 }, `${S} 'targetUtilization' (0) must be a number above 0 and at most 1: give the fraction `
      + 'of capacityPerReplica the HPA aims at, above 0 and at most 1, e.g. 0.7 (the rest is headroom)'],
    ['targetUtilization is above 1', { targetUtilization: 1.2 }, `${S} 'targetUtilization' (1.2) must be a number above 0 and at most 1: give `
      + 'the fraction of capacityPerReplica the HPA aims at, above 0 and at most 1, e.g. 0.7 (the rest is headroom)'],
    ['the target is below a milli-unit', { capacityPerReplica: 0.001, targetUtilization: 0.0004 }, `${S} 'targetUtilization' (0.0004) makes the `
      + 'HPA\'s AverageValue target, capacityPerReplica x targetUtilization (0.001 x 0.0004 = 4e-7), smaller than 0.001: the controller reads '
      + 'quantities in milli-units: raise targetUtilization, or give the load in a smaller unit (e.g. requests per minute)'],
    ['the target is half a milli-unit', { capacityPerReplica: 0.001, targetUtilization: 0.5 }, `${S} 'targetUtilization' (0.5) makes the `
      + 'HPA\'s AverageValue target, capacityPerReplica x targetUtilization (0.001 x 0.5 = 0.0005), smaller than 0.001: the controller reads '
      + 'quantities in milli-units: raise targetUtilization, or give the load in a smaller unit (e.g. requests per minute)'],
    ['timeToReady is not finite', { timeToReady: seconds(Infinity) }, `${S} 'timeToReady' (Infinity) must be a finite duration of 0 or more: give `
      + 'the time a new pod takes from creation to ready (scheduling, image pull, model load), 0 or more, e.g. 3 minutes'],
    ['syncPeriod is 0', { syncPeriod: seconds(0) }, `${S} 'syncPeriod' ("0s") must be a finite duration above 0: ${SYNC_FIX}`],
    ['syncPeriod makes too many syncs', { load: repeat(1, 1000), step: seconds(86400), syncPeriod: seconds(1) },
      `${S} 'syncPeriod' ("1s") makes 86400000 syncs over the 86400000 s of load (at most 10000000): ${SYNC_FIX}`],
    ['tolerance is 1', { tolerance: 1 }, `${S} 'tolerance' (1) must be a number from 0 up to (not including) 1: `
      + 'give a fraction from 0 up to (not including) 1; the controller default is 0.1'],
    ['metricDelay is NaN', { metricDelay: seconds(NaN) }, `${S} 'metricDelay' (NaN) must be a finite duration of 0 or more: give how `
      + 'old the newest sample is beyond the rate window, 0 or more, e.g. 15 seconds for a 30-second scrape interval'],
    ['metricWindow is NaN', { metricWindow: seconds(NaN) }, `${S} 'metricWindow' (NaN) must be a finite duration of 0 or more: give the `
      + 'rate window of the metric, 0 or more, e.g. 2 minutes as ScalingMetric.requestsPerSecond uses'],
    ['scaleUpTolerance is 1', { scaleUpTolerance: 1 }, `${S} 'scaleUpTolerance' (1) must be a number from 0 up to (not including) 1: `
      + 'give a fraction from 0 up to (not including) 1; the controller default is 0.1'],
    ['scaleDownTolerance is negative', { scaleDownTolerance: -0.1 }, `${S} 'scaleDownTolerance' (-0.1) must be a number from 0 up to (not `
      + 'including) 1: give a fraction from 0 up to (not including) 1; the controller default is 0.1'],
    ['activationThreshold is negative', { activationThreshold: -1, minReplicas: 0 }, `${S} 'activationThreshold' (-1) must be a finite number `
      + 'of at least 0: give the load at or below which KEDA deactivates the target (scale to zero), 0 or more, in the unit of the load'],
    ['initialReplicas is 0 without an activationThreshold', { initialReplicas: 0 }, `${S} 'initialReplicas' (0) must be a whole number from 1 `
      + 'to 2147483647: give the replicas running (and ready) when the load starts, as a whole number of at least 1 (0 with an '
      + 'activationThreshold), or leave it unset for minReplicas'],
    ['cooldownPeriod is infinite', { activationThreshold: 1, minReplicas: 0, cooldownPeriod: seconds(Infinity) }, `${S} 'cooldownPeriod' (Infinity) `
      + 'must be a finite duration of 0 or more: give KEDA\'s cooldownPeriod, 0 or more, e.g. 300 seconds'],
    ['pollingInterval is 0', { activationThreshold: 1, minReplicas: 0, pollingInterval: seconds(0) }, `${S} 'pollingInterval' ("0s") `
      + 'must be a finite duration above 0: give KEDA\'s pollingInterval, above 0, e.g. 30 seconds'],
    ['pollingInterval makes too many polls', {
      load: repeat(1, 1000),
      step: seconds(86400),
      syncPeriod: seconds(10),
      activationThreshold: 1,
      minReplicas: 0,
      pollingInterval: seconds(1),
    }, `${S} 'pollingInterval' ("1s") makes 86400000 polls over the 86400000 s of load (at most `
      + '10000000): give KEDA\'s pollingInterval, above 0, e.g. 30 seconds'],
    ['priceUsdPerHour is negative', { priceUsdPerHour: -2 }, `${S} 'priceUsdPerHour' (-2) must be a finite number of `
      + 'at least 0: give the hourly price of one replica in US dollars, 0 or more, e.g. 4.1, or leave it unset to report no cost'],
    ['a policy period is beyond the API limit',
      { behavior: ScalingBehavior.custom({ scaleUp: { policies: pods(4, 2000) } }) },
      `${S} 'behavior.scaleUp.policies[0].period' ("2000s") must be a whole number of seconds from 1 to 1800: give a policy period of 1 to 1800 `
      + 's in whole seconds, as the API server allows'],
    ['a policy value is 0',
      {
        behavior: ScalingBehavior.custom({
          scaleDown: { policies: [{ type: HpaScalingPolicyType.PERCENT, value: 0, period: Duration.seconds(60) }] },
        }),
      },
      `${S} 'behavior.scaleDown.policies[0].value' (0) must be a whole number from 1 to 2147483647: a policy allows a whole number of pods `
      + 'or percent above zero; to stop scaling in this direction set selectPolicy to Disabled and leave policies out'],
    ['a stabilization window is beyond the API limit',
      { behavior: ScalingBehavior.custom({ scaleDown: { stabilizationWindow: Duration.seconds(4000) } }) },
      `${S} 'behavior.scaleDown.stabilizationWindow' ("4000s") must be a whole number of seconds from 0 to 3600: give a stabilization window of 0 `
      + 'to 3600 s in whole seconds, as the API server allows'],
    ['the policies are empty while scaling is not disabled',
      { behavior: ScalingBehavior.custom({ scaleUp: { policies: [] } }) },
      `${S} 'behavior.scaleUp.policies' ([]) is empty while selectPolicy is not Disabled: give at least one policy, leave policies out for `
      + 'the API defaults, or, to stop scaling in this direction, set selectPolicy to Disabled (with policies left out: the API server refuses an empty list)'],
  ];
  test.each(cases)('fails when %s', (_name, override, message) => {
    expect(() => AutoscalerSimulator.run({ ...ok, ...override })).toThrow(message);
    // The message is the whole text, not a prefix of a longer one.
    try {
      AutoscalerSimulator.run({ ...ok, ...override });
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  test('accepts an empty policy list when the direction is disabled', () => {
    const behavior = ScalingBehavior.custom({ scaleUp: { policies: [], selectPolicy: HpaSelectPolicy.DISABLED } });
    expect(AutoscalerSimulator.run({ ...ok, load: [100, 100], behavior }).replicas).toEqual([1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A slow reference: the controller replayed second by second with an explicit list of pods and upstream's own
// histories (recommendations and scale events with their reuse of old entries), on hpa-core's plainMetricReplicas,
// stabilize, convertWithBehaviorRate and convertWithRules. It shares no code with the simulator's loop.
// ---------------------------------------------------------------------------------------------------------------

/** A scenario in whole seconds, as the reference replays it. */
interface RefProps {
  load: number[];
  stepSeconds: number;
  syncPeriodSeconds: number;
  podReadySeconds: number;
  metricDelaySeconds: number;
  metricWindowSeconds: number;
  minReplicas: number;
  maxReplicas: number;
  initialReplicas: number;
  capacityPerReplica: number;
  targetUtilization: number;
  tolerance: number;
  scaleUpTolerance?: number;
  scaleDownTolerance?: number;
  activationThreshold?: number;
  cooldownSeconds?: number;
  pollingSeconds?: number;
  behavior?: ScalingBehavior;
}

interface RefResult {
  replicas: number[];
  readyReplicas: number[];
  replicaSeconds: number;
  unservedLoad: number;
  overloadedSeconds: number;
  scaleUpEvents: number;
  scaleDownEvents: number;
  peakReplicas: number;
}

function coreRules(behavior: ScalingBehavior): { up: CoreRules; down: CoreRules } {
  const b = HpaAlgorithm.effectiveBehavior(behavior);
  const rules = (r: HpaScalingRules | undefined): CoreRules => ({
    stabilizationWindowSeconds: r!.stabilizationWindow!.toSeconds(),
    selectPolicy: r!.selectPolicy!,
    policies: r!.policies!.map(x => ({ type: x.type, value: x.value, periodSeconds: x.period.toSeconds() })),
  });
  return { up: rules(b.scaleUp), down: rules(b.scaleDown) };
}

/**
 * calcPlainMetricReplicas with Kubernetes 1.33's Tolerances.isWithin, for `sampled` pods whose samples average
 * `milli` and `unready` pods without one (0 when scaling up).
 */
function refPlain(
  current: number, sampled: number, missing: number, milli: number, targetMilli: number, up: number, down: number,
): number | undefined {
  const within = (r: number) => 1 - down <= r && r <= 1 + up;
  if (sampled === 0) return undefined;
  const ratio = milli / targetMilli;
  if (missing === 0) return within(ratio) ? current : Math.ceil(ratio * sampled);
  // calcPlainMetricReplicas (kubernetes/kubernetes v1.33 replica_calculator.go): a pod without a sample is missing; it
  // counts at the target on a scale-down, as 0 on a scale-up, and is left out at a ratio of exactly 1.
  if (ratio === 1) return current;
  const counted = sampled + missing;
  const newRatio = Math.trunc((sampled * milli + (ratio < 1 ? missing * targetMilli : 0)) / counted) / targetMilli;
  if (within(newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return current;
  const replicas = Math.ceil(newRatio * counted);
  return (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) ? current : replicas;
}

function reference(p: RefProps): RefResult {
  const rules = p.behavior ? coreRules(p.behavior) : undefined;
  const span = p.load.length * p.stepSeconds;
  const podList: number[] = repeat(-Infinity, p.initialReplicas); // each pod's ready instant
  const readyHistory: number[] = []; // ready pods at each second, after that second's changes
  let recs: Array<{ replicas: number; at: number }> | undefined;
  const upEvents: Array<{ replicaChange: number; at: number; outdated: boolean }> = [];
  const downEvents: Array<{ replicaChange: number; at: number; outdated: boolean }> = [];
  const out: RefResult = {
    replicas: [],
    readyReplicas: [],
    replicaSeconds: 0,
    unservedLoad: 0,
    overloadedSeconds: 0,
    scaleUpEvents: 0,
    scaleDownEvents: 0,
    peakReplicas: p.initialReplicas,
  };
  const readyNow = (t: number): number => podList.filter(r => r <= t).length;
  const loadAt = (q: number): number => p.load[Math.max(0, Math.floor(q / p.stepSeconds))];
  const w = p.metricWindowSeconds;
  const hpaMin = Math.max(1, p.minReplicas);
  let lastActive = -Infinity;
  // The per-pod load in second s (after the changes at s); before 0, load[0] on the initial pods.
  const perPod = (s: number): number => {
    const ready = s < 0 ? p.initialReplicas : readyHistory[s];
    return ready > 0 ? loadAt(s) / ready : 0;
  };

  const scaleTo = (t: number, current: number, desired: number): void => {
    if (desired > current) {
      out.scaleUpEvents++;
      for (let i = current; i < desired; i++) podList.push(t + p.podReadySeconds);
      out.peakReplicas = Math.max(out.peakReplicas, desired);
    } else {
      out.scaleDownEvents++;
      // Not ready first, the latest to become ready first; then ready pods.
      podList.sort((a, b) => (a <= t ? 1 : 0) - (b <= t ? 1 : 0) || (b > a ? 1 : b < a ? -1 : 0));
      podList.splice(0, current - desired);
    }
  };

  const poll = (t: number): void => {
    const b = t - p.metricDelaySeconds;
    let value = loadAt(b);
    if (w > 0) {
      value = 0;
      for (let s = b - w; s < b; s++) value += loadAt(s);
      value /= w;
    }
    const active = value > p.activationThreshold!;
    const current = podList.length;
    if (current === 0 && active) {
      scaleTo(t, 0, 1);
      lastActive = t;
    } else if (!active && current > 0 && p.minReplicas === 0) {
      if (lastActive + p.cooldownSeconds! < t) scaleTo(t, current, 0);
    } else if (active) {
      lastActive = t;
    }
  };

  const reconcile = (t: number): void => {
    const current = podList.length;
    if (current === 0) return;
    if (recs === undefined) recs = [{ replicas: current, at: t }];
    let desired: number;
    if (current > p.maxReplicas) {
      desired = p.maxReplicas;
    } else if (current < hpaMin) {
      desired = hpaMin;
    } else {
      const b = t - p.metricDelaySeconds;
      // Each pod ready before b reports its share of the load over [b - w, b) divided by w; with w = 0, the per-pod
      // load at b (at b = t, before this sync's change).
      const instant = b < 0 ? perPod(-1) : b === t ? (readyNow(t) > 0 ? loadAt(t) / readyNow(t) : 0) : perPod(b);
      const samples: number[] = [];
      for (const r of podList) {
        if (w === 0 ? r > b : r >= b) continue;
        let sum = 0;
        for (let s = Math.max(b - w, r); s < b; s++) sum += perPod(s);
        samples.push(toMilli(w === 0 ? instant : sum / w));
      }
      const mean = samples.length > 0 ? Math.trunc(samples.reduce((x, y) => x + y, 0) / samples.length) : 0;
      const proposal = refPlain(current, samples.length, current - samples.length, mean, toMilli(p.capacityPerReplica * p.targetUtilization),
        p.scaleUpTolerance ?? p.tolerance, p.scaleDownTolerance ?? p.tolerance);
      if (proposal === undefined) return;
      const aged = recs.map(r => ({ replicas: r.replicas, ageSeconds: t - r.at }));
      if (rules) {
        const up = rules.up.stabilizationWindowSeconds;
        const down = rules.down.stabilizationWindowSeconds;
        const stabilized = stabilize(current, proposal, up, down, aged).replicas;
        const old = recs.map((r, i) => (t - r.at > up && t - r.at > down ? i : -1)).filter(i => i >= 0).pop();
        if (old === undefined) recs.push({ replicas: proposal, at: t });
        else recs[old] = { replicas: proposal, at: t };
        const age = (list: typeof upEvents) => list.map(e => ({ replicaChange: e.replicaChange, ageSeconds: t - e.at }));
        desired = convertWithBehaviorRate(current, stabilized, hpaMin, p.maxReplicas, rules.up, rules.down,
          age(upEvents), age(downEvents)).replicas;
      } else {
        const stabilized = legacyStabilize(proposal, 300, aged);
        const old = recs.map((r, i) => (t - r.at > 300 ? i : -1)).filter(i => i >= 0).pop();
        if (old === undefined) recs.push({ replicas: proposal, at: t });
        else recs[old] = { replicas: proposal, at: t };
        desired = convertWithRules(current, stabilized, hpaMin, p.maxReplicas).replicas;
      }
    }
    if (desired === current) return;
    scaleTo(t, current, desired);
    if (rules) {
      const upward = desired > current;
      const list = upward ? upEvents : downEvents;
      const longest = Math.max(0, ...(upward ? rules.up : rules.down).policies.map(x => x.periodSeconds));
      list.forEach(e => { if (t - e.at > longest) e.outdated = true; });
      const old = list.map((e, i) => (e.outdated ? i : -1)).filter(i => i >= 0).pop();
      const event = { replicaChange: Math.abs(desired - current), at: t, outdated: false };
      if (old === undefined) list.push(event);
      else list[old] = event;
    }
  };

  for (let t = 0; t < span; t++) {
    if (p.activationThreshold !== undefined && t % p.pollingSeconds! === 0) poll(t);
    if (t % p.syncPeriodSeconds === 0) reconcile(t);
    const ready = readyNow(t);
    readyHistory[t] = ready;
    const load = loadAt(t);
    out.replicaSeconds += podList.length;
    if (load > ready * p.capacityPerReplica) {
      out.unservedLoad += load - ready * p.capacityPerReplica;
      out.overloadedSeconds++;
    }
    if ((t + 1) % p.stepSeconds === 0) {
      out.replicas.push(podList.length);
      out.readyReplicas.push(ready);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------------

const policyArb = fc.record({
  type: fc.constantFrom(HpaScalingPolicyType.PODS, HpaScalingPolicyType.PERCENT),
  value: fc.integer({ min: 1, max: 200 }),
  periodSeconds: fc.integer({ min: 1, max: 120 }),
});

const rulesArb: fc.Arbitrary<HpaScalingRules | undefined> = fc.option(fc.record({
  stabilizationWindowSeconds: fc.option(fc.integer({ min: 0, max: 180 }), { nil: undefined }),
  policies: fc.option(fc.array(policyArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  selectPolicy: fc.option(fc.constantFrom(HpaSelectPolicy.MAX, HpaSelectPolicy.MIN, HpaSelectPolicy.DISABLED), { nil: undefined }),
}).map(r => ({
  stabilizationWindow: r.stabilizationWindowSeconds === undefined ? undefined : Duration.seconds(r.stabilizationWindowSeconds),
  policies: r.policies?.map(x => ({ type: x.type, value: x.value, period: Duration.seconds(x.periodSeconds) })),
  selectPolicy: r.selectPolicy,
})), { nil: undefined });

const behaviorArb: fc.Arbitrary<ScalingBehavior | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(ScalingBehavior.realTime()),
  fc.constant(ScalingBehavior.standard()),
  fc.record({ scaleUp: rulesArb, scaleDown: rulesArb }).map(o => ScalingBehavior.custom(o)),
);

/** Loads that move: quiet stretches, steps and spikes, on whole numbers or quarters. */
const loadArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 400 }), fc.constant(0)), { minLength: 1, maxLength: 40 })
  .chain(base => fc.constantFrom(1, 0.25).map(scale => base.map(v => v * scale)));

const scenarioArb = fc.record({
  load: loadArb,
  stepSeconds: fc.integer({ min: 1, max: 60 }),
  syncPeriodSeconds: fc.integer({ min: 1, max: 30 }),
  podReadySeconds: fc.integer({ min: 0, max: 120 }),
  metricDelaySeconds: fc.integer({ min: 0, max: 90 }),
  metricWindowSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
  minReplicas: fc.integer({ min: 1, max: 4 }),
  span: fc.integer({ min: 0, max: 25 }),
  initialOffset: fc.integer({ min: -3, max: 30 }),
  capacityPerReplica: fc.constantFrom(1, 2.5, 5, 10, 0.75),
  targetUtilization: fc.constantFrom(1, 1 / 1.2, 0.8, 0.7, 0.5),
  tolerance: fc.constantFrom(0, 0.05, 0.1, 0.3),
  scaleUpTolerance: fc.constantFrom(undefined, 0, 0.02, 0.2),
  scaleDownTolerance: fc.constantFrom(undefined, 0, 0.02, 0.2),
  activation: fc.option(fc.record({
    threshold: fc.constantFrom(0, 0.5, 3),
    cooldownSeconds: fc.integer({ min: 0, max: 120 }),
    pollingSeconds: fc.integer({ min: 1, max: 40 }),
    zero: fc.boolean(),
  }), { nil: undefined, freq: 3 }),
  behavior: behaviorArb,
}).map(s => {
  const minReplicas = s.activation?.zero ? 0 : s.minReplicas;
  const maxReplicas = s.minReplicas + s.span;
  return {
    load: s.load,
    stepSeconds: s.stepSeconds,
    syncPeriodSeconds: s.syncPeriodSeconds,
    podReadySeconds: s.podReadySeconds,
    metricDelaySeconds: s.metricDelaySeconds,
    metricWindowSeconds: s.metricWindowSeconds,
    minReplicas,
    maxReplicas,
    initialReplicas: Math.max(minReplicas === 0 ? 0 : 1, s.minReplicas + s.initialOffset),
    capacityPerReplica: s.capacityPerReplica,
    targetUtilization: s.targetUtilization,
    tolerance: s.tolerance,
    scaleUpTolerance: s.scaleUpTolerance,
    scaleDownTolerance: s.scaleDownTolerance,
    activationThreshold: s.activation?.threshold,
    cooldownSeconds: s.activation?.cooldownSeconds,
    pollingSeconds: s.activation?.pollingSeconds,
    behavior: s.behavior,
  };
});

/** The scenario as AutoscalerSimulator's props: times become Durations. */
function run(s: RefProps & { scheduledReplicas?: number[] }): SimulationResult {
  return AutoscalerSimulator.run({
    load: s.load,
    step: seconds(s.stepSeconds),
    syncPeriod: seconds(s.syncPeriodSeconds),
    timeToReady: seconds(s.podReadySeconds),
    metricDelay: seconds(s.metricDelaySeconds),
    metricWindow: seconds(s.metricWindowSeconds),
    minReplicas: s.minReplicas,
    maxReplicas: s.maxReplicas,
    initialReplicas: s.initialReplicas,
    capacityPerReplica: s.capacityPerReplica,
    targetUtilization: s.targetUtilization,
    tolerance: s.tolerance,
    scaleUpTolerance: s.scaleUpTolerance,
    scaleDownTolerance: s.scaleDownTolerance,
    activationThreshold: s.activationThreshold,
    cooldownPeriod: s.cooldownSeconds === undefined ? undefined : seconds(s.cooldownSeconds),
    pollingInterval: s.pollingSeconds === undefined ? undefined : seconds(s.pollingSeconds),
    behavior: s.behavior,
    scheduledReplicas: s.scheduledReplicas,
  });
}

describe('AutoscalerSimulator: property tests', () => {
  test('the O(1) proposal equals hpa-core plainMetricReplicas on a pods array', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }),
      fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 20_000 })), fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(0, 0.01, 0.1, 0.25, 0.5),
      (current, ready, unready, milli, targetMilli, tolerance) => {
        const podList: CorePod[] = [
          ...Array.from({ length: ready }, () => ({ milli, ready: true, requestMilli: 0 })),
          ...Array.from({ length: unready }, () => ({ milli: undefined, ready: false, requestMilli: 0 })),
        ];
        // Kubernetes 1.33's (1 - down) <= ratio <= (1 + up) and the older |1 - ratio| <= tolerance differ in float64 at
        // the band's edges (1.1 is inside the first, outside the second); compare away from them.
        const edge = (r: number) => withinTolerances(r, tolerance, tolerance) !== withinTolerance(r, tolerance);
        fc.pre(!edge(milli / targetMilli) && !(unready > 0 && edge(Math.trunc((ready * milli) / (ready + unready)) / targetMilli)));
        const expected = plainMetricReplicas(current, podList, targetMilli, tolerance).replicas ?? -1;
        expect(uniformPlainMetricReplicas(current, ready, unready, milli, targetMilli, tolerance, tolerance)).toBe(expected);
      }), { numRuns: 2000 });
  });

  test('the recommendation window equals hpa-core stabilize (and legacyStabilize) over the whole history', () => {
    const step = fc.record({
      dtSeconds: fc.integer({ min: 0, max: 90 }),
      recommendation: fc.integer({ min: 0, max: 30 }),
      current: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 600 }), fc.boolean(), fc.array(step, { minLength: 1, maxLength: 60 }),
      (upWindow, downWindow, legacy, steps) => {
        const window = legacy ? new RecommendationWindow(0, downWindow, true) : new RecommendationWindow(upWindow, downWindow, false);
        const history: Array<{ replicas: number; at: number }> = [];
        let t = 0;
        for (const s of steps) {
          t += s.dtSeconds;
          const aged = history.map(r => ({ replicas: r.replicas, ageSeconds: t - r.at }));
          const us = t * 1_000_000;
          if (legacy) {
            expect(window.stabilizeLegacy(s.recommendation, us)).toBe(legacyStabilize(s.recommendation, downWindow, aged));
          } else {
            expect(window.stabilize(s.current, s.recommendation, us))
              .toBe(stabilize(s.current, s.recommendation, upWindow, downWindow, aged).replicas);
          }
          window.add(us, s.recommendation);
          history.push({ replicas: s.recommendation, at: t });
        }
      }), { numRuns: 500 });
  });

  test('the simulator equals a second-by-second reference built on hpa-core', () => {
    fc.assert(fc.property(scenarioArb, s => {
      const fast = run(s);
      const ref = reference(s);
      expect(fast.replicas).toEqual(ref.replicas);
      expect(fast.readyReplicas).toEqual(ref.readyReplicas);
      expect(fast.scaleUpEvents).toBe(ref.scaleUpEvents);
      expect(fast.scaleDownEvents).toBe(ref.scaleDownEvents);
      expect(fast.peakReplicas).toBe(ref.peakReplicas);
      expect(fast.replicaHours * 3600).toBeCloseTo(ref.replicaSeconds, 6);
      expect(fast.overloadedTime.toSeconds({ integral: false })).toBeCloseTo(ref.overloadedSeconds, 6);
      expect(fast.unservedLoad).toBeCloseTo(ref.unservedLoad, 6);
    }), { numRuns: 300 });
  });

  test('a window holding more changes of the per-pod load than the log first holds (16) equals the reference', () => {
    // Found by the reference property at 3000 runs: the log's growth lost the integral up to its newest entry.
    const s: RefProps = {
      load: [0, 69.75, 67.25, 1, 92, 0],
      stepSeconds: 8,
      syncPeriodSeconds: 1,
      podReadySeconds: 0,
      metricDelaySeconds: 0,
      metricWindowSeconds: 15,
      minReplicas: 1,
      maxReplicas: 19,
      initialReplicas: 1,
      capacityPerReplica: 5,
      targetUtilization: 0.8,
      tolerance: 0,
    };
    expect(run(s).replicas).toEqual(reference(s).replicas);
    expect(run(s).replicas).toEqual([1, 9, 18, 18, 18, 18]);
  });

  test('replicas stay within [minReplicas, maxReplicas] and ready replicas never exceed them', () => {
    fc.assert(fc.property(scenarioArb, s => {
      const initialReplicas = Math.min(Math.max(s.initialReplicas, s.minReplicas), s.maxReplicas);
      const result = run({ ...s, initialReplicas });
      result.replicas.forEach((r, k) => {
        expect(r).toBeGreaterThanOrEqual(s.minReplicas);
        expect(r).toBeLessThanOrEqual(s.maxReplicas);
        expect(result.readyReplicas[k]).toBeLessThanOrEqual(r);
        expect(result.readyReplicas[k]).toBeGreaterThanOrEqual(s.minReplicas === 0 ? 0 : 1);
      });
      expect(result.peakReplicas).toBeLessThanOrEqual(s.maxReplicas);
      expect(result.meanReplicas).toBeGreaterThanOrEqual(s.minReplicas);
      expect(result.meanReplicas).toBeLessThanOrEqual(s.maxReplicas);
      expect(result.unservedLoad).toBeLessThanOrEqual(result.totalLoad * (1 + 1e-12));
    }), { numRuns: 300 });
  });

  /** Steps as long as the sync period, so each step ends with the replicas its own sync set. */
  const syncAligned = fc.record({
    load: fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1000 })), { minLength: 2, maxLength: 80 }),
    syncPeriodSeconds: fc.integer({ min: 1, max: 30 }),
    podReadySeconds: fc.integer({ min: 0, max: 120 }),
    metricDelaySeconds: fc.integer({ min: 0, max: 60 }),
    minReplicas: fc.integer({ min: 1, max: 5 }),
    span: fc.integer({ min: 0, max: 200 }),
    initialFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    value: fc.integer({ min: 1, max: 10 }),
    periodSeconds: fc.integer({ min: 1, max: 300 }),
    windowSeconds: fc.integer({ min: 0, max: 120 }),
  });

  type Aligned = typeof syncAligned extends fc.Arbitrary<infer T> ? T : never;

  function aligned(s: Aligned, behavior?: ScalingBehavior): { result: SimulationResult; initial: number; times: number[] } {
    const maxReplicas = s.minReplicas + s.span;
    const initial = s.minReplicas + Math.floor(s.initialFraction * s.span);
    const result = AutoscalerSimulator.run({
      load: s.load,
      step: seconds(s.syncPeriodSeconds),
      syncPeriod: seconds(s.syncPeriodSeconds),
      timeToReady: seconds(s.podReadySeconds),
      metricDelay: seconds(s.metricDelaySeconds),
      minReplicas: s.minReplicas,
      maxReplicas,
      initialReplicas: initial,
      capacityPerReplica: 5,
      behavior,
    });
    return { result, initial, times: s.load.map((_, k) => k * s.syncPeriodSeconds) };
  }

  test('a Pods policy of v pods per p seconds never adds more than v pods within any p-second span', () => {
    let reachedLimit = 0;
    fc.assert(fc.property(syncAligned, s => {
      const behavior = ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: Duration.seconds(s.windowSeconds), policies: pods(s.value, s.periodSeconds) },
        scaleDown: { selectPolicy: HpaSelectPolicy.DISABLED, policies: [] },
      });
      const { result, initial, times } = aligned(s, behavior);
      const r = result.replicas;
      r.forEach((now, k) => {
        // Replicas after the last sync at or before (now - p): the additions since then are those in (t - p, t].
        let j = k;
        while (j >= 0 && times[j] > times[k] - s.periodSeconds) j--;
        const before = j >= 0 ? r[j] : initial;
        expect(now - before).toBeLessThanOrEqual(s.value);
        if (now - before === s.value) reachedLimit++;
      });
    }), { numRuns: 300 });
    // The bound is met exactly in some runs, so the test would see a policy that allowed one pod too many.
    expect(reachedLimit).toBeGreaterThan(0);
  });

  test('a Percent scale-down policy never removes more than its share of the replicas within any period', () => {
    let reachedLimit = 0;
    fc.assert(fc.property(syncAligned, fc.integer({ min: 1, max: 100 }), (s, percent) => {
      const behavior = ScalingBehavior.custom({
        scaleUp: { selectPolicy: HpaSelectPolicy.DISABLED, policies: [] },
        scaleDown: {
          stabilizationWindow: Duration.seconds(s.windowSeconds),
          policies: [{ type: HpaScalingPolicyType.PERCENT, value: percent, period: Duration.seconds(s.periodSeconds) }],
        },
      });
      const { result, initial, times } = aligned(s, behavior);
      const r = result.replicas;
      r.forEach((now, k) => {
        let j = k;
        while (j >= 0 && times[j] > times[k] - s.periodSeconds) j--;
        const start = j >= 0 ? r[j] : initial;
        // calculateScaleDownLimitWithBehaviors: int32(start x (1 - percent/100)), never below minReplicas.
        const floor = Math.max(s.minReplicas, Math.trunc(start * (1 - percent / 100)));
        expect(now).toBeGreaterThanOrEqual(floor);
        if (now === floor && now < start) reachedLimit++;
      });
    }), { numRuns: 300 });
    expect(reachedLimit).toBeGreaterThan(0);
  });

  test('without a behavior each sync sets at most max(2 x current, 4) replicas', () => {
    let reachedLimit = 0;
    fc.assert(fc.property(syncAligned, s => {
      const { result, initial } = aligned(s);
      const maxReplicas = s.minReplicas + s.span;
      result.replicas.forEach((now, k) => {
        const before = k > 0 ? result.replicas[k - 1] : initial;
        const limit = Math.max(2 * before, 4);
        expect(now).toBeLessThanOrEqual(limit);
        if (now === limit && limit < maxReplicas) reachedLimit++;
      });
    }), { numRuns: 300 });
    expect(reachedLimit).toBeGreaterThan(0);
  });
});

describe('AutoscalerSimulator: a schedule of replicas (KEDA cron triggers) next to the load metric', () => {
  const fastUp = ScalingBehavior.custom({ scaleUp: { policies: pods(100, 15) } });

  test('the controller follows the higher of the schedule and the load, and scales down after the window once the schedule ends', () => {
    const steps = 40;
    const scheduledReplicas = Array.from({ length: steps }, (_, k) => (k >= 4 && k < 12 ? 8 : 0));
    const result = AutoscalerSimulator.run(props({
      load: repeat(0.5, steps), maxReplicas: 20, capacityPerReplica: 1, behavior: fastUp, scheduledReplicas,
    }));
    // Steps 0-3: the load wants 1. Steps 4-11: the window asks for 8. The 300 s scale-down window then holds 8 until
    // the recommendation of step 11 (t = 165 s) is 300 s old, at the sync of step 31 (t = 465 s).
    expect(result.replicas.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(result.replicas.slice(4, 31)).toEqual(repeat(8, 27));
    expect(result.replicas.slice(31)).toEqual(repeat(1, 9));
    expect(result.scaleUpEvents).toBe(1);
    expect(result.scaleDownEvents).toBe(1);
  });

  test('a load above the schedule wins over it', () => {
    const result = AutoscalerSimulator.run(props({
      load: repeat(12, 4), maxReplicas: 20, capacityPerReplica: 1, behavior: fastUp, scheduledReplicas: repeat(5, 4),
    }));
    expect(result.replicas).toEqual([12, 12, 12, 12]);
  });

  test('scheduled replicas within the tolerance of the current count leave it alone (GetExternalPerPodMetricReplicas)', () => {
    const base = { load: repeat(20, 3), maxReplicas: 40, capacityPerReplica: 1, initialReplicas: 20, behavior: fastUp };
    expect(AutoscalerSimulator.run(props({ ...base, scheduledReplicas: repeat(21, 3) })).replicas).toEqual([20, 20, 20]);
    // 22 / 20 = 1.1 lies on the band's edge: Kubernetes 1.33's Tolerances.isWithin, ratio <= 1 + 0.1, keeps it inside
    // (the older |1 - 1.1| <= 0.1 put it outside, as |1 - 1.1| is 0.10000000000000009 in float64).
    expect(AutoscalerSimulator.run(props({ ...base, scheduledReplicas: repeat(22, 3) })).replicas).toEqual([20, 20, 20]);
    expect(AutoscalerSimulator.run(props({ ...base, scheduledReplicas: repeat(23, 3) })).replicas).toEqual([23, 23, 23]);
    const ten = { ...base, load: repeat(10, 3), initialReplicas: 10 };
    expect(AutoscalerSimulator.run(props({ ...ten, scheduledReplicas: repeat(11, 3) })).replicas).toEqual([10, 10, 10]);
    expect(AutoscalerSimulator.run(props({ ...ten, scheduledReplicas: repeat(11, 3), scaleUpTolerance: 0.05 })).replicas).toEqual([11, 11, 11]);
  });

  test('raises capacity before a known peak: less unserved load than the load metric alone', () => {
    const load = [...repeat(1, 40), ...repeat(20, 40)];
    const common = {
      load, step: seconds(15), maxReplicas: 30, capacityPerReplica: 1, timeToReady: seconds(180), behavior: ScalingBehavior.realTime(),
    };
    const reactive = AutoscalerSimulator.run(common);
    const scheduledReplicas = load.map((_, k) => (k >= 25 ? 20 : 0)); // the window opens 225 s before the peak
    const predictive = AutoscalerSimulator.run({ ...common, scheduledReplicas });
    expect(reactive.unservedFraction).toBeGreaterThan(0.05);
    expect(predictive.unservedLoad).toBe(0);
    expect(predictive.replicaHours).toBeGreaterThan(reactive.replicaHours);
  });

  test('errors name the prop, the value and the fix', () => {
    const base = props({ load: [1, 2, 3], maxReplicas: 5, capacityPerReplica: 1 });
    expect(() => AutoscalerSimulator.run({ ...base, scheduledReplicas: [1, 2] })).toThrow(
      "[AutoscalerSimulator] 'scheduledReplicas' (\"2 values\") must have one value per load value (3): "
      + 'give one whole number of replicas (0 or more) per load step');
    expect(() => AutoscalerSimulator.run({ ...base, scheduledReplicas: [1, -1, 0] }))
      .toThrow("[AutoscalerSimulator] 'scheduledReplicas[1]' (-1) must be a whole number of 0 or more");
    expect(() => AutoscalerSimulator.run({ ...base, scheduledReplicas: [1, 1.5, 0] })).toThrow("'scheduledReplicas[1]' (1.5)");
  });

  test('property: with any schedule, replicas stay within [minReplicas, maxReplicas]', () => {
    fc.assert(fc.property(scenarioArb, fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 200 }), (s, pattern) => {
      const initialReplicas = Math.min(Math.max(s.initialReplicas, s.minReplicas), s.maxReplicas);
      const scheduledReplicas = s.load.map((_, k) => pattern[k % pattern.length]);
      const result = run({ ...s, initialReplicas, scheduledReplicas });
      result.replicas.forEach(r => {
        expect(r).toBeGreaterThanOrEqual(s.minReplicas);
        expect(r).toBeLessThanOrEqual(s.maxReplicas);
      });
    }), { numRuns: 200 });
  });
});
