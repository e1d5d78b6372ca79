/**
 * replicas-on-one-node: a Deployment or StatefulSet that runs at least 2 replicas (the user wants them available)
 * does not have every replica on one node with nothing in the way of a voluntary disruption. One node of the largest
 * instance type its pools may launch holds `podsPerNode` of its pods (allocatable less the DaemonSets); when that is
 * at least its minimum and no required pod anti-affinity or DoNotSchedule spread (with minDomains) on
 * kubernetes.io/hostname keeps them apart:
 * - without a PodDisruptionBudget: a finding: one consolidation, drift or expiration evicts every replica at once;
 * - with one: a line of `check().singleNodeExposures`: drains go one pod at a time, but one spot interruption or node
 *   failure still takes every replica down (a required spread costs a node per replica, which is the user's call).
 */
import { GuardrailContext } from '../engine/context';
import { DisruptionView, podsPerNode, separatesNodes } from '../engine/disruption';
import { formatResources } from '../engine/format';
import { RULES } from '../engine/rule-ids';

export function checkReplicasOnOneNode(ctx: GuardrailContext, view: DisruptionView): string[] {
  const exposures: string[] = [];
  for (const w of view.workloads) {
    ctx.steps++;
    const n = w.minReplicas;
    if (n < 2 || !w.requests) continue;
    const fit = podsPerNode(w.pools, w.requests, ctx.daemonSets);
    if (fit.pods < n || !fit.type || !fit.pool) continue;
    if (separatesNodes(w.podSpec(), w.podLabels, n)) continue;
    const perNode = fit.pods >= 1000 ? 'any number' : String(fit.pods);
    const where = `one ${fit.type.type.name} of '${fit.pool.name}' holds ${perNode} of its pods (${formatResources(w.requests)} each)`;
    const fix = 'a required pod anti-affinity on kubernetes.io/hostname, or a topology spread on kubernetes.io/hostname with ' +
      `whenUnsatisfiable: DoNotSchedule, minDomains: ${n} and maxSkew: 1`;
    if ((view.pdbsOf.get(w) ?? []).length === 0) {
      ctx.add(RULES.REPLICAS_ON_ONE_NODE, w.subject, `${w.label} runs ${n} replicas at its minimum and ${where}, and neither a ` +
        'PodDisruptionBudget nor a required spread over nodes keeps them apart: all of them may run on one node (a ScheduleAnyway ' +
        `spread is only a preference), and one consolidation, drift or expiration of it evicts all ${n} at once: ` +
        `add a PodDisruptionBudget with maxUnavailable: 1 (InferenceAutoscaler: podDisruptionBudget: true), and ${fix}, so that ` +
        'one node failure or spot interruption cannot take them all either');
    } else {
      exposures.push(`${w.subject.node.path}: ${w.label} runs ${n} replicas at its minimum and ${where}; its PodDisruptionBudget ` +
        'keeps drains to one pod at a time, but one spot interruption or node failure can take every replica down: ' +
        `add ${fix} to survive it (a node per replica)`);
    }
  }
  return exposures;
}
