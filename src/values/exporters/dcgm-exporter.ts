import { ExporterData, MetricEntry } from './types';

// NVIDIA dcgm-exporter at tag 4.5.3-4.8.2 (DCGM 4.5.3, exporter 4.8.2): the metric name is the DCGM field name, as
// listed in etc/default-counters.csv (`field, type, help`); the Helm chart at the same tag mounts its own list, equal
// to the file minus DCGM_FI_DEV_FB_RESERVED (deployment/templates/metrics-configmap.yaml).
const REF = 'NVIDIA/dcgm-exporter@4.5.3-4.8.2 etc/default-counters.csv';
const at = (line?: number) => (line ? `${REF}:${line}` : REF);
/**
 * Labels (internal/pkg/rendermetrics/render_metrics.go:47; Kubernetes attributes from
 * internal/pkg/transformation/kubernetes.go:234-246 for GPUs allocated to a pod). The chart's ServiceMonitor scrapes
 * with honorLabels: false (deployment/values.yaml:127-132), so Prometheus stores the workload's pod, namespace and
 * container as exported_pod, exported_namespace and exported_container: both spellings are listed.
 */
const L = ['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname', 'GPU_I_PROFILE', 'GPU_I_ID',
  'pod', 'namespace', 'container', 'exported_pod', 'exported_namespace', 'exported_container'];
const g = (name: string, unit: string, line?: number): MetricEntry => ({ name, type: 'gauge', labels: L, unit, source: at(line) });
const c = (name: string, unit: string): MetricEntry => ({ name, type: 'counter', labels: L, unit, source: at() });

const metrics: MetricEntry[] = [
  g('DCGM_FI_DEV_SM_CLOCK', 'MHz'),
  g('DCGM_FI_DEV_MEM_CLOCK', 'MHz'),
  g('DCGM_FI_DEV_MEMORY_TEMP', 'degrees C'),
  g('DCGM_FI_DEV_GPU_TEMP', 'degrees C'),
  g('DCGM_FI_DEV_POWER_USAGE', 'watts', 14),
  c('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'millijoules since boot'),
  c('DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'retries'),
  g('DCGM_FI_DEV_GPU_UTIL', 'percent 0-100', 23),
  g('DCGM_FI_DEV_MEM_COPY_UTIL', 'percent'),
  g('DCGM_FI_DEV_ENC_UTIL', 'percent'),
  g('DCGM_FI_DEV_DEC_UTIL', 'percent'),
  { name: 'DCGM_FI_DEV_XID_ERRORS', type: 'gauge', labels: [...L, 'err_code'], unit: 'last XID', source: at() },
  g('DCGM_FI_DEV_FB_FREE', 'MiB'),
  g('DCGM_FI_DEV_FB_USED', 'MiB', 46),
  g('DCGM_FI_DEV_FB_RESERVED', 'MiB (image default list only, not the chart)'),
  c('DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 'bytes'),
  g('DCGM_FI_DEV_VGPU_LICENSE_STATUS', 'status'),
  c('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'rows'),
  c('DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'rows'),
  g('DCGM_FI_DEV_ROW_REMAP_FAILURE', 'bool'),
  g('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'fraction 0-1', 89),
  g('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'fraction 0-1'),
  g('DCGM_FI_PROF_DRAM_ACTIVE', 'fraction 0-1'),
  g('DCGM_FI_PROF_PCIE_TX_BYTES', 'bytes per second'),
  g('DCGM_FI_PROF_PCIE_RX_BYTES', 'bytes per second'),
];

/** dcgm-exporter 4.8.2: `:9400/metrics` (pkg/cmd/app.go:133). */
export const DCGM_EXPORTER: ExporterData = {
  id: 'dcgm-exporter',
  name: 'NVIDIA dcgm-exporter',
  version: '4.5.3-4.8.2',
  source: 'NVIDIA/dcgm-exporter@4.5.3-4.8.2',
  port: 9400,
  metricsPath: '/metrics',
  client: 'plain',
  metrics,
};
