/**
 * What keeps Karpenter from removing a node at all, as the guardrails model it: a NodePool's
 * `template.spec.terminationGracePeriod` and `disruption.budgets`, and the `karpenter.sh/do-not-disrupt` annotation on
 * the pods of long-running workloads. Every NodePool of the app is read as its synthesized JSON (a CostAwareNodePool's
 * too, so an escape-hatch patch is seen; hand-written NodePools are read anyway to build their pools, and pools are
 * few); pools declared outside the app are not known and not checked.
 */
import { GuardrailContext } from './context';
import { PoolModel } from './pools';

/** A NodePool's `spec` as JSON when it may differ from what a CostAwareNodePool writes; undefined when known-good or unknown. */
export function nodePoolSpecOf(ctx: GuardrailContext, pool: PoolModel): any | undefined {
  if (pool.origin === 'declared') return undefined;
  const o = ctx.ofKind('NodePool', 'karpenter.sh').find(p => p.name === pool.name);
  if (!o) return undefined;
  return ctx.json(o).spec ?? {};
}

/** The pools whose NodePool has no `template.spec.terminationGracePeriod` (as far as the app shows). */
export function poolsWithoutGracePeriod(ctx: GuardrailContext): Set<PoolModel> {
  const out = new Set<PoolModel>();
  for (const pool of ctx.pools) {
    ctx.steps++;
    const spec = nodePoolSpecOf(ctx, pool);
    if (spec === undefined) continue;
    const grace = spec.template?.spec?.terminationGracePeriod;
    if (grace === undefined || grace === null || grace === '') out.add(pool);
  }
  return out;
}

/** A NodePool disruption budget as the API spells it (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go, `Budget`). */
export interface NodePoolBudget {
  readonly nodes?: string;
  readonly reasons?: string[];
  readonly schedule?: string;
  readonly duration?: string;
}

/**
 * The budget that stops every disruption for `reason` (`Empty`, `Drifted`, `Underutilized`) at all times, if any:
 * `GetAllowedDisruptionsByReason` takes the minimum over the budgets whose `reasons` are unset (nil: every reason) or
 * contain the reason; a budget with neither `schedule` nor `duration` is always active (`IsActive`); `nodes` is scaled
 * with rounding up (`GetScaledValueFromIntOrPercent(..., true)`), so only `"0"` and `"0%"` allow 0 nodes at every size.
 * With no budgets the API server defaults `{nodes: "10%"}`. A `reasons: []` list (non-nil, empty) applies to no reason.
 */
export function blockingBudget(budgets: NodePoolBudget[] | undefined, reason: string): NodePoolBudget | undefined {
  for (const b of budgets ?? []) {
    const always = (b.schedule === undefined || b.schedule === null) && (b.duration === undefined || b.duration === null);
    const applies = b.reasons === undefined || b.reasons === null || b.reasons.includes(reason);
    if (always && applies && isZeroNodes(b.nodes)) return b;
  }
  return undefined;
}

function isZeroNodes(nodes: string | undefined): boolean {
  // The CRD defaults a missing `nodes` to "10%".
  if (nodes === undefined || nodes === null) return false;
  const v = String(nodes).trim();
  return /^0+%?$/.test(v);
}

/** `karpenter.sh/do-not-disrupt: "true"` on a pod template: only "true" blocks for good (a duration value expires). */
export function doNotDisruptForever(template: any): boolean {
  return template?.metadata?.annotations?.['karpenter.sh/do-not-disrupt'] === 'true';
}

/** The pod template of a long-running workload's part in its JSON; undefined for kinds that complete (Jobs, RayJobs). */
export function longRunningTemplate(json: any, component: string | undefined): any | undefined {
  switch (json?.kind) {
    case 'Deployment':
    case 'StatefulSet':
      return component === undefined ? json.spec?.template : undefined;
    case 'RayCluster':
      return rayTemplate(json.spec, component);
    case 'RayService':
      return rayTemplate(json.spec?.rayClusterConfig, component);
    default:
      return undefined;
  }
}

function rayTemplate(clusterSpec: any, component: string | undefined): any | undefined {
  if (component === undefined) return undefined;
  if (component === 'head') return clusterSpec?.headGroupSpec?.template;
  return (clusterSpec?.workerGroupSpecs ?? []).find((g: any) => g?.groupName === component)?.template;
}

/** Kinds whose pods run until someone deletes them: they never complete. */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'RayCluster', 'RayService']);
