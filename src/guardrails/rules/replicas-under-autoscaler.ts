/**
 * replicas-under-autoscaler: a workload under a horizontal autoscaler carries no `spec.replicas`. A library workload's
 * `spec.replicas` is its footprint's `fixedReplicas`; a hand-written workload's is read from its JSON.
 */
import { GuardrailContext } from '../engine/context';
import { SCALABLE_KINDS, subjectOf } from '../engine/objects';
import { describeOwner } from '../engine/owners';
import { RULES } from '../engine/rule-ids';

export function checkReplicasUnderAutoscaler(ctx: GuardrailContext): void {
  for (const [key, list] of ctx.ownersByTarget) {
    ctx.steps++;
    const target = ctx.byKey.get(key);
    if (!target || !SCALABLE_KINDS.has(target.kind)) continue;
    const workload = ctx.workloadByTarget.get(key);
    const replicas = workload ? workload.footprint.fixedReplicas : ctx.json(target).spec?.replicas;
    if (replicas === undefined || replicas === null) continue;
    ctx.add(RULES.REPLICAS_UNDER_AUTOSCALER, subjectOf(target), `${target.kind} '${target.name}' sets spec.replicas (${replicas}) while ` +
      `${describeOwner(list[0])} scales it: every apply resets the replica count to ${replicas} until the autoscaler corrects it: remove ` +
      'spec.replicas (cdk8s-plus: deployment.markHasAutoscaler(); an ApiObject: addJsonPatch(JsonPatch.remove(\'/spec/replicas\')))');
  }
}
