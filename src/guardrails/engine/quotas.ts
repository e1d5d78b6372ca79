/**
 * Quotas as the API server and Kueue apply them to one workload's pods: the namespace's ResourceQuotas (the pod
 * evaluator of kubernetes/kubernetes v1.28.0, pkg/quota/v1/evaluator/core/pods.go: `PodUsageFunc`,
 * `podComputeUsageHelper`, `podMatchesScopeFunc`) and the Kueue ClusterQueue behind a `kueue.x-k8s.io/queue-name`
 * LocalQueue (kubernetes-sigs/kueue v0.19.2, the ClusterQueue's `resourceGroups[].flavors[].resources[]`
 * `nominalQuota` and `borrowingLimit`). Read from the objects' JSON, and only when the app has such objects.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GuardrailContext, Workload } from './context';
import { objectKey, subjectOf } from './objects';
import { parseQuantity } from '../../common/quantity';

/** A pod's quota usage by quota resource name, in integer units: millicores for CPU, bytes or counts for the rest. */
export type Usage = Map<string, number>;

/** What the quota evaluator reads of one workload's pods. */
export interface PodView {
  readonly priorityClassName: string;
  /** `activeDeadlineSeconds` >= 0 (the Terminating scope). */
  readonly terminating: boolean;
  /** No CPU or memory request or limit in any container (the BestEffort QoS class). */
  readonly bestEffort: boolean;
  readonly crossNamespaceAffinity: boolean;
  /** Labels of the workload object and of its pod template: where Kueue reads `kueue.x-k8s.io/queue-name`. */
  readonly labels: Record<string, string>;
  readonly usage: Usage;
  /** For each CPU or memory quota resource (`validationSet`), the containers that do not set it. */
  readonly missing: Map<string, string[]>;
}

/** The quota resources every container must set once a matching quota tracks them (pods.go `validationSet`, `Constraints`). */
export const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** `enforcePodContainerConstraints`: the validation resources a container's (defaulted) requests and limits leave unset. */
function missingOf(pod: any): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of [...pod?.containers ?? [], ...pod?.initContainers ?? []]) {
    const limits = c?.resources?.limits ?? {};
    const requests = { ...limits, ...c?.resources?.requests };
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined) { has.add(r); has.add(`requests.${r}`); }
      if (limits[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of VALIDATION_SET) if (!has.has(r)) out.set(r, [...out.get(r) ?? [], String(c?.name)]);
  }
  return out;
}

export const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';

/** Where a workload's pod template sits in its object's JSON; undefined for kinds the guardrails do not read. */
function podTemplateOf(json: any, kind: string, component: string | undefined): any {
  const spec = json?.spec ?? {};
  switch (kind) {
    case 'CronJob': return spec.jobTemplate?.spec?.template;
    case 'ScaledJob': return spec.jobTargetRef?.template;
    // Most pods of a group are workers; a LeaderWorkerSet without a leader template runs the worker template everywhere.
    case 'LeaderWorkerSet': return spec.leaderWorkerTemplate?.workerTemplate;
    case 'RayCluster': case 'RayJob': case 'RayService': {
      const cluster = kind === 'RayCluster' ? spec : kind === 'RayJob' ? spec.rayClusterSpec : spec.rayClusterConfig;
      if (component === 'head') return cluster?.headGroupSpec?.template;
      return (cluster?.workerGroupSpecs ?? []).find((g: any) => g?.groupName === component)?.template;
    }
    default: return spec.template;
  }
}

/** A quantity in the usage's integer units. */
function amount(resource: string, q: unknown): number {
  const n = parseQuantity(q as string | number) ?? 0;
  return resource === 'cpu' || resource.endsWith('.cpu') ? Math.round(n * 1000) : Math.round(n);
}

/** `helper.IsExtendedResourceName`: a domain-qualified name outside kubernetes.io, not a `requests.` quota name. */
function isExtended(name: string): boolean {
  return name.includes('/') && !name.startsWith('requests.') && !/(^|\.)kubernetes\.io\//.test(name);
}

/** `resourcehelper.PodRequests`/`PodLimits`: containers and sidecars add up; each other init container alone, the larger wins. */
function podResources(pod: any, which: 'requests' | 'limits'): Map<string, number> {
  const of = (c: any): Record<string, unknown> => {
    const r = c?.resources ?? {};
    // The API server defaults each missing request to its limit.
    return which === 'requests' ? { ...r.limits, ...r.requests } : { ...r.limits };
  };
  const sum = new Map<string, number>();
  const add = (into: Map<string, number>, c: any) => {
    for (const [k, v] of Object.entries(of(c))) into.set(k, (into.get(k) ?? 0) + amount(k, v));
  };
  for (const c of pod?.containers ?? []) add(sum, c);
  for (const c of pod?.initContainers ?? []) {
    if (c?.restartPolicy === 'Always') { add(sum, c); continue; }
    for (const [k, v] of Object.entries(of(c))) sum.set(k, Math.max(sum.get(k) ?? 0, amount(k, v)));
  }
  return sum;
}

/** `PodUsageFunc` of a pod that is not terminal. */
function podUsage(pod: any): Usage {
  const requests = podResources(pod, 'requests');
  const limits = podResources(pod, 'limits');
  const usage: Usage = new Map([['pods', 1], ['count/pods', 1]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests.has(r)) { usage.set(r, requests.get(r)!); usage.set(`requests.${r}`, requests.get(r)!); }
    if (limits.has(r)) usage.set(`limits.${r}`, limits.get(r)!);
  }
  for (const [r, v] of requests) {
    if (r.startsWith('hugepages-')) { usage.set(r, v); usage.set(`requests.${r}`, v); }
    // Only `requests.<name>` quotas exist for extended resources.
    if (isExtended(r)) usage.set(`requests.${r}`, v);
  }
  return usage;
}

function crossNamespace(terms: any[] | undefined, weighted: boolean): boolean {
  return (terms ?? []).some(t => {
    const term = weighted ? t?.podAffinityTerm : t;
    return (term?.namespaces ?? []).length > 0 || term?.namespaceSelector != null;
  });
}

/** The pod view of a workload: read from its object's pod template, or (a kind not read) from its footprint. */
export function podViewOf(ctx: GuardrailContext, w: Workload): PodView {
  const t = w.footprint.target;
  const object = ctx.byKey.get(objectKey(t.namespace, t.kind, t.name));
  const json = object ? ctx.json(object) : undefined;
  const template = json ? podTemplateOf(json, t.kind, w.footprint.component) : undefined;
  if (!template) {
    const r = w.footprint.requests;
    const usage: Usage = new Map([['pods', 1], ['count/pods', 1], ['cpu', r.cpuMillis], ['requests.cpu', r.cpuMillis],
      ['memory', r.memoryMib * 2 ** 20], ['requests.memory', r.memoryMib * 2 ** 20]]);
    if (r.gpus > 0) usage.set('requests.nvidia.com/gpu', r.gpus);
    return {
      priorityClassName: '',
      terminating: false,
      bestEffort: false,
      crossNamespaceAffinity: false,
      labels: { ...json?.metadata?.labels },
      usage,
      missing: new Map(),
    };
  }
  const pod = template.spec ?? {};
  const containers = [...pod.containers ?? [], ...pod.initContainers ?? []];
  const affinity = pod.affinity ?? {};
  return {
    priorityClassName: pod.priorityClassName ?? '',
    terminating: typeof pod.activeDeadlineSeconds === 'number' && pod.activeDeadlineSeconds >= 0,
    bestEffort: containers.every(c => ['cpu', 'memory'].every(r => c?.resources?.requests?.[r] === undefined && c?.resources?.limits?.[r] === undefined)),
    crossNamespaceAffinity: [affinity.podAffinity, affinity.podAntiAffinity].some(a =>
      crossNamespace(a?.requiredDuringSchedulingIgnoredDuringExecution, false)
      || crossNamespace(a?.preferredDuringSchedulingIgnoredDuringExecution, true)),
    labels: { ...json?.metadata?.labels, ...template.metadata?.labels },
    usage: podUsage(pod),
    missing: missingOf(pod),
  };
}

/** One ResourceQuota of the app. */
export interface QuotaModel {
  readonly name: string;
  readonly namespace: string;
  readonly subject: IConstruct;
  /** `spec.hard` in the usage's units. */
  readonly hard: Map<string, number>;
  /** The raw `spec.hard` values, as the messages quote them. */
  readonly hardText: Map<string, string>;
  readonly scopes: string[];
  readonly selector: { scopeName: string; operator: string; values: string[] }[];
}

/** The app's ResourceQuotas by namespace ('' for the namespace the manifests are applied to). */
export function readQuotas(ctx: GuardrailContext): Map<string, QuotaModel[]> {
  const out = new Map<string, QuotaModel[]>();
  for (const o of ctx.ofKind('ResourceQuota').filter(q => q.apiVersion === 'v1')) {
    const json = ctx.json(o);
    const hard = new Map<string, number>();
    const hardText = new Map<string, string>();
    for (const [k, v] of Object.entries(json.spec?.hard ?? {})) {
      hard.set(k, amount(k, v));
      hardText.set(k, String(v));
    }
    const namespace = o.metadata.namespace ?? '';
    const q: QuotaModel = {
      name: o.name,
      namespace,
      subject: subjectOf(o),
      hard,
      hardText,
      scopes: json.spec?.scopes ?? [],
      selector: (json.spec?.scopeSelector?.matchExpressions ?? [])
        .map((e: any) => ({ scopeName: e.scopeName, operator: e.operator, values: e.values ?? [] })),
    };
    out.set(namespace, [...out.get(namespace) ?? [], q]);
  }
  return out;
}

/** `podMatchesScopeFunc` for one scope; a quota applies when every scope and every selector requirement matches. */
function scopeMatches(scope: string, operator: string, values: string[], pod: PodView): boolean {
  switch (scope) {
    case 'Terminating': return pod.terminating;
    case 'NotTerminating': return !pod.terminating;
    case 'BestEffort': return pod.bestEffort;
    case 'NotBestEffort': return !pod.bestEffort;
    case 'CrossNamespacePodAffinity': return pod.crossNamespaceAffinity;
    case 'PriorityClass': {
      const pc = pod.priorityClassName;
      switch (operator) {
        case 'Exists': return pc !== '';
        case 'DoesNotExist': return pc === '';
        case 'In': return pc !== '' && values.includes(pc);
        // A label selector's NotIn matches a missing label.
        case 'NotIn': return pc === '' || !values.includes(pc);
        default: return false;
      }
    }
    default: return false;
  }
}

export function quotaMatches(q: QuotaModel, pod: PodView): boolean {
  return q.scopes.every(s => scopeMatches(s, 'Exists', [], pod)) && q.selector.every(e => scopeMatches(e.scopeName, e.operator, e.values, pod));
}

/** A ClusterQueue's caps: per resource, the sum over its flavors of nominalQuota + borrowingLimit. */
export interface ClusterQueueModel {
  readonly name: string;
  readonly subject: IConstruct;
  /** Per resource name (`cpu`, `memory`, `nvidia.com/gpu`, `pods`), in the usage's units. */
  readonly caps: Map<string, number>;
  /** Per resource, how the cap is made: `nominal 8 + borrowing 4`. */
  readonly how: Map<string, string>;
  /** The flavor names of each resource group, in order (issue 17, Kueue: kueue-quota reads them). */
  readonly flavorGroups: string[][];
}

export interface KueueModel {
  /** LocalQueue `namespace/name` -> ClusterQueue name. */
  readonly localQueues: Map<string, string>;
  readonly clusterQueues: Map<string, ClusterQueueModel>;
}

/** The app's LocalQueues and ClusterQueues; undefined when it has none. */
export function readKueue(ctx: GuardrailContext): KueueModel | undefined {
  const lqs = ctx.ofKind('LocalQueue', 'kueue.x-k8s.io');
  const cqs = ctx.ofKind('ClusterQueue', 'kueue.x-k8s.io');
  if (lqs.length === 0 || cqs.length === 0) return undefined;
  const localQueues = new Map<string, string>();
  for (const o of lqs) localQueues.set(`${o.metadata.namespace ?? ''}/${o.name}`, ctx.json(o).spec?.clusterQueue);
  const specs = cqs.map(o => ({ o, spec: ctx.json(o).spec ?? {} }));
  // v1beta2 names the cohort `cohortName`, v1beta1 `cohort`.
  const cohortOf = (spec: any): string | undefined => spec.cohortName ?? spec.cohort;
  // What each queue lends its cohort, per flavor and resource (`flavor/resource`): its lendingLimit where set, else its
  // whole nominal quota (Kueue borrows per flavor and resource).
  const lendable = (spec: any): Map<string, number> => {
    const m = new Map<string, number>();
    for (const g of spec.resourceGroups ?? []) {
      for (const f of g.flavors ?? []) {
        for (const r of f.resources ?? []) m.set(`${f.name}/${r.name}`, amount(r.name, r.lendingLimit ?? r.nominalQuota ?? 0));
      }
    }
    return m;
  };
  const lendables = new Map<ApiObject, Map<string, number>>(specs.map(({ o, spec }) => [o, lendable(spec)]));
  const clusterQueues = new Map<string, ClusterQueueModel>();
  for (const { o, spec } of specs) {
    const cohort = cohortOf(spec);
    const caps = new Map<string, number>();
    const nominalOf = new Map<string, number>();
    const borrowOf = new Map<string, number | undefined>();
    for (const g of spec.resourceGroups ?? []) {
      for (const f of g.flavors ?? []) {
        for (const r of f.resources ?? []) {
          nominalOf.set(r.name, (nominalOf.get(r.name) ?? 0) + amount(r.name, r.nominalQuota ?? 0));
          // No cohort: nothing to borrow. In a cohort: at most what the cohort's other queues lend (their lendingLimit, else
          // their nominal quota, all of it unused at best), and at most the borrowingLimit.
          const lent = cohort === undefined ? 0
            : specs.filter(s => s.o !== o && cohortOf(s.spec) === cohort).reduce((n, s) => n + (lendables.get(s.o)!.get(`${f.name}/${r.name}`) ?? 0), 0);
          const borrow = r.borrowingLimit !== undefined ? Math.min(amount(r.name, r.borrowingLimit), lent) : lent;
          borrowOf.set(r.name, (borrowOf.get(r.name) ?? 0) + borrow);
        }
      }
    }
    const how = new Map<string, string>();
    for (const [r, n] of nominalOf) {
      const b = borrowOf.get(r) ?? 0;
      caps.set(r, n + b);
      how.set(r, `nominal ${shown(r, n)}${b > 0 ? ` + borrowing ${shown(r, b)}` : ''}`);
    }
    const flavorGroups = (spec.resourceGroups ?? []).map((g: any) => (g.flavors ?? []).map((f: any) => String(f.name)));
    clusterQueues.set(o.name, { name: o.name, subject: subjectOf(o), caps, how, flavorGroups });
  }
  return { localQueues, clusterQueues };
}

/** Kueue counts a pod's requests by plain resource name (`cpu`, `nvidia.com/gpu`) and one `pods` per pod. */
export function kueueUsage(pod: PodView): Usage {
  const u: Usage = new Map([['pods', 1]]);
  for (const [k, v] of pod.usage) {
    if (k.startsWith('requests.')) u.set(k.slice('requests.'.length), v);
  }
  return u;
}

/** An amount in the usage's units as a message quotes it. */
export function shown(resource: string, n: number): string {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return `${n / 1000}`;
  if (/memory|storage|hugepages/.test(resource)) {
    const gib = n / 2 ** 30;
    return Number.isInteger(gib * 100) ? `${gib}Gi` : `${n}`;
  }
  return String(n);
}
