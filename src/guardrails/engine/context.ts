/**
 * The app as the guardrail rules read it, built in one pass over the construct tree: the synthesized objects by
 * kind, the workloads with their footprints, the autoscalers and what they scale, and the node pools in Karpenter's
 * order. Library constructs are read from the typed models they recorded when they were built; an object is turned
 * into JSON only when no library construct accounts for it, or for a fact no typed model carries, and then once per
 * pass. Each rule module reads this and adds findings.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Amounts } from './amounts';
import { PoolOverhead, poolOverheads, readDaemonSet } from './daemon-sets';
import { Footprint, fromWorkloadFootprint, readHandWrittenFootprint, workloadTemplateOf } from './footprint';
import { JsonCache } from './json-cache';
import { keyOf, objectKey, SCALABLE_KINDS, subjectOf } from './objects';
import { HorizontalOwner, horizontalOwners, isLibraryVpa, LibraryVpa, LibraryWorkload, VerticalOwner, verticalOwners } from './owners';
import { karpenterOrder, NO_DAEMON_SETS, PodNeeds, podFits, PoolModel, poolFromDeclaration, poolFromNodePoolJson } from './pools';
import { RuleId, RULES } from './rule-ids';
import { SUPPRESSION_METADATA } from './suppression';
import type { CostAwareNodePool } from '../../constructs/cost-aware-node-pool';
import { NodePoolDeclaration } from '../../values/node-pool-declaration';
import { WorkloadFootprints } from '../../values/workload-footprint';

/** One workload at its maximum: what it runs and the construct findings about it name. */
export interface Workload {
  readonly subject: IConstruct;
  readonly footprint: Footprint;
  /** `Deployment 'chat'`, `RayCluster 'train' worker group 'gpu'`. */
  readonly label: string;
}

/** A finding before suppressions are applied. */
export interface Finding {
  readonly rule: RuleId;
  readonly subject: IConstruct;
  /** The text after `[path] rule: `. */
  readonly text: string;
}

/** Where a workload's pods may land: the pools in Karpenter's order, and why each other pool refuses them. */
export interface Eligibility {
  readonly pools: PoolModel[];
  readonly refusals: [PoolModel, string][];
}

export class GuardrailContext {
  /** Every ApiObject below the scope, by kind. */
  public readonly byKind = new Map<string, ApiObject[]>();
  /** Objects by namespace/kind/name (no JSON needed). */
  public readonly byKey = new Map<string, ApiObject>();
  public readonly workloads: Workload[] = [];
  /** The workloads by target (namespace/kind/name), for single-part targets (no `component`). */
  public readonly workloadByTarget = new Map<string, Workload>();
  /** Every HPA, then every ScaledObject, in tree order. */
  public readonly horizontalOwners: HorizontalOwner[];
  /** The HPAs and ScaledObjects by the key of what they scale, each list in the order above. */
  public readonly ownersByTarget = new Map<string, HorizontalOwner[]>();
  /** Every VerticalPodAutoscaler, in tree order. */
  public readonly verticalOwners: VerticalOwner[];
  /** Node pools, in the order Karpenter tries them. */
  public readonly pools: PoolModel[] = [];
  /** Every suppression declared at or below the scope: construct and rule. */
  public readonly suppressions: { at: IConstruct; rule: string }[] = [];
  public readonly findings: Finding[] = [];
  /** Units of work done, for the test that the checks grow linearly. */
  public steps = 0;

  /** Each pool's per-node DaemonSet overhead: `daemonSetOverhead` plus the app's DaemonSets that run on it. */
  public readonly overheads: Map<PoolModel, PoolOverhead>;

  private readonly cache = new JsonCache();
  private readonly eligibilityBySignature = new Map<string, Eligibility>();

  /**
   * @param daemonSets what the DaemonSets outside the app take on every node (the app's own are added per pool)
   */
  public constructor(public readonly scope: IConstruct, public readonly guardrails: IConstruct, declared: NodePoolDeclaration[],
    public readonly daemonSets: Amounts = NO_DAEMON_SETS) {
    const appPools: CostAwareNodePool[] = [];
    const libraryVpas = new Map<ApiObject, LibraryVpa>();
    for (const c of scope.node.findAll()) {
      this.steps++;
      if (c instanceof ApiObject) {
        this.push(c);
      } else if (isCostAwareNodePool(c)) {
        appPools.push(c);
      } else if (isLibraryVpa(c)) {
        libraryVpas.set(c.vpa, c);
      }
      for (const m of c.node.metadata) {
        if (m.type === SUPPRESSION_METADATA) this.suppressions.push({ at: c, rule: m.data.rule });
      }
    }
    this.collectPools(appPools, declared);
    this.overheads = poolOverheads(this.pools, daemonSets, this.ofKind('DaemonSet', 'apps').map(o => readDaemonSet(o, this.json(o))));
    const library = this.collectLibraryWorkloads();
    const json = (o: ApiObject) => this.json(o);
    this.horizontalOwners = horizontalOwners(this.ofKind('HorizontalPodAutoscaler', 'autoscaling'), this.ofKind('ScaledObject', 'keda.sh'),
      library, json);
    for (const o of this.horizontalOwners) {
      this.steps++;
      const list = this.ownersByTarget.get(o.targetKey);
      if (list) list.push(o);
      else this.ownersByTarget.set(o.targetKey, [o]);
    }
    this.verticalOwners = verticalOwners(this.ofKind('VerticalPodAutoscaler', 'autoscaling.k8s.io'), libraryVpas, json);
    this.collectHandWrittenWorkloads();
  }

  /** Objects of a kind, optionally only of an API group (`apiVersion` starting with `group/`). */
  public ofKind(kind: string, group?: string): ApiObject[] {
    const all = this.byKind.get(kind) ?? [];
    return group === undefined ? all : all.filter(o => o.apiVersion.startsWith(`${group}/`));
  }

  /** The object's synthesized JSON (once per pass): for objects no library construct describes, and facts no typed model carries. */
  public json(o: ApiObject): any {
    this.steps++;
    return this.cache.of(o);
  }

  /** How many objects this pass turned into JSON. */
  public get objectsRead(): number {
    return this.cache.size;
  }

  public add(rule: RuleId, subject: IConstruct, text: string): void {
    this.findings.push({ rule, subject, text });
  }

  /** The pools a workload's pods can land on; workloads with the same pods share the answer. */
  public eligibility(pod: PodNeeds): Eligibility {
    const signature = JSON.stringify([pod.tolerations, pod.nodeSelector, pod.requests]);
    let e = this.eligibilityBySignature.get(signature);
    if (!e) {
      const pools: PoolModel[] = [];
      const refusals: [PoolModel, string][] = [];
      for (const pool of this.pools) {
        this.steps++;
        const overhead = this.overheads.get(pool)!;
        const refusal = podFits(pool, pod, overhead.amounts, overhead.sources);
        if (refusal === undefined) pools.push(pool);
        else refusals.push([pool, refusal]);
      }
      e = { pools, refusals };
      this.eligibilityBySignature.set(signature, e);
    }
    return e;
  }

  private push(o: ApiObject): void {
    const list = this.byKind.get(o.kind);
    if (list) list.push(o);
    else this.byKind.set(o.kind, [o]);
    this.byKey.set(keyOf(o), o);
  }

  private collectPools(appPools: CostAwareNodePool[], declared: NodePoolDeclaration[]): void {
    const owned = new Set<ApiObject>();
    for (const p of appPools) {
      p.nodePools.forEach(o => owned.add(o));
      for (const d of p.nodePoolDeclarations) this.pools.push(poolFromDeclaration(d, p, 'construct'));
    }
    for (const o of this.ofKind('NodePool', 'karpenter.sh')) {
      if (!owned.has(o)) this.pools.push(poolFromNodePoolJson(this.json(o), subjectOf(o)));
    }
    const inApp = new Map(this.pools.map(p => [p.name, p]));
    declared.forEach((d, i) => {
      const same = inApp.get(d.name);
      if (same) {
        this.add(RULES.POOL_CAPACITY, this.guardrails, `'nodePools[${i}].name' ("${d.name}") is also the name of the NodePool at ` +
          `'${same.subject.node.path}', so its capacity would count twice: declare only pools that live outside the app`);
        return;
      }
      this.pools.push(poolFromDeclaration(d, this.guardrails, 'declared'));
    });
    this.pools.sort(karpenterOrder);
  }

  /** The footprints the library's constructs recorded, converted to the engine's numbers once. */
  private collectLibraryWorkloads(): LibraryWorkload[] {
    const out: LibraryWorkload[] = [];
    for (const { construct, footprint } of WorkloadFootprints._entries(this.scope)) {
      this.steps++;
      const f = fromWorkloadFootprint(footprint);
      this.addWorkload({ subject: construct, footprint: f, label: labelOf(f) });
      out.push({ construct, footprint: f });
    }
    return out;
  }

  /**
   * Every workload a hand-written HPA or ScaledObject in the app scales (and every hand-written ScaledJob) that no
   * library construct reports, read from the objects.
   */
  private collectHandWrittenWorkloads(): void {
    const covered = new Set(this.workloads.map(w => objectKey(w.footprint.target.namespace, w.footprint.target.kind, w.footprint.target.name)));
    for (const owner of this.horizontalOwners) {
      if (owner.library) continue;
      const target = this.byKey.get(owner.targetKey);
      if (covered.has(owner.targetKey) || !target || !SCALABLE_KINDS.has(target.kind)) continue;
      covered.add(owner.targetKey);
      const spec = this.json(owner.object).spec ?? {};
      const hpa = owner.kind === 'HorizontalPodAutoscaler';
      // KEDA's defaults: minReplicaCount 0, maxReplicaCount 100; an HPA without maxReplicas is invalid and counts nothing.
      const footprint = readHandWrittenFootprint(this.json(target), workloadTemplateOf, hpa ? spec.minReplicas ?? 1 : spec.minReplicaCount ?? 0,
        hpa ? spec.maxReplicas ?? 0 : spec.maxReplicaCount ?? 100, { kind: owner.kind, name: owner.name });
      this.addWorkload({ subject: subjectOf(target), footprint, label: labelOf(footprint) });
    }
    for (const scaledJob of this.ofKind('ScaledJob', 'keda.sh')) {
      const key = keyOf(scaledJob);
      if (covered.has(key)) continue;
      covered.add(key);
      const json = this.json(scaledJob);
      const max = (json.spec?.maxReplicaCount ?? 100) * (json.spec?.jobTargetRef?.parallelism ?? 1);
      const footprint = readHandWrittenFootprint(json, j => j.spec?.jobTargetRef?.template, 0, max, { kind: 'ScaledJob', name: json.metadata?.name });
      this.addWorkload({ subject: subjectOf(scaledJob), footprint, label: labelOf(footprint) });
    }
    for (const rayService of this.ofKind('RayService', 'ray.io')) {
      const key = keyOf(rayService);
      if (covered.has(key)) continue;
      covered.add(key);
      for (const footprint of rayServiceFootprints(this.json(rayService))) {
        this.addWorkload({ subject: subjectOf(rayService), footprint, label: labelOf(footprint) });
      }
    }
  }

  private addWorkload(w: Workload): void {
    this.workloads.push(w);
    const t = w.footprint.target;
    const key = objectKey(t.namespace, t.kind, t.name);
    if (w.footprint.component === undefined && !this.workloadByTarget.has(key)) this.workloadByTarget.set(key, w);
  }
}

/** KubeRay's autoscaler sidecar when `autoscalerOptions.resources` is not set (ray-operator/controllers/ray/common/pod.go:L985-L997 at v1.7.0). */
const KUBERAY_AUTOSCALER_DEFAULT = { limits: { cpu: '500m', memory: '512Mi' } };
/** The CRD's default `maxReplicas` of a worker group (ray.io_rayservices.yaml at v1.7.0). */
const KUBERAY_DEFAULT_MAX_REPLICAS = 2147483647;

/**
 * A hand-written RayService's pods at their maxima: the head (with KubeRay's autoscaler sidecar under in-tree
 * autoscaling), and each worker group from minReplicas to maxReplicas (autoscaled) or at its replica count (clamped to
 * the bounds, as KubeRay does), times `numOfHosts`. An upgrade runs a second cluster until traffic moves: with
 * `NewCluster` (KubeRay's default type) at its minimum, incrementally at `maxSurgePercent` of the maximum; `None` none.
 */
function rayServiceFootprints(json: any): Footprint[] {
  const cluster = json.spec?.rayClusterConfig ?? {};
  const owner = { kind: 'RayService', name: json.metadata?.name };
  const autoscaling = cluster.enableInTreeAutoscaling === true;
  const upgrade = json.spec?.upgradeStrategy ?? {};
  const type = upgrade.type ?? 'NewCluster';
  const surgePercent = type === 'NewClusterWithIncrementalUpgrade' ? upgrade.clusterUpgradeOptions?.maxSurgePercent ?? 100 : undefined;
  const headTemplate = cluster.headGroupSpec?.template ?? {};
  const headPod = !autoscaling ? headTemplate : {
    ...headTemplate,
    spec: {
      ...headTemplate.spec,
      containers: [...headTemplate.spec?.containers ?? [], { name: 'autoscaler', resources: cluster.autoscalerOptions?.resources ?? KUBERAY_AUTOSCALER_DEFAULT }],
    },
  };
  const head = readHandWrittenFootprint(json, () => headPod, 1, 1, owner);
  const out: Footprint[] = [{ ...head, component: 'head', surgeReplicas: type === 'None' ? 0 : 1, fixedReplicas: undefined }];
  for (const g of cluster.workerGroupSpecs ?? []) {
    const hosts = Number.isInteger(g?.numOfHosts) && g.numOfHosts > 0 ? g.numOfHosts : 1;
    const lo = Number.isInteger(g?.minReplicas) ? g.minReplicas : 0;
    const hi = Number.isInteger(g?.maxReplicas) ? g.maxReplicas : KUBERAY_DEFAULT_MAX_REPLICAS;
    const fixed = Math.min(Math.max(Number.isInteger(g?.replicas) ? g.replicas : lo, lo), hi);
    const [min, max] = autoscaling ? [lo, hi] : [fixed, fixed];
    const surge = type === 'None' ? 0 : surgePercent === undefined ? min : Math.ceil(max * surgePercent / 100);
    const f = readHandWrittenFootprint(json, () => g?.template, min * hosts, max * hosts, owner);
    out.push({ ...f, component: String(g?.groupName), surgeReplicas: surge * hosts, fixedReplicas: undefined });
  }
  return out;
}

/** By shape rather than class, so pools built with another copy of the library (an app on the compiled lib) count too. */
function isCostAwareNodePool(c: IConstruct): c is CostAwareNodePool {
  const p = c as any;
  return Array.isArray(p.nodePools) && Array.isArray(p.limits) && typeof p.hasGpus === 'boolean' && 'nodePoolDeclarations' in p;
}

/** How a workload is named in lists: its construct path, and the part for multi-part workloads (`train[gpu]`). */
export function workloadName(w: Workload): string {
  const c = w.footprint.component;
  return `${w.subject.node.path}${c === undefined ? '' : `[${c}]`}`;
}

function labelOf(f: Footprint): string {
  // A workload of groups is counted in pods: its label says so.
  const base = `${f.target.kind} '${f.target.name}'${f.groupSize > 1 ? ` (counted in pods, ${f.groupSize} per group)` : ''}`;
  if (f.component === undefined) return base;
  return f.component === 'head' ? `${base} head` : `${base} worker group '${f.component}'`;
}
