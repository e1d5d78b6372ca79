import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp, requireInteger } from '../common/errors';

/** How an HPA picks among several policies of one direction. */
export enum SelectPolicy {
  /** The policy that allows the largest change. */
  MAX = 'Max',
  /** The policy that allows the smallest change. */
  MIN = 'Min',
  /** No scaling in this direction at all. */
  DISABLED = 'Disabled',
}

/** The unit of an HPA scaling policy. */
export enum ScalingPolicyType {
  /** A number of pods per period. */
  PODS = 'Pods',
  /** A percentage of the replicas at the start of the period. */
  PERCENT = 'Percent',
}

/** One HPA scaling policy: at most `value` pods (or percent) per `period`. */
export interface ScalingPolicy {
  /** Pods or Percent. */
  readonly type: ScalingPolicyType;
  /** Pods, or percent of the replicas at the start of the period; a whole number above zero. */
  readonly value: number;
  /** The window over which the change is limited: 1 s to 1800 s. */
  readonly period: Duration;
}

/** The scaling rules of one direction. */
export interface ScalingRules {
  /**
   * How long recommendations are remembered before acting: scale-up uses the lowest, scale-down the
   * highest recommendation in the window. 0 to 3600 s.
   * @default - 0 s for scale-up, 300 s for scale-down (the controller's defaults)
   */
  readonly stabilizationWindow?: Duration;
  /**
   * The policies; at least one unless `selectPolicy` is DISABLED.
   * @default - the API defaults: up 100% or 4 pods per 15 s; down 100% per 15 s
   */
  readonly policies?: ScalingPolicy[];
  /**
   * Which policy wins.
   * @default SelectPolicy.MAX
   */
  readonly selectPolicy?: SelectPolicy;
}

/** Options for a fully custom behavior. */
export interface CustomScalingBehaviorOptions {
  /**
   * Scale-up rules.
   * @default - the API defaults (no window; 100% or 4 pods per 15 s, the larger)
   */
  readonly scaleUp?: ScalingRules;
  /**
   * Scale-down rules.
   * @default - the API defaults (300 s window; 100% per 15 s)
   */
  readonly scaleDown?: ScalingRules;
}

/** The `autoscaling/v2` HPA scaling policy, as the API spells it. */
export interface HpaScalingPolicySpec {
  /** `Pods` or `Percent`. */
  readonly type: string;
  /** Pods or percent. */
  readonly value: number;
  /** Period, in seconds. */
  readonly periodSeconds: number;
}

/** The `autoscaling/v2` HPA scaling rules of one direction, as the API spells them. */
export interface HpaScalingRulesSpec {
  /**
   * Stabilization window, in seconds.
   * @default - the controller's default for the direction
   */
  readonly stabilizationWindowSeconds?: number;
  /**
   * `Max`, `Min` or `Disabled`.
   * @default - Max
   */
  readonly selectPolicy?: string;
  /**
   * Policies.
   * @default - the API defaults for the direction
   */
  readonly policies?: HpaScalingPolicySpec[];
}

/** The `autoscaling/v2` HPA `spec.behavior`, as the API spells it. */
export interface HpaBehaviorSpec {
  /**
   * Scale-up rules.
   * @default - API defaults
   */
  readonly scaleUp?: HpaScalingRulesSpec;
  /**
   * Scale-down rules.
   * @default - API defaults
   */
  readonly scaleDown?: HpaScalingRulesSpec;
}

const MAX_WINDOW_SECONDS = 3600;
const MAX_PERIOD_SECONDS = 1800;

/**
 * How fast an HPA may add and remove replicas (`spec.behavior`).
 *
 * Model servers take minutes to start, so capacity must be added ahead of a burst and removed slowly
 * after it: `realTime()` for latency-critical APIs, `standard()` for the rest, or `custom()`.
 * A Percent policy limits the replicas at the end of a period to ceil(start x (1 + value/100)) when
 * scaling up, so 100% doubles and 200% triples.
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
          { type: ScalingPolicyType.PERCENT, value: 100, period: Duration.seconds(30) },
          { type: ScalingPolicyType.PODS, value: 10, period: Duration.seconds(30) },
        ],
        selectPolicy: SelectPolicy.MAX,
      },
      scaleDown: {
        stabilizationWindow: Duration.seconds(600),
        policies: [
          { type: ScalingPolicyType.PERCENT, value: 10, period: Duration.seconds(60) },
          { type: ScalingPolicyType.PODS, value: 2, period: Duration.seconds(60) },
        ],
        selectPolicy: SelectPolicy.MIN,
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
          { type: ScalingPolicyType.PERCENT, value: 100, period: Duration.seconds(60) },
          { type: ScalingPolicyType.PODS, value: 4, period: Duration.seconds(60) },
        ],
        selectPolicy: SelectPolicy.MAX,
      },
      scaleDown: {
        stabilizationWindow: Duration.seconds(300),
        policies: [{ type: ScalingPolicyType.PERCENT, value: 25, period: Duration.seconds(60) }],
        selectPolicy: SelectPolicy.MAX,
      },
    }, 2);
  }

  /** Your own rules; what you leave out takes the Kubernetes API defaults. */
  public static custom(options: CustomScalingBehaviorOptions): ScalingBehavior {
    return new ScalingBehavior('custom', options, 2);
  }

  private constructor(
    /** The preset name (`real-time`, `standard`) or `custom`. */
    public readonly name: string,
    private readonly rules: CustomScalingBehaviorOptions,
    /** The fewest replicas this behavior is meant to run with. */
    public readonly recommendedMinReplicas: number,
  ) {}

  /** The behavior as the `autoscaling/v2` API spells it. */
  public toSpec(): HpaBehaviorSpec {
    return {
      scaleUp: this.rules.scaleUp ? rulesSpec(this.rules.scaleUp) : undefined,
      scaleDown: this.rules.scaleDown ? rulesSpec(this.rules.scaleDown) : undefined,
    };
  }

  /** What the behavior allows, in words. */
  public describe(): string {
    const up = this.rules.scaleUp ? describeRules(this.rules.scaleUp, 'up') : 'up: Kubernetes defaults (100% or 4 pods per 15 s)';
    const down = this.rules.scaleDown ? describeRules(this.rules.scaleDown, 'down') : 'down: Kubernetes defaults (300 s window, 100% per 15 s)';
    return `${this.name}: ${up}; ${down}`;
  }

  /** Checks the rules against the API server's limits; throws naming the construct and the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    for (const [dir, rules] of [['scaleUp', this.rules.scaleUp], ['scaleDown', this.rules.scaleDown]] as const) {
      if (!rules) continue;
      const at = `${prop}.${dir}`;
      if (rules.stabilizationWindow) {
        const s = rules.stabilizationWindow.toSeconds();
        requireInteger(scope, `${at}.stabilizationWindow`, s, 0, MAX_WINDOW_SECONDS,
          `the API server accepts 0 to ${MAX_WINDOW_SECONDS} s (whole seconds): shorten the window`);
      }
      const policies = rules.policies ?? [];
      if (rules.policies && policies.length === 0 && rules.selectPolicy !== SelectPolicy.DISABLED) {
        invalidProp(scope, `${at}.policies`, [], 'is empty',
          'give at least one policy, leave policies out for the API defaults, or set selectPolicy to DISABLED');
      }
      policies.forEach((p, i) => {
        requireInteger(scope, `${at}.policies[${i}].value`, p.value, 1, Number.MAX_SAFE_INTEGER,
          'a policy allows a whole number of pods or percent above zero; to stop scaling this way set selectPolicy to DISABLED');
        requireInteger(scope, `${at}.policies[${i}].period`, p.period.toSeconds(), 1, MAX_PERIOD_SECONDS,
          `the API server accepts periods of 1 to ${MAX_PERIOD_SECONDS} s (whole seconds)`);
      });
    }
  }
}

function rulesSpec(rules: ScalingRules): HpaScalingRulesSpec {
  return {
    stabilizationWindowSeconds: rules.stabilizationWindow?.toSeconds(),
    selectPolicy: rules.selectPolicy,
    policies: rules.policies?.map(p => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
  };
}

function describeRules(rules: ScalingRules, dir: 'up' | 'down'): string {
  if (rules.selectPolicy === SelectPolicy.DISABLED) return `${dir}: never`;
  const window = rules.stabilizationWindow?.toSeconds() ?? (dir === 'up' ? 0 : 300);
  const sign = dir === 'up' ? '+' : '-';
  const limits = (rules.policies ?? []).map(p => p.type === ScalingPolicyType.PERCENT
    ? `${sign}${p.value}% per ${p.period.toSeconds()} s`
    : `${sign}${p.value} pods per ${p.period.toSeconds()} s`);
  const pick = (rules.selectPolicy ?? SelectPolicy.MAX) === SelectPolicy.MAX ? 'the larger' : 'the smaller';
  const policyText = limits.length === 0 ? 'Kubernetes default policies'
    : limits.length === 1 ? limits[0] : `${limits.join(' or ')} (${pick})`;
  return `${dir}: after a ${window} s stabilization window, ${policyText}`;
}
