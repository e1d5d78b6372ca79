/**
 * What each node pool's nodes give to DaemonSets before any workload pod lands: the `daemonSetOverhead` the user
 * lists (DaemonSets outside the app) plus the requests of every apps/v1 DaemonSet of the app whose pods would run on
 * the pool's nodes (they tolerate its taints and its launch-time labels satisfy their nodeSelector and required node
 * affinity). Read once per pass, from the DaemonSets' JSON (hand-written or cdk8s-plus: the library builds none).
 */
import { ApiObject } from 'cdk8s';
import { Amounts } from './amounts';
import { formatResources } from './format';
import { subjectOf } from './objects';
import { placementRefusal, PoolModel } from './pools';
import { allows, Requirement } from './requirements';
import { normalizeLabel, WELL_KNOWN_LABELS } from '../../common/karpenter-labels';
import { parseQuantity } from '../../common/quantity';
import { GpuRequest } from '../../values/gpu-request';

/** One DaemonSet of the app as the pools see it. */
export interface AppDaemonSet {
  /** `DaemonSet 'dcgm-exporter' (monitoring/dcgm)`. */
  readonly label: string;
  /** The pod's effective requests (Kubernetes' rule with init containers). */
  readonly requests: Amounts;
  readonly tolerations: any[];
  readonly nodeSelector: { [key: string]: string };
  /** `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`: any one term, every expression of it. */
  readonly nodeSelectorTerms?: { key: string; operator: string; values?: string[] }[][];
}

/** Per-node overhead of one pool: the amounts, and what they come from (for findings). */
export interface PoolOverhead {
  readonly amounts: Amounts;
  readonly sources: string[];
}

/** A DaemonSet's JSON as the pools see it. */
export function readDaemonSet(o: ApiObject, json: any): AppDaemonSet {
  const pod = json?.spec?.template?.spec ?? {};
  const affinity = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = Array.isArray(affinity?.nodeSelectorTerms)
    ? affinity.nodeSelectorTerms.map((t: any) => (Array.isArray(t?.matchExpressions) ? t.matchExpressions : []))
    : undefined;
  return {
    label: `DaemonSet '${json?.metadata?.name ?? o.name}' (${subjectOf(o).node.path})`,
    requests: effectiveRequests(pod),
    tolerations: Array.isArray(pod.tolerations) ? pod.tolerations : [],
    nodeSelector: pod.nodeSelector !== null && typeof pod.nodeSelector === 'object' ? pod.nodeSelector : {},
    ...(terms !== undefined ? { nodeSelectorTerms: terms } : {}),
  };
}

/**
 * Kubernetes' effective pod request (kubernetes/kubernetes v1.28+, staging/src/k8s.io/component-helpers/resource
 * `PodRequests`; the API server defaults each missing request to its limit): per resource, the larger of the sum of
 * the containers plus the restartable (sidecar) init containers, and each regular init container plus the sidecars
 * started before it.
 */
export function effectiveRequests(pod: any): Amounts {
  const of = (c: any): Amounts => {
    const r = { ...c?.resources?.limits, ...c?.resources?.requests };
    const q = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) ?? 0 : 0);
    return { cpuMillis: Math.round(q(r.cpu) * 1000), memoryMib: Math.round(q(r.memory) / 2 ** 20), gpus: q(r[GpuRequest.RESOURCE_NAME]) };
  };
  const add = (a: Amounts, b: Amounts): Amounts => ({
    cpuMillis: a.cpuMillis + b.cpuMillis, memoryMib: a.memoryMib + b.memoryMib, gpus: a.gpus + b.gpus,
  });
  const max = (a: Amounts, b: Amounts): Amounts => ({
    cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryMib: Math.max(a.memoryMib, b.memoryMib), gpus: Math.max(a.gpus, b.gpus),
  });
  const zero: Amounts = { cpuMillis: 0, memoryMib: 0, gpus: 0 };
  let containers = zero;
  for (const c of Array.isArray(pod?.containers) ? pod.containers : []) containers = add(containers, of(c));
  let sidecars = zero;
  let init = zero;
  for (const c of Array.isArray(pod?.initContainers) ? pod.initContainers : []) {
    if (c?.restartPolicy === 'Always') {
      sidecars = add(sidecars, of(c));
      init = max(init, sidecars);
    } else {
      init = max(init, add(of(c), sidecars));
    }
  }
  return max(add(containers, sidecars), init);
}

/** Whether the DaemonSet's pods would run on the pool's nodes: its tolerations, nodeSelector and required node affinity. */
export function runsOn(pool: PoolModel, ds: AppDaemonSet): boolean {
  if (placementRefusal(pool, { tolerations: ds.tolerations, nodeSelector: ds.nodeSelector, requests: ds.requests }) !== undefined) return false;
  if (ds.nodeSelectorTerms === undefined) return true;
  // nodeSelectorTerms are ORed; an empty list matches no node.
  return ds.nodeSelectorTerms.some(term => term.every(e => expressionMayHold(pool, e)));
}

/** Whether a node of the pool may satisfy one match expression, as Karpenter's requirements allow. */
function expressionMayHold(pool: PoolModel, e: { key: string; operator: string; values?: string[] }): boolean {
  const key = normalizeLabel(String(e?.key ?? ''));
  const values = Array.isArray(e?.values) ? e.values.map(String) : [];
  const rs: Requirement[] | undefined = pool.requirements.get(key);
  const open = WELL_KNOWN_LABELS.has(key);
  switch (e?.operator) {
    case 'In':
      if (rs) return values.some(v => rs.every(r => allows(r, v)));
      return open;
    case 'NotIn':
      // Refused only when every value the pool allows is excluded.
      return !rs || !rs.some(r => r.operator === 'In' && r.values.every(v => values.includes(v)));
    case 'Exists':
      return rs ? !rs.some(r => r.operator === 'DoesNotExist') : open;
    case 'DoesNotExist':
      return !rs || !rs.some(r => r.operator === 'In' || r.operator === 'Exists');
    case 'Gt':
    case 'Lt':
      if (!rs) return open;
      return true;
    default:
      return false;
  }
}

/**
 * Each pool's per-node overhead: `declared` (the user's `daemonSetOverhead`) plus every DaemonSet of the app that
 * runs on it.
 */
export function poolOverheads(pools: PoolModel[], declared: Amounts, daemonSets: AppDaemonSet[]): Map<PoolModel, PoolOverhead> {
  const out = new Map<PoolModel, PoolOverhead>();
  const declaredAny = declared.cpuMillis > 0 || declared.memoryMib > 0 || declared.gpus > 0;
  for (const pool of pools) {
    let amounts = declared;
    const sources = declaredAny ? [`daemonSetOverhead ${formatResources(declared)}`] : [];
    for (const ds of daemonSets) {
      if (!runsOn(pool, ds)) continue;
      amounts = {
        cpuMillis: amounts.cpuMillis + ds.requests.cpuMillis,
        memoryMib: amounts.memoryMib + ds.requests.memoryMib,
        gpus: amounts.gpus + ds.requests.gpus,
      };
      sources.push(`${ds.label} ${formatResources(ds.requests)}`);
    }
    // Named only when the app's DaemonSets add to it (the declared figure alone reads as before).
    out.set(pool, { amounts, sources: sources.length > (declaredAny ? 1 : 0) ? sources : [] });
  }
  return out;
}
