/**
 * Ownership of the replica count, read from every HorizontalPodAutoscaler, ScaledObject and VerticalPodAutoscaler
 * in the app (hand-written ones included):
 * - one-horizontal-owner: a workload has at most one HPA or ScaledObject;
 * - vpa-hpa-conflict: a VPA does not control a resource that the workload's horizontal autoscaler scales on;
 * - replicas-under-autoscaler: a workload under a horizontal autoscaler carries no `spec.replicas`;
 * - keda-hpa-name: no two ScaledObjects, and no ScaledObject and HPA, name the same HPA.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GuardrailContext, objectKey, SCALABLE_KINDS, subjectOf } from '../engine/context';
import { RULES } from '../engine/rule-ids';

/** A resource an autoscaler scales on: pod-wide (`Resource`, KEDA cpu/memory) or one container's. */
interface ScalesOn {
  readonly resource: string;
  readonly container?: string;
}

interface HorizontalOwner {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly subject: IConstruct;
  readonly targetKey: string;
  readonly target: string;
  readonly scalesOn: ScalesOn[];
}

function describe(o: { kind: string; name: string; subject: IConstruct }): string {
  return `${o.kind} '${o.name}' (${o.subject.node.path})`;
}

function inNamespace(namespace: string): string {
  return namespace ? ` in namespace '${namespace}'` : '';
}

export function checkOwnership(ctx: GuardrailContext): void {
  const owners = horizontalOwners(ctx);
  const byTarget = new Map<string, HorizontalOwner[]>();
  for (const o of owners) {
    ctx.steps++;
    const list = byTarget.get(o.targetKey);
    if (list) list.push(o);
    else byTarget.set(o.targetKey, [o]);
  }
  checkOneOwner(ctx, byTarget);
  checkReplicas(ctx, byTarget);
  checkVpas(ctx, byTarget);
  checkKedaHpaNames(ctx, owners);
}

function horizontalOwners(ctx: GuardrailContext): HorizontalOwner[] {
  const out: HorizontalOwner[] = [];
  const add = (o: ApiObject, json: any, scalesOn: ScalesOn[]) => {
    const ref = json.spec?.scaleTargetRef ?? {};
    const namespace = json.metadata?.namespace ?? '';
    const kind = ref.kind ?? 'Deployment';
    out.push({
      kind: o.kind,
      name: json.metadata?.name,
      namespace,
      subject: subjectOf(o),
      scalesOn,
      targetKey: objectKey(namespace, kind, ref.name),
      target: `${kind} '${ref.name}'${inNamespace(namespace)}`,
    });
  };
  for (const hpa of ctx.ofKind('HorizontalPodAutoscaler', 'autoscaling')) {
    const json = ctx.json(hpa);
    const scalesOn: ScalesOn[] = [];
    for (const m of json.spec?.metrics ?? []) {
      if (m.type === 'Resource' && m.resource?.name) scalesOn.push({ resource: m.resource.name });
      if (m.type === 'ContainerResource' && m.containerResource?.name) {
        scalesOn.push({ resource: m.containerResource.name, container: m.containerResource.container });
      }
    }
    add(hpa, json, scalesOn);
  }
  for (const so of ctx.ofKind('ScaledObject', 'keda.sh')) {
    const json = ctx.json(so);
    const scalesOn = (json.spec?.triggers ?? []).filter((t: any) => t.type === 'cpu' || t.type === 'memory')
      .map((t: any) => ({ resource: t.type, container: t.metadata?.containerName }));
    add(so, json, scalesOn);
  }
  return out;
}

function checkOneOwner(ctx: GuardrailContext, byTarget: Map<string, HorizontalOwner[]>): void {
  for (const list of byTarget.values()) {
    ctx.steps++;
    for (const extra of list.slice(1)) {
      ctx.add(RULES.ONE_HORIZONTAL_OWNER, extra.subject, `${extra.kind} '${extra.name}' scales ${extra.target}, which ${describe(list[0])} ` +
        'already scales: two horizontal autoscalers overwrite each other\'s replica count (a ScaledObject through the HPA KEDA creates ' +
        'for it): keep one, with every metric or trigger on it');
    }
  }
}

function checkReplicas(ctx: GuardrailContext, byTarget: Map<string, HorizontalOwner[]>): void {
  for (const [key, list] of byTarget) {
    ctx.steps++;
    const target = ctx.byKey.get(key);
    if (!target || !SCALABLE_KINDS.has(target.kind)) continue;
    const replicas = ctx.json(target).spec?.replicas;
    if (replicas === undefined || replicas === null) continue;
    ctx.add(RULES.REPLICAS_UNDER_AUTOSCALER, subjectOf(target), `${target.kind} '${target.name}' sets spec.replicas (${replicas}) while ` +
      `${describe(list[0])} scales it: every apply resets the replica count to ${replicas} until the autoscaler corrects it: remove ` +
      'spec.replicas (cdk8s-plus: deployment.markHasAutoscaler(); an ApiObject: addJsonPatch(JsonPatch.remove(\'/spec/replicas\')))');
  }
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

function checkVpas(ctx: GuardrailContext, byTarget: Map<string, HorizontalOwner[]>): void {
  for (const vpa of ctx.ofKind('VerticalPodAutoscaler', 'autoscaling.k8s.io')) {
    ctx.steps++;
    const json = ctx.json(vpa);
    const ref = json.spec?.targetRef ?? {};
    const key = objectKey(json.metadata?.namespace, ref.kind, ref.name);
    const owners = byTarget.get(key);
    if (!owners) continue;
    const target = ctx.byKey.get(key);
    const containers = target && SCALABLE_KINDS.has(target.kind)
      ? (ctx.json(target).spec?.template?.spec?.containers ?? []).map((c: any) => c.name as string)
      : undefined;
    const controls = vpaControls(json, containers);
    const controlled = (s: ScalesOn) => s.container !== undefined
      ? (controls.get(s.container) ?? controls.get('*'))?.has(s.resource) ?? false
      : [...controls.values()].some(set => set.has(s.resource));
    for (const owner of owners) {
      const both = [...new Set(owner.scalesOn.filter(controlled).map(s => s.resource))];
      if (both.length === 0) continue;
      const list = both.join(' and ');
      ctx.add(RULES.VPA_HPA_CONFLICT, subjectOf(vpa), `VerticalPodAutoscaler '${json.metadata?.name}' controls the ${list} requests of ` +
        `${owner.target}, on whose ${list} ${describe(owner)} scales: utilization is usage divided by requests, so each VPA change ` +
        'moves the horizontal metric and the two chase each other: scale horizontally on a load metric (requests, queue length, GPU ' +
        `utilization) instead of ${list}, or take ${list} out of the VPA's controlledResources (or set its updateMode to Off)`);
    }
  }
}

function checkKedaHpaNames(ctx: GuardrailContext, owners: HorizontalOwner[]): void {
  const hpas = new Map<string, HorizontalOwner>();
  for (const o of owners) if (o.kind === 'HorizontalPodAutoscaler') hpas.set(`${o.namespace}/${o.name}`, o);
  const named = new Map<string, HorizontalOwner>();
  for (const so of ctx.ofKind('ScaledObject', 'keda.sh')) {
    ctx.steps++;
    const json = ctx.json(so);
    const namespace = json.metadata?.namespace ?? '';
    const hpaName = json.spec?.advanced?.horizontalPodAutoscalerConfig?.name || `keda-hpa-${json.metadata?.name}`;
    const key = `${namespace}/${hpaName}`;
    const self = { kind: 'ScaledObject', name: json.metadata?.name, subject: subjectOf(so) };
    const fix = 'KEDA keeps one HPA per ScaledObject and would overwrite the other: give spec.advanced.horizontalPodAutoscalerConfig.name ' +
      'a name no other HPA or ScaledObject uses';
    const earlier = named.get(key);
    if (earlier) {
      ctx.add(RULES.KEDA_HPA_NAME, self.subject, `ScaledObject '${self.name}' names its HPA '${hpaName}'${inNamespace(namespace)}, as ` +
        `${describe(earlier)} does: ${fix}`);
    } else {
      named.set(key, { ...self, namespace, targetKey: '', target: '', scalesOn: [] });
    }
    const hpa = hpas.get(key);
    if (hpa) {
      ctx.add(RULES.KEDA_HPA_NAME, self.subject, `ScaledObject '${self.name}' names its HPA '${hpaName}'${inNamespace(namespace)}, ` +
        `which is the name of ${describe(hpa)}: ${fix}`);
    }
  }
}
