/**
 * budget-ceiling: the worst case that pool-capacity charges to each pool, priced from the pool's instance
 * types, per pool and in total; above the app's `budgetUsdPerHour` it is an error.
 *
 * Price of a pool (a lower bound, so a total above the budget is certain to be above it): for each resource
 * (GPUs, vCPU, memory, and each GPU share resource of a pool that shares its GPUs) the charged amount times the lowest
 * price per unit of that resource among the pool's instance types; the pool costs at least the largest of them. A share
 * costs its instance type's price over the shares the type holds (GPUs x shares per GPU). Any set of instances that holds the charged
 * amount of a resource costs at least that much. A pool with capacity reservations (`reservedUsdPerHour`) costs at
 * least the reservations, used or not. Money is held in integer micro-dollars.
 */
import { ChargeResult, PoolCharge } from './pool-capacity';
import { toMicroUsd } from '../../common/money';
import { pricedTypes, reservedFloorMicroUsd } from '../engine/capacity-type';
import { GuardrailContext } from '../engine/context';
import { formatResources, listSome, usdPerHour } from '../engine/format';
import { PoolModel } from '../engine/pools';
import { RULES } from '../engine/rule-ids';

/** A pool's worst case in dollars: undefined when the pool has demand but no instance prices. */
export interface PoolPrice {
  readonly charge: PoolCharge;
  readonly microUsd?: number;
}

export interface BudgetResult {
  readonly prices: PoolPrice[];
  /** Sum over the priced pools. */
  readonly totalMicroUsd: number;
  /** Pools with demand that cannot be priced. */
  readonly unpriced: PoolCharge[];
}

type Resource = 'gpus' | 'cpuMillis' | 'memoryMib';

/** The lower bound above, in micro-dollars; undefined when the pool's instance types are unknown. */
export function lowestCostMicroUsd(pool: PoolModel,
  demand: { gpus: number; cpuMillis: number; memoryMib: number; shares?: Readonly<Record<string, number>> }): number | undefined {
  const shares = Object.entries(demand.shares ?? {}).filter(([, n]) => n > 0);
  if (demand.gpus === 0 && demand.cpuMillis === 0 && demand.memoryMib === 0 && shares.length === 0) return 0;
  // The entries of the pool's capacity type (capacity-type.ts).
  const types = pricedTypes(pool)?.types;
  if (!types || types.length === 0) return undefined;
  let bound = 0n;
  for (const r of ['gpus', 'cpuMillis', 'memoryMib'] as Resource[]) {
    if (demand[r] === 0) continue;
    let cheapest: bigint | undefined;
    for (const t of types) {
      if (t.capacity[r] <= 0) continue;
      // floor(demand x price / capacity): integer arithmetic, exact for any size.
      const cost = (BigInt(demand[r]) * BigInt(t.priceMicroUsdPerHour)) / BigInt(t.capacity[r]);
      if (cheapest === undefined || cost < cheapest) cheapest = cost;
    }
    if (cheapest !== undefined && cheapest > bound) bound = cheapest;
  }
  // GPU shares: a type that holds s shares costs its price over s per share.
  for (const [name, n] of shares) {
    let cheapest: bigint | undefined;
    for (const t of types) {
      const held = t.capacity.shares?.[name] ?? 0;
      if (held <= 0) continue;
      const cost = (BigInt(n) * BigInt(t.priceMicroUsdPerHour)) / BigInt(held);
      if (cheapest === undefined || cost < cheapest) cheapest = cost;
    }
    if (cheapest !== undefined && cheapest > bound) bound = cheapest;
  }
  return Number(bound);
}

export function priceCharges(ctx: GuardrailContext, result: ChargeResult): BudgetResult {
  const prices: PoolPrice[] = [];
  const unpriced: PoolCharge[] = [];
  let total = 0;
  for (const charge of result.charges) {
    ctx.steps++;
    const lowest = lowestCostMicroUsd(charge.pool, charge.demand);
    // A capacity reservation is paid whether used or not: its pool costs at least the reservation.
    const microUsd = lowest === undefined ? undefined : Math.max(lowest, reservedFloorMicroUsd(charge.pool));
    prices.push({ charge, microUsd });
    if (microUsd === undefined) unpriced.push(charge);
    else total += microUsd;
  }
  return { prices, totalMicroUsd: total, unpriced };
}

function unpricedFix(pool: PoolModel): string {
  if (pool.origin === 'declared') return 'declare the pool\'s instanceTypes with their priceUsdPerHour in \'nodePools\'';
  const unknown = pool.unknownInstanceTypes ?? [];
  const pin = unknown.length > 0 ? `pin its requirements to instance types of InstanceCatalog.awsGpu() (${listSome(unknown, 3)} are not in it)`
    : 'pin its node.kubernetes.io/instance-type (or instance-family, instance-gpu-name) requirement to types of InstanceCatalog.awsGpu()';
  return `build the pool with CostAwareNodePool, which knows its instance prices, ${pin}, or suppress budget-ceiling on it with the reason`;
}

export function checkBudget(ctx: GuardrailContext, budget: BudgetResult, budgetUsdPerHour: number | undefined): void {
  if (budgetUsdPerHour === undefined) return;
  const limit = toMicroUsd(budgetUsdPerHour);
  for (const c of budget.unpriced) {
    ctx.add(RULES.BUDGET_CEILING, c.pool.subject, `NodePool '${c.pool.name}' must host ${formatResources(c.demand)} with every ` +
      `workload at its maximum but has no instance prices, so 'budgetUsdPerHour' (${budgetUsdPerHour}) cannot be checked against it: ` +
      unpricedFix(c.pool));
  }
  if (budget.totalMicroUsd <= limit) return;
  const byPool = budget.prices.filter(p => (p.microUsd ?? 0) > 0).sort((a, b) => b.microUsd! - a.microUsd!)
    .map(p => `'${p.charge.pool.name}' ${usdPerHour(p.microUsd!)}`);
  ctx.add(RULES.BUDGET_CEILING, ctx.guardrails, 'with every workload at its maximum the node pools cost at least ' +
    `${usdPerHour(budget.totalMicroUsd)}, above 'budgetUsdPerHour' (${budgetUsdPerHour}): over by ${usdPerHour(budget.totalMicroUsd - limit)} ` +
    `(${byPool.join(', ')}): lower the maxReplicas of the workloads on the costliest pools, move them to instance types with cheaper ` +
    'GPUs, vCPUs or memory, or raise budgetUsdPerHour');
}
