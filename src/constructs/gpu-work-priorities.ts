import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp, requireInteger } from '../common/errors';
import { checkOneOf, checkOptionalBoolean, checkString, checkStruct } from '../common/validate';
import { isPriorityClassName, registerWorkPriorities } from './internal/priority';
import { GpuWorkKind } from '../values/gpu-work-kind';

/**
 * Whether pods of a class may evict pods of lower priority to be scheduled (`preemptionPolicy`).
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/#non-preempting-priority-class
 */
export enum PreemptionPolicy {
  /** Evict lower-priority pods when nothing else makes room (the Kubernetes default). */
  PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority',
  /** Never evict anything: wait in the scheduling queue, ahead of lower-priority pods, until room appears. */
  NEVER = 'Never',
}

/** One PriorityClass of a GpuWorkPriorities. */
export interface WorkPriorityClassOptions {
  /**
   * Name of the PriorityClass: a DNS-1123 subdomain that does not start with `system-` (reserved).
   * @default - gpu-real-time-inference, gpu-batch-inference, gpu-training
   */
  readonly name?: string;
  /**
   * The priority of the class's pods: a whole number up to 1,000,000,000 (higher values are reserved for
   * the system classes). Real-time inference must stay above batch inference, and batch above training.
   * @default - 1,000,000 real-time inference, 100,000 batch inference, 10,000 training
   */
  readonly value?: number;
  /**
   * Whether the class's pods may evict pods of lower priority.
   * @default - PREEMPT_LOWER_PRIORITY for real-time inference, NEVER for batch inference and training
   */
  readonly preemptionPolicy?: PreemptionPolicy;
  /**
   * The class's `description`.
   * @default - what the class is for and how it preempts
   */
  readonly description?: string;
}

/** Properties of GpuWorkPriorities. */
export interface GpuWorkPrioritiesProps {
  /**
   * The class of model servers (InferenceAutoscaler, LargeModelServing, EdgeInference).
   * @default - gpu-real-time-inference, 1,000,000, preempts lower priorities
   */
  readonly realTimeInference?: WorkPriorityClassOptions;
  /**
   * The class of batch inference (BatchInferenceJob).
   * @default - gpu-batch-inference, 100,000, never preempts
   */
  readonly batchInference?: WorkPriorityClassOptions;
  /**
   * The class of training (ElasticRayTraining, HyperparameterSearch).
   * @default - gpu-training, 10,000, never preempts
   */
  readonly training?: WorkPriorityClassOptions;
  /**
   * Make one class the cluster's `globalDefault`: every pod created without a priorityClassName, in every
   * namespace, gets its value. A cluster takes one global default; with several, the lowest value wins.
   * @default - none: pods without a class keep priority 0 (or another class's global default)
   */
  readonly globalDefault?: GpuWorkKind;
  /**
   * Create the PriorityClasses. Set false when they already exist in the cluster (created by another app or
   * tool): nothing is synthesized, and the app's constructs still reference the classes by `name`.
   * @default true
   */
  readonly createClasses?: boolean;
}

interface ClassDefaults {
  readonly prop: 'realTimeInference' | 'batchInference' | 'training';
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: PreemptionPolicy;
  readonly description: string;
}

const CLASSES: Record<GpuWorkKind, ClassDefaults> = {
  [GpuWorkKind.REAL_TIME_INFERENCE]: {
    prop: 'realTimeInference',
    id: 'RealTimeInference',
    name: 'gpu-real-time-inference',
    value: 1_000_000,
    preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY,
    description: 'Real-time inference on shared GPU pools: scheduled first, and evicts batch inference and training when nothing else makes room.',
  },
  [GpuWorkKind.BATCH_INFERENCE]: {
    prop: 'batchInference',
    id: 'BatchInference',
    name: 'gpu-batch-inference',
    value: 100_000,
    preemptionPolicy: PreemptionPolicy.NEVER,
    description: 'Batch inference on shared GPU pools: scheduled before training, never evicts anything (it waits for room).',
  },
  [GpuWorkKind.TRAINING]: {
    prop: 'training',
    id: 'Training',
    name: 'gpu-training',
    value: 10_000,
    preemptionPolicy: PreemptionPolicy.NEVER,
    description: 'Training on shared GPU pools: scheduled last, never evicts anything; real-time inference may evict it (resume from checkpoints).',
  },
};

/** A class as it will be synthesized. */
interface ResolvedClass {
  readonly kind: GpuWorkKind;
  readonly prop: string;
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: PreemptionPolicy;
  readonly description: string;
}

/** Highest-priority kind first. */
const ORDER = [GpuWorkKind.REAL_TIME_INFERENCE, GpuWorkKind.BATCH_INFERENCE, GpuWorkKind.TRAINING];

/** The highest value a user-defined PriorityClass may have; above it the API server reserves values for system classes. */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
const MIN_INT32 = -(2 ** 31);

/**
 * PriorityClasses for the three kinds of GPU work that share node pools: real-time inference above batch
 * inference above training, so that at peak the model servers get the GPUs.
 *
 * Use it once per cluster (per chart): the app's InferenceAutoscaler, LargeModelServing and EdgeInference
 * model servers, BatchInferenceJob workers and ElasticRayTraining / HyperparameterSearch pods (head, workers
 * and the RayJob submitter) then carry the matching `priorityClassName`, decided at synth. Without a
 * GpuWorkPriorities in the app they carry none, because a pod that names a missing class is rejected by the
 * API server; a construct's own `priorityClassName` prop always wins. Apply the classes before the workloads
 * (create this construct first in its chart, or in a chart the others depend on): pods created before
 * their class exists are refused until it does, and their controllers keep retrying.
 *
 * Preemption, by default:
 * - real-time inference preempts (`PreemptLowerPriority`): when a model server cannot be placed, the
 *   scheduler evicts batch and training pods on a node where it would fit. It does so at once, before
 *   Karpenter could launch a node, and regardless of `karpenter.sh/do-not-disrupt`.
 * - batch inference and training never preempt (`Never`): they queue, batch ahead of training, and take
 *   GPUs as they free up. Batch work does not evict training because a training worker's eviction stalls
 *   the whole run, not just that worker, while batch work loses nothing by waiting.
 *
 * The trade-off: an evicted training worker loses the work since its last checkpoint (checkpoint to a
 * shared volume, e.g. `checkpointVolumeClaim`, and let Ray Train restore from it); an evicted batch pod is
 * rerun without counting as a failure. Where training must never be interrupted, give real-time inference
 * `preemptionPolicy: PreemptionPolicy.NEVER` (it then waits for a new node) or keep training on its own pool.
 * Node daemons on GPU nodes (device plugin, DCGM exporter) need a class above real-time inference
 * (`system-node-critical`), or a model server may evict them. The value and the preemption policy of a
 * class cannot change once it exists: to change them, delete the class and apply it again (running pods
 * keep their priority).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
 * @example
 * const priorities = new GpuWorkPriorities(chart, 'priorities');
 * new TeamGpuQuota(chart, 'search-team', {
 *   namespace: 'search',
 *   maxGpus: 16,
 *   perPriorityClass: [{ priorityClassName: priorities.trainingClassName, maxGpus: 8 }],
 * });
 */
export class GpuWorkPriorities extends Construct {
  /** The real-time inference class name. */
  public readonly realTimeInferenceClassName: string;
  /** The batch inference class name. */
  public readonly batchInferenceClassName: string;
  /** The training class name. */
  public readonly trainingClassName: string;
  /**
   * The real-time inference PriorityClass.
   * @default - none when createClasses is false
   */
  public readonly realTimeInference?: ApiObject;
  /**
   * The batch inference PriorityClass.
   * @default - none when createClasses is false
   */
  public readonly batchInference?: ApiObject;
  /**
   * The training PriorityClass.
   * @default - none when createClasses is false
   */
  public readonly training?: ApiObject;

  private readonly names: Record<GpuWorkKind, string>;

  public constructor(scope: Construct, id: string, props: GpuWorkPrioritiesProps = {}) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { realTimeInference, batchInference, training, globalDefault, createClasses }, or leave it out', true);
    const create = checkOptionalBoolean(this, 'createClasses', props.createClasses) ?? true;
    if (props.globalDefault !== undefined) {
      checkOneOf(this, 'globalDefault', props.globalDefault, Object.values(GpuWorkKind), 'use a GpuWorkKind, e.g. GpuWorkKind.TRAINING');
    }
    if (!create && props.globalDefault !== undefined) {
      invalidProp(this, 'globalDefault', props.globalDefault, 'only applies when the classes are created here (createClasses is false)',
        'remove it, or set globalDefault on the existing class');
    }
    const resolved = ORDER.map(kind => this.resolveClass(kind, props, create));
    this.checkOrder(resolved);
    this.names = {
      [GpuWorkKind.REAL_TIME_INFERENCE]: resolved[0].name,
      [GpuWorkKind.BATCH_INFERENCE]: resolved[1].name,
      [GpuWorkKind.TRAINING]: resolved[2].name,
    };
    this.realTimeInferenceClassName = resolved[0].name;
    this.batchInferenceClassName = resolved[1].name;
    this.trainingClassName = resolved[2].name;
    registerWorkPriorities(this);
    if (!create) return;

    const [realTime, batch, training] = resolved.map(c => this.createClass(c, props.globalDefault === c.kind));
    this.realTimeInference = realTime;
    this.batchInference = batch;
    this.training = training;
  }

  /** The PriorityClass name of a kind of work (a `GpuWorkKind` member). */
  public classNameOf(kind: GpuWorkKind): string {
    checkOneOf(this, 'kind', kind, Object.values(GpuWorkKind), 'use GpuWorkKind.REAL_TIME_INFERENCE, GpuWorkKind.BATCH_INFERENCE or GpuWorkKind.TRAINING');
    return this.names[kind];
  }

  private resolveClass(kind: GpuWorkKind, props: GpuWorkPrioritiesProps, create: boolean): ResolvedClass {
    const d = CLASSES[kind];
    checkStruct(this, d.prop, props[d.prop], 'give { name, value, preemptionPolicy, description }, or leave it out', true);
    const o = props[d.prop] ?? {};
    if (!create) {
      for (const key of ['value', 'preemptionPolicy', 'description'] as const) {
        if (o[key] !== undefined) {
          invalidProp(this, `${d.prop}.${key}`, o[key], 'only applies when the classes are created here (createClasses is false)',
            `remove it: the existing class keeps its own ${key}`);
        }
      }
    }
    const name = o.name ?? d.name;
    checkString(this, `${d.prop}.name`, name, `use a name such as "${d.name}"`, 253);
    if (!isPriorityClassName(name)) {
      invalidProp(this, `${d.prop}.name`, name, 'is not a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters)',
        `use a name such as "${d.name}"`);
    }
    if (name.startsWith('system-')) {
      invalidProp(this, `${d.prop}.name`, name, 'starts with \'system-\', which Kubernetes reserves for its own classes', `use a name such as "${d.name}"`);
    }
    const value = o.value ?? d.value;
    requireInteger(this, `${d.prop}.value`, value, MIN_INT32, HIGHEST_USER_PRIORITY,
      'values above 1,000,000,000 are reserved for system classes; keep well below system-cluster-critical (2,000,000,000)');
    if (o.preemptionPolicy !== undefined) {
      checkOneOf(this, `${d.prop}.preemptionPolicy`, o.preemptionPolicy, Object.values(PreemptionPolicy),
        'use PreemptionPolicy.PREEMPT_LOWER_PRIORITY or PreemptionPolicy.NEVER');
    }
    if (o.description !== undefined) checkString(this, `${d.prop}.description`, o.description, 'describe the class in at most 1,024 characters', 1024);
    return {
      kind,
      prop: d.prop,
      id: d.id,
      name,
      value,
      preemptionPolicy: o.preemptionPolicy ?? d.preemptionPolicy,
      description: o.description ?? d.description,
    };
  }

  private checkOrder(classes: ResolvedClass[]): void {
    for (let i = 1; i < classes.length; i++) {
      const higher = classes[i - 1], lower = classes[i];
      if (lower.value >= higher.value) {
        invalidProp(this, `${lower.prop}.value`, lower.value, `is not below '${higher.prop}.value' (${higher.value})`,
          `keep real-time inference above batch inference above training: lower ${lower.prop}.value or raise ${higher.prop}.value`);
      }
    }
    for (let i = 0; i < classes.length; i++) {
      const same = classes.findIndex(c => c.name === classes[i].name);
      if (same < i) {
        invalidProp(this, `${classes[i].prop}.name`, classes[i].name, `is also the name of '${classes[same].prop}'`, 'give each class its own name');
      }
    }
  }

  private createClass(c: ResolvedClass, globalDefault: boolean): ApiObject {
    const obj = new ApiObject(this, c.id, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: c.name },
      value: c.value,
      preemptionPolicy: c.preemptionPolicy,
      globalDefault,
      description: c.description,
    });
    // PriorityClasses are cluster-scoped: a chart's namespace does not apply.
    if (Chart.of(this).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    return obj;
  }
}
