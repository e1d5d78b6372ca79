import { ExporterData, MetricEntry } from './types';

// vLLM V1 engine, vllm/v1/metrics/loggers.py PrometheusStatLogger.__init__, read at upstream commit da3222f37
// (v0.12.0-equivalent: the release notes' last PR #29559; the v0.12.0 tag itself was not readable, see
// research/exporter-metrics.md §1). Every metric carries labelnames ["model_name", "engine"] (loggers.py:379).
const REF = 'vllm-project/vllm@da3222f37 (v0.12.0) vllm/v1/metrics/loggers.py';
const L = ['model_name', 'engine'];
const at = (line: number) => `${REF}:${line}`;
// The buckets are fixed in the source (no flag changes them): loggers.py:656-679 and :726-746.
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const TOKEN_INTERVAL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];

const metrics: MetricEntry[] = [
  { name: 'vllm:num_requests_running', type: 'gauge', labels: L, unit: 'requests in model-execution batches', source: at(398) },
  { name: 'vllm:num_requests_waiting', type: 'gauge', labels: L, unit: 'requests waiting to be scheduled', source: at(408) },
  { name: 'vllm:engine_sleep_state', type: 'gauge', labels: [...L, 'sleep_state'], unit: '0/1', source: at(418) },
  // Renamed from vllm:gpu_cache_usage_perc in 0.9.2 (#18354); a 0-1 fraction despite the name.
  { name: 'vllm:kv_cache_usage_perc', type: 'gauge', labels: L, unit: 'fraction 0-1', since: '0.9.2', source: at(444) },
  {
    name: 'vllm:gpu_cache_usage_perc',
    type: 'gauge',
    labels: L,
    unit: 'fraction 0-1',
    removedIn: '0.12.0',
    renamedTo: 'vllm:kv_cache_usage_perc',
    source: 'vllm-project/vllm#29330 (removed in 0.12.0; hidden from 0.11.0 by #24245, deprecated in 0.9.2 by #18354)',
  },
  { name: 'vllm:corrupted_requests_total', type: 'counter', labels: L, unit: 'requests', optIn: 'VLLM_COMPUTE_NANS_IN_LOGITS=1', source: at(455) },
  { name: 'vllm:prefix_cache_queries_total', type: 'counter', labels: L, unit: 'tokens', since: '0.9.2', source: at(467) },
  { name: 'vllm:prefix_cache_hits_total', type: 'counter', labels: L, unit: 'tokens', since: '0.9.2', source: at(478) },
  {
    name: 'vllm:gpu_prefix_cache_queries_total',
    type: 'counter',
    labels: L,
    unit: 'tokens',
    removedIn: '0.12.0',
    renamedTo: 'vllm:prefix_cache_queries_total',
    source: 'vllm-project/vllm#29330 (removed in 0.12.0)',
  },
  {
    name: 'vllm:gpu_prefix_cache_hits_total',
    type: 'counter',
    labels: L,
    unit: 'tokens',
    removedIn: '0.12.0',
    renamedTo: 'vllm:prefix_cache_hits_total',
    source: 'vllm-project/vllm#29330 (removed in 0.12.0)',
  },
  { name: 'vllm:external_prefix_cache_queries_total', type: 'counter', labels: L, unit: 'tokens (KV connector)', source: at(491) },
  { name: 'vllm:external_prefix_cache_hits_total', type: 'counter', labels: L, unit: 'tokens (KV connector)', source: at(503) },
  { name: 'vllm:mm_cache_queries_total', type: 'counter', labels: L, unit: 'multimodal cache items', source: at(519) },
  { name: 'vllm:mm_cache_hits_total', type: 'counter', labels: L, unit: 'multimodal cache items', source: at(530) },
  { name: 'vllm:num_preemptions_total', type: 'counter', labels: L, unit: 'preemptions', source: at(544) },
  { name: 'vllm:prompt_tokens_total', type: 'counter', labels: L, unit: 'prefill tokens', source: at(553) },
  { name: 'vllm:generation_tokens_total', type: 'counter', labels: L, unit: 'generated tokens', source: at(562) },
  // finished_reason = stop / length / abort (vllm/v1/engine/__init__.py:22).
  { name: 'vllm:request_success_total', type: 'counter', labels: [...L, 'finished_reason'], unit: 'finished requests', source: at(572) },
  { name: 'vllm:request_prompt_tokens', type: 'histogram', labels: L, unit: 'tokens per request', source: at(588) },
  { name: 'vllm:request_generation_tokens', type: 'histogram', labels: L, unit: 'tokens per request', source: at(598) },
  { name: 'vllm:iteration_tokens_total', type: 'histogram', labels: L, unit: 'tokens per engine step', source: at(611) },
  { name: 'vllm:request_max_num_generation_tokens', type: 'histogram', labels: L, unit: 'tokens', source: at(621) },
  { name: 'vllm:request_params_n', type: 'histogram', labels: L, unit: 'n', source: at(631) },
  { name: 'vllm:request_params_max_tokens', type: 'histogram', labels: L, unit: 'tokens', source: at(641) },
  { name: 'vllm:time_to_first_token_seconds', type: 'histogram', labels: L, unit: 'seconds', buckets: TTFT_BUCKETS, source: at(654) },
  // Deprecated in 0.11 (#24110), hidden in 0.12 (only with --show-hidden-metrics-for-version=0.11), deleted in 0.15 (#32661).
  {
    name: 'vllm:time_per_output_token_seconds',
    type: 'histogram',
    labels: L,
    unit: 'seconds',
    removedIn: '0.12.0',
    renamedTo: 'vllm:inter_token_latency_seconds',
    source: `${at(691)} (hidden by default from 0.12.0; removed in 0.15.0 by #32661)`,
  },
  {
    name: 'vllm:inter_token_latency_seconds',
    type: 'histogram',
    labels: L,
    unit: 'seconds between output tokens',
    since: '0.11.0',
    buckets: TOKEN_INTERVAL_BUCKETS,
    source: at(724),
  },
  { name: 'vllm:request_time_per_output_token_seconds', type: 'histogram', labels: L, unit: 'seconds (per-request mean)', since: '0.11.0', source: at(754) },
  { name: 'vllm:e2e_request_latency_seconds', type: 'histogram', labels: L, unit: 'seconds', source: at(807) },
  { name: 'vllm:request_queue_time_seconds', type: 'histogram', labels: L, unit: 'seconds in WAITING', source: at(817) },
  { name: 'vllm:request_inference_time_seconds', type: 'histogram', labels: L, unit: 'seconds in RUNNING', source: at(827) },
  { name: 'vllm:request_prefill_time_seconds', type: 'histogram', labels: L, unit: 'seconds', source: at(837) },
  { name: 'vllm:request_decode_time_seconds', type: 'histogram', labels: L, unit: 'seconds', source: at(847) },
  {
    name: 'vllm:lora_requests_info',
    type: 'gauge',
    labels: ['max_lora', 'waiting_lora_adapters', 'running_lora_adapters'],
    unit: 'info (timestamp)',
    optIn: '--enable-lora',
    source: at(871),
  },
  { name: 'vllm:cache_config_info', type: 'gauge', labels: ['engine'], unit: 'info (1); one more label per CacheConfig field', source: at(887) },
  {
    name: 'vllm:spec_decode_num_drafts_total',
    type: 'counter',
    labels: L,
    unit: 'drafts',
    optIn: '--speculative-config',
    source: 'vllm-project/vllm@da3222f37 (v0.12.0) vllm/v1/spec_decode/metrics.py:154',
  },
  {
    name: 'vllm:spec_decode_num_draft_tokens_total',
    type: 'counter',
    labels: L,
    unit: 'tokens',
    optIn: '--speculative-config',
    source: 'vllm-project/vllm@da3222f37 (v0.12.0) vllm/v1/spec_decode/metrics.py:163',
  },
  {
    name: 'vllm:spec_decode_num_accepted_tokens_total',
    type: 'counter',
    labels: L,
    unit: 'tokens',
    optIn: '--speculative-config',
    source: 'vllm-project/vllm@da3222f37 (v0.12.0) vllm/v1/spec_decode/metrics.py:172',
  },
  {
    name: 'vllm:spec_decode_num_accepted_tokens_per_pos_total',
    type: 'counter',
    labels: [...L, 'position'],
    unit: 'tokens',
    optIn: '--speculative-config',
    source: 'vllm-project/vllm@da3222f37 (v0.12.0) vllm/v1/spec_decode/metrics.py:188',
  },
];

/**
 * vLLM's own metrics at 0.12.0. Port 8000 (vllm/entrypoints/openai/cli_args.py:78), `GET /metrics` always on
 * (vllm/entrypoints/openai/api_server.py:296). The same endpoint also carries prometheus_fastapi_instrumentator's
 * `http_*` series, whose version vLLM does not pin: they are left out, the presets use vLLM's own names.
 */
export const VLLM: ExporterData = {
  id: 'vllm',
  name: 'vLLM',
  version: '0.12.0',
  source: 'vllm-project/vllm@da3222f37 (v0.12.0)',
  port: 8000,
  metricsPath: '/metrics',
  client: 'python',
  metrics,
};
