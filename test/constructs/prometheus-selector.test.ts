import { App, Chart, Testing } from 'cdk8s';
import {
  CostAwareNodePool, InferenceAutoscaler, InstanceCatalog, NodePoolPurpose, PrometheusSelector, ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind } from '../util';

const nodeClass = {
  role: 'KarpenterNodeRole-ml', subnetTags: { 'karpenter.sh/discovery': 'ml' }, securityGroupTags: { 'karpenter.sh/discovery': 'ml' }, amiAlias: 'al2023@v20251015',
};
const pool = (chart: Chart, id = 'pool', prometheusSelectorLabels?: Record<string, string>) => new CostAwareNodePool(chart, id, {
  name: id,
  purpose: NodePoolPurpose.INFERENCE,
  instanceTypes: InstanceCatalog.designDocument().types.filter(t => t.name.startsWith('g4dn')),
  budgetUsdPerHour: 20,
  nodeClass,
  prometheusSelectorLabels,
});
const service = (chart: Chart, id = 'chat', prometheusSelectorLabels?: Record<string, string>) => new InferenceAutoscaler(chart, id, {
  name: id,
  modelServer: { image: 'vllm/vllm-openai:v0.12.0' },
  maxReplicas: 4,
  metrics: [ScalingMetric.vllmWaitingRequests(5)],
  ...(prometheusSelectorLabels ? { monitoring: { prometheusSelectorLabels } } : {}),
});
const LABELS_FIX = 'use label keys such as "release" or "prometheus.example.com/instance" and values of at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit (e.g. the Helm release name)';
const monitoringLabels = (app: App) => app.charts.flatMap(c => Testing.synth(c))
  .filter(m => ['PrometheusRule', 'ServiceMonitor', 'PodMonitor'].includes(m.kind))
  .map(m => `${m.kind}/${m.metadata.name}: ${JSON.stringify(m.metadata.labels ?? {})}`);

describe('PrometheusSelector', () => {
  test('every PrometheusRule and monitor of the app carries the labels, the node pools\' alerts included (defect 9)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'serving', { namespace: 'ml' });
    new PrometheusSelector(app, 'prometheus', { labels: { release: 'kube-prometheus-stack' } });
    service(chart);
    pool(chart);
    const labels = monitoringLabels(app);
    expect(labels.map(l => l.split('/')[0])).toEqual(['ServiceMonitor', 'PrometheusRule', 'PrometheusRule']);
    expect(labels.every(l => l.endsWith('{"release":"kube-prometheus-stack"}'))).toBe(true);
    expectConformant(app);
  });

  test('the order of creation does not matter: a selector added last labels what came before', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'serving');
    pool(chart);
    new PrometheusSelector(chart, 'prometheus', { labels: { release: 'kps' } });
    expect(monitoringLabels(app)).toEqual([expect.stringContaining('{"release":"kps"}')]);
  });

  test('a construct\'s own labels are merged over the app\'s, key by key', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'serving');
    new PrometheusSelector(app, 'prometheus', { labels: { release: 'kps', team: 'platform' } });
    service(chart, 'chat', { team: 'search' });
    const labels = allOfKind(Testing.synth(chart), 'PrometheusRule')[0].metadata.labels;
    expect(labels).toEqual({ release: 'kps', team: 'search' });
  });

  test('a chart\'s own selector wins over the app\'s', () => {
    const app = Testing.app();
    const east = new Chart(app, 'east');
    const west = new Chart(app, 'west');
    new PrometheusSelector(app, 'prometheus', { labels: { release: 'kps' } });
    new PrometheusSelector(west, 'prometheus', { labels: { prometheus: 'west' } });
    pool(east, 'east-pool');
    pool(west, 'west-pool');
    expect(Testing.synth(east).find(m => m.kind === 'PrometheusRule').metadata.labels).toEqual({ release: 'kps' });
    expect(Testing.synth(west).find(m => m.kind === 'PrometheusRule').metadata.labels).toEqual({ prometheus: 'west' });
    expect(PrometheusSelector.of(west)?.labels).toEqual({ prometheus: 'west' });
  });

  test('fails at synth when some monitoring objects carry selector labels and others none (the old example app)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'serving');
    service(chart, 'chat', { release: 'kube-prometheus-stack' });
    pool(chart);
    expect(() => app.synth()).toThrow(/\[serving\/pool\/Rules\] 'metadata.labels' \(\{\}\) of the PrometheusRule carries no Prometheus selector labels while 2 other monitoring object\(s\) of the app carry release=kube-prometheus-stack \(serving\/chat\/Monitor, serving\/chat\/Rules\): the Prometheus that selects those never loads this one; add one PrometheusSelector to the app/);
  });

  test('fails at synth when several selectors could apply and none is in the chart', () => {
    const app = Testing.app();
    new PrometheusSelector(new Chart(app, 'a'), 'p', { labels: { release: 'a' } });
    new PrometheusSelector(new Chart(app, 'b'), 'p', { labels: { release: 'b' } });
    pool(new Chart(app, 'c'));
    expect(() => app.synth()).toThrow(/'metadata.labels' \(\{\}\) of the PrometheusRule has no Prometheus selector labels: the app has 2 PrometheusSelectors \(a\/p, b\/p\) and none is in this chart/);
  });

  test.each<[Record<string, string>, string]>([
    [{}, "[test/p] 'labels' (\"{}\") is empty: give the labels your Prometheus selects rules and monitors by, e.g. { release: 'kube-prometheus-stack' }"],
    [{ 'bad key!': 'x' }, "[test/p] 'labels' (\"bad key!\") has a key that is not a label key (an optional DNS subdomain and '/', then at most 63 " +
      `letters, digits, '-', '_' or '.', starting and ending with a letter or digit): ${LABELS_FIX}`],
    [{ release: 'not a value' }, "[test/p] 'labels.release' (\"not a value\") is not a label value (at most 63 letters, digits, '-', '_' or '.', " +
      `starting and ending with a letter or digit, or empty): ${LABELS_FIX}`],
    [{ release: 1 as unknown as string }, `[test/p] 'labels.release' (1) must be a string, not a number: ${LABELS_FIX}`],
  ])('refuses labels %j', (labels, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new PrometheusSelector(chart, 'p', { labels })).toThrow(new Error(message));
  });

  test('fails when the labels are a string, as a YAML caller may write them', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new PrometheusSelector(chart, 'p', { labels: 'release=kps' as unknown as Record<string, string> })).toThrow(new Error(
      `[test/p] 'labels' ("release=kps") must be an object of named fields, not a string: ${LABELS_FIX}`));
  });

  test('fails when a node pool\'s prometheusSelectorLabels have a key that is not a label key', () => {
    const chart = new Chart(Testing.app(), 'serving');
    expect(() => pool(chart, 'pool', { 'release name': 'kps' })).toThrow(new Error(
      "[serving/pool] 'prometheusSelectorLabels' (\"release name\") has a key that is not a label key (an optional DNS subdomain and '/', " +
      `then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit): ${LABELS_FIX}`));
  });

  test('fails when a node pool\'s prometheusSelectorLabels have a value that is not a label value', () => {
    const chart = new Chart(Testing.app(), 'serving');
    expect(() => pool(chart, 'pool', { release: 'kube prometheus' })).toThrow(new Error(
      "[serving/pool] 'prometheusSelectorLabels.release' (\"kube prometheus\") is not a label value (at most 63 letters, digits, '-', '_' or '.', " +
      `starting and ending with a letter or digit, or empty): ${LABELS_FIX}`));
  });

  test('refuses a second selector in one chart', () => {
    const chart = new Chart(Testing.app(), 'test');
    new PrometheusSelector(chart, 'p', { labels: { release: 'a' } });
    expect(() => new PrometheusSelector(chart, 'q', { labels: { release: 'b' } })).toThrow("[test/q] 'scope' (\"test\") already holds a PrometheusSelector (test/p)");
  });
});
