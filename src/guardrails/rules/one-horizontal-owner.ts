/**
 * one-horizontal-owner: a workload has at most one horizontal autoscaler, HPA or ScaledObject (same namespace, kind
 * and name of `scaleTargetRef`), hand-written ones included.
 */
import { GuardrailContext } from '../engine/context';
import { describeOwner } from '../engine/owners';
import { RULES } from '../engine/rule-ids';

export function checkOneHorizontalOwner(ctx: GuardrailContext): void {
  for (const list of ctx.ownersByTarget.values()) {
    ctx.steps++;
    for (const extra of list.slice(1)) {
      ctx.add(RULES.ONE_HORIZONTAL_OWNER, extra.subject, `${extra.kind} '${extra.name}' scales ${extra.target}, which ${describeOwner(list[0])} ` +
        'already scales: two horizontal autoscalers overwrite each other\'s replica count (a ScaledObject through the HPA KEDA creates ' +
        'for it): keep one, with every metric or trigger on it');
    }
  }
}
