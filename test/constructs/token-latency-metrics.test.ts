import { Duration } from 'cdk8s';
import {
  GpuRequest, InferenceAutoscaler, MetricsExporter, ModelServerKind, ModelServerProps, ScalingEngine, ScalingMetric, SloPlanner,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const VLLM = 'vllm/vllm-openai:v0.12.0';
const SGLANG = 'lmsysorg/sglang:v0.5.6.post2-cu129';
const TGI = 'ghcr.io/huggingface/text-generation-inference:3.3.7';

function build(modelServer: ModelServerProps, metrics: ScalingMetric[], engine?: ScalingEngine) {
  const chart = newChart({ namespace: 'serving' });
  new InferenceAutoscaler(chart, 'svc', { name: 'svc', modelServer, maxReplicas: 6, metrics, engine });
  const manifests = expectConformant(chart);
  const rules = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules;
  return { manifests, expr: (record: string) => rules.find((r: any) => r.record === record)?.expr };
}

const attempt = (modelServer: ModelServerProps, metrics: ScalingMetric[]) => () =>
  new InferenceAutoscaler(newChart(), 'svc', { modelServer, maxReplicas: 6, metrics });

describe('TTFT and inter-token latency presets', () => {
  test('vLLM 0.12.0: p95 of vllm:time_to_first_token_seconds and vllm:inter_token_latency_seconds per pod, served to the HPA', () => {
    const { manifests, expr } = build({ image: VLLM, args: ['--model', 'm'], gpu: GpuRequest.of(1) },
      [ScalingMetric.timeToFirstTokenP95(Duration.millis(500)), ScalingMetric.interTokenLatencyP95(Duration.millis(50))]);
    expect(expr('scaling:ttft_p95')).toBe('histogram_quantile(0.95, sum by (namespace, pod, scaling_target, le) '
      + '(rate(vllm:time_to_first_token_seconds_bucket{scaling_target="svc", namespace="serving"}[2m])))');
    expect(expr('scaling:itl_p95')).toContain('rate(vllm:inter_token_latency_seconds_bucket{');
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'scaling_ttft_p95' }, target: { type: 'AverageValue', averageValue: '500m' } } },
      { type: 'Pods', pods: { metric: { name: 'scaling_itl_p95' }, target: { type: 'AverageValue', averageValue: '50m' } } },
    ]);
  });

  test('SGLang 0.5.6.post2: its own histograms; KEDA queries the service total against the same target', () => {
    const { manifests, expr } = build({ image: SGLANG, args: ['--enable-metrics', '--host', '0.0.0.0'], gpu: GpuRequest.of(1) },
      [ScalingMetric.timeToFirstTokenP95(Duration.seconds(1)), ScalingMetric.interTokenLatencyP95(Duration.millis(40))], ScalingEngine.keda());
    expect(expr('scaling:ttft_p95')).toContain('rate(sglang:time_to_first_token_seconds_bucket{');
    expect(expr('scaling:itl_p95')).toContain('rate(sglang:inter_token_latency_seconds_bucket{');
    const triggers = ofKind(manifests, 'ScaledObject').spec.triggers;
    expect(triggers.map((t: any) => [t.name, t.metadata.query, t.metadata.threshold])).toEqual([
      ['ttft_p95', 'sum(scaling:ttft_p95{scaling_target="svc", namespace="serving"})', '1'],
      ['itl_p95', 'sum(scaling:itl_p95{scaling_target="svc", namespace="serving"})', '0.04'],
    ]);
  });

  test('the buckets are the ones pinned from each release\'s source', () => {
    expect(MetricsExporter.VLLM.metric('vllm:time_to_first_token_seconds')!.bucketBounds).toEqual(
      [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560]);
    expect(MetricsExporter.VLLM.metric('vllm:inter_token_latency_seconds')!.bucketBounds!.slice(-3)).toEqual([20, 40, 80]);
    expect(MetricsExporter.SGLANG.metric('sglang:time_to_first_token_seconds')!.bucketBounds!.slice(0, 2)).toEqual([0.1, 0.2]);
    expect(MetricsExporter.SGLANG.metric('sglang:inter_token_latency_seconds')!.bucketBounds!.slice(-1)).toEqual([8]);
    const tgi = MetricsExporter.TEXT_GENERATION_INFERENCE.metric('tgi_request_mean_time_per_token_duration')!.bucketBounds!;
    expect(tgi.length).toBe(35);
    expect(tgi[0]).toBeCloseTo(0.00015, 12);
    expect(tgi[34]).toBeCloseTo(0.0001 * 1.5 ** 35, 9);
    expect(ModelServerKind.VLLM.timeToFirstTokenHistogram).toBe('vllm:time_to_first_token_seconds');
    expect(ModelServerKind.TEXT_GENERATION_INFERENCE.interTokenLatencyHistogram).toBeUndefined();
  });

  test('a target the histogram cannot resolve is an error naming the buckets', () => {
    // SGLang's ITL buckets end at 8 s: a p95 read from them never exceeds 8 s, so 1.1 x 7.5 s = 8.25 s is never reached.
    expect(attempt({ image: SGLANG, args: ['--enable-metrics', '--host', '0.0.0.0'] }, [ScalingMetric.interTokenLatencyP95(Duration.millis(7500))]))
      .toThrow("[test/svc] 'metrics[0]' (\"p95 inter-token latency (s)\") cannot be read from sglang:inter_token_latency_seconds's buckets at SGLang 0.5.6.post2 "
        + '(0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8 s): '
        + 'a p95 from histogram_quantile never exceeds the highest bound, 8 s, so it could never reach 1.1 x the target (8.25 s) for the HPA to scale up: '
        + "give a target of at most 7.272 s, or ScalingMetric.interTokenLatencyP95's 'bucketBoundsSeconds' option if the server was started with other buckets");
    expect(attempt({ image: VLLM }, [ScalingMetric.interTokenLatencyP95(Duration.seconds(75))])).toThrow('highest bound, 80 s');
    // Within the buckets with room: accepted.
    expect(attempt({ image: VLLM }, [ScalingMetric.interTokenLatencyP95(Duration.seconds(72))])).not.toThrow();
  });

  test('buckets given for a server started with its own are checked at once, and replace the catalog\'s', () => {
    expect(() => ScalingMetric.timeToFirstTokenP95(Duration.seconds(2), { bucketBoundsSeconds: [0.5, 1, 2] })).toThrow(
      "[ScalingMetric.timeToFirstTokenP95] 'target' (2 seconds) cannot be read from the buckets given (0.5, 1, 2 s): a p95 from histogram_quantile "
      + 'never exceeds the highest bound, 2 s, so it could never reach 1.1 x the target (2.2 s) for the HPA to scale up: give a target of at most 1.818 s');
    expect(() => ScalingMetric.timeToFirstTokenP95(Duration.seconds(1), { bucketBoundsSeconds: [1, 0.5] })).toThrow(
      "[ScalingMetric.timeToFirstTokenP95] 'bucketBoundsSeconds[1]' (0.5) is not above the bound before it (1)");
    // SGLang started with --bucket-time-to-first-token up to 1000 s: a 500 s target is readable from them.
    expect(attempt({ image: SGLANG, args: ['--enable-metrics', '--host', '0.0.0.0', '--bucket-time-to-first-token', '1', '10', '1000'] },
      [ScalingMetric.timeToFirstTokenP95(Duration.seconds(500), { bucketBoundsSeconds: [1, 10, 1000] })])).not.toThrow();
  });

  test('servers that record none are refused with what to do instead', () => {
    expect(attempt({ image: TGI }, [ScalingMetric.timeToFirstTokenP95(Duration.millis(500))])).toThrow(
      `[test/svc] 'metrics[0]' ("p95 time to first token (s)") needs a time-to-first-token histogram, and the server is text-generation-inference 3.3.7 (${TGI}), `
      + 'which records none: TGI records no time to first token: scale on ScalingMetric.waitingRequests(...) (tgi_queue_size)');
    expect(attempt({ image: TGI }, [ScalingMetric.interTokenLatencyP95(Duration.millis(50))])).toThrow(
      "its nearest histogram, tgi_request_mean_time_per_token_duration, is each request's mean time per output token, prefill included: "
      + "name it in the 'histogram' option if that is the objective you mean");
    expect(attempt({ image: 'nvcr.io/nvidia/tritonserver:26.06-py3' }, [ScalingMetric.timeToFirstTokenP95(Duration.millis(500))]))
      .toThrow("Triton's nv_inference_first_response_histogram_ms is off by default");
    expect(attempt({ image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8' }, [ScalingMetric.interTokenLatencyP95(Duration.millis(50))]))
      .toThrow('an embedding server streams no tokens');
    expect(attempt({ image: 'ghcr.io/example/llm:1.0.0' }, [ScalingMetric.timeToFirstTokenP95(Duration.millis(500))])).toThrow(
      "which names none: name it: modelServer.kind: ModelServerKind.generic({ timeToFirstTokenHistogram: '<series>' }) (or the metric's 'histogram' option)");
  });

  test('TGI\'s per-request mean time per token, named explicitly, is read with its duration buckets', () => {
    const { expr } = build({ image: TGI },
      [ScalingMetric.interTokenLatencyP95(Duration.millis(60), { histogram: 'tgi_request_mean_time_per_token_duration' })]);
    expect(expr('scaling:itl_p95')).toContain('rate(tgi_request_mean_time_per_token_duration_bucket{');
  });

  test('a generic server that names its histograms', () => {
    const kind = ModelServerKind.generic({ timeToFirstTokenHistogram: 'llm_ttft_seconds', interTokenLatencyHistogram: 'llm_itl_seconds' });
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'svc', {
      name: 'svc',
      modelServer: { image: 'ghcr.io/example/llm:1.0.0', kind },
      maxReplicas: 4,
      metrics: [ScalingMetric.timeToFirstTokenP95(Duration.millis(700)), ScalingMetric.interTokenLatencyP95(Duration.millis(80))],
    });
    const rules = ofKind(chart.toJson(), 'PrometheusRule').spec.groups[0].rules;
    expect(rules.find((r: any) => r.record === 'scaling:ttft_p95').expr).toContain('rate(llm_ttft_seconds_bucket{');
    expect(rules.find((r: any) => r.record === 'scaling:itl_p95').expr).toContain('rate(llm_itl_seconds_bucket{');
  });

  test('invalid targets and options', () => {
    expect(() => ScalingMetric.timeToFirstTokenP95(Duration.millis(0.5))).toThrow(
      "[ScalingMetric.timeToFirstTokenP95] 'target' (0.5 millis) must be at least 1 milli: give the p95 one pod should stay under, from 1 ms to 1 hour, e.g. Duration.millis(500)");
    expect(() => ScalingMetric.interTokenLatencyP95(Duration.millis(10.5))).toThrow(
      "[ScalingMetric.interTokenLatencyP95] 'target' (10.5 millis) is not a whole number of milliseconds");
    expect(() => ScalingMetric.interTokenLatencyP95(Duration.millis(50), { histogram: '1itl' })).toThrow(
      "[ScalingMetric.interTokenLatencyP95] 'histogram' (\"1itl\") is not a Prometheus metric name");
  });
});

describe('ScalingMetric.fromSloPlan on an autoscaler', () => {
  test('the plan\'s running-request target next to the latency objective, conformant', () => {
    const plan = SloPlanner.plan({
      objective: { ttftP95: Duration.millis(500), itlP95: Duration.millis(50) },
      profile: [
        { concurrency: 1, requestsPerSecond: 0.5, ttftP95: Duration.millis(100), itlP95: Duration.millis(20) },
        { concurrency: 8, requestsPerSecond: 3.2, ttftP95: Duration.millis(300), itlP95: Duration.millis(35) },
        { concurrency: 16, requestsPerSecond: 5.6, ttftP95: Duration.millis(900), itlP95: Duration.millis(60) },
      ],
    });
    const { manifests } = build({ image: VLLM, gpu: GpuRequest.of(1) },
      [...ScalingMetric.fromSloPlan(plan), ScalingMetric.timeToFirstTokenP95(plan.objective.ttftP95)]);
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.metrics.map((m: any) => [m.pods.metric.name, m.pods.target.averageValue])).toEqual([
      ['scaling_running_requests', '8'], ['scaling_ttft_p95', '500m'],
    ]);
  });

  test('anything but a plan is an error', () => {
    expect(() => ScalingMetric.fromSloPlan({ feasible: true } as any)).toThrow(
      "[ScalingMetric.fromSloPlan] 'plan' ({\"feasible\":true}) must be a SloPlan (made by its static methods), not an object: make the plan with SloPlanner.plan(...)");
  });
});
