import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MAX_PERIOD_SECONDS, MAX_STABILIZATION_WINDOW_SECONDS } from './hpa-defaults';
import { secondsOf, shownDuration } from '../../common/duration-text';
import { invalidProp } from '../../common/errors';

/**
 * Every error text of the HPA algorithm, kept in one module so the wording stays uniform.
 * Errors are programming errors (bad input); planning outcomes are returned as reasons.
 */

/** What the HPA algorithm's errors are raised against, in place of a construct path. */
export const HPA_ALGORITHM = 'HpaAlgorithm';

/** The fix for each input the algorithm checks, so the check and its advice sit together. */
export const HPA_FIXES = {
  replicas: 'give a replica count as a whole number, e.g. 3',
  maxReplicas: 'give maxReplicas as a whole number of at least 1',
  minAboveMax: 'raise maxReplicas or lower minReplicas',
  replicaChange: 'give the replicas the event added or removed, as a whole number of at least 0',
  age: 'give how long ago it happened, a finite duration of 0 or more, e.g. 30 seconds',
  tolerance: 'give a fraction from 0 up to (not including) 1; the controller default is 0.1',
  target: 'give the metric target above zero (a whole percent for Utilization)',
  metrics: 'give at least one metric',
  sampleValue: 'give the sample as a finite number of 0 or more, or leave it undefined when the pod reported none',
  request: 'give the pod resource request (sum over its containers, same unit as the samples) above zero',
  samples: 'give per-pod samples (pods) or one metric value (value), not both and not neither',
  utilizationPods: 'Utilization needs per-pod samples with their requests (pods)',
  valuePods: 'a Value target needs the one reading of an Object or External metric (value); per-pod samples take AverageValue',
} as const;

/** Throws unless `value` is a whole number within [min, max]. */
export function requireWhole(prop: string, value: number, min: number, max: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    invalidProp(HPA_ALGORITHM, prop, value, `must be ${range}`, fix);
  }
}

/** Throws when minReplicas is above maxReplicas. */
export function minAboveMax(minReplicas: number, maxReplicas: number): never {
  return invalidProp(HPA_ALGORITHM, 'minReplicas', minReplicas, `is above 'maxReplicas' (${maxReplicas})`, HPA_FIXES.minAboveMax);
}

/** Throws for a metric input whose samples are missing or given twice. */
export function badSamples(prop: string, value: unknown, problem: string, fix: string): never {
  return invalidProp(HPA_ALGORITHM, prop, value, problem, fix);
}

/** Throws unless `value` is in [0, 1). */
export function requireTolerance(value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    invalidProp(HPA_ALGORITHM, 'tolerance', value, 'must be a number from 0 up to (not including) 1', HPA_FIXES.tolerance);
  }
}

/**
 * The fix for each check of an HPA behavior (`spec.behavior`), in one wording whoever checks it: an InferenceAutoscaler,
 * HpaAlgorithm, AutoscalerSimulator or the report's JSON config. Limits: kubernetes/kubernetes v1.28.0
 * pkg/apis/autoscaling/validation/validation.go (validateScalingRules, validateScalingPolicy).
 */
export const BEHAVIOR_FIXES = {
  window: `give a stabilization window of 0 to ${MAX_STABILIZATION_WINDOW_SECONDS} s in whole seconds, as the API server allows`,
  period: `give a policy period of 1 to ${MAX_PERIOD_SECONDS} s in whole seconds, as the API server allows`,
  value: 'a policy allows a whole number of pods or percent above zero; to stop scaling in this direction set selectPolicy to Disabled '
    + 'and leave policies out',
  type: "use 'Pods' or 'Percent' (HpaScalingPolicyType)",
  selectPolicy: "use 'Max', 'Min' or 'Disabled' (HpaSelectPolicy)",
  tolerance: 'give a tolerance as a fraction of 0 or more (0.05 is 5%), at most 1000, or leave it out for the controller flag (0.1)',
  toleranceInConstruct: 'leave tolerance out of a behavior given to a construct; set the controller flag '
    + '--horizontal-pod-autoscaler-tolerance instead, or model it with HpaAlgorithm',
  policies: 'give at least one policy, leave policies out for the API defaults, or, to stop scaling in this direction, '
    + 'set selectPolicy to Disabled (with policies left out: the API server refuses an empty list)',
} as const;

/** Whole seconds within [min, max] of a duration, or a thrown error naming `owner` and `prop`; returns the seconds. */
function requireWholeSeconds(owner: IConstruct | string, prop: string, d: Duration, min: number, max: number, fix: string): number {
  const s = secondsOf(d);
  if (!Number.isInteger(s) || s < min || s > max) {
    invalidProp(owner, prop, shownDuration(d), `must be a whole number of seconds from ${min} to ${max}`, fix);
  }
  return s;
}

/** A stabilization window: whole seconds from 0 to 3600. Returns the seconds. */
export function requireWindow(owner: IConstruct | string, prop: string, window: Duration): number {
  return requireWholeSeconds(owner, prop, window, 0, MAX_STABILIZATION_WINDOW_SECONDS, BEHAVIOR_FIXES.window);
}

/** A policy period: whole seconds from 1 to 1800. Returns the seconds. */
export function requirePeriod(owner: IConstruct | string, prop: string, period: Duration): number {
  return requireWholeSeconds(owner, prop, period, 1, MAX_PERIOD_SECONDS, BEHAVIOR_FIXES.period);
}

/** An age (how long ago): a finite duration of 0 or more. Returns the seconds, fractions kept. */
export function requireAge(prop: string, age: Duration): number {
  const s = secondsOf(age);
  if (!(s >= 0 && s < Infinity)) invalidProp(HPA_ALGORITHM, prop, shownDuration(age), 'must be a finite duration of 0 or more', HPA_FIXES.age);
  return s;
}
