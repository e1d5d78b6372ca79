/**
 * What a node of an instance type offers pods, as Karpenter computes it for AWS before it launches the node:
 * aws/karpenter-provider-aws v1.14.1 (commit bde00654cd316fddb3dccfba3f5ac07039865429),
 * pkg/providers/instancetype/types.go, with the defaults of an EC2NodeClass that sets no kubelet reservations:
 *
 * - memory capacity (`memory()`): the type's memory less the VM overhead, `ceil(MiB x vmMemoryOverheadPercent)` MiB,
 *   `vmMemoryOverheadPercent` 0.075 by default (pkg/operator/options/options.go);
 * - kube-reserved (`kubeReservedResources()`): memory `11 MiB x max pods + 255 MiB`; CPU 6% of the first core, 1%
 *   of the second, 0.5% of the third and fourth, 0.25% of the rest, each range truncated to whole millicores;
 * - eviction threshold (`evictionThreshold()`): `memory.available` 100 MiB;
 * - allocatable = capacity - kube-reserved - system-reserved (none by default) - eviction threshold.
 *
 * Max pods is Karpenter's ENI-limited figure (`ENILimitedPods()`: interfaces of the default network card x (IPv4
 * addresses per interface - 1) + 2, the AL2/AL2023 and Bottlerocket default) for the types whose interfaces
 * pkg/providers/instancetype/zz_generated.vpclimits.go at v1.14.1 lists and this table copies (the types of
 * `InstanceCatalog.awsGpu()` and `InstanceCatalog.designDocument()`); 110 (the kubelet default, what Karpenter uses
 * without ENI-limited pod density) for any other type. Graviton's extra 64 MiB (arm64) is not modelled: the catalog
 * has no architecture, and its types are all x86.
 */
import { Amounts } from './amounts';
import { KubeletAmounts } from '../../common/kubelet';

/** `vmMemoryOverheadPercent`'s default in Karpenter (pkg/operator/options/options.go, v1.14.1). */
export const VM_MEMORY_OVERHEAD_PERCENT = 0.075;

/** `memory.available` eviction threshold Karpenter assumes by default, in MiB. */
export const EVICTION_MEMORY_MIB = 100;

/** Max pods when the type's ENI limits are not in the table below (the kubelet default). */
export const DEFAULT_MAX_PODS = 110;

/**
 * ENI-limited max pods, `MaximumNetworkInterfaces(default card) x (IPv4PerInterface - 1) + 2`, from
 * zz_generated.vpclimits.go at aws/karpenter-provider-aws v1.14.1 (ENIs, IPv4 per ENI in the comment).
 */
export const ENI_LIMITED_MAX_PODS: Readonly<Record<string, number>> = {
  'g4dn.xlarge': 29, // 3, 10
  'g4dn.2xlarge': 29, // 3, 10
  'g4dn.4xlarge': 29, // 3, 10
  'p3.2xlarge': 58, // 4, 15
  'p3.8xlarge': 234, // 8, 30
  'g5.xlarge': 58, // 4, 15
  'g5.2xlarge': 58, // 4, 15
  'g5.4xlarge': 234, // 8, 30
  'g5.8xlarge': 234, // 8, 30
  'g5.16xlarge': 234, // 8, 30
  'g5.12xlarge': 737, // 15, 50
  'g5.24xlarge': 737, // 15, 50
  'g5.48xlarge': 345, // 7, 50
  'g6.xlarge': 58, // 4, 15
  'g6.2xlarge': 58, // 4, 15
  'g6.4xlarge': 234, // 8, 30
  'g6.8xlarge': 234, // 8, 30
  'g6.16xlarge': 737, // 15, 50
  'g6.12xlarge': 234, // 8, 30
  'g6.24xlarge': 737, // 15, 50
  'g6.48xlarge': 737, // 15, 50
  'g6e.xlarge': 58, // 4, 15
  'g6e.2xlarge': 58, // 4, 15
  'g6e.4xlarge': 234, // 8, 30
  'g6e.8xlarge': 234, // 8, 30
  'g6e.16xlarge': 737, // 15, 50
  'g6e.12xlarge': 292, // 10, 30
  'g6e.24xlarge': 492, // 10, 50
  'g6e.48xlarge': 492, // 10, 50
  'p4d.24xlarge': 737, // 15, 50
  'p4de.24xlarge': 737, // 15, 50
  'p5.48xlarge': 100, // 2, 50
  'p5en.48xlarge': 198, // 4, 50
};

/** Max pods Karpenter assumes for a type: its ENI-limited figure where the table has it, else 110. */
export function maxPodsOf(typeName: string): number {
  return Object.prototype.hasOwnProperty.call(ENI_LIMITED_MAX_PODS, typeName) ? ENI_LIMITED_MAX_PODS[typeName] : DEFAULT_MAX_PODS;
}

/** kube-reserved CPU in millicores for `cpuMillis` of CPU (kubeReservedResources: each range truncated). */
export function kubeReservedCpuMillis(cpuMillis: number): number {
  const ranges: [number, number, number][] = [[0, 1000, 0.06], [1000, 2000, 0.01], [2000, 4000, 0.005], [4000, 2 ** 31, 0.0025]];
  let reserved = 0;
  for (const [start, end, percentage] of ranges) {
    if (cpuMillis < start) continue;
    const r = cpuMillis < end ? cpuMillis - start : end - start;
    reserved += Math.trunc(r * percentage);
  }
  return reserved;
}

/** kube-reserved memory in MiB for a node of `maxPods` pods. */
export function kubeReservedMemoryMib(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** The VM overhead Karpenter takes off a type's memory, in MiB (rounded up, as `memory()` does). */
export function vmMemoryOverheadMib(memoryMib: number): number {
  // As Go computes it: float64(bytes) x percent / 1024 / 1024, then ceil.
  return Math.ceil(memoryMib * 1024 * 1024 * VM_MEMORY_OVERHEAD_PERCENT / 1024 / 1024);
}

/**
 * A type's allocatable resources as Karpenter computes them (see the file's comment), never below zero.
 * @param capacity the type's size: vCPUs in millicores, memory in MiB, GPUs
 * @param maxPods max pods of a node of the type (`maxPodsOf`)
 */
export function allocatableOf(capacity: Amounts, maxPods: number): Amounts {
  const memoryMib = capacity.memoryMib - vmMemoryOverheadMib(capacity.memoryMib) - kubeReservedMemoryMib(maxPods) - EVICTION_MEMORY_MIB;
  return {
    cpuMillis: Math.max(0, capacity.cpuMillis - kubeReservedCpuMillis(capacity.cpuMillis)),
    memoryMib: Math.max(0, memoryMib),
    gpus: capacity.gpus,
    ...(capacity.shares ? { shares: capacity.shares } : {}),
  };
}

/** What is left of `allocatable` for the workloads' pods once the DaemonSets' pods are on the node, never below zero. */
export function usableOf(allocatable: Amounts, daemonSets: Amounts): Amounts {
  return {
    cpuMillis: Math.max(0, allocatable.cpuMillis - daemonSets.cpuMillis),
    memoryMib: Math.max(0, allocatable.memoryMib - daemonSets.memoryMib),
    gpus: Math.max(0, allocatable.gpus - daemonSets.gpus),
    ...(allocatable.shares ? { shares: allocatable.shares } : {}),
  };
}

/**
 * A type's allocatable with an EC2NodeClass's kubelet settings, as `NewInstanceType` computes it (types.go, v1.14.1):
 *
 * - pods (`pods()`): `maxPods` if set, else the ENI-limited count; with `podsPerCore` (not on Bottlerocket) at most
 *   `podsPerCore x vCPUs`;
 * - kube-reserved (`kubeReservedResources()`): each of `kubeReserved`'s cpu and memory replaces Karpenter's figure;
 *   Karpenter's memory figure counts the ENI-limited pods on AL2/AL2023 (`UsesENILimitedMemoryOverhead`), `pods()` on
 *   Bottlerocket;
 * - system-reserved (`systemReservedResources()`): as given;
 * - eviction threshold (`evictionThreshold()`): `evictionHard["memory.available"]` replaces the 100 MiB, a percent
 *   of the memory after the VM overhead (`computeEvictionSignal`: ceil(bytes / 100 x percent); 100% is none).
 *   `evictionSoft` does not count.
 */
export function allocatableWithKubelet(capacity: Amounts, typeName: string, k: KubeletAmounts, bottlerocket: boolean): Amounts {
  const eniPods = maxPodsOf(typeName);
  let pods = k.maxPods ?? eniPods;
  if ((k.podsPerCore ?? 0) > 0 && !bottlerocket) pods = Math.min(k.podsPerCore! * Math.round(capacity.cpuMillis / 1000), pods);
  const memory = capacity.memoryMib - vmMemoryOverheadMib(capacity.memoryMib);
  const kubeMemory = k.kubeReservedMemoryMib ?? kubeReservedMemoryMib(bottlerocket ? pods : eniPods);
  const kubeCpu = k.kubeReservedCpuMillis ?? kubeReservedCpuMillis(capacity.cpuMillis);
  const percent = k.evictionHardMemoryPercent === 100 ? 0 : k.evictionHardMemoryPercent;
  const eviction = percent !== undefined
    ? Math.ceil(memory * 2 ** 20 / 100 * percent) / 2 ** 20
    : k.evictionHardMemoryMib ?? EVICTION_MEMORY_MIB;
  // Fractions of a MiB round against the pod, as the engine keeps whole MiB.
  const memoryMib = Math.floor(memory - kubeMemory - (k.systemReservedMemoryMib ?? 0) - eviction);
  return {
    cpuMillis: Math.max(0, Math.floor(capacity.cpuMillis - kubeCpu - (k.systemReservedCpuMillis ?? 0))),
    memoryMib: Math.max(0, memoryMib),
    gpus: capacity.gpus,
    ...(capacity.shares ? { shares: capacity.shares } : {}),
  };
}
