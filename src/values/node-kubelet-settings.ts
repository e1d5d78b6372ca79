import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/**
 * The kubelet settings of a Karpenter v1 EC2NodeClass (`spec.kubelet`) that change what a node offers pods, and so
 * whether a pod fits an instance type (Karpenter computes allocatable from them before it launches a node:
 * aws/karpenter-provider-aws v1.14.1, pkg/providers/instancetype/types.go). Leave a field out for Karpenter's default.
 * `evictionSoft` is not here: at v1.14.1 it does not change allocatable (only `evictionHard` does).
 *
 * @see https://karpenter.sh/docs/concepts/nodeclasses/#speckubelet
 */
export interface NodeKubeletSettings {
  /**
   * CPU reserved for Kubernetes' daemons (`kubeReserved.cpu`), at most 1,000 cores.
   * @default - Karpenter's: 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of the rest
   */
  readonly kubeReservedCpu?: Cpu;
  /**
   * Memory reserved for Kubernetes' daemons (`kubeReserved.memory`), at most 1 TiB.
   * @default - Karpenter's: 11 MiB per pod of the node's max pods, plus 255 MiB
   */
  readonly kubeReservedMemory?: Size;
  /**
   * CPU reserved for the operating system's daemons (`systemReserved.cpu`), at most 1,000 cores.
   * @default - none
   */
  readonly systemReservedCpu?: Cpu;
  /**
   * Memory reserved for the operating system's daemons (`systemReserved.memory`), at most 1 TiB.
   * @default - none
   */
  readonly systemReservedMemory?: Size;
  /**
   * The hard eviction threshold on free memory (`evictionHard["memory.available"]`), as an amount, at most 1 TiB.
   * Give this or `evictionHardMemoryAvailablePercent`.
   * @default - 100 MiB (Karpenter's and the kubelet's default), unless `evictionHardMemoryAvailablePercent` is given
   */
  readonly evictionHardMemoryAvailable?: Size;
  /**
   * The hard eviction threshold on free memory as a percent of the node's memory (after the VM overhead), from 0 to 100
   * with at most two decimals; 100 disables the threshold, as the kubelet reads it.
   * @default - `evictionHardMemoryAvailable`
   */
  readonly evictionHardMemoryAvailablePercent?: number;
  /**
   * Most pods on a node (`maxPods`), 1 to 1,000. On Bottlerocket it also sets the kube-reserved memory; on AL2 and
   * AL2023 Karpenter computes that from the ENI-limited pod count whatever this is.
   * @default - the ENI-limited pod count of the instance type
   */
  readonly maxPods?: number;
  /**
   * Most pods per vCPU (`podsPerCore`), 1 to 1,000: the node runs at most this times its vCPUs (and at most `maxPods`).
   * Bottlerocket ignores it.
   * @default - no per-core limit
   */
  readonly podsPerCore?: number;
}
