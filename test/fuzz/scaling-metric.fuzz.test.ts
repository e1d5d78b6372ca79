import * as fc from 'fast-check';
import {
  anyDuration, cron, matchLabels, options, optional, orWrong, planArg, rateWindow, reactiveArg, replicas, seriesName, target, timeZone,
  triggerName, wrongType,
} from './arbitraries-metrics';
import { fuzzTest, synthProblems } from './harness';
import { GpuRequest, InferenceAutoscaler, PredictiveScaling, QueueTrigger, ScalingEngine, ScalingMetric } from '../../src';

/** One factory call: the factory's name and its arguments, made inside the case so a refused argument is the case's error. */
type Call = [string, ...any[]];

const COUNTERS = ['vllm:request_success_total'];
const GAUGES = ['vllm:num_requests_waiting', 'vllm:num_requests_running', 'vllm:kv_cache_usage_perc'];
const HISTOGRAMS = ['vllm:e2e_request_latency_seconds'];
const TOKEN_HISTOGRAMS = ['vllm:time_to_first_token_seconds', 'vllm:inter_token_latency_seconds'];
const DCGM = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED'];

/** The reactive metrics next to a plan's windows: a few simple factory calls (and wrong values, from reactiveArg). */
const reactive = reactiveArg(fc.oneof(
  fc.tuple(fc.constantFrom('requestsPerSecond', 'predictedRequestsPerSecond'), target()),
  fc.tuple(fc.constant('cpuUtilization'), replicas(1000)),
));

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.constant('requestsPerSecond'), target(),
    options(fc.record({ counter: optional(seriesName(COUNTERS)), rateWindow: rateWindow() }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('predictedRequestsPerSecond'), target()),
  fc.tuple(fc.constantFrom('waitingRequests', 'runningRequests', 'queueLength'), target(),
    options(fc.record({ gauge: optional(seriesName(GAUGES)) }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('kvCacheUsage'), target(100), options(fc.record({ gauge: optional(seriesName(GAUGES)) }, { requiredKeys: [] }))),
  fc.tuple(fc.constantFrom('vllmWaitingRequests', 'vllmRunningRequests'), target()),
  fc.tuple(fc.constant('vllmKvCacheUsage'), target(100)),
  fc.tuple(fc.constant('gpuUtilization'), target(100),
    options(fc.record({ exportedLabels: optional(fc.boolean()), gauge: optional(seriesName(DCGM)) }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('responseTimeP95'), anyDuration(1, 60),
    options(fc.record({ histogram: optional(seriesName(HISTOGRAMS)), rateWindow: rateWindow() }, { requiredKeys: [] }))),
  fc.tuple(fc.constantFrom('timeToFirstTokenP95', 'interTokenLatencyP95'), anyDuration(0, 100),
    options(fc.record({
      histogram: optional(seriesName(TOKEN_HISTOGRAMS)),
      rateWindow: rateWindow(),
      bucketBoundsSeconds: optional(orWrong(fc.array(fc.double({ min: -1, max: 200, noNaN: true }), { maxLength: 6 }))),
    }, { requiredKeys: [] }))),
  fc.tuple(fc.constantFrom('cpuUtilization', 'memoryUtilization'), target(1000)),
  fc.tuple(fc.constant('external'), seriesName(['sqs_messages_visible', 'queue:depth']), target(),
    options(fc.record({ matchLabels: matchLabels(), servedByPrometheusAdapter: optional(fc.boolean()) }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('fromQueue'), orWrong(fc.constant('redis'), 8)),
  fc.tuple(fc.constant('cronWindow'), cron(), cron(), replicas(),
    options(fc.record({ timeZone: timeZone(), name: triggerName() }, { requiredKeys: [] }))),
  // A plan's windows as cron windows, after the reactive metrics given (a few simple factory calls, or wrong values).
  fc.tuple(fc.constant('predictedWindows'), planArg(), reactive),
);

const calls = fc.record({
  engine: fc.constantFrom('hpa', 'keda'),
  calls: fc.array(call, { minLength: 1, maxLength: 3 }),
});

function make([factory, ...args]: Call): ScalingMetric | ScalingMetric[] {
  if (factory === 'fromQueue') {
    return ScalingMetric.fromQueue(args[0] === 'redis' ? QueueTrigger.redisList('redis.jobs.svc:6379', 'jobs') : args[0]);
  }
  if (factory === 'predictedWindows') {
    const [plan, given] = args;
    // `{ plan: props }` is a real plan, made here; anything else (a look-alike object, a wrong type) is passed as is.
    const made = plan !== null && typeof plan === 'object' && 'plan' in plan ? PredictiveScaling.plan(plan.plan) : plan;
    const metrics = Array.isArray(given)
      ? given.map((m) => (m !== null && typeof m === 'object' && 'metric' in m ? make(m.metric) : m))
      : given;
    return ScalingMetric.predictedWindows(made, metrics);
  }
  return (ScalingMetric as any)[factory](...args);
}

/** Builds an autoscaler on the metrics of the calls (a wrong value where the calls go is a metric factory's argument). */
function autoscale(input: any) {
  return synthProblems((chart) => {
    let p: any = input;
    if (p === null || typeof p !== 'object' || !Array.isArray(p.calls)) {
      // A wrong type where a metric goes: the factories take the values, so the wrong value is a factory's argument.
      p = { engine: 'hpa', calls: [['requestsPerSecond', p]] };
    }
    const metrics = p.calls.flatMap(make);
    // servedByPrometheusAdapter: false says a provider outside the app serves the metric, which the conformance check
    // (one app) cannot see: such a case is built on KEDA, which serves it (reported to the lead as a checker limit).
    const elsewhere = p.calls.some((c: Call) => c[0] === 'external' && c[3]?.servedByPrometheusAdapter === false);
    new InferenceAutoscaler(chart, 'chat', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
      maxReplicas: 8,
      metrics,
      engine: p.engine === 'keda' || elsewhere ? ScalingEngine.keda() : ScalingEngine.hpa(),
    });
  });
}

describe('ScalingMetric', () => {
  fuzzTest('ScalingMetric', fc.oneof({ arbitrary: calls, weight: 30 }, { arbitrary: wrongType(), weight: 1 }), autoscale);
  // A plan's windows (after the reactive metrics) on either engine: cron windows need KEDA, so on the HPA the autoscaler refuses them.
  fuzzTest('ScalingMetric.predictedWindows', fc.record({
    engine: fc.constantFrom('keda', 'keda', 'hpa'),
    calls: fc.tuple(fc.tuple(fc.constant('predictedWindows'), planArg(), reactive)),
  }), autoscale);
});
