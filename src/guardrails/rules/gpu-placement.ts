/**
 * gpu-placement: every workload that requests GPUs can land on at least one GPU node pool of the app (or a
 * declared one): it tolerates the pool's taints, the pool can launch a node with the labels it selects, and one
 * of the pool's instance types is large enough for one pod.
 */
import { GuardrailContext } from '../engine/context';
import { gpus } from '../engine/format';
import { offersGpus } from '../engine/pools';
import { RULES } from '../engine/rule-ids';

const FIX = 'add a node pool that offers these GPUs and whose taints the pods tolerate (e.g. a CostAwareNodePool with such instance types), ' +
  'make the workload select a GPU that a pool offers, or declare the pool that will host it in the ScalingGuardrails \'nodePools\'';

export function checkGpuPlacement(ctx: GuardrailContext): void {
  for (const w of ctx.workloads) {
    ctx.steps++;
    const f = w.footprint;
    // A share of a GPU (time-slicing, MIG) counts as a GPU request here (GPU sharing).
    const shares = Object.entries(f.requests.shares ?? {}).filter(([, n]) => n > 0);
    if ((f.requests.gpus <= 0 && shares.length === 0) || f.maxReplicas <= 0) continue;
    const e = ctx.eligibility(f);
    if (e.pools.length > 0) continue;
    // Pools refusing for the same reason (a CostAwareNodePool's spot and on-demand pools) are named together.
    const byReason = new Map<string, string[]>();
    for (const [pool, reason] of e.refusals) {
      if (!offersGpus(pool)) continue;
      const names = byReason.get(reason) ?? [];
      names.push(`'${pool.name}' (${pool.subject.node.path})`);
      byReason.set(reason, names);
    }
    const why = byReason.size === 0
      ? 'the app has none and none is declared'
      : [...byReason].map(([reason, names]) => `on ${names.join(' and ')}, ${reason}`).join('; ');
    const selector = Object.entries(f.nodeSelector).map(([k, v]) => `${k}=${v}`).join(', ');
    ctx.add(RULES.GPU_PLACEMENT, w.subject, `${w.label} (${shares.length > 0 ? shares.map(([r, n]) => `${n} ${r}`).join(', ') : gpus(f.requests.gpus)} per pod, ` +
      `${selector ? `nodeSelector ${selector}` : 'no nodeSelector'}) fits no GPU node pool: ${why}: ${FIX}`);
  }
}
