import { prometheusOperatorViolations, relabelError } from './prometheus-operator';

const serviceMonitor = (endpoint: any) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'm', namespace: 'ns' },
  spec: { selector: { matchLabels: { app: 'a' } }, endpoints: [{ port: 'http', path: '/metrics', interval: '15s', ...endpoint }] },
});

describe('prometheus-operator v0.93.0 relabelings (ValidateRelabelConfig)', () => {
  test.each<[any, string]>([
    [{ action: 'replace' }, 'needs targetLabel value'],
    [{}, 'needs targetLabel value'],
    [{ action: 'hashmod', targetLabel: 'shard' }, 'requires non-zero modulus'],
    [{ action: 'HashMod', modulus: 4 }, 'needs targetLabel value'],
    [{ action: 'lowercase', targetLabel: 'x', replacement: 'y' }, "'replacement' can not be set for lowercase action"],
    [{ action: 'keepequal', targetLabel: 'x', regex: 'a' }, 'requires only \'source_labels\''],
    [{ action: 'labeldrop', regex: 'a', targetLabel: 'x' }, "requires only 'regex'"],
    [{ action: 'keep', regex: '(?=a)', sourceLabels: ['x'] }, 'invalid regex'],
    [{ action: 'rename' }, 'unknown relabel action'],
  ])('%j', (rc, message) => {
    expect(relabelError(rc)).toContain(message);
  });

  test.each<any>([
    { action: 'replace', targetLabel: 'scaling_target', replacement: 'chat' },
    { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_label_app'], regex: 'chat|embed' },
    { action: 'hashmod', targetLabel: 'shard', modulus: 4, sourceLabels: ['__address__'] },
    { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
    { action: 'labeldrop', regex: 'pod_template_hash' },
  ])('accepts %j', rc => {
    expect(relabelError(rc)).toBeUndefined();
  });
});

describe('prometheus-operator v0.93.0 endpoints', () => {
  test('a valid endpoint has no findings', () => {
    expect(prometheusOperatorViolations([serviceMonitor({ relabelings: [{ action: 'replace', targetLabel: 't', replacement: 'x' }] })])).toEqual([]);
  });
  test('scrapeTimeout above the interval', () => {
    expect(prometheusOperatorViolations([serviceMonitor({ scrapeTimeout: '20s' })]).join()).toContain('scrapeTimeout "20s" greater than scrapeInterval "15s"');
  });
  test('scrapeTimeout above the Prometheus default interval when the endpoint has none', () => {
    expect(prometheusOperatorViolations([serviceMonitor({ interval: undefined, scrapeTimeout: '45s' })]).join()).toContain('(the Prometheus default)');
  });
  test('a bad relabeling on a PodMonitor', () => {
    const pm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'p' }, spec: { selector: {}, podMetricsEndpoints: [{ port: 'http', metricRelabelings: [{ action: 'hashmod', targetLabel: 'x' }] }] } };
    expect(prometheusOperatorViolations([pm]).join()).toContain('PodMonitor/p: spec.podMetricsEndpoints[0].metricRelabelings[0]: relabel configuration for hashmod requires non-zero modulus');
  });
  test('port and targetPort together: targetPort is ignored', () => {
    expect(prometheusOperatorViolations([serviceMonitor({ targetPort: 8080 })]).join()).toContain('ignores targetPort');
  });
  test('a path without its leading slash', () => {
    expect(prometheusOperatorViolations([serviceMonitor({ path: 'metrics' })]).join()).toContain('does not start with "/"');
  });
});
