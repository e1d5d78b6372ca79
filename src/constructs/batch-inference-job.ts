import { ApiObject, Duration, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp, propMessage, requireInteger } from '../common/errors';
import { ANNOTATION_DO_NOT_DISRUPT, LABEL_KUEUE_QUEUE_NAME, requireDns1123Label } from '../common/names';
import {
  checkDefined, checkDuration, checkImage, checkInstance, checkList, checkOneOf, checkOptionalCpu, checkPinnedImage, checkPlainEnv, checkQueueName,
  checkSecretEnv, checkSize, checkString, checkStringList, checkStruct, checkText, INT32_MAX,
} from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { GpuWorkKind } from '../values/gpu-work-kind';
import { createTriggerAuthentication } from './internal/keda';
import { builtFootprint, HardenedPod, hardenedPod, recordPod } from './internal/pod';
import { StartupEstimate, TimeToCapacity } from '../planning/time-to-capacity';
import { lazyPriorityClassName, requirePriorityClassName } from './internal/priority';
import { mebibytesOf } from '../common/quantity';
import { QueueTrigger } from '../values/queue-trigger';
import { SecretKeyReference } from '../values/secret-key-reference';
import { IWorkloadFootprintProvider, WorkloadFootprint } from '../values/workload-footprint';

/**
 * How KEDA turns a queue length into a number of new Jobs on each poll (ScaledJob `scalingStrategy`).
 * @see https://keda.sh/docs/latest/reference/scaledjob-spec/#scalingstrategy
 */
export enum JobScalingStrategy {
  /**
   * ceil(queue length / messages per job) minus the Jobs already running. Right when the queue length
   * counts the messages being worked on (SQS in-flight messages, RabbitMQ unacknowledged ones, Kafka lag).
   */
  DEFAULT = 'default',
  /**
   * Subtracts pending Jobs instead of running ones. Right for a queue whose length leaves out the
   * messages already taken (e.g. SQS with `countInFlight: false`).
   */
  ACCURATE = 'accurate',
  /** Fills every free slot up to `maxReplicaCount` while messages wait, even when running Jobs could take them later. */
  EAGER = 'eager',
}

/** Properties of a BatchInferenceJob. */
export interface BatchInferenceJobProps {
  /** Worker image, pinned to a tag or digest (an image without either, or tagged `latest`, is refused unless `allowUnpinnedImage`). */
  readonly image: string;
  /**
   * Accept an image with no tag and no digest, or the tag `latest`: the nodes then pull whatever it points to when each
   * Job starts, so the shards of one batch may run different code.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * Arguments to the image's entrypoint.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Plain environment variables. Credentials never belong here: a name that says it is one (ending in `_TOKEN`,
   * `_PASSWORD`, `_SECRET`, `_SECRET_KEY`, `_API_KEY`, `_ACCESS_KEY` or `_PRIVATE_KEY`, e.g. `HF_TOKEN`) is an error; use
   * `secretEnv`. The names the construct sets from its props (BATCH_SIZE, INPUT_LOCATION, OUTPUT_LOCATION, SHARD_COUNT,
   * MESSAGES_PER_JOB) and JOB_COMPLETION_INDEX are rejected here.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secret keys (`valueFrom.secretKeyRef`), after `env`: a model hub token, the
   * credentials of the input and output storage. Names as in `env`, none of them also in `env`. The kubelet reads the
   * Secrets, which must be in the Job's namespace: no Role is needed.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * CPU per pod (request and limit), in whole millicores.
   * @default Cpu.units(2)
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory per pod (request and limit), in whole mebibytes. Loading weights needs host memory too.
   * @default Size.gibibytes(8)
   */
  readonly memory?: Size;
  /**
   * GPUs per pod.
   * @default - no GPU
   */
  readonly gpu?: GpuRequest;
  /**
   * Items per inference batch, given to the workers as `BATCH_SIZE`.
   * @default - not set: the worker's own default
   */
  readonly batchSize?: number;
  /**
   * Where the workers read their input, e.g. `s3://bucket/input/`, given as `INPUT_LOCATION` (one line, at most 4,096 characters).
   * @default - not set
   */
  readonly inputLocation?: string;
  /**
   * Where the workers write their results, e.g. `s3://bucket/output/`, given as `OUTPUT_LOCATION` (one line, at most 4,096 characters).
   * @default - not set
   */
  readonly outputLocation?: string;
  /**
   * Pods that run at once (fixed-size batch only: a queue-driven Job runs one pod).
   * @default 1
   */
  readonly parallelism?: number;
  /**
   * Shards of the batch (fixed-size batch only): the Job runs one successful pod per index
   * 0..completions-1, which it finds in `JOB_COMPLETION_INDEX` (and the total in `SHARD_COUNT`).
   * @default - the parallelism: one shard per pod
   */
  readonly completions?: number;
  /**
   * Failed pods the Job tolerates before it fails, across all shards (per-shard limits are alpha in
   * Kubernetes 1.28). Pods lost to disruptions (spot interruptions, drains, preemption) never count.
   * @default 6
   */
  readonly backoffLimit?: number;
  /**
   * How long a finished Job (and its pods' logs) is kept before Kubernetes deletes it.
   * @default Duration.days(1)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * The longest a Job may run, retries and waiting for nodes included, before Kubernetes stops it: the
   * ceiling on a hung worker's GPU bill.
   * @default Duration.hours(24)
   */
  readonly activeDeadline?: Duration;
  /**
   * User ID the container runs as: the restricted Pod Security profile needs a non-root user.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Exit codes of the worker that retrying cannot fix (bad input, bad configuration): the first one fails
   * the whole Job at once instead of using up `backoffLimit`. Codes from 1 to 255, at most 255 of them.
   * @default - every failure is retried
   */
  readonly nonRetriableExitCodes?: number[];
  /**
   * Size of the memory-backed `/dev/shm` (PyTorch data loaders share tensors through it). Counts against
   * the memory limit. In whole mebibytes.
   * @default Size.gibibytes(2)
   */
  readonly sharedMemorySize?: Size;
  /**
   * Size limit of the writable model cache at `/models` (`HF_HOME` and `XDG_CACHE_HOME` point below it), in whole mebibytes.
   * @default - no limit (node ephemeral storage)
   */
  readonly modelCacheSize?: Size;
  /**
   * A queue that drives the work: instead of one Job, a KEDA ScaledJob starts Jobs of one pod each as
   * messages arrive. Each Job should take up to `MESSAGES_PER_JOB` messages (or keep taking them
   * until the queue is empty), then exit 0.
   * @default - a fixed-size batch Job
   */
  readonly queue?: QueueTrigger;
  /**
   * The most Jobs KEDA runs at once (queue only; required with `queue`).
   * @default - required with `queue`
   */
  readonly maxReplicaCount?: number;
  /**
   * How often KEDA reads the queue (queue only).
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * Finished successful Jobs KEDA keeps (queue only).
   * @default 10
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs KEDA keeps, for debugging (queue only).
   * @default 20
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * How KEDA turns the queue length into new Jobs (queue only).
   * @default JobScalingStrategy.DEFAULT
   */
  readonly scalingStrategy?: JobScalingStrategy;
  /**
   * The PriorityClass of the worker pods. The class must exist in the cluster: the API server rejects pods
   * that name a missing one.
   * @default - the batch inference class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
  /**
   * How long a new worker pod takes to become ready: node provisioning, image pull, model load, warm-up (e.g. from
   * `TimeToCapacity.estimate`). The guardrails report the time to the first and to the last worker (`check()`).
   * @default - not known
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * The Kueue LocalQueue that admits the work (the `kueue.x-k8s.io/queue-name` label): on the Job, or on the ScaledJob,
   * whose labels KEDA copies to every Job it creates. Kueue's webhook creates a labelled Job suspended and starts it
   * once the queue has quota for all its `parallelism` pods (so a Job waits whole, never with part of its pods).
   * @default - not queued by Kueue
   */
  readonly queueName?: string;
  /**
   * Name of the Job (or ScaledJob and TriggerAuthentication). A DNS-1123 label; for an Indexed Job short
   * enough that `<name>-<index>` (each pod's hostname) fits in 63 characters.
   * @default - generated from the construct path
   */
  readonly name?: string;
}

const CONTAINER_NAME = 'worker';
const DEFAULT_CPU = kplus.Cpu.units(2);
const DEFAULT_MEMORY = Size.gibibytes(8);
const DEFAULT_SHARED_MEMORY = Size.gibibytes(2);
const MAX_INT32 = 2 ** 31 - 1;
const MODEL_CACHE_PATH = '/models';
/** Indexed Jobs allow at most this many completions and this much parallelism. */
const MAX_INDEXED = 100_000;
const QUEUE_ONLY: (keyof BatchInferenceJobProps)[] = [
  'maxReplicaCount', 'pollingInterval', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'scalingStrategy',
];
/** Environment variables every worker gets (`env` may override them). */
const OWN_ENV = ['HOME', 'XDG_CACHE_HOME', 'HF_HOME'];
/** Environment variables the construct sets itself: who sets them, and the fix for a user who sets them too. */
const RESERVED_ENV = new Map<string, [string, string]>(Object.entries({
  BATCH_SIZE: ['is set from \'batchSize\'', 'give batchSize instead'],
  INPUT_LOCATION: ['is set from \'inputLocation\'', 'give inputLocation instead'],
  OUTPUT_LOCATION: ['is set from \'outputLocation\'', 'give outputLocation instead'],
  SHARD_COUNT: ['is set from \'completions\'', 'give completions instead'],
  MESSAGES_PER_JOB: ['is set from the queue\'s messagesPerReplica', 'set messagesPerReplica on the QueueTrigger instead'],
  JOB_COMPLETION_INDEX: ['is set by the Job controller for each pod', 'remove it'],
}) as [string, [string, string]][]);

/**
 * Batch inference on Kubernetes Jobs: a fixed-size batch split into shards, or queue-driven workers
 * started by KEDA as messages arrive.
 *
 * Without `queue` it creates one `batch/v1` Job in Indexed completion mode: `completions` shards, at
 * most `parallelism` pods at once, each reading its shard number from `JOB_COMPLETION_INDEX`. With
 * `queue` it creates a KEDA ScaledJob instead (never both), which starts Jobs of one pod each, up to
 * `maxReplicaCount`, and a TriggerAuthentication when the queue has credentials.
 *
 * Nothing is lost to spot interruptions or node drains: a pod failure policy ignores pods that failed
 * because of a disruption (they are recreated without counting against `backoffLimit`), and the pods
 * carry `karpenter.sh/do-not-disrupt` so Karpenter's consolidation leaves running workers alone. Pods
 * run under the restricted Pod Security profile with writable emptyDir volumes at `/tmp`, `/models` and
 * a memory-backed `/dev/shm`.
 *
 * Completions below parallelism is legal (Kubernetes runs at most `completions` pods): it is recorded
 * in `warnings` and as `warning` metadata on the construct.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 * @see https://keda.sh/docs/latest/concepts/scaling-jobs/
 * @example
 * new BatchInferenceJob(chart, 'embed', {
 *   image: 'example/embedder:1.4.0',
 *   gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }),
 *   parallelism: 8,
 *   completions: 64,
 *   batchSize: 256,
 *   inputLocation: 's3://corpus/input/',
 *   outputLocation: 's3://corpus/embeddings/',
 * });
 */
export class BatchInferenceJob extends Construct implements IWorkloadFootprintProvider {
  /**
   * The Job (id `Resource`).
   * @default - none with `queue`
   */
  public readonly job?: ApiObject;
  /**
   * The KEDA ScaledJob (id `Resource`).
   * @default - none without `queue`
   */
  public readonly scaledJob?: ApiObject;
  /**
   * The TriggerAuthentication the queue trigger uses.
   * @default - none without queue credentials
   */
  public readonly triggerAuthentication?: ApiObject;
  /** Legal but likely unintended settings, in the library's error format. */
  public readonly warnings: string[] = [];
  /** Size, placement and ownership of the workers, for app-wide checks. */
  public readonly footprint: WorkloadFootprint;

  private readonly parallelism: number;
  private readonly completions: number;
  private readonly maxReplicaCount: number;
  private readonly pod: HardenedPod;

  public constructor(scope: Construct, id: string, props: BatchInferenceJobProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { image } and the batch settings, e.g. { image: \'example/embedder:1.4.0\', parallelism: 8 }');
    this.checkTypes(props);
    const estimate = props.startupEstimate === undefined ? undefined : TimeToCapacity._resolve(this, 'startupEstimate', props.startupEstimate);
    const withEstimate = (f: WorkloadFootprint): WorkloadFootprint => (estimate !== undefined ? { ...f, startupEstimate: estimate } : f);
    const queue = props.queue;
    this.parallelism = queue ? 1 : props.parallelism ?? 1;
    this.completions = queue ? 1 : props.completions ?? this.parallelism;
    this.maxReplicaCount = props.maxReplicaCount ?? 0;
    this.checkProps(props);
    checkQueueName(this, 'queueName', props.queueName);
    this.pod = this.podOf(props, lazyPriorityClassName(this, 'priorityClassName', GpuWorkKind.BATCH_INFERENCE, props.priorityClassName));

    if (!queue) {
      if (this.completions < this.parallelism) {
        this.warn(propMessage(this, 'completions', this.completions,
          `is below 'parallelism' (${this.parallelism}), so at most ${this.completions} pods run at once`,
          `lower parallelism to ${this.completions}, or split the batch into more shards`));
      }
      this.job = new ApiObject(this, 'Resource', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: props.name ?? Names.toDnsLabel(this, { maxLen: this.maxIndexedName() }), ...queueLabels(props.queueName) },
        spec: this.jobSpec(props),
      });
      recordPod(this.job, this.pod);
      // Kubernetes never runs more pods than there are shards.
      const most = Math.min(this.parallelism, this.completions);
      this.footprint = withEstimate(builtFootprint(this.job, this.pod, { minReplicas: 0, maxReplicas: most }));
      return;
    }

    const credentials = queue.credentials;
    if (credentials) {
      this.triggerAuthentication = createTriggerAuthentication(this, 'TriggerAuthentication', credentials, props.name);
    }
    this.scaledJob = new ApiObject(this, 'Resource', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledJob',
      metadata: { ...(props.name !== undefined ? { name: props.name } : {}), ...queueLabels(props.queueName) },
      spec: {
        jobTargetRef: this.jobSpec(props),
        pollingInterval: (props.pollingInterval ?? Duration.seconds(30)).toSeconds(),
        maxReplicaCount: this.maxReplicaCount,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 10,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 20,
        scalingStrategy: { strategy: props.scalingStrategy ?? JobScalingStrategy.DEFAULT },
        // A deploy must not kill running workers (GPU time and messages in flight): old Jobs finish on the old spec.
        rollout: { strategy: 'gradual' },
        triggers: [queue._trigger(undefined, this.triggerAuthentication?.name)],
      },
    });
    this.footprint = withEstimate(builtFootprint(this.scaledJob, this.pod, { minReplicas: 0, maxReplicas: this.maxReplicaCount * this.parallelism },
      { kind: 'ScaledJob', name: this.scaledJob.name }));
  }


  private warn(message: string): void {
    this.warnings.push(message);
    this.node.addMetadata('warning', message);
  }

  /** Pods of an Indexed Job get the hostname `<job name>-<index>`, a DNS-1123 label. */
  private maxIndexedName(): number {
    return 63 - 1 - String(this.completions - 1).length;
  }

  /** Checks the type of every prop, and the values that the other checks take for granted, before any prop is read. */
  private checkTypes(props: BatchInferenceJobProps): void {
    checkDefined(this, 'image', props.image, 'give the worker image, pinned to a tag or digest, e.g. \'example/embedder:1.4.0\'');
    if (props.image === '') invalidProp(this, 'image', props.image, 'is empty', 'give the worker image, pinned to a tag or digest');
    checkImage(this, 'image', props.image);
    checkPinnedImage(this, 'image', props.image, props.allowUnpinnedImage, 'allowUnpinnedImage');
    if (props.args !== undefined) checkStringList(this, 'args', props.args, 'give the arguments as a list of strings, e.g. [\'--batch\', \'256\']');
    if (props.env !== undefined) checkPlainEnv(this, 'env', props.env, 'secretEnv');
    if (props.secretEnv !== undefined) {
      checkSecretEnv(this, 'secretEnv', props.secretEnv, { envProp: 'env', env: props.env, reserved: [...OWN_ENV, ...RESERVED_ENV.keys()] });
    }
    checkOptionalCpu(this, 'cpu', props.cpu, 'give the CPU each pod needs, e.g. Cpu.units(2)');
    for (const prop of ['memory', 'sharedMemorySize', 'modelCacheSize'] as const) {
      const size = props[prop];
      if (size === undefined) continue;
      checkSize(this, prop, size, `give a size in whole mebibytes or larger units, e.g. Size.gibibytes(${prop === 'memory' ? 8 : 2})`);
      const mib = mebibytesOf(size);
      if (!Number.isInteger(mib) || mib < 1) {
        invalidProp(this, prop, size, 'must be a size of at least 1 MiB in whole mebibytes',
          `give a size in whole mebibytes or larger units, e.g. Size.gibibytes(${prop === 'memory' ? 8 : 2})`);
      }
    }
    if (props.gpu !== undefined) checkInstance(this, 'gpu', props.gpu, GpuRequest as any, 'give GpuRequest.of(gpus), e.g. GpuRequest.of(1, { gpuProduct: GpuProduct.L4 })');
    for (const prop of ['inputLocation', 'outputLocation'] as const) {
      const location = props[prop];
      if (location === undefined) continue;
      const fix = 'give a location such as "s3://bucket/prefix/", or leave it out';
      checkString(this, prop, location, fix, 4096);
      if (location.trim() === '') invalidProp(this, prop, location, 'is empty', fix);
      checkText(this, prop, location, fix, 4096);
    }
    if (props.nonRetriableExitCodes !== undefined) {
      checkList(this, 'nonRetriableExitCodes', props.nonRetriableExitCodes, { max: 255 }, 'list exit codes from 1 to 255, e.g. [2, 3]');
    }
    const seconds = Duration.seconds(INT32_MAX);
    for (const prop of ['ttlAfterFinished', 'activeDeadline', 'pollingInterval'] as const) {
      if (props[prop] !== undefined) checkDuration(this, prop, props[prop], { max: seconds }, 'give a whole number of seconds, e.g. Duration.hours(1)');
    }
    requirePriorityClassName(this, 'priorityClassName', props.priorityClassName);
    if (props.queue !== undefined) {
      checkInstance(this, 'queue', props.queue, QueueTrigger as any, 'give a QueueTrigger, e.g. QueueTrigger.sqs(url, { region, credentials })');
    }
    if (props.scalingStrategy !== undefined) {
      checkOneOf(this, 'scalingStrategy', props.scalingStrategy, Object.values(JobScalingStrategy),
        'use a JobScalingStrategy, e.g. JobScalingStrategy.DEFAULT, or leave it unset');
    }
  }

  private checkProps(props: BatchInferenceJobProps): void {
    requireDns1123Label(this, 'name', props.name);
    if (props.queue) {
      this.checkQueueProps(props, props.queue);
    } else {
      this.checkFixedProps(props);
    }
    if (props.batchSize !== undefined) {
      requireInteger(this, 'batchSize', props.batchSize, 1, Number.MAX_SAFE_INTEGER, 'give the number of items per inference batch (at least 1)');
    }
    if (props.backoffLimit !== undefined) {
      requireInteger(this, 'backoffLimit', props.backoffLimit, 0, MAX_INT32,
        'give how many failed pods the Job tolerates (0: fail on the first failure)');
    }
    requireSeconds(this, 'ttlAfterFinished', props.ttlAfterFinished, 'give how long a finished Job is kept, e.g. Duration.days(1)');
    requireSeconds(this, 'activeDeadline', props.activeDeadline, 'give the longest a Job may run, e.g. Duration.hours(24)');
    requireInteger(this, 'runAsUser', props.runAsUser ?? 1000, 1, MAX_INT32,
      'the restricted Pod Security profile forbids root (0): give a non-root UID');
    props.gpu?._validate(this, 'gpu');
    (props.nonRetriableExitCodes ?? []).forEach((code, i) => requireInteger(this, `nonRetriableExitCodes[${i}]`, code, 1, 255,
      'give exit codes from 1 to 255 (0 is success and never fails a pod)'));
    this.checkResources(props);
    for (const [name, value] of Object.entries(props.env ?? {})) {
      const reserved = RESERVED_ENV.get(name);
      if (reserved) invalidProp(this, `env.${name}`, value, reserved[0], reserved[1]);
    }
  }

  private checkFixedProps(props: BatchInferenceJobProps): void {
    for (const prop of QUEUE_ONLY) {
      if (props[prop] !== undefined) {
        invalidProp(this, prop, displayValue(props[prop]), 'only applies with \'queue\'', 'remove it, or give a queue to run queue-driven Jobs');
      }
    }
    requireInteger(this, 'parallelism', this.parallelism, 1, MAX_INDEXED, 'give the most pods that run at once (at least 1)');
    requireInteger(this, 'completions', this.completions, 1, MAX_INDEXED, 'give the number of shards the batch is split into (at least 1)');
    const maxName = this.maxIndexedName();
    if (props.name !== undefined && props.name.length > maxName) {
      invalidProp(this, 'name', props.name,
        `is longer than ${maxName} characters: each pod's hostname is '<name>-<index>' (up to index ${this.completions - 1}), which must fit in 63`,
        `shorten the name to at most ${maxName} characters`);
    }
  }

  private checkQueueProps(props: BatchInferenceJobProps, queue: QueueTrigger): void {
    for (const prop of ['parallelism', 'completions'] as const) {
      if (props[prop] !== undefined) {
        invalidProp(this, prop, props[prop], 'does not apply with \'queue\': each queue-driven Job runs one pod',
          'remove it, and set how many Jobs run at once with maxReplicaCount');
      }
    }
    queue._validate(this, 'queue');
    if (props.maxReplicaCount === undefined) {
      invalidProp(this, 'maxReplicaCount', undefined, 'is required with \'queue\'',
        'give the most Jobs KEDA may run at once, e.g. maxReplicaCount: 10');
    }
    requireInteger(this, 'maxReplicaCount', props.maxReplicaCount, 1, 10_000, 'give the most Jobs KEDA may run at once (at least 1)');
    requireSeconds(this, 'pollingInterval', props.pollingInterval, 'give how often KEDA reads the queue, e.g. Duration.seconds(30)');
    for (const prop of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
      const value = props[prop];
      if (value !== undefined) requireInteger(this, prop, value, 0, 10_000, 'give how many finished Jobs KEDA keeps (0: none)');
    }
  }

  /** Memory and /dev/shm together (the CPU is checked with the other props, by `checkOptionalCpu`: above zero, whole millicores). */
  private checkResources(props: BatchInferenceJobProps): void {
    const memory = (props.memory ?? DEFAULT_MEMORY).toMebibytes();
    if (!(memory > 0)) invalidProp(this, 'memory', `${memory}Mi`, 'is not above zero', 'give the memory each pod needs, e.g. Size.gibibytes(8)');
    const shm = (props.sharedMemorySize ?? DEFAULT_SHARED_MEMORY).toMebibytes();
    if (shm >= memory) {
      invalidProp(this, 'sharedMemorySize', `${shm}Mi`, `is not below 'memory' (${memory}Mi), and /dev/shm counts against the memory limit`,
        'lower sharedMemorySize or raise memory');
    }
  }

  /** The Job spec: the fixed Job's, or the template of each Job KEDA starts. */
  private jobSpec(props: BatchInferenceJobProps): Record<string, any> {
    const rules: any[] = [
      // First: a pod killed by a spot interruption, drain or preemption may exit with any code, even a non-retriable one.
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ];
    const codes = [...new Set(props.nonRetriableExitCodes ?? [])].sort((a, b) => a - b);
    if (codes.length > 0) {
      rules.push({ action: 'FailJob', onExitCodes: { containerName: CONTAINER_NAME, operator: 'In', values: codes } });
    }
    return {
      // A queue worker is one pod: KEDA runs more Jobs, not more pods per Job.
      ...(props.queue
        ? { parallelism: 1, completions: 1 }
        : { completionMode: 'Indexed', parallelism: this.parallelism, completions: this.completions }),
      backoffLimit: props.backoffLimit ?? 6,
      activeDeadlineSeconds: (props.activeDeadline ?? Duration.hours(24)).toSeconds(),
      ttlSecondsAfterFinished: (props.ttlAfterFinished ?? Duration.hours(24)).toSeconds(),
      podFailurePolicy: { rules },
      template: {
        // Consolidation must not evict a running worker; involuntary disruptions are handled by the failure policy.
        metadata: { annotations: { ...this.pod.annotations, [ANNOTATION_DO_NOT_DISRUPT]: 'true' } },
        spec: this.pod.spec,
      },
    };
  }

  /** The worker pod (restricted security, writable /tmp and model cache, requests equal to limits). */
  private podOf(props: BatchInferenceJobProps, priorityClassName: unknown): HardenedPod {
    const user = props.runAsUser ?? 1000;
    return hardenedPod({
      containerName: CONTAINER_NAME,
      image: props.image,
      args: props.args,
      env: {
        HOME: '/tmp',
        XDG_CACHE_HOME: MODEL_CACHE_PATH,
        HF_HOME: `${MODEL_CACHE_PATH}/huggingface`,
        ...props.env,
        ...(props.batchSize !== undefined ? { BATCH_SIZE: String(props.batchSize) } : {}),
        ...(props.inputLocation !== undefined ? { INPUT_LOCATION: props.inputLocation } : {}),
        ...(props.outputLocation !== undefined ? { OUTPUT_LOCATION: props.outputLocation } : {}),
        ...(props.queue ? { MESSAGES_PER_JOB: String(props.queue.messagesPerReplica) } : { SHARD_COUNT: String(this.completions) }),
      },
      secretEnv: props.secretEnv,
      cpu: props.cpu ?? DEFAULT_CPU,
      memory: props.memory ?? DEFAULT_MEMORY,
      gpu: props.gpu,
      runAsUser: user,
      runAsGroup: user,
      readOnlyRootFilesystem: true,
      sharedMemorySize: props.sharedMemorySize ?? DEFAULT_SHARED_MEMORY,
      writablePaths: [
        { volumeName: 'tmp', path: '/tmp' },
        { volumeName: 'model-cache', path: MODEL_CACHE_PATH, sizeLimit: props.modelCacheSize },
      ],
      // Required by the pod failure policy; the Job controller, not the kubelet, retries.
      restartPolicy: 'Never',
      priorityClassName,
    });
  }
}

/** A duration that must be a whole number of seconds, at least one. */
function requireSeconds(scope: Construct, prop: string, duration: Duration | undefined, fix: string): void {
  if (duration === undefined) return;
  const s = duration.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < 1) invalidProp(scope, prop, `${s}s`, 'must be a whole number of seconds, at least 1', fix);
}

/** Props values as error messages show them: durations in seconds, the rest as they are. */
function displayValue(value: unknown): unknown {
  return value instanceof Duration ? `${value.toSeconds({ integral: false })}s` : value;
}

/**
 * The queue label of a workload Kueue admits. Kueue reads it from the Job (kueue v0.19.2
 * pkg/controller/jobframework/utils.go `WorkloadShouldBeSuspended`: a Job with a queue name is suspended by its webhook,
 * so the manifest does not set `suspend`, which a later apply would otherwise reset on an admitted Job).
 */
function queueLabels(queueName: string | undefined): { labels?: { [key: string]: string } } {
  return queueName !== undefined ? { labels: { [LABEL_KUEUE_QUEUE_NAME]: queueName } } : {};
}
