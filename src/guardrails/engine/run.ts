/**
 * One guardrail pass: builds the app model, runs every rule, applies the suppressions. Library constructs are read
 * from their typed models; an object is turned into JSON at most once per pass, and only when a rule needs a fact
 * no typed model carries. The work is linear in the number of constructs and objects (pools and instance types are
 * few; workloads with the same pods share their placement).
 */
import { IConstruct } from 'constructs';
import { Amounts } from './amounts';
import { GuardrailContext } from './context';
import { disruptionView } from './disruption';
import { RuleId } from './rule-ids';
import { nearestSuppression, Suppression } from './suppression';
import { NodePoolDeclaration } from '../../values/node-pool-declaration';
import { BudgetResult, checkBudget, priceCharges } from '../rules/budget-ceiling';
import { checkCpuPlacement } from '../rules/cpu-placement';
import { checkDisruptionBlocked } from '../rules/disruption-blocked';
import { checkFailureScenarios, ScenarioOutcome } from '../rules/failure-scenarios';
import { checkGpuPlacement } from '../rules/gpu-placement';
import { checkGpuSharing } from '../rules/gpu-sharing';
import { checkInferenceGateway } from '../rules/inference-gateway';
import { checkKedaHpaName } from '../rules/keda-hpa-name';
import { checkKueueQuota } from '../rules/kueue-quota';
import { checkOneExternalMetricsProvider } from '../rules/one-external-metrics-provider';
import { checkOneHorizontalOwner } from '../rules/one-horizontal-owner';
import { checkPdbBlocksDrain } from '../rules/pdb-blocks-drain';
import { ChargeResult, chargePools, checkPoolCapacity } from '../rules/pool-capacity';
import { checkRayExposure } from '../rules/ray-exposure';
import { computeReach, Reach } from '../rules/reachable-replicas';
import { checkReplicasOnOneNode } from '../rules/replicas-on-one-node';
import { checkReplicasUnderAutoscaler } from '../rules/replicas-under-autoscaler';
import { checkTimeToCapacity } from '../rules/time-to-capacity';
import { checkVpaHpaConflict } from '../rules/vpa-hpa-conflict';
import { WorkloadTimeToCapacity } from '../time-to-capacity-report';

export interface RunFinding {
  readonly rule: RuleId;
  readonly path: string;
  /** `[path] rule: problem: fix`. */
  readonly message: string;
  readonly suppression?: Suppression;
}

export interface RunResult {
  readonly findings: RunFinding[];
  readonly charges: ChargeResult;
  readonly budget: BudgetResult;
  /** `path: rule` of suppressions that silenced nothing. */
  readonly unusedSuppressions: string[];
  readonly workloads: number;
  /** Objects the pass turned into JSON. */
  readonly objectsRead: number;
  /** Units of work, for the linearity test. */
  readonly steps: number;
  /** The app model the pass read, for the bill (engine/bill.ts), which charges it again at the expected replicas. */
  readonly context: GuardrailContext;
  /** Time to capacity of every workload with a startup estimate. */
  readonly timeToCapacity: WorkloadTimeToCapacity[];
  /** reachable-replicas: each workload's reach. */
  readonly reach: Reach[];
  /** zone-loss and spot-reclaim. */
  readonly scenarios: ScenarioOutcome[];
  /** Report lines of replicas-on-one-node: workloads on one node that a PDB protects only from drains. */
  readonly singleNodeExposures: string[];
}

export function runGuardrails(scope: IConstruct, guardrails: IConstruct, declared: NodePoolDeclaration[], budgetUsdPerHour?: number,
  daemonSets?: Amounts): RunResult {
  const ctx = new GuardrailContext(scope, guardrails, declared, daemonSets);
  checkGpuPlacement(ctx);
  checkCpuPlacement(ctx);
  const charges = chargePools(ctx);
  checkPoolCapacity(ctx, charges);
  checkGpuSharing(ctx, charges);
  const budget = priceCharges(ctx, charges);
  checkBudget(ctx, budget, budgetUsdPerHour);
  checkOneHorizontalOwner(ctx);
  checkReplicasUnderAutoscaler(ctx);
  checkVpaHpaConflict(ctx);
  checkKedaHpaName(ctx);
  checkRayExposure(ctx);
  checkOneExternalMetricsProvider(ctx);
  const timeToCapacity = checkTimeToCapacity(ctx);
  const reach = computeReach(ctx, budgetUsdPerHour);
  const scenarios = checkFailureScenarios(ctx);
  const disruption = disruptionView(ctx);
  checkPdbBlocksDrain(ctx, disruption);
  const singleNodeExposures = checkReplicasOnOneNode(ctx, disruption);
  checkDisruptionBlocked(ctx);
  checkKueueQuota(ctx);
  checkInferenceGateway(ctx);

  const used = new Set<string>();
  const findings = ctx.findings.map(f => {
    const path = f.subject.node.path;
    const suppression = nearestSuppression(f.subject, f.rule);
    if (suppression) used.add(`${suppression.at.node.path}\n${f.rule}`);
    return { rule: f.rule, path, message: `[${path}] ${f.rule}: ${f.text}`, suppression };
  });
  const unusedSuppressions = ctx.suppressions.filter(s => !used.has(`${s.at.node.path}\n${s.rule}`)).map(s => `${s.at.node.path}: ${s.rule}`);
  return {
    findings,
    charges,
    budget,
    unusedSuppressions: [...new Set(unusedSuppressions)],
    workloads: ctx.workloads.length,
    objectsRead: ctx.objectsRead,
    steps: ctx.steps,
    context: ctx,
    timeToCapacity,
    reach,
    scenarios,
    singleNodeExposures,
  };
}
