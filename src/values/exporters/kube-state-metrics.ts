import { ExporterData, MetricEntry } from './types';

// kube-state-metrics at tag v2.20.0, internal/store/horizontalpodautoscaler.go (hpaMetricFamilies, lines 58-72). All
// families are gauges and carry namespace and horizontalpodautoscaler (descHorizontalPodAutoscalerLabelsDefaultLabels,
// line 51). Only the HPA families are catalogued: they are the ones the library's alerts read.
const REF = 'kubernetes/kube-state-metrics@v2.20.0 internal/store/horizontalpodautoscaler.go';
const at = (line: number) => `${REF}:${line}`;
const L = ['namespace', 'horizontalpodautoscaler'];
const TARGET = [...L, 'metric_name', 'metric_target_type', 'container'];
const g = (name: string, line: number, unit: string, extra: Partial<MetricEntry> = {}): MetricEntry =>
  ({ name, type: 'gauge', labels: L, unit, source: at(line), ...extra });

const metrics: MetricEntry[] = [
  g('kube_horizontalpodautoscaler_info', 103, '1', { since: '2.5.0', labels: [...L, 'scaletargetref_api_version', 'scaletargetref_kind', 'scaletargetref_name'] }),
  g('kube_horizontalpodautoscaler_metadata_generation', 130, 'generation'),
  g('kube_horizontalpodautoscaler_spec_max_replicas', 149, 'spec.maxReplicas'),
  g('kube_horizontalpodautoscaler_spec_min_replicas', 168, 'spec.minReplicas'),
  g('kube_horizontalpodautoscaler_spec_target_metric', 192, 'target value', { labels: TARGET }),
  g('kube_horizontalpodautoscaler_status_target_metric', 253, 'current value', { labels: TARGET, since: '2.6.0' }),
  g('kube_horizontalpodautoscaler_status_current_replicas', 333, 'status.currentReplicas'),
  g('kube_horizontalpodautoscaler_status_desired_replicas', 352, 'status.desiredReplicas'),
  g('kube_horizontalpodautoscaler_annotations', 371, '1', { since: '2.2.0' }),
  g('kube_horizontalpodautoscaler_labels', 396, '1'),
  // condition = AbleToScale / ScalingActive / ScalingLimited; status = true / false / unknown (internal/store/utils.go:68-78).
  g('kube_horizontalpodautoscaler_status_condition', 421, '0/1', { labels: [...L, 'condition', 'status'] }),
  g('kube_horizontalpodautoscaler_created', 449, 'unix seconds', { since: '2.17.0' }),
  g('kube_horizontalpodautoscaler_deletion_timestamp', 472, 'unix seconds', { since: '2.17.0' }),
  g('kube_horizontalpodautoscaler_spec_behavior_scale_up_tolerance', 495, 'tolerance', { since: '2.20.0' }),
  g('kube_horizontalpodautoscaler_spec_behavior_scale_down_tolerance', 518, 'tolerance', { since: '2.20.0' }),
  // v1.x names, renamed with the label hpa -> horizontalpodautoscaler in v2.0.0.
  g('kube_hpa_status_current_replicas', 0, 'status.currentReplicas', {
    labels: ['namespace', 'hpa'],
    removedIn: '2.0.0',
    renamedTo: 'kube_horizontalpodautoscaler_status_current_replicas',
    source: 'kubernetes/kube-state-metrics@v1.9.8 internal/store/hpa.go',
  }),
  g('kube_hpa_spec_max_replicas', 0, 'spec.maxReplicas', {
    labels: ['namespace', 'hpa'],
    removedIn: '2.0.0',
    renamedTo: 'kube_horizontalpodautoscaler_spec_max_replicas',
    source: 'kubernetes/kube-state-metrics@v1.9.8 internal/store/hpa.go',
  }),
];

/** kube-state-metrics v2.20.0: `:8080/metrics` (pkg/options/options.go:162). */
export const KUBE_STATE_METRICS: ExporterData = {
  id: 'kube-state-metrics',
  name: 'kube-state-metrics',
  version: '2.20.0',
  source: 'kubernetes/kube-state-metrics@v2.20.0',
  port: 8080,
  metricsPath: '/metrics',
  client: 'go',
  metrics,
};
