import { Size } from 'cdk8s';
import { GpuSharing } from './gpu-sharing';
import { NodeKubeletSettings } from './node-kubelet-settings';
import { InstanceType } from '../planning/instance-catalog';

/** What a node taint does to pods that do not tolerate it (named apart from cdk8s-plus's `TaintEffect`). */
export enum NodeTaintEffect {
  /** New pods that do not tolerate it are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for such pods, but may still use it: it never keeps a pod off a pool. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Pods that do not tolerate it are not scheduled, and running ones are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** A taint that a node pool puts on its nodes (`spec.template.spec.taints`). */
export interface NodeTaint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;
  /**
   * Taint value.
   * @default - none
   */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: NodeTaintEffect;
}

/** Karpenter limits of a node pool (`spec.limits`); a resource without a limit is unbounded, as in Karpenter. */
export interface NodePoolResourceLimits {
  /**
   * vCPUs (Karpenter's `cpu` limit).
   * @default - no CPU limit
   */
  readonly vcpus?: number;
  /**
   * Memory.
   * @default - no memory limit
   */
  readonly memory?: Size;
  /**
   * `nvidia.com/gpu` devices; 0 for a pool that must not host GPU pods.
   * @default - no GPU limit
   */
  readonly gpus?: number;
}

/**
 * A Karpenter NodePool as the guardrails see it: where pods may land (taints and the node labels it can
 * launch with), how much it may hold (limits), in which order Karpenter tries it (weight) and what it
 * costs (instance types with prices).
 *
 * Give one to `ScalingGuardrails` for each pool that lives outside the app (installed by another team or
 * tool); `CostAwareNodePool.nodePoolDeclarations` describes the library's own pools in the same shape.
 */
export interface NodePoolDeclaration {
  /** NodePool name (`metadata.name`); Karpenter labels its nodes `karpenter.sh/nodepool=<name>`. */
  readonly name: string;
  /**
   * Taints of the pool's nodes. Only NoSchedule and NoExecute keep pods off; startup taints do not count.
   * @default - none
   */
  readonly taints?: NodeTaint[];
  /**
   * Node label key to the values the pool allows: its `In` requirements and template labels. A pod may
   * select a listed key only with a listed value; a key that is not listed may be selected only when it is a
   * Karpenter well-known label (zone, arch, capacity type, instance labels...), which the pool then leaves
   * open; any other label is refused, as Karpenter does.
   * @default - none: only Karpenter's well-known labels, unrestricted (or derived from `instanceTypes`)
   */
  readonly labels?: { [key: string]: string[] };
  /**
   * The pool's limits.
   * @default - no limits
   */
  readonly limits?: NodePoolResourceLimits;
  /**
   * The instance types the pool may launch, with their hourly prices. They bound what one pod may request,
   * give the instance labels (`node.kubernetes.io/instance-type`, `karpenter.k8s.aws/instance-gpu-name`, ...)
   * and price the worst case.
   * @default - unknown: any pod size fits, instance labels are open, and the pool is reported as unpriced
   */
  readonly instanceTypes?: InstanceType[];
  /**
   * Karpenter weight (`spec.weight`): higher weights are tried first.
   * @default - no weight (0)
   */
  readonly weight?: number;
  /**
   * The kubelet settings of the pool's EC2NodeClass (`spec.kubelet`), which change what a node of each instance type
   * offers pods (RULES.md, gpu-placement). Read with `instanceTypes`; AL2023 is assumed for how max pods enter
   * kube-reserved (a CostAwareNodePool's declarations follow its `amiAlias`).
   * @default - none: Karpenter's defaults
   */
  readonly kubelet?: NodeKubeletSettings;
  /**
   * Capacity reservations (issue 17): what the pool's reservations cost per hour in US dollars, paid whether their
   * instances run or not. The bill and budget-ceiling price the pool at no less than this, in the worst and expected
   * case. Give it for a pool that allows only `reserved` capacity, with its `instanceTypes` priced at the reservation
   * (`CapacityType.RESERVED` entries) and limits of the reserved instances.
   * @default - none: the pool is priced from its charged demand only
   */
  readonly reservedUsdPerHour?: number;
  /**
   * How the pool's GPUs are shared: its nodes then advertise the shares (`nvidia.com/gpu.shared`, `nvidia.com/mig-<profile>`)
   * instead of whole `nvidia.com/gpu`, and the guardrails count pods per share.
   * @default - whole GPUs
   */
  readonly gpuSharing?: GpuSharing;
}
