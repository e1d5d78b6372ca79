import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CostAwareNodePool } from './cost-aware-node-pool';
import { GpuWorkPriorities } from './gpu-work-priorities';
import { kueueBindings } from './internal/bindings';
import { findWorkPriorities } from './internal/priority';
import { invalidProp, requireInteger } from '../common/errors';
import { LABEL_CAPACITY_TYPE, LABEL_GPU_NAME, LABEL_NODEPOOL } from '../common/karpenter-labels';
import { isDns1123Label, isDns1123Subdomain, LABEL_NODE_POOL_PURPOSE } from '../common/names';
import {
  checkInstance, checkList, checkOptionalBoolean, checkOptionalSize, checkOptionalWhole, checkString, checkStruct, checkUnique, checkWhole,
} from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { NodePoolDeclaration } from '../values/node-pool-declaration';

/** The most GPUs one quota may name (a sanity bound: no cluster has more). */
const MAX_GPUS = 100_000;
/** The most vCPUs one quota may name. */
const MAX_VCPUS = 10_000_000;
/** Kueue's ResourceFlavor `nodeLabels` and `nodeTaints` hold at most 8 entries each (kueue.x-k8s.io_resourceflavors.yaml, v0.19.2). */
const MAX_FLAVOR_ENTRIES = 8;
/** The pool labels a flavor names, most telling first: Kueue matches a pod's nodeSelector against these keys only. */
const FLAVOR_LABEL_KEYS = [LABEL_NODEPOOL, LABEL_GPU_NAME, LABEL_CAPACITY_TYPE, LABEL_NODE_POOL_PURPOSE];
/** The namespace name label the API server puts on every namespace (Kubernetes 1.22+). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One team's GPU quota on one node pool (a Kueue ResourceFlavor named after the NodePool). */
export interface KueueGpuQuota {
  /**
   * The NodePool name (`metadata.name` of a NodePool of one of the pools, e.g. `gpu-a10g`, or `gpu-inference-spot` for
   * a CostAwareNodePool with spot and on-demand pools): the ResourceFlavor of that NodePool.
   */
  readonly nodePool: string;
  /** GPUs the team is guaranteed on the pool (`nominalQuota` of `nvidia.com/gpu`), a whole number (0: only borrowed GPUs). */
  readonly gpus: number;
  /**
   * The most GPUs above `gpus` the team may borrow on the pool from the cohort's other teams (`borrowingLimit`). Needs
   * `cohort`: Kueue refuses a borrowingLimit without one.
   * @default - no limit: whatever the cohort's other teams lend
   */
  readonly borrowingLimitGpus?: number;
  /**
   * The most of its `gpus` the team lends to the cohort when it does not use them (`lendingLimit`), at most `gpus`.
   * Needs `cohort`.
   * @default - no limit: all of its unused GPUs
   */
  readonly lendingLimitGpus?: number;
}

/** One team: a ClusterQueue with its quota, and a LocalQueue of the same name in each of its namespaces. */
export interface KueueTeam {
  /**
   * The name of the team's ClusterQueue and of its LocalQueues, which its workloads name in their `queueName` prop
   * (the `kueue.x-k8s.io/queue-name` label). A DNS-1123 label.
   */
  readonly name: string;
  /** The team's namespaces: a LocalQueue in each, and only they may submit to the ClusterQueue (`namespaceSelector`). */
  readonly namespaces: string[];
  /** GPU quotas per node pool; a pool not listed gives the team no GPUs. */
  readonly gpus: KueueGpuQuota[];
  /**
   * vCPUs the team is guaranteed, on any node (the CPU flavor): its GPU pods' CPU and its CPU-only pods' (Ray heads).
   * @default - for each GPU quota, its GPUs times the most vCPUs per GPU of the pool's instance types
   */
  readonly vcpus?: number;
  /**
   * Memory the team is guaranteed, on any node (the CPU flavor).
   * @default - for each GPU quota, its GPUs times the most memory per GPU of the pool's instance types
   */
  readonly memory?: Size;
}

/** What KueueQueues writes for one team. */
export interface KueueTeamQueues {
  /** The team's ClusterQueue (cluster-scoped), named after the team. */
  readonly clusterQueue: ApiObject;
  /** The team's LocalQueues, one per namespace, in the order of its `namespaces`. */
  readonly localQueues: ApiObject[];
}

/** Properties of KueueQueues. */
export interface KueueQueuesProps {
  /**
   * The teams: one ClusterQueue each. More can be added with `addTeam`, or by a TeamGpuQuota with `kueue`.
   * @default - none here: add them with addTeam (a KueueQueues without any team is an error at synth)
   */
  readonly teams?: KueueTeam[];
  /**
   * The cohort the teams' ClusterQueues share (`cohortName`): a team may then borrow the GPUs the others do not use,
   * and reclaims its own (preempting borrowers) when it needs them.
   * @default - none: each team has only its own quota, and borrowing and lending limits are refused
   */
  readonly cohort?: string;
  /**
   * The node pools to make ResourceFlavors of: one flavor per NodePool.
   * @default - every CostAwareNodePool in the app created before this construct
   */
  readonly pools?: CostAwareNodePool[];
  /**
   * The name of the flavor that carries the teams' CPU and memory quota: no node labels, so pods take CPU and memory
   * wherever they land.
   * @default "any-node"
   */
  readonly cpuFlavorName?: string;
  /**
   * Create Kueue WorkloadPriorityClasses with the names and values of the app's GpuWorkPriorities, for workloads that
   * name one (`kueue.x-k8s.io/priority-class`). Kueue already orders and preempts the other workloads by their pods'
   * PriorityClass.
   * @default - true when the app has a GpuWorkPriorities that creates its classes
   */
  readonly workloadPriorityClasses?: boolean;
}

/** A ResourceFlavor as it is written. */
interface Flavor {
  readonly name: string;
  readonly declaration: NodePoolDeclaration;
  readonly nodeLabels: { [key: string]: string };
}

/**
 * Kueue queues for teams that share GPU node pools: a ResourceFlavor per NodePool (its node labels and taints), a
 * ClusterQueue per team with a nominal GPU quota per pool (and borrowing and lending limits within a cohort), a
 * LocalQueue in each of the team's namespaces, and WorkloadPriorityClasses aligned with GpuWorkPriorities.
 *
 * Kueue admits a workload (a Job, a RayJob, a RayCluster, a KEDA ScaledJob's Jobs) as a whole when its queue has the
 * quota for all its pods, and keeps it suspended until then. Give `queueName` (the team's `name`) to BatchInferenceJob,
 * HyperparameterSearch and ElasticRayTraining. The guardrails (`kueue-quota`) report a workload larger than its queue
 * can ever admit, a queue whose flavors no pool offers, and a flavor without a pool.
 *
 * Each flavor names the NodePool (`karpenter.sh/nodepool`) and the pool's GPU model and capacity type where it has one,
 * as `nodeLabels`: Kueue puts them in the admitted pods' nodeSelector, and skips a flavor whose labels a pod's
 * nodeSelector contradicts. The pool's taints are the flavor's `nodeTaints`, so only pods that tolerate them are given
 * it. CPU and memory are counted in a separate resource group, on a flavor without labels, so that CPU-only pods (Ray
 * heads) are admitted without a GPU pool. Requires Kueue v0.19 (`kueue.x-k8s.io/v1beta2`) in the cluster.
 *
 * @see https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/
 * @example
 * new KueueQueues(chart, 'queues', {
 *   cohort: 'ml',
 *   teams: [
 *     { name: 'research', namespaces: ['ml-training'], gpus: [{ nodePool: 'gpu-a10g', gpus: 8, lendingLimitGpus: 4 }] },
 *     { name: 'batch', namespaces: ['ml-batch'], gpus: [{ nodePool: 'gpu-l4', gpus: 8, borrowingLimitGpus: 0 }] },
 *   ],
 * });
 */
export class KueueQueues extends Construct {
  /** The ResourceFlavors: one per NodePool, then the CPU flavor. */
  public readonly resourceFlavors: ApiObject[] = [];
  /** The teams' ClusterQueues, in the order the teams were given (`teams`, then `addTeam`). */
  public readonly clusterQueues: ApiObject[] = [];
  /** The LocalQueues: each team's, one per namespace. */
  public readonly localQueues: ApiObject[] = [];
  /** The WorkloadPriorityClasses (none when `workloadPriorityClasses` is off or the app has no GpuWorkPriorities). */
  public readonly workloadPriorityClasses: ApiObject[] = [];
  /** The cohort name; undefined without one. */
  public readonly cohort?: string;

  private readonly flavors: Map<string, Flavor>;
  private readonly cpuFlavor: string;
  private readonly teamNames = new Set<string>();

  public constructor(scope: Construct, id: string, props: KueueQueuesProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { teams, cohort }');
    const pools = this.poolsOf(props);
    const cpuFlavor = props.cpuFlavorName ?? 'any-node';
    this.checkName('cpuFlavorName', cpuFlavor);
    this.cpuFlavor = cpuFlavor;
    this.cohort = props.cohort;
    if (props.cohort !== undefined) this.checkName('cohort', props.cohort);
    const flavors = this.flavorsOf(pools);
    this.flavors = flavors;
    if (flavors.has(cpuFlavor)) {
      invalidProp(this, 'cpuFlavorName', cpuFlavor, 'is also the name of a NodePool\'s flavor, and Kueue refuses a flavor in two resource groups',
        'give the CPU flavor another name');
    }
    const teams = props.teams === undefined ? []
      : checkList<KueueTeam>(this, 'teams', props.teams, { min: 1, max: 1000 }, 'give one { name, namespaces, gpus } per team, or leave teams out and call addTeam');
    teams.forEach((t, i) => this.checkTeam(t, `teams[${i}]`));
    checkUnique(this, 'teams', teams, t => t.name, 'give each team its own name (it names a ClusterQueue)');

    const k = kueueBindings();
    for (const f of flavors.values()) {
      const taints = (f.declaration.taints ?? []).slice(0, MAX_FLAVOR_ENTRIES);
      this.resourceFlavors.push(this.clusterScoped(new k.ResourceFlavor(this, `Flavor-${f.name}`, {
        metadata: { name: f.name },
        spec: {
          nodeLabels: f.nodeLabels,
          ...(taints.length > 0 ? { nodeTaints: taints.map(t => ({ key: t.key, value: t.value, effect: t.effect })) } : {}),
        },
      })));
    }
    this.resourceFlavors.push(this.clusterScoped(new k.ResourceFlavor(this, 'Flavor-cpu', { metadata: { name: cpuFlavor }, spec: {} })));

    for (const team of teams) this.writeTeam(team);

    const create = checkOptionalBoolean(this, 'workloadPriorityClasses', props.workloadPriorityClasses);
    const { set } = findWorkPriorities(this);
    const priorities = set instanceof GpuWorkPriorities ? set : undefined;
    const classes = priorities
      ? [priorities.realTimeInference, priorities.batchInference, priorities.training].filter((c): c is ApiObject => c !== undefined)
      : [];
    if (create === true && classes.length === 0) {
      invalidProp(this, 'workloadPriorityClasses', true, 'needs a GpuWorkPriorities in the app that creates its classes (their names and values are copied)',
        'create a GpuWorkPriorities before this construct, or leave workloadPriorityClasses out');
    }
    if (create !== false) {
      for (const c of classes) {
        const json = c.toJson();
        this.workloadPriorityClasses.push(this.clusterScoped(new k.WorkloadPriorityClass(this, `Priority-${json.metadata.name}`, {
          metadata: { name: json.metadata.name },
          value: json.value,
          description: json.description,
        })));
      }
    }
    // cdk8s puts the construct path in front of a validation message.
    this.node.addValidation({
      validate: () => this.clusterQueues.length > 0 ? [] : [
        '\'teams\' (undefined) is missing, and no team was added: the ResourceFlavors admit nothing without a ClusterQueue: ' +
        'give teams, or call addTeam (a TeamGpuQuota with kueue does)',
      ],
    });
  }

  /**
   * Adds a team after construction: its ClusterQueue (with the cohort and flavors of this construct) and a LocalQueue
   * in each of its namespaces, checked as the `teams` prop is. TeamGpuQuota's `kueue` calls it.
   * @param team the team, as in `teams`; its name must differ from every other team's
   */
  public addTeam(team: KueueTeam): KueueTeamQueues {
    return this._addTeam(team, this, 'team');
  }

  /** addTeam, with errors addressed to the construct and prop that gave the team (TeamGpuQuota's `kueue.team`). @internal */
  public _addTeam(team: KueueTeam, scope: Construct, prop: string): KueueTeamQueues {
    this.checkTeam(team, prop, scope);
    return this.writeTeam(team);
  }

  /** A cluster-scoped kind: a chart's namespace must not apply. */
  private clusterScoped(o: ApiObject): ApiObject {
    if (Chart.of(this).namespace !== undefined) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    return o;
  }

  private writeTeam(team: KueueTeam): KueueTeamQueues {
    const k = kueueBindings();
    const quantity = k.ClusterQueueSpecResourceGroupsFlavorsResourcesNominalQuota;
    const borrowing = k.ClusterQueueSpecResourceGroupsFlavorsResourcesBorrowingLimit;
    const lending = k.ClusterQueueSpecResourceGroupsFlavorsResourcesLendingLimit;
    const { vcpus, memoryMib } = this.cpuQuota(team);
    const cq = this.clusterScoped(new k.ClusterQueue(this, `ClusterQueue-${team.name}`, {
      metadata: { name: team.name },
      spec: {
        ...(this.cohort !== undefined ? { cohortName: this.cohort } : {}),
        namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...team.namespaces] }] },
        // Reclaim lent quota from any borrower; within the team, never evict running work for queued work (GpuWorkPriorities' order).
        ...(this.cohort !== undefined ? {
          preemption: {
            reclaimWithinCohort: k.ClusterQueueSpecPreemptionReclaimWithinCohort.ANY,
            withinClusterQueue: k.ClusterQueueSpecPreemptionWithinClusterQueue.NEVER,
          },
        } : {}),
        resourceGroups: [
          ...(team.gpus.length > 0 ? [{
            coveredResources: [GpuRequest.RESOURCE_NAME],
            flavors: team.gpus.map(q => ({
              name: q.nodePool,
              resources: [{
                name: GpuRequest.RESOURCE_NAME,
                nominalQuota: quantity.fromNumber(q.gpus),
                ...(q.borrowingLimitGpus !== undefined ? { borrowingLimit: borrowing.fromNumber(q.borrowingLimitGpus) } : {}),
                ...(q.lendingLimitGpus !== undefined ? { lendingLimit: lending.fromNumber(q.lendingLimitGpus) } : {}),
              }],
            })),
          }] : []),
          {
            coveredResources: ['cpu', 'memory'],
            flavors: [{
              name: this.cpuFlavor,
              resources: [
                { name: 'cpu', nominalQuota: quantity.fromNumber(vcpus) },
                { name: 'memory', nominalQuota: quantity.fromString(`${memoryMib}Mi`) },
              ],
            }],
          },
        ],
      },
    }));
    this.clusterQueues.push(cq);
    this.teamNames.add(team.name);
    const localQueues = team.namespaces.map(namespace => new k.LocalQueue(this, `LocalQueue-${team.name}-${namespace}`, {
      metadata: { name: team.name, namespace },
      spec: { clusterQueue: team.name },
    }));
    this.localQueues.push(...localQueues);
    return { clusterQueue: cq, localQueues };
  }

  private poolsOf(props: KueueQueuesProps): CostAwareNodePool[] {
    if (props.pools !== undefined) {
      const pools = checkList<CostAwareNodePool>(this, 'pools', props.pools, { min: 1, max: 256 }, 'give the CostAwareNodePools whose NodePools the teams use');
      pools.forEach((p, i) => checkInstance(this, `pools[${i}]`, p, CostAwareNodePool, 'give a CostAwareNodePool'));
      return pools;
    }
    const found = this.node.root.node.findAll().filter((c: IConstruct): c is CostAwareNodePool => c instanceof CostAwareNodePool);
    if (found.length === 0) {
      invalidProp(this, 'pools', undefined, 'is missing, and the app has no CostAwareNodePool created before this construct',
        'create the CostAwareNodePools first, or give them in pools');
    }
    return found;
  }

  private flavorsOf(pools: CostAwareNodePool[]): Map<string, Flavor> {
    const out = new Map<string, Flavor>();
    for (const pool of pools) {
      for (const d of pool.nodePoolDeclarations) {
        const nodeLabels: { [key: string]: string } = {};
        for (const key of FLAVOR_LABEL_KEYS) {
          const values = d.labels?.[key] ?? [];
          if (values.length === 1) nodeLabels[key] = values[0];
        }
        out.set(d.name, { name: d.name, declaration: d, nodeLabels });
      }
    }
    return out;
  }

  private checkName(prop: string, value: unknown): void {
    checkString(this, prop, value, 'give a DNS-1123 subdomain, e.g. "ml-teams"', 253);
    if (!isDns1123Subdomain(value as string)) {
      invalidProp(this, prop, value, 'is not a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters)',
        'give a name such as "ml-teams"');
    }
  }

  private checkTeam(t: KueueTeam, at: string, scope: Construct = this): void {
    const flavors = this.flavors;
    const hasCohort = this.cohort !== undefined;
    checkStruct(scope, at, t, 'give { name, namespaces, gpus }');
    checkString(scope, `${at}.name`, t.name, 'give the team\'s queue name, e.g. "research"', 63);
    // The name is a ClusterQueue name and a LocalQueue name, written as a label value by the workloads: a DNS-1123 label fits all three.
    if (!isDns1123Label(t.name)) {
      invalidProp(scope, `${at}.name`, t.name, 'is not a DNS-1123 label (lowercase letters, digits and \'-\', at most 63 characters)',
        'give a name such as "research": it names the ClusterQueue, the LocalQueues and the workloads\' kueue.x-k8s.io/queue-name label');
    }
    if (this.teamNames.has(t.name)) {
      invalidProp(scope, `${at}.name`, t.name, 'is already a team of this KueueQueues', 'give each team its own name (it names a ClusterQueue)');
    }
    const namespaces = checkList<string>(scope, `${at}.namespaces`, t.namespaces, { min: 1, max: 100 }, 'give the team\'s namespaces, e.g. ["ml-training"]');
    namespaces.forEach((n, j) => {
      checkString(scope, `${at}.namespaces[${j}]`, n, 'give a namespace name', 63);
      if (!isDns1123Label(n)) invalidProp(scope, `${at}.namespaces[${j}]`, n, 'is not a namespace name (a DNS-1123 label)', 'give a namespace name such as "ml-training"');
    });
    checkUnique(scope, `${at}.namespaces`, namespaces, n => n, 'list each namespace once');
    const gpus = checkList<KueueGpuQuota>(scope, `${at}.gpus`, t.gpus, { max: 64 }, 'give one { nodePool, gpus } per GPU pool the team uses');
    gpus.forEach((q, j) => {
      const qa = `${at}.gpus[${j}]`;
      checkStruct(scope, qa, q, 'give { nodePool, gpus }');
      checkString(scope, `${qa}.nodePool`, q.nodePool, 'give a NodePool name', 253);
      const flavor = flavors.get(q.nodePool);
      if (!flavor) {
        invalidProp(scope, `${qa}.nodePool`, q.nodePool, `is not a NodePool of the pools (${[...flavors.keys()].join(', ')})`,
          'name one of them, or give its CostAwareNodePool in pools');
      }
      if (!(flavor.declaration.instanceTypes ?? []).some(type => type.gpus > 0)) {
        invalidProp(scope, `${qa}.nodePool`, q.nodePool, 'has no instance type with GPUs', 'give a GPU pool');
      }
      checkWhole(scope, `${qa}.gpus`, q.gpus, { min: 0, max: MAX_GPUS }, 'give the whole number of GPUs the team is guaranteed on the pool');
      for (const prop of ['borrowingLimitGpus', 'lendingLimitGpus'] as const) {
        const v = checkOptionalWhole(scope, `${qa}.${prop}`, q[prop], { min: 0, max: MAX_GPUS }, 'give a whole number of GPUs, or leave it out');
        // kueue v0.19.2 pkg/webhooks/clusterqueue_webhook.go validateLimit: "must be nil when cohort is empty".
        if (v !== undefined && !hasCohort) {
          invalidProp(scope, `${qa}.${prop}`, v, 'needs a cohort: Kueue refuses borrowing and lending limits of a ClusterQueue without one',
            'give cohort, or remove the limit');
        }
      }
      // validateLendingLimit: "must be less than or equal to the nominalQuota".
      if (q.lendingLimitGpus !== undefined && q.lendingLimitGpus > q.gpus) {
        invalidProp(scope, `${qa}.lendingLimitGpus`, q.lendingLimitGpus, `is above gpus (${q.gpus}): a team lends only GPUs of its own quota`,
          'lower lendingLimitGpus to gpus or less');
      }
    });
    // validateResourceGroups: a flavor appears once in a ClusterQueue.
    checkUnique(scope, `${at}.gpus`, gpus, q => q.nodePool, 'give one quota per NodePool: Kueue refuses a flavor twice in a ClusterQueue');
    checkOptionalWhole(scope, `${at}.vcpus`, t.vcpus, { min: 0, max: MAX_VCPUS }, 'give a whole number of vCPUs, or leave it out');
    checkOptionalSize(scope, `${at}.memory`, t.memory, 'give a Size, e.g. Size.gibibytes(512), or leave it out');
    if (t.vcpus === undefined && gpus.every(q => q.gpus === 0)) {
      invalidProp(scope, `${at}.vcpus`, undefined, 'is missing, and the team has no GPU quota to derive it from',
        'give vcpus and memory: the CPU and memory the team\'s pods may take');
    }
  }

  /** The team's CPU flavor quota: given, or its GPUs times the pools' most vCPUs and memory per GPU. */
  private cpuQuota(team: KueueTeam): { vcpus: number; memoryMib: number } {
    let vcpus = 0, memoryMib = 0;
    for (const q of team.gpus) {
      const types = (this.flavors.get(q.nodePool)!.declaration.instanceTypes ?? []).filter(t => t.gpus > 0);
      vcpus += q.gpus * Math.max(...types.map(t => Math.ceil(t.vcpus / t.gpus)));
      memoryMib += q.gpus * Math.max(...types.map(t => Math.ceil(t.memory.toMebibytes() / t.gpus)));
    }
    const memory = team.memory !== undefined ? Math.ceil(team.memory.toMebibytes()) : memoryMib;
    requireInteger(this, 'memory', memory, 0, Number.MAX_SAFE_INTEGER, 'give a smaller memory quota');
    return { vcpus: team.vcpus ?? vcpus, memoryMib: memory };
  }
}
