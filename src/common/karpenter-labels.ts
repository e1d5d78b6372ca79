/**
 * Karpenter's node labels: which ones it knows before a node exists (well-known labels, which a pod may
 * select even when a NodePool does not restrict them) and the values an EC2 instance type gives them.
 * Sources: sigs.k8s.io/karpenter pkg/apis/v1/labels.go and karpenter-provider-aws pkg/apis/v1/labels.go.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';

/** A GPU model as the labels read it (a `GpuProduct` has these). */
export interface GpuShape {
  readonly name: string;
  readonly memory: Size;
}

/** What the labels of an instance type are read from (an `InstanceType` of the catalog has these). */
export interface InstanceShape {
  readonly name: string;
  readonly vcpus: number;
  readonly memory: Size;
  readonly gpus: number;
  readonly gpuProduct?: GpuShape;
}

export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_CAPACITY_TYPE = 'karpenter.sh/capacity-type';
export const LABEL_NODEPOOL = 'karpenter.sh/nodepool';
export const LABEL_OS = 'kubernetes.io/os';
const AWS = 'karpenter.k8s.aws';
export const LABEL_GPU_NAME = `${AWS}/instance-gpu-name`;
export const LABEL_GPU_MANUFACTURER = `${AWS}/instance-gpu-manufacturer`;

/** Labels whose values come from the instance type; a pool with known instance types knows their values. */
export const INSTANCE_TYPE_LABELS: ReadonlySet<string> = new Set([
  LABEL_INSTANCE_TYPE,
  `${AWS}/instance-category`,
  `${AWS}/instance-family`,
  `${AWS}/instance-generation`,
  `${AWS}/instance-size`,
  `${AWS}/instance-cpu`,
  `${AWS}/instance-memory`,
  `${AWS}/instance-gpu-count`,
  LABEL_GPU_NAME,
  LABEL_GPU_MANUFACTURER,
  `${AWS}/instance-gpu-memory`,
]);

/**
 * The kind of capacity reservation a reserved node was launched into: `default` (an ODCR) or `capacity-block`
 * (aws/karpenter-provider-aws v1.14.1 pkg/apis/v1/labels.go `LabelCapacityReservationType`, values from
 * pkg/apis/v1/ec2nodeclass_status.go `CapacityReservationType`). Only reserved offerings carry it.
 */
export const LABEL_CAPACITY_RESERVATION_TYPE = `${AWS}/capacity-reservation-type`;

/** Karpenter's well-known labels (core and AWS provider): allowed on a pod even when the pool leaves them open. */
export const WELL_KNOWN_LABELS: ReadonlySet<string> = new Set([
  LABEL_NODEPOOL,
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  LABEL_INSTANCE_TYPE,
  'kubernetes.io/arch',
  LABEL_OS,
  LABEL_CAPACITY_TYPE,
  'node.kubernetes.io/windows-build',
  'topology.k8s.aws/zone-id',
  ...[
    'capacity-reservation-id', 'capacity-reservation-type', 'instance-hypervisor', 'instance-encryption-in-transit-supported',
    'instance-category', 'instance-family', 'instance-generation', 'instance-size', 'instance-local-nvme', 'instance-cpu',
    'instance-cpu-manufacturer', 'instance-cpu-sustained-clock-speed-mhz', 'instance-memory', 'instance-ebs-bandwidth',
    'instance-network-bandwidth', 'instance-gpu-name', 'instance-gpu-manufacturer', 'instance-gpu-count', 'instance-gpu-memory',
    'instance-accelerator-name', 'instance-accelerator-manufacturer', 'instance-accelerator-count',
  ].map(l => `${AWS}/${l}`),
]);

/** Deprecated spellings Karpenter translates to the well-known labels. */
const NORMALIZED: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/os': LABEL_OS,
  'beta.kubernetes.io/instance-type': LABEL_INSTANCE_TYPE,
};

/** A node label key as Karpenter reads it. */
export function normalizeLabel(key: string): string {
  return NORMALIZED[key] ?? key;
}

/** A size in whole MiB, as Karpenter's labels count memory. */
function mebibytes(size: Size): number {
  return Math.round(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
}

/** The GPU maker Karpenter reports for a GPU name (EC2's names: NVIDIA's models, AMD Radeon, Habana Gaudi). */
function gpuManufacturer(gpuName: string): string {
  if (gpuName.startsWith('radeon')) return 'amd';
  if (gpuName.startsWith('gaudi')) return 'habana';
  return 'nvidia';
}

/** The instance labels Karpenter puts on a node of this type, as far as the catalog entry tells them. */
export function instanceTypeLabels(t: InstanceShape): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_INSTANCE_TYPE]: t.name };
  const m = /^(([a-z]+)(\d+)[a-z0-9-]*)\.([a-z0-9-]+)$/.exec(t.name);
  if (m) {
    labels[`${AWS}/instance-family`] = m[1];
    labels[`${AWS}/instance-category`] = m[2];
    labels[`${AWS}/instance-generation`] = m[3];
    labels[`${AWS}/instance-size`] = m[4];
  }
  labels[`${AWS}/instance-cpu`] = String(t.vcpus);
  // Karpenter's memory labels are in MiB.
  labels[`${AWS}/instance-memory`] = String(mebibytes(t.memory));
  if (t.gpus > 0) {
    labels[`${AWS}/instance-gpu-count`] = String(t.gpus);
    const gpu = t.gpuProduct;
    if (gpu?.name) {
      labels[LABEL_GPU_NAME] = gpu.name;
      labels[LABEL_GPU_MANUFACTURER] = gpuManufacturer(gpu.name);
    }
    if (gpu && mebibytes(gpu.memory) > 0) labels[`${AWS}/instance-gpu-memory`] = String(mebibytes(gpu.memory));
  }
  return labels;
}
