import * as fc from 'fast-check';
import { anyDuration, options, optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries-metrics';
import { fuzzTest, synthProblems } from './harness';
import { GpuRequest, InferenceAutoscaler, ScalingEngine, ScalingMetric } from '../../src';

const composite = optional(fc.record({
  formula: orWrong(fc.constantFrom('request_rate / 10', 'request_rate + waiting_requests', 'queue_length', '', ' ', 'request_rate\n/ 2', 'request_rate /')),
  target: orWrong(realNumber(0, 1000)),
  activationTarget: optional(realNumber(0, 100)),
}, { requiredKeys: [] }));

const kedaOptions = options(fc.record({
  prometheusServerAddress: optional(fc.constantFrom('http://prometheus-operated.monitoring.svc:9090', 'https://prom.example.com',
    '', 'prometheus:9090', 'http://', 'http://a b', 'ftp://x', 'http://prom:9090/\n')),
  pollingInterval: optional(anyDuration(1, 3600)),
  fallback: optional(fc.boolean()),
  fallbackReplicas: optional(wholeNumber(1, 10_000)),
  fallbackFailureThreshold: optional(wholeNumber(1, 1000)),
  scaleToZero: optional(fc.boolean()),
  cooldownPeriod: optional(anyDuration(0, 86_400)),
  compositeMetric: composite,
}, { requiredKeys: [] }));

const input = fc.record({
  engine: fc.oneof({ arbitrary: fc.constant(['hpa']), weight: 1 }, { arbitrary: fc.tuple(fc.constant('keda'), kedaOptions), weight: 8 }),
  cpu: fc.boolean(),
});

describe('ScalingEngine', () => {
  fuzzTest('ScalingEngine', fc.oneof({ arbitrary: input, weight: 30 }, { arbitrary: wrongType(), weight: 1 }), (p: any) => synthProblems((chart) => {
    const engine = p !== null && typeof p === 'object' && Array.isArray(p.engine)
      ? (p.engine[0] === 'hpa' ? ScalingEngine.hpa() : ScalingEngine.keda(p.engine[1]))
      : ScalingEngine.keda(p); // a wrong type where the options go
    new InferenceAutoscaler(chart, 'chat', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
      maxReplicas: 8,
      metrics: [ScalingMetric.requestsPerSecond(10), ScalingMetric.waitingRequests(5), ...(p?.cpu ? [ScalingMetric.cpuUtilization(70)] : [])],
      engine,
    });
  }));
});
