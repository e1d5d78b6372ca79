import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { secondsOf } from '../common/duration-text';
import { invalidProp, requireInteger } from '../common/errors';
import {
  CONTROLLER_DOWNSCALE_WINDOW_SECONDS, CorePolicy, CoreRules, DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, LEGACY_SCALE_UP_FACTOR,
  LEGACY_SCALE_UP_MINIMUM, POLICY_TYPES, SELECT_POLICIES,
} from './internal/hpa-defaults';
import { BEHAVIOR_FIXES, requirePeriod, requireWindow } from './internal/hpa-messages';
import { checkList, checkNumber, checkStruct, INT32_MAX } from '../common/validate';

/** How an HPA picks among several policies of one direction (`selectPolicy`). */
export enum HpaSelectPolicy {
  /** The policy that allows the largest change. */
  MAX = 'Max',
  /** The policy that allows the smallest change. */
  MIN = 'Min',
  /** No scaling in this direction at all. */
  DISABLED = 'Disabled',
}

/** The unit of an HPA scaling policy. */
export enum HpaScalingPolicyType {
  /** A number of pods per period. */
  PODS = 'Pods',
  /** A percentage of the replicas at the start of the period. */
  PERCENT = 'Percent',
}

/** One HPA scaling policy: at most `value` pods (or percent) per `period`. */
export interface HpaScalingPolicy {
  /** Pods or Percent. */
  readonly type: HpaScalingPolicyType;
  /** Pods, or percent of the replicas at the start of the period; a whole number from 1 to 2,147,483,647. */
  readonly value: number;
  /** The window over which the change is limited: 1 s to 1800 s, whole seconds. */
  readonly period: Duration;
}

/** The scaling rules of one direction. */
export interface HpaScalingRules {
  /**
   * How long recommendations are remembered before acting: scale-up uses the lowest, scale-down the
   * highest recommendation in the window. 0 to 3600 s, whole seconds.
   * @default - 0 s for scale-up, 300 s for scale-down (the controller's defaults)
   */
  readonly stabilizationWindow?: Duration;
  /**
   * The policies; at least one unless `selectPolicy` is DISABLED. An empty list with DISABLED is emitted without
   * `policies`: the API server keeps an explicit empty list through defaulting and then refuses it.
   * @default - the API defaults: up 100% or 4 pods per 15 s; down 100% per 15 s
   */
  readonly policies?: HpaScalingPolicy[];
  /**
   * Which policy wins.
   * @default HpaSelectPolicy.MAX
   */
  readonly selectPolicy?: HpaSelectPolicy;
  /**
   * This direction's tolerance (Kubernetes 1.33+, `behavior.scaleUp.tolerance` / `scaleDown.tolerance`, feature gate
   * HPAConfigurableTolerance): no scale-up while the usage ratio is at most 1 + the scale-up tolerance, no scale-down
   * while it is at least 1 - the scale-down tolerance. A fraction of 0 or more (0.05 is 5%).
   *
   * `HpaAlgorithm` and the planners model it; `toJson()` never writes it, because the constructs write the
   * `autoscaling/v2` HPA of Kubernetes 1.28, which has no such field: a construct given a behavior with a tolerance
   * refuses it rather than drop it.
   * @default - the controller's `--horizontal-pod-autoscaler-tolerance` (0.1)
   */
  readonly tolerance?: number;
}

/** Options for a fully custom behavior. */
export interface CustomScalingBehaviorOptions {
  /**
   * Scale-up rules.
   * @default - the API defaults (no window; 100% or 4 pods per 15 s, the larger)
   */
  readonly scaleUp?: HpaScalingRules;
  /**
   * Scale-down rules.
   * @default - the API defaults (300 s window; 100% per 15 s)
   */
  readonly scaleDown?: HpaScalingRules;
}

/**
 * How fast an HPA may add and remove replicas (`spec.behavior`).
 *
 * Model servers take minutes to start, so capacity must be added ahead of a burst and removed slowly
 * after it: `realTime()` for latency-critical APIs, `standard()` for the rest, or `custom()`.
 * A Percent policy limits the replicas at the end of a period to ceil(start x (1 + value/100)) when
 * scaling up, so 100% doubles and 200% triples. The same model is what `InferenceAutoscaler` writes,
 * what `HpaAlgorithm` and `AutoscalerSimulator` replay, and what the report command reads from JSON;
 * each checks it against the API server's limits.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export class ScalingBehavior {
  /**
   * For latency-critical inference APIs: scale up fast, scale down slowly.
   *
   * Up: recommendations are stabilized over 30 s, then every 30 s the replicas may double (+100%) or
   * grow by 10 pods, whichever is more. Down: only after 10 minutes of lower recommendations, then every
   * 60 s by at most 10% or 2 pods, whichever is less. Used with a minimum of 3 replicas.
   */
  public static realTime(): ScalingBehavior {
    return new ScalingBehavior('real-time', {
      scaleUp: {
        stabilizationWindow: Duration.seconds(30),
        policies: [
          { type: HpaScalingPolicyType.PERCENT, value: 100, period: Duration.seconds(30) },
          { type: HpaScalingPolicyType.PODS, value: 10, period: Duration.seconds(30) },
        ],
        selectPolicy: HpaSelectPolicy.MAX,
      },
      scaleDown: {
        stabilizationWindow: Duration.seconds(600),
        policies: [
          { type: HpaScalingPolicyType.PERCENT, value: 10, period: Duration.seconds(60) },
          { type: HpaScalingPolicyType.PODS, value: 2, period: Duration.seconds(60) },
        ],
        selectPolicy: HpaSelectPolicy.MIN,
      },
    }, 3);
  }

  /**
   * For inference services that tolerate some queueing.
   *
   * Up: recommendations are stabilized over 60 s, then every 60 s the replicas may double (+100%) or grow
   * by 4 pods, whichever is more. Down: after 5 minutes of lower recommendations, by at most 25% per 60 s.
   */
  public static standard(): ScalingBehavior {
    return new ScalingBehavior('standard', {
      scaleUp: {
        stabilizationWindow: Duration.seconds(60),
        policies: [
          { type: HpaScalingPolicyType.PERCENT, value: 100, period: Duration.seconds(60) },
          { type: HpaScalingPolicyType.PODS, value: 4, period: Duration.seconds(60) },
        ],
        selectPolicy: HpaSelectPolicy.MAX,
      },
      scaleDown: {
        stabilizationWindow: Duration.seconds(300),
        policies: [{ type: HpaScalingPolicyType.PERCENT, value: 25, period: Duration.seconds(60) }],
        selectPolicy: HpaSelectPolicy.MAX,
      },
    }, 2);
  }

  /** Your own rules; what you leave out takes the Kubernetes API defaults. */
  public static custom(options: CustomScalingBehaviorOptions): ScalingBehavior {
    const at = 'ScalingBehavior.custom';
    checkStruct(at, 'options', options, 'give { scaleUp?, scaleDown? }, e.g. { scaleDown: { stabilizationWindow: Duration.minutes(10) } }');
    for (const dir of ['scaleUp', 'scaleDown'] as const) {
      const rules = options[dir];
      if (rules !== undefined) checkRuleTypes(at, dir, rules);
    }
    // The API server's limits are checked by whoever uses the behavior (`_validate`), so that an error names its
    // construct, planner or config file; here only the kinds of values, so that those checks never meet a wrong type.
    return new ScalingBehavior('custom', options, 2);
  }

  /**
   * What an HPA without `spec.behavior` does (the controller's legacy path), in words. @internal
   */
  public static _describeWithout(): string {
    return `the HPA controller's defaults (at most max(${LEGACY_SCALE_UP_FACTOR} x current, ${LEGACY_SCALE_UP_MINIMUM}) replicas `
      + `per sync up; down to the highest recommendation of the last ${CONTROLLER_DOWNSCALE_WINDOW_SECONDS} s)`;
  }

  /** The preset name (`real-time`, `standard`) or `custom`. */
  public readonly name: string;
  /** The fewest replicas this behavior is meant to run with. */
  public readonly recommendedMinReplicas: number;
  /**
   * The scale-up rules as given; `HpaAlgorithm.effectiveBehavior` fills in what is left out.
   * @default - the API defaults
   */
  public readonly scaleUp?: HpaScalingRules;
  /**
   * The scale-down rules as given; `HpaAlgorithm.effectiveBehavior` fills in what is left out.
   * @default - the API defaults
   */
  public readonly scaleDown?: HpaScalingRules;

  private constructor(name: string, rules: CustomScalingBehaviorOptions, recommendedMinReplicas: number) {
    this.name = name;
    this.recommendedMinReplicas = recommendedMinReplicas;
    // Copies, so that changing the arrays given later does not change the behavior.
    this.scaleUp = copyRules(rules.scaleUp);
    this.scaleDown = copyRules(rules.scaleDown);
  }

  /**
   * The behavior as the `autoscaling/v2` API spells it (`spec.behavior` of an HPA, and of the HPA a KEDA
   * ScaledObject manages): durations in whole seconds, and only the fields that are set. A disabled direction with
   * no policies is written without `policies`, the one form both the API server and KEDA accept.
   */
  public toJson(): any {
    const json: Record<string, unknown> = {};
    if (this.scaleUp) json.scaleUp = rulesJson(this.scaleUp);
    if (this.scaleDown) json.scaleDown = rulesJson(this.scaleDown);
    return json;
  }

  /** What the behavior allows, in words. */
  public describe(): string {
    const up = this.scaleUp ? describeRules(this.scaleUp, 'up') : `up: Kubernetes defaults (${describeDefaults(DEFAULT_SCALE_UP)})`;
    const down = this.scaleDown ? describeRules(this.scaleDown, 'down') : `down: Kubernetes defaults (${describeDefaults(DEFAULT_SCALE_DOWN)})`;
    return `${this.name}: ${up}; ${down}`;
  }

  /**
   * Checks the rules against the API server's limits; throws naming `owner` (a construct, a planner or a file) and
   * the prop (`prop.scaleUp.policies[0].period`). @internal
   */
  public _validate(owner: IConstruct | string, prop: string): void {
    for (const [dir, rules] of [['scaleUp', this.scaleUp], ['scaleDown', this.scaleDown]] as const) {
      if (rules) validateRules(owner, `${prop}.${dir}`, rules);
    }
  }

  /** The behavior with every field the API server (and, for the scale-down window, the controller) fills in. @internal */
  public _effective(): ScalingBehavior {
    return new ScalingBehavior(this.name, {
      scaleUp: filledRules(this.scaleUp, DEFAULT_SCALE_UP),
      scaleDown: filledRules(this.scaleDown, DEFAULT_SCALE_DOWN),
    }, this.recommendedMinReplicas);
  }

  /**
   * The tolerances (scale-up, scale-down) the controller uses with this behavior: each direction's own, else
   * `controllerTolerance` (computeReplicasForMetric, kubernetes/kubernetes v1.33 horizontal.go). @internal
   */
  public _tolerances(controllerTolerance: number): { up: number; down: number } {
    return { up: this.scaleUp?.tolerance ?? controllerTolerance, down: this.scaleDown?.tolerance ?? controllerTolerance };
  }

  /** The effective rules in the HPA core's terms (seconds), for rules that `_validate` accepted. @internal */
  public _coreRules(): { scaleUp: CoreRules; scaleDown: CoreRules } {
    return { scaleUp: coreRules(this.scaleUp, DEFAULT_SCALE_UP), scaleDown: coreRules(this.scaleDown, DEFAULT_SCALE_DOWN) };
  }
}

/** The most a behavior's tolerance may be here (the API server only asks for a non-negative quantity). */
export const MAX_BEHAVIOR_TOLERANCE = 1000;

/**
 * The one validator of a direction's rules: the API server's limits (validation.go validateScalingRules; the
 * tolerance, kubernetes/kubernetes v1.33 pkg/apis/autoscaling/validation/validation.go: a non-negative quantity).
 * A construct (an owner that is not a string) writes Kubernetes 1.28 objects, which have no tolerance field.
 */
function validateRules(owner: IConstruct | string, at: string, rules: HpaScalingRules): void {
  if (rules.tolerance !== undefined) {
    checkNumber(owner, `${at}.tolerance`, rules.tolerance, { min: 0, max: MAX_BEHAVIOR_TOLERANCE }, BEHAVIOR_FIXES.tolerance);
    if (typeof owner !== 'string') {
      invalidProp(owner, `${at}.tolerance`, rules.tolerance, 'cannot be written: the autoscaling/v2 HPA of Kubernetes 1.28 has no tolerance field',
        BEHAVIOR_FIXES.toleranceInConstruct);
    }
  }
  if (rules.stabilizationWindow !== undefined) requireWindow(owner, `${at}.stabilizationWindow`, rules.stabilizationWindow);
  const select = rules.selectPolicy;
  if (select !== undefined && !SELECT_POLICIES.includes(select)) {
    invalidProp(owner, `${at}.selectPolicy`, select, `must be one of ${SELECT_POLICIES.join(', ')}`, BEHAVIOR_FIXES.selectPolicy);
  }
  const policies = rules.policies;
  if (policies === undefined) return;
  if (policies.length === 0 && select !== HpaSelectPolicy.DISABLED) {
    invalidProp(owner, `${at}.policies`, [], 'is empty while selectPolicy is not Disabled', BEHAVIOR_FIXES.policies);
  }
  policies.forEach((p, i) => {
    if (!POLICY_TYPES.includes(p.type)) {
      invalidProp(owner, `${at}.policies[${i}].type`, p.type, `must be one of ${POLICY_TYPES.join(', ')}`, BEHAVIOR_FIXES.type);
    }
    // An int32 field of the API.
    requireInteger(owner, `${at}.policies[${i}].value`, p.value, 1, INT32_MAX, BEHAVIOR_FIXES.value);
    requirePeriod(owner, `${at}.policies[${i}].period`, p.period);
  });
}

/**
 * The shape of one direction's rules (objects and lists where they belong), so that `_validate`, which checks the values
 * against the API server's limits, never meets a missing struct.
 */
function checkRuleTypes(at: string, dir: string, rules: HpaScalingRules): void {
  checkStruct(at, dir, rules, 'give { stabilizationWindow?, policies?, selectPolicy? }, or leave it out for the Kubernetes defaults');
  if (rules.policies === undefined) return;
  checkList<HpaScalingPolicy>(at, `${dir}.policies`, rules.policies, {}, BEHAVIOR_FIXES.policies).forEach((p, i) =>
    checkStruct(at, `${dir}.policies[${i}]`, p, 'give { type, value, period }, e.g. { type: HpaScalingPolicyType.PODS, value: 4, period: Duration.seconds(60) }'));
}

function copyRules(rules: HpaScalingRules | undefined): HpaScalingRules | undefined {
  if (rules === undefined) return undefined;
  const copy: { -readonly [K in keyof HpaScalingRules]: HpaScalingRules[K] } = {};
  if (rules.stabilizationWindow !== undefined) copy.stabilizationWindow = rules.stabilizationWindow;
  if (rules.policies !== undefined) copy.policies = rules.policies.map(p => ({ type: p.type, value: p.value, period: p.period }));
  if (rules.selectPolicy !== undefined) copy.selectPolicy = rules.selectPolicy;
  if (rules.tolerance !== undefined) copy.tolerance = rules.tolerance;
  return copy;
}

/** copyHPAScalingRules: each field as given, else the default's. */
function filledRules(rules: HpaScalingRules | undefined, defaults: CoreRules): HpaScalingRules {
  return {
    stabilizationWindow: rules?.stabilizationWindow ?? Duration.seconds(defaults.stabilizationWindowSeconds),
    policies: rules?.policies ?? defaults.policies.map(p => ({
      type: p.type as HpaScalingPolicyType, value: p.value, period: Duration.seconds(p.periodSeconds),
    })),
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy as HpaSelectPolicy,
    // No API default: left out, the controller's flag applies.
    ...(rules?.tolerance !== undefined ? { tolerance: rules.tolerance } : {}),
  };
}

function coreRules(rules: HpaScalingRules | undefined, defaults: CoreRules): CoreRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindow === undefined ? defaults.stabilizationWindowSeconds : secondsOf(rules.stabilizationWindow),
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies === undefined ? defaults.policies
      : rules.policies.map((p): CorePolicy => ({ type: p.type, value: p.value, periodSeconds: secondsOf(p.period) })),
  };
}

function rulesJson(rules: HpaScalingRules): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (rules.stabilizationWindow !== undefined) json.stabilizationWindowSeconds = secondsOf(rules.stabilizationWindow);
  if (rules.selectPolicy !== undefined) json.selectPolicy = rules.selectPolicy;
  // kubernetes/kubernetes v1.28.0 pkg/apis/autoscaling/v2/defaults.go copyHPAScalingRules() keeps an explicit `[]` and
  // pkg/apis/autoscaling/validation/validation.go validateScalingRules() then refuses it ("must specify at least one
  // Policy"), Disabled or not; left out, defaulting fills the list and a Disabled direction ignores it.
  const disabledWithoutPolicies = rules.selectPolicy === HpaSelectPolicy.DISABLED && rules.policies !== undefined && rules.policies.length === 0;
  if (rules.policies !== undefined && !disabledWithoutPolicies) {
    json.policies = rules.policies.map(p => ({ type: p.type, value: p.value, periodSeconds: secondsOf(p.period) }));
  }
  return json;
}

function describeRules(rules: HpaScalingRules, dir: 'up' | 'down'): string {
  if (rules.selectPolicy === HpaSelectPolicy.DISABLED) return `${dir}: never`;
  const defaults = dir === 'up' ? DEFAULT_SCALE_UP : DEFAULT_SCALE_DOWN;
  const window = rules.stabilizationWindow === undefined ? defaults.stabilizationWindowSeconds : secondsOf(rules.stabilizationWindow);
  const sign = dir === 'up' ? '+' : '-';
  const limits = (rules.policies ?? []).map(p => p.type === HpaScalingPolicyType.PERCENT
    ? `${sign}${p.value}% per ${secondsOf(p.period)} s`
    : `${sign}${p.value} pods per ${secondsOf(p.period)} s`);
  const pick = (rules.selectPolicy ?? HpaSelectPolicy.MAX) === HpaSelectPolicy.MAX ? 'the larger' : 'the smaller';
  const policyText = limits.length === 0 ? 'Kubernetes default policies'
    : limits.length === 1 ? limits[0] : `${limits.join(' or ')} (${pick})`;
  const tolerance = rules.tolerance === undefined ? '' : `, tolerance ${rules.tolerance}`;
  return `${dir}: after a ${window} s stabilization window, ${policyText}${tolerance}`;
}

/** The API defaults of a direction in words: "100% or 4 pods per 15 s", "300 s window, 100% per 15 s". */
function describeDefaults(rules: CoreRules): string {
  const window = rules.stabilizationWindowSeconds > 0 ? `${rules.stabilizationWindowSeconds} s window, ` : '';
  const percentFirst = [...rules.policies].sort((a, b) => (a.type === 'Percent' ? 0 : 1) - (b.type === 'Percent' ? 0 : 1));
  const amount = (p: CorePolicy) => (p.type === 'Percent' ? `${p.value}%` : `${p.value} pods`);
  const periods = new Set(rules.policies.map(p => p.periodSeconds));
  const limits = periods.size === 1
    ? `${percentFirst.map(amount).join(' or ')} per ${rules.policies[0].periodSeconds} s`
    : percentFirst.map(p => `${amount(p)} per ${p.periodSeconds} s`).join(' or ');
  return `${window}${limits}`;
}
