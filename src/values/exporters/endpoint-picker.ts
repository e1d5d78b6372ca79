import { ExporterData, MetricEntry } from './types';

// The endpoint picker (EPP) of the Gateway API Inference Extension. At gateway-api-inference-extension v1.6.0 the EPP
// lives in llm-d/llm-d-router (README.md at v1.6.0: "The Endpoint Picker (EPP) ... moved to llm-d/llm-d-router"); its
// newest release is v0.9.0. Metrics on :9090/metrics (pkg/epp/server/options.go:137 MetricsPort 9090). Every family is
// registered twice: `llm_d_epp_*` (pkg/epp/metrics/llm_d_router_metrics.go) and a deprecated legacy name
// (pkg/epp/metrics/metrics.go), set by the same Record* functions (metrics.go:692-705, 827-830).
const REPO = 'llm-d/llm-d-router@v0.9.0';
const LLMD = `${REPO} pkg/epp/metrics/llm_d_router_metrics.go`;
const LEGACY = `${REPO} pkg/epp/metrics/metrics.go`;
// The pool averages are refreshed from the pods with fresh metrics (pkg/epp/datalayer/logger/logger.go:104-124): the
// sum over those pods divided by their count; label `name` is the InferencePool's name (poolLabels, metrics.go:54).
const POOL = ['name'];
const FLOW_CONTROL = 'featureGates: [flowControl] in the EndpointPickerConfig (pkg/epp/flowcontrol/config.go:27; cmd/epp/runner/runner.go:832)';

const pool = (name: string, unit: string, lines: string, legacy: string, legacyLines: string): MetricEntry[] => [
  { name: `llm_d_epp_${name}`, type: 'gauge', labels: POOL, unit, source: `${LLMD}:${lines}` },
  {
    name: `inference_pool_${legacy}`,
    type: 'gauge',
    labels: POOL,
    unit,
    renamedTo: `llm_d_epp_${name}`,
    source: `${LEGACY}:${legacyLines} (deprecated, still registered)`,
  },
];

const metrics: MetricEntry[] = [
  ...pool('average_queue_size', 'requests waiting in the model servers\' queues, averaged over the pool\'s pods', '193-200', 'average_queue_size', '215-224'),
  ...pool('average_kv_cache_utilization', 'KV-cache utilization averaged over the pool\'s pods (0-1)', '184-191', 'average_kv_cache_utilization', '204-213'),
  ...pool('average_running_requests', 'running requests averaged over the pool\'s pods', '202-209', 'average_running_requests', '226-235'),
  {
    name: 'llm_d_epp_ready_endpoints', type: 'gauge', labels: POOL, unit: 'pods with fresh metrics', source: `${LLMD}:211-218`,
  },
  {
    name: 'inference_pool_ready_pods',
    type: 'gauge',
    labels: POOL,
    unit: 'pods with fresh metrics',
    renamedTo: 'llm_d_epp_ready_endpoints',
    source: `${LEGACY}:237-246 (deprecated, still registered)`,
  },
  {
    name: 'llm_d_epp_flow_control_pool_saturation',
    type: 'gauge',
    labels: ['inference_pool'],
    unit: 'saturation of the pool (0 empty, 1 saturated)',
    optIn: FLOW_CONTROL,
    source: `${LLMD}:323-330; set in pkg/epp/flowcontrol/controller/internal/processor.go:352`,
  },
  {
    name: 'llm_d_epp_flow_control_queue_size',
    type: 'gauge',
    labels: ['fairness_id', 'priority', 'inference_pool', 'model_name', 'target_model_name'],
    unit: 'requests held in the flow-control queue',
    optIn: FLOW_CONTROL,
    source: `${LLMD}:305-312`,
  },
];

/** llm-d-router v0.9.0's endpoint picker: the picker the Inference Extension v1.6.0 points to. */
export const ENDPOINT_PICKER: ExporterData = {
  id: 'endpoint-picker',
  name: 'Inference Extension endpoint picker (llm-d-router)',
  version: '0.9.0',
  source: REPO,
  port: 9090,
  metricsPath: '/metrics',
  client: 'go',
  metrics,
};
