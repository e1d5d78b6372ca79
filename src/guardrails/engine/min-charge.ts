/**
 * Every workload at its minimum, charged to the node pools as pool-capacity charges the maxima (pools in Karpenter's
 * order, the workloads with the fewest eligible pools first, whole pods within each pool's remaining limits), over
 * the pools that survive a failure. Pods that fit no surviving pool's limits are short, not charged: what the
 * reachability rule takes as the others' floor, and what the failure scenarios report as the shortfall.
 */
import { Amounts } from './amounts';
import { GuardrailContext, Workload } from './context';
import { PoolModel } from './pools';

export interface MinCharge {
  /** Requests charged to each pool. */
  readonly demand: Map<PoolModel, Amounts>;
  /** Pods of each workload charged to each pool. */
  readonly own: Map<Workload, Map<PoolModel, number>>;
  /** Minimum pods of each workload that no surviving eligible pool holds within its limits (absent: none). */
  readonly short: Map<Workload, number>;
}

type Resource = Exclude<keyof Amounts, 'shares'>;
export const RESOURCES: Resource[] = ['gpus', 'cpuMillis', 'memoryMib'];

/** How many more pods of `pod` fit a pool with `used` charged to it, within its limits (Infinity with no binding limit). */
export function podsThatFit(pool: PoolModel, used: Amounts, pod: Amounts): number {
  let fit = Infinity;
  for (const r of RESOURCES) {
    const limit = pool.limits[r];
    if (pod[r] > 0 && limit !== undefined) fit = Math.min(fit, Math.max(0, Math.floor((limit - used[r]) / pod[r])));
  }
  return fit;
}

/**
 * @param survives whether a pool is left for a workload after the failure (all pools without one)
 */
export function chargeMinimums(ctx: GuardrailContext, survives: (w: Workload, p: PoolModel) => boolean = () => true): MinCharge {
  const demand = new Map<PoolModel, { cpuMillis: number; memoryMib: number; gpus: number }>(
    ctx.pools.map(p => [p, { cpuMillis: 0, memoryMib: 0, gpus: 0 }]));
  const own = new Map<Workload, Map<PoolModel, number>>();
  const short = new Map<Workload, number>();
  const buckets: { w: Workload; pools: PoolModel[] }[][] = [[], ...ctx.pools.map(() => [])];
  for (const w of ctx.workloads) {
    ctx.steps++;
    const f = w.footprint;
    if (f.minReplicas <= 0) continue;
    const eligible = ctx.eligibility(f).pools;
    // Workloads that fit no pool at all run outside the pools (or are a gpu-placement finding): no failure here reaches them.
    if (eligible.length === 0) continue;
    const pools = eligible.filter(p => survives(w, p));
    buckets[pools.length].push({ w, pools });
  }
  for (const bucket of buckets) {
    for (const { w, pools } of bucket) {
      const pod = w.footprint.requests;
      let left = w.footprint.minReplicas;
      const mine = new Map<PoolModel, number>();
      for (const pool of pools) {
        ctx.steps++;
        const used = demand.get(pool)!;
        const k = Math.min(left, podsThatFit(pool, used, pod));
        if (k > 0) {
          for (const r of RESOURCES) used[r] += k * pod[r];
          mine.set(pool, k);
          left -= k;
        }
        if (left === 0) break;
      }
      own.set(w, mine);
      if (left > 0) short.set(w, left);
    }
  }
  return { demand, own, short };
}
