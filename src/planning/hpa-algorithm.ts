import { Duration } from 'cdk8s';
import {
  convertWithBehaviorRate, convertWithRules, CoreEvent, CorePod, CoreProposal, perPodReplicas,
  plainMetricReplicas, resourceReplicas, stabilize, stabilizeWithoutBehavior, toMilli, valueReplicas,
} from './internal/hpa-core';
import { CONTROLLER_DOWNSCALE_WINDOW_SECONDS, CONTROLLER_TOLERANCE } from './internal/hpa-defaults';
import {
  badSamples, HPA_ALGORITHM, HPA_FIXES, minAboveMax, requireAge, requireTolerance, requireWhole, requireWindow,
} from './internal/hpa-messages';
import { ScalingBehavior } from './scaling-behavior';
import { checkInstance, checkList, checkNumber, checkOneOf, checkOptionalBoolean, checkStruct } from '../common/validate';

const MAX_INT = Number.MAX_SAFE_INTEGER;

/** A recommendation the controller made earlier (before stabilization). */
export interface HpaRecommendation {
  /** The replicas recommended (0 or more). */
  readonly replicas: number;
  /** How long ago it was made (0 or more). */
  readonly age: Duration;
}

/** What `HpaAlgorithm.stabilize()` works on: the controller's state at one reconcile. */
export interface HpaStabilizeProps {
  /** The replicas the scale target has now. */
  readonly currentReplicas: number;
  /** The replicas the metrics propose now (before stabilization). */
  readonly proposedReplicas: number;
  /**
   * Scale-up stabilization window (0 to 3600 s, whole seconds): the lowest recommendation in it wins.
   * @default Duration.seconds(0)
   */
  readonly scaleUpWindow?: Duration;
  /**
   * Scale-down stabilization window (0 to 3600 s, whole seconds): the highest recommendation in it wins.
   * @default Duration.seconds(300)
   */
  readonly scaleDownWindow?: Duration;
  /**
   * Earlier recommendations; one newer than a window (age below it) counts for that window.
   * @default - none
   */
  readonly recommendations?: HpaRecommendation[];
}

/** What `HpaAlgorithm.stabilizeWithoutBehavior()` works on: an HPA without `spec.behavior`. */
export interface HpaLegacyStabilizeProps {
  /** The replicas the metrics propose now (before stabilization). */
  readonly proposedReplicas: number;
  /**
   * The controller's `--horizontal-pod-autoscaler-downscale-stabilization` (0 to 3600 s, whole seconds here): every
   * recommendation not older than it (age at most the window) counts.
   * @default Duration.seconds(300)
   */
  readonly window?: Duration;
  /**
   * Earlier recommendations. The controller records the current replica count as a recommendation on its first
   * reconcile of an HPA (recordInitialRecommendation), so give it here as a recommendation of age 0 to replay that.
   * @default - none
   */
  readonly recommendations?: HpaRecommendation[];
}

/** The AbleToScale condition reason the controller sets after stabilizing. */
export enum HpaStabilizeReason {
  /** The proposal passed unchanged. */
  READY_FOR_NEW_SCALE = 'ReadyForNewScale',
  /** A lower recent recommendation held a scale-up back. */
  SCALE_UP_STABILIZED = 'ScaleUpStabilized',
  /** A higher recent recommendation held a scale-down back. */
  SCALE_DOWN_STABILIZED = 'ScaleDownStabilized',
}

/** The stabilized recommendation. */
export interface HpaStabilizeResult {
  /** The replicas after stabilization. */
  readonly replicas: number;
  /** Why, as the AbleToScale condition says it. */
  readonly reason: HpaStabilizeReason;
}

/** A scale event the controller remembers for its rate limits. */
export interface HpaScaleEvent {
  /** Replicas added (in `scaleUpEvents`) or removed (in `scaleDownEvents`): 0 or more. */
  readonly replicaChange: number;
  /** How long ago it happened; it counts for a policy while younger than the policy's period. */
  readonly age: Duration;
}

/** What `HpaAlgorithm.limitRate()` works on. */
export interface HpaLimitRateProps {
  /** The replicas the scale target has now. */
  readonly currentReplicas: number;
  /** The replicas wanted (the stabilized recommendation). */
  readonly desiredReplicas: number;
  /**
   * `spec.minReplicas`.
   * @default 1
   */
  readonly minReplicas?: number;
  /** `spec.maxReplicas`. */
  readonly maxReplicas: number;
  /**
   * `spec.behavior`; missing fields take the API defaults (see `effectiveBehavior`).
   * @default - no behavior: the legacy limit, at most max(2 x current, 4) replicas
   */
  readonly behavior?: ScalingBehavior;
  /**
   * Recent scale-ups (ignored without a behavior, as the controller stores none).
   * @default - none
   */
  readonly scaleUpEvents?: HpaScaleEvent[];
  /**
   * Recent scale-downs (ignored without a behavior).
   * @default - none
   */
  readonly scaleDownEvents?: HpaScaleEvent[];
}

/** The ScalingLimited condition reason the controller sets with the replica count (or why it does not scale). */
export enum HpaLimitReason {
  /** The desired count is allowed as is. */
  DESIRED_WITHIN_RANGE = 'DesiredWithinRange',
  /** Scale-up policies (or the legacy 2x / 4 limit) cap the count. */
  SCALE_UP_LIMIT = 'ScaleUpLimit',
  /** Scale-down policies cap the count. */
  SCALE_DOWN_LIMIT = 'ScaleDownLimit',
  /** `maxReplicas` caps the count (also: the target has more than `maxReplicas` now). */
  TOO_MANY_REPLICAS = 'TooManyReplicas',
  /** `minReplicas` sets the count (also: the target has fewer than `minReplicas` now). */
  TOO_FEW_REPLICAS = 'TooFewReplicas',
  /** The target has 0 replicas and `minReplicas` is not 0: the controller leaves it alone. */
  SCALING_DISABLED = 'ScalingDisabled',
}

/** The rate-limited replica count. */
export interface HpaLimitRateResult {
  /** The replicas the controller would set. */
  readonly replicas: number;
  /** Why. */
  readonly reason: HpaLimitReason;
}

/** How a metric's target is stated (`autoscaling/v2` `MetricTarget.type`). */
export enum HpaMetricTargetType {
  /** A total across the target (`target.value`): Object and External metrics. */
  VALUE = 'Value',
  /** A per-pod average (`target.averageValue`): Pods metrics, or a total divided by the replicas. */
  AVERAGE_VALUE = 'AverageValue',
  /** A percentage of the pods' resource request (`target.averageUtilization`): Resource metrics. */
  UTILIZATION = 'Utilization',
}

/** One pod's sample of a metric. */
export interface HpaPodMetric {
  /**
   * The sample (for Utilization: the usage, in the unit of `request`).
   * @default - the pod reported no sample (a missing pod)
   */
  readonly value?: number;
  /**
   * Whether the controller counts the pod as ready. Give false for a pending pod, or, for CPU, a pod still
   * in its initialization period (`--horizontal-pod-autoscaler-cpu-initialization-period`); leave out
   * deleted and failed pods altogether, as the controller ignores them.
   * @default true
   */
  readonly ready?: boolean;
  /**
   * Whether the pod is Pending. The controller sets a pending pod aside as unready whether or not it has a sample;
   * a running pod with no sample is *missing* even when it is not ready (groupPods checks pending, then missing, then
   * readiness), so on a scale-down it counts at the target (100% of its request for Utilization).
   * @default false
   */
  readonly pending?: boolean;
  /**
   * The pod's request of the resource (summed over its containers); Utilization only. A Utilization metric with a
   * pod without a request is an invalid metric, as upstream's calculateRequests error makes it.
   * @default - no request
   */
  readonly request?: number;
}

/** One metric of an HPA and its current readings. */
export interface HpaMetricInput {
  /** How the target is stated. */
  readonly targetType: HpaMetricTargetType;
  /** The target: a value, an average value, or a whole percentage of the request for Utilization. */
  readonly target: number;
  /**
   * Per-pod samples (Resource and Pods metrics), for Utilization and AverageValue targets.
   * @default - none: give `value`
   */
  readonly pods?: HpaPodMetric[];
  /**
   * The one reading of an Object or External metric (summed over series), for Value and AverageValue targets.
   * @default - none: give `pods`
   */
  readonly value?: number;
  /**
   * Whether the metrics API failed for this metric (upstream `FailedGetResourceMetric`, `FailedGetPodsMetric`, ...):
   * the metric is invalid, and `pods` and `value` are not needed.
   * @default false
   */
  readonly unavailable?: boolean;
}

/** What `HpaAlgorithm.proposeReplicas()` works on. */
export interface HpaProposeProps {
  /** The replicas the scale target has now. */
  readonly currentReplicas: number;
  /** The HPA's metrics; the largest proposal wins. */
  readonly metrics: HpaMetricInput[];
  /**
   * The controller's `--horizontal-pod-autoscaler-tolerance`: no change while the usage ratio is within
   * 1 +/- tolerance, unless the behavior sets a direction's own tolerance.
   * @default 0.1
   */
  readonly tolerance?: number;
  /**
   * `spec.behavior`, for its per-direction tolerances (`scaleUp.tolerance`, `scaleDown.tolerance`, Kubernetes 1.33+);
   * a direction without one uses `tolerance`.
   * @default - no behavior: `tolerance` both ways
   */
  readonly behavior?: ScalingBehavior;
  /**
   * Ready pods, for a Value target (the proposal is ceil(ratio x ready pods)).
   * @default - currentReplicas
   */
  readonly readyPodCount?: number;
  /**
   * The scale subresource's `status.replicas` (the pods the workload has now, which lags `spec.replicas` while it
   * scales). Upstream divides an AverageValue target's total by it (GetObjectPerPodMetricReplicas,
   * GetExternalPerPodMetricReplicas); `currentReplicas` is `spec.replicas`.
   * @default - currentReplicas
   */
  readonly statusReplicas?: number;
}

/** The ScalingActive condition reason after the metrics were read. */
export enum HpaProposeReason {
  /** A replica count was computed. */
  VALID_METRIC_FOUND = 'ValidMetricFound',
  /**
   * Every metric is invalid, or one is and the valid ones would scale down: the controller keeps the current
   * count. (Upstream names the first failure, e.g. `FailedGetResourceMetric`.)
   */
  INVALID_METRICS = 'InvalidMetrics',
}

/** The metrics' proposal. */
export interface HpaProposeResult {
  /** The largest proposal over valid metrics, or the current replicas when the metrics are invalid. */
  readonly replicas: number;
  /** Each metric's proposal, in input order; 0 for an invalid metric. */
  readonly perMetric: number[];
  /**
   * Each metric's usage ratio (current / target), in input order; 0 for an invalid metric, and 0 where it is infinite
   * (an AverageValue total over 0 status replicas).
   */
  readonly usageRatios: number[];
  /** Indices of invalid metrics: unavailable, no usable sample (every pod unready or missing), or a pod without a request. */
  readonly invalidMetrics: number[];
  /** Why. */
  readonly reason: HpaProposeReason;
}

/**
 * The Kubernetes HPA controller's arithmetic, as pure functions: replica proposals from metrics, stabilization
 * and rate limits.
 *
 * Use it to see what an HPA will do with a behavior before deploying it, or to simulate one. Each step
 * mirrors the upstream function it is named after (kubernetes/kubernetes `pkg/controller/podautoscaler`),
 * with time given as ages (how long ago) instead of timestamps.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
 * @example
 * const behavior = ScalingBehavior.realTime();
 * HpaAlgorithm.limitRate({ currentReplicas: 3, desiredReplicas: 40, maxReplicas: 50, behavior }).replicas; // 13
 */
export class HpaAlgorithm {
  /** The largest sample, target or request the algorithm takes (in the metric's unit): far above any real metric. */
  public static readonly MAX_SAMPLE = 1e12;

  /**
   * `spec.behavior` as the controller uses it: the API server's defaults (pkg/apis/autoscaling/v2/defaults.go)
   * filled field by field, and an unset scale-down window as the controller's 300 s.
   *
   * Up: window 0, 4 pods or 100% per 15 s, Max. Down: window 300 s, 100% per 15 s, Max. The API server only
   * fills these in when `spec.behavior` is set; without it the controller takes the legacy path (see `limitRate`).
   */
  public static effectiveBehavior(behavior?: ScalingBehavior): ScalingBehavior {
    if (behavior !== undefined) {
      checkInstance(HPA_ALGORITHM, 'behavior', behavior, ScalingBehavior as any, 'make it with ScalingBehavior.standard(), .realTime() or .custom({...})');
      // A window or policy the API server refuses is an error, never an effective behavior.
      behavior._validate(HPA_ALGORITHM, 'behavior');
    }
    return (behavior ?? ScalingBehavior.custom({}))._effective();
  }

  /**
   * Stabilizes a proposal over recent recommendations (`stabilizeRecommendationWithBehaviors`).
   *
   * The lowest recommendation in the scale-up window and the highest in the scale-down window (each including
   * the proposal) bound the result, which stays at `currentReplicas` when it lies between them.
   */
  public static stabilize(props: HpaStabilizeProps): HpaStabilizeResult {
    checkStruct(HPA_ALGORITHM, 'props', props, 'give { currentReplicas, proposedReplicas }');
    checkList(HPA_ALGORITHM, 'recommendations', props.recommendations ?? [], { max: MAX_HISTORY }, HPA_FIXES.replicas);
    (props.recommendations ?? []).forEach((r, i) => checkStruct(HPA_ALGORITHM, `recommendations[${i}]`, r, 'give { replicas, age }'));
    requireWhole('currentReplicas', props.currentReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    requireWhole('proposedReplicas', props.proposedReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    const up = props.scaleUpWindow === undefined ? 0 : requireWindow(HPA_ALGORITHM, 'scaleUpWindow', props.scaleUpWindow);
    const down = props.scaleDownWindow === undefined ? CONTROLLER_DOWNSCALE_WINDOW_SECONDS
      : requireWindow(HPA_ALGORITHM, 'scaleDownWindow', props.scaleDownWindow);
    const recommendations = (props.recommendations ?? []).map((r, i) => {
      requireWhole(`recommendations[${i}].replicas`, r.replicas, 0, MAX_INT, HPA_FIXES.replicas);
      return { replicas: r.replicas, ageSeconds: requireAge(`recommendations[${i}].age`, r.age) };
    });
    const result = stabilize(props.currentReplicas, props.proposedReplicas, up, down, recommendations);
    return { replicas: result.replicas, reason: result.reason as HpaStabilizeReason };
  }

  /**
   * Stabilizes a proposal as the controller does for an HPA without `spec.behavior` (`stabilizeRecommendation`):
   * the highest of the proposal and the recommendations of the last 300 s (`window`).
   *
   * Unlike `stabilize`, the result is not bounded by the current count: a higher recent recommendation can raise it
   * above both the proposal and the current replicas (the legacy limit of `limitRate` without a behavior applies after).
   * The reason is ScaleDownStabilized when a recommendation raised the proposal, else ReadyForNewScale.
   */
  public static stabilizeWithoutBehavior(props: HpaLegacyStabilizeProps): HpaStabilizeResult {
    checkStruct(HPA_ALGORITHM, 'props', props, 'give { proposedReplicas }');
    checkList(HPA_ALGORITHM, 'recommendations', props.recommendations ?? [], { max: MAX_HISTORY }, HPA_FIXES.replicas);
    (props.recommendations ?? []).forEach((r, i) => checkStruct(HPA_ALGORITHM, `recommendations[${i}]`, r, 'give { replicas, age }'));
    requireWhole('proposedReplicas', props.proposedReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    const window = props.window === undefined ? CONTROLLER_DOWNSCALE_WINDOW_SECONDS : requireWindow(HPA_ALGORITHM, 'window', props.window);
    const recommendations = (props.recommendations ?? []).map((r, i) => {
      requireWhole(`recommendations[${i}].replicas`, r.replicas, 0, MAX_INT, HPA_FIXES.replicas);
      return { replicas: r.replicas, ageSeconds: requireAge(`recommendations[${i}].age`, r.age) };
    });
    const result = stabilizeWithoutBehavior(props.proposedReplicas, window, recommendations);
    return { replicas: result.replicas, reason: result.reason as HpaStabilizeReason };
  }

  /**
   * Applies `minReplicas`, `maxReplicas` and the scaling policies to a desired count
   * (`convertDesiredReplicasWithBehaviorRate`, or `convertDesiredReplicasWithRules` without a behavior).
   *
   * A policy limits the change from the replicas at the start of its period, worked out from the events newer
   * than the period: Pods adds or removes `value`; Percent allows ceil(start x (1 + value/100)) up and
   * trunc(start x (1 - value/100)) down. As in `reconcileAutoscaler`, a target already outside
   * [minReplicas, maxReplicas] is brought to the bound, and one at 0 replicas is left alone.
   */
  public static limitRate(props: HpaLimitRateProps): HpaLimitRateResult {
    checkStruct(HPA_ALGORITHM, 'props', props, 'give { currentReplicas, desiredReplicas, maxReplicas }');
    if (props.behavior !== undefined) {
      checkInstance(HPA_ALGORITHM, 'behavior', props.behavior, ScalingBehavior, 'make it with ScalingBehavior.standard(), .realTime() or .custom({...})');
    }
    const min = props.minReplicas ?? 1;
    requireWhole('currentReplicas', props.currentReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    requireWhole('desiredReplicas', props.desiredReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    requireWhole('minReplicas', min, 0, MAX_INT, HPA_FIXES.replicas);
    requireWhole('maxReplicas', props.maxReplicas, 1, MAX_INT, HPA_FIXES.maxReplicas);
    if (min > props.maxReplicas) minAboveMax(min, props.maxReplicas);
    const upEvents = checkEvents('scaleUpEvents', props.scaleUpEvents);
    const downEvents = checkEvents('scaleDownEvents', props.scaleDownEvents);
    props.behavior?._validate(HPA_ALGORITHM, 'behavior');
    const rules = props.behavior?._coreRules();

    const current = props.currentReplicas;
    if (current === 0 && min !== 0) return { replicas: 0, reason: HpaLimitReason.SCALING_DISABLED };
    if (current > props.maxReplicas) return { replicas: props.maxReplicas, reason: HpaLimitReason.TOO_MANY_REPLICAS };
    if (current < min) return { replicas: min, reason: HpaLimitReason.TOO_FEW_REPLICAS };
    const result = rules
      ? convertWithBehaviorRate(current, props.desiredReplicas, min, props.maxReplicas, rules.scaleUp, rules.scaleDown, upEvents, downEvents)
      : convertWithRules(current, props.desiredReplicas, min, props.maxReplicas);
    return { replicas: result.replicas, reason: result.reason as HpaLimitReason };
  }

  /**
   * The replica calculator: each metric's proposal and the largest of them (`computeReplicasForMetrics`).
   *
   * Utilization follows `GetResourceReplicas`, AverageValue with pods `calcPlainMetricReplicas`, AverageValue
   * with a value `GetExternalPerPodMetricReplicas`, Value `getUsageRatioReplicaCount`. Samples are taken in
   * milli-units as the controller does. Within the tolerance the count stays; unready pods count as 0 when
   * scaling up; missing pods count as 0 when scaling up and as the target (100% of the request, or the target
   * if higher, for Utilization) when scaling down, and a change of direction after that keeps the count.
   */
  public static proposeReplicas(props: HpaProposeProps): HpaProposeResult {
    checkStruct(HPA_ALGORITHM, 'props', props, 'give { currentReplicas, metrics }');
    checkList(HPA_ALGORITHM, 'metrics', props.metrics, { min: 1, max: 100 }, HPA_FIXES.metrics);
    props.metrics.forEach((m, i) => {
      checkStruct(HPA_ALGORITHM, `metrics[${i}]`, m, 'give { targetType, target } and pods or value');
      checkOneOf(HPA_ALGORITHM, `metrics[${i}].targetType`, m.targetType, Object.values(HpaMetricTargetType), 'give an HpaMetricTargetType');
      if (m.pods !== undefined) {
        checkList(HPA_ALGORITHM, `metrics[${i}].pods`, m.pods, { max: MAX_HISTORY }, HPA_FIXES.samples);
        m.pods.forEach((p, j) => {
          checkStruct(HPA_ALGORITHM, `metrics[${i}].pods[${j}]`, p, 'give { value, ready, request }');
          checkOptionalBoolean(HPA_ALGORITHM, `metrics[${i}].pods[${j}].ready`, p.ready);
        });
      }
    });
    const current = props.currentReplicas;
    requireWhole('currentReplicas', current, 0, MAX_INT, HPA_FIXES.replicas);
    const tolerance = props.tolerance ?? CONTROLLER_TOLERANCE;
    requireTolerance(tolerance);
    const readyPods = props.readyPodCount ?? current;
    requireWhole('readyPodCount', readyPods, 0, MAX_INT, HPA_FIXES.replicas);
    const statusReplicas = props.statusReplicas ?? current;
    requireWhole('statusReplicas', statusReplicas, 0, MAX_INT, HPA_FIXES.replicas);
    if (props.metrics.length === 0) badSamples('metrics', props.metrics, 'is empty', HPA_FIXES.metrics);
    if (props.behavior !== undefined) {
      checkInstance(HPA_ALGORITHM, 'behavior', props.behavior, ScalingBehavior, 'make it with ScalingBehavior.standard(), .realTime() or .custom({...})');
      props.behavior._validate(HPA_ALGORITHM, 'behavior');
    }
    const tolerances = props.behavior?._tolerances(tolerance) ?? { up: tolerance, down: tolerance };
    const state: ProposeState = { current, statusReplicas, readyPods, up: tolerances.up, down: tolerances.down };

    // computeReplicasForMetrics: an error in one metric invalidates that metric only.
    const proposals = props.metrics.map((m, i) => proposeOne(`metrics[${i}]`, m, state));
    const invalidMetrics: number[] = [];
    let replicas = 0;
    proposals.forEach((p, i) => {
      if (p.replicas === undefined) invalidMetrics.push(i);
      else replicas = Math.max(replicas, p.replicas);
    });
    const invalid = invalidMetrics.length >= proposals.length || (invalidMetrics.length > 0 && replicas < current);
    return {
      replicas: invalid ? current : replicas,
      perMetric: proposals.map(p => p.replicas ?? 0),
      usageRatios: proposals.map(p => (p.usageRatio !== undefined && Number.isFinite(p.usageRatio) ? p.usageRatio : 0)),
      invalidMetrics,
      reason: invalid ? HpaProposeReason.INVALID_METRICS : HpaProposeReason.VALID_METRIC_FOUND,
    };
  }

  private constructor() {}
}

/** The most recommendations, scale events or pod samples one call takes. */
const MAX_HISTORY = 100_000;

function checkEvents(prop: string, events: HpaScaleEvent[] | undefined): CoreEvent[] {
  checkList(HPA_ALGORITHM, prop, events ?? [], { max: MAX_HISTORY }, HPA_FIXES.replicaChange);
  return (events ?? []).map((e, i) => {
    checkStruct(HPA_ALGORITHM, `${prop}[${i}]`, e, 'give { replicaChange, age }');
    requireWhole(`${prop}[${i}].replicaChange`, e.replicaChange, 0, MAX_INT, HPA_FIXES.replicaChange);
    return { replicaChange: e.replicaChange, ageSeconds: requireAge(`${prop}[${i}].age`, e.age) };
  });
}

/** What every metric's calculator reads besides its own samples. */
interface ProposeState {
  readonly current: number;
  readonly statusReplicas: number;
  readonly readyPods: number;
  readonly up: number;
  readonly down: number;
}

function proposeOne(prop: string, m: HpaMetricInput, state: ProposeState): CoreProposal {
  const { current, readyPods, up, down } = state;
  checkOptionalBoolean(HPA_ALGORITHM, `${prop}.unavailable`, m.unavailable);
  if (m.targetType === HpaMetricTargetType.UTILIZATION) {
    requireWhole(`${prop}.target`, m.target, 1, MAX_INT, HPA_FIXES.target);
  } else {
    // The controller reads targets in milli-units: a target below 0.001 is 0, and every ratio to it infinite.
    checkNumber(HPA_ALGORITHM, `${prop}.target`, m.target, { min: 0.001, max: HpaAlgorithm.MAX_SAMPLE }, HPA_FIXES.target);
  }
  const hasPods = m.pods !== undefined;
  const hasValue = m.value !== undefined;
  if (m.unavailable === true && !hasPods && !hasValue) return {};
  if (hasPods === hasValue) badSamples(`${prop}.pods`, m.pods, hasPods ? 'is given with value' : 'and value are both missing', HPA_FIXES.samples);
  if (m.targetType === HpaMetricTargetType.UTILIZATION && !hasPods) badSamples(`${prop}.pods`, m.pods, 'is missing', HPA_FIXES.utilizationPods);
  if (m.targetType === HpaMetricTargetType.VALUE && !hasValue) badSamples(`${prop}.value`, m.value, 'is missing', HPA_FIXES.valuePods);

  if (hasValue) {
    checkNumber(HPA_ALGORITHM, `${prop}.value`, m.value, { min: 0, max: HpaAlgorithm.MAX_SAMPLE }, HPA_FIXES.sampleValue);
    if (m.unavailable === true) return {};
    if (m.targetType === HpaMetricTargetType.VALUE) {
      return valueReplicas(current, toMilli(m.value!), toMilli(m.target), readyPods, up, down);
    }
    return perPodReplicas(state.statusReplicas, toMilli(m.value!), toMilli(m.target), up, down);
  }

  const utilization = m.targetType === HpaMetricTargetType.UTILIZATION;
  let missingRequest = false;
  const pods: CorePod[] = m.pods!.map((p, j) => {
    if (p.value !== undefined) checkNumber(HPA_ALGORITHM, `${prop}.pods[${j}].value`, p.value, { min: 0, max: HpaAlgorithm.MAX_SAMPLE }, HPA_FIXES.sampleValue);
    checkOptionalBoolean(HPA_ALGORITHM, `${prop}.pods[${j}].pending`, p.pending);
    if (utilization && p.request === undefined) missingRequest = true;
    else if (utilization) checkNumber(HPA_ALGORITHM, `${prop}.pods[${j}].request`, p.request, { min: 0.001, max: HpaAlgorithm.MAX_SAMPLE }, HPA_FIXES.request);
    return {
      milli: p.value === undefined ? undefined : toMilli(p.value),
      ready: p.ready ?? true,
      pending: p.pending ?? false,
      requestMilli: utilization && p.request !== undefined ? toMilli(p.request) : 0,
    };
  });
  if (m.unavailable === true) return {};
  // calculateRequests: "missing request for cpu in container ..." is an error of this metric only.
  if (utilization) return missingRequest ? {} : resourceReplicas(current, pods, m.target, up, down);
  return plainMetricReplicas(current, pods, toMilli(m.target), up, down);
}
