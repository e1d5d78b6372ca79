/** The lines of an AppBill: what the app costs per hour per workload, team, node pool and capacity type. */

/** What one line of the bill costs per hour, in the worst case and as expected. */
export interface BillFigures {
  /**
   * US dollars per hour with every workload at its maximum plus its rollout surge (a workload line's
   * `worstCasePods`), charged to the pools as the guardrails charge them (pool-capacity), each pool at the lowest
   * price of instances that hold its share (budget-ceiling).
   */
  readonly worstCaseUsdPerHour: number;
  /** `worstCaseUsdPerHour` exactly, in integer micro-dollars per hour. */
  readonly worstCaseMicroUsdPerHour: number;
  /**
   * US dollars per hour with every workload at its expected replicas: the replicas given to `ScalingGuardrails.bill`,
   * and for every workload not given there its minReplicas (an autoscaler's floor, what it runs when idle). Charged and
   * priced as the worst case.
   */
  readonly expectedUsdPerHour: number;
  /** `expectedUsdPerHour` exactly, in integer micro-dollars per hour. */
  readonly expectedMicroUsdPerHour: number;
  /**
   * Whether some of the line's pods are not priced (on a pool without instance prices, or on no pool the guardrails
   * know): the figures then count only the priced pods, and are below what the line costs.
   */
  readonly incomplete: boolean;
}

/** One workload (or one part of a multi-part workload, such as a Ray worker group) of the bill. */
export interface WorkloadBillLine extends BillFigures {
  /** Construct path, with the part of a multi-part workload as `path[part]` (`train[gpu]`). */
  readonly workload: string;
  /**
   * Namespace of the scaled object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /** Kind of the scaled object. */
  readonly kind: string;
  /** Name of the scaled object. */
  readonly name: string;
  /**
   * The part of a multi-part workload: a Ray worker group's name, or `head`.
   * @default - the object's only kind of pod
   */
  readonly component?: string;
  /** The team the line is billed to: the scaled object's namespace, `default` for an object without one. */
  readonly team: string;
  /**
   * Pods per replica: a LeaderWorkerSet's group size (its replicas are groups), 1 for every other workload. The bill's
   * replica figures (`maxReplicas`, `expectedReplicas`, and `WorkloadReplicas.replicas`) count pods, so a replica of a
   * group is `podsPerReplica` of them.
   */
  readonly podsPerReplica: number;
  /** The workload's maximum replicas, in pods (a LeaderWorkerSet's groups x `podsPerReplica`). */
  readonly maxReplicas: number;
  /**
   * The pods the worst case charges: `maxReplicas` plus the pods a rolling update runs above it (a Deployment's
   * `maxSurge` at `maxReplicas`, 25% rounded up by default; 0 for a workload that does not surge), as pool-capacity
   * charges them.
   */
  readonly worstCasePods: number;
  /** The replicas of the expected case. */
  readonly expectedReplicas: number;
  /** Whether `expectedReplicas` was given to `ScalingGuardrails.bill` (else it is the workload's minReplicas). */
  readonly expectedReplicasGiven: boolean;
  /** The node pools its pods are charged to (worst or expected case), in the order Karpenter tries them. */
  readonly nodePools: string[];
}

/** One team of the bill: the sum of its workloads' lines. */
export interface TeamBillLine extends BillFigures {
  /** The team: a namespace (`default` for objects without one). */
  readonly team: string;
  /** How many workload lines it sums. */
  readonly workloads: number;
}

/** One node pool of the bill: what its whole share costs (its workloads' pods together). */
export interface NodePoolBillLine extends BillFigures {
  /** NodePool name. */
  readonly name: string;
  /** Construct path of the pool (the ScalingGuardrails' own for a declared pool). */
  readonly path: string;
  /**
   * How its nodes are bought, as Karpenter's `karpenter.sh/capacity-type` values: `spot`, `on-demand` or `reserved`
   * (a pool that allows several: the first of spot, on-demand it allows; `none` when it allows none).
   */
  readonly capacityType: string;
  /** Whether the pool's instance types (from the pool, its declaration or the catalog) have prices. */
  readonly priced: boolean;
  /**
   * Whether the prices are those of the pool's capacity type; false when its types carry no entry of that capacity
   * type and the entries they carry are used (a spot pool priced at on-demand prices costs less than that).
   */
  readonly pricedAtCapacityType: boolean;
}

/** One capacity type of the bill: the sum of its pools' lines. */
export interface CapacityTypeBillLine extends BillFigures {
  /** `spot`, `on-demand`, `reserved` (or `none`). */
  readonly capacityType: string;
  /** The pools bought this way. */
  readonly nodePools: string[];
}
