/**
 * The part of the API server's Go validation (k8s.io/kubernetes/pkg/apis/<group>/validation) that the
 * 1.28 OpenAPI schemas do not carry, for the built-in kinds this library emits: closed string
 * sets ("Unsupported value") and a few cross-field rules that construct bugs typically break. The cross-field rules
 * of HPA, PDB, PriorityClass, NetworkPolicy, Job and Deployment are in operators/kubernetes.ts, with their citations.
 */
import { containersOf, findPodTemplates } from './pod-templates';

/** Allowed values of string fields, by OpenAPI component and property (1.28 Go validation). */
export const BUILTIN_ENUMS: Record<string, Record<string, string[]>> = {
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.core.v1.Container': { imagePullPolicy: ['Always', 'Never', 'IfNotPresent'], terminationMessagePolicy: ['File', 'FallbackToLogsOnError'], restartPolicy: ['Always'] },
  'io.k8s.api.core.v1.EphemeralContainer': { imagePullPolicy: ['Always', 'Never', 'IfNotPresent'], terminationMessagePolicy: ['File', 'FallbackToLogsOnError'] },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  'io.k8s.api.core.v1.PodOS': { name: ['linux', 'windows'] },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  },
  'io.k8s.api.core.v1.Toleration': { operator: ['Exists', 'Equal', ''], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
  'io.k8s.api.core.v1.Taint': { effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'io.k8s.api.core.v1.NodeSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  'io.k8s.api.core.v1.TopologySpreadConstraint': { whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'], nodeAffinityPolicy: ['Honor', 'Ignore'], nodeTaintsPolicy: ['Honor', 'Ignore'] },
  'io.k8s.api.core.v1.SeccompProfile': { type: ['Unconfined', 'RuntimeDefault', 'Localhost'] },
  'io.k8s.api.core.v1.SecurityContext': { procMount: ['Default', 'Unmasked'] },
  'io.k8s.api.core.v1.PodSecurityContext': { fsGroupChangePolicy: ['OnRootMismatch', 'Always'] },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': { volumeMode: ['Block', 'Filesystem'] },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['NonIndexed', 'Indexed'], podReplacementPolicy: ['TerminatingOrFailed', 'Failed'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { action: ['FailJob', 'Ignore', 'Count', 'FailIndex'] },
  'io.k8s.api.autoscaling.v2.MetricSpec': { type: ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] },
  'io.k8s.api.autoscaling.v2.MetricTarget': { type: ['Utilization', 'Value', 'AverageValue'] },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': { selectPolicy: ['Max', 'Min', 'Disabled'] },
  'io.k8s.api.autoscaling.v2.HPAScalingPolicy': { type: ['Pods', 'Percent'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { policyTypes: ['Ingress', 'Egress'] },
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
};

/** Adds BUILTIN_ENUMS to the component schemas of an OpenAPI document (in place). */
export function addBuiltinEnums(schemas: Record<string, Record<string, any>>): void {
  for (const [component, props] of Object.entries(BUILTIN_ENUMS)) {
    for (const [prop, values] of Object.entries(props)) {
      const s = schemas[component]?.properties?.[prop];
      if (!s) continue;
      if (s.type === 'array' && s.items) s.items.enum = values;
      else if (s.type === 'string') s.enum = values;
    }
  }
}

function rec(v: unknown): Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, any> : {};
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** IANA_SVC_NAME: port names (validation.IsValidPortName). */
function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'must contain only lowercase alphanumerics and \'-\'';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** Does a metav1.LabelSelector select these labels? */
export function selectorMatches(selector: Record<string, any>, labels: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(rec(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const r = rec(e);
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const values: unknown[] = Array.isArray(r.values) ? r.values : [];
    const ok = r.operator === 'In' ? has && values.includes(labels[r.key])
      : r.operator === 'NotIn' ? !has || !values.includes(labels[r.key])
        : r.operator === 'Exists' ? has
          : r.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
/** Go-validation rules of built-in kinds that no schema expresses; `path: message` lines. */
export function checkBuiltinSemantics(obj: Record<string, any>): string[] {
  const out: string[] = [];
  const spec = rec(obj.spec);

  if (obj.apiVersion === 'apps/v1' && WORKLOADS.has(obj.kind)) {
    const selector = rec(spec.selector);
    const labels = rec(rec(rec(spec.template).metadata).labels);
    if (Object.keys(rec(selector.matchLabels)).length === 0 && !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0)) {
      out.push('spec.selector: empty selector is invalid for this workload');
    } else if (!selectorMatches(selector, labels)) {
      out.push('spec.template.metadata.labels: `selector` does not match template `labels`');
    }
  }

  // HorizontalPodAutoscaler, PodDisruptionBudget, PriorityClass, NetworkPolicy, Job and Deployment rules: operators/kubernetes.ts.

  if (obj.apiVersion === 'v1' && obj.kind === 'Service') {
    const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
    if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') out.push('spec.ports: Required value (a Service needs at least one port)');
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const name = rec(p).name;
      const at = `spec.ports[${i}].name`;
      if (ports.length > 1 && (typeof name !== 'string' || name === '')) out.push(`${at}: required when a Service has more than one port`);
      if (typeof name === 'string' && name !== '') {
        if (!DNS1123_LABEL.test(name) || name.length > 63) out.push(`${at}: ${JSON.stringify(name)} must be a DNS-1123 label`);
        if (names.has(name)) out.push(`${at}: duplicate port name ${JSON.stringify(name)}`);
        names.add(name);
      }
    });
  }

  // Every pod template (built-in or inside a custom resource) ends up as a Pod.
  for (const t of findPodTemplates(obj)) {
    const names = new Map<string, string>();
    for (const c of containersOf(t)) {
      if (c.injectedBy) continue;
      const name = c.container.name;
      if (typeof name === 'string' && name !== '') {
        if (!DNS1123_LABEL.test(name) || name.length > 63) out.push(`${c.path}.name: ${JSON.stringify(name)} must be a DNS-1123 label`);
        if (names.has(name)) out.push(`${c.path}.name: duplicate container name ${JSON.stringify(name)} (also ${names.get(name)})`);
        names.set(name, c.path);
      }
      (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((p: unknown, i: number) => {
        const portName = rec(p).name;
        if (typeof portName !== 'string' || portName === '') return;
        const problem = portNameProblem(portName);
        if (problem) out.push(`${c.path}.ports[${i}].name: ${JSON.stringify(portName)} ${problem}`);
      });
    }
  }
  return out;
}
