import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp, requireInteger } from '../common/errors';
import {
  checkNumber, checkOptionalBoolean, checkOptionalDuration, checkOptionalNumber, checkOptionalWhole, checkStruct, checkText, checkThousandths,
} from '../common/validate';

/** A scaling rule over several named triggers (KEDA scaling modifiers). */
export interface CompositeMetric {
  /**
   * An expression over the triggers' names (`ScalingMetric.triggerName`), e.g.
   * `queue_length / 5 + gpu_utilization / 70`. KEDA evaluates it with expr-lang.
   */
  readonly formula: string;
  /** The value of the formula one replica should handle (AverageValue), from 0.001 to 1,000,000,000 in thousandths. */
  readonly target: number;
  /**
   * The formula's value above which a scaled-to-zero service wakes up.
   * @default 0
   */
  readonly activationTarget?: number;
}

/** Options of the KEDA engine. */
export interface KedaEngineOptions {
  /**
   * Address of the Prometheus server KEDA queries for the custom metrics.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusServerAddress?: string;
  /**
   * How often KEDA polls each trigger; whole seconds from 1 s to 1 hour.
   * @default Duration.seconds(15)
   */
  readonly pollingInterval?: Duration;
  /**
   * Keep serving when a trigger's source fails: after `fallbackFailureThreshold` failed polls KEDA
   * reports `fallbackReplicas` (or the current replicas, if higher) instead of the metric. KEDA cannot
   * apply a fallback to CPU or memory triggers, so a service scaled on them gets none.
   * @default true (false when a CPU or memory metric is used)
   */
  readonly fallback?: boolean;
  /**
   * Replicas while the fallback is active (1 to 10,000); the current replicas win when higher
   * (`behavior: currentReplicasIfHigher`), so a broken metric never scales a busy service down.
   * @default - the autoscaler's minReplicas
   */
  readonly fallbackReplicas?: number;
  /**
   * Failed polls in a row before the fallback applies (1 to 1,000).
   * @default 3
   */
  readonly fallbackFailureThreshold?: number;
  /**
   * Scale to zero replicas while no trigger is active (`idleReplicaCount: 0`). A woken service starts at
   * `minReplicas`, so it keeps its redundancy while active. A GPU model server takes minutes to start
   * from zero: the first requests after an idle period wait that long. Needs at least one trigger that
   * is not CPU or memory (those cannot wake a service that has no pods).
   * @default false
   */
  readonly scaleToZero?: boolean;
  /**
   * With `scaleToZero`: how long after the last active trigger the service goes to zero; whole seconds, at most a day.
   * @default Duration.minutes(5)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Scale on one formula over the triggers instead of the largest of them (KEDA scaling modifiers).
   * @default - the HPA's rule: the largest recommendation of all triggers
   */
  readonly compositeMetric?: CompositeMetric;
}

/**
 * Which autoscaler an InferenceAutoscaler uses: a plain HPA fed by prometheus-adapter, or KEDA, which
 * queries Prometheus (and queues, schedules and cloud services) itself and manages the HPA for you.
 *
 * A cluster has one external-metrics provider: use KEDA's where KEDA is installed, the adapter's
 * elsewhere. Either way a target gets exactly one horizontal autoscaler.
 *
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/
 */
export class ScalingEngine {
  /** An `autoscaling/v2` HorizontalPodAutoscaler with prometheus-adapter serving the custom metrics. */
  public static hpa(): ScalingEngine {
    return new ScalingEngine('hpa', {});
  }

  /** A KEDA `ScaledObject`: queue, schedule and Prometheus triggers, fallback, optional scale to zero. */
  public static keda(options: KedaEngineOptions = {}): ScalingEngine {
    checkKedaOptions(options);
    return new ScalingEngine('keda', { ...options });
  }

  private constructor(
    /** `hpa` or `keda`. */
    public readonly name: string,
    /** The KEDA options (empty for the HPA engine). @internal */
    public readonly _options: KedaEngineOptions,
  ) {}

  /** Whether this is the KEDA engine. */
  public get isKeda(): boolean {
    return this.name === 'keda';
  }

  /** Checks the options; throws naming the construct and the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    const o = this._options;
    const seconds = (d: Duration | undefined) => d?.toSeconds();
    if (o.pollingInterval) {
      requireInteger(scope, `${prop}.pollingInterval`, seconds(o.pollingInterval)!, 1, 3600, 'poll every 1 s to 3600 s (whole seconds)');
    }
    if (o.cooldownPeriod) {
      requireInteger(scope, `${prop}.cooldownPeriod`, seconds(o.cooldownPeriod)!, 0, 86400, 'give whole seconds, at most a day');
      if (!o.scaleToZero) {
        invalidProp(scope, `${prop}.cooldownPeriod`, `${seconds(o.cooldownPeriod)}s`, 'only applies with scaleToZero',
          'KEDA uses it only to go to zero replicas: set scaleToZero: true, or remove cooldownPeriod (scale-down pace comes from the behavior)');
      }
    }
    if (o.fallbackFailureThreshold !== undefined) {
      requireInteger(scope, `${prop}.fallbackFailureThreshold`, o.fallbackFailureThreshold, 1, 1000, 'give the failed polls in a row before the fallback applies');
    }
    if (o.fallbackReplicas !== undefined) {
      requireInteger(scope, `${prop}.fallbackReplicas`, o.fallbackReplicas, 1, 10_000, 'give the replicas to run while the metrics are unavailable');
    }
    if (o.prometheusServerAddress !== undefined && !/^https?:\/\/[^\s/]+/.test(o.prometheusServerAddress)) {
      invalidProp(scope, `${prop}.prometheusServerAddress`, o.prometheusServerAddress, 'is not an http(s) URL',
        'give the Prometheus URL KEDA can reach, e.g. http://prometheus-operated.monitoring.svc:9090');
    }
    const c = o.compositeMetric;
    if (c) {
      if (!c.formula.trim()) invalidProp(scope, `${prop}.compositeMetric.formula`, c.formula, 'is empty', 'write a formula over the triggers\' names');
      if (!(c.target > 0)) invalidProp(scope, `${prop}.compositeMetric.target`, c.target, 'must be a number above zero', 'give the formula value one replica should handle');
      if (c.activationTarget !== undefined && !(c.activationTarget >= 0)) {
        invalidProp(scope, `${prop}.compositeMetric.activationTarget`, c.activationTarget, 'must be zero or more', 'give the value above which the service wakes up');
      }
    }
  }
}

const KEDA = 'ScalingEngine.keda';

/** The options on their own; what depends on the autoscaler (its metrics, maxReplicas) is checked by `_validate`. */
function checkKedaOptions(o: KedaEngineOptions): void {
  checkStruct(KEDA, 'options', o, 'give the options as an object of named fields, or leave them out', true);
  if (o.prometheusServerAddress !== undefined) {
    const fix = 'give the Prometheus URL KEDA can reach, e.g. http://prometheus-operated.monitoring.svc:9090';
    const url = checkText(KEDA, 'prometheusServerAddress', o.prometheusServerAddress, fix, 2048);
    if (!/^https?:\/\/([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(\/\S*)?$/.test(url)) {
      invalidProp(KEDA, 'prometheusServerAddress', url, 'is not an http(s) URL', fix);
    }
  }
  checkOptionalDuration(KEDA, 'pollingInterval', o.pollingInterval, { min: Duration.seconds(1), max: Duration.hours(1), wholeSeconds: true },
    'poll every 1 s to 3600 s (whole seconds)');
  checkOptionalDuration(KEDA, 'cooldownPeriod', o.cooldownPeriod, { max: Duration.days(1), wholeSeconds: true }, 'give whole seconds, at most a day');
  checkOptionalBoolean(KEDA, 'fallback', o.fallback);
  checkOptionalBoolean(KEDA, 'scaleToZero', o.scaleToZero);
  checkOptionalWhole(KEDA, 'fallbackReplicas', o.fallbackReplicas, { min: 1, max: 10_000 }, 'give the replicas to run while the metrics are unavailable');
  checkOptionalWhole(KEDA, 'fallbackFailureThreshold', o.fallbackFailureThreshold, { min: 1, max: 1000 },
    'give the failed polls in a row before the fallback applies');
  const c = o.compositeMetric;
  if (c === undefined) return;
  checkStruct(KEDA, 'compositeMetric', c, 'give { formula, target }, e.g. { formula: \'queue_length / 5 + gpu_utilization / 70\', target: 1 }');
  checkText(KEDA, 'compositeMetric.formula', c.formula, 'write a formula over the triggers\' names, e.g. "queue_length / 5"', 1024);
  const target = checkNumber(KEDA, 'compositeMetric.target', c.target, { min: 0.001, max: 1e9 },
    'give the formula value one replica should handle, from 0.001 to 1,000,000,000');
  checkThousandths(KEDA, 'compositeMetric.target', target, 'round the target to three decimals');
  const activation = checkOptionalNumber(KEDA, 'compositeMetric.activationTarget', c.activationTarget, { min: 0, max: 1e9 },
    'give the value above which the service wakes up, from 0 to 1,000,000,000');
  if (activation !== undefined) checkThousandths(KEDA, 'compositeMetric.activationTarget', activation, 'round it to three decimals');
}
