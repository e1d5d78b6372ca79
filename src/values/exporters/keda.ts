import { ExporterData, MetricEntry } from './types';

// KEDA operator at tag v2.20.2, pkg/metricscollector/prommetrics.go (NewPromMetrics, lines 190-212; prefix keda,
// pkg/metricscollector/metricscollectors.go:33). Trigger labels: metricLabels (line 35).
const REF = 'kedacore/keda@v2.20.2 pkg/metricscollector/prommetrics.go';
const at = (lines: string) => `${REF}:${lines}`;
const T = ['namespace', 'metric', 'scaledObject', 'scaler', 'triggerIndex', 'type'];

const metrics: MetricEntry[] = [
  { name: 'keda_build_info', type: 'gauge', labels: ['version', 'git_commit', 'goversion', 'goos', 'goarch'], unit: '1', source: at('36-43') },
  { name: 'keda_scaler_metrics_value', type: 'gauge', labels: T, unit: 'the trigger metric fed to the HPA', source: at('44-52') },
  { name: 'keda_scaler_metrics_latency_seconds', type: 'gauge', labels: T, unit: 'seconds', since: '2.14.0', source: at('53-61') },
  { name: 'keda_scaler_active', type: 'gauge', labels: T, unit: '0/1', source: at('62-70') },
  { name: 'keda_scaled_object_paused', type: 'gauge', labels: ['namespace', 'scaledObject'], unit: '0/1', since: '2.13.0', source: at('71-79') },
  { name: 'keda_scaler_detail_errors_total', type: 'counter', labels: T, unit: 'errors', since: '2.14.0', source: at('80-88') },
  { name: 'keda_scaled_object_errors_total', type: 'counter', labels: ['namespace', 'scaledObject'], unit: 'errors', since: '2.14.0', source: at('89-97') },
  { name: 'keda_scaled_job_errors_total', type: 'counter', labels: ['namespace', 'scaledJob'], unit: 'errors', since: '2.14.0', source: at('98-106') },
  {
    name: 'keda_scaler_empty_upstream_responses_total',
    type: 'counter',
    labels: ['namespace', 'scaledResource', 'triggerName', 'metricName', 'resourceType', 'ignoreNullValues'],
    unit: 'responses',
    since: '2.20.0',
    source: at('107-115'),
  },
  { name: 'keda_trigger_registered_total', type: 'gauge', labels: ['type'], unit: 'triggers', since: '2.14.0', source: at('116-124') },
  { name: 'keda_resource_registered_total', type: 'gauge', labels: ['type', 'namespace'], unit: 'resources', since: '2.14.0', source: at('125-133') },
  { name: 'keda_internal_scale_loop_latency_seconds', type: 'gauge', labels: ['namespace', 'type', 'resource'], unit: 'seconds', since: '2.14.0', source: at('134-143') },
  { name: 'keda_cloudeventsource_events_emitted_total', type: 'counter', labels: ['namespace', 'cloudeventsource', 'eventsink', 'state'], unit: 'events', source: at('145-153') },
  { name: 'keda_cloudeventsource_events_queued', type: 'gauge', labels: ['namespace'], unit: 'events', source: at('155-163') },
  {
    name: 'keda_scaler_http_requests_total',
    type: 'counter',
    labels: ['namespace', 'scaled_resource', 'scaler', 'trigger_name', 'metric_name', 'status_code'],
    unit: 'requests',
    since: '2.20.0',
    source: at('165-173'),
  },
  { name: 'keda_scaler_http_request_duration_seconds', type: 'histogram', labels: ['scaler', 'status_code'], unit: 'seconds', since: '2.20.0', source: at('175-184') },
  // Deprecated in v2.14.0, removed in v2.17.0 (same file at each tag).
  {
    name: 'keda_scaler_errors_total',
    type: 'counter',
    labels: [],
    unit: 'errors',
    removedIn: '2.17.0',
    renamedTo: 'keda_scaler_detail_errors_total',
    source: 'kedacore/keda@v2.16.0 pkg/metricscollector/prommetrics.go:96-111',
  },
  {
    name: 'keda_scaler_errors',
    type: 'counter',
    labels: T,
    unit: 'errors',
    removedIn: '2.17.0',
    renamedTo: 'keda_scaler_detail_errors_total',
    source: 'kedacore/keda@v2.16.0 pkg/metricscollector/prommetrics.go:60-63',
  },
  {
    name: 'keda_scaled_object_errors',
    type: 'counter',
    labels: ['namespace', 'scaledObject'],
    unit: 'errors',
    removedIn: '2.17.0',
    renamedTo: 'keda_scaled_object_errors_total',
    source: 'kedacore/keda@v2.16.0 pkg/metricscollector/prommetrics.go:96-111',
  },
];

/** The KEDA operator v2.20.2: `:8080/metrics` (cmd/operator/main.go:99). */
export const KEDA: ExporterData = {
  id: 'keda', name: 'KEDA operator', version: '2.20.2', source: 'kedacore/keda@v2.20.2', port: 8080, metricsPath: '/metrics', client: 'go', metrics,
};
