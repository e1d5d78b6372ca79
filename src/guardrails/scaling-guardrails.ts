import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct, IConstruct, Node } from 'constructs';
import { AppBill, WorkloadReplicas } from './app-bill';
import { invalidProp, requireInteger } from '../common/errors';
import { Amounts, amountsOf, resourceAmountsOf } from './engine/amounts';
import { computeBill } from './engine/bill';
import { workloadName } from './engine/context';
import { expectedReplicas } from './engine/expected-replicas';
import { NO_DAEMON_SETS } from './engine/pools';
import { RULE_IDS } from './engine/rule-ids';
import { runGuardrails, RunFinding, RunResult } from './engine/run';
import { addSuppression } from './engine/suppression';
import { FailureScenarioResult, WorkloadReach } from './reachability';
import { WorkloadTimeToCapacity } from './time-to-capacity-report';
import { fromMicroUsd } from '../common/money';
import { isDns1123Subdomain } from '../common/names';
import {
  checkInstance, checkKubeletSettings, checkLabelValue, checkList, checkListOf, checkOptionalCpu, checkOptionalNumber, checkOptionalSize,
  checkOptionalWhole, checkString, checkStruct, isQualifiedName, typeName,
} from '../common/validate';
import { InstanceType } from '../planning/instance-catalog';
import { NodePoolDeclaration, NodePoolResourceLimits, NodeTaint, NodeTaintEffect } from '../values/node-pool-declaration';
import { ResourceAmounts } from '../values/workload-footprint';

/** The guardrail rules; each id is also the name part of its suppression annotation. RULES.md explains each. */
export enum GuardrailRule {
  /** A workload that requests GPUs can land on at least one GPU node pool (taints, launch-time labels, instance size). */
  GPU_PLACEMENT = 'gpu-placement',
  /** With every workload at its maximum, each node pool's share fits within its limits. */
  POOL_CAPACITY = 'pool-capacity',
  /** The same worst case, priced from the pools' instance types, fits `budgetUsdPerHour`; unpriced demand is an error with a budget. */
  BUDGET_CEILING = 'budget-ceiling',
  /** A workload has at most one horizontal autoscaler (HPA or ScaledObject). */
  ONE_HORIZONTAL_OWNER = 'one-horizontal-owner',
  /** A VPA does not control a resource (cpu, memory) that the workload's horizontal autoscaler scales on. */
  VPA_HPA_CONFLICT = 'vpa-hpa-conflict',
  /** A workload under a horizontal autoscaler carries no `spec.replicas`. */
  REPLICAS_UNDER_AUTOSCALER = 'replicas-under-autoscaler',
  /** No two ScaledObjects, and no ScaledObject and HPA, name the same HPA. */
  KEDA_HPA_NAME = 'keda-hpa-name',
  /** No Ray head (dashboard, GCS, client and job API) is reachable from outside the cluster. */
  RAY_EXPOSURE = 'ray-exposure',
  /** An app that deploys KEDA has no HPA on an External metric: a cluster has one external-metrics provider. */
  ONE_EXTERNAL_METRICS_PROVIDER = 'one-external-metrics-provider',
  /** A new pod's startup estimate fits the startup probe budget, the progress deadline and a predictive lead time. */
  TIME_TO_CAPACITY = 'time-to-capacity',
  /** When the app has or declares node pools, a workload without GPUs can land on at least one of them. */
  CPU_PLACEMENT = 'cpu-placement',
  /** Each workload can reach its minReplicas, and no quota (ResourceQuota, Kueue) caps it below its maxReplicas. */
  REACHABLE_REPLICAS = 'reachable-replicas',
  /** After losing any one zone, the surviving pools still hold every workload's minReplicas. */
  ZONE_LOSS = 'zone-loss',
  /** With every spot instance reclaimed, the pools that are not spot-only still hold every workload's minReplicas. */
  SPOT_RECLAIM = 'spot-reclaim',
  /** No PodDisruptionBudget leaves its pods unevictable at the workload's minimum, and no pod has two PDBs: drains would block. */
  PDB_BLOCKS_DRAIN = 'pdb-blocks-drain',
  /** A workload of at least 2 replicas that one node can hold entirely has a PDB or a required spread over nodes. */
  REPLICAS_ON_ONE_NODE = 'replicas-on-one-node',
  /** No node is kept forever: no do-not-disrupt long-running pod on a pool without terminationGracePeriod, no always-on 0-node budget for Empty. */
  DISRUPTION_BLOCKED = 'disruption-blocked',
  /**
   * Kueue: a queued workload's maximum fits its ClusterQueue's nominal plus borrowable quota, its queue label names a
   * LocalQueue of the app, and every ResourceFlavor (and each ClusterQueue's flavors) is on a node pool.
   */
  KUEUE_QUOTA = 'kueue-quota',
  /** A pool that shares its GPUs holds the shares its workloads need at their maximum (GPU limit x shares per GPU). */
  GPU_SHARING = 'gpu-sharing',
  /** An InferencePool selects the pods of exactly one workload of the app (not none, not several). */
  INFERENCE_POOL_SELECTOR = 'inference-pool-selector',
  /** An InferencePool's target ports are container ports of the pods it selects. */
  INFERENCE_POOL_PORT = 'inference-pool-port',
  /** An endpoint picker serves one InferencePool of the app, and each pool has its own picker. */
  ONE_POOL_PER_PICKER = 'one-pool-per-picker',
  /** No OpenAI-compatible model server is reachable from outside the cluster, or by a route, around the inference gateway. */
  MODEL_SERVER_EXPOSURE = 'model-server-exposure',
}

/**
 * What the DaemonSets' pods request on every node (the GPU operator, the device plugin, monitoring and log agents,
 * the CNI and kube-proxy): no workload pod can use it. Sum the requests of every DaemonSet that runs on the pools'
 * nodes; on EKS, aws-node (VPC CNI) and kube-proxy alone request 125m of CPU.
 */
export interface DaemonSetOverhead {
  /**
   * CPU the DaemonSets request per node (above zero, at most 1,000 cores; leave it out for none).
   * @default - none
   */
  readonly cpu?: Cpu;
  /**
   * Memory the DaemonSets request per node (at most 1 TiB).
   * @default - none
   */
  readonly memory?: Size;
  /**
   * Whole `nvidia.com/gpu` devices the DaemonSets request per node (0 to 64).
   * @default 0
   */
  readonly gpus?: number;
}

/** Properties of ScalingGuardrails. */
export interface ScalingGuardrailsProps {
  /**
   * Node pools that live outside the app (installed by another team or tool). The pools in the app are found by
   * themselves: every CostAwareNodePool and every hand-written Karpenter NodePool object.
   * @default - only the pools in the app
   */
  readonly nodePools?: NodePoolDeclaration[];
  /**
   * The most the node pools may cost per hour, in US dollars, with every workload at its maximum at once. Above
   * it, and for any worst-case demand on a pool without instance prices, synth fails.
   * @default - no budget: the worst case is reported by `check()`, never an error
   */
  readonly budgetUsdPerHour?: number;
  /**
   * What the DaemonSets' pods request on every node of every pool. A pod fits an instance type when its requests
   * fit the type's allocatable as Karpenter computes it (the type's size less the VM overhead, kube-reserved and the
   * eviction threshold; RULES.md, gpu-placement) less this.
   * @default - none: the guardrails do not know the cluster's DaemonSets, and a guessed figure would fail synth for
   * pods that may fit; give yours (e.g. `{ cpu: Cpu.millis(125) }` for EKS's aws-node and kube-proxy)
   */
  readonly daemonSetOverhead?: DaemonSetOverhead;
}

/** One problem a guardrail found. */
export interface GuardrailFinding {
  /** The rule. */
  readonly rule: GuardrailRule;
  /** Construct path of what is wrong: where a suppression of this finding goes. */
  readonly path: string;
  /** `[path] rule: what is wrong, by how much: the fix`. */
  readonly message: string;
  /**
   * The reason given where the finding is suppressed.
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
}

/** What one node pool must host with every workload at its maximum, and what that costs at least. */
export interface NodePoolWorstCase {
  /** NodePool name. */
  readonly name: string;
  /** Construct path of the pool (the ScalingGuardrails' own for a declared pool). */
  readonly path: string;
  /** Whether the pool was declared in `nodePools` rather than found in the app. */
  readonly declared: boolean;
  /** The requests charged to the pool (all pods of the workloads charged to it). */
  readonly demand: ResourceAmounts;
  /** The pool's limits. */
  readonly limits: NodePoolResourceLimits;
  /** The workloads charged to it, as `path (N pods)`; a part of a multi-part workload as `path[part]` (`train[gpu]`). */
  readonly workloads: string[];
  /**
   * What the pool costs at least with `demand` on it, in US dollars per hour: the lowest price of instances that
   * hold `demand` (RULES.md, budget-ceiling).
   * @default - unpriced: the pool's instance types or prices are not known
   */
  readonly costUsdPerHour?: number;
  /**
   * `costUsdPerHour` exactly, in integer micro-dollars per hour.
   * @default - unpriced: the pool's instance types or prices are not known
   */
  readonly costMicroUsdPerHour?: number;
}

/** Everything one guardrail pass found and computed. */
export interface GuardrailReport {
  /** The findings in force: synth fails on any of them. */
  readonly findings: GuardrailFinding[];
  /** Findings silenced by `ScalingGuardrails.suppress`, with their reasons. */
  readonly suppressedFindings: GuardrailFinding[];
  /** Every node pool, in the order Karpenter tries them, with its worst case. */
  readonly nodePools: NodePoolWorstCase[];
  /** Workloads without GPUs that no pool hosts (they run on nodes the guardrails do not know), as `path` or `path[part]`. */
  readonly outsidePools: string[];
  /** The sum of the priced pools' `costUsdPerHour`: a lower bound of what the worst case costs, in US dollars per hour. */
  readonly worstCaseCostUsdPerHour: number;
  /** `worstCaseCostUsdPerHour` exactly, in integer micro-dollars per hour. */
  readonly worstCaseCostMicroUsdPerHour: number;
  /** Names of the pools that must host pods but have no instance prices: not counted in `worstCaseCostUsdPerHour`. */
  readonly unpricedPools: string[];
  /**
   * The budget checked against.
   * @default - no budget
   */
  readonly budgetUsdPerHour?: number;
  /** Suppressions that silenced nothing, as `path: rule` (allowed: a suppression may be declared ahead of need). */
  readonly unusedSuppressions: string[];
  /** Workloads checked (each Ray worker group and head counts as one). */
  readonly workloadsChecked: number;
  /**
   * What the app costs per hour per workload, team, pool and capacity type, in the worst case and with every workload
   * at its minReplicas (`ScalingGuardrails.bill` takes other expected replicas).
   */
  readonly bill: AppBill;
  /**
   * Objects turned into JSON for the checks: objects no library construct describes (hand-written HPAs, ScaledObjects,
   * VPAs and what they scale, NodePools, DaemonSets, Ray objects and Services), and library objects for a fact no typed model
   * carries (RULES.md, "What the guardrails read"). Library workloads and autoscalers are read from their typed models.
   */
  readonly objectsRead: number;
  /**
   * Every workload with a startup estimate: one new replica's time to ready, and the time from its minimum to its
   * maximum replicas, ready, under its autoscaler's scale-up policies (RULES.md, time-to-capacity).
   */
  readonly timeToCapacity: WorkloadTimeToCapacity[];
  /** Every workload's reachable replicas, with every other workload at its minimum, and the constraint that binds (RULES.md, reachable-replicas). */
  readonly reachability: WorkloadReach[];
  /**
   * One zone lost (one result per zone a pool or pod names) and all spot capacity reclaimed (always one result; no lost pools when
   * no pool is spot-only), replayed against every workload's minimum (RULES.md, zone-loss and spot-reclaim).
   */
  readonly scenarios: FailureScenarioResult[];
  /**
   * Workloads whose every replica (at the minimum, at least 2) fits on one node and that nothing keeps apart, but that
   * have a PodDisruptionBudget: drains take one pod at a time, yet one spot interruption or node failure takes them all
   * (RULES.md, replicas-on-one-node), as `path: what, by how much: the fix`.
   */
  readonly singleNodeExposures: string[];
}

const TAINT_EFFECTS: string[] = Object.values(NodeTaintEffect);

/**
 * App-wide guardrails for scaling, checked at synth: GPU placement on the node pools, node pool limits and an
 * hourly budget with every workload at its maximum at once, one owner for each replica count, and no Ray head
 * reachable from outside the cluster. Add it once, to the App (it checks everything below the scope it is added
 * to); `app.synth()` (and `Testing.synth`) then fails with every finding listed, each naming the construct path,
 * the rule, what is wrong and by how much, and the fix. `check()` returns the same findings, and the worst case
 * per pool, without throwing.
 *
 * A finding that is intended is suppressed for one construct and everything below it with
 * `ScalingGuardrails.suppress(construct, rule, reason)`; the reason is written on the construct's objects as the
 * annotation `guardrails.cdk8s-ml-scaling.io/<rule>`. RULES.md lists the rules with their formulas.
 *
 * @see https://karpenter.sh/docs/concepts/scheduling/
 * @example
 * new ScalingGuardrails(chart, 'Guardrails', {
 *   budgetUsdPerHour: 250,
 *   nodePools: [{
 *     name: 'shared-gpu',
 *     taints: [{ key: 'nvidia.com/gpu', effect: NodeTaintEffect.NO_SCHEDULE }],
 *     labels: { 'karpenter.k8s.aws/instance-gpu-name': ['a10g'] },
 *     limits: { gpus: 16 },
 *   }],
 * });
 * ScalingGuardrails.suppress(chart, GuardrailRule.RAY_EXPOSURE, 'the dashboard is behind the SSO proxy');
 */
export class ScalingGuardrails extends Construct {
  /**
   * Switches one rule off for a construct and everything below it. The reason is written as the annotation
   * `guardrails.cdk8s-ml-scaling.io/<rule>` on every object below the construct (objects added later included),
   * so it is visible in the manifests. Suppressing a rule that nothing violates is allowed (`check()` lists it in
   * `unusedSuppressions`).
   * @param construct what the rule does not apply to
   * @param rule the rule
   * @param reason why: non-empty, it is what reviewers read
   */
  public static suppress(construct: IConstruct, rule: GuardrailRule, reason: string): void {
    if (construct === null || typeof construct !== 'object' || !((construct as { node?: unknown }).node instanceof Node)) {
      invalidProp('ScalingGuardrails.suppress', 'construct', construct, `must be a construct, not ${typeName(construct)}`,
        'pass the construct the rule does not apply to (a chart, or a construct in it)');
    }
    // The app itself has an empty path: its errors name it.
    const where = construct.node.path === '' ? 'App' : construct;
    if (!RULE_IDS.includes(rule)) {
      invalidProp(where, 'rule', rule, 'is not a guardrail rule', `use one of ${RULE_IDS.join(', ')} (GuardrailRule)`);
    }
    if (typeof reason !== 'string') {
      invalidProp(where, 'reason', reason, `must be a string, not ${typeName(reason)}`,
        'give the reason the rule does not apply here, e.g. "the dashboard is behind an authenticating proxy"');
    }
    // The reason becomes an annotation value; annotations of one object hold 256 KiB in all.
    checkString(where, 'reason', reason, 'give the reason in at most 4,096 characters', 4096);
    if (reason.trim() === '') {
      invalidProp(where, 'reason', reason, `is empty, and a suppression of ${rule} must say why`,
        'give the reason the rule does not apply here, e.g. "the dashboard is behind an authenticating proxy"');
    }
    addSuppression(construct, rule, reason.trim());
  }

  private readonly declared: NodePoolDeclaration[];

  private readonly budgetUsdPerHour?: number;

  private readonly daemonSets: Amounts;

  public constructor(scope: Construct, id: string, props: ScalingGuardrailsProps = {}) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { nodePools, budgetUsdPerHour, daemonSetOverhead }, or leave it out', true);
    props = props ?? {};
    const fix = 'declare the NodePools outside the app, e.g. [{ name: \'shared-gpu\', limits: { gpus: 16 } }], or leave it out';
    this.declared = props.nodePools === undefined ? [] : checkList<NodePoolDeclaration>(this, 'nodePools', props.nodePools, { max: 1000 }, fix);
    this.budgetUsdPerHour = props.budgetUsdPerHour;
    this.daemonSets = this.checkDaemonSetOverhead(props.daemonSetOverhead);
    this.checkProps();
    this.node.addValidation({ validate: () => this.run().findings.filter(f => !f.suppression).map(f => f.message) });
  }

  /** Runs every rule over the scope this construct was added to and returns the report; never throws for a finding. */
  public check(): GuardrailReport {
    const run = this.run();
    const toFinding = (f: RunFinding): GuardrailFinding => ({
      rule: f.rule as GuardrailRule,
      path: f.path,
      message: f.message,
      ...(f.suppression ? { suppressionReason: f.suppression.reason } : {}),
    });
    const prices = new Map(run.budget.prices.map(p => [p.charge.pool, p.microUsd]));
    return {
      findings: run.findings.filter(f => !f.suppression).map(toFinding),
      suppressedFindings: run.findings.filter(f => f.suppression).map(toFinding),
      nodePools: run.charges.charges.map(c => {
        const microUsd = prices.get(c.pool);
        return {
          name: c.pool.name,
          path: c.pool.subject.node.path,
          declared: c.pool.origin === 'declared',
          demand: resourceAmountsOf(c.demand),
          limits: { ...c.pool.declaration.limits },
          workloads: c.entries.map(e => `${workloadName(e.workload)} (${e.pods} pod${e.pods === 1 ? '' : 's'})`),
          ...(microUsd !== undefined ? { costUsdPerHour: fromMicroUsd(microUsd), costMicroUsdPerHour: microUsd } : {}),
        };
      }),
      outsidePools: run.charges.outside.map(workloadName),
      worstCaseCostUsdPerHour: fromMicroUsd(run.budget.totalMicroUsd),
      worstCaseCostMicroUsdPerHour: run.budget.totalMicroUsd,
      unpricedPools: run.budget.unpriced.map(c => c.pool.name),
      ...(this.budgetUsdPerHour !== undefined ? { budgetUsdPerHour: this.budgetUsdPerHour } : {}),
      unusedSuppressions: run.unusedSuppressions,
      workloadsChecked: run.workloads,
      objectsRead: run.objectsRead,
      bill: AppBill._of(computeBill(run, new Map(), new Set())),
      timeToCapacity: run.timeToCapacity,
      reachability: run.reach.map(r => ({
        path: workloadName(r.workload),
        minReplicas: r.workload.footprint.minReplicas,
        maxReplicas: r.workload.footprint.maxReplicas,
        reachableReplicas: r.reachable,
        bindingConstraint: r.binding,
        reason: r.reason,
      })),
      scenarios: run.scenarios.map(s => ({
        scenario: s.scenario,
        lost: s.lost,
        lostPools: s.lostPools.map(p => p.name),
        holds: s.short.length === 0,
        workloadsShort: s.short.map(x => `${workloadName(x.workload)} (${x.pods} of ${x.workload.footprint.minReplicas} minimum pods)`),
        shortfall: resourceAmountsOf(s.shortfall),
        summary: s.summary,
      })),
      singleNodeExposures: run.singleNodeExposures,
    };
  }

  /**
   * The app's bill with the expected replicas given (for instance each workload's mean replicas in a replay of its
   * autoscaler); every workload not listed is expected at its minReplicas. RULES.md ("The bill") has the formulas.
   * @param expected expected replicas by the namespace, kind, name (and component) of the scaled object, each workload
   * at most once, from 0 to its maxReplicas
   */
  public bill(expected: WorkloadReplicas[] = []): AppBill {
    const run = this.run();
    const { replicas, given } = expectedReplicas(this, run.context.workloads, expected);
    return AppBill._of(computeBill(run, replicas, given));
  }
  private run(): RunResult {
    return runGuardrails(this.node.scope!, this, this.declared, this.budgetUsdPerHour, this.daemonSets);
  }

  private checkDaemonSetOverhead(overhead: DaemonSetOverhead | undefined): Amounts {
    const fix = 'give what the DaemonSets request per node, e.g. { cpu: Cpu.millis(250), memory: Size.mebibytes(512) }, or leave it out';
    checkStruct(this, 'daemonSetOverhead', overhead, fix, true);
    if (overhead === undefined) return NO_DAEMON_SETS;
    const cpu = checkOptionalCpu(this, 'daemonSetOverhead.cpu', overhead.cpu, fix, 1000);
    const memory = checkOptionalSize(this, 'daemonSetOverhead.memory', overhead.memory, fix, 0, 1024 * 1024);
    const gpuCount = checkOptionalWhole(this, 'daemonSetOverhead.gpus', overhead.gpus, { max: 64 }, 'give whole GPUs from 0 to 64, or leave it out');
    return amountsOf({ cpu: cpu ?? Cpu.millis(0), memory: memory ?? Size.mebibytes(0), gpus: gpuCount ?? 0 });
  }

  private checkProps(): void {
    const budget: unknown = this.budgetUsdPerHour;
    if (budget !== undefined && !(typeof budget === 'number' && Number.isFinite(budget) && budget > 0)) {
      invalidProp(this, 'budgetUsdPerHour', budget, 'must be a price above zero', 'give the most the node pools may cost per hour, in US dollars');
    }
    const names = new Map<string, number>();
    this.declared.forEach((d, i) => {
      const prop = `nodePools[${i}]`;
      checkStruct(this, prop, d, 'give { name, taints, labels, limits, instanceTypes, weight } of the NodePool');
      if (typeof d.name !== 'string' || !isDns1123Subdomain(d.name)) {
        invalidProp(this, `${prop}.name`, d.name, 'is not a NodePool name (a DNS-1123 subdomain)', 'give the name of the NodePool as the cluster has it');
      }
      const first = names.get(d.name);
      if (first !== undefined) {
        invalidProp(this, `${prop}.name`, d.name, `is already declared (nodePools[${first}])`, 'declare each pool once');
      }
      names.set(d.name, i);
      this.checkTaints(d.taints, prop);
      this.checkLabels(d.labels, prop);
      this.checkLimits(d.limits, prop);
      if (d.instanceTypes !== undefined) {
        checkListOf(this, `${prop}.instanceTypes`, d.instanceTypes, { max: 1000 }, 'give InstanceTypes from a catalog, or leave it out',
          (t, p) => checkInstance(this, p, t, InstanceType as any, 'give an InstanceType from a catalog or InstanceType.of'));
      }
      if (d.weight !== undefined) requireInteger(this, `${prop}.weight`, d.weight, 1, 100, 'use a Karpenter weight from 1 to 100, or leave it out');
      checkKubeletSettings(this, `${prop}.kubelet`, d.kubelet);
      // Capacity reservations (issue 17): the fixed hourly cost of the pool's reservations.
      checkOptionalNumber(this, `${prop}.reservedUsdPerHour`, d.reservedUsdPerHour, { min: 0, max: 10_000_000, what: 'a price' },
        'give what the pool\'s capacity reservations cost per hour, in US dollars, or leave it out');
    });
  }

  private checkTaints(taints: unknown, prop: string): void {
    if (taints === undefined) return;
    const fix = 'give the taints of the pool\'s nodes, e.g. [{ key: \'nvidia.com/gpu\', effect: NodeTaintEffect.NO_SCHEDULE }]';
    checkListOf(this, `${prop}.taints`, taints, { max: 100 }, fix, (t, p) => {
      checkStruct(this, p, t, fix);
      const taint = t as NodeTaint;
      if (taint.key === '') invalidProp(this, `${p}.key`, taint.key, 'is empty', 'give the taint key, e.g. nvidia.com/gpu');
      checkString(this, `${p}.key`, taint.key, 'give the taint key, e.g. nvidia.com/gpu', 316);
      if (!isQualifiedName(taint.key)) {
        invalidProp(this, `${p}.key`, taint.key, 'is not a taint key (an optional DNS subdomain and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\')',
          'give the taint key, e.g. nvidia.com/gpu');
      }
      if (taint.value !== undefined) checkLabelValue(this, `${p}.value`, taint.value);
      if (!TAINT_EFFECTS.includes(taint.effect)) {
        invalidProp(this, `${p}.effect`, taint.effect, 'is not a taint effect', `use ${TAINT_EFFECTS.join(', ')} (NodeTaintEffect)`);
      }
    });
  }

  private checkLabels(labels: unknown, prop: string): void {
    if (labels === undefined) return;
    const fix = 'list the values the pool allows for the label, or leave the label out';
    checkStruct(this, `${prop}.labels`, labels, 'give node label keys and the values the pool allows, e.g. { \'karpenter.k8s.aws/instance-gpu-name\': [\'a10g\'] }');
    for (const [key, values] of Object.entries(labels as object)) {
      if (!isQualifiedName(key)) {
        invalidProp(this, `${prop}.labels`, key, 'has a key that is not a label key (an optional DNS subdomain and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\')',
          'use node label keys such as "karpenter.k8s.aws/instance-gpu-name"');
      }
      if (!Array.isArray(values) || values.length === 0) invalidProp(this, `${prop}.labels.${key}`, values, 'lists no value', fix);
      values.forEach((v: unknown, j: number) => checkLabelValue(this, `${prop}.labels.${key}[${j}]`, v));
    }
  }

  private checkLimits(limits: unknown, prop: string): void {
    if (limits === undefined) return;
    checkStruct(this, `${prop}.limits`, limits, 'give { vcpus, memory, gpus } of the pool, or leave it out for no limits');
    for (const [key, value] of Object.entries(limits as object)) {
      if (key === 'memory') {
        if (value !== undefined && !(value instanceof Size && Number.isFinite(value.toGibibytes({ rounding: SizeRoundingBehavior.NONE })))) {
          invalidProp(this, `${prop}.limits.memory`, value, 'must be a Size', 'give the pool\'s memory limit, e.g. Size.gibibytes(1024), or leave it out for no limit');
        }
      } else if (key === 'vcpus' || key === 'gpus') {
        if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
          invalidProp(this, `${prop}.limits.${key}`, value, 'must be a number of 0 or more', 'give the pool\'s limit, or leave it out for no limit');
        }
      } else {
        invalidProp(this, `${prop}.limits`, key, 'is not a limit of a pool', 'give vcpus, memory or gpus');
      }
    }
  }
}
