import { Duration } from 'cdk8s';
import { secondsOf, shownDuration } from '../common/duration-text';
import { fromMicroUsd, toMicroUsd } from '../common/money';
import { toMilli } from './internal/hpa-core';
import { CONTROLLER_SYNC_PERIOD_SECONDS, CONTROLLER_TOLERANCE, CoreRules } from './internal/hpa-defaults';
import { simulate, SimulatorActivation, US_PER_SECOND } from './internal/simulator-core';
import {
  AUTOSCALER_SIMULATOR, invalidSimulatorProp, minAboveMax, requireNumber, requireWhole, SIMULATOR_FIXES, SimulatorFix,
} from './internal/simulator-messages';
import { objectiveLoadOf, serviceLevelReport } from './internal/slo-service-level';
import { ScalingBehavior } from './scaling-behavior';
import { ServiceLevelReport, SloPlan } from './slo-planner';
import { StartupEstimate, TimeToCapacity } from './time-to-capacity';

import { checkInstance, checkList, checkStruct } from '../common/validate';

/** The largest replica count the HPA API holds (an int32). */
const MAX_REPLICAS = 2147483647;

/** Input of `AutoscalerSimulator.run`. */
export interface SimulationProps {
  /**
   * The load, one value per step, oldest first, constant within its step; in the unit of `capacityPerReplica`
   * (e.g. requests per second). Each value is from 0 to `AutoscalerSimulator.MAX_LOAD` (10^12); at most `AutoscalerSimulator.MAX_STEPS` (1,000,000) values.
   */
  readonly load: number[];
  /** Length of one load step, above zero (e.g. `Duration.minutes(1)` for a per-minute trace, `Duration.hours(1)` for an hourly one). */
  readonly step: Duration;
  /**
   * How fast the HPA may add and remove replicas (`spec.behavior`); what a custom behavior leaves out takes the API
   * defaults.
   * @default - no `spec.behavior`: the controller's legacy path, at most max(2 x current, 4) replicas per sync up, and
   * down only to the highest recommendation of the last 300 s
   */
  readonly behavior?: ScalingBehavior;
  /**
   * `spec.minReplicas` (KEDA's `minReplicaCount`); 0 only with an `activationThreshold` (KEDA scales to and from zero).
   * @default 1
   */
  readonly minReplicas?: number;
  /** `spec.maxReplicas`: 1 to `AutoscalerSimulator.MAX_REPLICAS` (2,147,483,647, the HPA's int32). */
  readonly maxReplicas: number;
  /**
   * The load one ready replica serves at full utilization, in the unit of the load (e.g. 10 requests per second), at most
   * `AutoscalerSimulator.MAX_LOAD` (10^12); load
   * above ready replicas x capacityPerReplica is unserved.
   */
  readonly capacityPerReplica: number;
  /**
   * The fraction of `capacityPerReplica` the HPA aims at, above 0 and at most 1 (the rest is headroom): the HPA's
   * Pods metric has the AverageValue target capacityPerReplica x targetUtilization, read to the milli-unit as the
   * controller reads quantities.
   * @default 1
   */
  readonly targetUtilization?: number;
  /**
   * Time from a pod's creation to ready (scheduling, image pull, loading the model and warming up); a pod serves nothing
   * before it is ready, but costs money. The default is a model server on a node that has room and the image cached,
   * loading a 7-8B model's weights and warming up; add minutes for node provisioning or an image pull.
   * @default - `TimeToCapacity.total(startupEstimate)` when it is given, else AutoscalerSimulator.DEFAULT_TIME_TO_READY (3 minutes)
   */
  readonly timeToReady?: Duration;
  /**
   * The model server's startup estimate: every new pod is ready its total later (`TimeToCapacity.total`). Give this or
   * `timeToReady`, not both.
   * @default - use timeToReady
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * The controller's sync period (`--horizontal-pod-autoscaler-sync-period`), above zero; syncs happen at 0,
   * syncPeriod, 2 x syncPeriod... independently of the steps. The load's span may hold at most
   * `AutoscalerSimulator.MAX_SYNCS` (10,000,000) syncs: 4.7 years at 15 seconds.
   * @default Duration.seconds(15)
   */
  readonly syncPeriod?: Duration;
  /**
   * No change while the usage ratio is within 1 +/- tolerance (`--horizontal-pod-autoscaler-tolerance`); the default of
   * `scaleUpTolerance` and `scaleDownTolerance`.
   * @default 0.1
   */
  readonly tolerance?: number;
  /**
   * `behavior.scaleUp.tolerance` (Kubernetes 1.33+): no scale-up while the usage ratio is at most 1 + scaleUpTolerance.
   * From 0 up to (not including) 1.
   * @default - tolerance
   */
  readonly scaleUpTolerance?: number;
  /**
   * `behavior.scaleDown.tolerance` (Kubernetes 1.33+): no scale-down while the usage ratio is at least
   * 1 - scaleDownTolerance. From 0 up to (not including) 1.
   * @default - tolerance
   */
  readonly scaleDownTolerance?: number;
  /**
   * The replicas running when the load starts, all ready; outside [minReplicas, maxReplicas] the first sync brings
   * them to the bound, as the controller does.
   * @default - minReplicas
   */
  readonly initialReplicas?: number;
  /**
   * How old the newest sample the controller reads is, beyond the rate window (`metricWindow`): the scrape interval
   * (on average half of it) and any cache of the metrics adapter. The metric at a sync at t is the rate over
   * [t - metricDelay - metricWindow, t - metricDelay]. The default is half a 30-second scrape interval.
   * @default AutoscalerSimulator.DEFAULT_METRIC_DELAY (15 seconds)
   */
  readonly metricDelay?: Duration;
  /**
   * The rate window of the per-pod metric, `rate(counter[metricWindow])` as the library's Prometheus rules write it.
   * At a sync at t, with b = t - metricDelay and W = [b - metricWindow, b], every pod that was ready at some instant of
   * W reports its own rate: the integral over the part of W it was ready of load(s) / ready(s) (the load is shared
   * evenly by the ready pods), divided by metricWindow, as Prometheus' rate() gives for a counter that starts inside
   * the window. The controller averages these samples: the load the sampled pods served over W, per sampled pod.
   * Pods ready at b or later have no sample and count as not ready (0 when scaling up), so pods that became ready
   * since do not multiply an old per-pod load. Load before 0 is load[0], on initialReplicas ready pods.
   * `Duration.seconds(0)` gives the per-pod load of the instant b, load(b) / ready(b), on the pods ready at b.
   * @default AutoscalerSimulator.DEFAULT_METRIC_WINDOW (2 minutes, the rate window of `ScalingMetric.requestsPerSecond`)
   */
  readonly metricWindow?: Duration;
  /**
   * KEDA's `activationThreshold` for scale to zero, in the unit of the load: at each KEDA poll the trigger is active
   * when the load over the metric window (its mean over the same W as the per-pod metric, taken from outside the pods,
   * e.g. a gateway's request rate) is above it. At 0 replicas an active trigger scales to 1 (then the HPA takes over,
   * with minReplicas 1); with no active trigger for `cooldownPeriod` the replicas go to 0
   * (kedacore/keda pkg/scaling/executor/scale_scaledobjects.go, RequestScale). Load while at 0 is unserved.
   * 0 to `AutoscalerSimulator.MAX_LOAD`.
   * @default - no activation: minReplicas must be at least 1
   */
  readonly activationThreshold?: number;
  /**
   * KEDA's `cooldownPeriod`: how long after the last active poll the replicas go to 0 (with an activationThreshold and
   * minReplicas 0).
   * @default Duration.seconds(300)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * KEDA's `pollingInterval`, above zero; polls happen at 0, pollingInterval, 2 x pollingInterval... (with an
   * activationThreshold).
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * What one replica costs per hour, in US dollars, from 0 to `AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR` (10,000);
   * every replica that exists costs it, ready or not.
   * @default - no price: `costUsd` is undefined
   */
  readonly priceUsdPerHour?: number;
  /**
   * Replicas a schedule asks for in each step, one whole number (0 or more) per load value: e.g. the KEDA cron
   * triggers of `PredictiveScaling` (`PredictiveScaling.replicasAt`), which ask for the window's replicas inside a
   * window and at most 1 outside. KEDA hands them to the HPA as a second metric (External, AverageValue 1), so at
   * each sync the controller takes the higher of the two proposals, and keeps the current count while the
   * scheduled replicas are within the tolerance of it.
   * @default - no schedule: the load metric alone
   */
  readonly scheduledReplicas?: number[];
  /**
   * A latency objective's plan (`SloPlanner.plan`, feasible), to report how often the objective held: while each ready
   * replica carries at most the plan's `requestsPerSecondPerReplica`, where its measured profile met the objective. The
   * load must then be in requests per second.
   * @default - no service-level report
   */
  readonly serviceLevel?: SloPlan;
}

/** Output of `AutoscalerSimulator.run`. */
export interface SimulationResult {
  /** Replicas (pods that exist, ready or not) at the end of each step, just before the next step starts; one per load value. */
  readonly replicas: number[];
  /** Ready replicas at the end of each step, just before the next step starts; one per load value. */
  readonly readyReplicas: number[];
  /** The simulated span: load values x step. */
  readonly duration: Duration;
  /** Replicas x hours, summed over the span (every replica that exists counts, ready or not). */
  readonly replicaHours: number;
  /** The time-weighted mean of the replicas. */
  readonly meanReplicas: number;
  /** The most replicas at any instant, including the initial replicas. */
  readonly peakReplicas: number;
  /**
   * What the replicas cost, in US dollars: replicaHours x priceUsdPerHour, rounded to the micro-dollar.
   * @default - undefined when no priceUsdPerHour was given
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
  /**
   * The load served, integrated over time: totalLoad - unservedLoad, the integral of min(load, ready x
   * capacityPerReplica) (requests, for a load in requests per second).
   */
  readonly requestsServed: number;
  /**
   * costUsd per million of requestsServed: costUsd x 10^6 / requestsServed.
   * @default - undefined when no priceUsdPerHour was given, or when nothing was served (or too little for a finite figure)
   */
  readonly costUsdPerMillionRequestsServed?: number;
  /**
   * How long the load was above ready replicas x capacityPerReplica (resolved to the microsecond: read it with
   * `toSeconds({ integral: false })`).
   */
  readonly overloadedTime: Duration;
  /**
   * How often the latency objective of `serviceLevel` was met.
   * @default - undefined without a serviceLevel
   */
  readonly serviceLevel?: ServiceLevelReport;
  /** Syncs that raised the replicas. */
  readonly scaleUpEvents: number;
  /** Syncs that lowered the replicas. */
  readonly scaleDownEvents: number;
}

/** A replica model with every default filled in and every time in whole microseconds, checked. */
interface CheckedModel {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly initialReplicas: number;
  readonly capacityPerReplica: number;
  readonly targetMilli: number;
  readonly timeToReadyUs: number;
  readonly syncPeriod: Duration;
  readonly syncUs: number;
  readonly toleranceUp: number;
  readonly toleranceDown: number;
  readonly metricDelayUs: number;
  readonly metricWindowUs: number;
  readonly activation?: SimulatorActivation;
  readonly priceUsdPerHour?: number;
  readonly behavior?: { readonly scaleUp: CoreRules; readonly scaleDown: CoreRules };
}

/**
 * Replays a load series against an HPA configuration with the controller's own algorithm, and reports the replicas,
 * what they cost and the load they could not serve.
 *
 * Use it to choose a scaling behavior, a target utilization and a replica range before deploying: run the same trace
 * through `ScalingBehavior.realTime()`, `standard()` and a custom behavior and compare `costUsd` with `unservedFraction`.
 *
 * The controller is modelled as `reconcileAutoscaler` with one Pods metric and an AverageValue target of
 * capacityPerReplica x targetUtilization: at each sync every pod ready in the rate window reports the load it served
 * there over the window (see `metricWindow`), pods without a sample are unready (they count as 0 when scaling up, as
 * in `calcPlainMetricReplicas`), the tolerances are Kubernetes 1.33's per direction,
 * then the proposal is stabilized and rate-limited exactly as `normalizeDesiredReplicasWithBehaviors` (or
 * `normalizeDesiredReplicas` without a behavior) does, with the same recommendation and scale-event histories. Pods
 * are created at once and become ready `timeToReady` later; a scale-down removes not-ready pods first, newest first
 * (the ReplicaSet controller deletes unready pods before ready ones, then those ready for the shortest time), and
 * removed pods stop serving and costing at
 * once. Time is split at every sync, pod-ready instant and step boundary, so the totals are exact for a load that is
 * constant within each step. Times are resolved to the microsecond. With an `activationThreshold`, KEDA's activation
 * scales to and from zero.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
 * @example
 * const result = AutoscalerSimulator.run({
 *   load: [2, 2, 40, 40, 40, 40, 40, 10, 10, 10],
 *   step: Duration.minutes(1),
 *   maxReplicas: 10,
 *   capacityPerReplica: 6,
 *   targetUtilization: 0.8,
 *   behavior: ScalingBehavior.realTime(),
 *   priceUsdPerHour: 1.2,
 * });
 * const share = result.unservedFraction;
 */
export class AutoscalerSimulator {
  /** The default `timeToReady`: 3 minutes. */
  public static readonly DEFAULT_TIME_TO_READY: Duration = Duration.minutes(3);
  /** The default `metricDelay`: 15 seconds (half a 30-second scrape interval). */
  public static readonly DEFAULT_METRIC_DELAY: Duration = Duration.seconds(15);
  /** The default `metricWindow`: 2 minutes, the default rate window of `ScalingMetric.requestsPerSecond`. */
  public static readonly DEFAULT_METRIC_WINDOW: Duration = Duration.minutes(2);
  /** The default `cooldownPeriod`: 300 seconds, KEDA's. */
  public static readonly DEFAULT_COOLDOWN_PERIOD: Duration = Duration.seconds(300);
  /** The default `pollingInterval`: 30 seconds, KEDA's. */
  public static readonly DEFAULT_POLLING_INTERVAL: Duration = Duration.seconds(30);
  /** The most load values (steps) a run takes: 1,000,000 (almost 2 years of 1-minute steps). */
  public static readonly MAX_STEPS = 1_000_000;
  /** The most syncs a run replays: 10,000,000 (4.7 years at the default 15 s sync period; a few seconds of work). */
  public static readonly MAX_SYNCS = 10_000_000;
  /** The largest minReplicas, maxReplicas and initialReplicas: 2,147,483,647, as the HPA's int32 fields hold. */
  public static readonly MAX_REPLICAS = MAX_REPLICAS;
  /** The largest load value and capacityPerReplica: 10^12 (a trillion units per second keeps every total finite). */
  public static readonly MAX_LOAD = 1e12;
  /** The highest priceUsdPerHour: 10,000 US dollars per hour per replica. */
  public static readonly MAX_PRICE_USD_PER_HOUR = 10_000;

  /** Replays `props.load` against the HPA configuration. Throws for invalid props. */
  public static run(props: SimulationProps): SimulationResult {
    checkStruct(AUTOSCALER_SIMULATOR, 'props', props, 'give an object such as { load: [2, 40, 10], step: Duration.minutes(1), '
      + 'maxReplicas: 10, capacityPerReplica: 6 }');
    const load = checkLoad(props.load);
    const stepUs = toMicroseconds(AUTOSCALER_SIMULATOR, 'step', props.step, true, 'step');
    const spanUs = load.length * stepUs;
    if (spanUs > Number.MAX_SAFE_INTEGER) {
      invalidSimulatorProp('step', shownDuration(props.step), `makes the load span ${spanUs / US_PER_SECOND} s, too long to count in microseconds`, 'step');
    }
    const m = checkModel(AUTOSCALER_SIMULATOR, props);
    const syncs = Math.ceil(spanUs / m.syncUs);
    if (syncs > AutoscalerSimulator.MAX_SYNCS) {
      invalidSimulatorProp('syncPeriod', shownDuration(m.syncPeriod),
        `makes ${syncs} syncs over the ${spanUs / US_PER_SECOND} s of load (at most ${AutoscalerSimulator.MAX_SYNCS})`, 'syncPeriod');
    }
    const polls = m.activation === undefined ? 0 : Math.ceil(spanUs / m.activation.pollingUs);
    if (polls > AutoscalerSimulator.MAX_SYNCS) {
      invalidSimulatorProp('pollingInterval', shownDuration(props.pollingInterval!),
        `makes ${polls} polls over the ${spanUs / US_PER_SECOND} s of load (at most ${AutoscalerSimulator.MAX_SYNCS})`, 'pollingInterval');
    }
    const scheduled = props.scheduledReplicas === undefined ? undefined : checkSchedule(props.scheduledReplicas, load.length);
    const objectiveLoad = props.serviceLevel === undefined ? undefined : objectiveLoadOf(AUTOSCALER_SIMULATOR, props.serviceLevel);

    const out = simulate({
      load,
      stepUs,
      syncUs: m.syncUs,
      podReadyUs: m.timeToReadyUs,
      metricDelayUs: m.metricDelayUs,
      metricWindowUs: m.metricWindowUs,
      activation: m.activation,
      minReplicas: m.minReplicas,
      maxReplicas: m.maxReplicas,
      initialReplicas: m.initialReplicas,
      targetMilli: m.targetMilli,
      capacityPerReplica: m.capacityPerReplica,
      toleranceUp: m.toleranceUp,
      toleranceDown: m.toleranceDown,
      behavior: m.behavior,
      scheduled,
      objectiveLoadPerReplica: objectiveLoad,
    });

    const replicaHours = out.replicaUs / (3600 * US_PER_SECOND);
    const totalLoad = out.loadUs / US_PER_SECOND;
    const unservedLoad = out.unservedUs / US_PER_SECOND;
    const price = m.priceUsdPerHour;
    const costUsd = price === undefined ? undefined : fromMicroUsd(Math.round(replicaHours * toMicroUsd(price)));
    // Served = total - unserved, clamped: the two integrals round separately.
    const requestsServed = Math.max(0, totalLoad - unservedLoad);
    return {
      replicas: toNumbers(out.replicas),
      readyReplicas: toNumbers(out.readyReplicas),
      duration: Duration.seconds(spanUs / US_PER_SECOND),
      replicaHours,
      meanReplicas: out.replicaUs / spanUs,
      peakReplicas: out.peakReplicas,
      costUsd,
      totalLoad,
      unservedLoad,
      unservedFraction: totalLoad > 0 ? unservedLoad / totalLoad : 0,
      requestsServed,
      costUsdPerMillionRequestsServed: perMillion(costUsd, requestsServed),
      overloadedTime: Duration.seconds(out.overloadedUs / US_PER_SECOND),
      serviceLevel: objectiveLoad === undefined ? undefined
        : serviceLevelReport(objectiveLoad, spanUs, out.loadUs, out.objectiveMissedUs, out.objectiveMissedLoadUs),
      scaleUpEvents: out.scaleUps,
      scaleDownEvents: out.scaleDowns,
    };
  }

  /**
   * Checks a replica model (every prop but the load, its step and the schedule) as `run` does, naming `owner`
   * (e.g. the file it came from) in the errors. @internal
   */
  public static _checkModel(owner: string, props: Omit<SimulationProps, 'load' | 'step' | 'scheduledReplicas'>): void {
    checkModel(owner, props);
  }

  private constructor() {}
}

/** Every check of the replica model, once, in the order of the props; times become whole microseconds here. */
function checkModel(owner: string, props: Omit<SimulationProps, 'load' | 'step' | 'scheduledReplicas'>): CheckedModel {
  requireWhole(owner, 'maxReplicas', props.maxReplicas, 1, MAX_REPLICAS, 'maxReplicas');
  const threshold = props.activationThreshold;
  if (threshold !== undefined) {
    requireNumber(owner, 'activationThreshold', threshold, 0, false, 'activationThreshold');
    if (threshold > AutoscalerSimulator.MAX_LOAD) {
      invalidSimulatorProp('activationThreshold', threshold, `must be at most ${AutoscalerSimulator.MAX_LOAD}`, 'activationThreshold', owner);
    }
  }
  const minReplicas = props.minReplicas ?? 1;
  const lowest = threshold === undefined ? 1 : 0;
  requireWhole(owner, 'minReplicas', minReplicas, lowest, MAX_REPLICAS, 'minReplicas');
  if (minReplicas > props.maxReplicas) minAboveMax(owner, minReplicas, props.maxReplicas);
  const initialReplicas = props.initialReplicas ?? minReplicas;
  requireWhole(owner, 'initialReplicas', initialReplicas, lowest, MAX_REPLICAS, 'initialReplicas');

  const capacity = props.capacityPerReplica;
  requireNumber(owner, 'capacityPerReplica', capacity, 0, true, 'capacityPerReplica');
  if (capacity > AutoscalerSimulator.MAX_LOAD) {
    invalidSimulatorProp('capacityPerReplica', capacity, `must be at most ${AutoscalerSimulator.MAX_LOAD}`, 'capacityPerReplica', owner);
  }
  const utilization = props.targetUtilization ?? 1;
  if (typeof utilization !== 'number' || !(utilization > 0 && utilization <= 1)) {
    invalidSimulatorProp('targetUtilization', utilization, 'must be a number above 0 and at most 1', 'targetUtilization', owner);
  }
  const targetMilli = toMilli(capacity * utilization);
  // At least 0.001, compared at micro-units so that 0.01 x 0.1 (0.0010000000000000002 or 0.0009999999999999998) passes.
  if (!(Math.round(capacity * utilization * 1e6) >= 1000)) {
    invalidSimulatorProp('targetUtilization', utilization, 'makes the HPA\'s AverageValue target, capacityPerReplica x targetUtilization '
      + `(${capacity} x ${utilization} = ${+(capacity * utilization).toPrecision(6)}), smaller than 0.001`, 'target', owner);
  }
  if (props.startupEstimate !== undefined && props.timeToReady !== undefined) {
    invalidSimulatorProp('timeToReady', shownDuration(props.timeToReady), 'is given together with startupEstimate, which sets it', 'timeToReady', owner);
  }
  const fromEstimate = props.startupEstimate === undefined ? undefined
    : TimeToCapacity.total(TimeToCapacity._resolve(owner, 'startupEstimate', props.startupEstimate));
  const timeToReadyUs = toMicroseconds(owner, 'timeToReady', props.timeToReady ?? fromEstimate ?? AutoscalerSimulator.DEFAULT_TIME_TO_READY, false, 'timeToReady');
  const syncPeriod = props.syncPeriod ?? Duration.seconds(CONTROLLER_SYNC_PERIOD_SECONDS);
  const syncUs = toMicroseconds(owner, 'syncPeriod', syncPeriod, true, 'syncPeriod');
  const tolerance = checkTolerance(owner, 'tolerance', props.tolerance ?? CONTROLLER_TOLERANCE);
  const toleranceUp = checkTolerance(owner, 'scaleUpTolerance', props.scaleUpTolerance ?? tolerance);
  const toleranceDown = checkTolerance(owner, 'scaleDownTolerance', props.scaleDownTolerance ?? tolerance);
  const metricDelayUs = toMicroseconds(owner, 'metricDelay', props.metricDelay ?? AutoscalerSimulator.DEFAULT_METRIC_DELAY, false, 'metricDelay');
  const metricWindowUs = toMicroseconds(owner, 'metricWindow', props.metricWindow ?? AutoscalerSimulator.DEFAULT_METRIC_WINDOW, false, 'metricWindow');
  const cooldownUs = toMicroseconds(owner, 'cooldownPeriod', props.cooldownPeriod ?? AutoscalerSimulator.DEFAULT_COOLDOWN_PERIOD, false, 'cooldownPeriod');
  const pollingUs = toMicroseconds(owner, 'pollingInterval', props.pollingInterval ?? AutoscalerSimulator.DEFAULT_POLLING_INTERVAL, true, 'pollingInterval');
  const price = props.priceUsdPerHour;
  if (price !== undefined) requireNumber(owner, 'priceUsdPerHour', price, 0, false, 'priceUsdPerHour');
  if (price !== undefined && price > AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR) {
    invalidSimulatorProp('priceUsdPerHour', price, `must be at most ${AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR}`, 'priceUsdPerHour', owner);
  }
  let behavior: CheckedModel['behavior'];
  if (props.behavior !== undefined) {
    checkInstance(owner, 'behavior', props.behavior, ScalingBehavior as any, 'give ScalingBehavior.realTime(), standard() or custom(...), or leave it unset');
    props.behavior._validate(owner, 'behavior');
    behavior = props.behavior._coreRules();
  }
  return {
    minReplicas,
    maxReplicas: props.maxReplicas,
    initialReplicas,
    capacityPerReplica: capacity,
    targetMilli,
    timeToReadyUs,
    syncPeriod,
    syncUs,
    toleranceUp,
    toleranceDown,
    metricDelayUs,
    metricWindowUs,
    activation: threshold === undefined ? undefined : { threshold, cooldownUs, pollingUs },
    priceUsdPerHour: price,
    behavior,
  };
}
/** costUsd per million requests served; undefined without a cost or a finite quotient. */
function perMillion(costUsd: number | undefined, served: number): number | undefined {
  if (costUsd === undefined || !(served > 0)) return undefined;
  const value = (costUsd * 1e6) / served;
  return Number.isFinite(value) ? value : undefined;
}

/** A tolerance: a number from 0 up to (not including) 1. */
function checkTolerance(owner: string, prop: 'tolerance' | 'scaleUpTolerance' | 'scaleDownTolerance', value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    invalidSimulatorProp(prop, value, 'must be a number from 0 up to (not including) 1', 'tolerance', owner);
  }
  return value;
}

/** Checks every load value once. */
function checkLoad(load: number[]): number[] {
  if (Array.isArray(load) && load.length === 0) invalidSimulatorProp('load', load, 'must not be empty', 'load');
  checkList(AUTOSCALER_SIMULATOR, 'load', load, { min: 1, max: AutoscalerSimulator.MAX_STEPS }, SIMULATOR_FIXES.load);
  for (let i = 0; i < load.length; i++) {
    const v = load[i];
    if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) {
      invalidSimulatorProp(`load[${i}]`, v, 'must be a finite number of 0 or more', 'load');
    }
    if (v > AutoscalerSimulator.MAX_LOAD) invalidSimulatorProp(`load[${i}]`, v, `must be at most ${AutoscalerSimulator.MAX_LOAD}`, 'load');
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

/**
 * A duration in whole microseconds, the simulation's resolution: finite and 0 or more, or above 0 when `positive`
 * (then at least a microsecond).
 */
function toMicroseconds(owner: string, prop: string, d: Duration, positive: boolean, fix: SimulatorFix): number {
  const seconds = secondsOf(d);
  if (!(seconds >= 0 && seconds < Infinity) || (positive && seconds === 0)) {
    invalidSimulatorProp(prop, shownDuration(d), `must be a finite duration ${positive ? 'above 0' : 'of 0 or more'}`, fix, owner);
  }
  const us = Math.round(d.toMilliseconds({ integral: false }) * 1000);
  if (positive && us < 1) invalidSimulatorProp(prop, shownDuration(d), 'is shorter than a microsecond, the time resolution of the simulation', fix, owner);
  return us;
}
