import { ExporterData, MetricEntry } from './types';

// Karpenter core at tag v1.14.1 (kubernetes-sigs/karpenter, the commit the AWS provider v1.14.1 go.mod:49 pins) and the
// AWS provider at tag v1.14.1. Prefix karpenter (pkg/metrics/constants.go:27).
const CORE = 'kubernetes-sigs/karpenter@v1.14.1';
const AWS = 'aws/karpenter-provider-aws@v1.14.1';
// Node labels: node_name, phase, managed + one per well-known node label (pkg/controllers/metrics/node/controller.go:154-163,
// 291-302; core pkg/apis/v1/labels.go:75-84); the AWS provider adds its instance_* labels (pkg/apis/v1/labels.go:33-63).
const NODE = ['node_name', 'phase', 'managed', 'nodepool', 'zone', 'region', 'instance_type', 'arch', 'os', 'capacity_type', 'windows_build',
  'capacity_reservation_id', 'capacity_reservation_type', 'capacity_reservation_interruptible', 'instance_hypervisor',
  'instance_encryption_in_transit_supported', 'instance_category', 'instance_capability_flex', 'instance_family', 'instance_generation',
  'instance_size', 'instance_local_nvme', 'instance_cpu', 'instance_cpu_manufacturer', 'instance_cpu_sustained_clock_speed_mhz',
  'instance_memory', 'instance_ebs_bandwidth', 'instance_network_bandwidth', 'instance_gpu_name', 'instance_gpu_manufacturer',
  'instance_gpu_count', 'instance_gpu_memory', 'instance_accelerator_name', 'instance_accelerator_manufacturer',
  'instance_accelerator_count', 'zone_id', 'instance_tenancy', 'placement_group_id', 'placement_group_partition'];
const OFFERING = ['instance_type', 'capacity_type', 'zone'];
const node = (name: string, line: string, unit: string): MetricEntry =>
  ({ name, type: 'gauge', labels: [...NODE, 'resource_type'], unit, source: `${CORE} pkg/controllers/metrics/node/controller.go:${line}` });

const metrics: MetricEntry[] = [
  // resource_type: the resource name lower-cased, - to _ (cpu, memory, nvidia_com_gpu; node/controller.go:304-306).
  {
    name: 'karpenter_nodepools_usage',
    type: 'gauge',
    labels: ['nodepool', 'resource_type'],
    unit: 'resources provisioned',
    since: '1.0.0',
    source: `${CORE} pkg/controllers/metrics/nodepool/controller.go:58-69`,
  },
  {
    name: 'karpenter_nodepools_limit',
    type: 'gauge',
    labels: ['nodepool', 'resource_type'],
    unit: 'spec.limits',
    since: '1.0.0',
    source: `${CORE} pkg/controllers/metrics/nodepool/controller.go:45-57`,
  },
  {
    name: 'karpenter_nodepools_cost_total',
    type: 'gauge',
    labels: ['nodepool'],
    unit: 'estimated cost',
    since: '1.10.0',
    source: `${CORE} pkg/controllers/metrics/nodepool/controller.go:71-80`,
  },
  node('karpenter_nodes_allocatable', '65-74', 'allocatable'),
  node('karpenter_nodes_total_pod_requests', '75-135', 'requests'),
  node('karpenter_nodes_total_pod_limits', '75-135', 'limits'),
  node('karpenter_nodes_total_daemon_requests', '75-135', 'requests'),
  node('karpenter_nodes_total_daemon_limits', '75-135', 'limits'),
  node('karpenter_nodes_system_overhead', '75-135', 'overhead'),
  { name: 'karpenter_nodes_current_lifetime_seconds', type: 'gauge', labels: NODE, unit: 'seconds', source: `${CORE} pkg/controllers/metrics/node/controller.go:130` },
  { name: 'karpenter_cluster_utilization_percent', type: 'gauge', labels: ['resource_type'], unit: 'percent', source: `${CORE} pkg/controllers/metrics/node/controller.go:135-144` },
  {
    name: 'karpenter_cloudprovider_instance_type_offering_price_estimate',
    type: 'gauge',
    labels: OFFERING,
    unit: 'USD per hour',
    source: `${AWS} pkg/controllers/metrics/metrics.go:46-58`,
  },
  {
    name: 'karpenter_cloudprovider_instance_type_offering_available',
    type: 'gauge',
    labels: OFFERING,
    unit: '0/1',
    source: `${AWS} pkg/controllers/metrics/metrics.go:32-45`,
  },
  {
    name: 'karpenter_cloudprovider_instance_type_cpu_cores',
    type: 'gauge',
    labels: ['instance_type'],
    unit: 'cores',
    source: `${AWS} pkg/providers/instancetype/metrics.go:36`,
  },
  {
    name: 'karpenter_cloudprovider_instance_type_memory_bytes',
    type: 'gauge',
    labels: ['instance_type'],
    unit: 'bytes',
    source: `${AWS} pkg/providers/instancetype/metrics.go:48`,
  },
  // Subsystem nodepool -> nodepools in v1.0.0 (pkg/metrics/metrics.go:28).
  {
    name: 'karpenter_nodepool_usage',
    type: 'gauge',
    labels: ['nodepool', 'resource_type'],
    unit: 'resources provisioned',
    removedIn: '1.0.0',
    renamedTo: 'karpenter_nodepools_usage',
    source: 'kubernetes-sigs/karpenter@v0.37.0 (nodePoolSubsystem = "nodepool")',
  },
  {
    name: 'karpenter_nodepool_limit',
    type: 'gauge',
    labels: ['nodepool', 'resource_type'],
    unit: 'spec.limits',
    removedIn: '1.0.0',
    renamedTo: 'karpenter_nodepools_limit',
    source: 'kubernetes-sigs/karpenter@v0.37.0 (nodePoolSubsystem = "nodepool")',
  },
];

/** Karpenter v1.14.1: controller metrics on `:8080/metrics` (charts/karpenter/values.yaml:165-167). */
export const KARPENTER: ExporterData = {
  id: 'karpenter', name: 'Karpenter', version: '1.14.1', source: `${CORE} + ${AWS}`, port: 8080, metricsPath: '/metrics', client: 'go', metrics,
};
