/**
 * pool-capacity: with every workload at its maximum at once, what each node pool must host fits within its
 * limits. Karpenter counts the capacity of the nodes it launched against a pool's limits, which is at least the
 * requests of the pods on them, so requests above a limit are pods that certainly stay pending.
 *
 * Charging (RULES.md has the formula and a worked example): pools in Karpenter's order; workloads with the
 * fewest eligible pools first, then in tree order; each workload's pods fill its eligible pools in order, as
 * many whole pods as each pool's remaining limits allow; pods left over are charged to its last eligible pool,
 * which then exceeds its limit by them.
 */
import { Amounts } from '../engine/amounts';
import { GuardrailContext, Workload, workloadName } from '../engine/context';
import { peakPods } from '../engine/footprint';
import { gib, gpus, listSome, vcpu } from '../engine/format';
import { PoolModel } from '../engine/pools';
import { RULES } from '../engine/rule-ids';

/** Pods of one workload charged to one pool. */
export interface ChargeEntry {
  readonly workload: Workload;
  readonly pods: number;
  /** Of `pods`, how many fit within no eligible pool's limits. */
  readonly overflow: number;
}

export interface PoolCharge {
  readonly pool: PoolModel;
  /** Requests charged to the pool; `shares` by GPU share resource, absent when none is charged (GPU sharing). */
  readonly demand: { cpuMillis: number; memoryMib: number; gpus: number; shares?: Record<string, number> };
  readonly entries: ChargeEntry[];
}

export interface ChargeResult {
  /** One per pool, in Karpenter's order. */
  readonly charges: PoolCharge[];
  /** Workloads without GPUs that no pool of the app hosts: they run on nodes the guardrails do not know. */
  readonly outside: Workload[];
}

type Resource = Exclude<keyof Amounts, 'shares'>;
const RESOURCES: Resource[] = ['gpus', 'cpuMillis', 'memoryMib'];

/**
 * @param podsOf how many pods of each workload to charge: its peak, maxReplicas plus the rollout surge (the worst case), or the bill's expected replicas
 * (engine/bill.ts; a fraction of a pod is charged as such)
 */
export function chargePools(ctx: GuardrailContext, podsOf: (w: Workload) => number = w => peakPods(w.footprint)): ChargeResult {
  const charges = new Map<PoolModel, PoolCharge>(ctx.pools.map(pool => [pool, {
    pool,
    demand: { cpuMillis: 0, memoryMib: 0, gpus: 0 },
    entries: [],
  }]));
  const outside: Workload[] = [];
  // Most constrained first (a bucket per number of eligible pools keeps this linear), tree order within a bucket.
  const buckets: { w: Workload; pools: PoolModel[] }[][] = ctx.pools.map(() => []);
  for (const w of ctx.workloads) {
    ctx.steps++;
    const f = w.footprint;
    if (podsOf(w) <= 0) continue;
    const pools = ctx.eligibility(f).pools;
    if (pools.length > 0) buckets[pools.length - 1].push({ w, pools });
    else if (f.requests.gpus <= 0) outside.push(w);
  }
  for (const bucket of buckets) {
    for (const { w, pools } of bucket) {
      const pod = w.footprint.requests;
      let left = podsOf(w);
      for (const pool of pools) {
        ctx.steps++;
        const c = charges.get(pool)!;
        let fit = left;
        for (const r of RESOURCES) {
          const limit = pool.limits[r];
          if (pod[r] > 0 && limit !== undefined) fit = Math.min(fit, Math.max(0, Math.floor((limit - c.demand[r]) / pod[r])));
        }
        if (fit > 0) charge(c, w, fit, 0);
        left -= fit;
        if (left === 0) break;
      }
      if (left > 0) charge(charges.get(pools[pools.length - 1])!, w, left, left);
    }
  }
  return { charges: [...charges.values()], outside };
}

function charge(c: PoolCharge, workload: Workload, pods: number, overflow: number): void {
  const pod = workload.footprint.requests;
  for (const r of RESOURCES) c.demand[r] += pods * pod[r];
  for (const [name, n] of Object.entries(pod.shares ?? {})) {
    if (n <= 0) continue;
    c.demand.shares = c.demand.shares ?? {};
    c.demand.shares[name] = (c.demand.shares[name] ?? 0) + pods * n;
  }
  const last = c.entries[c.entries.length - 1];
  // Pods that fit and the overflow of the same workload in its last pool read as one entry.
  if (last?.workload === workload) c.entries[c.entries.length - 1] = { workload, pods: last.pods + pods, overflow: last.overflow + overflow };
  else c.entries.push({ workload, pods, overflow });
}

/** `of its 20 replicas + 5 surge` for a workload whose rollout surges. */
function surgeNote(w: Workload): string[] {
  const f = w.footprint;
  return f.surgeReplicas > 0 ? [`of its ${f.maxReplicas} replicas + ${f.surgeReplicas} surge`] : [];
}

const WORDS: Record<Resource, (n: number) => string> = { gpus, cpuMillis: vcpu, memoryMib: gib };

/** The fix for a pool over its limits, by where the pool comes from. */
function fixFor(pool: PoolModel): string {
  const raise = pool.origin === 'construct'
    ? 'raise the pool\'s budgetUsdPerHour (its limits follow it) or its maxGpus/maxVcpus'
    : pool.origin === 'object' ? 'raise the NodePool\'s spec.limits' : 'raise the pool\'s limits (and its declaration)';
  return `${raise}, lower the maxReplicas of the workloads charged to it, or give them another pool they can run on`;
}

export function checkPoolCapacity(ctx: GuardrailContext, result: ChargeResult): void {
  for (const c of result.charges) {
    ctx.steps++;
    const over = RESOURCES.filter(r => c.pool.limits[r] !== undefined && c.demand[r] > c.pool.limits[r]!);
    if (over.length === 0) continue;
    const amounts = over.map(r => {
      const word = WORDS[r];
      const limit = c.pool.limits[r]!;
      return `${word(c.demand[r])} against a limit of ${word(limit)} (over by ${word(c.demand[r] - limit)})`;
    });
    const charged = c.entries.map(e => {
      const notes = [...(e.overflow > 0 ? [`${e.overflow} beyond every pool it fits`] : []), ...surgeNote(e.workload)];
      return `${workloadName(e.workload)} ${e.pods} pod${e.pods === 1 ? '' : 's'}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
    });
    ctx.add(RULES.POOL_CAPACITY, c.pool.subject, `NodePool '${c.pool.name}', with every workload at its maximum, needs ` +
      `${amounts.join(' and ')}; charged to it: ${listSome(charged)}: ${fixFor(c.pool)}`);
  }
}
