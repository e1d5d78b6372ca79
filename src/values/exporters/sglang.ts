import { ExporterData, MetricEntry } from './types';

// SGLang at v0.5.6.post2 = upstream commit 5c8bd8b51 ("chore: bump SGLang version to 0.5.6.post2 (#14858)"), file
// python/sglang/srt/metrics/collector.py (the sgl-project/sglang snapshot was too large; read in the full-history fork
// modal-projects/sglang, which keeps upstream hashes). prometheus_client: counters are registered with `_total`.
// Metrics exist only with --enable-metrics (python/sglang/srt/server_args.py:329).
const REF = 'sgl-project/sglang@5c8bd8b51 (v0.5.6.post2) python/sglang/srt/metrics/collector.py';
const at = (line: number) => `${REF}:${line}`;
// Scheduler metrics (python/sglang/srt/managers/scheduler_metrics_mixin.py:64-71); dp_rank only with DP attention.
const SCHED = ['model_name', 'engine_type', 'tp_rank', 'pp_rank', 'dp_rank'];
// Tokenizer metrics: model_name (+ custom labels from --tokenizer-metrics-allowed-custom-labels).
const TOK = ['model_name'];
// Default buckets (collector.py:830-849 and :878-903); --bucket-time-to-first-token and --bucket-inter-token-latency replace them
// (python/sglang/srt/server_args.py:2643-2655).
const TTFT_BUCKETS = [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400];
const ITL_BUCKETS = [0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8];

const metrics: MetricEntry[] = [
  { name: 'sglang:num_running_reqs', type: 'gauge', labels: SCHED, unit: 'requests running', source: at(233) },
  { name: 'sglang:token_usage', type: 'gauge', labels: SCHED, unit: 'fraction 0-1 of KV-cache tokens in use', source: at(245) },
  { name: 'sglang:gen_throughput', type: 'gauge', labels: SCHED, unit: 'tokens per second', source: at(269) },
  { name: 'sglang:num_queue_reqs', type: 'gauge', labels: SCHED, unit: 'requests in the waiting queue', source: at(275) },
  { name: 'sglang:cache_hit_rate', type: 'gauge', labels: SCHED, unit: 'ratio', source: at(293) },
  { name: 'sglang:max_total_num_tokens', type: 'gauge', labels: SCHED, unit: 'KV capacity in tokens', since: '0.5.6', source: at(300) },
  { name: 'sglang:queue_time_seconds', type: 'histogram', labels: SCHED, unit: 'seconds queued', since: '0.5.3rc2', source: at(422) },
  { name: 'sglang:prompt_tokens_total', type: 'counter', labels: TOK, unit: 'tokens', source: at(744) },
  { name: 'sglang:generation_tokens_total', type: 'counter', labels: TOK, unit: 'tokens', source: at(750) },
  { name: 'sglang:num_requests_total', type: 'counter', labels: TOK, unit: 'finished requests', source: at(813) },
  { name: 'sglang:num_aborted_requests_total', type: 'counter', labels: TOK, unit: 'requests', source: at(825) },
  { name: 'sglang:time_to_first_token_seconds', type: 'histogram', labels: TOK, unit: 'seconds', buckets: TTFT_BUCKETS, source: at(906) },
  { name: 'sglang:inter_token_latency_seconds', type: 'histogram', labels: TOK, unit: 'seconds', buckets: ITL_BUCKETS, source: at(913) },
  { name: 'sglang:e2e_request_latency_seconds', type: 'histogram', labels: TOK, unit: 'seconds', source: at(920) },
  // Present up to 0.4.4.post3, gone from 0.4.4.post4 (grep of the collector at each version-bump commit).
  {
    name: 'sglang:time_per_output_token_seconds',
    type: 'histogram',
    labels: TOK,
    unit: 'seconds',
    removedIn: '0.4.4.post4',
    renamedTo: 'sglang:inter_token_latency_seconds',
    source: 'sgl-project/sglang python/sglang/srt/metrics/collector.py (absent from 0.4.4.post4)',
  },
];

/**
 * SGLang at v0.5.6.post2: port 30000 on host 127.0.0.1 unless `--host` says otherwise (server_args.py:265), `GET /metrics`
 * on the same port only with `--enable-metrics` (python/sglang/srt/utils/common.py:1499).
 */
export const SGLANG: ExporterData = {
  id: 'sglang',
  name: 'SGLang',
  version: '0.5.6.post2',
  source: 'sgl-project/sglang@5c8bd8b51 (v0.5.6.post2)',
  port: 30000,
  metricsPath: '/metrics',
  client: 'python',
  metrics,
};
