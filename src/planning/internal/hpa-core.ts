/**
 * The numeric core of the HPA algorithm, transcribed from kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal.go and replica_calculator.go (v1.33/v1.34: `Tolerances`, `groupPods` with
 * pending/missing/unready in that order, the int32 cap of `getUsageRatioReplicaCount` and
 * `GetExternalPerPodMetricReplicas`). Inputs are validated by the caller.
 * Time is an age in seconds (how long ago), so `t.After(now - window)` becomes `age < window`.
 */
import { CorePolicy, CoreRules, LEGACY_SCALE_UP_FACTOR, LEGACY_SCALE_UP_MINIMUM } from './hpa-defaults';

export type { CorePolicy, CoreRules };

/** A past scale event: replicas added (scale-up list) or removed (scale-down list), `ageSeconds` ago. */
export interface CoreEvent {
  readonly replicaChange: number;
  readonly ageSeconds: number;
}

/** A past unstabilized recommendation, `ageSeconds` ago. */
export interface CoreRecommendation {
  readonly replicas: number;
  readonly ageSeconds: number;
}

/** Go's int32(x) on a float64: truncation toward zero. */
const int32 = (x: number): number => Math.trunc(x);

/** math.MaxInt32: the most replicas a proposal can be (`replicas` is an int32 field of the scale subresource). */
export const MAX_PROPOSED_REPLICAS = 2147483647;

/**
 * ceil(x) capped at math.MaxInt32, as replica_calculator.go (v1.33+) does before its int32 conversion in
 * getUsageRatioReplicaCount and GetExternalPerPodMetricReplicas. The other calculators convert without a cap (an
 * overflow in Go); they are capped here too, so that a proposal is always a valid replica count.
 */
export function ceilToInt32(x: number): number {
  return x > MAX_PROPOSED_REPLICAS ? MAX_PROPOSED_REPLICAS : Math.ceil(x);
}

/** getReplicasChangePerPeriod: the replicas changed by events newer than the period. */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly CoreEvent[]): number {
  let replicas = 0;
  for (const e of events) {
    if (e.ageSeconds < periodSeconds) replicas += e.replicaChange;
  }
  return replicas;
}

function periodStart(current: number, policy: CorePolicy, up: readonly CoreEvent[], down: readonly CoreEvent[]): number {
  return current - replicasChangePerPeriod(policy.periodSeconds, up) + replicasChangePerPeriod(policy.periodSeconds, down);
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the rules allow now. */
export function scaleUpLimit(current: number, up: readonly CoreEvent[], down: readonly CoreEvent[], rules: CoreRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? 2147483647 : -2147483648;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy, up, down);
    // Rounded up, so a small percentage still adds a pod (as upstream).
    const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the rules allow now. */
export function scaleDownLimit(current: number, up: readonly CoreEvent[], down: readonly CoreEvent[], rules: CoreRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? -2147483648 : 2147483647;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy, up, down);
    const proposed = policy.type === 'Pods' ? start - policy.value : int32(start * (1 - policy.value / 100));
    // For scaling down the smallest change ('Min') is the highest count.
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** A replica count and the ScalingLimited condition reason upstream sets with it. */
export interface CoreLimited {
  readonly replicas: number;
  readonly reason: string;
}

/** convertDesiredReplicasWithBehaviorRate. */
export function convertWithBehaviorRate(
  current: number, desired: number, min: number, max: number,
  upRules: CoreRules, downRules: CoreRules, up: readonly CoreEvent[], down: readonly CoreEvent[],
): CoreLimited {
  if (desired > current) {
    // Never below current: old events must not force a scale-down while scaling up.
    const limit = Math.max(scaleUpLimit(current, up, down, upRules), current);
    const allowed = Math.min(max, limit);
    const reason = max > limit ? 'ScaleUpLimit' : 'TooManyReplicas';
    if (desired > allowed) return { replicas: allowed, reason };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, up, down, downRules), current);
    const allowed = Math.max(min, limit);
    const reason = min < limit ? 'ScaleDownLimit' : 'TooFewReplicas';
    if (desired < allowed) return { replicas: allowed, reason };
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** calculateScaleUpLimit: the legacy limit without a behavior, max(2 x current, 4). */
export function legacyScaleUpLimit(current: number): number {
  return int32(Math.max(LEGACY_SCALE_UP_FACTOR * current, LEGACY_SCALE_UP_MINIMUM));
}

/** convertDesiredReplicasWithRules: the legacy path, for an HPA without `spec.behavior`. */
export function convertWithRules(current: number, desired: number, min: number, max: number): CoreLimited {
  const limit = legacyScaleUpLimit(current);
  const allowed = max > limit ? limit : max;
  const reason = max > limit ? 'ScaleUpLimit' : 'TooManyReplicas';
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas' };
  if (desired > allowed) return { replicas: allowed, reason };
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** A stabilized count and the AbleToScale condition reason upstream sets with it. */
export interface CoreStabilized {
  readonly replicas: number;
  readonly reason: string;
}

/** stabilizeRecommendationWithBehaviors, plus the AbleToScale reason normalizeDesiredReplicasWithBehaviors sets. */
export function stabilize(
  current: number, desired: number, upWindowSeconds: number, downWindowSeconds: number,
  recommendations: readonly CoreRecommendation[],
): CoreStabilized {
  let upRecommendation = desired;
  let downRecommendation = desired;
  for (const rec of recommendations) {
    if (rec.ageSeconds < upWindowSeconds) upRecommendation = Math.min(rec.replicas, upRecommendation);
    if (rec.ageSeconds < downWindowSeconds) downRecommendation = Math.max(rec.replicas, downRecommendation);
  }
  let recommendation = current;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  if (recommendation === desired) return { replicas: recommendation, reason: 'ReadyForNewScale' };
  return { replicas: recommendation, reason: desired >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized' };
}

/** One pod's sample, in milli-units, classified as groupPods does. */
export interface CorePod {
  /** undefined: the pod reported no sample (missing, unless it is pending). */
  readonly milli?: number;
  /** false: a pod with a sample that is not ready (CPU still initializing): unready, its sample dropped. */
  readonly ready: boolean;
  /** true: the pod is Pending: unready whether or not it has a sample. @default false */
  readonly pending?: boolean;
  /** Resource request in milli-units (Utilization only). */
  readonly requestMilli: number;
}

/**
 * The controller's tolerance band, `Tolerances.isWithin` (replica_calculator.go, v1.33+):
 * no change while 1 - down <= ratio <= 1 + up.
 */
export function withinTolerances(ratio: number, up: number, down: number): boolean {
  return (1.0 - down) <= ratio && ratio <= (1.0 + up);
}

/** One tolerance for both directions (the controller flag, or a spec without per-direction tolerances). */
export function withinTolerance(ratio: number, tolerance: number): boolean {
  return withinTolerances(ratio, tolerance, tolerance);
}

/** A quantity in milli-units, as resource.Quantity.MilliValue() rounds (up) a decimal value. */
export function toMilli(value: number): number {
  // Round at micro-units first so 0.3 x 1000 = 300.00000000000006 does not round up to 301.
  return Math.ceil(Math.round(value * 1e6) / 1e3);
}

interface Grouped {
  readonly metrics: Map<number, number>;
  readonly readyCount: number;
  readonly unready: number[];
  readonly missing: number[];
}

/**
 * groupPods in upstream's order (deleted and failed pods are left out by the caller): a pending pod is unready; then a
 * pod with no sample is missing, ready or not (so on a scale-down it counts at the target); then a pod whose sample
 * is not to be trusted (`ready` false) is unready.
 */
function group(pods: readonly CorePod[]): Grouped {
  const metrics = new Map<number, number>();
  const unready: number[] = [];
  const missing: number[] = [];
  let readyCount = 0;
  pods.forEach((pod, i) => {
    if (pod.pending) {
      unready.push(i);
    } else if (pod.milli === undefined) {
      missing.push(i);
    } else if (!pod.ready) {
      unready.push(i);
    } else {
      metrics.set(i, pod.milli);
      readyCount++;
    }
  });
  return { metrics, readyCount, unready, missing };
}

/** The result of one metric: a proposal, or undefined when it has no usable sample (an invalid metric). */
export interface CoreProposal {
  readonly replicas?: number;
  readonly usageRatio?: number;
}

/** The final step both calculators share: keep current if in tolerance, the direction flipped, or the count moved the wrong way. */
function rebalanced(current: number, usageRatio: number, newRatio: number, counted: number, up: number, down: number): number {
  if (withinTolerances(newRatio, up, down) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) {
    return current;
  }
  const replicas = ceilToInt32(newRatio * counted);
  if ((newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current)) return current;
  return replicas;
}

/**
 * calcPlainMetricReplicas: Pods metrics and AverageValue resource targets. `tolerance` is the scale-up tolerance and
 * `downTolerance` (default: the same) the scale-down one, as `Tolerances{scaleUp, scaleDown}`.
 */
export function plainMetricReplicas(
  current: number, pods: readonly CorePod[], targetMilli: number, tolerance: number, downTolerance: number = tolerance,
): CoreProposal {
  const g = group(pods);
  if (g.metrics.size === 0) return {};
  const ratio = (metrics: Map<number, number>): number => {
    let total = 0;
    for (const v of metrics.values()) total += v;
    // GetMetricUsageRatio: int64 average, then a float ratio.
    return Math.trunc(total / metrics.size) / targetMilli;
  };
  const usageRatio = ratio(g.metrics);
  const scaleUpWithUnready = g.unready.length > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.length === 0) {
    if (withinTolerances(usageRatio, tolerance, downTolerance)) return { replicas: current, usageRatio };
    return { replicas: ceilToInt32(usageRatio * g.readyCount), usageRatio };
  }
  // Missing pods: the target on a scale-down, nothing on a scale-up, so both damp the change.
  if (usageRatio < 1.0) {
    for (const i of g.missing) g.metrics.set(i, targetMilli);
  } else if (usageRatio > 1.0) {
    for (const i of g.missing) g.metrics.set(i, 0);
  }
  if (scaleUpWithUnready) for (const i of g.unready) g.metrics.set(i, 0);
  const newRatio = ratio(g.metrics);
  return { replicas: rebalanced(current, usageRatio, newRatio, g.metrics.size, tolerance, downTolerance), usageRatio };
}

/** GetResourceReplicas: Utilization targets (percent of request); tolerances as for `plainMetricReplicas`. */
export function resourceReplicas(
  current: number, pods: readonly CorePod[], targetUtilization: number, tolerance: number, downTolerance: number = tolerance,
): CoreProposal {
  const g = group(pods);
  if (g.metrics.size === 0) return {};
  const ratio = (metrics: Map<number, number>): number => {
    let usage = 0;
    let requests = 0;
    for (const [i, v] of metrics) {
      usage += v;
      requests += pods[i].requestMilli;
    }
    // GetResourceUtilizationRatio: the utilization is an integer percentage (truncated).
    return Math.trunc((usage * 100) / requests) / targetUtilization;
  };
  const usageRatio = ratio(g.metrics);
  const scaleUpWithUnready = g.unready.length > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.length === 0) {
    if (withinTolerances(usageRatio, tolerance, downTolerance)) return { replicas: current, usageRatio };
    return { replicas: ceilToInt32(usageRatio * g.readyCount), usageRatio };
  }
  if (usageRatio < 1.0) {
    // 100% of the request, or the target when it is above 100%.
    const fallback = Math.max(100, targetUtilization);
    for (const i of g.missing) g.metrics.set(i, Math.trunc((pods[i].requestMilli * fallback) / 100));
  } else if (usageRatio > 1.0) {
    for (const i of g.missing) g.metrics.set(i, 0);
  }
  if (scaleUpWithUnready) for (const i of g.unready) g.metrics.set(i, 0);
  const newRatio = ratio(g.metrics);
  return { replicas: rebalanced(current, usageRatio, newRatio, g.metrics.size, tolerance, downTolerance), usageRatio };
}

/** getUsageRatioReplicaCount: Object and External metrics with a Value target (`current` is spec.replicas). */
export function valueReplicas(
  current: number, usageMilli: number, targetMilli: number, readyPods: number, tolerance: number, downTolerance: number = tolerance,
): CoreProposal {
  const usageRatio = usageMilli / targetMilli;
  if (current === 0) return { replicas: ceilToInt32(usageRatio), usageRatio };
  if (withinTolerances(usageRatio, tolerance, downTolerance)) return { replicas: current, usageRatio };
  return { replicas: ceilToInt32(usageRatio * readyPods), usageRatio };
}

/**
 * GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: a total with an AverageValue target. Upstream passes
 * the scale's `status.replicas` here (computeReplicasForMetrics' `statusReplicas`), not `spec.replicas`; at 0 status
 * replicas the ratio is infinite (or NaN), never within the tolerance, and the proposal is ceil(total / target).
 */
export function perPodReplicas(
  statusReplicas: number, usageMilli: number, targetPerPodMilli: number, tolerance: number, downTolerance: number = tolerance,
): CoreProposal {
  const usageRatio = usageMilli / (targetPerPodMilli * statusReplicas);
  if (withinTolerances(usageRatio, tolerance, downTolerance)) return { replicas: statusReplicas, usageRatio };
  return { replicas: ceilToInt32(usageMilli / targetPerPodMilli), usageRatio };
}

/**
 * stabilizeRecommendation (horizontal.go, the path without `spec.behavior`): the highest of `desired` and every
 * recommendation not older than the window (`timestamp.Before(now - window)` drops one, so one exactly `window` old
 * still counts). Unlike the behavior path it is not bounded by the current count: a higher recent recommendation
 * raises the result above both the proposal and the current replicas (the legacy rate limit then applies).
 */
export function stabilizeWithoutBehavior(desired: number, windowSeconds: number, recommendations: readonly CoreRecommendation[]): CoreStabilized {
  let max = desired;
  for (const rec of recommendations) {
    if (!(rec.ageSeconds > windowSeconds) && rec.replicas > max) max = rec.replicas;
  }
  return { replicas: max, reason: max !== desired ? 'ScaleDownStabilized' : 'ReadyForNewScale' };
}

