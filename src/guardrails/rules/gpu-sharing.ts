/**
 * gpu-sharing (issue 17): a pool that shares its GPUs (time-slicing or MIG) holds, within its GPU limit, the shares
 * the workloads charged to it need at their maximum: GPU limit x shares per GPU (the replicas, or the MIG profile's
 * instances per GPU of the pool's model; the fewest where its models differ). pool-capacity charges such pods their
 * CPU and memory only, since they request no whole `nvidia.com/gpu`.
 *
 * And each share holds the model: a workload that says what GPU memory one pod needs (`requiredGpuMemory`, from
 * ModelSizer; on hand-written pods the `cdk8s-ml-scaling/required-gpu-memory` annotation) is compared with the memory
 * of one share on every GPU model of the pool the pod may land on: the GPU's memory over the replicas per GPU
 * (time-slicing does not partition memory: the share is what each pod may take so that all fit), or the MIG profile's.
 */
import { SizeRoundingBehavior } from 'cdk8s';
import { ChargeResult, PoolCharge } from './pool-capacity';
import { GpuProduct } from '../../planning/gpu-product';
import { GpuSharing, MigProfile } from '../../values/gpu-sharing';
import { GuardrailContext, Workload, workloadName } from '../engine/context';
import { gib, listSome } from '../engine/format';
import { RULES } from '../engine/rule-ids';

export function checkGpuSharing(ctx: GuardrailContext, result: ChargeResult): void {
  for (const c of result.charges) {
    checkShareMemory(ctx, c);
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

/** Each workload charged to a shared pool whose pods' GPU memory need is above one share's memory. */
function checkShareMemory(ctx: GuardrailContext, c: PoolCharge): void {
  const sharing = c.pool.declaration.gpuSharing;
  if (!sharing || !c.pool.types) return;
  const resource = sharing.resourceName;
  for (const e of c.entries) {
    ctx.steps++;
    const f = e.workload.footprint;
    const need = f.requiredGpuMemoryMib;
    if (need === undefined || !((f.requests.shares?.[resource] ?? 0) > 0)) continue;
    // The GPU models of the pool the pods may land on: those whose instance labels their nodeSelector does not contradict.
    const products = new Map<string, GpuProduct>();
    for (const t of c.pool.types) {
      const product = t.type.gpuProduct;
      if (t.type.gpus <= 0 || !product) continue;
      if (Object.entries(f.nodeSelector).some(([k, v]) => t.labels[k] !== undefined && t.labels[k] !== v)) continue;
      products.set(`${product.name}/${mib(product.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }))}`, product);
    }
    const short = [...products.values()]
      .map(product => ({ product, share: sharing.memoryPerShare(product).toMebibytes({ rounding: SizeRoundingBehavior.NONE }) }))
      .filter(x => x.share < need)
      .sort((a, b) => a.share - b.share);
    if (short.length === 0) continue;
    ctx.add(RULES.GPU_SHARING, e.workload.subject, shareMemoryText(e.workload, c, sharing, need, short[0].product, short[0].share));
  }
}

function shareMemoryText(w: Workload, c: PoolCharge, sharing: GpuSharing, need: number, product: GpuProduct, share: number): string {
  const gpuMib = product.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  const head = `${w.label} needs ${gib(need)} of GPU memory per pod (its requiredGpuMemory), but NodePool '${c.pool.name}'`;
  if (sharing.migProfile) {
    const larger = MigProfile.profilesOf(product).filter(p => p.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) >= need).map(p => p.name);
    return `${head} gives each pod a ${sharing.migProfile.name} MIG instance of ${product.name} with ${gib(share)} (short by ${gib(need - share)}): ` +
      'the model does not fit in it, and the pod fails with out-of-memory errors when it loads: ' +
      `${larger.length > 0 ? `partition the GPUs into a larger profile (${larger.join(', ')})` : 'use whole GPUs'}, or lower the pod's context length or concurrency`;
  }
  const ways = sharing.replicasPerGpu!;
  const fits = Math.floor(gpuMib / need);
  const fewer = fits >= 2 ? `share each GPU ${fits} ways (GpuSharing.timeSlicing(${fits}) gives ${gib(Math.floor(gpuMib / fits))} a share)`
    : 'give it a whole GPU (GpuRequest.of(1))';
  return `${head} shares each ${product.name} (${gib(gpuMib)}) ${ways} ways, so a share has ${gib(share)} (short by ${gib(need - share)}): ` +
    'time-slicing does not partition memory, so pods that take more than their share leave the others on the GPU without ' +
    `memory, and they fail with out-of-memory errors: ${fewer}, or lower the pod's context length or concurrency`;
}

/** MiB as a key. */
function mib(n: number): string {
  return String(Math.round(n));
}
