/**
 * What the Kubernetes 1.28 API server validates (and, for Deployments, does) beyond the OpenAPI schema, for the
 * built-in kinds this library emits: HorizontalPodAutoscaler, PodDisruptionBudget, PriorityClass, NetworkPolicy,
 * Job (and a CronJob's job template) and Deployment.
 *
 * Source: kubernetes/kubernetes v1.28.0 (read from the unmodified import kevinhehc/k8s-1.28@ffd718a, spot-checked
 * against the vendored k8s.io/kubernetes v1.28.14 in kubernetes/autoscaler@cluster-autoscaler-1.28.7), with the
 * 1.28 default feature gates (pkg/features/kube_features.go: HPAScaleToZero off, JobPodFailurePolicy on,
 * JobBackoffLimitPerIndex off). Paths below are relative to that tree; `hpa-validation.go` stands for
 * pkg/apis/autoscaling/validation/validation.go, `batch-validation.go` for pkg/apis/batch/validation/validation.go.
 */
import type { OperatorCheck } from './index';
import { describeObject } from '../pod-security';
import { joinPath } from '../pod-templates';
import { parseQuantity } from '../quantity';

export function rec(v: unknown): Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, any> : {};
}

export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Runs a per-object rule over every object and labels its findings `Kind/name: path: message`. */
export function perObject(rule: (obj: Record<string, any>) => string[]): (objects: any[]) => string[] {
  return (objects) => objects.flatMap((o) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return [];
    const label = describeObject(o);
    return rule(o).map((line) => `${label}: ${line}`);
  });
}

function is(obj: Record<string, any>, apiVersion: string, kind: string): boolean {
  return obj.apiVersion === apiVersion && obj.kind === kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Label selectors: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go
// ValidateLabelSelectorRequirement@v1.28.0.

export function labelSelectorProblems(selector: unknown, at: string): string[] {
  const out: string[] = [];
  arr(rec(selector).matchExpressions).forEach((e: unknown, i: number) => {
    const r = rec(e);
    const p = `${at}.matchExpressions[${i}]`;
    const values = arr(r.values);
    if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) {
      out.push(`${p}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
    }
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) {
      out.push(`${p}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
    }
  });
  return out;
}

/** An int >= 0 or a `N%` string (apps validation ValidatePositiveIntOrPercent / IsNotMoreThan100Percent). */
function intOrPercentProblems(v: unknown, at: string, maxHundred: boolean): string[] {
  if (typeof v === 'number') return v < 0 ? [`${at}: Invalid value: ${v}: must be greater than or equal to 0`] : [];
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    if (!m) return [`${at}: Invalid value: ${JSON.stringify(v)}: a valid percent string must be a numeric string followed by an ending '%'`];
    if (maxHundred && Number(m[1]) > 100) return [`${at}: Invalid value: ${JSON.stringify(v)}: must not be greater than 100%`];
  }
  return [];
}

function isZeroIntOrPercent(v: unknown): boolean {
  return v === 0 || v === '0%' || (typeof v === 'string' && /^0+%$/.test(v));
}

// ---------------------------------------------------------------------------------------------------------------
// HorizontalPodAutoscaler (autoscaling/v2). Validation runs on the internal type after v2 defaulting
// (pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go Validate()).

const HPA_SOURCES: Record<string, string> = {
  Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external',
};
const TARGET_FIELD: Record<string, string> = { Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' };
/** The target types each source's validator accepts a value for (Resource needs averageUtilization or averageValue, ...). */
const ALLOWED_TARGETS: Record<string, string[]> = {
  Object: ['Value', 'AverageValue'],
  Pods: ['AverageValue'],
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};
/** hpa-validation.go:L34,L36 MaxPeriodSeconds, MaxStabilizationWindowSeconds. */
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

function positiveQuantity(v: unknown, at: string): string[] {
  if (v === undefined) return [];
  const q = parseQuantity(v);
  // hpa-validation.go:L442-L452 validateMetricTarget(): `value`/`averageValue` "must be positive" (Sign() == 1).
  if (q !== undefined && q.num <= 0n) return [`${at}: Invalid value: ${JSON.stringify(v)}: must be positive`];
  return [];
}

function hpaTargetProblems(target: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  // hpa-validation.go:L432-L458 validateMetricTarget()
  if (target.type === undefined) out.push(`${at}.type: Required value: must specify a metric target type`);
  else if (!(target.type in TARGET_FIELD)) out.push(`${at}.type: Invalid value: ${JSON.stringify(target.type)}: must be either Utilization, Value, or AverageValue`);
  if (target.averageUtilization !== undefined && target.averageUtilization < 1) {
    out.push(`${at}.averageUtilization: Invalid value: ${target.averageUtilization}: must be greater than 0`);
  }
  out.push(...positiveQuantity(target.value, `${at}.value`), ...positiveQuantity(target.averageValue, `${at}.averageValue`));
  // Not a validation error (HPA-13), but the controller reads the field that target.type names: emit consistent pairs.
  const field = TARGET_FIELD[target.type];
  if (field && target[field] === undefined && Object.values(TARGET_FIELD).some((f) => target[f] !== undefined)) {
    out.push(`${at}.${field}: must be set when the target type is ${target.type} (the controller reads only that field)`);
  }
  return out;
}

function hpaMetricProblems(metric: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  // hpa-validation.go:L241-L338 validateMetricSpec(): exactly the source block that `type` names.
  const field = HPA_SOURCES[metric.type];
  if (!field) return out; // the enum reports it
  for (const other of Object.values(HPA_SOURCES)) {
    if (other !== field && metric[other] !== undefined) out.push(`${at}.${other}: must populate the given metric source only (type is ${metric.type})`);
  }
  const src = metric[field];
  if (src === undefined) return [...out, `${at}.${field}: must populate information for the given metric source (type is ${metric.type})`];
  const s = rec(src);
  const target = rec(s.target);
  const tat = `${at}.${field}.target`;
  const has = (k: string) => target[k] !== undefined;
  const metricName = () => (rec(s.metric).name ? [] : [`${at}.${field}.metric.name: Required value: must specify a metric name`]);
  // The target types each source's validator (and the controller) can use; a mismatch is reported alone.
  const allowed = ALLOWED_TARGETS[metric.type];
  if (target.type !== undefined && target.type in TARGET_FIELD && !allowed.includes(target.type)) {
    return [...out, `${tat}.type: must be ${allowed.join(' or ')} for ${metric.type} metrics`];
  }
  out.push(...hpaTargetProblems(target, tat));
  switch (metric.type) {
    case 'Resource': // hpa-validation.go:L412-L430 validateResourceSource()
    case 'ContainerResource': // L384-L410 validateContainerResourceSource()
      if (!s.name) out.push(`${at}.${field}.name: Required value: must specify a resource name`);
      if (metric.type === 'ContainerResource' && !s.container) out.push(`${at}.${field}.container: Required value: must specify a container`);
      if (!has('averageUtilization') && !has('averageValue')) out.push(`${tat}.averageUtilization: Required value: must set either a target raw value or a target utilization`);
      if (has('averageUtilization') && has('averageValue')) out.push(`${tat}.averageValue: Forbidden: may not set both a target raw value and a target utilization`);
      break;
    case 'Pods': // L371-L382 validatePodsSource()
      out.push(...metricName());
      if (!has('averageValue')) out.push(`${tat}.averageValue: Required value: must specify a positive target averageValue`);
      break;
    case 'Object': // L340-L352 validateObjectSource()
      out.push(...metricName());
      if (!rec(s.describedObject).kind || !rec(s.describedObject).name) out.push(`${at}.object.describedObject: Required value: must name a kind and a name`);
      if (!has('value') && !has('averageValue')) out.push(`${tat}.value: Required value: must set either a target value or averageValue`);
      break;
    case 'External': // L354-L369 validateExternalSource()
      out.push(...metricName());
      if (!has('value') && !has('averageValue')) out.push(`${tat}.value: Required value: must set either a target value for metric or a per-pod target`);
      if (has('value') && has('averageValue')) out.push(`${tat}.value: Forbidden: may not set both a target value for metric and a per-pod target`);
      break;
  }
  return out;
}

function hpaScalingRulesProblems(rules: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  // hpa-validation.go:L196-L202 validateScalingRules(): window in [0, 3600].
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && (w < 0 || w > MAX_STABILIZATION_WINDOW_SECONDS)) {
    out.push(`${at}.stabilizationWindowSeconds: Invalid value: ${w}: must be between 0 and ${MAX_STABILIZATION_WINDOW_SECONDS}`);
  }
  // pkg/apis/autoscaling/v2/defaults.go:L119-L132 copyHPAScalingRules() keeps a given list ("if from.Policies != nil"),
  // even an empty one, and hpa-validation.go:L206-L209 then refuses it whatever selectPolicy is, Disabled included.
  if (Array.isArray(rules.policies) && rules.policies.length === 0) {
    out.push(`${at}.policies: Required value: must specify at least one Policy (an empty list is kept by defaulting and refused, `
      + 'even with selectPolicy Disabled: leave policies out instead)');
  }
  arr(rules.policies).forEach((p: unknown, i: number) => {
    const policy = rec(p);
    const pat = `${at}.policies[${i}]`;
    // hpa-validation.go:L223-L239 validateScalingPolicy()
    if (typeof policy.value === 'number' && policy.value <= 0) out.push(`${pat}.value: Invalid value: ${policy.value}: must be greater than zero`);
    const period = policy.periodSeconds;
    if (typeof period === 'number' && (period <= 0 || period > MAX_PERIOD_SECONDS)) {
      out.push(`${pat}.periodSeconds: Invalid value: ${period}: must be greater than zero and less than or equal to ${MAX_PERIOD_SECONDS}`);
    }
  });
  return out;
}

export function hpaProblems(obj: Record<string, any>): string[] {
  if (!is(obj, 'autoscaling/v2', 'HorizontalPodAutoscaler')) return [];
  const out: string[] = [];
  const spec = rec(obj.spec);
  // pkg/apis/autoscaling/v2/defaults.go:L71 SetDefaults_HorizontalPodAutoscaler(): minReplicas nil -> 1.
  const min = spec.minReplicas ?? 1;
  // hpa-validation.go:L58-L67 validateHorizontalPodAutoscalerSpec(); 0 only with the HPAScaleToZero gate (off in 1.28).
  if (typeof min === 'number' && min < 1) out.push(`spec.minReplicas: Invalid value: ${min}: must be greater than or equal to 1 (0 needs the alpha HPAScaleToZero feature gate, off in 1.28)`);
  if (typeof spec.maxReplicas === 'number' && spec.maxReplicas < 1) out.push('spec.maxReplicas: must be greater than or equal to 1');
  if (typeof min === 'number' && typeof spec.maxReplicas === 'number' && min > spec.maxReplicas) {
    out.push(`spec.maxReplicas: must be greater than or equal to minReplicas (${min})`);
  }
  arr(spec.metrics).forEach((m: unknown, i: number) => out.push(...hpaMetricProblems(rec(m), joinPath(joinPath('spec', 'metrics'), i))));
  for (const dir of ['scaleUp', 'scaleDown']) {
    const rules = rec(spec.behavior)[dir];
    if (rules !== undefined) out.push(...hpaScalingRulesProblems(rec(rules), `spec.behavior.${dir}`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// PodDisruptionBudget (policy/v1): pkg/apis/policy/validation/validation.go@v1.28.0 ValidatePodDisruptionBudgetSpec().

export function pdbProblems(obj: Record<string, any>): string[] {
  if (!is(obj, 'policy/v1', 'PodDisruptionBudget')) return [];
  const spec = rec(obj.spec);
  const out: string[] = [];
  // L53-L55
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) out.push('spec: minAvailable and maxUnavailable cannot be both set');
  // L57-L65
  if (spec.minAvailable !== undefined) out.push(...intOrPercentProblems(spec.minAvailable, 'spec.minAvailable', true));
  if (spec.maxUnavailable !== undefined) out.push(...intOrPercentProblems(spec.maxUnavailable, 'spec.maxUnavailable', true));
  // L67-L69
  out.push(...labelSelectorProblems(spec.selector, 'spec.selector'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// PriorityClass (scheduling.k8s.io/v1): pkg/apis/scheduling/validation/validation.go@v1.28.0 ValidatePriorityClass(),
// pkg/apis/scheduling/types.go (HighestUserDefinablePriority, system classes).

const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

export function priorityClassProblems(obj: Record<string, any>): string[] {
  if (!is(obj, 'scheduling.k8s.io/v1', 'PriorityClass')) return [];
  const out: string[] = [];
  const name = String(rec(obj.metadata).name ?? '');
  if (name.startsWith('system-')) {
    // L32-L43 + pkg/apis/scheduling/v1/helpers.go IsKnownSystemPriorityClass()
    if (!(name in SYSTEM_CLASSES) || SYSTEM_CLASSES[name] !== obj.value || obj.globalDefault === true) {
      out.push(`metadata.name: Invalid value: ${JSON.stringify(name)}: priority class names with 'system-' prefix are reserved for system use only`);
    }
  } else if (typeof obj.value === 'number' && obj.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    // L44-L47
    out.push(`value: Forbidden: maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`);
  }
  // L48-L50 -> pkg/apis/core/validation/validation.go ValidatePreemptionPolicy()
  if (obj.preemptionPolicy !== undefined && !['PreemptLowerPriority', 'Never'].includes(obj.preemptionPolicy)) {
    out.push(`preemptionPolicy: Unsupported value: ${JSON.stringify(obj.preemptionPolicy)}: supported values: "Never", "PreemptLowerPriority"`);
  }
  return out;
}

/** plugin/pkg/admission/priority/admission.go@v1.28.0:L206-L226 validatePriorityClass(): one globalDefault class. */
export function globalDefaultProblems(objects: any[]): string[] {
  const defaults = objects.filter((o) => is(rec(o), 'scheduling.k8s.io/v1', 'PriorityClass') && rec(o).globalDefault === true);
  return defaults.slice(1).map((o) => `${describeObject(o)}: globalDefault: Forbidden: PriorityClass ${describeObject(defaults[0]).split('/')[1]} `
    + 'is already marked as default. Only one default can exist');
}

// ---------------------------------------------------------------------------------------------------------------
// NetworkPolicy (networking.k8s.io/v1): pkg/apis/networking/validation/validation.go@v1.28.0.

function portNameProblem(name: string): string | undefined {
  // staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsValidPortName()
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** Parses an IPv4 or IPv6 CIDR to [address bits as bigint, prefix length, total bits]; undefined when invalid. */
export function parseCidr(cidr: unknown): { bits: bigint; prefix: number; width: number } | undefined {
  if (typeof cidr !== 'string') return undefined;
  const [addr, len, extra] = cidr.split('/');
  if (extra !== undefined || len === undefined || !/^\d+$/.test(len)) return undefined;
  const prefix = Number(len);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) {
    const parts = addr.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || String(p) !== addr.split('.')[i])) return undefined;
    if (prefix > 32) return undefined;
    return { bits: parts.reduce((a, p) => a * 256n + BigInt(p), 0n), prefix, width: 32 };
  }
  if (addr.includes(':')) {
    const halves = addr.split('::');
    if (halves.length > 2) return undefined;
    const groups = (s: string) => (s === '' ? [] : s.split(':'));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const fill = 8 - head.length - tail.length;
    if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
    const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g)) || prefix > 128) return undefined;
    return { bits: all.reduce((a, g) => a * 65536n + BigInt(parseInt(g, 16)), 0n), prefix, width: 128 };
  }
  return undefined;
}

function cidrContains(outer: { bits: bigint; prefix: number; width: number }, inner: { bits: bigint; prefix: number; width: number }): boolean {
  if (outer.width !== inner.width || inner.prefix < outer.prefix) return false;
  const block = 2n ** BigInt(outer.width - outer.prefix);
  return outer.bits / block === inner.bits / block;
}

function peerProblems(peer: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  // L105-L133 ValidateNetworkPolicyPeer()
  const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined);
  if (set.length === 0) out.push(`${at}: Required value: must specify a peer`);
  if (peer.ipBlock !== undefined && set.length > 1) out.push(`${at}: Forbidden: may not specify both ipBlock and another peer`);
  if (peer.podSelector !== undefined) out.push(...labelSelectorProblems(peer.podSelector, `${at}.podSelector`));
  if (peer.namespaceSelector !== undefined) out.push(...labelSelectorProblems(peer.namespaceSelector, `${at}.namespaceSelector`));
  if (peer.ipBlock !== undefined) {
    // L218-L244 ValidateIPBlock()
    const block = rec(peer.ipBlock);
    const cidr = parseCidr(block.cidr);
    if (block.cidr === undefined || block.cidr === '') out.push(`${at}.ipBlock.cidr: Required value`);
    else if (!cidr) out.push(`${at}.ipBlock.cidr: Invalid value: ${JSON.stringify(block.cidr)}: must be a valid CIDR`);
    arr(block.except).forEach((e: unknown, i: number) => {
      const ex = parseCidr(e);
      if (!ex) {out.push(`${at}.ipBlock.except[${i}]: Invalid value: ${JSON.stringify(e)}: must be a valid CIDR`);} else if (cidr && !(cidrContains(cidr, ex) && ex.prefix > cidr.prefix)) {
        out.push(`${at}.ipBlock.except[${i}]: Invalid value: ${JSON.stringify(e)}: must be a strict subset of \`cidr\``);
      }
    });
  }
  return out;
}

function networkPolicyPortProblems(port: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  // L72-L100 ValidateNetworkPolicyPort()
  if (port.port === undefined) {
    if (port.endPort !== undefined) out.push(`${at}.endPort: Invalid value: ${port.endPort}: may not be specified when \`port\` is not specified`);
  } else if (typeof port.port === 'number') {
    if (!(port.port >= 1 && port.port <= 65535)) out.push(`${at}.port: Invalid value: ${port.port}: must be between 1 and 65535, inclusive`);
    if (port.endPort !== undefined) {
      if (!(port.endPort >= 1 && port.endPort <= 65535)) out.push(`${at}.endPort: Invalid value: ${port.endPort}: must be between 1 and 65535, inclusive`);
      if (port.endPort < port.port) out.push(`${at}.endPort: Invalid value: ${port.endPort}: must be greater than or equal to \`port\``);
    }
  } else if (typeof port.port === 'string') {
    if (port.endPort !== undefined) out.push(`${at}.endPort: Invalid value: ${port.endPort}: may not be specified when \`port\` is non-numeric`);
    const problem = portNameProblem(port.port);
    if (problem) out.push(`${at}.port: Invalid value: ${JSON.stringify(port.port)}: ${problem}`);
  }
  return out;
}

export function networkPolicyProblems(obj: Record<string, any>): string[] {
  if (!is(obj, 'networking.k8s.io/v1', 'NetworkPolicy')) return [];
  const spec = rec(obj.spec);
  const out: string[] = [...labelSelectorProblems(spec.podSelector, 'spec.podSelector')];
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    arr(spec[dir]).forEach((r: unknown, i: number) => {
      const rule = rec(r);
      arr(rule.ports).forEach((p: unknown, j: number) => out.push(...networkPolicyPortProblems(rec(p), `spec.${dir}[${i}].ports[${j}]`)));
      arr(rule[peers]).forEach((p: unknown, j: number) => out.push(...peerProblems(rec(p), `spec.${dir}[${i}].${peers}[${j}]`)));
    });
  }
  // L171-L183: at most 2 policy types.
  if (arr(spec.policyTypes).length > 2) out.push(`spec.policyTypes: Invalid value: ${JSON.stringify(spec.policyTypes)}: may not specify more than two policyTypes`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Job (batch/v1): batch-validation.go@v1.28.0 validateJobSpec(), validatePodFailurePolicy(). With the 1.28 default
// gates, backoffLimitPerIndex, maxFailedIndexes and FailIndex rules are dropped on create
// (pkg/registry/batch/job/strategy.go:L93-L124 PrepareForCreate()): a Job that relies on them silently loses them.

const MAX_POD_FAILURE_POLICY_RULES = 20; // L56
const MAX_ON_EXIT_CODES_VALUES = 255; // L59
const MAX_ON_POD_CONDITIONS = 20; // L62

function podFailurePolicyProblems(policy: Record<string, any>, containerNames: string[], at: string): string[] {
  const out: string[] = [];
  const rules = arr(policy.rules);
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) out.push(`${at}.rules: Too many: ${rules.length}: must have at most ${MAX_POD_FAILURE_POLICY_RULES} items`);
  rules.forEach((r: unknown, i: number) => {
    const rule = rec(r);
    const rat = `${at}.rules[${i}]`;
    // L306-L317 validatePodFailurePolicyRule(): action
    if (rule.action === 'FailIndex') {
      out.push(`${rat}.action: Forbidden: FailIndex needs backoffLimitPerIndex, whose feature gate JobBackoffLimitPerIndex is off in 1.28 (the rule is dropped on create)`);
    }
    // L324-L329: exactly one of onExitCodes / onPodConditions
    const codes = rule.onExitCodes;
    const conditions = rule.onPodConditions;
    if (codes !== undefined && conditions !== undefined) out.push(`${rat}: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported`);
    if (codes === undefined && conditions === undefined) out.push(`${rat}: Invalid value: specifying one of OnExitCodes and OnPodConditions is required`);
    if (codes !== undefined) {
      const c = rec(codes);
      const cat = `${rat}.onExitCodes`;
      // L353-L386 validatePodFailurePolicyRuleOnExitCodes()
      if (c.operator === undefined) out.push(`${cat}.operator: Required value`);
      else if (!['In', 'NotIn'].includes(c.operator)) out.push(`${cat}.operator: Unsupported value: ${JSON.stringify(c.operator)}: supported values: "In", "NotIn"`);
      if (c.containerName !== undefined && !containerNames.includes(c.containerName)) {
        out.push(`${cat}.containerName: Invalid value: ${JSON.stringify(c.containerName)}: must be one of the container or initContainer names in the pod template`);
      }
      const values = arr(c.values);
      if (values.length === 0) out.push(`${cat}.values: Invalid value: at least one value is required`);
      if (values.length > MAX_ON_EXIT_CODES_VALUES) out.push(`${cat}.values: Too many: ${values.length}: must have at most ${MAX_ON_EXIT_CODES_VALUES} items`);
      values.forEach((v: number, j: number) => {
        if (c.operator === 'In' && v === 0) out.push(`${cat}.values[${j}]: Invalid value: 0: must not be 0 for the In operator`);
        if (j > 0 && values[j - 1] === v) out.push(`${cat}.values[${j}]: Duplicate value: ${v}`);
        else if (j > 0 && values[j - 1] > v) out.push(`${cat}.values[${j}]: Invalid value: ${v}: must be ordered`);
      });
    }
    if (conditions !== undefined) {
      const list = arr(conditions);
      if (list.length > MAX_ON_POD_CONDITIONS) out.push(`${rat}.onPodConditions: Too many: ${list.length}: must have at most ${MAX_ON_POD_CONDITIONS} items`);
      // L333-L349
      list.forEach((pc: unknown, j: number) => {
        const s = rec(pc).status;
        if (s === undefined) out.push(`${rat}.onPodConditions[${j}].status: Required value`);
        else if (!['True', 'False', 'Unknown'].includes(s)) out.push(`${rat}.onPodConditions[${j}].status: Unsupported value: ${JSON.stringify(s)}: supported values: "False", "True", "Unknown"`);
      });
    }
  });
  return out;
}

function jobSpecProblems(spec: Record<string, any>, at: string, name: string | undefined): string[] {
  const out: string[] = [];
  // L184-L203: counts >= 0
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    if (typeof spec[k] === 'number' && spec[k] < 0) out.push(`${at}.${k}: Invalid value: ${spec[k]}: must be greater than or equal to 0`);
  }
  const indexed = spec.completionMode === 'Indexed';
  // L208-L218: Indexed needs completions; parallelism <= 100000
  if (indexed && spec.completions === undefined) out.push(`${at}.completions: Required value: when completion mode is Indexed`);
  if (indexed && typeof spec.parallelism === 'number' && spec.parallelism > 100000) out.push(`${at}.parallelism: Invalid value: ${spec.parallelism}: must be less than or equal to 100000 when completion mode is Indexed`);
  // L146-L155 ValidateJob(): the last index's pod hostname `<name>-<completions-1>` must be a DNS-1123 label.
  if (indexed && name !== undefined && typeof spec.completions === 'number' && spec.completions > 0) {
    const host = `${name}-${spec.completions - 1}`;
    if (host.length > 63) out.push(`${at}.completions: Invalid value: ${spec.completions}: job name and JOB_COMPLETION_INDEX must form a valid DNS label (${host.length} characters): will not able to create pod with invalid DNS label`);
  }
  // L45-L53, L202-L245: backoffLimitPerIndex / maxFailedIndexes need Indexed (and maxFailedIndexes needs backoffLimitPerIndex).
  if (spec.backoffLimitPerIndex !== undefined && !indexed) out.push(`${at}.backoffLimitPerIndex: Invalid value: ${spec.backoffLimitPerIndex}: requires indexed completion mode`);
  if (spec.maxFailedIndexes !== undefined && !indexed) out.push(`${at}.maxFailedIndexes: Invalid value: ${spec.maxFailedIndexes}: requires indexed completion mode`);
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) out.push(`${at}.maxFailedIndexes: Required value: when maxFailedIndexes is specified`);
  if (spec.backoffLimitPerIndex !== undefined) {
    out.push(`${at}.backoffLimitPerIndex: Forbidden: the feature gate JobBackoffLimitPerIndex is off in 1.28: the field is dropped on create`);
  }
  const podSpec = rec(rec(spec.template).spec);
  // L258-L267: restartPolicy OnFailure or Never; Never with a podFailurePolicy.
  if (!['OnFailure', 'Never'].includes(podSpec.restartPolicy)) {
    out.push(`${at}.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`);
  } else if (spec.podFailurePolicy !== undefined && podSpec.restartPolicy !== 'Never') {
    out.push(`${at}.template.spec.restartPolicy: Invalid value: ${JSON.stringify(podSpec.restartPolicy)}: only "Never" is supported when podFailurePolicy is specified`);
  }
  if (spec.podFailurePolicy !== undefined) {
    const names = [...arr(podSpec.containers), ...arr(podSpec.initContainers)].map((c) => rec(c).name);
    out.push(...podFailurePolicyProblems(rec(spec.podFailurePolicy), names, `${at}.podFailurePolicy`));
  }
  return out;
}

export function jobProblems(obj: Record<string, any>): string[] {
  const name = rec(obj.metadata).name;
  if (is(obj, 'batch/v1', 'Job')) {
    const out = jobSpecProblems(rec(obj.spec), 'spec', name);
    // strategy.go:L219-L260 generateSelector(): the name becomes the `job-name` label value (<= 63 characters).
    if (typeof name === 'string' && name.length > 63 && rec(obj.spec).manualSelector !== true) {
      out.push(`metadata.name: Invalid value: ${JSON.stringify(name)}: must be no more than 63 characters (it becomes the job-name label of its pods)`);
    }
    return out;
  }
  if (is(obj, 'batch/v1', 'CronJob')) return jobSpecProblems(rec(rec(rec(obj.spec).jobTemplate).spec), 'spec.jobTemplate.spec', undefined);
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Deployment (apps/v1): pkg/apis/apps/validation/validation.go@v1.28.0, pkg/apis/apps/v1/defaults.go.

/** pkg/apis/apps/v1/defaults.go:L38-L72 SetDefaults_Deployment(): progressDeadlineSeconds 600. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * The longest a pod's containers may take to pass their startup probes before the kubelet restarts them:
 * initialDelaySeconds + failureThreshold x periodSeconds (probe defaults 0, 3, 10: pkg/apis/core/v1/defaults.go
 * SetDefaults_Probe). The slowest container of the pod decides.
 */
export function startupProbeBudgetSeconds(podSpec: Record<string, any>): number {
  let worst = 0;
  for (const c of arr(podSpec.containers)) {
    const p = rec(c).startupProbe;
    if (p === undefined) continue;
    const probe = rec(p);
    worst = Math.max(worst, (probe.initialDelaySeconds ?? 0) + (probe.failureThreshold ?? 3) * (probe.periodSeconds ?? 10));
  }
  return worst;
}

export function deploymentProblems(obj: Record<string, any>): string[] {
  if (!is(obj, 'apps/v1', 'Deployment')) return [];
  const out: string[] = [];
  const spec = rec(obj.spec);
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  // L586-L591 ValidateDeploymentSpec(): progressDeadlineSeconds > minReadySeconds (after defaulting).
  if (typeof spec.minReadySeconds === 'number' && deadline <= spec.minReadySeconds) {
    out.push(`spec.progressDeadlineSeconds: Invalid value: ${deadline}: must be greater than minReadySeconds`);
  }
  // L507-L540 ValidateDeploymentStrategy() / ValidateRollingUpdateDeployment()
  const strategy = rec(spec.strategy);
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    out.push('spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'');
  }
  if (strategy.type !== 'Recreate') {
    const ru = rec(strategy.rollingUpdate);
    // apps/v1 defaults both to 25% when unset.
    const surge = ru.maxSurge ?? '25%';
    const unavailable = ru.maxUnavailable ?? '25%';
    out.push(...intOrPercentProblems(surge, 'spec.strategy.rollingUpdate.maxSurge', false));
    out.push(...intOrPercentProblems(unavailable, 'spec.strategy.rollingUpdate.maxUnavailable', true));
    if (isZeroIntOrPercent(surge) && isZeroIntOrPercent(unavailable)) {
      out.push('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0');
    }
  }
  // What the controller does: pkg/controller/deployment/progress.go syncRolloutStatus() + util DeploymentTimedOut():
  // a rollout with no new available pod for progressDeadlineSeconds gets Progressing=False, ProgressDeadlineExceeded,
  // and `kubectl rollout status` fails. A pod that may legitimately take the whole startup budget to start needs more.
  const budget = startupProbeBudgetSeconds(rec(rec(spec.template).spec));
  if (budget > 0 && deadline <= budget) {
    out.push(`spec.progressDeadlineSeconds: ${deadline} s is not longer than the startup probe budget (${budget} s = initialDelaySeconds `
      + '+ failureThreshold x periodSeconds): a slow rollout is marked ProgressDeadlineExceeded while its pods are still starting');
  }
  return out;
}

const RULES = [hpaProblems, pdbProblems, priorityClassProblems, networkPolicyProblems, jobProblems, deploymentProblems];

/** Kubernetes 1.28's validation (and Deployment progress) beyond the schema, over every object of an app. */
export const KUBERNETES_CHECK: OperatorCheck = {
  source: 'Kubernetes v1.28.0',
  check: (objects) => [...perObject((o) => RULES.flatMap((r) => r(o)))(objects), ...globalDefaultProblems(objects)],
};
