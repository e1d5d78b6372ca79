/**
 * keda-hpa-name: no two ScaledObjects, and no ScaledObject and HPA, name the same HPA. The name of the HPA KEDA
 * creates is `spec.advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<ScaledObject name>` (KEDA's
 * getHPAName). No typed model carries it, so every ScaledObject, the library's included, is
 * read from its JSON for it.
 */
import { GuardrailContext } from '../engine/context';
import { inNamespace, subjectOf } from '../engine/objects';
import { describeOwner, HorizontalOwner } from '../engine/owners';
import { RULES } from '../engine/rule-ids';

const FIX = 'KEDA keeps one HPA per ScaledObject and would overwrite the other: give spec.advanced.horizontalPodAutoscalerConfig.name ' +
  'a name no other HPA or ScaledObject uses';

export function checkKedaHpaName(ctx: GuardrailContext): void {
  const hpas = new Map<string, HorizontalOwner>();
  for (const o of ctx.horizontalOwners) if (o.kind === 'HorizontalPodAutoscaler') hpas.set(`${o.namespace}/${o.name}`, o);
  const named = new Map<string, { kind: string; name: string; subject: HorizontalOwner['subject'] }>();
  for (const so of ctx.ofKind('ScaledObject', 'keda.sh')) {
    ctx.steps++;
    const json = ctx.json(so);
    const namespace = json.metadata?.namespace ?? '';
    const hpaName = json.spec?.advanced?.horizontalPodAutoscalerConfig?.name || `keda-hpa-${json.metadata?.name}`;
    const key = `${namespace}/${hpaName}`;
    const self = { kind: 'ScaledObject', name: json.metadata?.name, subject: subjectOf(so) };
    const earlier = named.get(key);
    if (earlier) {
      ctx.add(RULES.KEDA_HPA_NAME, self.subject, `ScaledObject '${self.name}' names its HPA '${hpaName}'${inNamespace(namespace)}, as ` +
        `${describeOwner(earlier)} does: ${FIX}`);
    } else {
      named.set(key, self);
    }
    const hpa = hpas.get(key);
    if (hpa) {
      ctx.add(RULES.KEDA_HPA_NAME, self.subject, `ScaledObject '${self.name}' names its HPA '${hpaName}'${inNamespace(namespace)}, ` +
        `which is the name of ${describeOwner(hpa)}: ${FIX}`);
    }
  }
}
