/**
 * disruption-blocked: no node of the app's pools is kept forever by what is written on the pool or the pods, rather than
 * by a PodDisruptionBudget (pdb-blocks-drain):
 * - `karpenter.sh/do-not-disrupt: "true"` on the pods of a long-running workload (Deployment, StatefulSet, a
 *   RayCluster's or RayService's head, or a worker group with a minimum above 0) that may land on a pool whose NodePool
 *   has no `terminationGracePeriod`: the node is never consolidated or drifted, and once expired it drains forever;
 * - a NodePool disruption budget that allows 0 nodes (`"0"`, `"0%"`) with no schedule, for all reasons or for `Empty`:
 *   an empty node is never removed, at the price of one idle node of the pool's cheapest type.
 * RULES.md has the upstream sources.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GuardrailContext } from '../engine/context';
import { readHandWrittenFootprint } from '../engine/footprint';
import { listSome, usdPerHour } from '../engine/format';
import {
  blockingBudget, doNotDisruptForever, LONG_RUNNING_KINDS, longRunningTemplate, nodePoolSpecOf, NodePoolBudget,
  poolsWithoutGracePeriod,
} from '../engine/node-disruption';
import { keyOf, objectKey, subjectOf } from '../engine/objects';
import { PoolModel } from '../engine/pools';
import { RULES } from '../engine/rule-ids';

export function checkDisruptionBlocked(ctx: GuardrailContext): void {
  checkDoNotDisrupt(ctx);
  checkBudgets(ctx);
}

/** A long-running workload part whose pods are always there (minimum above 0). */
interface Candidate {
  readonly subject: IConstruct;
  readonly label: string;
  readonly min: number;
  readonly pools: PoolModel[];
  readonly template: () => any;
}

function checkDoNotDisrupt(ctx: GuardrailContext): void {
  const noGrace = poolsWithoutGracePeriod(ctx);
  // Every library pool has a terminationGracePeriod: an app of library pools reads nothing more.
  if (noGrace.size === 0) return;
  for (const c of candidates(ctx)) {
    ctx.steps++;
    const blocked = c.pools.filter(p => noGrace.has(p));
    if (c.min < 1 || blocked.length === 0 || !doNotDisruptForever(c.template())) continue;
    const names = listSome(blocked.map(p => `'${p.name}'`), 3);
    ctx.add(RULES.DISRUPTION_BLOCKED, c.subject, `the pods of ${c.label} (${c.min} at the minimum, long-running: nothing completes them) ` +
      `carry karpenter.sh/do-not-disrupt: "true" and may run on ${names}, whose NodePool has no terminationGracePeriod: Karpenter ` +
      'never consolidates or replaces a drifted node that runs one of them, and an expired node is cordoned and waits for them ' +
      'forever, so the node is paid for as long as the workload runs and AMI and security updates never reach it: set ' +
      'spec.template.spec.terminationGracePeriod on the NodePool (CostAwareNodePool: terminationGracePeriod, 15 minutes for ' +
      'inference by default), or remove the annotation from these pods (a PodDisruptionBudget with maxUnavailable: 1 protects ' +
      'serving pods without stopping every disruption)');
  }
}

/** The app's long-running workload parts: the workloads the context knows, then hand-written objects it does not. */
function candidates(ctx: GuardrailContext): Candidate[] {
  const out: Candidate[] = [];
  const covered = new Set<string>();
  for (const w of ctx.workloads) {
    ctx.steps++;
    const f = w.footprint;
    if (!LONG_RUNNING_KINDS.has(f.target.kind)) continue;
    const key = objectKey(f.target.namespace, f.target.kind, f.target.name);
    covered.add(key);
    const object = ctx.byKey.get(key);
    if (!object) continue;
    const pools = ctx.eligibility({ tolerations: f.tolerations, nodeSelector: f.nodeSelector, requests: f.requests }).pools;
    out.push({ subject: w.subject, label: w.label, min: f.minReplicas, pools, template: () => longRunningTemplate(ctx.json(object), f.component) });
  }
  const handWritten: [string, string][] = [['Deployment', 'apps'], ['StatefulSet', 'apps'], ['RayCluster', 'ray.io'], ['RayService', 'ray.io']];
  for (const [kind, group] of handWritten) {
    for (const object of ctx.ofKind(kind, group)) {
      ctx.steps++;
      if (covered.has(keyOf(object))) continue;
      covered.add(keyOf(object));
      out.push(...handWrittenParts(ctx, object));
    }
  }
  return out;
}

/** A hand-written object's parts: the pod template of a Deployment or StatefulSet; a Ray head and each worker group. */
function handWrittenParts(ctx: GuardrailContext, object: ApiObject): Candidate[] {
  const json = ctx.json(object);
  const subject = subjectOf(object);
  const base = `${object.kind} '${object.name}'`;
  const part = (component: string | undefined, label: string, min: number): Candidate => {
    const template = longRunningTemplate(json, component);
    const f = readHandWrittenFootprint(json, () => template, min, min, { kind: 'none', name: '' });
    const pools = ctx.eligibility({ tolerations: f.tolerations, nodeSelector: f.nodeSelector, requests: f.requests }).pools;
    return { subject, label, min, pools, template: () => template };
  };
  if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
    return [part(undefined, base, typeof json.spec?.replicas === 'number' ? json.spec.replicas : 1)];
  }
  const cluster = object.kind === 'RayService' ? json.spec?.rayClusterConfig : json.spec;
  const groups: any[] = cluster?.workerGroupSpecs ?? [];
  return [
    part('head', `${base} head`, 1),
    ...groups.filter(g => typeof g?.groupName === 'string').map(g =>
      part(g.groupName, `${base} worker group '${g.groupName}'`, Number(g.minReplicas ?? g.replicas ?? 0) || 0)),
  ];
}

const EMPTY = 'Empty';

function checkBudgets(ctx: GuardrailContext): void {
  for (const pool of ctx.pools) {
    ctx.steps++;
    const spec = nodePoolSpecOf(ctx, pool);
    if (spec === undefined) continue;
    const budget = blockingBudget(spec.disruption?.budgets as NodePoolBudget[] | undefined, EMPTY);
    if (!budget) continue;
    const all = budget.reasons === undefined || budget.reasons === null;
    const scope = all ? 'for every reason (Empty, Underutilized and Drifted)' : `for ${budget.reasons!.join(', ')}`;
    ctx.add(RULES.DISRUPTION_BLOCKED, pool.subject, `NodePool '${pool.name}' has a disruption budget nodes: ${JSON.stringify(budget.nodes)} ` +
      `${scope} with no schedule, so it is always in force: Karpenter never removes an empty node of the pool, and every node ` +
      `a scale-up launches stays after its pods are gone, ${idleCost(pool)}${all ? ', and drifted nodes are never replaced' : ''}: ` +
      'allow at least one node for Empty (nodes: "1" with reasons: [Empty]), and keep "0" only inside a window ' +
      '(schedule and duration) or for the reasons you mean to stop (Drifted, Underutilized)');
  }
}

/** `at $1.006/h for an idle g5.xlarge (the pool's cheapest GPU type)`, or why it is not priced. */
function idleCost(pool: PoolModel): string {
  const priced = (pool.types ?? []).filter(t => t.priceMicroUsdPerHour > 0);
  const gpu = priced.filter(t => t.capacity.gpus > 0);
  const from = gpu.length > 0 ? gpu : priced;
  if (from.length === 0) return 'each one paid for while idle (the pool\'s instance types are not known, so it is not priced)';
  const cheapest = from.reduce((a, b) => (b.priceMicroUsdPerHour < a.priceMicroUsdPerHour ? b : a));
  return `each one paid for while idle: ${usdPerHour(cheapest.priceMicroUsdPerHour)} for one idle ${cheapest.type.name} ` +
    `(the pool's cheapest ${gpu.length > 0 ? 'GPU ' : ''}type)`;
}
