/**
 * What LeaderWorkerSet v0.10.0's webhooks do to a LeaderWorkerSet on create: the defaulting webhook's values, then the
 * validating webhook's `generalValidate` (both `failurePolicy=fail`, so these are admission errors), and what the pod
 * webhook makes of the exclusive-topology annotation (a pod the API server refuses is a group that never starts).
 *
 * Source: kubernetes-sigs/lws@v0.10.0 (2161f38ff333f9e24d3c44adef7cd5d9787cac00): `leaderworkerset_webhook.go` is
 * pkg/webhooks/leaderworkerset_webhook.go, `pod_webhook.go` pkg/webhooks/pod_webhook.go, `types.go`
 * api/leaderworkerset/v1/leaderworkerset_types.go.
 */
import type { OperatorCheck } from './index';
import { arr, isInt, perObject, rec } from './kubernetes';
import { isDns1035Label, qualifiedNameProblems } from '../names';

const API_VERSION = 'leaderworkerset.x-k8s.io/v1';
/** types.go:29 ExclusiveKeyAnnotationKey, :33 SubGroupExclusiveKeyAnnotationKey. */
const EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
const SUBGROUP_EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology';
const MAX_INT32 = 2 ** 31 - 1;

/** An int-or-string as `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` see it (leaderworkerset_webhook.go:217-251). */
function intOrPercentProblems(v: unknown, path: string): string[] {
  if (typeof v === 'string') {
    const m = /^[0-9]+%$/.exec(v);
    if (!m) return [`${path}: Invalid value: "${v}": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`];
    return Number(v.slice(0, -1)) > 100 ? [`${path}: Invalid value: "${v}": must not be greater than 100%`] : [];
  }
  if (isInt(v)) return v < 0 ? [`${path}: Invalid value: ${v}: must be greater than or equal to 0`] : [];
  return [`${path}: Invalid value: must be an integer or percentage (e.g '5%')`];
}

/** intstr.GetScaledValueFromIntOrPercent: a percent of `total`, rounded up or down. */
function scaled(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) {
    const x = Number(v.slice(0, -1)) * total / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return isInt(v) ? v : 0;
}

function lwsProblems(obj: Record<string, any>): string[] {
  if (obj.apiVersion !== API_VERSION || obj.kind !== 'LeaderWorkerSet') return [];
  const out: string[] = [];
  const meta = rec(obj.metadata);
  const spec = rec(obj.spec);
  const template = rec(spec.leaderWorkerTemplate);
  // The defaulting webhook (leaderworkerset_webhook.go:52-83) and the CRD defaults: replicas 1, size 1, RollingUpdate with
  // maxUnavailable 1, maxSurge 0, partition 0.
  const replicas = isInt(spec.replicas) ? spec.replicas : 1;
  const size = isInt(template.size) ? template.size : 1;
  const rolling = rec(rec(spec.rolloutStrategy).rollingUpdateConfiguration);
  const maxUnavailable = rolling.maxUnavailable ?? 1;
  const maxSurge = rolling.maxSurge ?? 0;
  const partition = isInt(rolling.partition) ? rolling.partition : 0;

  // generalValidate (leaderworkerset_webhook.go:126-129): the name names the headless Service, so it is a DNS-1035 label.
  if (typeof meta.name === 'string' && !isDns1035Label(meta.name)) {
    out.push(`metadata.name: Invalid value: "${meta.name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an ` +
      'alphabetic character, and end with an alphanumeric character');
  }
  // :131-138 replicas in [0, 1000000]; :140-142 size >= 1; :143-145 replicas x size <= MaxInt32.
  if (replicas < 0) out.push(`spec.replicas: Invalid value: ${replicas}: replicas must be equal or greater than 0`);
  if (replicas > 1_000_000) out.push(`spec.replicas: Invalid value: ${replicas}: replicas must be equal or less than 1000000`);
  if (size < 1) out.push(`spec.leaderWorkerTemplate.size: Invalid value: ${size}: size must be equal or greater than 1`);
  if (replicas * size > MAX_INT32) {
    out.push(`spec.replicas: Invalid value: ${replicas}: the product of replicas and worker replicas must not exceed ${MAX_INT32}`);
  }
  // :147-166 maxUnavailable and maxSurge: a non-negative integer or a percent of at most 100%; partition >= 0.
  const base = 'spec.rolloutStrategy.rollingUpdateConfiguration';
  out.push(...intOrPercentProblems(maxUnavailable, `${base}.maxUnavailable`), ...intOrPercentProblems(maxSurge, `${base}.maxSurge`));
  if (partition < 0) out.push(`${base}.partition: Invalid value: ${partition}: must be greater than or equal to 0`);
  // :168-180 both may not be 0 (maxUnavailable rounded down, maxSurge rounded up, over replicas) unless replicas is 0.
  if (scaled(maxUnavailable, replicas, false) === 0 && scaled(maxSurge, replicas, true) === 0 && replicas !== 0) {
    out.push(`${base}.maxUnavailable: Invalid value: ${JSON.stringify(maxUnavailable)}: must not be 0 when \`maxSurge\` is 0`);
  }
  // :182-188 and validateUpdateSubGroupPolicy (:262-283).
  const annotations = rec(meta.annotations);
  const subGroup = template.subGroupPolicy;
  if (subGroup !== undefined && subGroup !== null) {
    const sgPath = 'spec.leaderWorkerTemplate.SubGroupPolicy.subGroupSize';
    const sgs = rec(subGroup).subGroupSize;
    if (!isInt(sgs) || sgs < 1) {
      out.push(`${sgPath}: Invalid value: ${sgs}: subGroupSize must be equal or greater than 1`);
    } else {
      if (size % sgs !== 0 && (size - 1) % sgs !== 0) out.push(`${sgPath}: Invalid value: ${sgs}: size or size - 1 must be divisible by subGroupSize`);
      if (size < sgs) out.push(`${sgPath}: Invalid value: ${sgs}: subGroupSize cannot be larger than size`);
      if (rec(subGroup).subGroupPolicyType === 'LeaderExcluded' && (size - 1) % sgs !== 0) {
        out.push(`${sgPath}: Invalid value: ${sgs}: size-1 must be divisible by subGroupSize when using LeaderExcluded`);
      }
    }
  } else if (SUBGROUP_EXCLUSIVE in annotations) {
    out.push(`metadata.annotations.${SUBGROUP_EXCLUSIVE}: Invalid value: "${annotations[SUBGROUP_EXCLUSIVE]}": cannot have subgroup-exclusive-topology ` +
      'without subGroupSize set');
  }
  // pod_webhook.go:122-134 SetExclusiveAffinities: the annotation's value becomes the topologyKey of a required pod affinity
  // and anti-affinity term, which the API server validates as a qualified name (k8s@v1.28.0 pkg/apis/core/validation
  // validatePodAffinityTerm): a bad key makes every pod of the set fail creation.
  for (const key of [EXCLUSIVE, SUBGROUP_EXCLUSIVE]) {
    const v = annotations[key];
    if (v === undefined) continue;
    const problems = typeof v === 'string' && v !== '' ? qualifiedNameProblems(v) : ['must be a node label key'];
    if (problems.length > 0) out.push(`metadata.annotations.${key}: Invalid value: "${v}": the pods' topologyKey ${problems.join('; ')}`);
  }
  // The leader template defaults to the worker template (types.go:126-131); at least the worker template has containers.
  if (arr(rec(rec(template.workerTemplate).spec).containers).length === 0) {
    out.push('spec.leaderWorkerTemplate.workerTemplate.spec.containers: Required value');
  }
  return out;
}

export const LWS_CHECK: OperatorCheck = { source: 'LeaderWorkerSet v0.10.0 webhooks', check: perObject(lwsProblems) };
