/**
 * gpu-sharing (issue 17): a pool that shares its GPUs (time-slicing or MIG) holds, within its GPU limit, the shares
 * the workloads charged to it need at their maximum: GPU limit x shares per GPU (the replicas, or the MIG profile's
 * instances per GPU of the pool's model; the fewest where its models differ). pool-capacity charges such pods their
 * CPU and memory only, since they request no whole `nvidia.com/gpu`.
 */
import { ChargeResult } from './pool-capacity';
import { GuardrailContext, workloadName } from '../engine/context';
import { listSome } from '../engine/format';
import { RULES } from '../engine/rule-ids';

export function checkGpuSharing(ctx: GuardrailContext, result: ChargeResult): void {
  for (const c of result.charges) {
    ctx.steps++;
    const sharing = c.pool.declaration.gpuSharing;
    const limit = c.pool.limits.gpus;
    if (!sharing || limit === undefined || !c.pool.types) continue;
    const perGpu = Math.min(...c.pool.types.filter(t => t.type.gpus > 0 && t.type.gpuProduct).map(t => sharing.sharesPerGpu(t.type.gpuProduct!)));
    if (!Number.isFinite(perGpu)) continue;
    const resource = sharing.resourceName;
    const charged = c.entries
      .map(e => ({ e, shares: e.pods * (e.workload.footprint.requests.shares?.[resource] ?? 0) }))
      .filter(x => x.shares > 0);
    const demand = charged.reduce((sum, x) => sum + x.shares, 0);
    const capacity = limit * perGpu;
    if (demand <= capacity) continue;
    const who = charged.map(x => `${workloadName(x.e.workload)} ${x.shares}`);
    ctx.add(RULES.GPU_SHARING, c.pool.subject, `NodePool '${c.pool.name}' shares each GPU ${perGpu} ways (${resource}): its GPU limit of ` +
      `${limit} holds ${capacity}, but with every workload at its maximum it needs ${demand} (over by ${demand - capacity}); ` +
      `charged to it: ${listSome(who)}: raise the pool's budgetUsdPerHour or maxGpus, share each GPU more ways, or lower the workloads' maxReplicas`);
  }
}
