import { ApiObject, Chart, Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import { requireDns1123Label } from '../common/names';
import { AdapterRule } from '../common/prometheus';
import { checkInstance, checkStruct } from '../common/validate';
import { ScalingMetric } from '../values/scaling-metric';

/** Properties of the app-wide prometheus-adapter configuration. */
export interface PrometheusAdapterConfigProps {
  /**
   * Namespace prometheus-adapter runs in; it reads its ConfigMap from there.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Name of the ConfigMap. Point the adapter at it (Helm chart value `rules.existing`).
   * @default 'prometheus-adapter-scaling-rules'
   */
  readonly configMapName?: string;
}

const registry = new WeakMap<IConstruct, PrometheusAdapterConfig>();

/**
 * The prometheus-adapter rules of the whole app, in one ConfigMap.
 *
 * prometheus-adapter reads one configuration file for the whole cluster, so the rules that every
 * autoscaler needs are merged here (each rule once) rather than emitted per service. Create one
 * explicitly to choose its namespace and name; otherwise the first autoscaler creates one in its chart.
 *
 * The ConfigMap holds `rules` (custom metrics) and `externalRules` only: resource metrics (CPU, memory)
 * come from metrics-server. A cluster has one external-metrics provider, so do not also install KEDA's
 * metrics server when this adapter serves external metrics.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/docs/config.md
 * @example
 * const adapter = new PrometheusAdapterConfig(chart, 'adapter', { namespace: 'monitoring' });
 */
export class PrometheusAdapterConfig extends Construct {
  /** The app's configuration: the one already created, or a new one in the chart of `scope`. */
  public static of(scope: IConstruct): PrometheusAdapterConfig {
    const root = scope.node.root;
    return registry.get(root) ?? new PrometheusAdapterConfig(Chart.of(scope), 'PrometheusAdapterConfig');
  }

  /** The ConfigMap that holds `config.yaml`. */
  public readonly configMap: ApiObject;

  private readonly rules = new Map<string, AdapterRule>();
  private readonly externalRules = new Map<string, AdapterRule>();

  public constructor(scope: Construct, id: string, props: PrometheusAdapterConfigProps = {}) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { namespace, configMapName }, or leave the props out for the defaults', true);
    props = props ?? {};
    const existing = registry.get(this.node.root);
    if (existing) {
      invalidProp(this, 'scope', this.node.root.node.path || '(the app)',
        `already holds a PrometheusAdapterConfig (${existing.node.path}), and prometheus-adapter reads one configuration for the whole cluster`,
        'create it once, before any InferenceAutoscaler, and pass it as \'adapterConfig\'');
    }
    requireDns1123Label(this, 'namespace', props.namespace);
    requireDns1123Label(this, 'configMapName', props.configMapName);
    registry.set(this.node.root, this);
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.configMapName ?? 'prometheus-adapter-scaling-rules', namespace: props.namespace ?? 'monitoring' },
      data: { 'config.yaml': Lazy.any({ produce: () => this.renderConfig() }) },
    });
  }

  /** Adds the rule that serves `metric` (a no-op for CPU/memory, and for a rule already present). */
  public addMetric(metric: ScalingMetric): void {
    checkInstance(this, 'metric', metric, ScalingMetric as any, 'give a ScalingMetric, e.g. ScalingMetric.requestsPerSecond(10)');
    const entry = metric._adapterRule();
    if (!entry) return;
    const map = entry.kind === 'rules' ? this.rules : this.externalRules;
    const key = entry.rule.name.as;
    const before = map.get(key);
    if (before && before !== entry.rule && !sameRule(before, entry.rule)) {
      invalidProp(this, 'metric', key, `would be served by two different prometheus-adapter ${entry.kind}`,
        'give the external metrics distinct names, or serve one of them with servedByPrometheusAdapter: false');
    }
    map.set(key, entry.rule);
  }

  /** The adapter's `config.yaml`: rules sorted by metric name, so the output is stable. */
  public renderConfig(): string {
    const sorted = (m: Map<string, AdapterRule>) => [...m.keys()].sort().map(k => m.get(k)!);
    const doc: Record<string, AdapterRule[]> = { rules: sorted(this.rules) };
    if (this.externalRules.size > 0) doc.externalRules = sorted(this.externalRules);
    return Yaml.stringify(doc);
  }
}

function sameRule(a: AdapterRule, b: AdapterRule): boolean {
  return a.seriesQuery === b.seriesQuery && a.metricsQuery === b.metricsQuery && a.name.matches === b.name.matches
    && JSON.stringify(a.resources) === JSON.stringify(b.resources);
}
