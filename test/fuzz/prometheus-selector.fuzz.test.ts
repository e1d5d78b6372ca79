import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { labels, optional, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { InferenceAutoscaler, PrometheusSelector, ScalingMetric } from '../../src';

const selectorProps = fc.oneof(
  { arbitrary: fc.record({ labels: optional(labels(), 20) }, { requiredKeys: [] }), weight: 20 },
  { arbitrary: fc.constantFrom({ labels: { release: 'kube-prometheus-stack' } }, { labels: { 'prometheus.example.com/instance': 'main', 'release': 'kps' } }), weight: 12 },
  { arbitrary: fc.constantFrom<any>({ labels: { release: 1 } }, { labels: ['release'] }, { labels: 'release=kps' }), weight: 2 },
  { arbitrary: wrongType(), weight: 1 },
);

const input = fc.record({
  // Where each selector goes: the app, the chart of the service, or a second chart.
  selectors: fc.array(fc.record({ where: fc.constantFrom('app', 'chart', 'other'), props: selectorProps }), { minLength: 1, maxLength: 2 }),
  // A construct's own selector labels (prometheusSelectorLabels), which PrometheusSelector checks and merges.
  own: fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: labels(), weight: 3 }, { arbitrary: wrongType(), weight: 1 }),
  // A second service, in the other chart, without labels of its own.
  secondService: fc.boolean(),
  // Where PrometheusSelector.of looks: a construct of the app, or something else.
  lookup: fc.oneof({ arbitrary: fc.constantFrom('app', 'chart', 'other'), weight: 10 }, { arbitrary: wrongType(), weight: 1 }),
});

const service = (chart: Chart, own: unknown) => new InferenceAutoscaler(chart, 'chat', {
  name: `chat-${chart.node.id}`,
  modelServer: { image: 'vllm/vllm-openai:v0.12.0' },
  maxReplicas: 4,
  metrics: [ScalingMetric.vllmWaitingRequests(5)],
  ...(own !== undefined ? { monitoring: { prometheusSelectorLabels: own as any } } : {}),
});

describe('PrometheusSelector', () => {
  fuzzTest('PrometheusSelector', input, ({ selectors, own, secondService, lookup }) => synthProblems((chart, app) => {
    const other = new Chart(app, 'other');
    selectors.forEach(({ where, props }, i) => {
      const scope = where === 'app' ? app : where === 'chart' ? chart : other;
      new PrometheusSelector(scope, `prometheus${i}`, props);
    });
    service(chart, own);
    if (secondService) service(other, undefined);
    // synthProblems runs the app's validations (the selectors' synth-time checks) as App.synth does.
    // The selector in force for a scope: the nearest one above it, always one the app created.
    const scope = lookup === 'app' ? app : lookup === 'chart' ? chart : lookup === 'other' ? other : lookup;
    const found = PrometheusSelector.of(scope);
    if (found !== undefined && found.node.root !== app) throw new Error('PrometheusSelector.of returned a selector of another app');
  }));
});
