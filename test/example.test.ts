import { Testing } from 'cdk8s';
import { conformanceAvailability, expectConformant, validateManifests } from './conformance';
import { buildApp } from '../examples/inference';
import { ExporterCatalog, MetricsExporter } from '../src';

describe('the example app', () => {
  test('synthesizes conformant objects: schema, CEL and Pod Security', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => expectConformant(chart));
    expect(manifests.map(m => m.kind).sort()).toEqual(([
      'ConfigMap',
      'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass',
      'Deployment', 'Deployment', 'Deployment', 'Deployment',
      'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler',
      'Job',
      'NetworkPolicy', 'NetworkPolicy', 'RayCluster', 'RayJob',
      'NodePool', 'NodePool', 'NodePool', 'NodePool', 'NodePool', 'NodePool',
      'PriorityClass', 'PriorityClass', 'PriorityClass', 'ResourceQuota', 'ResourceQuota',
      'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget',
      'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule',
      'PrometheusRule', 'PrometheusRule',
      'ScaledJob', 'ScaledObject',
      'Service', 'Service', 'Service', 'Service',
      'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor',
      'TriggerAuthentication', 'TriggerAuthentication',
      'VerticalPodAutoscaler',
    ] as string[]).sort());
  });

  test('validates more than zero objects against the upstream schemas', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => Testing.synth(chart));
    const result = validateManifests(manifests);
    expect(result.errors).toEqual([]);
    if (conformanceAvailability().available) {
      expect(result.validated).toBe(manifests.length);
      expect(result.validated).toBeGreaterThan(0);
    }
  });
});

describe('the example app reads only series that its rules record or a pinned exporter exports', () => {
  const app = buildApp(Testing.app());
  const manifests = app.charts.flatMap(chart => Testing.synth(chart));
  const groups = manifests.filter(m => m.kind === 'PrometheusRule').flatMap(m => m.spec.groups);
  const recorded = new Set(groups.flatMap((g: any) => g.rules.filter((r: any) => r.record).map((r: any) => r.record)));
  /** The metric names of a PromQL expression's selectors (a name followed by `{` or `[`, not a function or a label). */
  const seriesOf = (expr: string) => [...expr.replace(/"[^"]*"/g, '""').matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map(m => m[1]);

  test('defect 1: the embeddings service (TEI cpu-1.8) scales on te_* series, not http_requests_total', () => {
    const rules = groups.find((g: any) => g.name === 'scaling.embeddings').rules;
    const expr = (record: string) => rules.find((r: any) => r.record === record).expr;
    expect(expr('scaling:request_rate')).toBe('sum by (namespace, pod, scaling_target) (rate(te_request_count{scaling_target="embeddings", namespace="ml-serving"}[2m]))');
    expect(expr('scaling:response_time_p95')).toBe('histogram_quantile(0.95, sum by (namespace, pod, scaling_target, le) '
      + '(rate(te_request_duration_bucket{scaling_target="embeddings", namespace="ml-serving"}[2m])))');
    const read = rules.filter((r: any) => r.record).flatMap((r: any) => seriesOf(r.expr));
    expect(read.filter((s: string) => !MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.exports(s) && !recorded.has(s))).toEqual([]);
  });

  test('every series a recording rule or alert reads is recorded in the app or exported by a pinned exporter', () => {
    const unknown = groups.flatMap((g: any) => g.rules
      .flatMap((r: any) => seriesOf(r.expr).filter(s => !recorded.has(s) && !ExporterCatalog.exporterOf(s) && s !== 'http_requests_total')
        .map(s => `${g.name}/${r.record ?? r.alert}: ${s}`)));
    // http_requests_total: the reranker is a generic server that names its own counter, which no catalog can pin.
    expect(unknown).toEqual([]);
  });
});
