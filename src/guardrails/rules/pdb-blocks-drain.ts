/**
 * pdb-blocks-drain: no PodDisruptionBudget of the app leaves its workload's pods unevictable. A PDB that allows no
 * eviction with the workload at its minimum (maxUnavailable 0 or "0%", minAvailable at or above the minimum, percentages
 * rounded up), or two PDBs on the same pods, stop every drain: Karpenter never consolidates their nodes, and drift and
 * expiration wait for the NodePool's terminationGracePeriod (forever without one). RULES.md has the formulas.
 */
import { GuardrailContext } from '../engine/context';
import { DisruptionView, describePdb, disruptionsAllowed, terminationGracePeriodOf } from '../engine/disruption';
import { listSome } from '../engine/format';
import { inNamespace } from '../engine/objects';
import { PoolModel } from '../engine/pools';
import { RULES } from '../engine/rule-ids';

export function checkPdbBlocksDrain(ctx: GuardrailContext, view: DisruptionView): void {
  for (const pdb of view.handWrittenPdbs) {
    ctx.steps++;
    const selected = view.selectedBy.get(pdb) ?? [];
    if (selected.length === 0) continue;
    const n = selected.reduce((sum, w) => sum + w.minReplicas, 0);
    const { allowed, desiredHealthy, fullyBlocking } = disruptionsAllowed(pdb, n);
    if (!fullyBlocking && (n === 0 || allowed > 0)) continue;
    const what = listSome(selected.map(w => w.label), 3);
    const pools = [...new Set(selected.flatMap(w => w.pools))];
    ctx.add(RULES.PDB_BLOCKS_DRAIN, pdb.subject, `PodDisruptionBudget '${pdb.name}'${inNamespace(pdb.namespace)} (${describePdb(pdb)}) ` +
      `selects the pods of ${what} (${n} at the minimum) and allows ${fullyBlocking ? 'no eviction ever' :
        `no eviction at the minimum (${desiredHealthy} must stay healthy of ${n})`}: ${drainEffect(ctx, pools)}: ` +
      `set maxUnavailable: 1 (or a minAvailable below ${Math.max(1, n)}), with unhealthyPodEvictionPolicy: AlwaysAllow`);
  }
  for (const [w, pdbs] of view.pdbsOf) {
    ctx.steps++;
    const names = pdbs.map(p => `'${p.name}'${p.library ? ` (${p.subject.node.path})` : ''}`);
    if (pdbs.length < 2) continue;
    const later = pdbs[pdbs.length - 1];
    ctx.add(RULES.PDB_BLOCKS_DRAIN, later.subject, `${pdbs.length} PodDisruptionBudgets (${names.join(', ')}) select the pods of ${w.label}: the ` +
      'eviction API refuses to evict a pod that more than one PDB selects, whatever they allow, so no drain evicts them: ' +
      `${drainEffect(ctx, w.pools)}: keep one PDB (remove this one, or set podDisruptionBudget: false on the InferenceAutoscaler)`);
  }
}

/** What a pod no eviction can take does to its nodes, with the pools' terminationGracePeriod. */
function drainEffect(ctx: GuardrailContext, pools: PoolModel[]): string {
  const graces = pools.map(p => {
    const grace = terminationGracePeriodOf(ctx, p);
    return grace ? `'${p.name}' after its terminationGracePeriod ${grace}` : `'${p.name}' never (no terminationGracePeriod)`;
  });
  return 'Karpenter never consolidates a node that runs one of them, and a node drained for drift or expiration keeps ' +
    `running until the pods are force-deleted: ${graces.length > 0 ? `on ${listSome(graces, 3)}` :
      'after the NodePool\'s terminationGracePeriod, or never without one'}`;
}
