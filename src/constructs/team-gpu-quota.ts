import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KueueQueues, KueueTeam } from './kueue-queues';
import { invalidProp, requireInteger } from '../common/errors';
import { requireDns1123Label } from '../common/names';
import { checkInstance, checkList, checkString, checkStruct } from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { isPriorityClassName } from './internal/priority';

/** A cap on the GPUs that a team's pods of one PriorityClass request at once. */
export interface PriorityClassGpuQuota {
  /** The PriorityClass, e.g. `priorities.trainingClassName` of a GpuWorkPriorities. */
  readonly priorityClassName: string;
  /** The most GPUs the namespace's pods of this class may request together (0: none of this class). */
  readonly maxGpus: number;
}

/**
 * A team's GPU quota enforced by Kueue admission: the team's ClusterQueue and LocalQueues, written by a KueueQueues.
 */
export interface TeamKueueQuota {
  /** The KueueQueues whose cohort and ResourceFlavors (one per NodePool) the team's ClusterQueue uses. */
  readonly queues: KueueQueues;
  /**
   * The team, as `KueueQueuesProps.teams` declares one: its queue name, namespaces (the TeamGpuQuota's namespace among
   * them) and GPUs per NodePool, with borrowing and lending limits.
   */
  readonly team: KueueTeam;
}

/** Properties of a TeamGpuQuota. */
export interface TeamGpuQuotaProps {
  /**
   * The team's namespace (it must exist: this construct does not create it). With `kueue`, one of the team's namespaces.
   * @default - the chart's namespace; with `kueue`, the team's first namespace
   */
  readonly namespace?: string;
  /**
   * The most GPUs all of the namespace's pods may request together, whatever their class.
   * @default - no total (give this, `perPriorityClass` or `kueue`)
   */
  readonly maxGpus?: number;
  /**
   * Caps per PriorityClass, e.g. 8 GPUs of real-time inference and 4 of training. Pods of other classes,
   * or of none, are capped only by `maxGpus`.
   * @default - none (give this, `maxGpus` or `kueue`)
   */
  readonly perPriorityClass?: PriorityClassGpuQuota[];
  /**
   * Enforce the quota with Kueue instead of ResourceQuotas: the team's ClusterQueue (nominal GPUs per NodePool,
   * borrowing and lending within the cohort) and a LocalQueue in each of its namespaces, added to `queues` with
   * `KueueQueues.addTeam`. Kueue admits a queued workload (Job, RayJob, RayCluster, a ScaledJob's Jobs) only when
   * the team's quota holds all its pods, and keeps it suspended until then, where a ResourceQuota would let the
   * Job start and refuse some of its pods. Exclusive with `maxGpus` and `perPriorityClass`: a ResourceQuota on the
   * same namespace also counts the pods Kueue admitted, and would refuse those it has no room for.
   * Only workloads that name the queue (`queueName`) are admitted by Kueue; others in the namespace are not capped.
   * @default - none: ResourceQuotas
   */
  readonly kueue?: TeamKueueQuota;
  /**
   * Name of the ResourceQuota with the total; a per-class quota is named `<name>-<class>`.
   * @default - generated from the construct path
   */
  readonly name?: string;
}

/** The largest GPU count a quota takes here: far above any namespace, low enough to catch a typo. */
const MAX_GPUS = 1_000_000;
const QUOTA_RESOURCE = `requests.${GpuRequest.RESOURCE_NAME}`;

/**
 * A team's share of the GPUs: `ResourceQuota`s on `requests.nvidia.com/gpu` in the team's namespace, in
 * total and, optionally, per PriorityClass (a quota `scopeSelector` on the `PriorityClass` scope); or, with
 * `kueue`, the team's Kueue ClusterQueue and LocalQueues, so that Kueue admission enforces the quota.
 *
 * Use it with GpuWorkPriorities on shared pools, so that one team cannot take every GPU, and so that, say,
 * its training cannot grow into the GPUs kept for its model servers. The API server refuses a pod whose
 * GPUs would take its namespace over a quota: a Deployment or Job then stays short of pods (its events say
 * `exceeded quota`) until GPUs are released. Only `requests.` quotas exist for extended resources such as
 * GPUs (a GPU's request always equals its limit), and pods without GPUs are not affected.
 *
 * To keep teams from using a class at all unless they have a quota for it (e.g. real-time inference), the
 * API server can be configured to require one: a `ResourceQuota` admission configuration with
 * `limitedResources` matching the `PriorityClass` scope.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-per-priorityclass
 * @example
 * const priorities = new GpuWorkPriorities(chart, 'priorities');
 * new TeamGpuQuota(chart, 'search-team', {
 *   namespace: 'search',
 *   maxGpus: 16,
 *   perPriorityClass: [
 *     { priorityClassName: priorities.realTimeInferenceClassName, maxGpus: 8 },
 *     { priorityClassName: priorities.trainingClassName, maxGpus: 4 },
 *   ],
 * });
 * // The Kueue variant: the research team's quota as a ClusterQueue of the app's KueueQueues.
 * const queues = new KueueQueues(chart, 'queues', { cohort: 'ml-teams' });
 * new TeamGpuQuota(chart, 'research-team', {
 *   kueue: { queues, team: { name: 'research', namespaces: ['ml-training'], gpus: [{ nodePool: 'gpu-a10g', gpus: 12 }] } },
 * });
 */
export class TeamGpuQuota extends Construct {
  /**
   * The ResourceQuota on all the namespace's GPUs (id `Resource`).
   * @default - none without maxGpus
   */
  public readonly totalQuota?: ApiObject;
  /** One ResourceQuota per entry of `perPriorityClass`, in order. */
  public readonly priorityClassQuotas: ApiObject[] = [];
  /**
   * With `kueue`: the team's ClusterQueue (in the KueueQueues' scope).
   * @default - none without kueue
   */
  public readonly clusterQueue?: ApiObject;
  /** With `kueue`: the team's LocalQueues, one per namespace (in the KueueQueues' scope); empty without. */
  public readonly localQueues: ApiObject[] = [];
  /** The namespace the quotas apply to. */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: TeamGpuQuotaProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { namespace, maxGpus }, { namespace, perPriorityClass } or { kueue }');
    const perClass = props.perPriorityClass ?? [];
    if (props.kueue !== undefined) {
      this.namespace = this.checkKueue(props);
      const written = props.kueue.queues._addTeam(props.kueue.team, this, 'kueue.team');
      this.clusterQueue = written.clusterQueue;
      this.localQueues.push(...written.localQueues);
      return;
    }
    this.namespace = this.checkProps(props, perClass);

    if (props.maxGpus !== undefined) {
      this.totalQuota = this.quota('Resource', props.name, props.maxGpus);
    }
    perClass.forEach(q => {
      this.priorityClassQuotas.push(this.quota(q.priorityClassName, props.name && `${props.name}-${q.priorityClassName}`, q.maxGpus, {
        matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [q.priorityClassName] }],
      }));
    });
  }

  private quota(id: string, name: string | undefined, gpus: number, scopeSelector?: Record<string, any>): ApiObject {
    return new ApiObject(this, id, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { ...(name !== undefined ? { name } : {}), namespace: this.namespace },
      spec: { hard: { [QUOTA_RESOURCE]: String(gpus) }, scopeSelector },
    });
  }

  /** The Kueue variant's checks (the team itself is checked by KueueQueues.addTeam); returns the namespace. */
  private checkKueue(props: TeamGpuQuotaProps): string {
    const k = props.kueue!;
    checkStruct(this, 'kueue', k, 'give { queues, team }');
    checkInstance(this, 'kueue.queues', k.queues, KueueQueues, 'give the app\'s KueueQueues');
    for (const prop of ['maxGpus', 'perPriorityClass'] as const) {
      if (props[prop] !== undefined) {
        invalidProp(this, prop, props[prop], 'and \'kueue\' are exclusive: a ResourceQuota also counts the pods Kueue admitted, and refuses those it has no room for',
          'give the team\'s GPUs in kueue.team.gpus (Kueue admission), or leave kueue out for ResourceQuotas');
      }
    }
    checkStruct(this, 'kueue.team', k.team, 'give { name, namespaces, gpus }');
    const namespaces = Array.isArray(k.team.namespaces) ? k.team.namespaces : [];
    const namespace = props.namespace ?? namespaces[0];
    if (props.namespace !== undefined) {
      requireDns1123Label(this, 'namespace', props.namespace);
      if (!namespaces.includes(props.namespace)) {
        invalidProp(this, 'namespace', props.namespace, `is not one of kueue.team.namespaces (${namespaces.join(', ')})`,
          'add it to the team\'s namespaces, or leave namespace out');
      }
    }
    if (props.name !== undefined) {
      invalidProp(this, 'name', props.name, 'names ResourceQuotas, and with \'kueue\' there are none (the ClusterQueue and LocalQueues are named after kueue.team.name)',
        'leave name out');
    }
    return namespace;
  }

  private checkProps(props: TeamGpuQuotaProps, perClass: PriorityClassGpuQuota[]): string {
    checkList(this, 'perPriorityClass', perClass, { max: 100 }, 'list one cap per PriorityClass, e.g. [{ priorityClassName: \'training\', maxGpus: 4 }]');
    perClass.forEach((q, i) => checkStruct(this, `perPriorityClass[${i}]`, q, 'give { priorityClassName, maxGpus }'));
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace === undefined) {
      invalidProp(this, 'namespace', undefined, 'is missing, and the chart has no namespace either',
        'give the team\'s namespace, e.g. namespace: "team-a" (a quota applies to one namespace)');
    }
    requireDns1123Label(this, 'namespace', namespace);
    if (props.maxGpus === undefined && perClass.length === 0) {
      invalidProp(this, 'maxGpus', undefined, 'and \'perPriorityClass\' are both missing, so there is nothing to limit',
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both; or kueue for a Kueue ClusterQueue');
    }
    if (props.maxGpus !== undefined) {
      requireInteger(this, 'maxGpus', props.maxGpus, 0, MAX_GPUS, 'give the whole number of GPUs the team may request at once (0: none)');
    }
    requireDns1123Label(this, 'name', props.name);
    perClass.forEach((q, i) => {
      const prop = `perPriorityClass[${i}]`;
      checkString(this, `${prop}.priorityClassName`, q.priorityClassName, 'give the name of a PriorityClass, e.g. priorities.trainingClassName', 253);
      if (!isPriorityClassName(q.priorityClassName)) {
        invalidProp(this, `${prop}.priorityClassName`, q.priorityClassName,
          'is not a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters)',
          'give the name of a PriorityClass, e.g. priorities.trainingClassName');
      }
      const same = perClass.findIndex(o => o.priorityClassName === q.priorityClassName);
      if (same < i) {
        invalidProp(this, `${prop}.priorityClassName`, q.priorityClassName, `is already capped by perPriorityClass[${same}]`,
          'keep one cap per class: two quotas on one class both apply, and the lower one wins');
      }
      requireInteger(this, `${prop}.maxGpus`, q.maxGpus, 0, MAX_GPUS, 'give the whole number of GPUs this class may request at once (0: none)');
      if (props.name !== undefined && props.name.length + 1 + q.priorityClassName.length > 253) {
        invalidProp(this, 'name', props.name, `makes the quota name of ${prop} longer than 253 characters`, 'shorten the name');
      }
    });
    return namespace!;
  }
}
