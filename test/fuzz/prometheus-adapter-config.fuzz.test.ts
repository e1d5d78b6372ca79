import * as fc from 'fast-check';
import { dnsLabel, optional, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { PrometheusAdapterConfig, ScalingMetric } from '../../src';

const props = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.record({ namespace: optional(dnsLabel()), configMapName: optional(dnsLabel()) }, { requiredKeys: [] }), weight: 16 },
  { arbitrary: fc.constantFrom({ namespace: 'monitoring' }, { configMapName: 'adapter-rules' }), weight: 8 },
  { arbitrary: wrongType(), weight: 1 },
);
const metric = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      () => ScalingMetric.requestsPerSecond(5),
      () => ScalingMetric.vllmWaitingRequests(5),
      () => ScalingMetric.cpuUtilization(70),
      () => ScalingMetric.external('queue_depth', 10),
      () => ScalingMetric.gpuUtilization(80),
    ).map((f) => f()),
    weight: 24,
  },
  // The same external metric with another selector, which prometheus-adapter serves with the same rule.
  { arbitrary: fc.constant(0).map(() => ScalingMetric.external('queue_depth', 10, { matchLabels: { queue: 'jobs' } })), weight: 1 },
  { arbitrary: wrongType(), weight: 1 },
);

const input = fc.record({
  props,
  // A second configuration in the same app, which prometheus-adapter cannot read.
  second: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: props, weight: 1 }),
  metrics: fc.array(metric, { maxLength: 4 }),
  viaOf: fc.boolean(),
});

describe('PrometheusAdapterConfig', () => {
  fuzzTest('PrometheusAdapterConfig', input, ({ props: p, second, metrics, viaOf }) => synthProblems((chart) => {
    const adapter = viaOf ? PrometheusAdapterConfig.of(chart) : new PrometheusAdapterConfig(chart, 'adapter', p);
    if (second !== null) new PrometheusAdapterConfig(chart, 'adapter2', second);
    metrics.forEach((m) => adapter.addMetric(m));
  }));
});
