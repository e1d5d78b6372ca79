import { ExporterData, MetricEntry } from './types';

// Hugging Face text-embeddings-inference at tag v1.8.3 (the name set is identical v1.3.0 ... v1.9.3). Rust `metrics` +
// metrics-exporter-prometheus: counters keep the registered name (no `_total`); every name ending in `duration` and
// the length/size histograms get buckets (router/src/prometheus.rs), so all histograms are Prometheus histograms.
// No model label on any series. Durations in seconds.
const REF = 'huggingface/text-embeddings-inference@v1.8.3';
const at = (path: string) => `${REF} ${path}`;

const metrics: MetricEntry[] = [
  { name: 'te_request_count', type: 'counter', labels: ['method'], unit: 'requests received (method = single / batch)', source: at('router/src/http/server.rs:177') },
  { name: 'te_request_success', type: 'counter', labels: ['method'], unit: 'requests answered', source: at('router/src/http/server.rs:255') },
  { name: 'te_request_failure', type: 'counter', labels: ['err'], unit: 'failed requests by cause', source: at('core/src/infer.rs:69') },
  { name: 'te_request_duration', type: 'histogram', labels: [], unit: 'seconds, end to end', source: at('router/src/lib.rs:628') },
  { name: 'te_request_tokenization_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('router/src/lib.rs:630') },
  { name: 'te_request_queue_duration', type: 'histogram', labels: [], unit: 'seconds waiting in the queue', source: at('router/src/lib.rs:632') },
  { name: 'te_request_inference_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('router/src/lib.rs:634') },
  { name: 'te_request_input_length', type: 'histogram', labels: [], unit: 'tokens per input', source: at('core/src/tokenization.rs:402') },
  { name: 'te_queue_size', type: 'gauge', labels: [], unit: 'entries waiting in the queue', source: at('core/src/queue.rs:113') },
  { name: 'te_batch_next_size', type: 'histogram', labels: [], unit: 'requests per batch', source: at('core/src/queue.rs:202') },
  { name: 'te_batch_next_tokens', type: 'histogram', labels: [], unit: 'tokens per batch', source: at('core/src/queue.rs:204') },
  { name: 'te_embed_count', type: 'counter', labels: [], unit: 'embed calls', source: at('core/src/infer.rs:344') },
  { name: 'te_embed_success', type: 'counter', labels: [], unit: 'embed calls', source: at('core/src/infer.rs:156') },
  { name: 'te_embed_duration', type: 'histogram', labels: [], unit: 'seconds', source: at('core/src/infer.rs:157-162') },
  { name: 'te_embed_tokenization_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('core/src/infer.rs:157-162') },
  { name: 'te_embed_queue_duration', type: 'histogram', labels: [], unit: 'seconds', source: at('core/src/infer.rs:157-162') },
  { name: 'te_embed_inference_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('core/src/infer.rs:157-162') },
  { name: 'te_predict_count', type: 'counter', labels: [], unit: 'predict (classify, rerank) calls', source: at('core/src/infer.rs:410') },
  { name: 'te_predict_success', type: 'counter', labels: [], unit: 'predict calls', source: at('core/src/infer.rs:486') },
  { name: 'te_predict_duration', type: 'histogram', labels: [], unit: 'seconds', source: at('core/src/infer.rs:488-494') },
  { name: 'te_predict_tokenization_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('core/src/infer.rs:488-494') },
  { name: 'te_predict_queue_duration', type: 'histogram', labels: [], unit: 'seconds', source: at('core/src/infer.rs:488-494') },
  { name: 'te_predict_inference_duration', type: 'histogram', labels: [], unit: 'seconds', since: '1.3.0', source: at('core/src/infer.rs:488-494') },
];

/**
 * TEI at v1.8.3: the HTTP images serve `GET /metrics` on the main port (router/src/http/server.rs:1759), which the
 * images set to 80 with `ENV PORT=80` (Dockerfile:77; the binary's own default is 3000, router/src/main.rs:138).
 * `--prometheus-port` (9000) is honoured by the gRPC router only (router/src/grpc/server.rs:1376).
 */
export const TEXT_EMBEDDINGS_INFERENCE: ExporterData = {
  id: 'text-embeddings-inference',
  name: 'Hugging Face text-embeddings-inference',
  version: '1.8.3',
  source: REF,
  port: 80,
  metricsPath: '/metrics',
  client: 'plain',
  metrics,
};
