/**
 * one-horizontal-owner: a workload has at most one horizontal autoscaler, HPA or ScaledObject (same namespace, kind
 * and name of `scaleTargetRef`), hand-written ones included. A Ray object (RayService, RayCluster) has none: Ray's
 * own autoscaler scales it (Serve replicas and the worker groups' replicas), and its CRD has no `/scale` subresource.
 */
import { GuardrailContext } from '../engine/context';
import { describeOwner } from '../engine/owners';
import { RULES } from '../engine/rule-ids';

/** KubeRay kinds whose replicas Ray scales (ray.io_rayservices.yaml, ray.io_rayclusters.yaml at v1.7.0: `subresources: status` only). */
const RAY_SCALED_KINDS = new Set(['RayService', 'RayCluster']);

export function checkOneHorizontalOwner(ctx: GuardrailContext): void {
  for (const list of ctx.ownersByTarget.values()) {
    ctx.steps++;
    const target = ctx.byKey.get(list[0].targetKey);
    if (target && RAY_SCALED_KINDS.has(target.kind) && target.apiVersion.startsWith('ray.io/')) {
      for (const owner of list) {
        ctx.add(RULES.ONE_HORIZONTAL_OWNER, owner.subject, `${owner.kind} '${owner.name}' scales ${owner.target}, which Ray's autoscaler ` +
          'already scales (Serve\'s replicas and the worker groups\' replicas, through enableInTreeAutoscaling); KubeRay\'s CRD has no /scale ' +
          'subresource, so the autoscaler fails, and a patched replica count fights Ray\'s: remove it and set the bounds on the Ray object');
      }
      continue;
    }
    for (const extra of list.slice(1)) {
      ctx.add(RULES.ONE_HORIZONTAL_OWNER, extra.subject, `${extra.kind} '${extra.name}' scales ${extra.target}, which ${describeOwner(list[0])} ` +
        'already scales: two horizontal autoscalers overwrite each other\'s replica count (a ScaledObject through the HPA KEDA creates ' +
        'for it): keep one, with every metric or trigger on it');
    }
  }
}
