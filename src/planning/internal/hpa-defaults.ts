/**
 * The HPA's defaults and limits, written once; ScalingBehavior, HpaAlgorithm, AutoscalerSimulator and the report
 * command read them from here.
 *
 * - The API server fills `spec.behavior` field by field, only when `spec.behavior` is set: kubernetes/kubernetes
 *   v1.28.0 pkg/apis/autoscaling/v2/defaults.go (defaultHPAScaleUpRules, defaultHPAScaleDownRules, copyHPAScalingRules).
 *   It leaves the scale-down window unset; the controller then uses its own flag.
 * - The controller's flags: pkg/controller/podautoscaler/config/v1alpha1/defaults.go (RecommendedDefaultHPAControllerConfiguration:
 *   sync period 15 s, downscale stabilization 5 min, tolerance 0.1).
 * - Without `spec.behavior` the controller takes its legacy path: pkg/controller/podautoscaler/horizontal.go
 *   (scaleUpLimitFactor 2, scaleUpLimitMinimum 4, normalizeDesiredReplicas with the downscale window).
 * - The API server's limits: pkg/apis/autoscaling/validation/validation.go (MaxStabilizationWindowSeconds 3600,
 *   MaxPeriodSeconds 1800, validateScalingRules, validateScalingPolicy).
 */

/** One scaling policy, in seconds: `Pods` or `Percent`. */
export interface CorePolicy {
  readonly type: string;
  readonly value: number;
  readonly periodSeconds: number;
}

/** The scaling rules of one direction, every field set, in seconds. */
export interface CoreRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: string;
  readonly policies: readonly CorePolicy[];
}

/** `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const CONTROLLER_DOWNSCALE_WINDOW_SECONDS = 300;
/** `--horizontal-pod-autoscaler-sync-period`. */
export const CONTROLLER_SYNC_PERIOD_SECONDS = 15;
/** `--horizontal-pod-autoscaler-tolerance`. */
export const CONTROLLER_TOLERANCE = 0.1;

/** Without `spec.behavior`: at most max(LEGACY_SCALE_UP_FACTOR x current, LEGACY_SCALE_UP_MINIMUM) replicas per sync. */
export const LEGACY_SCALE_UP_FACTOR = 2;
/** See LEGACY_SCALE_UP_FACTOR. */
export const LEGACY_SCALE_UP_MINIMUM = 4;

/** Scale-up rules with every field the API server fills: no window, 4 pods or 100% per 15 s, the larger. */
export const DEFAULT_SCALE_UP: CoreRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Scale-down rules with every field the API server fills, and the controller's window: 300 s, 100% per 15 s. */
export const DEFAULT_SCALE_DOWN: CoreRules = {
  stabilizationWindowSeconds: CONTROLLER_DOWNSCALE_WINDOW_SECONDS,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** The API server's limits on `spec.behavior`. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** See MAX_STABILIZATION_WINDOW_SECONDS. */
export const MAX_PERIOD_SECONDS = 1800;
/** `selectPolicy` values the API server accepts. */
export const SELECT_POLICIES: readonly string[] = ['Max', 'Min', 'Disabled'];
/** Policy `type` values the API server accepts. */
export const POLICY_TYPES: readonly string[] = ['Pods', 'Percent'];
