/**
 * The app's bill: what its node pools cost per hour with every workload at its maximum plus its rollout surge (the
 * worst case the guardrails charge) and at its expected replicas, per workload, team, node pool and capacity type.
 * RULES.md ("The bill") has the formulas.
 */
import type { AppBillData } from './engine/bill';

/**
 * How many replicas a workload is expected to run on average (for instance the mean replicas of a replay of its
 * autoscaler), for `ScalingGuardrails.bill`. The workload is named as its autoscaler names it, by the namespace, kind
 * and name of the scaled object, so the same figures apply to an app built from constructs and to manifests read back.
 */
export interface WorkloadReplicas {
  /**
   * Namespace of the scaled object (`metadata.namespace`).
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /** Kind of the scaled object: `Deployment`, `StatefulSet`, `Job`, `ScaledJob`, `RayCluster`, ... */
  readonly kind: string;
  /** Name of the scaled object. */
  readonly name: string;
  /**
   * The part of a workload that runs several kinds of pod: a Ray worker group's name, or `head`.
   * @default - the object's only kind of pod
   */
  readonly component?: string;
  /** Expected replicas (a mean may be a fraction): from 0 to the workload's maxReplicas. */
  readonly replicas: number;
}

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
  /** The workload's maximum replicas. */
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

/**
 * What the app's node pools cost per hour, in the worst case (every workload at its maximum plus its rollout surge, as
 * the guardrails charge it) and as expected (each workload at the replicas given, or its minReplicas), per workload,
 * team (namespace), node pool and capacity type. `check().bill` is the bill at the minReplicas; `ScalingGuardrails.bill(expected)` takes the
 * expected replicas from outside (a replay's mean replicas). Workload and team lines price each workload's pods alone;
 * pool, capacity-type lines and the totals price each pool's pods together, which can cost less (RULES.md, "The bill").
 */
export class AppBill {
  /** @internal */
  public static _of(data: AppBillData): AppBill {
    return new AppBill(data);
  }

  /** Every workload, by construct path. */
  public readonly workloads: WorkloadBillLine[];
  /** Every team (namespace) with a workload, by name. */
  public readonly teams: TeamBillLine[];
  /** Every node pool, in the order Karpenter tries them. */
  public readonly nodePools: NodePoolBillLine[];
  /** Every capacity type with a pool, by name. */
  public readonly capacityTypes: CapacityTypeBillLine[];
  /** The sum of the pool lines' `worstCaseUsdPerHour`: `check().worstCaseCostUsdPerHour`. */
  public readonly worstCaseUsdPerHour: number;
  /** `worstCaseUsdPerHour` exactly, in integer micro-dollars per hour. */
  public readonly worstCaseMicroUsdPerHour: number;
  /** The sum of the pool lines' `expectedUsdPerHour`. */
  public readonly expectedUsdPerHour: number;
  /** `expectedUsdPerHour` exactly, in integer micro-dollars per hour. */
  public readonly expectedMicroUsdPerHour: number;
  /** Whether some pods are not priced (pools without prices, workloads on no known pool): the totals leave them out. */
  public readonly incomplete: boolean;
  /** Pools with pods to host (worst or expected case) but no instance prices. */
  public readonly unpricedPools: string[];
  /**
   * Instance values that hand-written NodePools pin and the library's catalogs do not know, as
   * `pool: key=value` (`cpu: node.kubernetes.io/instance-type=m7i.large`): they leave those pools unpriced.
   */
  public readonly unknownInstanceTypes: string[];
  /** Workloads on no pool the guardrails know (they run elsewhere: a managed node group, Fargate), unpriced. */
  public readonly outsidePools: string[];

  private constructor(data: AppBillData) {
    this.workloads = data.workloads;
    this.teams = data.teams;
    this.nodePools = data.nodePools;
    this.capacityTypes = data.capacityTypes;
    this.worstCaseUsdPerHour = data.total.worstCaseUsdPerHour;
    this.worstCaseMicroUsdPerHour = data.total.worstCaseMicroUsdPerHour;
    this.expectedUsdPerHour = data.total.expectedUsdPerHour;
    this.expectedMicroUsdPerHour = data.total.expectedMicroUsdPerHour;
    this.incomplete = data.total.incomplete;
    this.unpricedPools = data.unpricedPools;
    this.unknownInstanceTypes = data.unknownInstanceTypes;
    this.outsidePools = data.outsidePools;
  }

  /**
   * The bill as plain JSON data (`JSON.stringify(bill.toJson(), null, 2)` writes it): the same keys in the same order
   * on every synth, lines sorted as in the fields above, optional keys left out when unset.
   */
  public toJson(): any {
    const figures = (f: BillFigures) => ({
      worstCaseUsdPerHour: f.worstCaseUsdPerHour,
      worstCaseMicroUsdPerHour: f.worstCaseMicroUsdPerHour,
      expectedUsdPerHour: f.expectedUsdPerHour,
      expectedMicroUsdPerHour: f.expectedMicroUsdPerHour,
      incomplete: f.incomplete,
    });
    return {
      ...figures(this),
      teams: this.teams.map(t => ({ team: t.team, workloads: t.workloads, ...figures(t) })),
      workloads: this.workloads.map(w => ({
        workload: w.workload,
        ...(w.namespace !== undefined ? { namespace: w.namespace } : {}),
        kind: w.kind,
        name: w.name,
        ...(w.component !== undefined ? { component: w.component } : {}),
        team: w.team,
        maxReplicas: w.maxReplicas,
        worstCasePods: w.worstCasePods,
        expectedReplicas: w.expectedReplicas,
        expectedReplicasGiven: w.expectedReplicasGiven,
        nodePools: [...w.nodePools],
        ...figures(w),
      })),
      nodePools: this.nodePools.map(p => ({
        name: p.name, path: p.path, capacityType: p.capacityType, priced: p.priced, pricedAtCapacityType: p.pricedAtCapacityType, ...figures(p),
      })),
      capacityTypes: this.capacityTypes.map(c => ({ capacityType: c.capacityType, nodePools: [...c.nodePools], ...figures(c) })),
      unpricedPools: [...this.unpricedPools],
      unknownInstanceTypes: [...this.unknownInstanceTypes],
      outsidePools: [...this.outsidePools],
    };
  }
}
