/**
 * The bill (RULES.md, "The bill"): the worst-case charge of pool-capacity (each workload's peak pods: maxReplicas plus
 * its rollout surge, the same pods on its workload line as on its pool lines) and a second charge at the expected
 * replicas, priced as budget-ceiling prices a pool, per workload, team, pool and capacity type.
 *
 * A workload's share of a pool is its pods' requests priced alone, at the pool's cheapest price per unit of the
 * resource that binds for them: `max over x of floor(pods x r_x x min over t (price_t / c_t,x))`, where x is GPUs,
 * CPU, memory and each GPU share resource (a time-sliced or MIG share costs its type's price over the shares it holds). A pool (and so a
 * capacity type and the total) is its pods' requests priced together, which is budget-ceiling's bound. Expected
 * replicas may be fractions: they are held in micro-replicas, and every product is computed exactly in integers.
 * A pool with capacity reservations costs at least the reservations (`reservedUsdPerHour`), in both cases: they are
 * paid whether used or not, so their idle part is on the pool, capacity-type and total lines, not on a workload's.
 */
import { capacityTypeOf, pricedTypes, reservedFloorMicroUsd } from './capacity-type';
import { Workload, workloadName } from './context';
import { peakPods } from './footprint';
import { PoolInstanceType, PoolModel } from './pools';
import { RunResult } from './run';
import { fromMicroUsd } from '../../common/money';
import { BillFigures, CapacityTypeBillLine, NodePoolBillLine, TeamBillLine, WorkloadBillLine } from '../bill-lines';
import { chargePools, ChargeResult } from '../rules/pool-capacity';

/** The fields of a bill (what `AppBill` holds). */
export interface AppBillData {
  readonly workloads: WorkloadBillLine[];
  readonly teams: TeamBillLine[];
  readonly nodePools: NodePoolBillLine[];
  readonly capacityTypes: CapacityTypeBillLine[];
  readonly total: BillFigures;
  readonly unpricedPools: string[];
  readonly unknownInstanceTypes: string[];
  readonly outsidePools: string[];
}

/** The team of an object without a namespace. */
export const DEFAULT_TEAM = 'default';

/** Expected replicas are held in millionths of a replica. */
const SCALE = 1_000_000n;

type Resource = 'gpus' | 'cpuMillis' | 'memoryMib';
const RESOURCES: Resource[] = ['gpus', 'cpuMillis', 'memoryMib'];

/** Requests in the engine's units times SCALE (pods in micro-pods); GPU shares by resource name. */
type Scaled = Record<Resource, bigint> & { shares: Map<string, bigint> };

function zero(): Scaled {
  return { gpus: 0n, cpuMillis: 0n, memoryMib: 0n, shares: new Map() };
}

/** Micro-pods of a pod count (fractions from the expected case rounded to a millionth of a pod). */
function microPods(pods: number): bigint {
  return BigInt(Math.round(pods * 1_000_000));
}

function demandOf(w: Workload, micro: bigint): Scaled {
  const r = w.footprint.requests;
  const shares = new Map(Object.entries(r.shares ?? {}).filter(([, n]) => n > 0).map(([name, n]) => [name, BigInt(n) * micro]));
  return { gpus: BigInt(r.gpus) * micro, cpuMillis: BigInt(r.cpuMillis) * micro, memoryMib: BigInt(r.memoryMib) * micro, shares };
}

/**
 * budget-ceiling's bound on scaled demand: max over resources of floor(D_x x price / (c_x x SCALE)), the cheapest type
 * per unit for each resource. With whole pods this is exactly `lowestCostMicroUsd`.
 */
function boundMicroUsd(types: PoolInstanceType[], demand: Scaled): bigint {
  let bound = 0n;
  for (const r of RESOURCES) {
    if (demand[r] === 0n) continue;
    let cheapest: bigint | undefined;
    for (const t of types) {
      if (t.capacity[r] <= 0) continue;
      const cost = (demand[r] * BigInt(t.priceMicroUsdPerHour)) / (BigInt(t.capacity[r]) * SCALE);
      if (cheapest === undefined || cost < cheapest) cheapest = cost;
    }
    if (cheapest !== undefined && cheapest > bound) bound = cheapest;
  }
  // GPU shares (budget-ceiling's bound): a type that holds s shares costs its price over s per share.
  for (const [name, d] of demand.shares) {
    let cheapest: bigint | undefined;
    for (const t of types) {
      const held = t.capacity.shares?.[name] ?? 0;
      if (held <= 0) continue;
      const cost = (d * BigInt(t.priceMicroUsdPerHour)) / (BigInt(held) * SCALE);
      if (cheapest === undefined || cost < cheapest) cheapest = cost;
    }
    if (cheapest !== undefined && cheapest > bound) bound = cheapest;
  }
  return bound;
}

function isZero(d: Scaled): boolean {
  return d.gpus === 0n && d.cpuMillis === 0n && d.memoryMib === 0n && d.shares.size === 0;
}

/** Running sums of one line. */
class Sum {
  public worst = 0n;
  public expected = 0n;
  public incomplete = false;

  public add(other: Sum): void {
    this.worst += other.worst;
    this.expected += other.expected;
    this.incomplete = this.incomplete || other.incomplete;
  }

  public figures(): BillFigures {
    const worst = Number(this.worst);
    const expected = Number(this.expected);
    return {
      worstCaseUsdPerHour: fromMicroUsd(worst),
      worstCaseMicroUsdPerHour: worst,
      expectedUsdPerHour: fromMicroUsd(expected),
      expectedMicroUsdPerHour: expected,
      incomplete: this.incomplete,
    };
  }
}

/**
 * The bill of one guardrail pass.
 * @param expected each workload's expected replicas
 * @param given the workloads whose expected replicas were given (not their minReplicas)
 */
export function computeBill(run: RunResult, expected: Map<Workload, number>, given: Set<Workload>): AppBillData {
  const ctx = run.context;
  const expectedOf = (w: Workload) => expected.get(w) ?? w.footprint.minReplicas;
  const expectedCharges = chargePools(ctx, expectedOf);
  const workloadSums = new Map<Workload, Sum>(ctx.workloads.map(w => [w, new Sum()]));
  const poolsOf = new Map<Workload, Set<PoolModel>>(ctx.workloads.map(w => [w, new Set()]));
  const poolSums = new Map<PoolModel, Sum>(ctx.pools.map(p => [p, new Sum()]));
  const charged = new Set<Workload>();

  const price = (charges: ChargeResult, field: 'worst' | 'expected') => {
    for (const c of charges.charges) {
      const types = pricedTypes(c.pool)?.types;
      const total = zero();
      for (const e of c.entries) {
        ctx.steps++;
        const micro = microPods(e.pods);
        if (micro === 0n) continue;
        charged.add(e.workload);
        poolsOf.get(e.workload)!.add(c.pool);
        const demand = demandOf(e.workload, micro);
        for (const r of RESOURCES) total[r] += demand[r];
        for (const [name, n] of demand.shares) total.shares.set(name, (total.shares.get(name) ?? 0n) + n);
        const sum = workloadSums.get(e.workload)!;
        if (types && types.length > 0) sum[field] += boundMicroUsd(types, demand);
        else if (!isZero(demand)) sum.incomplete = true;
      }
      const sum = poolSums.get(c.pool)!;
      // Capacity reservations are a fixed cost: the pool line (and so its capacity type and the total) carries them,
      // used or not, in the worst and the expected case; a workload's line carries only its own pods.
      const floor = BigInt(reservedFloorMicroUsd(c.pool));
      if (types && types.length > 0) {
        const bound = boundMicroUsd(types, total);
        sum[field] += bound > floor ? bound : floor;
      } else {
        sum[field] += floor;
        if (!isZero(total)) sum.incomplete = true;
      }
    }
  };
  price(run.charges, 'worst');
  price(expectedCharges, 'expected');

  // Pods on no known pool (outside every pool, or GPU pods no pool takes) are not priced.
  for (const w of ctx.workloads) {
    const needsPods = w.footprint.maxReplicas > 0 || expectedOf(w) > 0;
    if (needsPods && !charged.has(w)) workloadSums.get(w)!.incomplete = true;
  }

  const workloads: WorkloadBillLine[] = ctx.workloads.map(w => {
    const t = w.footprint.target;
    const pools = ctx.pools.filter(p => poolsOf.get(w)!.has(p)).map(p => p.name);
    return {
      workload: workloadName(w),
      ...(t.namespace ? { namespace: t.namespace } : {}),
      kind: t.kind,
      name: t.name,
      ...(w.footprint.component !== undefined ? { component: w.footprint.component } : {}),
      team: t.namespace || DEFAULT_TEAM,
      podsPerReplica: w.footprint.groupSize,
      maxReplicas: w.footprint.maxReplicas,
      worstCasePods: peakPods(w.footprint),
      expectedReplicas: expectedOf(w),
      expectedReplicasGiven: given.has(w),
      nodePools: pools,
      ...workloadSums.get(w)!.figures(),
    };
  }).sort((a, b) => compare(a.workload, b.workload) || compare(a.kind, b.kind) || compare(a.name, b.name));

  const teamSums = new Map<string, { sum: Sum; count: number }>();
  for (const w of ctx.workloads) {
    const team = w.footprint.target.namespace || DEFAULT_TEAM;
    const entry = teamSums.get(team) ?? { sum: new Sum(), count: 0 };
    entry.sum.add(workloadSums.get(w)!);
    entry.count++;
    teamSums.set(team, entry);
  }
  const teams: TeamBillLine[] = [...teamSums].sort(([a], [b]) => compare(a, b))
    .map(([team, { sum, count }]) => ({ team, workloads: count, ...sum.figures() }));

  const nodePools: NodePoolBillLine[] = ctx.pools.map(p => {
    const priced = pricedTypes(p);
    return {
      name: p.name,
      path: p.subject.node.path,
      capacityType: capacityTypeOf(p),
      priced: priced !== undefined && priced.types.length > 0,
      pricedAtCapacityType: priced?.atCapacityType ?? false,
      ...poolSums.get(p)!.figures(),
    };
  });

  const byType = new Map<string, { sum: Sum; pools: string[] }>();
  const total = new Sum();
  for (const p of ctx.pools) {
    const type = capacityTypeOf(p);
    const entry = byType.get(type) ?? { sum: new Sum(), pools: [] };
    entry.sum.add(poolSums.get(p)!);
    entry.pools.push(p.name);
    byType.set(type, entry);
    total.add(poolSums.get(p)!);
  }
  const outside = run.charges.outside.map(workloadName);
  if ([...workloadSums.values()].some(s => s.incomplete)) total.incomplete = true;
  const capacityTypes: CapacityTypeBillLine[] = [...byType].sort(([a], [b]) => compare(a, b))
    .map(([capacityType, { sum, pools }]) => ({ capacityType, nodePools: pools, ...sum.figures() }));

  return {
    workloads,
    teams,
    nodePools,
    capacityTypes,
    total: total.figures(),
    unpricedPools: nodePools.filter(p => p.incomplete).map(p => p.name),
    unknownInstanceTypes: ctx.pools.flatMap(p => (p.unknownInstanceTypes ?? []).map(v => `${p.name}: ${v}`)),
    outsidePools: outside,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
