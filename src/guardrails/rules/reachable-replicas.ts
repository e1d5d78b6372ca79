/**
 * reachable-replicas: the replicas each workload can actually run, with every other workload at its minimum (the
 * most it can ever get), is the least of its autoscaler's maximum, its namespace's ResourceQuotas, its Kueue
 * ClusterQueue, its pools' limits and the budget (RULES.md has the formulas). A finding when that is below its
 * minReplicas (pods of the minimum stay Pending forever) or its maxReplicas (the autoscaler asks for replicas the quota
 * refuses) because of a quota. Pools and budget are only reported: pool-capacity and budget-ceiling already fail for
 * them, with every workload at its maximum.
 */
import { lowestCostMicroUsd } from './budget-ceiling';
import { toMicroUsd } from '../../common/money';
import { Amounts } from '../engine/amounts';
import { GuardrailContext, Workload } from '../engine/context';
import { formatResources, usdPerHour } from '../engine/format';
import { chargeMinimums, podsThatFit, RESOURCES } from '../engine/min-charge';
import { inNamespace } from '../engine/objects';
import { PoolModel } from '../engine/pools';
import {
  KueueModel, kueueUsage, PodView, podViewOf, QUEUE_NAME_LABEL, QuotaModel, quotaMatches, readKueue, readQuotas, shown, Usage, VALIDATION_SET,
} from '../engine/quotas';
import { RULES } from '../engine/rule-ids';
import { ReachLimit } from '../reachability';

/** One constraint's cap on a workload, and the sentence that explains it. */
interface Bound {
  readonly limit: ReachLimit;
  readonly replicas: number;
  /** After `N of M: `. */
  readonly why: string;
  /** The fix, where the constraint's own (raise it) does not apply. */
  readonly fix?: string;
}

export interface Reach {
  readonly workload: Workload;
  readonly reachable: number;
  readonly binding: ReachLimit;
  readonly reason: string;
}

/** Ties go to the first: the autoscaler, then quotas, then pools, then budget. */
const ORDER = [ReachLimit.AUTOSCALER, ReachLimit.RESOURCE_QUOTA, ReachLimit.KUEUE_QUOTA, ReachLimit.POOL_LIMITS, ReachLimit.BUDGET];

export function computeReach(ctx: GuardrailContext, budgetUsdPerHour: number | undefined): Reach[] {
  const quotas = readQuotas(ctx);
  const kueue = readKueue(ctx);
  // Pod views only where a quota or a queue can apply: most apps have neither, and their objects are never read.
  const views = new Map<Workload, PodView>();
  const viewOf = (w: Workload) => {
    let v = views.get(w);
    if (!v) { v = podViewOf(ctx, w); views.set(w, v); }
    return v;
  };
  const nsOf = (w: Workload) => w.footprint.target.namespace ?? '';
  const needsView = (w: Workload) => quotas.has(nsOf(w)) || kueue !== undefined;

  // The other workloads' floor on each quota and ClusterQueue: the sum of every matched workload's minimum, less its own.
  const quotaFloor = new Map<QuotaModel, Map<string, number>>();
  const queueFloor = new Map<string, Map<string, number>>();
  const addTo = (m: Map<string, number>, usage: Usage, n: number) => {
    for (const [k, v] of usage) m.set(k, (m.get(k) ?? 0) + n * v);
  };
  for (const w of ctx.workloads) {
    ctx.steps++;
    if (!needsView(w)) continue;
    const v = viewOf(w);
    for (const q of quotas.get(nsOf(w)) ?? []) {
      if (!quotaMatches(q, v)) continue;
      if (!quotaFloor.has(q)) quotaFloor.set(q, new Map());
      addTo(quotaFloor.get(q)!, v.usage, w.footprint.minReplicas);
    }
    const cq = kueue && clusterQueueOf(kueue, w, v);
    if (cq) {
      if (!queueFloor.has(cq)) queueFloor.set(cq, new Map());
      addTo(queueFloor.get(cq)!, kueueUsage(v), w.footprint.minReplicas);
    }
  }

  const mins = chargeMinimums(ctx);
  // What the others' minimums cost at least (budget-ceiling's lower bound of each pool, the workload's own minimum taken out).
  const poolCost = new Map<PoolModel, number>();
  for (const p of ctx.pools) poolCost.set(p, lowestCostMicroUsd(p, mins.demand.get(p)!) ?? 0);
  const totalMinCost = [...poolCost.values()].reduce((a, b) => a + b, 0);

  return ctx.workloads.map(w => {
    ctx.steps++;
    const f = w.footprint;
    const bounds: Bound[] = [{ limit: ReachLimit.AUTOSCALER, replicas: f.maxReplicas, why: 'the autoscaler\'s maximum' }];
    if (needsView(w)) {
      const v = viewOf(w);
      for (const q of quotas.get(nsOf(w)) ?? []) {
        if (quotaMatches(q, v)) bounds.push(...quotaBounds(q, v, quotaFloor.get(q)!, f.minReplicas));
      }
      const cq = kueue && clusterQueueOf(kueue, w, v);
      if (cq) bounds.push(...queueBounds(kueue!, cq, kueueUsage(v), queueFloor.get(cq)!, f.minReplicas));
    }
    const eligible = ctx.eligibility(f).pools;
    const own = mins.own.get(w) ?? new Map<PoolModel, number>();
    const pools = poolBound(eligible, f.requests, own, mins.demand);
    if (pools) bounds.push(pools);
    if (budgetUsdPerHour !== undefined) {
      const b = budgetBound(budgetUsdPerHour, w, eligible, own, mins.demand, poolCost, totalMinCost);
      if (b) bounds.push(b);
    }
    const rank = (b: Bound) => ORDER.indexOf(b.limit);
    const best = bounds.reduce((a, b) => (b.replicas < a.replicas || (b.replicas === a.replicas && rank(b) < rank(a)) ? b : a));
    const reachable = Math.max(0, best.replicas);
    const reason = `${reachable} of ${f.maxReplicas}: ${best.why}`;
    addFindings(ctx, w, reachable, best, reason);
    return { workload: w, reachable, binding: best.limit, reason };
  });
}

function clusterQueueOf(kueue: KueueModel, w: Workload, v: PodView): string | undefined {
  const queue = v.labels[QUEUE_NAME_LABEL];
  if (queue === undefined) return undefined;
  const cq = kueue.localQueues.get(`${w.footprint.target.namespace ?? ''}/${queue}`);
  return cq !== undefined && kueue.clusterQueues.has(cq) ? cq : undefined;
}

/** `(hard - others' minimum) / per pod` for each resource of the quota the pod uses. */
function quotaBounds(q: QuotaModel, pod: PodView, floor: Map<string, number>, min: number): Bound[] {
  const out: Bound[] = [];
  const usage = pod.usage;
  for (const [resource, hard] of q.hard) {
    const unset = VALIDATION_SET.includes(resource) ? pod.missing.get(resource) : undefined;
    if (unset) {
      // The API server refuses the pod outright: "must specify <resource> for: <containers>".
      out.push({
        limit: ReachLimit.RESOURCE_QUOTA,
        replicas: 0,
        why: `ResourceQuota '${q.name}'${inNamespace(q.namespace)} tracks ${resource}, which container${unset.length === 1 ? '' : 's'} ` +
          `${unset.map(c => `'${c}'`).join(', ')} ${unset.length === 1 ? 'does' : 'do'} not set, so the API server refuses every pod ` +
          `("must specify ${resource}") unless a LimitRange of the namespace defaults it`,
        fix: `set ${resource.replace(/^(?!limits\.|requests\.)/, 'requests.')} on every container of the pod template, or give the namespace a LimitRange that defaults it`,
      });
      continue;
    }
    const per = usage.get(resource) ?? 0;
    if (per <= 0) continue;
    const others = (floor.get(resource) ?? 0) - min * per;
    const replicas = Math.max(0, Math.floor((hard - others) / per));
    out.push({
      limit: ReachLimit.RESOURCE_QUOTA,
      replicas,
      why: `ResourceQuota '${q.name}'${inNamespace(q.namespace)} allows ${q.hardText.get(resource)} ${resource}, ${shown(resource, per)} per pod` +
        (others > 0 ? `, ${shown(resource, others)} of it taken by the other workloads' minimum` : ''),
    });
  }
  return out;
}

function queueBounds(kueue: KueueModel, cqName: string, usage: Usage, floor: Map<string, number>, min: number): Bound[] {
  const cq = kueue.clusterQueues.get(cqName)!;
  const out: Bound[] = [];
  for (const [resource, cap] of cq.caps) {
    const per = usage.get(resource) ?? 0;
    if (per <= 0) continue;
    const others = (floor.get(resource) ?? 0) - min * per;
    out.push({
      limit: ReachLimit.KUEUE_QUOTA,
      replicas: Math.max(0, Math.floor((cap - others) / per)),
      why: `Kueue ClusterQueue '${cq.name}' admits ${shown(resource, cap)} ${resource} (${cq.how.get(resource)}), ${shown(resource, per)} per pod` +
        (others > 0 ? `, ${shown(resource, others)} of it taken by the other workloads' minimum` : ''),
    });
  }
  return out;
}

/** Σ over eligible pools of the whole pods that fit in what the others' minimums leave; none when a pool has no binding limit. */
function poolBound(eligible: PoolModel[], pod: { cpuMillis: number; memoryMib: number; gpus: number }, own: Map<PoolModel, number>,
  demand: Map<PoolModel, { cpuMillis: number; memoryMib: number; gpus: number }>): Bound | undefined {
  if (eligible.length === 0) return undefined;
  let total = 0;
  const parts: string[] = [];
  for (const p of eligible) {
    const mine = own.get(p) ?? 0;
    const used = { ...demand.get(p)! };
    for (const r of RESOURCES) used[r] -= mine * pod[r];
    const fit = podsThatFit(p, used, pod);
    if (fit === Infinity) return undefined;
    total += fit;
    parts.push(`'${p.name}' ${fit}`);
  }
  return {
    limit: ReachLimit.POOL_LIMITS,
    replicas: total,
    why: `its pools' limits hold ${total} pods of ${formatResources(pod)} with every other workload at its minimum (${parts.join(', ')})`,
  };
}

function budgetBound(budgetUsdPerHour: number, w: Workload, eligible: PoolModel[], own: Map<PoolModel, number>,
  demand: Map<PoolModel, Amounts>, poolCost: Map<PoolModel, number>, total: number): Bound | undefined {
  const pod = w.footprint.requests;
  let perPod: number | undefined;
  for (const p of eligible) {
    const c = lowestCostMicroUsd(p, pod);
    if (c !== undefined && c > 0 && (perPod === undefined || c < perPod)) perPod = c;
  }
  if (perPod === undefined) return undefined;
  // The others' floor: each pool priced without this workload's own minimum.
  let others = total;
  for (const [p, k] of own) {
    const d = { ...demand.get(p)! };
    for (const r of RESOURCES) d[r] -= k * pod[r];
    others += (lowestCostMicroUsd(p, d) ?? 0) - poolCost.get(p)!;
  }
  const budget = toMicroUsd(budgetUsdPerHour);
  return {
    limit: ReachLimit.BUDGET,
    replicas: Math.max(0, Math.floor((budget - others) / perPod)),
    why: `'budgetUsdPerHour' (${budgetUsdPerHour}) less the other workloads' minimum (${usdPerHour(others)}) pays for pods at ${usdPerHour(perPod)} each`,
  };
}

function addFindings(ctx: GuardrailContext, w: Workload, reachable: number, best: Bound, reason: string): void {
  // Pools below a minimum or a maximum are already pool-capacity's finding (every workload at its maximum charges at
  // least as much), and the budget is a synth-time check that holds no pod back: both are reported, never found twice.
  if (best.limit !== ReachLimit.RESOURCE_QUOTA && best.limit !== ReachLimit.KUEUE_QUOTA) return;
  const f = w.footprint;
  if (reachable < f.minReplicas) {
    const pending = f.minReplicas - reachable;
    ctx.add(RULES.REACHABLE_REPLICAS, w.subject, `${w.label} can run at most ${reachable} replica${reachable === 1 ? '' : 's'}, below its ` +
      `minReplicas ${f.minReplicas} (${reason}), so ${pending} pod${pending === 1 ? '' : 's'} of its minimum stay${pending === 1 ? 's' : ''} ` +
      `Pending forever: ${best.fix ?? fixFor(best.limit, true)}`);
  } else if (reachable < f.maxReplicas) {
    ctx.add(RULES.REACHABLE_REPLICAS, w.subject, `${w.label} can run at most ${reachable} of its maxReplicas ${f.maxReplicas} (${reason}), so ` +
      `the autoscaler asks for ${f.maxReplicas - reachable} replicas the quota refuses: ${fixFor(best.limit, false)}, or suppress ` +
      'reachable-replicas with the reason if the quota is meant to cap it');
  }
}

function fixFor(limit: ReachLimit, belowMin: boolean): string {
  const lower = belowMin ? 'lower minReplicas' : 'lower maxReplicas to match';
  return limit === ReachLimit.RESOURCE_QUOTA ? `raise the ResourceQuota's hard limit (TeamGpuQuota's maxGpus) or ${lower}`
    : `raise the ClusterQueue's nominalQuota or borrowingLimit or ${lower}`;
}
