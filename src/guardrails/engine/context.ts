/**
 * The app as the guardrail rules read it, built in one pass over the construct tree: the synthesized objects
 * by kind (turned into JSON only when a rule asks, once per pass), the workloads with their footprints, and
 * the node pools in Karpenter's order. Each rule module reads this and adds findings.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { amountsOf } from './amounts';
import { karpenterOrder, PodNeeds, podFits, PoolModel, poolFromDeclaration, poolFromNodePoolJson } from './pools';
import { RuleId, RULES } from './rule-ids';
import { SUPPRESSION_METADATA } from './suppression';
import type { CostAwareNodePool } from '../../constructs/cost-aware-node-pool';
import { jsonOf, readFootprint } from '../../constructs/internal/footprint';
import { NodePoolDeclaration } from '../../values/node-pool-declaration';
import { WorkloadFootprint, WorkloadFootprints } from '../../values/workload-footprint';

/** One workload at its maximum: what it runs and the construct findings about it name. */
export interface Workload {
  readonly subject: IConstruct;
  readonly footprint: WorkloadFootprint;
  /** What each pod asks of a node, in the engine's numbers. */
  readonly needs: PodNeeds;
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

/** Kinds of workload a horizontal autoscaler scales and whose replicas the ownership rule reads. */
export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** Key of an object by namespace, kind and name: how autoscalers refer to their targets. */
export function objectKey(namespace: string | undefined, kind: string, name: string): string {
  return `${namespace ?? ''}/${kind}/${name}`;
}

/** The construct a finding about an object names: the construct it is the `Resource` of, else the object itself. */
export function subjectOf(o: ApiObject): IConstruct {
  const scope = o.node.scope;
  return o.node.id === 'Resource' && scope && !Chart.isChart(scope) && scope.node.scope ? scope : o;
}

export class GuardrailContext {
  /** Every ApiObject below the scope, by kind. */
  public readonly byKind = new Map<string, ApiObject[]>();
  /** Objects by namespace/kind/name (no JSON needed). */
  public readonly byKey = new Map<string, ApiObject>();
  public readonly workloads: Workload[] = [];
  /** Node pools, in the order Karpenter tries them. */
  public readonly pools: PoolModel[] = [];
  /** Every suppression declared at or below the scope: construct and rule. */
  public readonly suppressions: { at: IConstruct; rule: string }[] = [];
  public readonly findings: Finding[] = [];
  /** Units of work done, for the test that the checks grow linearly. */
  public steps = 0;

  private readonly eligibilityBySignature = new Map<string, Eligibility>();

  public constructor(public readonly scope: IConstruct, public readonly guardrails: IConstruct, declared: NodePoolDeclaration[]) {
    const appPools: CostAwareNodePool[] = [];
    for (const c of scope.node.findAll()) {
      this.steps++;
      if (c instanceof ApiObject) {
        this.push(c);
      } else if (isCostAwareNodePool(c)) {
        appPools.push(c);
      }
      for (const m of c.node.metadata) {
        if (m.type === SUPPRESSION_METADATA) this.suppressions.push({ at: c, rule: m.data.rule });
      }
    }
    this.collectPools(appPools, declared);
    this.collectWorkloads();
  }

  /** Objects of a kind, optionally only of an API group (`apiVersion` starting with `group/`). */
  public ofKind(kind: string, group?: string): ApiObject[] {
    const all = this.byKind.get(kind) ?? [];
    return group === undefined ? all : all.filter(o => o.apiVersion.startsWith(`${group}/`));
  }

  /** The object's synthesized JSON (once per pass). */
  public json(o: ApiObject): any {
    this.steps++;
    return jsonOf(o);
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
        const refusal = podFits(pool, pod);
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
    this.byKey.set(objectKey(o.metadata.namespace, o.kind, o.name), o);
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

  /**
   * The footprints of the library's constructs, plus every workload a hand-written HPA or ScaledObject in the
   * app scales (and every hand-written ScaledJob), read from the objects.
   */
  private collectWorkloads(): void {
    const covered = new Set<string>();
    for (const { construct, footprint } of WorkloadFootprints._entries(this.scope)) {
      this.steps++;
      const t = footprint.target;
      covered.add(objectKey(t.namespace, t.kind, t.name));
      this.workloads.push(workload(construct, footprint));
    }
    const handWritten = (target: ApiObject, min: number, max: number, owner: { kind: string; name: string }) => {
      const footprint = readFootprint(target, json => json.spec?.template, min, max, owner);
      this.workloads.push(workload(subjectOf(target), footprint));
    };
    for (const [kind, group] of [['HorizontalPodAutoscaler', 'autoscaling'], ['ScaledObject', 'keda.sh']]) {
      for (const scaler of this.ofKind(kind, group)) {
        const json = this.json(scaler);
        const ref = json.spec?.scaleTargetRef ?? {};
        const key = objectKey(json.metadata?.namespace, ref.kind ?? 'Deployment', ref.name);
        const target = this.byKey.get(key);
        if (covered.has(key) || !target || !SCALABLE_KINDS.has(target.kind)) continue;
        covered.add(key);
        const hpa = kind === 'HorizontalPodAutoscaler';
        // KEDA's defaults: minReplicaCount 0, maxReplicaCount 100; an HPA without maxReplicas is invalid and counts nothing.
        handWritten(target, hpa ? json.spec.minReplicas ?? 1 : json.spec.minReplicaCount ?? 0,
          hpa ? json.spec.maxReplicas ?? 0 : json.spec.maxReplicaCount ?? 100, { kind, name: json.metadata?.name });
      }
    }
    for (const scaledJob of this.ofKind('ScaledJob', 'keda.sh')) {
      const json = this.json(scaledJob);
      const key = objectKey(json.metadata?.namespace, 'ScaledJob', json.metadata?.name);
      if (covered.has(key)) continue;
      covered.add(key);
      const max = (json.spec?.maxReplicaCount ?? 100) * (json.spec?.jobTargetRef?.parallelism ?? 1);
      const footprint = readFootprint(scaledJob, j => j.spec?.jobTargetRef?.template, 0, max, { kind: 'ScaledJob', name: json.metadata?.name });
      this.workloads.push(workload(subjectOf(scaledJob), footprint));
    }
  }
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

function workload(subject: IConstruct, footprint: WorkloadFootprint): Workload {
  const needs = { tolerations: footprint.tolerations, nodeSelector: footprint.nodeSelector, requests: amountsOf(footprint.requests) };
  return { subject, footprint, needs, label: labelOf(footprint) };
}

function labelOf(f: WorkloadFootprint): string {
  const base = `${f.target.kind} '${f.target.name}'`;
  if (f.component === undefined) return base;
  return f.component === 'head' ? `${base} head` : `${base} worker group '${f.component}'`;
}
