import { ApiObject, Duration, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RayHeadOptions } from './elastic-ray-training';
import { invalidProp, requirePositive } from '../common/errors';
import {
  checkDns1123Subdomain, checkListOf, checkNumber, checkOptionalBoolean, checkOptionalDuration, checkOptionalSize, checkString,
  checkPlainEnv, checkSecretEnv, checkStruct, checkText, checkWhole, INT32_MAX, checkQueueName,
} from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { GpuWorkKind } from '../values/gpu-work-kind';
import { SecretKeyReference } from '../values/secret-key-reference';
import { builtFootprint, equalResources, withSidecar } from './internal/pod';
import { lazyPriorityClassName } from './internal/priority';
import {
  MAX_RAY_POD_CORES, checkRayHead, checkRayNamespaces, checkRayVersion, checkRayWorkerResources, rayAutoscalerApiAccess,
  rayAutoscalerSidecar, rayContainerSecurity, rayCpus, rayHeadTemplate, rayImage, rayJobNetworkPolicySpec, rayWorker,
} from './internal/ray';
import {
  ANNOTATION_DO_NOT_DISRUPT, isDns1035Label, LABEL_APP_COMPONENT, LABEL_APP_INSTANCE, LABEL_KUEUE_QUEUE_NAME,
} from '../common/names';
import { mebibytesOf } from '../common/quantity';
import { IWorkloadFootprintProvider, ScalingOwner, WorkloadFootprint } from '../values/workload-footprint';

/** What one Ray Tune trial asks Ray for (`tune.with_resources`). */
export interface TrialResources {
  /** vCPUs per trial; fractions allowed (Ray schedules fractional CPUs), at least 0.001. */
  readonly vcpus: number;
  /**
   * GPUs per trial: a fraction up to 1 (trials share a GPU, at least 0.001), or a whole number above 1 (at most 64).
   * @default - no GPU
   */
  readonly gpus?: number;
  /**
   * Memory per trial. When set it also limits how many trials fit on a worker. Ray keeps about 30% of a
   * worker's memory for its object store, so leave headroom.
   * @default - not counted
   */
  readonly memory?: Size;
}

/** The runtime environment of the Tune driver and its trials (`runtimeEnvYAML`). */
export interface TuneRuntimeEnv {
  /**
   * `working_dir`: a local path in the image or a remote URI (`s3://...zip`, `https://...zip`).
   * @default - none
   */
  readonly workingDir?: string;
  /**
   * `pip`: packages installed for the job.
   * @default - none
   */
  readonly pipPackages?: string[];
  /**
   * Environment variables of the job (`env_vars`), besides the `TUNE_*` variables this construct sets. They are written
   * in plain text into the RayJob: a name that says it holds a credential (ending in `_TOKEN`, `_PASSWORD`, `_SECRET`,
   * `_SECRET_KEY`, `_API_KEY`, `_ACCESS_KEY` or `_PRIVATE_KEY`, e.g. `WANDB_API_KEY`) is an error; use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/** Props of `HyperparameterSearch`. */
export interface HyperparameterSearchProps {
  /** The command the job runs on the head, e.g. `python tune.py`. */
  readonly entrypoint: string;
  /**
   * Runtime environment of the job.
   * @default - only the `TUNE_*` environment variables
   */
  readonly runtimeEnv?: TuneRuntimeEnv;
  /**
   * Environment variables read from Secret keys (`valueFrom.secretKeyRef`) on the head and every worker, whose Ray
   * processes (the Tune driver and the trials) inherit them: a model hub token, an experiment tracker's API key. Names
   * as in `runtimeEnv.env`, none of them also there nor a `TUNE_*` variable this construct sets. The kubelet reads the
   * Secrets, which must be in the job's namespace: no Role is needed.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /** Resources of one trial. */
  readonly trialResources: TrialResources;
  /**
   * Number of trials (`num_samples`), passed as `TUNE_NUM_SAMPLES`: 1 to 2,147,483,647. Fewer than `maxConcurrentTrials` is fine.
   */
  readonly samples: number;
  /** Most trials at once (`max_concurrent_trials`, 1 to 2,147,483,647), passed as `TUNE_MAX_CONCURRENT_TRIALS`; sizes the worker group. */
  readonly maxConcurrentTrials: number;
  /**
   * GPUs of each worker.
   * @default - whole GPUs enough for one trial (at least 1) when trials use GPUs; else none
   */
  readonly workerGpu?: GpuRequest;
  /**
   * CPU of each worker; Ray schedules whole cores (the limit rounded down, at least 1).
   * @default - 8 cores
   */
  readonly workerCpu?: kplus.Cpu;
  /**
   * Memory of each worker.
   * @default 32 GiB
   */
  readonly workerMemory?: Size;
  /**
   * The head pod; it runs the Tune driver but no trials.
   * @default - 2 cores, 8 GiB
   */
  readonly head?: RayHeadOptions;
  /**
   * Ray version; picks the image `rayproject/ray:<version>` (`-gpu` for GPU workers).
   * @default '2.52.0'
   */
  readonly rayVersion?: string;
  /**
   * Longest the whole job may run (`activeDeadlineSeconds`), cluster start-up included.
   * @default Duration.hours(24)
   */
  readonly deadline?: Duration;
  /**
   * How long the finished job and its cluster stay (`ttlSecondsAfterFinished`); the cluster itself is always
   * shut down when the job ends (`shutdownAfterJobFinishes: true`).
   * @default Duration.hours(1)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Create the job suspended (`suspend: true`): no cluster starts until something sets it to false.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * The Kueue LocalQueue that admits the job (`kueue.x-k8s.io/queue-name` label), the same prop as on
   * BatchInferenceJob and ElasticRayTraining. Kueue refuses a queued RayJob with autoscaling unless it is an elastic
   * job (kueue v0.19.2 pkg/controller/jobs/raycluster/common.go `ValidateCreate`), so with a queue the worker group is
   * fixed at `maxWorkers` and Kueue admits the job as a whole.
   * @default - not queued by Kueue
   */
  readonly queueName?: string;
  /**
   * The former name of `queueName`.
   * @deprecated use queueName
   * @default - not queued by Kueue
   */
  readonly kueueQueue?: string;
  /**
   * Hand the job to MultiKueue (`managedBy: kueue.x-k8s.io/multikueue`) to run on a worker cluster. Needs `kueueQueue`.
   * @default false
   */
  readonly multiKueue?: boolean;
  /**
   * RayJob name (a DNS-1035 label of at most 47 characters: KubeRay adds a suffix for the cluster).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Let GPU workers run on spot capacity. Off, they select `karpenter.sh/capacity-type: on-demand`.
   * @default false
   */
  readonly allowSpotGpuWorkers?: boolean;
  /**
   * An existing ReadWriteMany PersistentVolumeClaim mounted at `/mnt/checkpoints` on every Ray pod; its path is
   * passed as `TUNE_STORAGE_PATH` for `RunConfig(storage_path=...)`.
   * @default - no shared checkpoint volume
   */
  readonly checkpointVolumeClaim?: string;
  /**
   * The PriorityClass of every pod of the job (Ray head, workers and the submitter). The class must exist in
   * the cluster: the API server rejects pods that name a missing one. With Kueue, it is also the job's
   * priority in its queue.
   * @default - the training class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
  /**
   * Namespace of the KubeRay operator.
   * @default 'default'
   */
  readonly operatorNamespace?: string;
  /**
   * Namespace of the Prometheus that scrapes Ray's metrics port (8080).
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
}

const DEFAULT_RAY_VERSION = '2.52.0';
const CHECKPOINT_PATH = '/mnt/checkpoints';
const MAX_NAME = 47;
/** The smallest CPU or GPU share of a trial: Ray keeps resources to 4 decimals, and smaller shares would fit countless trials. */
const MIN_TRIAL_SHARE = 0.001;
const TUNE_VARS = ['TUNE_NUM_SAMPLES', 'TUNE_MAX_CONCURRENT_TRIALS', 'TUNE_TRIAL_CPU', 'TUNE_TRIAL_GPU', 'TUNE_STORAGE_PATH'];

/**
 * A Ray Tune hyperparameter search as a KubeRay `RayJob` on an elastic cluster of its own.
 *
 * Use it to run `num_samples` trials, at most `maxConcurrentTrials` at once, on workers that the Ray
 * autoscaler adds from 0 up to `maxWorkers` and removes when idle; the cluster is deleted after the job.
 *
 * The worker group is sized from the trial: trials per worker = floor(min(worker CPUs / trial CPU,
 * worker GPUs / trial GPU, worker memory / trial memory)); `maxWorkers` = ceil(maxConcurrentTrials / trials
 * per worker). Because of that rounding `maxConcurrentTrialsAtMaxScale` can exceed `maxConcurrentTrials`.
 * The entrypoint reads its settings from the environment: `TUNE_NUM_SAMPLES`, `TUNE_MAX_CONCURRENT_TRIALS`,
 * `TUNE_TRIAL_CPU` (the trial's vCPUs), `TUNE_TRIAL_GPU` (its GPUs, 0 without) and, with a checkpoint volume,
 * `TUNE_STORAGE_PATH`.
 *
 * Security is that of `ElasticRayTraining` (token authentication, Pod Security "restricted", ClusterIP head,
 * `karpenter.sh/do-not-disrupt`) with one difference: KubeRay submits the job from a submitter pod
 * (`K8sJobMode`) over the dashboard port, so the dashboard binds to 0.0.0.0. The emitted NetworkPolicy is what
 * protects it: only the cluster's own pods, this job's submitter pods, RayJob submitters labelled by KubeRay
 * and the KubeRay operator reach port 8265; Prometheus reaches the metrics port; nothing else gets in.
 * The policy selects the Ray pods by labels this construct sets, since KubeRay generates the cluster name.
 *
 * @see https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
 * @example
 * new HyperparameterSearch(chart, 'tune', {
 *   entrypoint: 'python tune.py',
 *   trialResources: { vcpus: 2, gpus: 0.5 },
 *   samples: 64,
 *   maxConcurrentTrials: 8,
 * });
 */
export class HyperparameterSearch extends Construct implements IWorkloadFootprintProvider {
  /** The RayJob (`ray.io/v1`). */
  public readonly rayJob: ApiObject;
  /** The NetworkPolicy on the job's Ray pods. */
  public readonly networkPolicy: ApiObject;
  /** The RayJob name. */
  public readonly jobName: string;
  /** Trials that fit on one worker. */
  public readonly trialsPerWorker: number;
  /** Most workers (the worker group's `maxReplicas`). */
  public readonly maxWorkers: number;
  /** Trials that run at once with `maxWorkers` workers: trialsPerWorker × maxWorkers, at least `maxConcurrentTrials`. */
  public readonly maxConcurrentTrialsAtMaxScale: number;
  /** The trial worker group (`component` `trials`); the Ray autoscaler (or, with Kueue, nobody: it is fixed) owns its replica count. */
  public readonly footprint: WorkloadFootprint;
  /** The head pod of the job's cluster (`component` `head`, always one), with the autoscaler sidecar KubeRay adds to it. */
  public readonly headFootprint: WorkloadFootprint;
  private readonly minWorkers: number;

  constructor(scope: Construct, id: string, props: HyperparameterSearchProps) {
    super(scope, id);
    this.checkProps(props);
    const rayVersion = props.rayVersion ?? DEFAULT_RAY_VERSION;
    const trial = props.trialResources;
    const trialGpu = trial.gpus ?? 0;
    this.jobName = props.name ?? Names.toDnsLabel(this, { maxLen: MAX_NAME });

    const workerCpu = props.workerCpu ?? kplus.Cpu.units(8);
    const workerMemory = props.workerMemory ?? Size.gibibytes(32);
    const workerGpu = props.workerGpu ?? (trialGpu > 0 ? GpuRequest.of(Math.max(1, Math.ceil(trialGpu))) : undefined);
    const rayWorkerCpus = rayCpus(workerCpu);

    // One entry per resource a trial asks for: [name, prop, per trial, per worker, worker prop].
    const fits: [string, string, number, number, string][] = [['CPU', 'vcpus', trial.vcpus, rayWorkerCpus, 'workerCpu']];
    if (trialGpu > 0) fits.push(['GPU', 'gpus', trialGpu, workerGpu!.gpus, 'workerGpu']);
    if (trial.memory) fits.push(['memory (MiB)', 'memory', mebibytesOf(trial.memory), mebibytesOf(workerMemory), 'workerMemory']);
    for (const [what, key, need, has, workerProp] of fits) {
      if (need > has) {
        invalidProp(this, `trialResources.${key}`, need, `needs more ${what} than a worker has (${has})`,
          `raise ${workerProp} or lower trialResources.${key}`);
      }
    }
    // A small epsilon keeps 0.1 + 0.1 + ... from losing a trial to floating point.
    this.trialsPerWorker = Math.min(...fits.map(([, , need, has]) => Math.floor(has / need + 1e-9)));
    this.maxWorkers = Math.ceil(props.maxConcurrentTrials / this.trialsPerWorker);
    this.maxConcurrentTrialsAtMaxScale = this.trialsPerWorker * this.maxWorkers;
    const queueName = props.queueName ?? props.kueueQueue;
    const queued = queueName !== undefined;
    this.minWorkers = queued ? this.maxWorkers : 0;

    const rayPodLabels = { [LABEL_APP_INSTANCE]: this.jobName, [LABEL_APP_COMPONENT]: 'ray-cluster' };
    const submitterPodLabels = { [LABEL_APP_INSTANCE]: this.jobName, [LABEL_APP_COMPONENT]: 'ray-job-submitter' };
    const annotations = { [ANNOTATION_DO_NOT_DISRUPT]: 'true' };
    const priorityClassName = lazyPriorityClassName(this, 'priorityClassName', GpuWorkKind.TRAINING, props.priorityClassName);
    const checkpoint = {
      checkpointClaim: props.checkpointVolumeClaim, checkpointPath: CHECKPOINT_PATH, priorityClassName, secretEnv: props.secretEnv,
    };
    const headImage = rayImage(rayVersion, false);

    const head = rayHeadTemplate({
      image: headImage,
      cpu: props.head?.cpu ?? kplus.Cpu.units(2),
      memory: props.head?.memory ?? Size.gibibytes(8),
      labels: rayPodLabels,
      annotations,
      ...checkpoint,
    });
    const headTemplate = head.template;
    const { rayStartParams, template: workerTemplate, pod: workerPod } = rayWorker({
      image: rayImage(rayVersion, workerGpu !== undefined),
      cpu: workerCpu,
      memory: workerMemory,
      gpu: workerGpu,
      allowSpotGpu: props.allowSpotGpuWorkers ?? false,
      labels: rayPodLabels,
      annotations,
      // Autoscaler v2 replaces failed workers itself and KubeRay requires Never with it.
      restartPolicy: queued ? undefined : 'Never',
      ...checkpoint,
    });

    const rayClusterSpec: Record<string, any> = {
      rayVersion,
      authOptions: { mode: 'token' },
      enableInTreeAutoscaling: !queued,
      headGroupSpec: {
        serviceType: 'ClusterIP',
        // The submitter pod calls the job API on this port; the NetworkPolicy limits who else can.
        rayStartParams: { 'num-cpus': '0', 'dashboard-host': '0.0.0.0' },
        template: headTemplate,
      },
      workerGroupSpecs: [{
        groupName: 'trials',
        replicas: this.minWorkers,
        minReplicas: this.minWorkers,
        maxReplicas: this.maxWorkers,
        rayStartParams,
        template: workerTemplate,
      }],
    };
    const sidecar = queued ? undefined : rayAutoscalerSidecar(kplus.Cpu.millis(500), Size.mebibytes(512));
    if (sidecar) {
      // The autoscaler sidecar alone gets the head service account's token (the Ray container, which runs user code, has none).
      const api = rayAutoscalerApiAccess();
      headTemplate.spec.volumes = [...headTemplate.spec.volumes, api.volume];
      rayClusterSpec.autoscalerOptions = {
        version: 'v2',
        upscalingMode: 'Default',
        idleTimeoutSeconds: 60,
        resources: sidecar.resources,
        securityContext: rayContainerSecurity(),
        volumeMounts: [api.volumeMount],
      };
    }

    const env: Record<string, string> = {
      ...props.runtimeEnv?.env,
      TUNE_NUM_SAMPLES: String(props.samples),
      TUNE_MAX_CONCURRENT_TRIALS: String(props.maxConcurrentTrials),
      TUNE_TRIAL_CPU: String(trial.vcpus),
      TUNE_TRIAL_GPU: String(trialGpu),
    };
    if (props.checkpointVolumeClaim) env.TUNE_STORAGE_PATH = CHECKPOINT_PATH;

    const labels: Record<string, string> = {};
    if (queued) labels[LABEL_KUEUE_QUEUE_NAME] = queueName;
    this.rayJob = new ApiObject(this, 'Resource', {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: this.jobName, labels: Object.keys(labels).length > 0 ? labels : undefined },
      spec: {
        entrypoint: props.entrypoint,
        runtimeEnvYAML: runtimeEnvYaml(props.runtimeEnv ?? {}, env),
        submissionMode: 'K8sJobMode',
        shutdownAfterJobFinishes: true,
        ttlSecondsAfterFinished: (props.ttlAfterFinished ?? Duration.hours(1)).toSeconds(),
        activeDeadlineSeconds: (props.deadline ?? Duration.hours(24)).toSeconds(),
        suspend: props.suspend ? true : undefined,
        managedBy: props.multiKueue ? 'kueue.x-k8s.io/multikueue' : undefined,
        rayClusterSpec,
        // KubeRay fills in the `ray job submit` command, the dashboard address and the auth token.
        submitterPodTemplate: {
          metadata: { labels: submitterPodLabels },
          spec: {
            restartPolicy: 'Never',
            priorityClassName,
            automountServiceAccountToken: false,
            securityContext: headTemplate.spec.securityContext,
            containers: [{
              name: 'ray-job-submitter',
              image: headImage,
              resources: equalResources(kplus.Cpu.millis(500), Size.mebibytes(512)),
              securityContext: rayContainerSecurity(),
            }],
          },
        },
      },
    });

    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.jobName },
      spec: rayJobNetworkPolicySpec({
        rayPodLabels,
        submitterPodLabels,
        operatorNamespace: props.operatorNamespace ?? 'default',
        prometheusNamespace: props.prometheusNamespace ?? 'monitoring',
        allowedNamespaces: [],
      }),
    });

    const owner: ScalingOwner = { kind: 'RayJob', name: this.jobName };
    // With Kueue the group is fixed at maxWorkers (its replicas are what every apply sets); else the Ray autoscaler owns them.
    this.footprint = builtFootprint(this.rayJob, workerPod,
      { minReplicas: this.minWorkers, maxReplicas: this.maxWorkers, fixedReplicas: queued ? this.minWorkers : undefined }, owner, 'trials');
    this.headFootprint = builtFootprint(this.rayJob, sidecar ? withSidecar(head.pod, sidecar.amounts) : head.pod,
      { minReplicas: 1, maxReplicas: 1 }, owner, 'head');
  }

  private checkProps(props: HyperparameterSearchProps): void {
    checkStruct(this, 'props', props, 'give { entrypoint, trialResources: { vcpus }, samples, maxConcurrentTrials }');
    if (props.name !== undefined) {
      checkString(this, 'name', props.name, 'give a RayJob name such as "tune-llm"', 253);
      if (!isDns1035Label(props.name, MAX_NAME)) {
        invalidProp(this, 'name', props.name, `is not a DNS-1035 label of at most ${MAX_NAME} characters (KubeRay's limit for a RayJob)`,
          'use lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit');
      }
    }
    const entrypointFix = 'give the command that runs the search, e.g. \'python tune.py\'';
    checkString(this, 'entrypoint', props.entrypoint, entrypointFix, 16 * 1024);
    if (props.entrypoint.trim() === '') invalidProp(this, 'entrypoint', props.entrypoint, 'is empty', entrypointFix);
    checkText(this, 'entrypoint', props.entrypoint, entrypointFix, 16 * 1024);
    for (const prop of ['suspend', 'multiKueue', 'allowSpotGpuWorkers'] as const) checkOptionalBoolean(this, prop, props[prop]);
    checkRayVersion(this, props.rayVersion ?? DEFAULT_RAY_VERSION, true);
    checkRayHead(this, 'head', props.head);
    this.checkRuntimeEnv(props.runtimeEnv);
    if (props.secretEnv !== undefined) {
      checkSecretEnv(this, 'secretEnv', props.secretEnv, { envProp: 'runtimeEnv.env', env: props.runtimeEnv?.env, reserved: TUNE_VARS });
    }
    checkWhole(this, 'samples', props.samples, { min: 1 }, 'run at least one trial');
    checkWhole(this, 'maxConcurrentTrials', props.maxConcurrentTrials, { min: 1 }, 'allow at least one trial at a time');
    checkStruct(this, 'trialResources', props.trialResources, 'give { vcpus, gpus, memory } of one trial, e.g. { vcpus: 2, gpus: 0.5 }');
    const trial = props.trialResources;
    const vcpus: unknown = trial.vcpus;
    requirePositive(this, 'trialResources.vcpus', vcpus as number, 'give each trial a CPU share above zero, e.g. 1 or 0.5');
    checkNumber(this, 'trialResources.vcpus', vcpus, { min: MIN_TRIAL_SHARE, max: MAX_RAY_POD_CORES },
      `give each trial a CPU share of at least ${MIN_TRIAL_SHARE}, e.g. 1 or 0.5`);
    const gpus: unknown = trial.gpus;
    if (gpus !== undefined) {
      if (typeof gpus !== 'number' || !Number.isFinite(gpus) || gpus < 0) {
        invalidProp(this, 'trialResources.gpus', gpus, 'must be zero or more', 'use a fraction up to 1 to share a GPU, or whole GPUs');
      }
      if (gpus > 1 && !Number.isInteger(gpus)) {
        invalidProp(this, 'trialResources.gpus', gpus, 'is a fraction above 1, which Ray does not schedule',
          'use a fraction up to 1 (trials share a GPU) or a whole number of GPUs');
      }
      if (gpus > 0) checkNumber(this, 'trialResources.gpus', gpus, { min: MIN_TRIAL_SHARE, max: 64 }, 'use a fraction up to 1 to share a GPU, or whole GPUs up to 64');
    }
    checkOptionalSize(this, 'trialResources.memory', trial.memory, 'give the memory of one trial, e.g. Size.gibibytes(4), or leave it out', 1);
    if (props.workerGpu !== undefined && !(gpus && (gpus as number) > 0)) {
      invalidProp(this, 'trialResources.gpus', gpus, 'is not set while \'workerGpu\' is, so the GPUs would sit idle',
        'set trialResources.gpus, or remove workerGpu');
    }
    const workerProps: Record<string, string> = { cpu: 'workerCpu', memory: 'workerMemory', gpu: 'workerGpu' };
    checkRayWorkerResources(this, (p) => workerProps[p], { cpu: props.workerCpu, memory: props.workerMemory, gpu: props.workerGpu }, true);
    // KubeRay: activeDeadlineSeconds "must be a positive integer"; both are int32 in the CRD.
    checkOptionalDuration(this, 'deadline', props.deadline, {}, 'give the job time to run, e.g. Duration.hours(24)');
    const deadline = props.deadline && props.deadline.toMilliseconds({ integral: false }) / 1000;
    if (deadline !== undefined && (!Number.isInteger(deadline) || deadline <= 0 || deadline > INT32_MAX)) {
      invalidProp(this, 'deadline', `${deadline}s`, 'must be a whole number of seconds above zero (KubeRay rejects others)',
        'give the job time to run, e.g. Duration.hours(24)');
    }
    checkOptionalDuration(this, 'ttlAfterFinished', props.ttlAfterFinished, {}, 'use Duration.seconds(0) to delete at once, or a longer duration');
    const ttl = props.ttlAfterFinished && props.ttlAfterFinished.toMilliseconds({ integral: false }) / 1000;
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 0 || ttl > INT32_MAX)) {
      invalidProp(this, 'ttlAfterFinished', `${ttl}s`, 'must be a whole number of seconds, zero or more',
        'use Duration.seconds(0) to delete at once, or a longer duration');
    }
    if (props.multiKueue && props.queueName === undefined && props.kueueQueue === undefined) {
      invalidProp(this, 'multiKueue', true, 'needs \'queueName\': MultiKueue dispatches only queued jobs', 'set queueName, or remove multiKueue');
    }
    checkQueueName(this, 'queueName', props.queueName);
    checkQueueName(this, 'kueueQueue', props.kueueQueue);
    if (props.queueName !== undefined && props.kueueQueue !== undefined) {
      invalidProp(this, 'kueueQueue', props.kueueQueue, 'is the deprecated name of \'queueName\', which is also given', 'give queueName only');
    }
    if (props.checkpointVolumeClaim !== undefined) checkDns1123Subdomain(this, 'checkpointVolumeClaim', props.checkpointVolumeClaim);
    checkRayNamespaces(this, props);
  }

  private checkRuntimeEnv(runtimeEnv: TuneRuntimeEnv | undefined): void {
    checkStruct(this, 'runtimeEnv', runtimeEnv, 'give { workingDir, pipPackages, env }, or leave it out', true);
    if (runtimeEnv === undefined) return;
    if (runtimeEnv.workingDir !== undefined) {
      checkText(this, 'runtimeEnv.workingDir', runtimeEnv.workingDir, 'give a path in the image or a URI such as "s3://bucket/code.zip"');
    }
    if (runtimeEnv.pipPackages !== undefined) {
      const pipFix = 'list pip requirements such as "torch==2.5.1"';
      checkListOf(this, 'runtimeEnv.pipPackages', runtimeEnv.pipPackages, { max: 1000 }, pipFix, (p, prop) => checkText(this, prop, p, pipFix));
    }
    if (runtimeEnv.env !== undefined) {
      const env = checkPlainEnv(this, 'runtimeEnv.env', runtimeEnv.env, 'secretEnv');
      for (const key of Object.keys(env)) {
        if (TUNE_VARS.includes(key)) {
          invalidProp(this, `runtimeEnv.env.${key}`, env[key], 'is set by this construct from its props',
            'remove it and set samples, maxConcurrentTrials, trialResources or checkpointVolumeClaim instead');
        }
      }
    }
  }
}

/** Renders a Ray runtime env as YAML; scalars are JSON-quoted, which YAML reads as double-quoted strings. */
function runtimeEnvYaml(runtimeEnv: TuneRuntimeEnv, env: Record<string, string>): string {
  const q = (s: string) => JSON.stringify(s);
  const lines: string[] = [];
  if (runtimeEnv.workingDir !== undefined) lines.push(`working_dir: ${q(runtimeEnv.workingDir)}`);
  if (runtimeEnv.pipPackages && runtimeEnv.pipPackages.length > 0) {
    lines.push('pip:', ...runtimeEnv.pipPackages.map(p => `  - ${q(p)}`));
  }
  lines.push('env_vars:', ...Object.entries(env).map(([k, v]) => `  ${q(k)}: ${q(v)}`));
  return lines.join('\n') + '\n';
}
