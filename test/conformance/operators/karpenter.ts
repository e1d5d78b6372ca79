/**
 * What Karpenter v1.14.1 refuses at runtime in a NodePool or EC2NodeClass beyond the CRD schema and its CEL rules.
 * Karpenter has no admission webhook at this version: the object is accepted and then marked
 * `ValidationSucceeded=False` (NodePool: NodePoolValidationFailed; EC2NodeClass: e.g. TagValidationFailed), and the
 * provisioner ignores a NodePool that is not Ready (pkg/controllers/provisioning/provisioner.go:L276-L285).
 *
 * Sources: kubernetes-sigs/karpenter@v1.14.1 (= 6e7eab7a0f48, the version aws/karpenter-provider-aws@v1.14.1 go.mod
 * pins) `core/` below; aws/karpenter-provider-aws@v1.14.1 `aws/` below.
 */
import type { OperatorCheck } from './index';
import { arr, perObject, rec } from './kubernetes';
import { labelValueProblems, qualifiedNameProblems } from '../names';

/** core labels.go NormalizedLabels: old keys are read as their stable names. */
const NORMALIZED: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
};
/** core labels.go WellKnownValuesForRequirements; aws labels.go adds instance-tenancy. */
const KNOWN_VALUES: Record<string, string[]> = {
  'karpenter.sh/capacity-type': ['on-demand', 'spot', 'reserved'],
  'karpenter.k8s.aws/instance-tenancy': ['dedicated', 'default'],
};
/**
 * core nodeclaim_validation.go:L117-L160 ValidateRequirement() and L162-L201 validateWellKnownValues(), less what the
 * NodePool CRD's CEL rules already refuse (restricted keys and domains, `In` without values, fewer values than minValues,
 * Gt/Lt/Gte/Lte without a single integer; the operator is a schema enum): the key must be a qualified name, the values
 * label values, and a key with known values needs at least one (and minValues) of them.
 */
function requirementProblems(req: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  const key = NORMALIZED[req.key] ?? req.key;
  const values: unknown[] = arr(req.values);
  for (const p of qualifiedNameProblems(String(key))) out.push(`${at}: key ${key} is not a qualified name, ${p}`);
  if (!['Gt', 'Lt', 'Gte', 'Lte'].includes(req.operator)) {
    values.forEach((v) => labelValueProblems(v).forEach((p) => out.push(`${at}: invalid value ${v} for key ${key}, ${p}`)));
  }
  const known = KNOWN_VALUES[key];
  if (known && req.operator === 'In' && values.length > 0) {
    const valid = values.filter((v) => known.includes(String(v)));
    if (valid.length === 0) {out.push(`${at}: no valid values found in ${JSON.stringify(values)} for ${key}, expected one of: ${JSON.stringify(known)}`);} else if (typeof req.minValues === 'number' && valid.length < req.minValues) {
      out.push(`${at}: not enough valid values found in ${JSON.stringify(values)} for ${key}, expected at least ${req.minValues} valid values from: ${JSON.stringify(known)}`);
    }
  }
  return out;
}

/** core nodeclaim_validation.go:L66-L103 validateTaints(): Karpenter's stricter taint rules, across taints and startupTaints. */
function taintProblems(spec: Record<string, any>, at: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const field of ['taints', 'startupTaints']) {
    arr(spec[field]).forEach((t: unknown, i: number) => {
      const taint = rec(t);
      const tat = `${at}.${field}[${i}]`;
      if (!taint.key) out.push(`${tat}.key: invalid value: empty key in ${field}`);
      else for (const p of qualifiedNameProblems(String(taint.key))) out.push(`${tat}.key: invalid value: ${p} in ${field}`);
      if (taint.value) for (const p of qualifiedNameProblems(String(taint.value))) out.push(`${tat}.value: invalid value: ${p} in ${field}`);
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute', '', undefined].includes(taint.effect)) out.push(`${tat}.effect: invalid value: "${taint.effect}" in ${field}`);
      const k = `${taint.key}=${taint.effect}`;
      if (seen.has(k)) out.push(`${tat}: duplicate taint Key/Effect pair ${k}`);
      seen.add(k);
    });
  }
  return out;
}

const CRON_FIELDS: Array<[number, number, Record<string, number>?]> = [
  [0, 59], [0, 23], [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];

/** robfig/cron v3 ParseStandard (5 fields or a descriptor), as Budget.IsActive() parses a budget's schedule. */
export function isStandardCron(expr: string): boolean {
  const e = expr.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(e)) return true;
  if (/^@every\s+\S+$/.test(e)) return true;
  const fields = e.split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((f, i) => {
    const [lo, hi, names] = CRON_FIELDS[i];
    const num = (s: string) => (names && s.toLowerCase() in names ? names[s.toLowerCase()] : /^\d+$/.test(s) ? Number(s) : NaN);
    return f.split(',').every((part) => {
      const [range, step, extra] = part.split('/');
      if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0))) return false;
      if (range === '*' || (range === '?' && (i === 2 || i === 4))) return true;
      const [a, b, more] = range.split('-');
      if (more !== undefined) return false;
      const x = num(a), y = b === undefined ? x : num(b);
      return Number.isInteger(x) && Number.isInteger(y) && x >= lo && y <= hi && x <= y;
    });
  });
}

export function nodePoolProblems(obj: Record<string, any>): string[] {
  if (obj.apiVersion !== 'karpenter.sh/v1' || obj.kind !== 'NodePool') return [];
  const out: string[] = [];
  const template = rec(rec(obj.spec).template);
  // core nodepool_validation.go:L33-L49 validateLabels()
  // (Restricted keys and domains are also CEL rules of the CRD: the CEL check reports them.)
  for (const [key, value] of Object.entries(rec(rec(template.metadata).labels))) {
    const at = `spec.template.metadata.labels[${key}]`;
    for (const p of qualifiedNameProblems(key)) out.push(`${at}: invalid key name "${key}" in labels, ${p}`);
    for (const p of labelValueProblems(value)) out.push(`${at}: invalid value: ${value} for label[${key}], ${p}`);
  }
  const spec = rec(template.spec);
  arr(spec.requirements).forEach((r: unknown, i: number) => out.push(...requirementProblems(rec(r), `spec.template.spec.requirements[${i}]`)));
  out.push(...taintProblems(spec, 'spec.template.spec'));
  // core nodepool.go:L382-L410 Budget.GetAllowedDisruptions()/IsActive(): a schedule that does not parse makes
  // MustGetAllowedDisruptions() return 0, so the pool is never disrupted, without an error on the object.
  arr(rec(rec(obj.spec).disruption).budgets).forEach((b: unknown, i: number) => {
    const s = rec(b).schedule;
    if (typeof s === 'string' && !isStandardCron(s)) out.push(`spec.disruption.budgets[${i}].schedule: invalid cron ${JSON.stringify(s)}: the budget allows no disruption at all`);
  });
  return out;
}

/*
 * EC2NodeClass: what aws/pkg/controllers/nodeclass checks without AWS (restricted tags, validation.go:L164-L168 with
 * aws/pkg/apis/v1/labels.go:L109-L116; empty selector terms) is also in the CRD's CEL rules, which the CEL check
 * evaluates. The rest needs the AWS account (selectors that resolve: ami.go, subnet.go, securitygroup.go; dry-run
 * authorization: validation.go:L55-L68, L191-L336) or Kubernetes 1.33+ (the al2 alias: pkg/providers/amifamily/ami.go:L86-L95),
 * so no EC2NodeClass rule is transcribed here.
 */

/** Karpenter v1.14.1's runtime validation over every NodePool of an app. */
export const KARPENTER_CHECK: OperatorCheck = {
  source: 'Karpenter v1.14.1',
  check: perObject(nodePoolProblems),
};
