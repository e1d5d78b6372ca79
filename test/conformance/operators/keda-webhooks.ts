/**
 * KEDA's admission webhooks at kedacore/keda@v2.20.2 (ScaledObject, ScaledJob, TriggerAuthentication and
 * ClusterTriggerAuthentication), and the controller checks that turn an admitted object `Ready=False`. The webhooks
 * are `failurePolicy=ignore` (scaledobject_webhook.go L96): with KEDA's admission service down they admit anything,
 * so the library must hold to these rules itself. Rules that read other objects (one ScaledObject per target, HPA
 * names, an HPA already on the target, cpu/memory requests of the target) are checked against the app's objects.
 */
import { parseQuantity } from '../quantity';

type Obj = Record<string, any>;

const DEFAULT_HPA_MIN = 1; // scaledobject_types.go@v2.20.2 L95-L97 defaultHPAMinReplicas
const DEFAULT_HPA_MAX = 100; // scaledobject_types.go@v2.20.2 L95-L97 defaultHPAMaxReplicas
const MAX_LABEL_VALUE = 63; // scaledobject_webhook.go@v2.20.2 L57-L58 maxK8sLabelValueLength

const nsOf = (o: Obj) => o.metadata?.namespace ?? '';
const nameOf = (o: Obj) => o.metadata?.name ?? '';

/** The group/kind of a scaleTargetRef, defaulted as ParseGVKR does (apps/v1 Deployment). */
function targetGroupKind(ref: Obj | undefined): string {
  const apiVersion: string = ref?.apiVersion || 'apps/v1';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}/${ref?.kind || 'Deployment'}`;
}

/** getHpaName() (scaledobject_webhook.go@v2.20.2 L680-L686). */
export function kedaHpaName(so: Obj): string {
  return so.spec?.advanced?.horizontalPodAutoscalerConfig?.name || `keda-hpa-${nameOf(so)}`;
}

const isCpuMemory = (t: Obj) => t?.type === 'cpu' || t?.type === 'memory';

/** Every webhook and controller finding of the app's KEDA objects, as `Kind/name: path: message`. */
export function kedaWebhookViolations(objects: Obj[]): string[] {
  const out: string[] = [];
  const scaledObjects = objects.filter(o => o?.kind === 'ScaledObject' && String(o.apiVersion).startsWith('keda.sh/'));
  const hpas = objects.filter(o => o?.kind === 'HorizontalPodAutoscaler');
  scaledObjects.forEach((so, i) => {
    const report = (path: string, message: string) => out.push(`ScaledObject/${nameOf(so)}: ${path}: ${message}`);
    scaledObjectRules(so, objects, report);
    crossObjectRules(so, scaledObjects.slice(0, i), hpas, report);
  });
  for (const sj of objects.filter(o => o?.kind === 'ScaledJob' && String(o.apiVersion).startsWith('keda.sh/'))) {
    const report = (path: string, message: string) => out.push(`ScaledJob/${nameOf(sj)}: ${path}: ${message}`);
    triggerRules(sj.spec?.triggers, 'ScaledJob', report);
    // controllers/keda/scaledjob_controller.go@v2.20.2 L206-L215 reconcileScaledJob(): no metricType in a ScaledJob
    (sj.spec?.triggers ?? []).forEach((t: Obj, j: number) => {
      if (t?.metricType) report(`spec.triggers[${j}].metricType`, 'metricType is set in one of the ScaledJob scaler: KEDA sets the ScaledJob Ready=False (cpu and memory triggers cannot scale a ScaledJob)');
    });
    // scaledjob_controller.go@v2.20.2 L138-L145: jobTargetRef is required
    if (!sj.spec?.jobTargetRef) report('spec.jobTargetRef', 'ScaledJob.spec.jobTargetRef not found');
  }
  for (const ta of objects.filter(o => (o?.kind === 'TriggerAuthentication' || o?.kind === 'ClusterTriggerAuthentication') && String(o.apiVersion).startsWith('keda.sh/'))) {
    const problem = triggerAuthenticationProblem(ta.spec ?? {});
    if (problem) out.push(`${ta.kind}/${nameOf(ta)}: ${problem[0]}: ${problem[1]}`);
  }
  return out;
}

function scaledObjectRules(so: Obj, objects: Obj[], report: (path: string, message: string) => void): void {
  const spec = so.spec ?? {};
  const name = nameOf(so);
  // scaledobject_webhook.go@v2.20.2 L203-L219 verifyName()
  if (name.length > MAX_LABEL_VALUE) {
    report('metadata.name', `scaledobject name "${name}" is ${name.length} characters long; must be no more than 63 characters because it is used as the "scaledobject.keda.sh/name" label value`);
  }
  const hpaName = kedaHpaName(so);
  if (hpaName.length > MAX_LABEL_VALUE) {
    report('spec.advanced.horizontalPodAutoscalerConfig.name', `HPA name "${hpaName}" derived from scaledobject is ${hpaName.length} characters long; must be no more than 63 characters; set spec.advanced.horizontalPodAutoscalerConfig.name to a shorter name or shorten the scaledobject name`);
  }
  // scaledobject_types.go@v2.20.2 L353-L370 CheckReplicaCountBoundsAreValid() with L303-L318 GetHPAMinReplicas(): a set 0 counts as 1
  const min = spec.minReplicaCount === undefined ? 0 : (spec.minReplicaCount > 0 ? spec.minReplicaCount : DEFAULT_HPA_MIN);
  const max = spec.maxReplicaCount ?? DEFAULT_HPA_MAX;
  // The CRD's CEL rule (minReplicaCount <= maxReplicaCount, or 100) reports the plain case: report here only what it
  // lets through, an explicit minReplicaCount 0 (read as 1) above maxReplicaCount 0.
  const celCatches = typeof spec.minReplicaCount === 'number' && spec.minReplicaCount > max;
  if (min > max) {
    if (!celCatches) report('spec.minReplicaCount', `MinReplicaCount=${min} must be less than MaxReplicaCount=${max} (KEDA reads a minReplicaCount of 0 as 1)`);
  } else if (spec.idleReplicaCount !== undefined && spec.idleReplicaCount >= min) {
    report('spec.idleReplicaCount', `IdleReplicaCount=${spec.idleReplicaCount} must be less than MinReplicaCount=${min}` +
      (spec.minReplicaCount === undefined ? ' (minReplicaCount is unset, so KEDA compares with 0: set it explicitly)' : ''));
  }
  const triggers: Obj[] = spec.triggers ?? [];
  // scaledobject_types.go@v2.20.2 L373-L399 CheckFallbackValid(), via scaledobject_webhook.go L221-L228 verifyFallback()
  const usesModifiers = spec.advanced?.scalingModifiers !== undefined && Object.values(spec.advanced.scalingModifiers).some(v => v !== undefined && v !== '');
  if (spec.fallback) {
    if (spec.fallback.failureThreshold < 0 || spec.fallback.replicas < 0) {
      report('spec.fallback', `FailureThreshold=${spec.fallback.failureThreshold} & Replicas=${spec.fallback.replicas} must both be greater than or equal to 0`);
    } else if (!usesModifiers && triggers.length > 0 && triggers.every(isCpuMemory)) {
      report('spec.fallback', 'at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled');
    }
    // scaledobject_webhook.go@v2.20.2 L414-L423: behavior scalingModifiers needs a formula
    if (spec.fallback.behavior === 'scalingModifiers' && !(usesModifiers && spec.advanced.scalingModifiers.formula)) {
      report('spec.fallback.behavior', 'scalingModifiers fallback behavior requires scalingModifiers.formula to be defined');
    }
  }
  if (usesModifiers) scalingModifierRules(spec.advanced.scalingModifiers, triggers, report);
  cpuMemoryRules(so, triggers, objects, report);
  triggerRules(triggers, 'ScaledObject', report);
  const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
  if (behavior) hpaBehaviorRules(behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior', report);
  annotationRules(so.metadata?.annotations ?? {}, report);
}

/** scaletriggers_types.go@v2.20.2 L56-L86 ValidateTriggers() (the ScaledObject and ScaledJob webhooks' verifyTriggers). */
function triggerRules(triggers: Obj[] | undefined, kind: string, report: (path: string, message: string) => void): void {
  if (!triggers || triggers.length === 0) {
    report('spec.triggers', `no triggers defined in the ${kind}`);
    return;
  }
  const names = new Map<string, number>();
  triggers.forEach((t, i) => {
    if (t?.useCachedMetrics && ['cpu', 'memory', 'cron'].includes(t.type)) {
      report(`spec.triggers[${i}].useCachedMetrics`, `property "useCachedMetrics" is not supported for "${t.type}" scaler`);
    }
    if (t?.name) {
      if (names.has(t.name)) report(`spec.triggers[${i}].name`, `triggerName "${t.name}" is defined multiple times (also spec.triggers[${names.get(t.name)}]), but it must be unique`);
      else names.set(t.name, i);
    }
  });
}

/** scaledobject_webhook.go@v2.20.2 L524-L627 ValidateAndCompileScalingModifiers(). */
function scalingModifierRules(sm: Obj, triggers: Obj[], report: (path: string, message: string) => void): void {
  const path = 'spec.advanced.scalingModifiers';
  if (!sm.formula) {
    report(`${path}.formula`, 'error ScalingModifiers.Formula is mandatory');
    return;
  }
  if (!sm.target) {
    report(`${path}.target`, 'formula is given but target is empty');
    return;
  }
  // L552-L588: compiled over the names of the triggers that are not cpu or memory; unnamed triggers are not in it
  const names = new Set(triggers.filter(t => !isCpuMemory(t) && t?.name).map(t => t.name));
  for (const id of formulaIdentifiers(sm.formula)) {
    if (!names.has(id)) report(`${path}.formula`, `unknown name ${id}: the formula may use only the names of the triggers that are not cpu or memory (${[...names].join(', ') || 'none'})`);
  }
  // L590-L608 validateScalingModifiersTarget()
  const target = Number(sm.target);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(String(sm.target).trim()) || !(target > 0)) {
    report(`${path}.target`, `error converting target for scalingModifiers (string->float) to valid target: "${sm.target}"`);
  }
  if (sm.metricType === 'Utilization') report(`${path}.metricType`, 'error trigger type is Utilization, but it needs to be AverageValue or Value for external metrics');
}

// expr-lang operators and literals that look like identifiers; a name followed by '(' is a builtin function.
const EXPR_WORDS = new Set(['true', 'false', 'nil', 'and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

/** The variables of an expr-lang formula: identifiers outside strings, not called, not after '.', not declared by let. */
export function formulaIdentifiers(formula: string): string[] {
  const code = formula.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const declared = new Set([...code.matchAll(/\blet\s+([A-Za-z_]\w*)/g)].map(m => m[1]));
  const ids = [...code.matchAll(/(?<![.\w])([A-Za-z_]\w*)\b(?!\s*\()/g)].map(m => m[1]);
  return [...new Set(ids.filter(id => !EXPR_WORDS.has(id) && !declared.has(id)))];
}

/** scaledobject_webhook.go@v2.20.2 L441-L514 verifyCPUMemoryScalers(), against the app's Deployment or StatefulSet and LimitRanges. */
function cpuMemoryRules(so: Obj, triggers: Obj[], objects: Obj[], report: (path: string, message: string) => void): void {
  const resourceTriggers = triggers.map((t, i) => [t, i] as const).filter(([t]) => isCpuMemory(t));
  if (resourceTriggers.length === 0) return;
  const gk = targetGroupKind(so.spec?.scaleTargetRef);
  if (gk !== 'apps/Deployment' && gk !== 'apps/StatefulSet') return;
  // L497-L513: only cpu/memory triggers and minReplicaCount unset or 0
  if (triggers.every(isCpuMemory) && !(so.spec?.minReplicaCount > 0)) {
    report('spec.minReplicaCount', 'scaledobject has only cpu/memory triggers AND minReplica is 0 (scale to zero doesn\'t work in this case)');
  }
  const kind = gk.split('/')[1];
  const target = objects.find(o => o?.kind === kind && String(o.apiVersion).startsWith('apps/') && nameOf(o) === so.spec?.scaleTargetRef?.name && nsOf(o) === nsOf(so));
  if (!target) return; // not in this app: KEDA reads the live object
  for (const [t, i] of resourceTriggers) {
    // L629-L678 isWorkloadResourceSet(), isContainerResourceLimitSet(): a request or limit > 0, or a namespace LimitRange default
    if (limitRangeDefault(objects, nsOf(so), t.type)) continue;
    const containerName = t.metadata?.containerName;
    for (const c of target.spec?.template?.spec?.containers ?? []) {
      if (containerName && c.name !== containerName) continue;
      const r = c.resources ?? {};
      if (!(positive(r.requests?.[t.type]) || positive(r.limits?.[t.type]))) {
        report(`spec.triggers[${i}]`, `the scaledobject has a ${t.type} trigger but the container ${c.name} doesn't have the ${t.type} request defined`);
      }
    }
  }
}

function limitRangeDefault(objects: Obj[], namespace: string, resource: string): boolean {
  return objects.some(o => o?.kind === 'LimitRange' && nsOf(o) === namespace && (o.spec?.limits ?? []).some((l: Obj) =>
    l.type === 'Container' && (positive(l.default?.[resource]) || positive(l.defaultRequest?.[resource]))));
}

function positive(q: unknown): boolean {
  return (parseQuantity(q)?.num ?? 0n) > 0n;
}

/**
 * The behavior KEDA copies into the HPA it creates (controllers/keda/hpa.go@v2.20.2 L79-L131), which the API server
 * validates as any HPA's (kubernetes v1.28.0 pkg/apis/autoscaling/validation/validation.go L188-L239
 * validateBehavior(), validateScalingRules(), validateScalingPolicy()): KEDA admits it, then fails to create the HPA.
 */
function hpaBehaviorRules(behavior: Obj, path: string, report: (path: string, message: string) => void): void {
  for (const dir of ['scaleUp', 'scaleDown']) {
    const rules = behavior[dir];
    if (!rules) continue;
    const p = `${path}.${dir}`;
    const window = rules.stabilizationWindowSeconds;
    if (window !== undefined && (window < 0 || window > 3600)) report(`${p}.stabilizationWindowSeconds`, `${window} must be within [0, 3600] (the HPA KEDA creates is refused)`);
    if (rules.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(rules.selectPolicy)) {
      report(`${p}.selectPolicy`, `Unsupported value "${rules.selectPolicy}": supported values: "Disabled", "Max", "Min"`);
    }
    // L206-L209: an explicit empty list survives defaulting and is refused, even with selectPolicy Disabled
    if (Array.isArray(rules.policies) && rules.policies.length === 0) {
      report(`${p}.policies`, 'must specify at least one Policy: KEDA copies it into its HPA, which the API server refuses (omit policies to disable a direction with selectPolicy: Disabled)');
    }
    (rules.policies ?? []).forEach((pol: Obj, j: number) => {
      if (pol.type !== 'Pods' && pol.type !== 'Percent') report(`${p}.policies[${j}].type`, `Unsupported value "${pol.type}": supported values: "Percent", "Pods"`);
      if (!(pol.value > 0)) report(`${p}.policies[${j}].value`, 'must be greater than zero');
      if (!(pol.periodSeconds > 0 && pol.periodSeconds <= 1800)) report(`${p}.policies[${j}].periodSeconds`, 'must be greater than zero and less than or equal to 1800');
    });
  }
}

/** Annotations the controller parses (scaledobject_types.go@v2.20.2 L58-L67, L269-L296). */
function annotationRules(annotations: Record<string, string>, report: (path: string, message: string) => void): void {
  const paused = annotations['autoscaling.keda.sh/paused-replicas'];
  if (paused !== undefined && !/^[+-]?\d+$/.test(paused)) report('metadata.annotations[autoscaling.keda.sh/paused-replicas]', `"${paused}" is not an int32`);
  for (const key of ['autoscaling.keda.sh/paused', 'autoscaling.keda.sh/paused-scale-in', 'autoscaling.keda.sh/paused-scale-out', 'autoscaling.keda.sh/force-activation']) {
    const v = annotations[key];
    // getBoolAnnotation(): a value that is not a boolean counts as true
    if (v !== undefined && !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) {
      report(`metadata.annotations[${key}]`, `"${v}" is not a boolean, and KEDA reads it as true`);
    }
  }
}

/** The webhook's reads of the other objects of the namespace, here the app's. */
function crossObjectRules(so: Obj, earlier: Obj[], hpas: Obj[], report: (path: string, message: string) => void): void {
  const gk = targetGroupKind(so.spec?.scaleTargetRef);
  const target = so.spec?.scaleTargetRef?.name;
  const hpaName = kedaHpaName(so);
  for (const other of earlier.filter(o => nsOf(o) === nsOf(so))) {
    // scaledobject_webhook.go@v2.20.2 L319-L402 verifyScaledObjects()
    if (targetGroupKind(other.spec?.scaleTargetRef) === gk && other.spec?.scaleTargetRef?.name === target) {
      report('spec.scaleTargetRef', `the workload '${target}' of type '${gk}' is already managed by the ScaledObject '${nameOf(other)}'`);
    }
    if (kedaHpaName(other) === hpaName) report('spec.advanced.horizontalPodAutoscalerConfig.name', `the HPA '${hpaName}' is already managed by the ScaledObject '${nameOf(other)}'`);
  }
  // scaledobject_webhook.go@v2.20.2 L256-L317 verifyHpas()
  for (const hpa of hpas.filter(h => nsOf(h) === nsOf(so))) {
    if (hpa.metadata?.annotations?.['validations.keda.sh/hpa-ownership'] === 'false') continue;
    if (targetGroupKind(hpa.spec?.scaleTargetRef) !== gk || hpa.spec?.scaleTargetRef?.name !== target) continue;
    if ((hpa.metadata?.ownerReferences ?? []).some((r: Obj) => r.kind === 'ScaledObject' && r.name === nameOf(so))) continue;
    if (so.metadata?.annotations?.['scaledobject.keda.sh/transfer-hpa-ownership'] === 'true') {
      if (so.spec?.advanced?.horizontalPodAutoscalerConfig?.name !== nameOf(hpa)) {
        report('spec.advanced.horizontalPodAutoscalerConfig.name', `the existing hpa '${nameOf(hpa)}' for workload '${target}' of type '${gk}' must be specified by name in advanced settings to enable ownership transfer`);
      }
    } else {
      report('spec.scaleTargetRef', `the workload '${target}' of type '${gk}' is already managed by the hpa '${nameOf(hpa)}'`);
    }
  }
}

/** triggerauthentication_webhook.go@v2.20.2 L160-L211 validateSpec(): [path, message] of the first error, as the webhook stops there. */
export function triggerAuthenticationProblem(spec: Obj): [string, string] | undefined {
  const pi = spec.podIdentity;
  if (pi) {
    const set = (v: unknown) => v !== undefined && v !== null;
    switch (pi.provider) {
      case 'azure-workload':
        // L163-L174
        if (set(pi.identityId) && pi.identityId === '') return ['spec.podIdentity.identityId', 'identityId of PodIdentity should not be empty. If it\'s set, identityId has to be different than ""'];
        if (pi.identityAuthorityHost) {
          if (!pi.identityTenantId) return ['spec.podIdentity.identityTenantId', 'identityTenantID of PodIdentity should not be nil or empty when identityAuthorityHost of PodIdentity is set'];
        } else if (set(pi.identityTenantId) && pi.identityTenantId === '') {
          return ['spec.podIdentity.identityTenantId', 'identityTenantId of PodIdentity should not be empty. If it\'s set, identityTenantId has to be different than ""'];
        }
        break;
      case 'aws':
        // L175-L178; identityOwner unset means keda (triggerauthentication_types.go L199-L204 IsWorkloadIdentityOwner())
        if (pi.roleArn && pi.identityOwner === 'workload') return ['spec.podIdentity.roleArn', 'roleArn of PodIdentity can\'t be set if KEDA isn\'t identityOwner'];
        // L179-L183
        if (pi.externalID && !pi.roleArn) return ['spec.podIdentity.externalID', 'externalID of PodIdentity requires roleArn to be set'];
        break;
      default:
        // L184-L186: any other provider returns before the oauth2 checks
        return undefined;
    }
  }
  const o = spec.oauth2;
  if (o) {
    // L188-L208
    if (o.type !== 'clientCredentials') return ['spec.oauth2.type', `oauth2.type must be 'clientCredentials', got '${o.type ?? ''}'`];
    if (!o.clientId) return ['spec.oauth2.clientId', 'oauth2.clientId is required when oauth2 is configured'];
    if (!o.tokenUrl) return ['spec.oauth2.tokenUrl', 'oauth2.tokenUrl is required when oauth2 is configured'];
    let ok = false;
    try {
      const u = new URL(o.tokenUrl);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
    } catch {
      ok = false;
    }
    if (!ok) return ['spec.oauth2.tokenUrl', 'oauth2.tokenUrl must be a valid http or https URL'];
  }
  return undefined;
}
