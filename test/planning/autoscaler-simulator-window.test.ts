import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CLASS_EXAMPLE } from './simulator-fixtures';
import { AutoscalerSimulator, SimulationProps } from '../../src/planning/autoscaler-simulator';
import { HpaScalingPolicyType, ScalingBehavior } from '../../src/planning/scaling-behavior';

const seconds = (n: number) => Duration.seconds(n);

function repeat(value: number, times: number): number[] {
  return new Array<number>(times).fill(value);
}

/** Park-Miller generator: seeded, so the synthetic traces are the same on every run. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

describe('AutoscalerSimulator: the rate window', () => {
  // 100 rps on 10 pods of 10, then 200 rps: 20 pods are needed.
  const step: SimulationProps = {
    load: [...repeat(100, 20), ...repeat(200, 200)],
    step: seconds(15),
    initialReplicas: 10,
    maxReplicas: 100,
    capacityPerReplica: 10,
  };
  const behaviors: Array<[string, ScalingBehavior | undefined]> = [
    ['realTime', ScalingBehavior.realTime()], ['standard', ScalingBehavior.standard()], ['no behavior', undefined],
  ];

  test.each(behaviors)('a step from 10 to 20 pods needed, 60 s to ready, %s: the peak stays at most 21', (_, behavior) => {
    const result = AutoscalerSimulator.run({ ...step, behavior, timeToReady: seconds(60) });
    expect(result.peakReplicas).toBeLessThanOrEqual(21);
    // The README's figure: 19 (200 / 19 = 10.5 per pod is within the tolerance of 10).
    expect(result.peakReplicas).toBe(19);
    expect(result.replicas[result.replicas.length - 1]).toBeGreaterThanOrEqual(19);
  });

  test.each(behaviors)('zero time to ready no longer runs to maxReplicas (%s), even with a 60 s old metric', (_, behavior) => {
    for (const metricDelay of [seconds(0), seconds(15), seconds(60)]) {
      const result = AutoscalerSimulator.run({ ...step, behavior, timeToReady: seconds(0), metricDelay });
      expect(result.peakReplicas).toBeLessThanOrEqual(21);
    }
  });

  test('hand-worked: each pod reports what it served over the window; a pod ready at the window end has no sample', () => {
    // 10 rps on 1 pod of capacity 10, then 40 rps from 15 s; the metric is the rate over the last 60 s (0 s old); pods
    // are ready 30 s after creation; scale-up is immediate (no window, 100 pods per 15 s).
    // 30 s: (45 x 10 + 15 x 40) / 60 = 17.5 on the 1 pod -> 2.
    // 45 s: (30 x 10 + 30 x 40) / 60 = 25 on the 1 ready pod, 1 not ready counts 0: 12.5 -> 1.25 x 2 -> 3.
    // 60 s: the pod made at 30 s is ready at 60 s, the window's end: no sample. 32.5 on the old pod, 2 count 0:
    //   trunc(32.5 / 3) = 10.833 -> within the tolerance: keep 3.
    // 75 s: the old pod served 45 s of 40 and 15 s of 20 (35), the pod ready at 60 s 15 s of 20 (5): the mean 20 on 2,
    //   1 not ready: trunc(40 / 3) = 13.333 -> ceil(1.3333 x 3) = 4, the 4 that serve 40 rps.
    const result = AutoscalerSimulator.run({
      load: [10, ...repeat(40, 11)],
      step: seconds(15),
      maxReplicas: 10,
      capacityPerReplica: 10,
      timeToReady: seconds(30),
      metricDelay: seconds(0),
      metricWindow: seconds(60),
      behavior: ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: seconds(0), policies: [{ type: HpaScalingPolicyType.PODS, value: 100, period: seconds(15) }] },
      }),
    });
    expect(result.replicas).toEqual([1, 1, 2, 3, 3, ...repeat(4, 7)]);
    expect(result.readyReplicas).toEqual([1, 1, 1, 1, 2, 3, 3, ...repeat(4, 5)]);
    // 30 rps unserved from 15 s to 60 s, 20 to 75 s, 10 to 105 s.
    expect(result.unservedLoad).toBe(30 * 45 + 20 * 15 + 10 * 30);
  });

  test('property: on seeded synthetic traces the mean replicas stay close to the load over the target (no runaway)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, 30, 60, 180), (seed, ready) => {
      const rnd = lehmer(seed);
      // A daily-like cycle (100 to 300 rps) with noise and one spike of x3 for 5 minutes.
      const load = Array.from({ length: 480 }, (_, i) => 200 + 100 * Math.sin((2 * Math.PI * i) / 240) * (0.9 + 0.2 * rnd()));
      for (let i = 200; i < 220; i++) load[i] *= 3;
      const result = AutoscalerSimulator.run({
        load,
        step: seconds(15),
        maxReplicas: 200,
        minReplicas: 2,
        capacityPerReplica: 10,
        targetUtilization: 0.8,
        timeToReady: seconds(ready),
        behavior: ScalingBehavior.realTime(),
      });
      // The spike needs ceil(900 / 8) = 113 at most.
      expect(result.peakReplicas).toBeLessThanOrEqual(Math.ceil(Math.max(...load) / 8) + 2);
    }), { numRuns: 40 });
  });
});

describe('AutoscalerSimulator: per-direction tolerances (Kubernetes 1.33+ behavior.scaleUp/scaleDown.tolerance)', () => {
  const base: SimulationProps = {
    load: repeat(185, 4),
    step: seconds(15),
    initialReplicas: 20,
    maxReplicas: 40,
    capacityPerReplica: 10,
    timeToReady: seconds(0),
    metricDelay: seconds(0),
    metricWindow: seconds(0),
    behavior: ScalingBehavior.custom({ scaleDown: { stabilizationWindow: seconds(0) } }),
  };

  test('a ratio of 0.925 is within the default 0.1 but not within a scale-down tolerance of 0.05', () => {
    expect(AutoscalerSimulator.run(base).replicas).toEqual([20, 20, 20, 20]);
    expect(AutoscalerSimulator.run({ ...base, scaleDownTolerance: 0.05 }).replicas).toEqual([19, 19, 19, 19]);
    // The scale-up tolerance does not touch a scale-down.
    expect(AutoscalerSimulator.run({ ...base, scaleUpTolerance: 0 }).replicas).toEqual([20, 20, 20, 20]);
  });

  test('a ratio of 1.075 is within the default 0.1 but not within a scale-up tolerance of 0.05', () => {
    const up = { ...base, load: repeat(215, 4) };
    expect(AutoscalerSimulator.run(up).replicas).toEqual([20, 20, 20, 20]);
    expect(AutoscalerSimulator.run({ ...up, scaleUpTolerance: 0.05 }).replicas).toEqual([22, 22, 22, 22]);
    expect(AutoscalerSimulator.run({ ...up, scaleDownTolerance: 0 }).replicas).toEqual([20, 20, 20, 20]);
  });
});

describe('AutoscalerSimulator: scale to zero with KEDA activation', () => {
  test('hand-worked: from zero on the first active poll, to zero a cooldown after the last active poll', () => {
    // 0 rps for 600 s, 5 rps for 600 s, 0 rps for 900 s; polls every 30 s on the load over [t - 135 s, t - 15 s].
    const result = AutoscalerSimulator.run({
      load: [...repeat(0, 40), ...repeat(5, 40), ...repeat(0, 60)],
      step: seconds(15),
      minReplicas: 0,
      maxReplicas: 10,
      capacityPerReplica: 10,
      activationThreshold: 0,
      timeToReady: seconds(60),
      priceUsdPerHour: 1,
    });
    // 630 s: the window [495 s, 615 s] holds 15 s of 5 rps, above 0: 1 replica (ready at 690 s). The last active poll is
    // at 1320 s (the window [1185 s, 1305 s] still holds 15 s of load); 1320 + 300 s is before the poll at 1650 s: 0.
    expect(result.replicas).toEqual([...repeat(0, 42), ...repeat(1, 68), ...repeat(0, 30)]);
    expect(result.scaleUpEvents).toBe(1);
    expect(result.scaleDownEvents).toBe(1);
    // The load while at zero, and while the first pod starts, is unserved: 5 rps from 600 s to 690 s.
    expect(result.unservedLoad).toBe(5 * 90);
    expect(result.requestsServed).toBe(5 * 600 - 5 * 90);
    expect(result.replicaHours).toBeCloseTo(1020 / 3600, 12);
    expect(result.costUsd).toBe(0.283333);
    expect(result.costUsdPerMillionRequestsServed).toBeCloseTo((0.283333 * 1e6) / 2550, 9);
  });

  test('below the activation threshold the target stays at zero and every request is unserved', () => {
    const result = AutoscalerSimulator.run({
      load: repeat(2, 40), step: seconds(15), minReplicas: 0, maxReplicas: 10, capacityPerReplica: 10, activationThreshold: 2, priceUsdPerHour: 3,
    });
    expect(result.replicas).toEqual(repeat(0, 40));
    expect(result.unservedFraction).toBe(1);
    expect(result.requestsServed).toBe(0);
    expect(result.costUsd).toBe(0);
    expect(result.costUsdPerMillionRequestsServed).toBeUndefined();
  });

  test('with minReplicas 1 the activation threshold never takes the replicas to zero', () => {
    const result = AutoscalerSimulator.run({
      load: repeat(0, 80),
      step: seconds(15),
      minReplicas: 1,
      maxReplicas: 10,
      capacityPerReplica: 10,
      activationThreshold: 1,
      cooldownPeriod: seconds(0),
    });
    expect(Math.min(...result.replicas)).toBe(1);
  });

  test('an initial count above 0 goes to zero at the first poll when the trigger was never active (lastActiveTime nil)', () => {
    const result = AutoscalerSimulator.run({
      load: repeat(0, 4), step: seconds(15), minReplicas: 0, initialReplicas: 3, maxReplicas: 10, capacityPerReplica: 10, activationThreshold: 0,
    });
    expect(result.replicas).toEqual([0, 0, 0, 0]);
  });
});

describe('AutoscalerSimulator: requests served and cost per million served', () => {
  test('served = total - unserved, and the cost per million is costUsd over it', () => {
    const result = AutoscalerSimulator.run(CLASS_EXAMPLE);
    expect(result.requestsServed).toBeCloseTo(result.totalLoad - result.unservedLoad, 9);
    expect(result.costUsdPerMillionRequestsServed).toBeCloseTo((result.costUsd! * 1e6) / result.requestsServed, 9);
    const noPrice = AutoscalerSimulator.run({ load: [1], step: seconds(15), maxReplicas: 1, capacityPerReplica: 1 });
    expect(noPrice.costUsdPerMillionRequestsServed).toBeUndefined();
    expect(noPrice.requestsServed).toBe(15);
  });
});
