/**
 * kueue-quota (issue 17, Kueue): what Kueue v0.19.2 (kubernetes-sigs/kueue) would never admit, or admit onto nodes no
 * pool launches. Only for apps with Kueue objects (LocalQueue, ClusterQueue or ResourceFlavor); RULES.md has the
 * formulas.
 * - A queued workload whose maximum (every pod of it: a Job's parallelism, each KEDA-started Job's pods, a RayCluster's
 *   head and workers at their maxReplicas) asks more of a resource than its ClusterQueue can ever hold, nominal plus
 *   borrowable (min(borrowingLimit, what the cohort's other queues lend)): Kueue admits a workload whole, so it stays
 *   suspended and its pods pending (an elastic RayCluster: the scale-ups above the cap).
 * - A queued workload that requests a resource its ClusterQueue does not cover ("resource ... unavailable in
 *   ClusterQueue", pkg/scheduler/flavorassigner/flavorassigner.go).
 * - A queue label that names no LocalQueue of the app in the workload's namespace.
 * - A ResourceFlavor whose nodeLabels no pool can carry (Kueue puts them in the admitted pods' nodeSelector), and a
 *   ClusterQueue with a resource group whose flavors are all such flavors.
 * The ClusterQueue's caps come from the quota reader reachable-replicas uses (engine/quotas.ts).
 */
import { GuardrailContext, Workload } from '../engine/context';
import { inNamespace, objectKey, subjectOf } from '../engine/objects';
import { placementRefusal } from '../engine/pools';
import { ClusterQueueModel, kueueUsage, podViewOf, QUEUE_NAME_LABEL, readKueue, shown, Usage } from '../engine/quotas';
import { RULES } from '../engine/rule-ids';

const KUEUE_GROUP = 'kueue.x-k8s.io';
/** Tolerates every taint: a flavor is checked against a pool's labels only. */
const TOLERATE_ALL = [{ key: '', operator: 'Exists', effect: '' }];

/** The workloads of one queued object (a RayCluster's head and worker groups are one Kueue workload). */
interface Queued {
  readonly queue: string;
  readonly namespace: string;
  readonly label: string;
  readonly subject: Workload['subject'];
  /** Per resource, what the workload asks of its queue at its maximum. */
  readonly total: Map<string, number>;
  /** An elastic RayCluster (`kueue.x-k8s.io/elastic-job`): admitted in slices, not whole. */
  readonly elastic: boolean;
  /** How the total is made: `8 pods x 1` per part. */
  readonly parts: { what: string; pods: number; usage: Usage }[];
}

export function checkKueueQuota(ctx: GuardrailContext): void {
  const localQueueObjects = ctx.ofKind('LocalQueue', KUEUE_GROUP);
  const clusterQueueObjects = ctx.ofKind('ClusterQueue', KUEUE_GROUP);
  const flavorObjects = ctx.ofKind('ResourceFlavor', KUEUE_GROUP);
  if (localQueueObjects.length === 0 && clusterQueueObjects.length === 0 && flavorObjects.length === 0) return;
  const missing = flavorsWithoutPool(ctx, flavorObjects);
  reportFlavors(ctx, flavorObjects, missing);
  if (localQueueObjects.length === 0) return;
  const kueue = readKueue(ctx);
  const localQueues = new Map(localQueueObjects.map(o => [`${o.metadata.namespace ?? ''}/${o.name}`, ctx.json(o).spec?.clusterQueue as string]));

  const queued = new Map<string, Queued>();
  for (const w of ctx.workloads) {
    ctx.steps++;
    const view = podViewOf(ctx, w);
    const queue = view.labels[QUEUE_NAME_LABEL];
    if (queue === undefined) continue;
    const t = w.footprint.target;
    const namespace = t.namespace ?? '';
    const key = `${namespace}/${t.kind}/${t.name}`;
    const usage = kueueUsage(view);
    const pods = podsPerAdmission(ctx, w);
    const q = queued.get(key) ?? {
      queue,
      namespace,
      subject: w.subject,
      total: new Map<string, number>(),
      parts: [],
      elastic: isElastic(ctx, w),
      label: w.footprint.component !== undefined ? `${t.kind} '${t.name}'` : w.label,
    };
    for (const [r, v] of usage) q.total.set(r, (q.total.get(r) ?? 0) + pods * v);
    q.parts.push({ what: w.footprint.component ?? '', pods, usage });
    queued.set(key, q);
  }

  for (const q of queued.values()) {
    const cqName = localQueues.get(`${q.namespace}/${q.queue}`);
    if (cqName === undefined) {
      const here = [...localQueues.keys()].filter(k => k.startsWith(`${q.namespace}/`)).map(k => k.slice(q.namespace.length + 1));
      ctx.add(RULES.KUEUE_QUOTA, q.subject, `${q.label} names the Kueue queue '${q.queue}'${inNamespace(q.namespace)}, which is no LocalQueue of ` +
        `the app there (${here.length > 0 ? here.join(', ') : 'it has none in that namespace'}), so Kueue keeps it suspended and its pods never start: ` +
        'give queueName a LocalQueue of the workload\'s namespace, or add one (KueueQueues: the team\'s namespaces)');
      continue;
    }
    const cq = kueue?.clusterQueues.get(cqName);
    if (!cq) continue;
    for (const [r, total] of q.total) {
      if (total <= 0 || (r === 'pods' && !cq.caps.has(r))) continue;
      const cap = cq.caps.get(r);
      if (cap === undefined) {
        if (r === 'cpu' || r === 'memory' || r.includes('/')) {
          ctx.add(RULES.KUEUE_QUOTA, q.subject, `${q.label} requests ${r}, which its ClusterQueue '${cq.name}' (queue '${q.queue}') does not cover: ` +
            `Kueue never admits it ("resource ${r} unavailable in ClusterQueue"): add ${r} to a resource group of the ClusterQueue, or remove the request`);
        }
        continue;
      }
      if (total <= cap) continue;
      ctx.add(RULES.KUEUE_QUOTA, q.subject, `${q.label} asks Kueue for ${shown(r, total)} ${r} at its maximum (${describeParts(q, r)}), above the ` +
        `${shown(r, cap)} its ClusterQueue '${cq.name}' can ever admit (${cq.how.get(r)}): ${q.elastic
          ? 'Kueue admits an elastic job slice by slice, so its scale-ups above that stay pending'
          : 'Kueue admits a workload whole, so it stays suspended and its pods pending'} (${shown(r, total - cap)} ${r} short): raise the queue's nominalQuota (or borrowingLimit, and the cohort's lending) ` +
        'or lower the workload\'s maximum');
    }
  }

  if (kueue) reportQueueFlavors(ctx, kueue.clusterQueues, missing);
}

/**
 * Pods Kueue admits together at the workload's maximum: every pod of a Job, RayJob, RayCluster or StatefulSet; each Job
 * of a ScaledJob alone (its parallelism); one group of a LeaderWorkerSet; one pod of anything else (a Deployment's pods
 * are each a workload of their own, which reachable-replicas bounds).
 */
function podsPerAdmission(ctx: GuardrailContext, w: Workload): number {
  const t = w.footprint.target;
  const max = w.footprint.maxReplicas;
  const spec = () => {
    const o = ctx.byKey.get(objectKey(t.namespace, t.kind, t.name));
    return o ? ctx.json(o).spec ?? {} : {};
  };
  switch (t.kind) {
    case 'Job': case 'RayJob': case 'RayCluster': case 'StatefulSet': return max;
    case 'ScaledJob': {
      const parallelism = spec().jobTargetRef?.parallelism;
      return Math.min(typeof parallelism === 'number' ? parallelism : 1, max);
    }
    case 'LeaderWorkerSet': {
      const size = spec().leaderWorkerTemplate?.size;
      return Math.min(typeof size === 'number' ? size : 1, max);
    }
    default: return Math.min(1, max);
  }
}

function isElastic(ctx: GuardrailContext, w: Workload): boolean {
  const t = w.footprint.target;
  const o = ctx.byKey.get(objectKey(t.namespace, t.kind, t.name));
  return o !== undefined && ctx.json(o).metadata?.annotations?.['kueue.x-k8s.io/elastic-job'] === 'true';
}

function describeParts(q: Queued, r: string): string {
  return q.parts.filter(p => (p.usage.get(r) ?? 0) > 0)
    .map(p => `${p.what ? `${p.what} ` : ''}${p.pods} pod${p.pods === 1 ? '' : 's'} x ${shown(r, p.usage.get(r)!)}`).join(' + ');
}

/** The flavors whose nodeLabels no pool can carry, by name (none when the app declares no pools). */
function flavorsWithoutPool(ctx: GuardrailContext, flavorObjects: ReturnType<GuardrailContext['ofKind']>): Map<string, string> {
  const out = new Map<string, string>();
  if (ctx.pools.length === 0) return out;
  for (const o of flavorObjects) {
    ctx.steps++;
    const labels: Record<string, string> = ctx.json(o).spec?.nodeLabels ?? {};
    if (Object.keys(labels).length === 0) continue;
    const pod = { tolerations: TOLERATE_ALL, nodeSelector: labels, requests: { cpuMillis: 0, memoryMib: 0, gpus: 0 } };
    if (ctx.pools.some(p => placementRefusal(p, pod) === undefined)) continue;
    out.set(o.name, Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', '));
  }
  return out;
}

function reportFlavors(ctx: GuardrailContext, flavorObjects: ReturnType<GuardrailContext['ofKind']>, missing: Map<string, string>): void {
  for (const o of flavorObjects) {
    const labels = missing.get(o.name);
    if (labels === undefined) continue;
    ctx.add(RULES.KUEUE_QUOTA, subjectOf(o), `ResourceFlavor '${o.name}' has nodeLabels ${labels} that no node pool's nodes carry ` +
      `(${ctx.pools.map(p => p.name).sort().join(', ')}): Kueue puts them in the nodeSelector of the pods it admits on this flavor, so those pods stay ` +
      'pending: give the flavor the labels of a pool (KueueQueues writes a flavor per NodePool), or add the pool');
  }
}

function reportQueueFlavors(ctx: GuardrailContext, clusterQueues: Map<string, ClusterQueueModel>, missing: Map<string, string>): void {
  if (missing.size === 0) return;
  for (const cq of clusterQueues.values()) {
    for (const group of cq.flavorGroups) {
      if (group.length === 0 || !group.every(f => missing.has(f))) continue;
      ctx.add(RULES.KUEUE_QUOTA, cq.subject, `ClusterQueue '${cq.name}' offers its resource group only on flavors no node pool offers ` +
        `(${group.join(', ')}): the work it admits can never be scheduled: give the queue a flavor of a pool`);
    }
  }
}
