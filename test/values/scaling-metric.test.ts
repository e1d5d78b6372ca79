import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { ModelServerKind, ScalingMetric, ScalingMetricSource } from '../../src';
import { parseQuantity, toQuantity } from '../../src/common/quantity';

const scope = { target: 'chat', namespace: 'serving', podPattern: 'chat-[a-z0-9]+-[a-z0-9]+' };

describe('ScalingMetric', () => {
  test('each custom metric knows its recording rule, HPA name and adapter rule', () => {
    const cases: Array<[ScalingMetric, string, string]> = [
      [ScalingMetric.requestsPerSecond(10), 'scaling:request_rate', 'scaling_request_rate'],
      [ScalingMetric.queueLength(5), 'scaling:queue_length', 'scaling_queue_length'],
      [ScalingMetric.vllmWaitingRequests(5), 'scaling:queue_length', 'scaling_queue_length'],
      [ScalingMetric.vllmRunningRequests(8), 'scaling:running_requests', 'scaling_running_requests'],
      [ScalingMetric.vllmKvCacheUsage(80), 'scaling:kv_cache_usage', 'scaling_kv_cache_usage'],
      [ScalingMetric.gpuUtilization(70), 'scaling:gpu_utilization', 'scaling_gpu_utilization'],
      [ScalingMetric.responseTimeP95(Duration.millis(300)), 'scaling:response_time_p95', 'scaling_response_time_p95'],
    ];
    for (const [metric, record, name] of cases) {
      expect(metric.source).toBe(ScalingMetricSource.PODS);
      expect(metric.recordingRule).toBe(record);
      expect(metric.metricName).toBe(name);
      expect(metric._hpaMetric()).toEqual({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: toQuantity(metric.targetValue) } } });
      expect(metric._adapterRule()).toEqual({
        kind: 'rules',
        rule: {
          seriesQuery: `${record}{namespace!="",pod!=""}`,
          resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
          name: { matches: `^${record}$`, as: name },
          metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
        },
      });
      // KEDA's Prometheus scaler divides by the replica count itself: it gets the service total.
      expect(metric._serviceTotalQuery(scope)).toBe(`sum(${record}{scaling_target="chat", namespace="serving"})`);
    }
  });

  test('vLLM presets use the V1 engine metric names, KV cache scaled from a fraction to percent', () => {
    expect(ScalingMetric.VLLM_METRICS_VERSION).toBe('0.12.0');
    expect(ScalingMetric.vllmWaitingRequests(5)._recordingRule(scope)!.expr).toContain('vllm:num_requests_waiting{');
    expect(ScalingMetric.vllmRunningRequests(5)._recordingRule(scope)!.expr).toContain('vllm:num_requests_running{');
    expect(ScalingMetric.vllmKvCacheUsage(80)._recordingRule(scope)!.expr)
      .toBe('100 * max by (namespace, pod, scaling_target) (vllm:kv_cache_usage_perc{scaling_target="chat", namespace="serving"})');
  });

  test('DCGM GPU utilization maps exported_pod and exported_namespace to pod and namespace', () => {
    const expr = ScalingMetric.gpuUtilization(70)._recordingRule(scope)!.expr;
    expect(expr).toContain('DCGM_FI_DEV_GPU_UTIL{exported_pod=~"chat-[a-z0-9]+-[a-z0-9]+", exported_namespace="serving"}');
    expect(expr).toContain('"pod", "$1", "exported_pod", "(.*)"');
    const honored = ScalingMetric.gpuUtilization(70, { exportedLabels: false })._recordingRule(scope)!.expr;
    expect(honored).toBe('label_replace(avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL{pod=~"chat-[a-z0-9]+-[a-z0-9]+", namespace="serving"}), "scaling_target", "chat", "", "")');
  });

  test('GPU utilization is an AverageValue, never a Utilization target', () => {
    expect(ScalingMetric.gpuUtilization(70)._hpaMetric().pods.target).toEqual({ type: 'AverageValue', averageValue: '70' });
  });

  test('request rate options change the counter and the window', () => {
    const expr = ScalingMetric.requestsPerSecond(10, { counter: 'vllm:request_success_total', rateWindow: Duration.seconds(90) })._recordingRule(scope)!.expr;
    expect(expr).toBe('sum by (namespace, pod, scaling_target) (rate(vllm:request_success_total{scaling_target="chat", namespace="serving"}[90s]))');
  });

  test('without a namespace the selector matches the target label alone', () => {
    expect(ScalingMetric.waitingRequests(5, { gauge: 'queue_length' })._recordingRule({ target: 't', podPattern: 't-.*' })!.expr)
      .toBe('sum by (namespace, pod, scaling_target) (queue_length{scaling_target="t"})');
  });

  test('a preset that reads the server\'s metric has no rule until it is resolved against a server', () => {
    expect(() => ScalingMetric.requestsPerSecond(10)._recordingRule(scope)).toThrow('resolve the metric against it first');
    expect(ScalingMetric.requestsPerSecond(10).serverSeries).toBeUndefined();
  });

  test('resource metrics have no recording rule and no adapter rule', () => {
    const cpu = ScalingMetric.cpuUtilization(60);
    expect(cpu.recordingRule).toBeUndefined();
    expect(cpu._adapterRule()).toBeUndefined();
    expect(cpu._serviceTotalQuery(scope)).toBeUndefined();
  });

  test('an external metric can be left to another provider', () => {
    expect(ScalingMetric.external('sqs_messages', 10, { servedByPrometheusAdapter: false })._adapterRule()).toBeUndefined();
  });
});

describe('quantities', () => {
  test('targets become Kubernetes quantities', () => {
    expect(toQuantity(10)).toBe('10');
    expect(toQuantity(0.5)).toBe('500m');
    expect(toQuantity(2.25)).toBe('2250m');
    expect(() => toQuantity(0.0001)).toThrow('0.0001 has more precision than a quantity keeps (thousandths)');
  });

  test('quantities parse back to numbers', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('16Gi')).toBe(16 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity(4)).toBe(4);
    expect(parseQuantity('4 cores')).toBeUndefined();
  });

  test('any target in thousandths round-trips through a quantity', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), milli => {
      const value = milli / 1000;
      expect(parseQuantity(toQuantity(value))).toBeCloseTo(value, 9);
    }));
  });

  describe('checks its arguments where it is made', () => {
    test('fails when a counter name would not be a Prometheus metric name in the query', () => {
      expect(() => ScalingMetric.requestsPerSecond(10, { counter: 'x"} or vector(1) #' })).toThrow(
        "[ScalingMetric.requestsPerSecond] 'counter' (\"x\\\"} or vector(1) #\") is not a Prometheus metric name (letters, digits, '_' and ':', "
        + "not starting with a digit): use letters, digits, '_' and ':' only, not starting with a digit, e.g. \"vllm:num_requests_waiting\"");
    });

    test('fails when a gauge or histogram name is not a Prometheus metric name', () => {
      expect(() => ScalingMetric.waitingRequests(5, { gauge: 'queue depth' })).toThrow(
        "[ScalingMetric.waitingRequests] 'gauge' (\"queue depth\") is not a Prometheus metric name");
      expect(() => ScalingMetric.responseTimeP95(Duration.seconds(2), { histogram: '1latency' })).toThrow(
        "[ScalingMetric.responseTimeP95] 'histogram' (\"1latency\") is not a Prometheus metric name");
      expect(() => ScalingMetric.gpuUtilization(70, { gauge: 'DCGM{x="1"}' })).toThrow(
        "[ScalingMetric.gpuUtilization] 'gauge' (\"DCGM{x=\\\"1\\\"}\") is not a Prometheus metric name");
    });

    test('fails when an external metric name is not a Prometheus metric name', () => {
      expect(() => ScalingMetric.external('sqs-messages', 10)).toThrow(
        "[ScalingMetric.external] 'metricName' (\"sqs-messages\") is not a Prometheus metric name (letters, digits, '_' and ':', not starting with a digit): "
        + "use the series name as Prometheus stores it: letters, digits, '_' and ':', e.g. \"sqs_messages_visible\"");
    });

    test('fails when a query label key is not both a Prometheus label name and a Kubernetes label key', () => {
      expect(() => ScalingMetric.external('sqs_messages', 10, { matchLabels: { 'example.com/queue': 'jobs' } })).toThrow(
        "[ScalingMetric.external] 'matchLabels' (\"example.com/queue\") has a key that is not a Prometheus label name (letters, digits and '_', "
        + "not starting with a digit): use keys of letters, digits and '_' (not starting with a digit, e.g. \"queue_name\") and values of at most 63 "
        + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    });

    test('fails when a query label value is not a label value', () => {
      expect(() => ScalingMetric.external('sqs_messages', 10, { matchLabels: { queue: 'a"b' } })).toThrow(
        "[ScalingMetric.external] 'matchLabels.queue' (\"a\\\"b\") is not a label value");
    });

    test('fails when a cron window\'s trigger name is not an identifier', () => {
      expect(() => ScalingMetric.cronWindow('0 8 * * *', '0 20 * * *', 4, { name: 'a-b' })).toThrow(
        "[ScalingMetric.cronWindow] 'name' (\"a-b\") is not an identifier (letters, digits and '_', not starting with a digit): "
        + 'use letters, digits and _ only, starting with a letter or _, e.g. "business_hours"');
    });

    test('fails on a zero target, naming the factory', () => {
      expect(() => ScalingMetric.requestsPerSecond(0)).toThrow(
        "[ScalingMetric.requestsPerSecond] 'perPod' (0) must be a number at least 0.001 and at most 1000000000: give the value one pod should handle, "
        + 'from 0.001 to 1,000,000,000 (a zero or negative target would scale to the maximum at once)');
    });

    test('fails when an options struct is not an object', () => {
      expect(() => ScalingMetric.requestsPerSecond(10, null as any)).toThrow(
        "[ScalingMetric.requestsPerSecond] 'options' (null) must be an object of named fields, not null: give the options as an object of named fields, or leave them out");
    });

    test('fails on the string "false" for a boolean option', () => {
      expect(() => ScalingMetric.gpuUtilization(70, { exportedLabels: 'false' as any })).toThrow(
        "[ScalingMetric.gpuUtilization] 'exportedLabels' (\"false\") must be true or false (a boolean), not a string: write exportedLabels: false without quotes");
    });
  });
});

describe('ModelServerKind.fromImage', () => {
  test('fails when the image is not an image reference, instead of taking it for a generic server', () => {
    const fix = 'give an image reference such as "vllm/vllm-openai:v0.12.0" or "registry.example.com/team/model@sha256:<64 hex digits>"';
    const what = "is not an image reference (lowercase repository path, an optional :tag of letters, digits, '_', '.' and '-', an optional @digest)";
    expect(() => ModelServerKind.fromImage('')).toThrow(`[ModelServerKind.fromImage] 'image' ("") ${what}: ${fix}`);
    expect(() => ModelServerKind.fromImage('vllm/vllm-openai:v0.12.0\n')).toThrow(
      `[ModelServerKind.fromImage] 'image' ("vllm/vllm-openai:v0.12.0\\n") ${what}: ${fix}`);
  });

  test('fails when the image is not a string', () => {
    expect(() => ModelServerKind.fromImage(42 as any)).toThrow(
      '[ModelServerKind.fromImage] \'image\' (42) must be a string, not a number: give an image reference such as "vllm/vllm-openai:v0.12.0" '
      + 'or "registry.example.com/team/model@sha256:<64 hex digits>"');
  });
});
