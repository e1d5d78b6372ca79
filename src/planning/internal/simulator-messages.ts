import { invalidProp } from '../../common/errors';

/** Every error text `AutoscalerSimulator` throws, in one module so the wording stays uniform. */
export const AUTOSCALER_SIMULATOR = 'AutoscalerSimulator';

/** The fix for each prop the simulator checks, so the check and its advice sit together. */
export const SIMULATOR_FIXES = {
  load: 'give one load value per step, each a finite number of 0 or more in the unit of targetPerReplica (e.g. requests per second)',
  stepSeconds: 'give the length of one load step in seconds, e.g. 60 for a per-minute trace or 3600 for an hourly one',
  maxReplicas: 'give maxReplicas as a whole number of at least 1, as the HPA spec does',
  minReplicas: 'give minReplicas as a whole number of at least 1 (scale to zero needs an Object or External metric, '
    + 'which this simulator does not model)',
  minAboveMax: 'raise maxReplicas or lower minReplicas',
  initialReplicas: 'give the replicas running (and ready) when the load starts, as a whole number of at least 1, or leave it unset for minReplicas',
  targetPerReplica: 'give the per-pod average the HPA aims at (its AverageValue target) in the unit of the load, at least 0.001 '
    + '(the controller reads quantities in milli-units), e.g. 5 requests per second',
  capacityPerReplica: 'give the load one ready replica can serve, in the unit of the load, e.g. 6 requests per second, '
    + 'or leave it unset for targetPerReplica',
  podReadySeconds: 'give the seconds a new pod takes from creation to ready (scheduling, image pull, model load), 0 or more, e.g. 180',
  syncPeriodSeconds: 'give the HPA sync period in seconds (--horizontal-pod-autoscaler-sync-period), e.g. 15',
  tolerance: 'give a fraction from 0 up to (not including) 1; the controller default is 0.1',
  metricDelaySeconds: 'give how stale the metric is in seconds, 0 or more, e.g. 60 for a rate over a 2-minute window',
  replicaPricePerHourUsd: 'give the hourly price of one replica in US dollars, 0 or more, e.g. 4.1, or leave it unset to report no cost',
  scheduledReplicas: 'give one whole number of replicas (0 or more) per load step, e.g. from PredictiveScaling.replicasAt, or leave it unset',
  windowSeconds: 'give a stabilization window from 0 to 3600 seconds, as the API allows',
  periodSeconds: 'give a policy period from 1 to 1800 seconds, as the API allows',
  policyValue: 'give the policy value as a whole number of pods or percent above zero',
  policyType: "use 'Pods' or 'Percent' (ScalingPolicyType)",
  selectPolicy: "use 'Max', 'Min' or 'Disabled' (SelectPolicy)",
  policies: 'give at least one policy, leave policies out for the API defaults, or set selectPolicy to DISABLED',
} as const;

/** A key of `SIMULATOR_FIXES`. */
export type SimulatorFix = keyof typeof SIMULATOR_FIXES;

/** Throws for a bad prop of the simulator. */
export function invalidSimulatorProp(prop: string, value: unknown, problem: string, fix: SimulatorFix): never {
  return invalidProp(AUTOSCALER_SIMULATOR, prop, value, problem, SIMULATOR_FIXES[fix]);
}

/** Throws unless `value` is a whole number of at least `min` (and at most `max`, when given). */
export function requireWhole(prop: string, value: number, min: number, fix: SimulatorFix, max: number = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    invalidSimulatorProp(prop, value, `must be ${range}`, fix);
  }
}

/** Throws unless `value` is finite and at least `min` (strictly above it when `exclusive`). */
export function requireNumber(prop: string, value: number, min: number, exclusive: boolean, fix: SimulatorFix): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    invalidSimulatorProp(prop, value, `must be a finite number ${exclusive ? 'above' : 'of at least'} ${min}`, fix);
  }
}

/** Throws when minReplicas is above maxReplicas. */
export function minAboveMax(minReplicas: number, maxReplicas: number): never {
  return invalidSimulatorProp('minReplicas', minReplicas, `is above 'maxReplicas' (${maxReplicas})`, 'minAboveMax');
}

/** Throws for a value outside a closed set of Kubernetes strings. */
export function notOneOf(prop: string, value: unknown, allowed: readonly string[], fix: SimulatorFix): never {
  return invalidSimulatorProp(prop, value, `must be one of ${allowed.join(', ')}`, fix);
}
