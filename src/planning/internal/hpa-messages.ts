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
  windowSeconds: 'give a stabilization window from 0 to 3600 seconds, as the API allows',
  periodSeconds: 'give periodSeconds from 1 to 1800, as the API allows',
  policyValue: 'give the policy value as a whole number of pods or percent above zero',
  policyType: "use 'Pods' or 'Percent' (ScalingPolicyType)",
  selectPolicy: "use 'Max', 'Min' or 'Disabled' (SelectPolicy)",
  policies: "give at least one policy, or set selectPolicy to 'Disabled'",
  replicaChange: 'give the replicas the event added or removed, as a whole number of at least 0',
  ageSeconds: 'give how long ago it happened, in seconds (0 or more)',
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

/** Throws unless `value` is finite and at least `min` (strictly above when `exclusive`). */
export function requireAtLeast(prop: string, value: number, min: number, exclusive: boolean, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    invalidProp(HPA_ALGORITHM, prop, value, `must be a number ${exclusive ? 'above' : 'of at least'} ${min}`, fix);
  }
}

/** Throws when minReplicas is above maxReplicas. */
export function minAboveMax(minReplicas: number, maxReplicas: number): never {
  return invalidProp(HPA_ALGORITHM, 'minReplicas', minReplicas, `is above 'maxReplicas' (${maxReplicas})`, HPA_FIXES.minAboveMax);
}

/** Throws for a value outside a closed set of Kubernetes strings. */
export function notOneOf(prop: string, value: unknown, allowed: readonly string[], fix: string): never {
  return invalidProp(HPA_ALGORITHM, prop, value, `must be one of ${allowed.join(', ')}`, fix);
}

/** Throws for a rules object that cannot scale because it has no policy. */
export function noPolicies(prop: string): never {
  return invalidProp(HPA_ALGORITHM, prop, [], 'is empty while selectPolicy is not Disabled', HPA_FIXES.policies);
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
