/**
 * The app's bill: what its node pools cost per hour with every workload at its maximum plus its rollout surge (the
 * worst case the guardrails charge) and at its expected replicas, per workload, team, node pool and capacity type.
 * RULES.md ("The bill") has the formulas.
 */
import { BillFigures, CapacityTypeBillLine, NodePoolBillLine, TeamBillLine, WorkloadBillLine } from './bill-lines';
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
  /**
   * Expected replicas (a mean may be a fraction): from 0 to the workload's maxReplicas, counted in pods as the bill's
   * lines count them (a LeaderWorkerSet's groups x its `podsPerReplica`).
   */
  readonly replicas: number;
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
