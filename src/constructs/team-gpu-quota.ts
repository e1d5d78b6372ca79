import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp, requireInteger } from '../common/errors';
import { requireDns1123Label } from '../common/names';
import { checkList, checkString, checkStruct } from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { isPriorityClassName } from './internal/priority';

/** A cap on the GPUs that a team's pods of one PriorityClass request at once. */
export interface PriorityClassGpuQuota {
  /** The PriorityClass, e.g. `priorities.trainingClassName` of a GpuWorkPriorities. */
  readonly priorityClassName: string;
  /** The most GPUs the namespace's pods of this class may request together (0: none of this class). */
  readonly maxGpus: number;
}

/** Properties of a TeamGpuQuota. */
export interface TeamGpuQuotaProps {
  /**
   * The team's namespace (it must exist: this construct does not create it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The most GPUs all of the namespace's pods may request together, whatever their class.
   * @default - no total (give this or `perPriorityClass`)
   */
  readonly maxGpus?: number;
  /**
   * Caps per PriorityClass, e.g. 8 GPUs of real-time inference and 4 of training. Pods of other classes,
   * or of none, are capped only by `maxGpus`.
   * @default - none (give this or `maxGpus`)
   */
  readonly perPriorityClass?: PriorityClassGpuQuota[];
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
 * total and, optionally, per PriorityClass (a quota `scopeSelector` on the `PriorityClass` scope).
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
 */
export class TeamGpuQuota extends Construct {
  /**
   * The ResourceQuota on all the namespace's GPUs (id `Resource`).
   * @default - none without maxGpus
   */
  public readonly totalQuota?: ApiObject;
  /** One ResourceQuota per entry of `perPriorityClass`, in order. */
  public readonly priorityClassQuotas: ApiObject[] = [];
  /** The namespace the quotas apply to. */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: TeamGpuQuotaProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { namespace, maxGpus } or { namespace, perPriorityClass }');
    const perClass = props.perPriorityClass ?? [];
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
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both');
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
