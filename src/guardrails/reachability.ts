import { ResourceAmounts } from '../values/workload-footprint';

/** What caps the replicas a workload can actually run (RULES.md, reachable-replicas). */
export enum ReachLimit {
  /** Its autoscaler's maximum: nothing else binds below it. */
  AUTOSCALER = 'autoscaler',
  /** A ResourceQuota of its namespace (`requests.*`, `limits.*`, `pods`, `count/pods`, extended resources). */
  RESOURCE_QUOTA = 'resource-quota',
  /** The Kueue ClusterQueue behind its `kueue.x-k8s.io/queue-name` LocalQueue: nominal quota plus borrowing limit. */
  KUEUE_QUOTA = 'kueue-quota',
  /** The limits of the node pools it can land on, with every other workload at its minimum. */
  POOL_LIMITS = 'pool-limits',
  /** `budgetUsdPerHour`, with every other workload at its minimum, each pod priced as budget-ceiling prices it. */
  BUDGET = 'budget',
}

/** The replicas one workload can actually reach, and what stops it there. */
export interface WorkloadReach {
  /** The workload, as `path` or `path[part]` (a Ray worker group `train[gpu]`). */
  readonly path: string;
  /** Its autoscaler's minimum. */
  readonly minReplicas: number;
  /** Its autoscaler's maximum. */
  readonly maxReplicas: number;
  /**
   * The most replicas it can run with every other workload at its minimum (the most it can ever get): the least of
   * `maxReplicas`, its namespace's ResourceQuotas, its Kueue ClusterQueue, its pools' limits and the budget.
   */
  readonly reachableReplicas: number;
  /** The constraint that gives `reachableReplicas` (the autoscaler on a tie). */
  readonly bindingConstraint: ReachLimit;
  /** The binding constraint in numbers: `8 of 20: ResourceQuota 'gpus' in namespace 'team-a' allows 16 requests.nvidia.com/gpu, 2 per pod`. */
  readonly reason: string;
}

/** A failure the guardrails replay against the app's minimums (RULES.md, zone-loss and spot-reclaim). */
export enum FailureScenario {
  /** One availability zone is lost: every pool that launches only in it is gone. */
  ZONE_LOSS = 'zone-loss',
  /** Every spot instance is reclaimed: every pool that allows only spot capacity is gone. */
  SPOT_RECLAIM = 'spot-reclaim',
}

/** Whether every workload's minimum still has room after one failure. */
export interface FailureScenarioResult {
  /** The failure. */
  readonly scenario: FailureScenario;
  /** What is lost: the zone's name for ZONE_LOSS, `spot` for SPOT_RECLAIM. */
  readonly lost: string;
  /** The node pools lost with it. */
  readonly lostPools: string[];
  /** Whether the pools that survive hold every workload's `minReplicas` within their limits. */
  readonly holds: boolean;
  /** The workloads whose minimum no longer fits, as `path (k of n minimum pods)`. */
  readonly workloadsShort: string[];
  /** The requests of the minimum pods that no surviving pool holds (zero when `holds`). */
  readonly shortfall: ResourceAmounts;
  /** One sentence with the numbers. */
  readonly summary: string;
}
