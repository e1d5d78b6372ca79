/**
 * vpa-hpa-conflict: a VPA does not control a resource (cpu, memory) that the horizontal autoscaler of the same
 * workload scales on: an HPA `Resource` metric (any container) or `ContainerResource` metric (that container), a KEDA
 * cpu/memory trigger. A library VerticalAutoscaler's typed model (the resources it changes on some container) answers
 * for pod-wide metrics; per-container policies, a hand-written VPA's and the container names of its target come from
 * their JSON.
 */
import { GuardrailContext } from '../engine/context';
import { SCALABLE_KINDS } from '../engine/objects';
import { describeOwner, HorizontalOwner, ScalesOn, VerticalOwner } from '../engine/owners';
import { RULES } from '../engine/rule-ids';

export function checkVpaHpaConflict(ctx: GuardrailContext): void {
  for (const vpa of ctx.verticalOwners) {
    ctx.steps++;
    const owners = ctx.ownersByTarget.get(vpa.targetKey);
    if (!owners) continue;
    const controlled = controlledBy(ctx, vpa, owners);
    for (const owner of owners) {
      const both = [...new Set(owner.scalesOn.filter(controlled).map(s => s.resource))];
      if (both.length === 0) continue;
      const list = both.join(' and ');
      ctx.add(RULES.VPA_HPA_CONFLICT, vpa.subject, `VerticalPodAutoscaler '${vpa.name}' controls the ${list} requests of ` +
        `${owner.target}, on whose ${list} ${describeOwner(owner)} scales: utilization is usage divided by requests, so each VPA change ` +
        'moves the horizontal metric and the two chase each other: scale horizontally on a load metric (requests, queue length, GPU ' +
        `utilization) instead of ${list}, or take ${list} out of the VPA's controlledResources (or set its updateMode to Off)`);
    }
  }
}

/** Whether the VPA controls a resource an autoscaler scales on. */
function controlledBy(ctx: GuardrailContext, vpa: VerticalOwner, owners: HorizontalOwner[]): (s: ScalesOn) => boolean {
  if (vpa.controlledResources && owners.every(o => o.scalesOn.every(s => s.container === undefined))) {
    const resources = new Set(vpa.controlledResources);
    return s => resources.has(s.resource);
  }
  const target = ctx.byKey.get(vpa.targetKey);
  const containers = target && SCALABLE_KINDS.has(target.kind)
    ? (ctx.json(target).spec?.template?.spec?.containers ?? []).map((c: any) => c.name as string)
    : undefined;
  const controls = vpaControls(ctx.json(vpa.object), containers);
  return s => s.container !== undefined
    ? (controls.get(s.container) ?? controls.get('*'))?.has(s.resource) ?? false
    : [...controls.values()].some(set => set.has(s.resource));
}

/** The resources a VPA changes, per container of its target (`*`: containers it was not told of). */
function vpaControls(json: any, containers: string[] | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (json.spec?.updatePolicy?.updateMode === 'Off') return out;
  const policies: any[] = json.spec?.resourcePolicy?.containerPolicies ?? [];
  const policyOf = (name: string) => policies.find(p => p.containerName === name) ?? policies.find(p => p.containerName === '*');
  const resourcesOf = (p: any): Set<string> => new Set(p?.mode === 'Off' ? [] : (p?.controlledResources ?? ['cpu', 'memory']));
  if (containers) {
    for (const c of containers) out.set(c, resourcesOf(policyOf(c)));
  } else {
    for (const p of policies) out.set(p.containerName, resourcesOf(p));
    if (policies.length === 0) out.set('*', resourcesOf(undefined));
  }
  return out;
}
