import { ExporterCatalog, MetricsExporter, MetricType, ModelServerKind, ScalingMetric } from '../../src';

describe('ExporterCatalog', () => {
  test('pins the ten exporters, each to a release', () => {
    expect(ExporterCatalog.all().map(e => `${e.id}@${e.version}`)).toEqual([
      'vllm@0.12.0', 'text-embeddings-inference@1.8.3', 'triton@26.06', 'text-generation-inference@3.3.7', 'sglang@0.5.6.post2',
      'dcgm-exporter@4.5.3-4.8.2', 'kube-state-metrics@2.20.0', 'keda@2.20.2', 'karpenter@1.14.1', 'endpoint-picker@0.9.0',
    ]);
  });

  test('the endpoint picker: per-pool averages under both names, flow control opt-in', () => {
    const epp = MetricsExporter.ENDPOINT_PICKER;
    expect(epp.port).toBe(9090);
    for (const s of ['llm_d_epp_average_queue_size', 'llm_d_epp_average_kv_cache_utilization', 'llm_d_epp_average_running_requests',
      'inference_pool_average_queue_size', 'inference_pool_average_kv_cache_utilization']) {
      expect(epp.metricOfSeries(s)).toMatchObject({ type: MetricType.GAUGE, labels: ['name'] });
    }
    expect(epp.metric('inference_pool_average_queue_size')?.renamedTo).toBe('llm_d_epp_average_queue_size');
    expect(epp.metric('llm_d_epp_flow_control_pool_saturation')).toMatchObject({ labels: ['inference_pool'] });
    expect(epp.metric('llm_d_epp_flow_control_pool_saturation')?.optIn).toContain('flowControl');
    expect(ExporterCatalog.exporterOf('llm_d_epp_average_queue_size')?.id).toBe('endpoint-picker');
  });

  test('answers for the series Prometheus stores: histograms by _bucket/_sum/_count, counters as exposed', () => {
    const vllm = MetricsExporter.VLLM;
    expect(vllm.exports('vllm:e2e_request_latency_seconds_bucket')).toBe(true);
    expect(vllm.exports('vllm:e2e_request_latency_seconds_count')).toBe(true);
    expect(vllm.exports('vllm:e2e_request_latency_seconds')).toBe(false);
    expect(vllm.exports('vllm:request_success_total')).toBe(true);
    // TEI's and Triton's exporters add no _total to counters.
    expect(MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.exports('te_request_count')).toBe(true);
    expect(MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.exports('te_request_count_total')).toBe(false);
    expect(MetricsExporter.TRITON.metricOfSeries('nv_inference_request_success')?.type).toBe(MetricType.COUNTER);
    expect(MetricsExporter.TRITON.metricOfSeries('nv_inference_request_summary_us_sum')?.optIn).toBe('--metrics-config summary_latencies=true');
  });

  test('removed names are kept for the version checks but are not exported at the pinned release', () => {
    expect(MetricsExporter.VLLM.exports('vllm:gpu_cache_usage_perc')).toBe(false);
    expect(MetricsExporter.VLLM.metric('vllm:gpu_cache_usage_perc')).toMatchObject({ removedIn: '0.12.0', renamedTo: 'vllm:kv_cache_usage_perc' });
    expect(MetricsExporter.VLLM.metricNames()).not.toContain('vllm:gpu_cache_usage_perc');
    expect(MetricsExporter.KEDA.exports('keda_scaler_errors_total')).toBe(false);
    expect(MetricsExporter.KUBE_STATE_METRICS.exports('kube_hpa_status_current_replicas')).toBe(false);
    expect(MetricsExporter.KARPENTER.exports('karpenter_nodepool_usage')).toBe(false);
  });

  test('finds the exporter of a series, and none for an unpinned one', () => {
    expect(ExporterCatalog.exporterOf('DCGM_FI_DEV_GPU_UTIL')?.id).toBe('dcgm-exporter');
    expect(ExporterCatalog.exporterOf('kube_horizontalpodautoscaler_status_condition')?.id).toBe('kube-state-metrics');
    expect(ExporterCatalog.exporterOf('keda_scaler_detail_errors_total')?.id).toBe('keda');
    expect(ExporterCatalog.exporterOf('karpenter_nodepools_usage')?.id).toBe('karpenter');
    expect(ExporterCatalog.exporterOf('te_request_duration_bucket')?.id).toBe('text-embeddings-inference');
    expect(ExporterCatalog.exporterOf('http_requests_total')).toBeUndefined();
    expect(ExporterCatalog.byId('sglang')).toBe(MetricsExporter.SGLANG);
  });

  test('every entry cites its upstream source, names are unique, and every series belongs to one exporter', () => {
    const owners = new Map<string, string>();
    for (const exporter of ExporterCatalog.all()) {
      const names = exporter.metrics().map(m => m.name);
      expect(new Set(names).size).toBe(names.length);
      for (const m of exporter.metrics()) {
        expect(m.source).toMatch(/^[\w.-]+\/[\w.-]+(@|#)/);
        expect(m.labels.length === 0 || m.labels.every(l => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l))).toBe(true);
        for (const s of m.seriesNames) {
          expect(owners.get(s)).toBeUndefined();
          owners.set(s, exporter.id);
        }
      }
    }
  });

  test('changesSince lists what differs between an older release and the pinned one', () => {
    expect(MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.changesSince('1.8')).toEqual([]);
    expect(MetricsExporter.KEDA.changesSince('2.16.0').map(m => m.name)).toEqual(expect.arrayContaining([
      'keda_scaler_empty_upstream_responses_total', 'keda_scaler_errors_total', 'keda_scaler_errors', 'keda_scaled_object_errors',
    ]));
    expect(MetricsExporter.TRITON.changesSince('24.11')).toEqual([]);
  });
});

describe('ModelServerKind', () => {
  test('every preset reads names its pinned exporter exports, each of the right type', () => {
    const roles: Array<[keyof ModelServerKind, MetricType]> = [
      ['requestCounter', MetricType.COUNTER], ['latencyHistogram', MetricType.HISTOGRAM], ['waitingGauge', MetricType.GAUGE],
      ['runningGauge', MetricType.GAUGE], ['kvCacheUsageGauge', MetricType.GAUGE],
      ['timeToFirstTokenHistogram', MetricType.HISTOGRAM], ['interTokenLatencyHistogram', MetricType.HISTOGRAM],
    ];
    for (const kind of ModelServerKind.presets()) {
      for (const [role, type] of roles) {
        const name = kind[role] as string | undefined;
        if (name === undefined) continue;
        const metric = kind.exporter!.metric(name);
        expect({ kind: kind.name, role, type: metric?.type, removed: metric?.removedIn, optIn: metric?.optIn })
          .toEqual({ kind: kind.name, role, type, removed: undefined, optIn: undefined });
      }
    }
  });

  test('the kind follows the image repository, Docker Hub prefixes and all', () => {
    expect(ModelServerKind.fromImage('vllm/vllm-openai:v0.12.0')).toBe(ModelServerKind.VLLM);
    expect(ModelServerKind.fromImage('docker.io/vllm/vllm-openai:v0.12.0')).toBe(ModelServerKind.VLLM);
    expect(ModelServerKind.fromImage('ghcr.io/huggingface/text-embeddings-inference:cpu-1.8')).toBe(ModelServerKind.TEXT_EMBEDDINGS_INFERENCE);
    expect(ModelServerKind.fromImage('nvcr.io/nvidia/tritonserver:24.11-py3')).toBe(ModelServerKind.TRITON);
    expect(ModelServerKind.fromImage('lmsysorg/sglang:v0.5.6.post2-cu129')).toBe(ModelServerKind.SGLANG);
    expect(ModelServerKind.fromImage('ghcr.io/huggingface/text-generation-inference:3.3.7')).toBe(ModelServerKind.TEXT_GENERATION_INFERENCE);
    expect(ModelServerKind.fromImage('registry.internal/vllm-openai:v0.12.0').isGeneric).toBe(true);
    expect(ModelServerKind.fromImage('localhost:5000/vllm/vllm-openai').isGeneric).toBe(true);
  });

  test('the pinned vLLM version is the one ScalingMetric names', () => {
    expect(ModelServerKind.VLLM.version).toBe(ScalingMetric.VLLM_METRICS_VERSION);
  });
});
