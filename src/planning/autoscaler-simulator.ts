import { HpaAlgorithm } from './hpa-algorithm';
import { CorePolicy, CoreRules, toMilli } from './internal/hpa-core';
import { fromMicroUsd, toMicroUsd } from '../common/money';
import { simulate, US_PER_SECOND } from './internal/simulator-core';
import {
  invalidSimulatorProp, minAboveMax, notOneOf, requireNumber, requireWhole,
} from './internal/simulator-messages';
import { HpaScalingRulesSpec, ScalingBehavior } from './scaling-behavior';

/** The largest replica count the HPA API holds (an int32). */
const MAX_REPLICAS = 2147483647;
/** More syncs than this would take seconds to replay: a sign of a sync period far too short for the load's span. */
const MAX_SYNCS = 50_000_000;
const POLICY_TYPES = ['Pods', 'Percent'] as const;
const SELECT_POLICIES = ['Max', 'Min', 'Disabled'] as const;

/** Input of `AutoscalerSimulator.run`. */
export interface SimulationProps {
  /**
   * The load, one value per step, oldest first, constant within its step; in the unit of `targetPerReplica`
   * (e.g. requests per second). Each value is finite and 0 or more.
   */
  readonly load: number[];
  /** Length of one load step, in seconds (above zero; e.g. 60 for a per-minute trace, 3600 for an hourly one). */
  readonly stepSeconds: number;
  /**
   * How fast the HPA may add and remove replicas (`spec.behavior`); what a custom behavior leaves out takes the API
   * defaults.
   * @default - no `spec.behavior`: the controller's legacy path, at most max(2 x current, 4) replicas per sync up, and
   * down only to the highest recommendation of the last 300 s
   */
  readonly behavior?: ScalingBehavior;
  /**
   * `spec.minReplicas`.
   * @default 1
   */
  readonly minReplicas?: number;
  /** `spec.maxReplicas`. */
  readonly maxReplicas: number;
  /**
   * The per-pod average the HPA aims at: the AverageValue target of a Pods metric, in the unit of the load
   * (e.g. 5 requests per second per pod).
   */
  readonly targetPerReplica: number;
  /**
   * The load one ready replica can serve, in the unit of the load; load above ready replicas x capacity is unserved.
   * @default - targetPerReplica
   */
  readonly capacityPerReplica?: number;
  /**
   * Seconds from a pod's creation to ready (scheduling, image pull, loading the model and warming up); a pod serves
   * nothing before it is ready, but costs money. The default is a model server on a node that has room and the image
   * cached, loading a 7-8B model's weights and warming up; add minutes for node provisioning or an image pull.
   * @default 180
   */
  readonly podReadySeconds?: number;
  /**
   * The controller's sync period, in seconds (`--horizontal-pod-autoscaler-sync-period`); syncs happen at 0,
   * syncPeriodSeconds, 2 x syncPeriodSeconds... independently of the steps.
   * @default 15
   */
  readonly syncPeriodSeconds?: number;
  /**
   * No change while the usage ratio is within 1 +/- tolerance (`--horizontal-pod-autoscaler-tolerance`).
   * @default 0.1
   */
  readonly tolerance?: number;
  /**
   * The replicas running when the load starts, all ready; outside [minReplicas, maxReplicas] the first sync brings
   * them to the bound, as the controller does.
   * @default - minReplicas
   */
  readonly initialReplicas?: number;
  /**
   * How stale the metric the controller reads is, in seconds: the scrape interval and the rate window (a rate over
   * the last w seconds describes, on average, the load w/2 seconds ago). At a sync at time t every ready pod reports
   * the per-pod average load(t - delay) / ready(t - delay) (pods ready since then report it too), where load before 0
   * is load[0] and ready before 0 is initialReplicas. The default is half the 2-minute rate window of `ScalingMetric.requestsPerSecond`; give 0 for a
   * controller that sees the load of the instant.
   * @default 60
   */
  readonly metricDelaySeconds?: number;
  /**
   * The price of one replica per hour, in US dollars; every replica that exists costs it, ready or not.
   * @default - no price: `costUsd` is undefined
   */
  readonly replicaPricePerHourUsd?: number;
  /**
   * Replicas a schedule asks for in each step, one whole number (0 or more) per load value: e.g. the KEDA cron
   * triggers of `PredictiveScaling` (`PredictiveScaling.replicasAt`), which ask for the window's replicas inside a
   * window and at most 1 outside. KEDA hands them to the HPA as a second metric (External, AverageValue 1), so at
   * each sync the controller takes the higher of the two proposals, and keeps the current count while the
   * scheduled replicas are within the tolerance of it.
   * @default - no schedule: the load metric alone
   */
  readonly scheduledReplicas?: number[];
}

/** Output of `AutoscalerSimulator.run`. */
export interface SimulationResult {
  /** Replicas (pods that exist, ready or not) at the end of each step, just before the next step starts; one per load value. */
  readonly replicas: number[];
  /** Ready replicas at the end of each step, just before the next step starts; one per load value. */
  readonly readyReplicas: number[];
  /** The simulated span, in seconds: load values x stepSeconds. */
  readonly durationSeconds: number;
  /** Replicas x hours, summed over the span (every replica that exists counts, ready or not). */
  readonly replicaHours: number;
  /** The time-weighted mean of the replicas. */
  readonly meanReplicas: number;
  /** The most replicas at any instant, including the initial replicas. */
  readonly peakReplicas: number;
  /**
   * What the replicas cost, in US dollars: replicaHours x replicaPricePerHourUsd, rounded to the micro-dollar.
   * @default - undefined when no replicaPricePerHourUsd was given
   */
  readonly costUsd?: number;
  /** The load integrated over time: load x seconds (requests, for a load in requests per second). */
  readonly totalLoad: number;
  /**
   * The load that found no ready capacity, integrated over time: the sum of (load - ready x capacityPerReplica) x
   * seconds where positive, in the unit of `totalLoad`. Served load is min(load, ready x capacityPerReplica).
   */
  readonly unservedLoad: number;
  /** unservedLoad / totalLoad (0 when the total is 0). */
  readonly unservedFraction: number;
  /** Seconds during which the load was above ready replicas x capacityPerReplica. */
  readonly overloadedSeconds: number;
  /** Syncs that raised the replicas. */
  readonly scaleUpEvents: number;
  /** Syncs that lowered the replicas. */
  readonly scaleDownEvents: number;
}

/**
 * Replays a load series against an HPA configuration with the controller's own algorithm, and reports the replicas,
 * what they cost and the load they could not serve.
 *
 * Use it to choose a scaling behavior, a target and a replica range before deploying: run the same trace through
 * `ScalingBehavior.realTime()`, `standard()` and a custom behavior and compare `costUsd` with `unservedFraction`.
 *
 * The controller is modelled as `reconcileAutoscaler` with one Pods metric and an AverageValue target: at each sync the
 * ready pods report the per-pod average load (see `metricDelaySeconds`), pods not ready yet are unready (they count as
 * 0 when scaling up, as in `calcPlainMetricReplicas`), then the proposal is stabilized and rate-limited exactly as
 * `normalizeDesiredReplicasWithBehaviors` (or `normalizeDesiredReplicas` without a behavior) does, with the same
 * recommendation and scale-event histories. Pods are created at once and become ready `podReadySeconds` later; a
 * scale-down removes not-ready pods first, newest first (the ReplicaSet controller deletes unready pods before ready
 * ones), and removed pods stop serving and costing at once. Time is split at every sync, pod-ready instant and step
 * boundary, so the totals are exact for a load that is constant within each step. Times are resolved to the
 * microsecond.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
 * @example
 * const result = AutoscalerSimulator.run({
 *   load: [2, 2, 40, 40, 40, 40, 40, 10, 10, 10],
 *   stepSeconds: 60,
 *   maxReplicas: 10,
 *   targetPerReplica: 5,
 *   behavior: ScalingBehavior.realTime(),
 *   replicaPricePerHourUsd: 1.2,
 * });
 * const share = result.unservedFraction;
 */
export class AutoscalerSimulator {
  /** The default `podReadySeconds`. */
  public static readonly DEFAULT_POD_READY_SECONDS = 180;
  /** The default `metricDelaySeconds`. */
  public static readonly DEFAULT_METRIC_DELAY_SECONDS = 60;

  /** Replays `props.load` against the HPA configuration. Throws for invalid props. */
  public static run(props: SimulationProps): SimulationResult {
    const load = checkLoad(props.load);
    requireNumber('stepSeconds', props.stepSeconds, 0, true, 'stepSeconds');
    const stepUs = toMicroseconds('stepSeconds', props.stepSeconds, 'stepSeconds');
    const spanUs = load.length * stepUs;
    if (spanUs > Number.MAX_SAFE_INTEGER) {
      invalidSimulatorProp('stepSeconds', props.stepSeconds, `makes the load span ${spanUs / US_PER_SECOND} s, too long to count in microseconds`, 'stepSeconds');
    }

    requireWhole('maxReplicas', props.maxReplicas, 1, 'maxReplicas', MAX_REPLICAS);
    const minReplicas = props.minReplicas ?? 1;
    requireWhole('minReplicas', minReplicas, 1, 'minReplicas', MAX_REPLICAS);
    if (minReplicas > props.maxReplicas) minAboveMax(minReplicas, props.maxReplicas);
    const initialReplicas = props.initialReplicas ?? minReplicas;
    requireWhole('initialReplicas', initialReplicas, 1, 'initialReplicas', MAX_REPLICAS);

    requireNumber('targetPerReplica', props.targetPerReplica, 0.001, false, 'targetPerReplica');
    const capacity = props.capacityPerReplica ?? props.targetPerReplica;
    requireNumber('capacityPerReplica', capacity, 0, true, 'capacityPerReplica');
    const podReadySeconds = props.podReadySeconds ?? AutoscalerSimulator.DEFAULT_POD_READY_SECONDS;
    requireNumber('podReadySeconds', podReadySeconds, 0, false, 'podReadySeconds');
    const syncPeriodSeconds = props.syncPeriodSeconds ?? 15;
    requireNumber('syncPeriodSeconds', syncPeriodSeconds, 0, true, 'syncPeriodSeconds');
    const syncUs = toMicroseconds('syncPeriodSeconds', syncPeriodSeconds, 'syncPeriodSeconds');
    const syncs = Math.ceil(spanUs / syncUs);
    if (syncs > MAX_SYNCS) {
      invalidSimulatorProp('syncPeriodSeconds', syncPeriodSeconds,
        `makes ${syncs} syncs over the ${spanUs / US_PER_SECOND} s of load (at most ${MAX_SYNCS})`, 'syncPeriodSeconds');
    }
    const tolerance = props.tolerance ?? 0.1;
    if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 1)) {
      invalidSimulatorProp('tolerance', tolerance, 'must be a number from 0 up to (not including) 1', 'tolerance');
    }
    const metricDelaySeconds = props.metricDelaySeconds ?? AutoscalerSimulator.DEFAULT_METRIC_DELAY_SECONDS;
    requireNumber('metricDelaySeconds', metricDelaySeconds, 0, false, 'metricDelaySeconds');
    const price = props.replicaPricePerHourUsd;
    if (price !== undefined) requireNumber('replicaPricePerHourUsd', price, 0, false, 'replicaPricePerHourUsd');
    const behavior = props.behavior === undefined ? undefined : checkBehavior(props.behavior);
    const scheduled = props.scheduledReplicas === undefined ? undefined : checkSchedule(props.scheduledReplicas, load.length);

    const out = simulate({
      load,
      stepUs,
      syncUs,
      podReadyUs: Math.round(podReadySeconds * US_PER_SECOND),
      metricDelayUs: Math.round(metricDelaySeconds * US_PER_SECOND),
      minReplicas,
      maxReplicas: props.maxReplicas,
      initialReplicas,
      targetMilli: toMilli(props.targetPerReplica),
      capacityPerReplica: capacity,
      tolerance,
      behavior,
      scheduled,
    });

    const replicaHours = out.replicaUs / (3600 * US_PER_SECOND);
    const totalLoad = out.loadUs / US_PER_SECOND;
    const unservedLoad = out.unservedUs / US_PER_SECOND;
    return {
      replicas: toNumbers(out.replicas),
      readyReplicas: toNumbers(out.readyReplicas),
      durationSeconds: spanUs / US_PER_SECOND,
      replicaHours,
      meanReplicas: out.replicaUs / spanUs,
      peakReplicas: out.peakReplicas,
      costUsd: price === undefined ? undefined : fromMicroUsd(Math.round(replicaHours * toMicroUsd(price))),
      totalLoad,
      unservedLoad,
      unservedFraction: totalLoad > 0 ? unservedLoad / totalLoad : 0,
      overloadedSeconds: out.overloadedUs / US_PER_SECOND,
      scaleUpEvents: out.scaleUps,
      scaleDownEvents: out.scaleDowns,
    };
  }

  private constructor() {}
}

/** Checks every load value once. */
function checkLoad(load: number[]): number[] {
  if (!Array.isArray(load) || load.length === 0) invalidSimulatorProp('load', load, 'must not be empty', 'load');
  for (let i = 0; i < load.length; i++) {
    const v = load[i];
    if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) {
      invalidSimulatorProp(`load[${i}]`, v, 'must be a finite number of 0 or more', 'load');
    }
  }
  return load;
}

/** Checks the schedule once: one whole number of 0 or more per load value. */
function checkSchedule(scheduled: number[], steps: number): number[] {
  if (!Array.isArray(scheduled) || scheduled.length !== steps) {
    invalidSimulatorProp('scheduledReplicas', Array.isArray(scheduled) ? `${scheduled.length} values` : scheduled,
      `must have one value per load value (${steps})`, 'scheduledReplicas');
  }
  for (let i = 0; i < scheduled.length; i++) {
    const v = scheduled[i];
    if (!Number.isSafeInteger(v) || v < 0) invalidSimulatorProp(`scheduledReplicas[${i}]`, v, 'must be a whole number of 0 or more', 'scheduledReplicas');
  }
  return scheduled;
}

/** A typed array as number[], for jsii: an indexed copy is about 7 times faster than Array.from on Node 20. */
function toNumbers(values: Int32Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

function toMicroseconds(prop: string, seconds: number, fix: 'stepSeconds' | 'syncPeriodSeconds'): number {
  const us = Math.round(seconds * US_PER_SECOND);
  if (us < 1) invalidSimulatorProp(prop, seconds, 'is shorter than a microsecond, the time resolution of the simulation', fix);
  return us;
}

/** The behavior as the controller uses it (API defaults filled in), checked against the API server's limits. */
function checkBehavior(behavior: ScalingBehavior): { scaleUp: CoreRules; scaleDown: CoreRules } {
  const effective = HpaAlgorithm.effectiveBehavior(behavior.toSpec());
  return {
    scaleUp: checkRules('behavior.scaleUp', effective.scaleUp!),
    scaleDown: checkRules('behavior.scaleDown', effective.scaleDown!),
  };
}

function checkRules(prop: string, rules: HpaScalingRulesSpec): CoreRules {
  const window = rules.stabilizationWindowSeconds!;
  requireWhole(`${prop}.stabilizationWindowSeconds`, window, 0, 'windowSeconds', 3600);
  const select = rules.selectPolicy!;
  if (!(SELECT_POLICIES as readonly string[]).includes(select)) notOneOf(`${prop}.selectPolicy`, select, SELECT_POLICIES, 'selectPolicy');
  const policies = rules.policies!;
  if (policies.length === 0 && select !== 'Disabled') {
    invalidSimulatorProp(`${prop}.policies`, [], 'is empty while selectPolicy is not Disabled', 'policies');
  }
  const core: CorePolicy[] = policies.map((p, i) => {
    if (!(POLICY_TYPES as readonly string[]).includes(p.type)) notOneOf(`${prop}.policies[${i}].type`, p.type, POLICY_TYPES, 'policyType');
    requireWhole(`${prop}.policies[${i}].value`, p.value, 1, 'policyValue');
    requireWhole(`${prop}.policies[${i}].periodSeconds`, p.periodSeconds, 1, 'periodSeconds', 1800);
    return { type: p.type, value: p.value, periodSeconds: p.periodSeconds };
  });
  return { stabilizationWindowSeconds: window, selectPolicy: select, policies: core };
}
