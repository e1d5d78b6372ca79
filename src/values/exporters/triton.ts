import { ExporterData, MetricEntry } from './types';

// NVIDIA Triton: metrics are registered in triton-inference-server/core src/metrics.cc (Metrics::Metrics()), read on
// release branch r26.06 (= server v2.70.0 = container 26.06; core has no tags). prometheus-cpp exposes counters under
// the registered name (no `_total`). Per-model labels: model, version (+ namespace with model namespacing, gpu_uuid
// for instances on a GPU; src/metric_model_reporter.cc:367-393); GPU metrics carry gpu_uuid (src/metrics.cc:862).
// Versions are container releases (YY.MM).
const REF = 'triton-inference-server/core@r26.06 src/metrics.cc';
const at = (line: number) => `${REF}:${line}`;
const M = ['model', 'version'];
const GPU = ['gpu_uuid'];

const metrics: MetricEntry[] = [
  { name: 'nv_inference_request_success', type: 'counter', labels: M, unit: 'requests', source: at(54) },
  // The reason label (REJECTED / CANCELED / BACKEND / OTHER) since r24.08 (src/metric_model_reporter.cc:278).
  { name: 'nv_inference_request_failure', type: 'counter', labels: [...M, 'reason'], unit: 'requests', source: at(59) },
  { name: 'nv_inference_count', type: 'counter', labels: M, unit: 'inferences (batch-size weighted)', source: at(63) },
  { name: 'nv_inference_exec_count', type: 'counter', labels: M, unit: 'model executions (batches)', source: at(68) },
  { name: 'nv_inference_request_duration_us', type: 'counter', labels: M, unit: 'cumulative microseconds', source: at(74) },
  { name: 'nv_inference_queue_duration_us', type: 'counter', labels: M, unit: 'cumulative microseconds', source: at(80) },
  { name: 'nv_inference_compute_input_duration_us', type: 'counter', labels: M, unit: 'cumulative microseconds', source: at(87) },
  { name: 'nv_inference_compute_infer_duration_us', type: 'counter', labels: M, unit: 'cumulative microseconds', source: at(93) },
  { name: 'nv_inference_compute_output_duration_us', type: 'counter', labels: M, unit: 'cumulative microseconds', source: at(99) },
  { name: 'nv_inference_pending_request_count', type: 'gauge', labels: M, unit: 'requests enqueued, not yet executing', since: '23.09', source: at(106) },
  { name: 'nv_model_load_duration_secs', type: 'gauge', labels: M, unit: 'seconds', since: '24.11', source: at(112) },
  { name: 'nv_pinned_memory_pool_total_bytes', type: 'gauge', labels: [], unit: 'bytes', since: '24.01', source: at(118) },
  { name: 'nv_pinned_memory_pool_used_bytes', type: 'gauge', labels: [], unit: 'bytes', since: '24.01', source: at(124) },
  { name: 'nv_cache_num_hits_per_model', type: 'counter', labels: M, unit: 'response-cache hits', source: at(131) },
  { name: 'nv_cache_hit_duration_per_model', type: 'counter', labels: M, unit: 'cumulative microseconds', since: '23.03', source: at(136) },
  { name: 'nv_cache_num_misses_per_model', type: 'counter', labels: M, unit: 'response-cache misses', source: at(141) },
  { name: 'nv_cache_miss_duration_per_model', type: 'counter', labels: M, unit: 'cumulative microseconds', since: '23.03', source: at(146) },
  {
    name: 'nv_inference_first_response_histogram_ms',
    type: 'histogram',
    labels: M,
    unit: 'milliseconds to the first response',
    since: '24.11',
    optIn: '--metrics-config histogram_latencies=true',
    source: at(155),
  },
  { name: 'nv_inference_request_summary_us', type: 'summary', labels: M, unit: 'microseconds', since: '23.04', optIn: '--metrics-config summary_latencies=true', source: `${REF}:162-186` },
  { name: 'nv_inference_queue_summary_us', type: 'summary', labels: M, unit: 'microseconds', since: '23.04', optIn: '--metrics-config summary_latencies=true', source: `${REF}:162-186` },
  { name: 'nv_inference_compute_input_summary_us', type: 'summary', labels: M, unit: 'microseconds', since: '23.04', optIn: '--metrics-config summary_latencies=true', source: `${REF}:162-186` },
  { name: 'nv_inference_compute_infer_summary_us', type: 'summary', labels: M, unit: 'microseconds', since: '23.04', optIn: '--metrics-config summary_latencies=true', source: `${REF}:162-186` },
  { name: 'nv_inference_compute_output_summary_us', type: 'summary', labels: M, unit: 'microseconds', since: '23.04', optIn: '--metrics-config summary_latencies=true', source: `${REF}:162-186` },
  { name: 'nv_gpu_utilization', type: 'gauge', labels: GPU, unit: 'fraction 0-1', source: at(207) },
  { name: 'nv_gpu_memory_total_bytes', type: 'gauge', labels: GPU, unit: 'bytes', source: at(211) },
  { name: 'nv_gpu_memory_used_bytes', type: 'gauge', labels: GPU, unit: 'bytes', source: at(215) },
  { name: 'nv_gpu_power_usage', type: 'gauge', labels: GPU, unit: 'watts', source: at(219) },
  { name: 'nv_gpu_power_limit', type: 'gauge', labels: GPU, unit: 'watts', source: at(223) },
  { name: 'nv_energy_consumption', type: 'counter', labels: GPU, unit: 'joules since start', source: at(228) },
  { name: 'nv_cpu_utilization', type: 'gauge', labels: [], unit: 'fraction 0-1', since: '22.09', source: at(236) },
  { name: 'nv_cpu_memory_total_bytes', type: 'gauge', labels: [], unit: 'bytes', since: '22.09', source: at(240) },
  { name: 'nv_cpu_memory_used_bytes', type: 'gauge', labels: [], unit: 'bytes', since: '22.09', source: at(244) },
];

/**
 * Triton at container 26.06 (server v2.70.0; the name set is unchanged since 24.11). HTTP on 8000, metrics on their own
 * port 8002 (triton-inference-server/server@v2.71.0 src/command_line_parser.h:195,215), path `/metrics`
 * (src/http_server.h:155).
 */
export const TRITON: ExporterData = {
  id: 'triton',
  name: 'NVIDIA Triton Inference Server',
  version: '26.06',
  source: 'triton-inference-server/core@r26.06',
  port: 8002,
  metricsPath: '/metrics',
  client: 'plain',
  metrics,
};
