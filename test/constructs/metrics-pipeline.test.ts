import { Chart, Duration, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { GpuRequest, InferenceAutoscaler, PrometheusAdapterConfig, ScalingMetric } from '../../src';
import { expectConformant } from '../conformance';
import { promqlErrors } from '../conformance/promql';
import { allOfKind } from '../util';

// prometheus-adapter's config and PromQL are free-form strings to the API server: no schema checks them.

const everyMetric = () => [
  ScalingMetric.requestsPerSecond(10),
  ScalingMetric.vllmWaitingRequests(5),
  ScalingMetric.vllmRunningRequests(8),
  ScalingMetric.vllmKvCacheUsage(80),
  ScalingMetric.gpuUtilization(70),
  ScalingMetric.responseTimeP95(Duration.millis(250)),
  ScalingMetric.cpuUtilization(70),
  ScalingMetric.external('aws_sqs_approximate_number_of_messages_visible_average', 10, { matchLabels: { queue_name: 'jobs' } }),
];

function synthEverything(namespace?: string) {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace });
  const adapter = new PrometheusAdapterConfig(chart, 'adapter');
  new InferenceAutoscaler(chart, 'svc', {
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
    maxReplicas: 10,
    metrics: everyMetric(),
  });
  return { adapter, manifests: expectConformant(chart) };
}

describe.each([['with a namespace', 'serving'], ['without a namespace', undefined]])('metrics pipeline %s', (_, namespace) => {
  test('every recording and alert expression is valid PromQL', () => {
    const { manifests } = synthEverything(namespace);
    const rules = allOfKind(manifests, 'PrometheusRule').flatMap(r => r.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect({ rule: rule.record ?? rule.alert, errors: promqlErrors(rule.expr) }).toEqual({ rule: rule.record ?? rule.alert, errors: [] });
    }
  });

  test('recording rule names and alert labels are valid Prometheus names', () => {
    const { manifests } = synthEverything(namespace);
    const rules = allOfKind(manifests, 'PrometheusRule').flatMap(r => r.spec.groups.flatMap((g: any) => g.rules));
    for (const rule of rules) {
      if (rule.record) expect(rule.record).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      if (rule.alert) expect(rule.alert).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      for (const key of Object.keys(rule.labels ?? {})) expect(key).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });
});

describe('prometheus-adapter config', () => {
  // The fields of prometheus-adapter's DiscoveryRule (pkg/config/config.go).
  const RULE_KEYS = ['seriesQuery', 'seriesFilters', 'resources', 'name', 'metricsQuery'];
  const TEMPLATE_FIELDS = ['.Series', '.LabelMatchers', '.GroupBy'];

  test('uses only the keys prometheus-adapter reads, with valid queries and templates', () => {
    const { adapter } = synthEverything('serving');
    const doc = parseYaml(adapter.renderConfig());
    expect(Object.keys(doc).sort()).toEqual(['externalRules', 'rules']);
    expect(doc.rules).toHaveLength(6);
    for (const rule of [...doc.rules, ...doc.externalRules]) {
      expect(Object.keys(rule).every(k => RULE_KEYS.includes(k))).toBe(true);
      expect(promqlErrors(rule.seriesQuery)).toEqual([]);
      const templates = [...rule.metricsQuery.matchAll(/<<(.*?)>>/g)].map((m: RegExpMatchArray) => m[1]);
      expect(templates.length).toBeGreaterThan(0);
      expect(templates.every(t => TEMPLATE_FIELDS.includes(t))).toBe(true);
      // The query must be PromQL once the adapter has filled in its templates.
      const filled = rule.metricsQuery.replace('<<.Series>>', 'm').replace('<<.LabelMatchers>>', 'namespace="a",pod=~"p1|p2"').replace('<<.GroupBy>>', 'pod');
      expect(promqlErrors(filled)).toEqual([]);
      expect(new RegExp(rule.name.matches).test(rule.seriesQuery.split('{')[0])).toBe(true);
      expect(rule.name.as).toMatch(/^[a-z_][a-z0-9_]*$/);
    }
    for (const rule of doc.rules) {
      // A Pods metric needs the series' namespace and pod labels mapped to those resources.
      expect(rule.resources).toEqual({ overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } });
      expect(rule.seriesQuery).toContain('namespace!="",pod!=""');
    }
    expect(doc.externalRules[0].resources).toEqual({ namespaced: false });
  });

  test('each HPA metric name is served by exactly one adapter rule', () => {
    const { adapter, manifests } = synthEverything('serving');
    const doc = parseYaml(adapter.renderConfig());
    const served = [...doc.rules, ...doc.externalRules].map((r: any) => r.name.as);
    expect(new Set(served).size).toBe(served.length);
    const hpa = allOfKind(manifests, 'HorizontalPodAutoscaler')[0];
    for (const m of hpa.spec.metrics) {
      if (m.type === 'Pods') expect(served).toContain(m.pods.metric.name);
      if (m.type === 'External') expect(served).toContain(m.external.metric.name);
    }
  });
});

describe('PrometheusAdapterConfig validation', () => {
  test('fails when the app already has a configuration, which prometheus-adapter reads once for the whole cluster', () => {
    const app = Testing.app();
    new PrometheusAdapterConfig(new Chart(app, 'a'), 'adapter');
    expect(() => new PrometheusAdapterConfig(new Chart(app, 'b'), 'adapter')).toThrow(new Error(
      "[b/adapter] 'scope' (\"(the app)\") already holds a PrometheusAdapterConfig (a/adapter), and prometheus-adapter reads one configuration " +
      "for the whole cluster: create it once, before any InferenceAutoscaler, and pass it as 'adapterConfig'"));
  });

  test('fails when the namespace is not a DNS-1123 label', () => {
    expect(() => new PrometheusAdapterConfig(new Chart(Testing.app(), 'a'), 'adapter', { namespace: 'Monitoring' })).toThrow(
      "[a/adapter] 'namespace' (\"Monitoring\") is not a DNS-1123 label");
  });

  test('fails when the props are not an object, as a JSON caller may pass them', () => {
    expect(() => new PrometheusAdapterConfig(new Chart(Testing.app(), 'a'), 'adapter', 'monitoring' as any)).toThrow(new Error(
      "[a/adapter] 'props' (\"monitoring\") must be an object of named fields, not a string: give { namespace, configMapName }, or leave the props out for the defaults"));
  });

  test('fails when a metric is not a ScalingMetric', () => {
    const adapter = new PrometheusAdapterConfig(new Chart(Testing.app(), 'a'), 'adapter');
    expect(() => adapter.addMetric('requests_per_second' as any)).toThrow(new Error(
      "[a/adapter] 'metric' (\"requests_per_second\") must be a ScalingMetric (made by its static methods), not a string: " +
      'give a ScalingMetric, e.g. ScalingMetric.requestsPerSecond(10)'));
  });
});
