import { ExporterData, MetricEntry } from './types';

// Hugging Face text-generation-inference at tag v3.3.7 (maintenance mode), default backends/v3. The same Rust exporter as
// TEI: counters without `_total`, histograms with buckets for `*duration` and the token histograms
// (router/src/server.rs:1937-1988); tgi_request_skipped_tokens has no buckets and renders as a summary. No model label.
const REF = 'huggingface/text-generation-inference@v3.3.7';
const at = (path: string) => `${REF} ${path}`;
// Every histogram whose name ends in `duration` gets 35 geometric buckets, 0.0001 x 1.5^k s for k = 1..35 (0.15 ms to
// 146 s; router/src/server.rs:1938-1947, set_buckets_for_metric on Matcher::Suffix("duration") at :1976).
const DURATION_BUCKETS = Array.from({ length: 35 }, (_, k) => 0.0001 * 1.5 ** (k + 1));

const metrics: MetricEntry[] = [
  { name: 'tgi_request_count', type: 'counter', labels: [], unit: 'requests received', since: '0.5.0', source: at('router/src/server.rs:203') },
  { name: 'tgi_request_success', type: 'counter', labels: [], unit: 'requests finished', source: at('router/src/server.rs:415') },
  { name: 'tgi_request_failure', type: 'counter', labels: ['err'], unit: 'failed requests by cause', source: at('router/src/infer/mod.rs:117') },
  { name: 'tgi_request_duration', type: 'histogram', labels: [], unit: 'seconds, end to end', buckets: DURATION_BUCKETS, source: at('router/src/server.rs:416') },
  { name: 'tgi_request_validation_duration', type: 'histogram', labels: [], unit: 'seconds', buckets: DURATION_BUCKETS, source: at('router/src/server.rs:417') },
  { name: 'tgi_request_queue_duration', type: 'histogram', labels: [], unit: 'seconds waiting in the queue', buckets: DURATION_BUCKETS, source: at('router/src/server.rs:418') },
  { name: 'tgi_request_inference_duration', type: 'histogram', labels: [], unit: 'seconds', buckets: DURATION_BUCKETS, source: at('router/src/server.rs:419') },
  { name: 'tgi_request_mean_time_per_token_duration', type: 'histogram', labels: [], unit: 'seconds per output token', buckets: DURATION_BUCKETS, source: at('router/src/server.rs:420') },
  { name: 'tgi_request_generated_tokens', type: 'histogram', labels: [], unit: 'tokens', source: at('router/src/server.rs:422') },
  { name: 'tgi_request_input_length', type: 'histogram', labels: [], unit: 'tokens', source: at('router/src/validation.rs:192') },
  { name: 'tgi_request_max_new_tokens', type: 'histogram', labels: [], unit: 'tokens', source: at('router/src/validation.rs:433') },
  { name: 'tgi_request_skipped_tokens', type: 'summary', labels: [], unit: 'speculative tokens', since: '1.3.0', source: at('backends/v3/src/backend.rs:480') },
  { name: 'tgi_queue_size', type: 'gauge', labels: [], unit: 'requests waiting in the queue', source: at('backends/v3/src/queue.rs:143') },
  { name: 'tgi_batch_current_size', type: 'gauge', labels: [], unit: 'requests in the running batch', source: at('backends/v3/src/backend.rs:170') },
  { name: 'tgi_batch_current_max_tokens', type: 'gauge', labels: [], unit: 'tokens', since: '0.7.0', source: at('backends/v3/src/backend.rs:171') },
  { name: 'tgi_batch_max_total_tokens', type: 'gauge', labels: [], unit: 'tokens (KV budget)', since: '2.3.1', source: at('backends/v3/src/lib.rs:138') },
  { name: 'tgi_batch_next_size', type: 'histogram', labels: [], unit: 'requests per new batch', source: at('backends/v3/src/queue.rs:501') },
  { name: 'tgi_batch_concat', type: 'counter', labels: ['reason'], unit: 'batch concatenations', since: '0.7.0', source: at('backends/v3/src/backend.rs:210') },
  { name: 'tgi_batch_inference_count', type: 'counter', labels: ['method'], unit: 'forward passes', since: '0.5.0', source: at('backends/v3/src/backend.rs:305') },
  { name: 'tgi_batch_inference_success', type: 'counter', labels: ['method'], unit: 'forward passes', source: at('backends/v3/src/backend.rs:328') },
  { name: 'tgi_batch_inference_failure', type: 'counter', labels: ['method'], unit: 'forward passes', source: at('backends/v3/src/backend.rs:335') },
  { name: 'tgi_batch_inference_duration', type: 'histogram', labels: ['method'], unit: 'seconds', buckets: DURATION_BUCKETS, source: at('backends/v3/src/backend.rs:317-370') },
  { name: 'tgi_batch_forward_duration', type: 'histogram', labels: ['method'], unit: 'seconds', since: '1.3.3', buckets: DURATION_BUCKETS, source: at('backends/v3/src/backend.rs:317-370') },
  { name: 'tgi_batch_decode_duration', type: 'histogram', labels: ['method'], unit: 'seconds', since: '1.3.3', buckets: DURATION_BUCKETS, source: at('backends/v3/src/backend.rs:317-370') },
  { name: 'tgi_batch_filter_duration', type: 'histogram', labels: ['method'], unit: 'seconds', since: '1.3.3', buckets: DURATION_BUCKETS, source: at('backends/v3/src/backend.rs:317-370') },
  { name: 'tgi_batch_concat_duration', type: 'histogram', labels: ['method'], unit: 'seconds', since: '1.3.3', buckets: DURATION_BUCKETS, source: at('backends/v3/src/backend.rs:317-370') },
];

/**
 * TGI at v3.3.7: `GET /metrics` on the main port (router/src/server.rs:2243), which the image sets to 80 with `ENV PORT=80`
 * (Dockerfile:149); the launcher's own default is 3000 (launcher/src/main.rs:773). Nothing listens on
 * `--prometheus-port` (router/src/server.rs:1967-1988 builds and drops the listener).
 */
export const TEXT_GENERATION_INFERENCE: ExporterData = {
  id: 'text-generation-inference',
  name: 'Hugging Face text-generation-inference',
  version: '3.3.7',
  source: REF,
  port: 80,
  metricsPath: '/metrics',
  client: 'plain',
  metrics,
};
