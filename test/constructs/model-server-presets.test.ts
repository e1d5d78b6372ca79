import { Duration } from 'cdk8s';
import {
  GpuRequest, InferenceAutoscaler, InferenceAutoscalerProps, ModelServerKind, ModelServerProps, ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

/** One app per model-server preset, scaled on every metric the server exports; each must pass the conformance check. */
function build(modelServer: ModelServerProps, metrics: ScalingMetric[], extra: Partial<InferenceAutoscalerProps> = {}) {
  const chart = newChart({ namespace: 'serving' });
  new InferenceAutoscaler(chart, 'svc', { name: 'svc', modelServer, maxReplicas: 6, metrics, ...extra });
  const manifests = expectConformant(chart);
  const rules = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules;
  const expr = (record: string) => rules.find((r: any) => r.record === record)?.expr;
  return { manifests, expr };
}

const all = () => [
  ScalingMetric.requestsPerSecond(10), ScalingMetric.responseTimeP95(Duration.millis(800)), ScalingMetric.waitingRequests(4),
  ScalingMetric.runningRequests(8), ScalingMetric.kvCacheUsage(80), ScalingMetric.gpuUtilization(70),
];

describe('model-server presets', () => {
  test('vLLM: every preset on vLLM 0.12.0 names', () => {
    const { manifests, expr } = build({ image: 'vllm/vllm-openai:v0.12.0', args: ['--model', 'm'], gpu: GpuRequest.of(1) }, all());
    expect(expr('scaling:request_rate')).toContain('rate(vllm:request_success_total{');
    expect(expr('scaling:response_time_p95')).toContain('vllm:e2e_request_latency_seconds_bucket{');
    expect(expr('scaling:queue_length')).toContain('vllm:num_requests_waiting{');
    expect(expr('scaling:running_requests')).toContain('vllm:num_requests_running{');
    expect(expr('scaling:kv_cache_usage')).toContain('100 * max by (namespace, pod, scaling_target) (vllm:kv_cache_usage_perc{');
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 8000, name: 'http' }]);
  });

  test('TEI: its counter and histogram, its queue gauge, port 8080 told through PORT', () => {
    const { manifests, expr } = build({ image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8' },
      [ScalingMetric.requestsPerSecond(10), ScalingMetric.responseTimeP95(Duration.millis(300)), ScalingMetric.waitingRequests(4)]);
    expect(expr('scaling:request_rate')).toContain('rate(te_request_count{');
    expect(expr('scaling:response_time_p95')).toContain('te_request_duration_bucket{');
    expect(expr('scaling:queue_length')).toContain('te_queue_size{');
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: '8080' }]));
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 8080, scheme: 'HTTP' });
    expect(ofKind(manifests, 'Service').spec.ports).toEqual([{ name: 'http', port: 8080 }]);
  });

  test('Triton: metrics scraped from their own port 8002, health at /v2/health/ready', () => {
    const { manifests, expr } = build(
      { image: 'nvcr.io/nvidia/tritonserver:26.06-py3', args: ['tritonserver', '--model-repository=s3://models'], gpu: GpuRequest.of(1) },
      [ScalingMetric.requestsPerSecond(50), ScalingMetric.waitingRequests(10), ScalingMetric.gpuUtilization(70)]);
    expect(expr('scaling:request_rate')).toContain('rate(nv_inference_request_success{');
    expect(expr('scaling:queue_length')).toContain('nv_inference_pending_request_count{');
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 8000, name: 'http' }, { containerPort: 8002, name: 'metrics' }]);
    expect(container.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(ofKind(manifests, 'Service').spec.ports).toEqual([{ name: 'http', port: 8000 }, { name: 'metrics', port: 8002 }]);
    expect(ofKind(manifests, 'ServiceMonitor').spec.endpoints[0].port).toBe('metrics');
  });

  test('SGLang: port 30000, started with --enable-metrics and --host 0.0.0.0', () => {
    const args = ['python3', '-m', 'sglang.launch_server', '--model-path', 'm', '--host', '0.0.0.0', '--enable-metrics'];
    const { manifests, expr } = build({ image: 'lmsysorg/sglang:v0.5.6.post2-cu129', args, gpu: GpuRequest.of(1) }, all());
    expect(expr('scaling:request_rate')).toContain('rate(sglang:num_requests_total{');
    expect(expr('scaling:response_time_p95')).toContain('sglang:e2e_request_latency_seconds_bucket{');
    expect(expr('scaling:queue_length')).toContain('sglang:num_queue_reqs{');
    expect(expr('scaling:running_requests')).toContain('sglang:num_running_reqs{');
    expect(expr('scaling:kv_cache_usage')).toContain('sglang:token_usage{');
    expect(ofKind(manifests, 'Deployment').spec.template.spec.containers[0].ports).toEqual([{ containerPort: 30000, name: 'http' }]);
  });

  test('TGI: its counter, histogram, queue and batch gauges', () => {
    const { expr } = build({ image: 'ghcr.io/huggingface/text-generation-inference:3.3.7', gpu: GpuRequest.of(1) }, [
      ScalingMetric.requestsPerSecond(5), ScalingMetric.responseTimeP95(Duration.seconds(4)), ScalingMetric.waitingRequests(4),
      ScalingMetric.runningRequests(16), ScalingMetric.gpuUtilization(70),
    ]);
    expect(expr('scaling:request_rate')).toContain('rate(tgi_request_count{');
    expect(expr('scaling:response_time_p95')).toContain('tgi_request_duration_bucket{');
    expect(expr('scaling:queue_length')).toContain('tgi_queue_size{');
    expect(expr('scaling:running_requests')).toContain('tgi_batch_current_size{');
  });

  test('generic: the names the server gives, its own port and paths', () => {
    const kind = ModelServerKind.generic({
      port: 9000,
      healthPath: '/ready',
      metricsPath: '/stats',
      requestCounter: 'http_requests_total',
      latencyHistogram: 'http_request_duration_seconds',
      waitingGauge: 'queue_depth',
      runningGauge: 'in_flight',
      kvCacheUsageGauge: 'kv_fraction',
    });
    const { manifests, expr } = build({ image: 'ghcr.io/example/reranker:1.4.2', kind }, all().slice(0, 5));
    expect(expr('scaling:request_rate')).toContain('rate(http_requests_total{');
    expect(expr('scaling:response_time_p95')).toContain('http_request_duration_seconds_bucket{');
    expect(expr('scaling:queue_length')).toContain('queue_depth{');
    expect(expr('scaling:running_requests')).toContain('in_flight{');
    expect(expr('scaling:kv_cache_usage')).toContain('kv_fraction{');
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.startupProbe.httpGet).toEqual({ path: '/ready', port: 9000, scheme: 'HTTP' });
    expect(ofKind(manifests, 'ServiceMonitor').spec.endpoints[0].path).toBe('/stats');
  });

  test('explicit props override the kind\'s port and paths', () => {
    const { manifests } = build({ image: 'ghcr.io/huggingface/text-embeddings-inference:1.8', port: 3000, healthPath: '/ping' },
      [ScalingMetric.requestsPerSecond(10)]);
    const container = ofKind(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: '3000' }]));
    expect(container.startupProbe.httpGet).toEqual({ path: '/ping', port: 3000, scheme: 'HTTP' });
  });
});

describe('metric presets resolve against the server', () => {
  const attempt = (modelServer: ModelServerProps, metrics: ScalingMetric[]) => () =>
    new InferenceAutoscaler(newChart(), 'svc', { modelServer, maxReplicas: 6, metrics });
  const TEI = 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8';

  test('a metric the server does not export is an error naming the server, its version and what it exports', () => {
    expect(attempt({ image: TEI }, [ScalingMetric.kvCacheUsage(80)])).toThrow(
      "[test/svc] 'metrics[0]' (\"KV-cache usage (%)\") needs a KV-cache usage gauge, and Hugging Face text-embeddings-inference 1.8.3 exports none "
      + `(the server is text-embeddings-inference 1.8.3 (${TEI})): scale on what it exports: counters te_request_count, te_request_success,`);
    expect(attempt({ image: 'nvcr.io/nvidia/tritonserver:26.06-py3' }, [ScalingMetric.responseTimeP95(Duration.millis(300))]))
      .toThrow('needs a request-latency histogram, and NVIDIA Triton Inference Server 26.06 exports none');
  });

  test('a series name the server does not export is an error listing the ones of that type', () => {
    expect(attempt({ image: TEI }, [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })])).toThrow(
      "[test/svc] 'metrics[0]' (\"http_requests_total\") is not a counter Hugging Face text-embeddings-inference 1.8.3 exports "
      + `(the server is text-embeddings-inference 1.8.3 (${TEI})): use one of its counters: te_request_count, te_request_success, te_request_failure, `
      + 'te_embed_count, te_embed_success, te_predict_count, te_predict_success; or set modelServer.kind to ModelServerKind.generic({...}) for a server that exports it');
    expect(attempt({ image: 'vllm/vllm-openai:v0.12.0' }, [ScalingMetric.waitingRequests(5, { gauge: 'vllm:gpu_cache_usage_perc' })]))
      .toThrow("'metrics[0]' (\"vllm:gpu_cache_usage_perc\") is not a gauge vLLM 0.12.0 exports");
  });

  test('a vLLM preset on another server is an error pointing to the neutral preset', () => {
    expect(attempt({ image: TEI }, [ScalingMetric.vllmWaitingRequests(5)])).toThrow(
      "[test/svc] 'metrics[0]' (\"vLLM waiting requests\") reads vLLM's vllm:num_requests_waiting, and the server is text-embeddings-inference 1.8.3 "
      + `(${TEI}): use ScalingMetric.waitingRequests(...), which reads the server's own gauge of waiting requests`);
  });

  test('a generic server must name what a preset reads', () => {
    expect(attempt({ image: 'ghcr.io/example/reranker:1.4.2' }, [ScalingMetric.responseTimeP95(Duration.millis(300))])).toThrow(
      "[test/svc] 'metrics[0]' (\"p95 response time (s)\") needs a request-latency histogram, and the server is generic (ghcr.io/example/reranker:1.4.2), "
      + "which names none: name it: modelServer.kind: ModelServerKind.generic({ latencyHistogram: '<series>' }) (or the metric's 'histogram' option)");
  });

  test('GPU utilization on a server without a GPU is an error', () => {
    expect(attempt({ image: 'vllm/vllm-openai:v0.12.0' }, [ScalingMetric.gpuUtilization(70)])).toThrow(
      "[test/svc] 'metrics[0]' (\"GPU utilization (%)\") reads dcgm-exporter's DCGM_FI_DEV_GPU_UTIL, and the pods of vllm/vllm-openai:v0.12.0 request no GPU");
    expect(attempt({ image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) }, [ScalingMetric.gpuUtilization(70, { gauge: 'DCGM_FI_GPU_BUSY' })]))
      .toThrow("'metrics[0]' (\"DCGM_FI_GPU_BUSY\") is not a gauge NVIDIA dcgm-exporter 4.5.3-4.8.2 exports");
  });

  test('a kind given against another preset\'s image is an error', () => {
    expect(attempt({ image: TEI, kind: ModelServerKind.VLLM }, [ScalingMetric.requestsPerSecond(1)])).toThrow(
      `[test/svc] 'modelServer.kind' ("vLLM") does not match the image '${TEI}', which is text-embeddings-inference: remove kind (it follows the image), or use the vLLM image`);
  });

  test('the server\'s port and required arguments are checked', () => {
    expect(attempt({ image: 'vllm/vllm-openai:v0.12.0', port: 9000 }, [ScalingMetric.waitingRequests(1)])).toThrow(
      "[test/svc] 'modelServer.port' (9000) is not the port vLLM listens on unless told (8000): add '--port', '9000' to modelServer.args, or leave port unset");
    expect(attempt({ image: 'vllm/vllm-openai:v0.12.0', port: 9000, args: ['--port=9000'] }, [ScalingMetric.waitingRequests(1)])).not.toThrow();
    expect(attempt({ image: 'lmsysorg/sglang:v0.5.6.post2-cu129', args: ['python3', '-m', 'sglang.launch_server', '--host', '0.0.0.0'] },
      [ScalingMetric.waitingRequests(1)])).toThrow("lacks '--enable-metrics': SGLang serves no metrics without it: add '--enable-metrics' to the arguments");
    expect(attempt({ image: 'lmsysorg/sglang:v0.5.6.post2-cu129', args: ['--enable-metrics'] }, [ScalingMetric.waitingRequests(1)]))
      .toThrow("lacks '--host' '0.0.0.0': SGLang listens on 127.0.0.1 unless told");
  });
});

describe('the image tag is checked against the catalog\'s version', () => {
  const attempt = (image: string, serverVersion?: string) => () =>
    new InferenceAutoscaler(newChart(), 'svc', { modelServer: { image, serverVersion }, maxReplicas: 6, metrics: [ScalingMetric.waitingRequests(4)] });

  test('a vLLM tag older than the pinned metric names is an error saying which names changed', () => {
    expect(attempt('vllm/vllm-openai:v0.10.1')).toThrow(
      "[test/svc] 'modelServer.image' (\"vllm/vllm-openai:v0.10.1\") is vLLM 0.10.1, older than 0.12.0, whose metric names the library uses; they changed since: "
      + 'vllm:gpu_cache_usage_perc removed in 0.12.0 (now vllm:kv_cache_usage_perc), vllm:gpu_prefix_cache_queries_total removed in 0.12.0 (now vllm:prefix_cache_queries_total), '
      + 'vllm:gpu_prefix_cache_hits_total removed in 0.12.0 (now vllm:prefix_cache_hits_total), vllm:time_per_output_token_seconds removed in 0.12.0 '
      + '(now vllm:inter_token_latency_seconds), vllm:inter_token_latency_seconds added in 0.11.0, vllm:request_time_per_output_token_seconds added in 0.11.0: '
      + "use vLLM 0.12.0 or later, e.g. 'vllm/vllm-openai:v0.12.0'");
    expect(attempt('vllm/vllm-openai:v0.11.2')).toThrow('vllm:gpu_cache_usage_perc removed in 0.12.0');
    expect(attempt('vllm/vllm-openai:v0.12.0')).not.toThrow();
    expect(attempt('docker.io/vllm/vllm-openai:v0.14.1')).not.toThrow();
  });

  test('latest, no tag, or a tag that names no release is an error for a known server', () => {
    expect(attempt('vllm/vllm-openai:latest')).toThrow(
      "[test/svc] 'modelServer.image' (\"vllm/vllm-openai:latest\") names no vLLM release ('latest' moves), and its metric names depend on the release: "
      + "pin a release tag, e.g. 'vllm/vllm-openai:v0.12.0' (or a digest together with serverVersion)");
    expect(attempt('vllm/vllm-openai')).toThrow('names no vLLM release (no tag means latest)');
    expect(attempt('ghcr.io/huggingface/text-embeddings-inference:cpu-latest')).toThrow('has a tag that names no text-embeddings-inference release');
    // A generic server's names are the user's: no release check, only the pin (which the user may waive) and the missing gauge.
    expect(attempt('ghcr.io/example/server:latest')).toThrow("'modelServer.image' (\"ghcr.io/example/server:latest\") is not pinned ('latest' moves)");
    expect(() => new InferenceAutoscaler(newChart(), 'svc', {
      modelServer: { image: 'ghcr.io/example/server:latest', allowUnpinnedImage: true }, maxReplicas: 6, metrics: [ScalingMetric.waitingRequests(4)],
    })).toThrow(/needs a gauge of waiting requests, and the server is generic/);
    // The waiver does not lift a known server's release check.
    expect(() => new InferenceAutoscaler(newChart(), 'svc', {
      modelServer: { image: 'vllm/vllm-openai:latest', allowUnpinnedImage: true }, maxReplicas: 6, metrics: [ScalingMetric.waitingRequests(4)],
    })).toThrow("names no vLLM release ('latest' moves)");
  });

  test('a digest is accepted with an explicit version, or with a tag beside it', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    expect(attempt(`vllm/vllm-openai@${digest}`)).toThrow(
      `[test/svc] 'modelServer.image' ("vllm/vllm-openai@${digest}") is pinned by digest only, and vLLM's metric names depend on its release: `
      + `set modelServer.serverVersion to the release the digest was built from, or put the tag beside the digest ('vllm/vllm-openai:<tag>@${digest}')`);
    expect(attempt(`vllm/vllm-openai@${digest}`, '0.12.0')).not.toThrow();
    expect(attempt(`vllm/vllm-openai@${digest}`, '0.11.0')).toThrow('is vLLM 0.11.0, older than 0.12.0');
    expect(attempt(`vllm/vllm-openai:v0.12.0@${digest}`)).not.toThrow();
    expect(attempt('vllm/vllm-openai:v0.12.0', '0.13.0')).toThrow("'modelServer.serverVersion' (\"0.13.0\") differs from the image tag's release (0.12.0)");
  });

  test('TEI reads the version after the variant prefix; its names are unchanged since 1.3', () => {
    for (const tag of ['cpu-1.8', '1.8', '86-1.8', 'hopper-1.9', 'turing-1.3']) {
      expect(attempt(`ghcr.io/huggingface/text-embeddings-inference:${tag}`)).not.toThrow();
    }
    expect(attempt('ghcr.io/huggingface/text-embeddings-inference:cpu-1.2')).toThrow(
      'is text-embeddings-inference 1.2, older than 1.8.3, whose metric names the library uses; they changed since: te_request_tokenization_duration added in 1.3.0');
  });

  test('Triton, SGLang and TGI tags', () => {
    expect(attempt('nvcr.io/nvidia/tritonserver:24.11-py3')).not.toThrow();
    expect(attempt('nvcr.io/nvidia/tritonserver:26.07-vllm-python-py3')).not.toThrow();
    expect(attempt('nvcr.io/nvidia/tritonserver:23.08-py3')).toThrow(
      'is Triton 23.08, older than 26.06, whose metric names the library uses; they changed since: nv_inference_pending_request_count added in 23.09');
    const sglang = (tag: string) => attempt(`lmsysorg/sglang:${tag}`);
    // SGLang needs its arguments, which these images lack: only the version message is asserted.
    expect(sglang('v0.5.3-cu126')).toThrow('is SGLang 0.5.3, older than 0.5.6.post2, whose metric names the library uses; they changed since: sglang:max_total_num_tokens added in 0.5.6');
    expect(sglang('v0.5.6-cu129')).toThrow("lacks '--enable-metrics'");
    expect(attempt('ghcr.io/huggingface/text-generation-inference:3.3.5')).not.toThrow();
    expect(attempt('ghcr.io/huggingface/text-generation-inference:2.2.0')).toThrow(
      'is text-generation-inference 2.2.0, older than 3.3.7, whose metric names the library uses; they changed since: tgi_batch_max_total_tokens added in 2.3.1');
  });
});

describe('ModelServerKind.generic input checks', () => {
  test('fails when a metric name is not a Prometheus metric name', () => {
    expect(() => ModelServerKind.generic({ requestCounter: 'http-requests' })).toThrow(
      "[ModelServerKind.generic] 'requestCounter' (\"http-requests\") is not a Prometheus metric name (letters, digits, '_' and ':', not starting with a " +
      'digit): use letters, digits, \'_\' and \':\' only, not starting with a digit, e.g. "vllm:num_requests_waiting"');
  });

  test('fails when a port is outside the port range', () => {
    expect(() => ModelServerKind.generic({ port: 0 })).toThrow(
      "[ModelServerKind.generic] 'port' (0) must be a port number at least 1 and at most 65535: give the port the server listens on (1 to 65535)");
  });
});
