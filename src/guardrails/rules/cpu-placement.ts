/**
 * cpu-placement: when the app has or declares node pools, every workload without GPUs can land on at least one of
 * them (its pods tolerate the pool's taints, the pool can launch a node with the labels they select, and one of its
 * instance types holds a pod). A workload that fits none runs only on nodes the guardrails do not know (a managed
 * node group, Fargate): that must be declared, not left to chance. With no pool at all nothing is known and nothing
 * is raised.
 */
import { GuardrailContext } from '../engine/context';
import { formatResources } from '../engine/format';
import { RULES } from '../engine/rule-ids';

const FIX = 'declare the pool that hosts it in the ScalingGuardrails \'nodePools\' (e.g. the cluster\'s system node group: ' +
  '{ name: \'system\' }, without instance types), give its pods the tolerations and nodeSelector of a pool of the app, ' +
  'or suppress cpu-placement on it with the reason';

export function checkCpuPlacement(ctx: GuardrailContext): void {
  if (ctx.pools.length === 0) return;
  for (const w of ctx.workloads) {
    ctx.steps++;
    const f = w.footprint;
    if (f.requests.gpus > 0 || Object.keys(f.requests.shares ?? {}).length > 0 || f.maxReplicas <= 0) continue;
    const e = ctx.eligibility(f);
    if (e.pools.length > 0) continue;
    // Pools refusing for the same reason (a CostAwareNodePool's spot and on-demand pools) are named together.
    const byReason = new Map<string, string[]>();
    for (const [pool, reason] of e.refusals) {
      const names = byReason.get(reason) ?? [];
      names.push(`'${pool.name}' (${pool.subject.node.path})`);
      byReason.set(reason, names);
    }
    const why = [...byReason].map(([reason, names]) => `on ${names.join(' and ')}, ${reason}`).join('; ');
    const selector = Object.entries(f.nodeSelector).map(([k, v]) => `${k}=${v}`).join(', ');
    ctx.add(RULES.CPU_PLACEMENT, w.subject, `${w.label} (${formatResources(f.requests)} per pod, ` +
      `${selector ? `nodeSelector ${selector}` : 'no nodeSelector'}) fits no node pool of the app or declared: ${why}: ${FIX}`);
  }
}
