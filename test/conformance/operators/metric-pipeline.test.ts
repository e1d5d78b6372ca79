import { stringify } from 'yaml';
import { metricPipelineViolations } from './metric-pipeline';

const adapter = (rules: any[], externalRules: any[] = []) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adapter', namespace: 'monitoring' }, data: { 'config.yaml': stringify({ rules, externalRules }) },
});
const podsRule = (overrides: any = { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } }, seriesQuery = 'scaling:queue_length{namespace!="",pod!=""}') => ({
  seriesQuery, resources: { overrides }, name: { matches: '^scaling:queue_length$', as: 'scaling_queue_length' }, metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
});
const externalRule = (resources: any = { namespaced: false }) => ({
  seriesQuery: 'sqs_messages', resources, name: { matches: '^sqs_messages$', as: 'sqs_messages' }, metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>})',
});
const hpa = (metric: any) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, minReplicas: 2, maxReplicas: 5, metrics: [metric] },
});
const podsMetric = (name = 'scaling_queue_length') => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: '5' } } });
const externalMetric = { type: 'External', external: { metric: { name: 'sqs_messages' }, target: { type: 'AverageValue', averageValue: '20' } } };

describe('an HPA metric is served by an adapter rule of the right kind', () => {
  test('a Pods metric served by a rule that maps namespace and pod', () => {
    expect(metricPipelineViolations([adapter([podsRule()]), hpa(podsMetric())])).toEqual([]);
  });
  test('a Pods metric no rule serves', () => {
    expect(metricPipelineViolations([adapter([podsRule()]), hpa(podsMetric('scaling_request_rate'))]).join())
      .toContain('the Pods metric "scaling_request_rate" is served by no prometheus-adapter rules entry');
  });
  test('a Pods metric served only by an external rule', () => {
    const rule = { ...externalRule(), name: { matches: '^sqs_messages$', as: 'scaling_queue_length' } };
    expect(metricPipelineViolations([adapter([], [rule]), hpa(podsMetric())]).join()).toContain('which serves the external metrics API');
  });
  test('an External metric served only by a custom rule', () => {
    const rule = { ...podsRule(), name: { matches: '^scaling:queue_length$', as: 'sqs_messages' } };
    expect(metricPipelineViolations([adapter([rule]), hpa(externalMetric)]).join()).toContain('served by no prometheus-adapter externalRules entry');
  });
  test('a Pods rule that maps no pod label', () => {
    expect(metricPipelineViolations([adapter([podsRule({ namespace: { resource: 'namespace' } })]), hpa(podsMetric())]).join())
      .toContain('maps no label to the resource "pod"');
  });
  test('a Pods rule whose series query does not require the pod label', () => {
    expect(metricPipelineViolations([adapter([podsRule(undefined, 'scaling:queue_length{namespace!=""}')]), hpa(podsMetric())]).join())
      .toContain('does not require the label pod');
  });
  test('a namespaced external rule without a namespace label', () => {
    expect(metricPipelineViolations([adapter([], [externalRule({})]), hpa(externalMetric)]).join()).toContain('is namespaced (the default) and maps no label to namespaces');
    expect(metricPipelineViolations([adapter([], [externalRule()]), hpa(externalMetric)])).toEqual([]);
  });
  test('an Object metric needs the described object\'s resource', () => {
    const metric = { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'scaling_queue_length' }, target: { type: 'Value', value: '5' } } };
    expect(metricPipelineViolations([adapter([podsRule()]), hpa(metric)]).join()).toContain('maps no label to the resource "service"');
  });
});

const service = (labels: any, ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat', namespace: 'ml', labels }, spec: { ports } });
const serviceMonitor = (selector: any, port = 'http', labels?: any) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'chat', namespace: 'ml', ...(labels ? { labels } : {}) },
  spec: { selector, endpoints: [{ port, path: '/metrics' }] },
});
const deployment = (ports: any[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { selector: { matchLabels: { app: 'chat' } }, template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 's', image: 'x', ports }] } } },
});
const podMonitor = (port: string) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { selector: { matchLabels: { app: 'chat' } }, podMetricsEndpoints: [{ port }] },
});

describe('a monitor scrapes a port of what it selects', () => {
  test('a ServiceMonitor on a named port of its Service', () => {
    expect(metricPipelineViolations([service({ app: 'chat' }, [{ name: 'http', port: 80 }]), serviceMonitor({ matchLabels: { app: 'chat' } })])).toEqual([]);
  });
  test('a ServiceMonitor port the Service does not name', () => {
    expect(metricPipelineViolations([service({ app: 'chat' }, [{ name: 'web', port: 80 }]), serviceMonitor({ matchLabels: { app: 'chat' } })]).join())
      .toContain('"http" is not a port name of Service/chat (it has web)');
  });
  test('a ServiceMonitor that selects none of the app\'s Services', () => {
    expect(metricPipelineViolations([service({ app: 'chat' }, [{ name: 'http', port: 80 }]), serviceMonitor({ matchLabels: { app: 'chta' } })]).join())
      .toContain('selects none of the app\'s Services in its namespace (chat)');
  });
  test('a ServiceMonitor for a Service outside the app (none in its namespace) is not judged', () => {
    expect(metricPipelineViolations([serviceMonitor({ matchLabels: { app: 'other' } })])).toEqual([]);
  });
  test('a PodMonitor port the containers do not name', () => {
    expect(metricPipelineViolations([deployment([{ containerPort: 8000, name: 'http' }]), podMonitor('http')])).toEqual([]);
    expect(metricPipelineViolations([deployment([{ containerPort: 8000 }]), podMonitor('http')]).join()).toContain('is not a container port name of Deployment/chat');
  });
});

describe('every monitoring object carries the app\'s Prometheus selector labels', () => {
  const rule = (labels?: any) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'pools', ...(labels ? { labels } : {}) }, spec: { groups: [] } });
  test('a PrometheusRule without the release label that the monitors carry (defect 9)', () => {
    expect(metricPipelineViolations([serviceMonitor({ matchLabels: { app: 'x' } }, 'http', { release: 'kps' }), rule()]).join())
      .toContain('PrometheusRule/pools: metadata.labels: lacks release');
  });
  test('different values of the same key (two Prometheus installations) are allowed; none at all is consistent too', () => {
    expect(metricPipelineViolations([serviceMonitor({ matchLabels: { app: 'x' } }, 'http', { release: 'kps' }), rule({ release: 'other' })])).toEqual([]);
    expect(metricPipelineViolations([serviceMonitor({ matchLabels: { app: 'x' } }), rule()])).toEqual([]);
  });
});

describe('every series a rule reads is recorded in the app or exported by a pinned exporter', () => {
  const rule = (rules: any[]) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', namespace: 'ml' }, spec: { groups: [{ name: 'g', rules }] } });

  test('a series no exporter exports is caught (http_requests_total on TEI was defect 1; here a made-up name)', () => {
    const found = metricPipelineViolations([rule([{ record: 'scaling:request_rate', expr: 'sum by (pod) (rate(te_requests_made_total[2m]))' }])]);
    expect(found).toEqual([expect.stringContaining('reads te_requests_made_total, which no rule of the app records and no exporter pinned in ExporterCatalog exports')]);
  });

  test('a histogram is exported as its _bucket series, not its bare name', () => {
    expect(metricPipelineViolations([rule([{ record: 'a:b', expr: 'histogram_quantile(0.95, sum by (le) (rate(te_request_duration_bucket[2m])))' }])])).toEqual([]);
    expect(metricPipelineViolations([rule([{ record: 'a:b', expr: 'sum(te_request_duration)' }])])).toHaveLength(1);
  });

  test('series recorded by another rule of the app, and vLLM\'s and dcgm-exporter\'s own, pass', () => {
    expect(metricPipelineViolations([rule([
      { record: 'scaling:queue_length', expr: 'sum by (pod) (vllm:num_requests_waiting)' },
      { record: 'scaling:gpu', expr: 'avg by (pod) (DCGM_FI_DEV_GPU_UTIL)' },
      { alert: 'Busy', expr: 'scaling:queue_length > 10' },
    ])])).toEqual([]);
  });
});
