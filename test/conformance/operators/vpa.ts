/**
 * What the VPA 1.7.1 admission controller refuses (and what the recommender silently ignores) in a
 * VerticalPodAutoscaler, beyond the CRD schema.
 *
 * Source: kubernetes/autoscaler@vertical-pod-autoscaler/v1.7.1, directory vertical-pod-autoscaler/;
 * `validation.go` below is pkg/admission-controller/resource/vpa/validation.go. Feature gates are the VPA
 * components' own (`--feature-gates` of admission-controller, updater, recommender), with their 1.7.1 defaults
 * (pkg/features/versioned_features.go:L30-L40): InPlace alpha off (1.7), CPUStartupBoost alpha off (1.6),
 * PerVPAConfig alpha off (1.5). InPlaceOrRecreate has no gate any more: GA and locked on in 1.6, removed in 1.7.
 *
 * An app that runs the VPA with a gate on says so with the annotation `cdk8s-ml-scaling/vpa-feature-gates`
 * on the VerticalPodAutoscaler (a comma-separated list of gate names), which `VerticalAutoscaler` writes from its
 * `enabledFeatureGates` prop; without it the 1.7.1 defaults apply.
 */
import type { OperatorCheck } from './index';
import { arr, perObject, rec } from './kubernetes';
import { ANNOTATION_VPA_FEATURE_GATES } from '../../../src/common/names';
import { compareQuantities, parseQuantity } from '../quantity';

/** The gates an object declares on (the annotation), else none: the 1.7.1 defaults. */
export function declaredVpaGates(obj: Record<string, any>): string[] {
  const v = rec(rec(obj.metadata).annotations)[ANNOTATION_VPA_FEATURE_GATES];
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/** pkg/apis/autoscaling.k8s.io/v1/helpers.go GetUpdateModes(); types.go:L217-L253. */
const UPDATE_MODES = ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'InPlace', 'Auto'];
const PER_VPA_CONFIG_FIELDS = ['oomBumpUpRatio', 'oomMinBumpUp', 'memoryAggregationIntervalSeconds', 'memoryAggregationIntervalCount'];

function isWhole(v: unknown, scale: bigint): boolean {
  const q = parseQuantity(v);
  return q === undefined || (q.num * scale) % q.den === 0n;
}

export function vpaProblems(obj: Record<string, any>): string[] {
  if (obj.apiVersion !== 'autoscaling.k8s.io/v1' || obj.kind !== 'VerticalPodAutoscaler') return [];
  const out: string[] = [];
  const gates = declaredVpaGates(obj);
  const spec = rec(obj.spec);
  // validation.go:L121-L124 (the check never fires in 1.7.1, since GetPatches passes a non-nil old object; a VPA
  // without targetRef does nothing, so it is reported anyway).
  if (spec.targetRef === undefined) out.push('spec.targetRef: Required value: a VPA without targetRef sizes nothing');
  if (spec.updatePolicy !== undefined) {
    const policy = rec(spec.updatePolicy);
    const mode = policy.updateMode;
    // validation.go:L148-L158 validateVPASpecUpdatePolicy()
    if (mode === undefined) out.push('spec.updatePolicy.updateMode: Required value: updateMode is required if UpdatePolicy is used');
    else if (!UPDATE_MODES.includes(mode)) out.push(`spec.updatePolicy.updateMode: Unsupported value: ${JSON.stringify(mode)}`);
    if (mode === 'InPlace' && !gates.includes('InPlace')) {
      // validation.go:L96-L110 allowInPlace(), L156-L158
      out.push('spec.updatePolicy.updateMode: Forbidden: in order to use UpdateMode InPlace, you must enable feature gate InPlace in the '
        + 'admission-controller args (--feature-gates=InPlace=true; alpha, off by default in VPA 1.7.1)');
    }
    // validation.go:L160-L162
    if (typeof policy.minReplicas === 'number' && policy.minReplicas <= 0) {
      out.push(`spec.updatePolicy.minReplicas: Invalid value: ${policy.minReplicas}: minReplicas has to be positive`);
    }
    // validation.go:L164-L172
    if (policy.evictAfterOOMSeconds !== undefined && !gates.includes('PerVPAConfig')) {
      out.push('spec.updatePolicy.evictAfterOOMSeconds: Forbidden: not supported when feature flag PerVPAConfig is disabled');
    }
  }
  arr(rec(spec.resourcePolicy).containerPolicies).forEach((p: unknown, i: number) => {
    const policy = rec(p);
    const at = `spec.resourcePolicy.containerPolicies[${i}]`;
    // validation.go:L180-L184
    if (!policy.containerName) out.push(`${at}.containerName: Required value`);
    // validation.go:L186-L190; helpers.go GetScalingModes()
    if (policy.mode !== undefined && !['Auto', 'Off'].includes(policy.mode)) out.push(`${at}.mode: Unsupported value: ${JSON.stringify(policy.mode)}: supported values: "Auto", "Off"`);
    // validation.go:L192-L202, L300-L324 validateResourceResolution(): whole millicores, whole bytes; max >= min.
    for (const bound of ['minAllowed', 'maxAllowed']) {
      for (const [r, v] of Object.entries(rec(policy[bound]))) {
        if (r === 'cpu' && !isWhole(v, 1000n)) out.push(`${at}.${bound}[cpu]: Invalid value: ${JSON.stringify(v)}: must be a whole number of milli CPUs`);
        if (r === 'memory' && !isWhole(v, 1n)) out.push(`${at}.${bound}[memory]: Invalid value: ${JSON.stringify(v)}: must be a whole number of bytes`);
      }
    }
    for (const [r, min] of Object.entries(rec(policy.minAllowed))) {
      const max = rec(policy.maxAllowed)[r];
      const a = parseQuantity(min), b = parseQuantity(max);
      if (a && b && compareQuantities(b, a) < 0) out.push(`${at}.maxAllowed[${r}]: Invalid value: ${JSON.stringify(max)}: max resource for ${r} is lower than min of "${min}"`);
    }
    // validation.go:L204-L209
    if (policy.mode === 'Off' && policy.controlledValues === 'RequestsAndLimits') {
      out.push(`${at}.controlledValues: Forbidden: controlledValues shouldn't be specified if container scaling mode is off`);
    }
    // validation.go:L211-L253: per-VPA recommender settings need PerVPAConfig.
    for (const k of PER_VPA_CONFIG_FIELDS) {
      if (policy[k] !== undefined && !gates.includes('PerVPAConfig')) out.push(`${at}.${k}: Forbidden: not supported when feature flag PerVPAConfig is disabled`);
    }
    if (policy.startupBoost !== undefined && !gates.includes('CPUStartupBoost')) {
      out.push(`${at}.startupBoost: Forbidden: in order to use startupBoost, you must enable feature gate CPUStartupBoost in the admission-controller args`);
    }
    // Not refused, silently ignored: the recommender estimates cpu and memory only
    // (pkg/recommender/model/aggregate_container_state.go:L66-L67, pkg/recommender/logic/recommender.go:L108-L125).
    arr(policy.controlledResources).forEach((r: unknown, j: number) => {
      if (r !== 'cpu' && r !== 'memory') out.push(`${at}.controlledResources[${j}]: ${JSON.stringify(r)} is silently ignored: the VPA recommends cpu and memory only`);
    });
  });
  // validation.go:L263-L267
  if (spec.startupBoost !== undefined && !gates.includes('CPUStartupBoost')) {
    out.push('spec.startupBoost: Forbidden: in order to use startupBoost, you must enable feature gate CPUStartupBoost in the admission-controller args');
  }
  // validation.go:L138-L140
  if (arr(spec.recommenders).length > 1) out.push(`spec.recommenders: Too many: ${arr(spec.recommenders).length}: must have at most 1 items`);
  return out;
}

/** The VPA 1.7.1 admission controller's rules over every VerticalPodAutoscaler of an app. */
export const VPA_CHECK: OperatorCheck = { source: 'VPA 1.7.1', check: perObject(vpaProblems) };
