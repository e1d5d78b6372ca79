import { invalidProp } from '../../common/errors';

/**
 * Every error text `AutoscalerSimulator` throws, in one module so the wording stays uniform. The owner is the
 * simulator itself, or the file a replica model came from (the report command's JSON config).
 */
export const AUTOSCALER_SIMULATOR = 'AutoscalerSimulator';

/** The fix for each prop the simulator checks, so the check and its advice sit together. */
export const SIMULATOR_FIXES = {
  load: 'give one load value per step, each a finite number of 0 or more in the unit of capacityPerReplica (e.g. requests per second)',
  step: 'give the length of one load step, e.g. 1 minute for a per-minute trace or 1 hour for an hourly one',
  maxReplicas: 'give maxReplicas as a whole number of at least 1, as the HPA spec does',
  minReplicas: 'give minReplicas as a whole number of at least 1, or 0 with an activationThreshold (KEDA scales to and from zero)',
  minAboveMax: 'raise maxReplicas or lower minReplicas',
  initialReplicas: 'give the replicas running (and ready) when the load starts, as a whole number of at least 1 (0 with an '
    + 'activationThreshold), or leave it unset for minReplicas',
  capacityPerReplica: 'give the load one ready replica serves at full utilization, in the unit of the load, e.g. 10 requests per second',
  targetUtilization: 'give the fraction of capacityPerReplica the HPA aims at, above 0 and at most 1, e.g. 0.7 (the rest is headroom)',
  target: 'the controller reads quantities in milli-units: raise targetUtilization, or give the load in a smaller unit (e.g. requests per minute)',
  timeToReady: 'give the time a new pod takes from creation to ready (scheduling, image pull, model load), 0 or more, e.g. 3 minutes',
  syncPeriod: 'give the HPA sync period (--horizontal-pod-autoscaler-sync-period), e.g. 15 seconds',
  tolerance: 'give a fraction from 0 up to (not including) 1; the controller default is 0.1',
  metricDelay: 'give how old the newest sample is beyond the rate window, 0 or more, e.g. 15 seconds for a 30-second scrape interval',
  metricWindow: 'give the rate window of the metric, 0 or more, e.g. 2 minutes as ScalingMetric.requestsPerSecond uses',
  activationThreshold: 'give the load at or below which KEDA deactivates the target (scale to zero), 0 or more, in the unit of the load',
  cooldownPeriod: 'give KEDA\'s cooldownPeriod, 0 or more, e.g. 300 seconds',
  pollingInterval: 'give KEDA\'s pollingInterval, above 0, e.g. 30 seconds',
  priceUsdPerHour: 'give the hourly price of one replica in US dollars, 0 or more, e.g. 4.1, or leave it unset to report no cost',
  scheduledReplicas: 'give one whole number of replicas (0 or more) per load step, e.g. from PredictiveScaling.replicasAt, or leave it unset',
} as const;

/** A key of `SIMULATOR_FIXES`. */
export type SimulatorFix = keyof typeof SIMULATOR_FIXES;

/** Throws for a bad prop of the simulator, or of a replica model `owner` gave. */
export function invalidSimulatorProp(prop: string, value: unknown, problem: string, fix: SimulatorFix, owner: string = AUTOSCALER_SIMULATOR): never {
  return invalidProp(owner, prop, value, problem, SIMULATOR_FIXES[fix]);
}

/** Throws unless `value` is a whole number of at least `min` and at most `max`. */
export function requireWhole(owner: string, prop: string, value: number, min: number, max: number, fix: SimulatorFix): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    invalidSimulatorProp(prop, value, `must be a whole number from ${min} to ${max}`, fix, owner);
  }
}

/** Throws unless `value` is finite and at least `min` (strictly above it when `exclusive`). */
export function requireNumber(owner: string, prop: string, value: number, min: number, exclusive: boolean, fix: SimulatorFix): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    invalidSimulatorProp(prop, value, `must be a finite number ${exclusive ? 'above' : 'of at least'} ${min}`, fix, owner);
  }
}

/** Throws when minReplicas is above maxReplicas. */
export function minAboveMax(owner: string, minReplicas: number, maxReplicas: number): never {
  return invalidSimulatorProp('minReplicas', minReplicas, `is above 'maxReplicas' (${maxReplicas})`, 'minAboveMax', owner);
}
