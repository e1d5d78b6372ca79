/**
 * Disruption as the guardrails model it: the app's long-running workloads (Deployments and StatefulSets) with their
 * minimum replicas, the PodDisruptionBudgets that select their pods, whether their pods are kept on separate nodes
 * (required pod anti-affinity or a DoNotSchedule spread on kubernetes.io/hostname), and how many of their pods one
 * node of their pools holds. Library constructs are read from what they recorded (the model server's pod, the
 * InferenceAutoscaler's PodDisruptionBudget); JSON is read only for hand-written workloads and PDBs. Hand-written
 * Deployments and StatefulSets no autoscaler scales (minimum = `spec.replicas`) are read when the app has a hand-written
 * PDB or a pool with known instance types (where replicas-on-one-node can count pods per node): one read per object.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { usableOf } from './allocatable';
import { Amounts } from './amounts';
import { GuardrailContext } from './context';
import { readHandWrittenFootprint } from './footprint';
import { keyOf, objectKey, subjectOf } from './objects';
import { PoolInstanceType, PoolModel } from './pools';
import { recordedPodSpec } from '../../constructs/recorded-pod';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

/** A label selector (`matchLabels`, `matchExpressions`) as the API spells it. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes' LabelSelectorAsSelector(...).Matches: every matchLabels pair and every expression holds; an empty selector matches all. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A PodDisruptionBudget of the app. */
export interface Pdb {
  readonly object: ApiObject;
  readonly subject: IConstruct;
  readonly name: string;
  readonly namespace: string;
  /** Whether an InferenceAutoscaler wrote it (maxUnavailable 1, unhealthyPodEvictionPolicy AlwaysAllow). */
  readonly library: boolean;
  readonly selector?: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** A long-running workload: a Deployment or StatefulSet of the app. */
export interface DisruptionWorkload {
  readonly object: ApiObject;
  readonly subject: IConstruct;
  /** `Deployment 'chat'`. */
  readonly label: string;
  readonly namespace: string;
  /** The fewest replicas it runs: its autoscaler's minimum, else `spec.replicas` (1 when unset). */
  readonly minReplicas: number;
  readonly requests?: Amounts;
  readonly pools: PoolModel[];
  /** The PDB the library wrote for it, if any. */
  readonly libraryPdb?: ApiObject;
  /** The pod template's spec: the pod a library construct recorded, else read from the JSON (once). */
  readonly podSpec: () => any;
  /** The pod template's labels, read from the JSON (once). */
  readonly podLabels: () => Record<string, string>;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet']);

/** Every Deployment and StatefulSet of the app, with its minimum and its pools; hand-written ones only when `handWritten`. */
export function disruptionWorkloads(ctx: GuardrailContext, handWritten: boolean): DisruptionWorkload[] {
  const out: DisruptionWorkload[] = [];
  const covered = new Set<string>();
  for (const w of ctx.workloads) {
    ctx.steps++;
    const t = w.footprint.target;
    if (w.footprint.component !== undefined || !LONG_RUNNING.has(t.kind)) continue;
    const key = objectKey(t.namespace, t.kind, t.name);
    const object = ctx.byKey.get(key);
    if (!object || covered.has(key)) continue;
    covered.add(key);
    const f = w.footprint;
    const pools = ctx.eligibility({ tolerations: f.tolerations, nodeSelector: f.nodeSelector, requests: f.requests }).pools;
    out.push({
      object,
      subject: w.subject,
      label: w.label,
      namespace: t.namespace ?? '',
      minReplicas: f.minReplicas,
      requests: f.requests,
      pools,
      libraryPdb: libraryPdbOf(w.subject),
      ...podOf(ctx, object),
    });
  }
  if (!handWritten) return out;
  for (const kind of LONG_RUNNING) {
    for (const object of ctx.ofKind(kind, 'apps')) {
      ctx.steps++;
      const key = keyOf(object);
      if (covered.has(key)) continue;
      covered.add(key);
      const json = ctx.json(object);
      const replicas = typeof json.spec?.replicas === 'number' ? json.spec.replicas : 1;
      const f = readHandWrittenFootprint(json, j => j.spec?.template, replicas, replicas, { kind: 'none', name: '' });
      out.push({
        object,
        subject: subjectOf(object),
        label: `${kind} '${object.name}'`,
        namespace: object.metadata.namespace ?? '',
        minReplicas: replicas,
        requests: f.requests,
        pools: ctx.eligibility({ tolerations: f.tolerations, nodeSelector: f.nodeSelector, requests: f.requests }).pools,
        ...podOf(ctx, object),
      });
    }
  }
  return out;
}

/** The pod template of a workload: the pod a library construct recorded (no JSON), else the object's JSON; labels from the JSON. */
function podOf(ctx: GuardrailContext, object: ApiObject): { podSpec: () => any; podLabels: () => Record<string, string> } {
  const template = () => ctx.json(object).spec?.template ?? {};
  let spec: any;
  let labels: Record<string, string> | undefined;
  return {
    podSpec: () => (spec ??= recordedPodSpec(object) ?? template().spec ?? {}),
    podLabels: () => (labels ??= template().metadata?.labels ?? {}),
  };
}

/** The PDB an InferenceAutoscaler (or the one inside a LargeModelServing) wrote for its workload. */
function libraryPdbOf(subject: IConstruct): ApiObject | undefined {
  const c = subject as any;
  const pdb = c.podDisruptionBudget ?? c.autoscaler?.podDisruptionBudget;
  return pdb instanceof ApiObject ? pdb : undefined;
}

/** The app's PDBs: library ones from what they are, hand-written ones from their JSON. */
export function pdbsOf(ctx: GuardrailContext): { library: Set<ApiObject>; handWritten: Pdb[] } {
  const library = new Set<ApiObject>();
  const handWritten: Pdb[] = [];
  for (const o of ctx.ofKind('PodDisruptionBudget', 'policy')) {
    ctx.steps++;
    const scope = o.node.scope as any;
    if (scope && scope.podDisruptionBudget === o) {
      library.add(o);
      continue;
    }
    const spec = ctx.json(o).spec ?? {};
    handWritten.push({
      object: o,
      subject: subjectOf(o),
      name: o.name,
      namespace: o.metadata.namespace ?? '',
      library: false,
      selector: spec.selector,
      minAvailable: spec.minAvailable,
      maxUnavailable: spec.maxUnavailable,
    });
  }
  return { library, handWritten };
}

/** `n%` as a number, or undefined when the value is not a percentage. */
function percent(v: number | string | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * How many of `n` healthy pods the PDB lets an eviction take, as Kubernetes' disruption controller computes it
 * (getExpectedPodCount: percentages scaled with rounding up, for minAvailable and maxUnavailable alike).
 * Also whether Karpenter counts it fully blocking (pkg/utils/pdb: maxUnavailable 0 or "0%", minAvailable "100%").
 */
export function disruptionsAllowed(pdb: Pdb, n: number): { allowed: number; desiredHealthy: number; fullyBlocking: boolean } {
  const fullyBlocking = pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%' || pdb.minAvailable === '100%';
  let desiredHealthy: number;
  if (pdb.maxUnavailable !== undefined && pdb.maxUnavailable !== null) {
    const p = percent(pdb.maxUnavailable);
    const maxUnavailable = p !== undefined ? Math.ceil((p * n) / 100) : Number(pdb.maxUnavailable);
    desiredHealthy = Math.max(0, n - maxUnavailable);
  } else if (pdb.minAvailable !== undefined && pdb.minAvailable !== null) {
    const p = percent(pdb.minAvailable);
    desiredHealthy = p !== undefined ? Math.ceil((p * n) / 100) : Number(pdb.minAvailable);
  } else {
    // Neither set: getExpectedPodCount leaves desiredHealthy at 0, so every pod may go.
    desiredHealthy = 0;
  }
  return { allowed: Math.max(0, n - desiredHealthy), desiredHealthy, fullyBlocking };
}

/** `minAvailable: 2`, `maxUnavailable: "0%"`. */
export function describePdb(pdb: Pdb): string {
  const v = pdb.maxUnavailable ?? pdb.minAvailable;
  const field = pdb.maxUnavailable !== undefined && pdb.maxUnavailable !== null ? 'maxUnavailable' : 'minAvailable';
  return `${field}: ${typeof v === 'string' ? JSON.stringify(v) : v}`;
}

/**
 * Whether a pod spec keeps the workload's pods on separate nodes: a required pod anti-affinity on
 * kubernetes.io/hostname that selects the pod itself, or a `DoNotSchedule` topology spread on kubernetes.io/hostname
 * that selects it with `minDomains` >= 2 and `maxSkew` below `n` (without minDomains, kube-scheduler's global minimum is
 * that of the nodes that exist, so on one eligible node every pod lands there).
 */
export function separatesNodes(spec: any, labels: () => Record<string, string>, n: number): boolean {
  const own = (s: LabelSelector | undefined) => s !== undefined && selects(s, labels());
  for (const term of spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (term.topologyKey === LABEL_HOSTNAME && own(term.labelSelector)) return true;
  }
  for (const c of spec?.topologySpreadConstraints ?? []) {
    if (c.topologyKey === LABEL_HOSTNAME && c.whenUnsatisfiable === 'DoNotSchedule' && own(c.labelSelector) &&
      (c.minDomains ?? 1) >= 2 && (c.maxSkew ?? 1) < n) return true;
  }
  return false;
}

/** The most pods of `requests` that one node of a pool's instance types holds (allocatable less the DaemonSets). */
export function podsPerNode(pools: PoolModel[], requests: Amounts, daemonSets: Amounts): { pods: number; type?: PoolInstanceType; pool?: PoolModel } {
  let best: { pods: number; type?: PoolInstanceType; pool?: PoolModel } = { pods: 0 };
  for (const pool of pools) {
    for (const t of pool.types ?? []) {
      const u = usableOf(t.allocatable, daemonSets);
      const per = (have: number, need: number) => (need > 0 ? Math.floor(have / need) : Number.MAX_SAFE_INTEGER);
      const pods = Math.min(per(u.gpus, requests.gpus), per(u.cpuMillis, requests.cpuMillis), per(u.memoryMib, requests.memoryMib));
      if (pods > best.pods) best = { pods, type: t, pool };
    }
  }
  return best;
}

/** A pool's terminationGracePeriod as its NodePool object writes it; undefined when none or the object is not in the app. */
export function terminationGracePeriodOf(ctx: GuardrailContext, pool: PoolModel): string | undefined {
  for (const o of ctx.ofKind('NodePool', 'karpenter.sh')) {
    if (o.name !== pool.name) continue;
    return ctx.json(o).spec?.template?.spec?.terminationGracePeriod;
  }
  return undefined;
}

/** The app's long-running workloads and the PDBs on their pods, computed once per pass for the disruption rules. */
export interface DisruptionView {
  readonly workloads: DisruptionWorkload[];
  readonly handWrittenPdbs: Pdb[];
  /** The workloads each hand-written PDB selects (same namespace, selector matches the pod template's labels). */
  readonly selectedBy: Map<Pdb, DisruptionWorkload[]>;
  /** The PDBs on each workload's pods: the library's first, then hand-written ones in tree order. */
  readonly pdbsOf: Map<DisruptionWorkload, Pdb[]>;
}

export function disruptionView(ctx: GuardrailContext): DisruptionView {
  const { handWritten } = pdbsOf(ctx);
  // Plain hand-written Deployments matter to a hand-written PDB, or to replicas-on-one-node where a pool's types are known.
  const workloads = disruptionWorkloads(ctx, handWritten.length > 0 || ctx.pools.some(p => (p.types ?? []).length > 0));
  const selectedBy = new Map<Pdb, DisruptionWorkload[]>();
  const pdbs = new Map<DisruptionWorkload, Pdb[]>();
  for (const w of workloads) {
    if (w.libraryPdb) {
      const o = w.libraryPdb;
      pdbs.set(w, [{ object: o, subject: o.node.scope!, name: o.name, namespace: w.namespace, library: true, maxUnavailable: 1 }]);
    }
  }
  for (const pdb of handWritten) {
    const selected: DisruptionWorkload[] = [];
    for (const w of workloads) {
      ctx.steps++;
      if (w.namespace !== pdb.namespace || !selects(pdb.selector, w.podLabels())) continue;
      selected.push(w);
      pdbs.set(w, [...(pdbs.get(w) ?? []), pdb]);
    }
    selectedBy.set(pdb, selected);
  }
  return { workloads, handWrittenPdbs: handWritten, selectedBy, pdbsOf: pdbs };
}
