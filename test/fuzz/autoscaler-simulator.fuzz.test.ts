import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { listProblems, mostly, nonFiniteNumbers, series, someDuration, sometimesMissing } from './arbitraries-planning';
import { startupEstimate } from './arbitraries-serving';
import { fuzzTest, numberProblems } from './harness';
import { AutoscalerSimulator, ScalingBehavior, SimulationResult } from '../../src';

const behavior = fc.oneof(
  { arbitrary: fc.constantFrom(ScalingBehavior.realTime(), ScalingBehavior.standard()), weight: 8 },
  { arbitrary: fc.constantFrom('realTime', {}), weight: 1 },
);
const steps = fc.integer({ min: 1, max: 200 });

const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      load: mostly(fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 200 }), series(500, 1, 200,
        AutoscalerSimulator.MAX_STEPS + 1), 6),
      step: mostly(fc.constantFrom(Duration.minutes(1), Duration.seconds(30)), someDuration([Duration.minutes(5), Duration.hours(1)]), 8),
      behavior: mostly(fc.constant(undefined), optional(behavior)),
      minReplicas: mostly(fc.constantFrom(undefined, 0, 1, 2), optional(wholeNumber(0, 5))),
      maxReplicas: mostly(fc.integer({ min: 5, max: 50 }), orWrong(fc.oneof(wholeNumber(1, 50), fc.constantFrom(AutoscalerSimulator.MAX_REPLICAS,
        AutoscalerSimulator.MAX_REPLICAS + 1)))),
      capacityPerReplica: mostly(fc.double({ min: 0.5, max: 100, noNaN: true }), orWrong(fc.oneof(realNumber(0.5, 100), fc.constantFrom(0.001,
        1e-6, 1e9)))),
      targetUtilization: mostly(fc.constantFrom(undefined, 0.7), optional(realNumber(0.05, 1))),
      timeToReady: mostly(fc.constant(undefined), optional(someDuration([Duration.minutes(3), Duration.seconds(0), Duration.seconds(45)]))),
      startupEstimate: mostly(fc.constant(undefined), optional(startupEstimate)),
      syncPeriod: mostly(fc.constant(undefined), optional(someDuration([Duration.seconds(15), Duration.seconds(30), Duration.millis(1)]))),
      tolerance: mostly(fc.constantFrom(undefined, 0.1), optional(realNumber(0, 0.99))),
      scaleUpTolerance: mostly(fc.constantFrom(undefined, 0.05), optional(realNumber(0, 0.99))),
      scaleDownTolerance: mostly(fc.constantFrom(undefined, 0.2), optional(realNumber(0, 0.99))),
      metricWindow: mostly(fc.constant(undefined), optional(someDuration([Duration.minutes(2), Duration.seconds(0), Duration.seconds(30)]))),
      activationThreshold: mostly(fc.constantFrom(undefined, 0, 1), optional(realNumber(0, 100))),
      cooldownPeriod: mostly(fc.constant(undefined), optional(someDuration([Duration.seconds(300), Duration.seconds(0)]))),
      pollingInterval: mostly(fc.constant(undefined), optional(someDuration([Duration.seconds(30), Duration.seconds(1)]))),
      initialReplicas: mostly(fc.constant(undefined), optional(wholeNumber(1, 20))),
      metricDelay: mostly(fc.constant(undefined), optional(someDuration([Duration.seconds(60), Duration.seconds(0)]))),
      priceUsdPerHour: mostly(fc.constantFrom(undefined, 1.2), optional(realNumber(0, 50))),
      scheduledReplicas: mostly(fc.constant(undefined), optional(fc.oneof(steps.chain(n => fc.array(wholeNumber(0, 10), {
        minLength: n,
        maxLength: n,
      })),
      fc.constant([1, 2, 3])))),
    }), ['load', 'step', 'maxReplicas', 'capacityPerReplica']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

function problems(p: any, r: SimulationResult): string[] {
  const n = p.load.length;
  const min = p.minReplicas ?? 1;
  const max = p.maxReplicas;
  const initial = p.initialReplicas ?? min;
  return [
    ...nonFiniteNumbers({ ...r, duration: 0, overloadedTime: 0 }),
    ...listProblems('replicas', r.replicas, n, { min: Math.min(min, initial), max: Math.max(max, initial) }),
    ...listProblems('readyReplicas', r.readyReplicas, n, { min: 0, max: Math.max(max, initial) }),
    ...r.readyReplicas.flatMap((v, i) => (v > r.replicas[i] ? [`readyReplicas[${i}] is above replicas`] : [])),
    ...numberProblems('peakReplicas', r.peakReplicas, { min: Math.min(1, initial), max: Math.max(max, initial) }),
    ...numberProblems('requestsServed', r.requestsServed, { min: 0, max: r.totalLoad * (1 + 1e-9) }),
    ...numberProblems('costUsdPerMillionRequestsServed', r.costUsdPerMillionRequestsServed, { min: 0 }),
    ...numberProblems('meanReplicas', r.meanReplicas, { min: 0, max: Math.max(max, initial) }),
    ...numberProblems('replicaHours', r.replicaHours, { min: 0 }),
    ...numberProblems('costUsd', r.costUsd, { min: 0 }),
    ...numberProblems('unservedFraction', r.unservedFraction, { min: 0, max: 1 + 1e-9 }),
    ...numberProblems('unservedLoad', r.unservedLoad, { min: 0, max: r.totalLoad * (1 + 1e-9) }),
    ...numberProblems('scaleUpEvents', r.scaleUpEvents, { min: 0 }),
    ...numberProblems('scaleDownEvents', r.scaleDownEvents, { min: 0 }),
    ...(p.priceUsdPerHour === undefined ? (r.costUsd === undefined ? [] : ['costUsd is set without a price']) : []),
  ];
}

describe('AutoscalerSimulator', () => {
  fuzzTest('AutoscalerSimulator.run', props, (p) => problems(p, AutoscalerSimulator.run(p)));
});
