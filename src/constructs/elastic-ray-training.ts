import { ApiObject, Duration, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp } from '../common/errors';
import {
  checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkImage, checkList, checkOneOf, checkOptionalBoolean, checkOptionalCpu,
  checkOptionalDuration, checkOptionalSize, checkPinnedImage, checkSecretEnv, checkQueueName, checkStruct, checkWhole, INT32_MAX,
} from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { GpuWorkKind } from '../values/gpu-work-kind';
import { SecretKeyReference } from '../values/secret-key-reference';
import { builtFootprint, withSidecar } from './internal/pod';
import { lazyPriorityClassName } from './internal/priority';
import {
  MAX_RAY_POD_CORES, MAX_RAY_POD_MEBIBYTES, checkRayHead, checkRayNamespaces, checkRayVersion, checkRayWorkerResources,
  rayAutoscalerApiAccess, rayAutoscalerSidecar, rayContainerSecurity, rayHeadTemplate, rayImage, rayNetworkPolicySpec, rayWorker,
} from './internal/ray';
import { ANNOTATION_DO_NOT_DISRUPT, LABEL_KUEUE_QUEUE_NAME } from '../common/names';
import { IWorkloadFootprintProvider, ScalingOwner, WorkloadFootprint } from '../values/workload-footprint';

/** How quickly the Ray autoscaler adds workers (`autoscalerOptions.upscalingMode`). */
export enum RayUpscalingMode {
  /** Scale up in steps bounded by the current cluster size. */
  DEFAULT = 'Default',
  /** Add every worker the pending work asks for at once. */
  AGGRESSIVE = 'Aggressive',
  /** Add workers slowly, bounding pending pods. */
  CONSERVATIVE = 'Conservative',
}

/** The Ray autoscaler generation (`autoscalerOptions.version`). */
export enum RayAutoscalerVersion {
  /** The original autoscaler. */
  V1 = 'v1',
  /** Autoscaler v2: tracks instances itself and needs `restartPolicy: Never` on Ray pods. */
  V2 = 'v2',
}

/** The Ray head pod. */
export interface RayHeadOptions {
  /**
   * CPU of the head. The head schedules no Ray work (`num-cpus: 0`); this is for the GCS, dashboard and drivers.
   * @default - 2 cores
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory of the head.
   * @default 8 GiB
   */
  readonly memory?: Size;
}

/** One autoscaled group of Ray workers. */
export interface RayWorkerGroup {
  /** Group name, unique in the cluster (`workerGroupSpecs[].groupName`); a DNS-1123 label. */
  readonly name: string;
  /** Fewest workers the autoscaler keeps (a whole number, 0 to 2,147,483,647). */
  readonly minReplicas: number;
  /** Most workers the autoscaler may start (a whole number, up to 2,147,483,647). */
  readonly maxReplicas: number;
  /**
   * Workers at creation.
   * @default - minReplicas
   */
  readonly replicas?: number;
  /**
   * CPU of each worker, in whole millicores up to 10,000 cores; Ray schedules on it as whole cores (`num-cpus` = the
   * limit rounded down, at least 1).
   */
  readonly cpu: kplus.Cpu;
  /** Memory of each worker: at least 256 MiB. */
  readonly memory: Size;
  /**
   * GPUs of each worker: `nvidia.com/gpu` limit, the GPU taint toleration, a node selector, and `num-gpus`.
   * @default - no GPU
   */
  readonly gpu?: GpuRequest;
  /**
   * Memory-backed `/dev/shm` (PyTorch data loaders and NCCL use it).
   * @default - a quarter of the worker memory, at least 1 GiB
   */
  readonly sharedMemorySize?: Size;
}

/** The Ray in-tree autoscaler, a sidecar of the head pod. */
export interface RayAutoscalerOptions {
  /**
   * How quickly workers are added.
   * @default RayUpscalingMode.DEFAULT
   */
  readonly upscalingMode?: RayUpscalingMode;
  /**
   * How long a worker sits idle before it is removed.
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;
  /**
   * Autoscaler generation. With v2 every Ray pod gets `restartPolicy: Never`, as KubeRay requires.
   * @default RayAutoscalerVersion.V2
   */
  readonly version?: RayAutoscalerVersion;
  /**
   * CPU of the autoscaler sidecar.
   * @default - 500 millicores
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory of the autoscaler sidecar.
   * @default 512 MiB
   */
  readonly memory?: Size;
}

/** Props of `ElasticRayTraining`. */
export interface ElasticRayTrainingProps {
  /**
   * RayCluster name (a DNS-1035 label of at most 53 characters, KubeRay's limit).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Ray version (`major.minor[.patch]`); also picks the image `rayproject/ray:<version>` (`-gpu` for GPU groups).
   * @default '2.52.0'
   */
  readonly rayVersion?: string;
  /**
   * One image for every Ray pod, instead of the official ones. It must hold the same Ray version.
   * @default - `rayproject/ray:<rayVersion>`, `-gpu` for GPU worker groups
   */
  readonly image?: string;
  /**
   * Accept an `image` with no tag and no digest, or the tag `latest`: nodes then pull whatever it points to when a pod
   * starts, so the head and the workers may run different Ray releases, which Ray refuses.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * Environment variables read from Secret keys (`valueFrom.secretKeyRef`) on the head and every worker, whose Ray
   * worker processes inherit them: a model hub token, storage credentials, an experiment tracker's API key. Names as
   * Kubernetes accepts them (letters, digits, '_', '-' and '.', not starting with a digit). The kubelet reads the
   * Secrets, which must be in the cluster's namespace: no Role is needed.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * The head pod.
   * @default - 2 cores, 8 GiB
   */
  readonly head?: RayHeadOptions;
  /** Worker groups; at least one, at most 50. */
  readonly workerGroups: RayWorkerGroup[];
  /**
   * Let GPU workers run on spot capacity. Off, GPU groups select `karpenter.sh/capacity-type: on-demand`,
   * since a spot reclaim stops the whole training run.
   * @default false
   */
  readonly allowSpotGpuWorkers?: boolean;
  /**
   * The in-tree autoscaler.
   * @default - v2, Default upscaling, 60 s idle timeout, 500m / 512 MiB sidecar
   */
  readonly autoscaler?: RayAutoscalerOptions;
  /**
   * An existing PersistentVolumeClaim mounted at `/mnt/checkpoints` on the head and every worker. Use
   * ReadWriteMany storage (EFS, Filestore, CephFS): every worker writes to it at once.
   * @default - no shared checkpoint volume
   */
  readonly checkpointVolumeClaim?: string;
  /**
   * Bind Ray's dashboard and job API to all interfaces of the head pod (`dashboard-host: 0.0.0.0`), so that
   * the KubeRay operator, RayJob submitters and `allowedNamespaces` can reach it. Off, it listens on
   * 127.0.0.1 only: reachable through `kubectl port-forward`, not over the network.
   * @default false
   */
  readonly exposeDashboard?: boolean;
  /**
   * Namespaces whose pods may reach the dashboard (8265) and Ray client (10001) ports: namespace names (DNS-1123
   * labels), at most 100.
   * @default - none
   */
  readonly allowedNamespaces?: string[];
  /**
   * Namespace of the Prometheus that scrapes Ray's metrics port (8080).
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
  /**
   * Namespace of the KubeRay operator (Helm installs it into the release namespace; KubeRay assumes `default`).
   * @default 'default'
   */
  readonly operatorNamespace?: string;
  /**
   * The PriorityClass of every pod of the cluster (head and workers). The class must exist in the cluster:
   * the API server rejects pods that name a missing one.
   * @default - the training class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
  /**
   * Ray token authentication (`authOptions.mode: token`): KubeRay generates a token into a Secret and every
   * Ray API call, dashboard and job submission included, must present it. Needs Ray 2.52 or later.
   * @default true
   */
  readonly tokenAuthentication?: boolean;
  /**
   * The Kueue LocalQueue that admits the cluster (`kueue.x-k8s.io/queue-name` label), the same prop as on
   * BatchInferenceJob and HyperparameterSearch. Kueue refuses an autoscaled RayCluster unless it is an elastic job
   * (kueue v0.19.2 pkg/controller/jobs/raycluster/raycluster_webhook.go), so the cluster is also annotated
   * `kueue.x-k8s.io/elastic-job: "true"`: Kueue admits its current size and each scale-up as a slice of quota. That needs
   * Kueue's `ElasticJobsViaWorkloadSlices` feature gate, beta and on by default since Kueue v0.18
   * (pkg/features/kube_features.go); with it off, Kueue's webhook refuses the cluster.
   * @default - not queued by Kueue
   */
  readonly queueName?: string;
}

/** Kueue's elastic-job annotation (kueue v0.19.2 pkg/constants/constants.go `ElasticJobAnnotation`). */
const ANNOTATION_KUEUE_ELASTIC_JOB = 'kueue.x-k8s.io/elastic-job';
const DEFAULT_RAY_VERSION = '2.52.0';
const CHECKPOINT_PATH = '/mnt/checkpoints';
const MAX_NAME = 53;

/**
 * An elastic, autoscaled Ray cluster for distributed training, secure by default.
 *
 * Use it for Ray Train / Ray Data jobs whose workers come and go with the work. It creates a KubeRay
 * `RayCluster` (`ray.io/v1`) with in-tree autoscaling and a `NetworkPolicy`.
 *
 * Ray's dashboard and job API run any code a caller sends (CVE-2023-48022, "ShadowRay"), so:
 * - token authentication is on (`authOptions.mode: token`, Ray 2.52+);
 * - the dashboard binds to 127.0.0.1 unless `exposeDashboard` (KubeRay itself would bind 0.0.0.0);
 * - the head Service is ClusterIP, with no Ingress;
 * - a Kubernetes NetworkPolicy on every pod of the cluster admits only the cluster's own pods, the KubeRay
 *   operator and RayJob submitters (dashboard port), Prometheus (metrics port) and `allowedNamespaces`.
 *   It is a plain NetworkPolicy rather than KubeRay's `spec.networkPolicy`, which takes effect only when the
 *   operator runs with the alpha `RayClusterNetworkPolicy` feature gate and is otherwise silently ignored.
 *
 * Pods run as Ray's UID 1000 under Pod Security "restricted" (the autoscaler sidecar too, through
 * `autoscalerOptions.securityContext`), with a memory-backed /dev/shm, and carry
 * `karpenter.sh/do-not-disrupt` so consolidation does not kill a training run.
 *
 * `footprint` describes the GPU worker group (the first one; else the first group); `footprints` lists every
 * worker group.
 *
 * @see https://docs.ray.io/en/latest/cluster/kubernetes/index.html
 * @example
 * new ElasticRayTraining(chart, 'train', {
 *   workerGroups: [{ name: 'gpu', minReplicas: 0, maxReplicas: 8, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32),
 *     gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) }],
 * });
 */
export class ElasticRayTraining extends Construct implements IWorkloadFootprintProvider {
  /** The RayCluster (`ray.io/v1`). */
  public readonly rayCluster: ApiObject;
  /** The NetworkPolicy on the cluster's pods. */
  public readonly networkPolicy: ApiObject;
  /** The RayCluster name. */
  public readonly clusterName: string;
  /** The Ray version. */
  public readonly rayVersion: string;
  /** One footprint per worker group (its `component` is the group name), in order; the RayCluster's autoscaler owns their replica counts. */
  public readonly footprints: WorkloadFootprint[];
  /** The head pod (`component` `head`, always one), with the autoscaler sidecar KubeRay adds to it. */
  public readonly headFootprint: WorkloadFootprint;
  private readonly groups: RayWorkerGroup[];

  constructor(scope: Construct, id: string, props: ElasticRayTrainingProps) {
    super(scope, id);
    this.checkProps(props);
    this.rayVersion = props.rayVersion ?? DEFAULT_RAY_VERSION;
    this.groups = props.workerGroups;
    this.clusterName = props.name ?? Names.toDnsLabel(this, { maxLen: MAX_NAME });

    const tokenAuth = props.tokenAuthentication ?? true;
    const auto = props.autoscaler ?? {};
    const v2 = (auto.version ?? RayAutoscalerVersion.V2) === RayAutoscalerVersion.V2;
    const annotations = { [ANNOTATION_DO_NOT_DISRUPT]: 'true' };
    const checkpoint = {
      checkpointClaim: props.checkpointVolumeClaim,
      checkpointPath: CHECKPOINT_PATH,
      priorityClassName: lazyPriorityClassName(this, 'priorityClassName', GpuWorkKind.TRAINING, props.priorityClassName),
      secretEnv: props.secretEnv,
    };

    const head = rayHeadTemplate({
      image: props.image ?? rayImage(this.rayVersion, false),
      cpu: props.head?.cpu ?? kplus.Cpu.units(2),
      memory: props.head?.memory ?? Size.gibibytes(8),
      annotations,
      ...checkpoint,
    });
    // The autoscaler sidecar alone gets the head service account's token (the Ray container, which runs user code, has none).
    const api = rayAutoscalerApiAccess();
    head.template.spec.volumes = [...head.template.spec.volumes, api.volume];

    const workers = this.groups.map(g => rayWorker({
      image: props.image ?? rayImage(this.rayVersion, g.gpu !== undefined),
      cpu: g.cpu,
      memory: g.memory,
      gpu: g.gpu,
      sharedMemorySize: g.sharedMemorySize,
      allowSpotGpu: props.allowSpotGpuWorkers ?? false,
      annotations,
      restartPolicy: v2 ? 'Never' : undefined,
      ...checkpoint,
    }));
    const workerGroupSpecs = this.groups.map((g, i) => ({
      groupName: g.name,
      replicas: g.replicas ?? g.minReplicas,
      minReplicas: g.minReplicas,
      maxReplicas: g.maxReplicas,
      rayStartParams: workers[i].rayStartParams,
      template: workers[i].template,
    }));

    const sidecar = rayAutoscalerSidecar(auto.cpu ?? kplus.Cpu.millis(500), auto.memory ?? Size.mebibytes(512));
    this.rayCluster = new ApiObject(this, 'Resource', {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: {
        name: this.clusterName,
        ...(props.queueName !== undefined ? {
          labels: { [LABEL_KUEUE_QUEUE_NAME]: props.queueName },
          // Kueue's webhook then gates the pods (kueue.x-k8s.io/elastic-job scheduling gate) until each slice is admitted.
          annotations: { [ANNOTATION_KUEUE_ELASTIC_JOB]: 'true' },
        } : {}),
      },
      spec: {
        rayVersion: this.rayVersion,
        authOptions: { mode: tokenAuth ? 'token' : 'disabled' },
        enableInTreeAutoscaling: true,
        autoscalerOptions: {
          version: v2 ? 'v2' : 'v1',
          upscalingMode: auto.upscalingMode ?? RayUpscalingMode.DEFAULT,
          idleTimeoutSeconds: (auto.idleTimeout ?? Duration.seconds(60)).toSeconds(),
          resources: sidecar.resources,
          securityContext: rayContainerSecurity(),
          volumeMounts: [api.volumeMount],
        },
        headGroupSpec: {
          serviceType: 'ClusterIP',
          rayStartParams: {
            'num-cpus': '0',
            // KubeRay sets 0.0.0.0 when this is absent, so loopback must be explicit.
            'dashboard-host': props.exposeDashboard ? '0.0.0.0' : '127.0.0.1',
          },
          template: head.template,
        },
        workerGroupSpecs,
      },
    });

    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.clusterName },
      spec: rayNetworkPolicySpec({
        clusterName: this.clusterName,
        operatorNamespace: props.operatorNamespace ?? 'default',
        prometheusNamespace: props.prometheusNamespace ?? 'monitoring',
        allowedNamespaces: props.allowedNamespaces ?? [],
      }),
    });

    const owner: ScalingOwner = { kind: 'RayCluster', name: this.clusterName };
    this.footprints = this.groups.map((g, i) => builtFootprint(this.rayCluster, workers[i].pod, g, owner, g.name));
    this.headFootprint = builtFootprint(this.rayCluster, withSidecar(head.pod, sidecar.amounts), { minReplicas: 1, maxReplicas: 1 }, owner, 'head');
  }

  /** The footprint of the first GPU worker group, or of the first group when none has GPUs. */
  public get footprint(): WorkloadFootprint {
    const gpuIndex = this.groups.findIndex(g => g.gpu !== undefined);
    return this.footprints[Math.max(0, gpuIndex)];
  }

  private checkProps(props: ElasticRayTrainingProps): void {
    checkStruct(this, 'props', props, 'give { workerGroups: [{ name, minReplicas, maxReplicas, cpu, memory }] }');
    if (props.name !== undefined) {
      checkDns1035Label(this, 'name', props.name, MAX_NAME,
        `use a shorter name of lowercase letters, digits and '-' (KubeRay's limit is ${MAX_NAME} characters)`);
    }
    const tokenAuth = checkOptionalBoolean(this, 'tokenAuthentication', props.tokenAuthentication) ?? true;
    checkOptionalBoolean(this, 'exposeDashboard', props.exposeDashboard);
    checkOptionalBoolean(this, 'allowSpotGpuWorkers', props.allowSpotGpuWorkers);
    checkRayVersion(this, props.rayVersion ?? DEFAULT_RAY_VERSION, tokenAuth);
    checkOptionalBoolean(this, 'allowUnpinnedImage', props.allowUnpinnedImage);
    if (props.image !== undefined) {
      checkImage(this, 'image', props.image);
      checkPinnedImage(this, 'image', props.image, props.allowUnpinnedImage, 'allowUnpinnedImage');
    }
    if (props.secretEnv !== undefined) checkSecretEnv(this, 'secretEnv', props.secretEnv, { envProp: 'env' });
    checkRayHead(this, 'head', props.head);
    this.checkAutoscaler(props.autoscaler);
    if (props.checkpointVolumeClaim !== undefined) checkDns1123Subdomain(this, 'checkpointVolumeClaim', props.checkpointVolumeClaim);
    checkRayNamespaces(this, props);
    checkQueueName(this, 'queueName', props.queueName);
    // kueue v0.19.2 pkg/controller/jobs/raycluster/common.go ValidateCreate: "head" names the head's pod set.
    const head = props.queueName !== undefined ? (props.workerGroups ?? []).findIndex(g => g?.name === 'head') : -1;
    if (head >= 0) {
      invalidProp(this, `workerGroups[${head}].name`, 'head', 'is reserved by Kueue for the head group of a queued RayCluster',
        'give the worker group another name');
    }
    const groups = checkList<RayWorkerGroup>(this, 'workerGroups', props.workerGroups, { min: 1, max: 50 },
      'add at least one worker group');
    const seen = new Set<string>();
    groups.forEach((g, i) => this.validateGroup(g, `workerGroups[${i}]`, seen));
  }

  private checkAutoscaler(auto: RayAutoscalerOptions | undefined): void {
    checkStruct(this, 'autoscaler', auto, 'give { upscalingMode, idleTimeout, version, cpu, memory }, or leave it out', true);
    if (auto === undefined) return;
    if (auto.upscalingMode !== undefined) {
      checkOneOf(this, 'autoscaler.upscalingMode', auto.upscalingMode, Object.values(RayUpscalingMode), 'use a RayUpscalingMode');
    }
    if (auto.version !== undefined) checkOneOf(this, 'autoscaler.version', auto.version, Object.values(RayAutoscalerVersion), 'use a RayAutoscalerVersion');
    checkOptionalDuration(this, 'autoscaler.idleTimeout', auto.idleTimeout, { max: Duration.seconds(INT32_MAX), wholeSeconds: true },
      'give a whole number of seconds, e.g. Duration.seconds(60)');
    checkOptionalCpu(this, 'autoscaler.cpu', auto.cpu, 'give the sidecar a CPU amount such as Cpu.millis(500)', MAX_RAY_POD_CORES);
    checkOptionalSize(this, 'autoscaler.memory', auto.memory, 'give the sidecar memory such as Size.mebibytes(512)', 64, MAX_RAY_POD_MEBIBYTES);
  }

  private validateGroup(g: RayWorkerGroup, prop: string, seen: Set<string>): void {
    checkStruct(this, prop, g, 'give { name, minReplicas, maxReplicas, cpu, memory }');
    checkDns1123Label(this, `${prop}.name`, g.name);
    if (seen.has(g.name)) {
      invalidProp(this, `${prop}.name`, g.name, 'is already the name of another worker group', 'give every worker group its own name');
    }
    seen.add(g.name);
    checkWhole(this, `${prop}.minReplicas`, g.minReplicas, {}, 'use 0 or more workers');
    checkWhole(this, `${prop}.maxReplicas`, g.maxReplicas, {}, 'use 0 or more workers');
    if (g.minReplicas > g.maxReplicas) {
      invalidProp(this, `${prop}.maxReplicas`, g.maxReplicas, `is below 'minReplicas' (${g.minReplicas})`,
        'raise maxReplicas or lower minReplicas');
    }
    if (g.replicas !== undefined) {
      checkWhole(this, `${prop}.replicas`, g.replicas, {}, 'use 0 or more workers');
      if (g.replicas < g.minReplicas || g.replicas > g.maxReplicas) {
        invalidProp(this, `${prop}.replicas`, g.replicas, `is outside 'minReplicas'..'maxReplicas' (${g.minReplicas}..${g.maxReplicas})`,
          'start with a worker count within the bounds, or leave replicas unset to start at minReplicas');
      }
    }
    checkRayWorkerResources(this, (p) => `${prop}.${p}`, g, false);
  }
}
