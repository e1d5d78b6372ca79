import { ApiObject, Duration, Names, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RayHeadOptions, RayUpscalingMode } from './elastic-ray-training';
import { builtFootprint, withSidecar } from './internal/pod';
import { lazyPriorityClassName } from './internal/priority';
import {
  checkRayHead, checkRayNamespaces, checkRayVersion, checkRayWorkerResources, RAY_PORTS, RAY_SERVE_PORT, rayAutoscalerApiAccess,
  rayAutoscalerSidecar, rayContainerSecurity, rayCpus, rayHeadTemplate, rayIngressRulesFor, rayWorker,
} from './internal/ray';
import { invalidProp } from '../common/errors';
import {
  ANNOTATION_DO_NOT_DISRUPT, LABEL_APP_COMPONENT, LABEL_APP_INSTANCE, LABEL_HOSTNAME, LABEL_NAMESPACE_NAME, LABEL_RAY_CLUSTER, LABEL_TOPOLOGY_ZONE,
} from '../common/names';

/** KubeRay's node-type label on every Ray pod (ray-operator/controllers/ray/utils/constant.go `RayNodeTypeLabelKey`). */
const LABEL_RAY_NODE_TYPE = 'ray.io/node-type';
import {
  checkDns1035Label, checkDns1123Label, checkDuration, checkEnv, checkImage, checkInstance, checkLabels, checkListOf, checkOneOf,
  checkOptionalBoolean, checkOptionalDuration, checkOptionalWhole, checkPinnedImage, checkSecretEnv, checkString, checkStruct, checkWhole,
  INT32_MAX,
} from '../common/validate';
import { GpuRequest } from '../values/gpu-request';
import { GpuWorkKind } from '../values/gpu-work-kind';
import { SecretKeyReference } from '../values/secret-key-reference';
import { IWorkloadFootprintProvider, ScalingOwner, WorkloadFootprint } from '../values/workload-footprint';

/** The Serve application a RayService runs: one model behind one Serve deployment. */
export interface RayServeApplication {
  /**
   * Where Serve finds the application (`import_path`, `module:attribute`), in the image or in `workingDir`:
   * e.g. `vllm_serve:deployment`, a bound Serve deployment that starts a vLLM engine.
   */
  readonly importPath: string;
  /**
   * The Serve deployment that holds the model (`deployments[].name`): the one the autoscaling and the GPUs apply to,
   * e.g. `VLLMDeployment`.
   */
  readonly deploymentName: string;
  /** The model the deployment loads (a Hugging Face id or a path), given to it as the variable `modelEnvName`. */
  readonly model: string;
  /**
   * Application name (`applications[].name`); a DNS-1123 label.
   * @default 'llm'
   */
  readonly name?: string;
  /**
   * HTTP route prefix of the application.
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * Name of the environment variable that carries `model` to the deployment (`runtime_env.env_vars`).
   * @default 'MODEL_ID'
   */
  readonly modelEnvName?: string;
  /**
   * More variables of the application's runtime environment (`runtime_env.env_vars`): engine settings such as
   * `MAX_MODEL_LEN`. Never credentials: give those with `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * A remote archive with the application's code (`runtime_env.working_dir`, an `https://`, `s3://` or `gs://` URI of
   * a .zip). Ray downloads it on every node.
   * @default - the code is in the image
   */
  readonly workingDir?: string;
  /**
   * GPUs of each Serve replica (`ray_actor_options.num_gpus`): the tensor-parallel size of the engine. A replica runs
   * on one worker, so a worker must have at least this many.
   * @default 1
   */
  readonly gpusPerReplica?: number;
  /**
   * CPUs Ray reserves for each replica (`ray_actor_options.num_cpus`), out of each worker's `num-cpus`.
   * @default 1
   */
  readonly cpusPerReplica?: number;
}

/**
 * Serve's autoscaling of the model's replicas (`autoscaling_config`), and the Ray autoscaler that adds and removes the
 * workers those replicas need.
 */
export interface RayServeAutoscaling {
  /** Fewest replicas Serve keeps (0 scales to zero: the first request then waits for a worker and the model). */
  readonly minReplicas: number;
  /** Most replicas Serve starts (at least 1 and at least minReplicas). */
  readonly maxReplicas: number;
  /**
   * Requests in flight per replica that Serve scales to keep (`target_ongoing_requests`). vLLM batches continuously,
   * so a replica serves many at once: set it from a load test of one replica.
   * @default 2 (Serve's default)
   */
  readonly targetOngoingRequests?: number;
  /**
   * Requests in flight a replica takes before Serve queues them at the proxy (`max_ongoing_requests`); at least
   * targetOngoingRequests.
   * @default - twice targetOngoingRequests
   */
  readonly maxOngoingRequests?: number;
  /**
   * How long the load must stay above target before Serve adds replicas (`upscale_delay_s`).
   * @default Duration.seconds(30)
   */
  readonly upscaleDelay?: Duration;
  /**
   * How long the load must stay below target before Serve removes replicas (`downscale_delay_s`).
   * @default Duration.minutes(10)
   */
  readonly downscaleDelay?: Duration;
  /**
   * Window over which Serve averages the ongoing requests (`look_back_period_s`).
   * @default Duration.seconds(30)
   */
  readonly lookBackPeriod?: Duration;
  /**
   * How long a worker with no replica on it stays before the Ray autoscaler removes it (`idleTimeoutSeconds`).
   * @default Duration.seconds(60)
   */
  readonly workerIdleTimeout?: Duration;
  /**
   * How quickly the Ray autoscaler adds the workers pending replicas ask for.
   * @default RayUpscalingMode.DEFAULT
   */
  readonly upscalingMode?: RayUpscalingMode;
}

/** The GPU workers that run the model's replicas (one worker group). */
export interface RayServeWorkerOptions {
  /** GPUs of each worker: `nvidia.com/gpu`, the GPU taint toleration, the product's node selector and `num-gpus`. */
  readonly gpu: GpuRequest;
  /** CPU of each worker (Ray schedules on it as whole cores, `num-cpus`). */
  readonly cpu: kplus.Cpu;
  /** Memory of each worker: at least 256 MiB, and enough for the engine's host memory (weights load through it). */
  readonly memory: Size;
  /**
   * Memory-backed `/dev/shm` (vLLM's workers and NCCL use it).
   * @default - a quarter of the worker memory, at least 1 GiB
   */
  readonly sharedMemorySize?: Size;
  /**
   * Worker group name (`groupName`); a DNS-1123 label.
   * @default 'gpu'
   */
  readonly groupName?: string;
  /**
   * More node labels the workers select (a NodePool's label, a zone), besides the GPU's.
   * @default - the GPU's only
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Let workers run on spot capacity. Off, they select `karpenter.sh/capacity-type: on-demand`: a reclaimed worker
   * takes its replicas, and a new one loads the model again.
   * @default false
   */
  readonly allowSpot?: boolean;
}

/** What an incremental upgrade does at each step (`clusterUpgradeOptions`). */
export interface RayServeIncrementalUpgradeOptions {
  /** The GatewayClass KubeRay's Gateway for the RayService uses (`gatewayClassName`). */
  readonly gatewayClassName: string;
  /** Percent of the traffic moved to the new cluster at each step (`stepSizePercent`), 1 to maxSurgePercent. */
  readonly stepSizePercent: number;
  /** Time between steps (`intervalSeconds`), whole seconds, at least 1. */
  readonly interval: Duration;
  /**
   * Percent of the capacity the new cluster adds before traffic moves (`maxSurgePercent`), 1 to 100.
   * @default 100
   */
  readonly maxSurgePercent?: number;
}

/** The KubeRay upgrade strategy types (ray-project/kuberay v1.7.0 ray-operator/apis/ray/v1/rayservice_types.go). */
enum UpgradeType {
  NEW_CLUSTER = 'NewCluster',
  INCREMENTAL = 'NewClusterWithIncrementalUpgrade',
}

/**
 * How KubeRay replaces the Ray cluster when the RayService's cluster spec changes (`spec.upgradeStrategy`). Both keep
 * serving: a second cluster starts beside the running one.
 */
export class RayServeUpgrade {
  /**
   * `NewCluster` (KubeRay's default): a whole new cluster starts, and the Serve Service switches to it at once when its
   * applications are ready; the old one is deleted after `rayClusterDeletionDelaySeconds`. During the upgrade the
   * second cluster runs its head and the workers of `minReplicas`.
   */
  public static newCluster(): RayServeUpgrade {
    return new RayServeUpgrade(UpgradeType.NEW_CLUSTER);
  }

  /**
   * `NewClusterWithIncrementalUpgrade`: the new cluster grows by `maxSurgePercent` of the capacity and traffic moves to
   * it `stepSizePercent` at a time, every `interval`, through a Gateway API Gateway and HTTPRoute KubeRay creates
   * (`<name>-gateway`). Needs the Gateway API CRDs and a GatewayClass in the cluster, and the operator's
   * `RayServiceIncrementalUpgrade` feature gate (beta, on by default in KubeRay v1.7.0). With the gate off, KubeRay
   * does no zero-downtime upgrade for this type at all: a change of the cluster spec is not rolled out
   * (ray-operator/controllers/ray/rayservice_controller.go `isZeroDowntimeUpgradeEnabled` at v1.7.0).
   */
  public static incremental(options: RayServeIncrementalUpgradeOptions): RayServeUpgrade {
    return new RayServeUpgrade(UpgradeType.INCREMENTAL, options);
  }

  private constructor(
    /** The `upgradeStrategy.type`. */
    public readonly type: string,
    /** The incremental upgrade's options. */
    public readonly incrementalOptions?: RayServeIncrementalUpgradeOptions,
  ) {}
}

/** Props of `RayServeInference`. */
export interface RayServeInferenceProps {
  /**
   * RayService name (a DNS-1035 label of at most 47 characters, KubeRay's limit for a RayService).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The image of every Ray pod: Ray with Ray Serve and vLLM (e.g. `rayproject/ray-llm` or your own build). Pinned: the
   * head and the workers must run the same Ray.
   */
  readonly image: string;
  /**
   * Accept an `image` with no tag and no digest, or the tag `latest`.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * The Ray version in the image (`rayVersion`, `major.minor[.patch]`).
   * @default '2.52.0'
   */
  readonly rayVersion?: string;
  /** The Serve application. */
  readonly application: RayServeApplication;
  /** Replicas of the model, and the workers under them. */
  readonly autoscaling: RayServeAutoscaling;
  /** The GPU workers. */
  readonly workers: RayServeWorkerOptions;
  /**
   * The head pod (it runs no replica: `num-cpus: 0`).
   * @default - 2 cores, 8 GiB
   */
  readonly head?: RayHeadOptions;
  /**
   * How a change of the cluster spec is rolled out.
   * @default RayServeUpgrade.newCluster()
   */
  readonly upgrade?: RayServeUpgrade;
  /**
   * How long the old cluster stays after an upgrade switched traffic away from it (`rayClusterDeletionDelaySeconds`).
   * @default Duration.seconds(60)
   */
  readonly clusterDeletionDelay?: Duration;
  /**
   * Environment variables read from Secret keys on every Ray pod, which the replicas inherit (a Hugging Face token for
   * a gated model). The Secrets must be in the RayService's namespace.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * Namespaces whose pods may call the model on Serve's port (8000), besides the RayService's own namespace; add the
   * Gateway data plane's namespace for an incremental upgrade.
   * @default - pods of the RayService's namespace only
   */
  readonly clientNamespaces?: string[];
  /**
   * Namespace of the Prometheus that scrapes Ray's metrics port (8080).
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
  /**
   * Namespace of the KubeRay operator, which calls the dashboard (8265) to deploy the Serve application.
   * @default 'default'
   */
  readonly operatorNamespace?: string;
  /**
   * The PriorityClass of every pod. The class must exist in the cluster.
   * @default - the real-time inference class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
  /**
   * Ray token authentication (`authOptions.mode: token`); the operator reads the generated token to call the dashboard.
   * Needs Ray 2.52 or later.
   * @default true
   */
  readonly tokenAuthentication?: boolean;
}

const DEFAULT_RAY_VERSION = '2.52.0';
/** ray-operator/controllers/ray/utils/constant.go at v1.7.0: MaxRayServiceNameLength = MaxRayClusterNameLength (53) - 6. */
const MAX_NAME = 47;
/** Serve's defaults (ray python/ray/serve/config.py `AutoscalingConfig`). */
const SERVE_TARGET_ONGOING_REQUESTS = 2;
const WORKER_MAX = 1000;

/**
 * Online inference on Ray Serve with vLLM, as a KubeRay `RayService` (`ray.io/v1`), secure by default.
 *
 * Use it to serve a model behind Ray Serve's OpenAI-compatible or custom deployments with Serve's own request-based
 * autoscaling: Serve adds replicas of the model deployment when the requests in flight per replica pass
 * `targetOngoingRequests`, and the Ray in-tree autoscaler adds the GPU workers those replicas need. The worker group's
 * bounds follow from the replicas: a worker holds `floor(worker GPUs / gpusPerReplica)` replicas (and no more than its
 * whole cores allow at `cpusPerReplica`), so `minReplicas`/`maxReplicas` of the workers are the replica bounds divided
 * by that, rounded up.
 *
 * Security is ElasticRayTraining's: token authentication, a ClusterIP head with no Ingress, restricted Pod Security,
 * and a NetworkPolicy. The dashboard cannot bind to loopback here: KubeRay's RayService controller deploys the Serve
 * application through the dashboard's REST API on the head Service (port 8265), so the NetworkPolicy admits only the
 * operator to it. The head runs no replica and is left out of the Serve Service (`excludeHeadPodFromServeSvc`), so the
 * operator never calls its proxy. Clients reach Serve on port 8000 through KubeRay's `<name>-serve-svc`.
 *
 * The workers spread over zones and nodes (ScheduleAnyway) and a PodDisruptionBudget lets drains take one at a time.
 *
 * `footprint` is the GPU worker group at its maximum; `headFootprint` the head with the autoscaler sidecar. An upgrade
 * runs a second cluster for a while: its workers are counted as the footprint's `surgeReplicas`.
 *
 * @see https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
 * @example
 * new RayServeInference(chart, 'llama', {
 *   image: 'rayproject/ray-llm:2.52.0-py311-cu128',
 *   application: { importPath: 'vllm_serve:deployment', deploymentName: 'VLLMDeployment', model: 'meta-llama/Llama-3.1-8B-Instruct' },
 *   autoscaling: { minReplicas: 1, maxReplicas: 4, targetOngoingRequests: 32 },
 *   workers: { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), cpu: kplus.Cpu.units(14), memory: Size.gibibytes(56) },
 * });
 */
export class RayServeInference extends Construct implements IWorkloadFootprintProvider {
  /** The RayService (`ray.io/v1`). */
  public readonly rayService: ApiObject;
  /** The NetworkPolicy on the service's Ray pods. */
  public readonly networkPolicy: ApiObject;
  /** The PodDisruptionBudget of the GPU workers (one at a time). */
  public readonly podDisruptionBudget: ApiObject;
  /** The RayService name. */
  public readonly rayServiceName: string;
  /** The Service KubeRay creates for Serve's HTTP port (`<name>-serve-svc`, port 8000). */
  public readonly serveServiceName: string;
  /** Replicas of the model one worker holds. */
  public readonly replicasPerWorker: number;
  /** Fewest GPU workers (`minReplicas` of the worker group). */
  public readonly minWorkers: number;
  /** Most GPU workers (`maxReplicas` of the worker group). */
  public readonly maxWorkers: number;
  /** The GPU worker group, at its bounds; the RayService's autoscaler owns its replica count. */
  public readonly footprint: WorkloadFootprint;
  /** The head pod (`component` `head`), with the autoscaler sidecar KubeRay adds to it. */
  public readonly headFootprint: WorkloadFootprint;

  constructor(scope: Construct, id: string, props: RayServeInferenceProps) {
    super(scope, id);
    this.checkProps(props);
    const rayVersion = props.rayVersion ?? DEFAULT_RAY_VERSION;
    this.rayServiceName = props.name ?? Names.toDnsLabel(this, { maxLen: MAX_NAME });
    this.serveServiceName = `${this.rayServiceName}-serve-svc`;
    const app = props.application;
    const auto = props.autoscaling;
    const w = props.workers;
    const groupName = w.groupName ?? 'gpu';
    const gpusPerReplica = app.gpusPerReplica ?? 1;
    const cpusPerReplica = app.cpusPerReplica ?? 1;
    this.replicasPerWorker = replicasPerWorker(w.gpu.gpus, gpusPerReplica, rayCpus(w.cpu), cpusPerReplica);
    const workersFor = (replicas: number) => Math.ceil(replicas / this.replicasPerWorker);
    this.minWorkers = workersFor(auto.minReplicas);
    this.maxWorkers = workersFor(auto.maxReplicas);
    const tokenAuth = props.tokenAuthentication ?? true;
    const upgrade = props.upgrade ?? RayServeUpgrade.newCluster();

    const podLabels = { [LABEL_APP_INSTANCE]: this.rayServiceName, [LABEL_APP_COMPONENT]: 'ray-serve' };
    // KubeRay labels every worker pod `ray.io/node-type: worker` (ray-operator/controllers/ray/common/pod.go labelPod).
    const workerLabels = { ...podLabels, [LABEL_RAY_NODE_TYPE]: 'worker' };
    const common = {
      labels: podLabels,
      priorityClassName: lazyPriorityClassName(this, 'priorityClassName', GpuWorkKind.REAL_TIME_INFERENCE, props.priorityClassName),
      secretEnv: props.secretEnv,
    };
    const head = rayHeadTemplate({
      image: props.image,
      cpu: props.head?.cpu ?? kplus.Cpu.units(2),
      memory: props.head?.memory ?? Size.gibibytes(8),
      // Losing the head restarts every replica: consolidation must not move it.
      annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' },
      // KubeRay creates the Serve Service only when the head container names a `serve` port (common/service.go).
      extraPorts: [{ ...RAY_SERVE_PORT }],
      ...common,
    });
    const api = rayAutoscalerApiAccess();
    head.template.spec.volumes = [...head.template.spec.volumes, api.volume];
    const worker = rayWorker({
      image: props.image,
      cpu: w.cpu,
      memory: w.memory,
      gpu: w.gpu,
      sharedMemorySize: w.sharedMemorySize,
      allowSpotGpu: w.allowSpot ?? false,
      nodeSelector: w.nodeSelector,
      extraPorts: [{ ...RAY_SERVE_PORT }],
      // Autoscaler v2 replaces failed workers itself and needs Never (validation.go ValidateRayClusterSpec).
      restartPolicy: 'Never',
      podFields: {
        // Replicas over zones and nodes, so one lost zone or node does not take every replica; ScheduleAnyway, so a full zone
        // never blocks a scale-up. Per Ray cluster (`ray.io/cluster`, which KubeRay sets), as an upgrade runs two.
        topologySpreadConstraints: [LABEL_TOPOLOGY_ZONE, LABEL_HOSTNAME].map(topologyKey => ({
          maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: workerLabels }, matchLabelKeys: [LABEL_RAY_CLUSTER],
        })),
      },
      ...common,
    });
    const sidecar = rayAutoscalerSidecar(kplus.Cpu.millis(500), Size.mebibytes(512));

    const target = auto.targetOngoingRequests ?? SERVE_TARGET_ONGOING_REQUESTS;
    const serveConfig = {
      proxy_location: 'EveryNode',
      http_options: { host: '0.0.0.0', port: RAY_PORTS.serve },
      applications: [{
        name: app.name ?? 'llm',
        import_path: app.importPath,
        route_prefix: app.routePrefix ?? '/',
        runtime_env: {
          ...(app.workingDir !== undefined ? { working_dir: app.workingDir } : {}),
          env_vars: { [app.modelEnvName ?? 'MODEL_ID']: app.model, ...app.env },
        },
        deployments: [{
          name: app.deploymentName,
          max_ongoing_requests: auto.maxOngoingRequests ?? 2 * target,
          autoscaling_config: {
            min_replicas: auto.minReplicas,
            max_replicas: auto.maxReplicas,
            target_ongoing_requests: target,
            upscale_delay_s: (auto.upscaleDelay ?? Duration.seconds(30)).toSeconds({ integral: false }),
            downscale_delay_s: (auto.downscaleDelay ?? Duration.minutes(10)).toSeconds({ integral: false }),
            look_back_period_s: (auto.lookBackPeriod ?? Duration.seconds(30)).toSeconds({ integral: false }),
          },
          ray_actor_options: { num_cpus: cpusPerReplica, num_gpus: gpusPerReplica },
        }],
      }],
    };

    const inc = upgrade.incrementalOptions;
    this.rayService = new ApiObject(this, 'Resource', {
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      metadata: { name: this.rayServiceName },
      spec: {
        upgradeStrategy: {
          type: upgrade.type,
          ...(inc ? {
            clusterUpgradeOptions: {
              gatewayClassName: inc.gatewayClassName,
              stepSizePercent: inc.stepSizePercent,
              intervalSeconds: inc.interval.toSeconds(),
              maxSurgePercent: inc.maxSurgePercent ?? 100,
            },
          } : {}),
        },
        rayClusterDeletionDelaySeconds: (props.clusterDeletionDelay ?? Duration.seconds(60)).toSeconds(),
        excludeHeadPodFromServeSvc: true,
        serveConfigV2: Yaml.stringify(serveConfig),
        rayClusterConfig: {
          rayVersion,
          authOptions: { mode: tokenAuth ? 'token' : 'disabled' },
          enableInTreeAutoscaling: true,
          autoscalerOptions: {
            version: 'v2',
            upscalingMode: auto.upscalingMode ?? RayUpscalingMode.DEFAULT,
            idleTimeoutSeconds: (auto.workerIdleTimeout ?? Duration.seconds(60)).toSeconds(),
            resources: sidecar.resources,
            securityContext: rayContainerSecurity(),
            volumeMounts: [api.volumeMount],
          },
          headGroupSpec: {
            serviceType: 'ClusterIP',
            // 0.0.0.0, not loopback: the operator deploys Serve through the dashboard on the head Service (the NetworkPolicy limits who reaches it).
            rayStartParams: { 'num-cpus': '0', 'dashboard-host': '0.0.0.0' },
            template: head.template,
          },
          workerGroupSpecs: [{
            groupName,
            replicas: this.minWorkers,
            minReplicas: this.minWorkers,
            maxReplicas: this.maxWorkers,
            rayStartParams: worker.rayStartParams,
            template: worker.template,
          }],
        },
      },
    });

    const tcp = (port: number) => ({ protocol: 'TCP', port });
    const ingress = rayIngressRulesFor(podLabels, {
      operatorNamespace: props.operatorNamespace ?? 'default',
      prometheusNamespace: props.prometheusNamespace ?? 'monitoring',
      allowedNamespaces: [],
    }, false);
    ingress.push({
      from: [
        { podSelector: {} },
        ...(props.clientNamespaces ?? []).map(ns => ({ namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: ns } } })),
      ],
      ports: [tcp(RAY_PORTS.serve)],
    });
    this.podDisruptionBudget = new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: `${this.rayServiceName}-workers` },
      spec: {
        // Drains (consolidation, upgrades of nodes) take one worker, and its replicas, at a time.
        maxUnavailable: 1,
        selector: { matchLabels: { ...workerLabels } },
        // A worker still loading the model must not block a node drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.rayServiceName },
      spec: { podSelector: { matchLabels: { ...podLabels } }, policyTypes: ['Ingress'], ingress },
    });

    // A second cluster runs during an upgrade: at its minimum for NewCluster, at maxSurgePercent of the replicas for an incremental one.
    const surgeWorkers = inc
      ? workersFor(Math.ceil(auto.maxReplicas * (inc.maxSurgePercent ?? 100) / 100))
      : this.minWorkers;
    const owner: ScalingOwner = { kind: 'RayService', name: this.rayServiceName };
    this.footprint = builtFootprint(this.rayService, worker.pod,
      { minReplicas: this.minWorkers, maxReplicas: this.maxWorkers, surgeReplicas: surgeWorkers }, owner, groupName);
    this.headFootprint = builtFootprint(this.rayService, withSidecar(head.pod, sidecar.amounts),
      { minReplicas: 1, maxReplicas: 1, surgeReplicas: 1 }, owner, 'head');
  }

  private checkProps(props: RayServeInferenceProps): void {
    checkStruct(this, 'props', props, 'give { image, application, autoscaling, workers }');
    if (props.name !== undefined) {
      checkDns1035Label(this, 'name', props.name, MAX_NAME,
        `use a shorter name of lowercase letters, digits and '-' (KubeRay's limit for a RayService is ${MAX_NAME} characters)`);
    }
    const tokenAuth = checkOptionalBoolean(this, 'tokenAuthentication', props.tokenAuthentication) ?? true;
    checkRayVersion(this, props.rayVersion ?? DEFAULT_RAY_VERSION, tokenAuth);
    checkImage(this, 'image', props.image);
    checkPinnedImage(this, 'image', props.image, props.allowUnpinnedImage, 'allowUnpinnedImage');
    if (props.secretEnv !== undefined) checkSecretEnv(this, 'secretEnv', props.secretEnv, { envProp: 'application.env', env: props.application?.env });
    checkRayHead(this, 'head', props.head);
    checkRayNamespaces(this, { prometheusNamespace: props.prometheusNamespace, operatorNamespace: props.operatorNamespace });
    if (props.clientNamespaces !== undefined) {
      checkListOf(this, 'clientNamespaces', props.clientNamespaces, { max: 100 }, 'give namespace names (DNS-1123 labels) such as "gateway"',
        (ns, p) => checkDns1123Label(this, p, ns));
    }
    checkOptionalDuration(this, 'clusterDeletionDelay', props.clusterDeletionDelay, { max: Duration.seconds(INT32_MAX), wholeSeconds: true },
      'give a whole number of seconds, e.g. Duration.seconds(60)');
    this.checkApplication(props.application);
    this.checkWorkers(props.workers);
    this.checkAutoscaling(props.autoscaling);
    const app = props.application;
    const w = props.workers;
    const gpus = app.gpusPerReplica ?? 1;
    if (w.gpu.gpus < gpus) {
      invalidProp(this, 'workers.gpu', `${w.gpu.gpus} GPU(s)`, `is fewer than 'application.gpusPerReplica' (${gpus}): a Serve replica runs on one worker`,
        `give each worker at least ${gpus} GPUs, or lower gpusPerReplica`);
    }
    const cpus = app.cpusPerReplica ?? 1;
    if (rayCpus(w.cpu) < cpus) {
      invalidProp(this, 'workers.cpu', w.cpu.amount, `gives Ray ${rayCpus(w.cpu)} whole core(s), fewer than 'application.cpusPerReplica' (${cpus})`,
        `give each worker at least ${cpus} cores, or lower cpusPerReplica`);
    }
    if (props.upgrade !== undefined) {
      checkInstance(this, 'upgrade', props.upgrade, RayServeUpgrade, 'use RayServeUpgrade.newCluster() or RayServeUpgrade.incremental({...})');
      const inc = props.upgrade.incrementalOptions;
      if (inc !== undefined) this.checkIncremental(inc);
    }
  }

  private checkApplication(app: RayServeApplication): void {
    checkStruct(this, 'application', app, 'give { importPath, deploymentName, model }');
    const path = checkString(this, 'application.importPath', app.importPath, 'give module:attribute, e.g. "vllm_serve:deployment"', 1024);
    if (!/^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$/.test(path)) {
      invalidProp(this, 'application.importPath', path, 'is not `module:attribute` (Python names, dots allowed)', 'give e.g. "vllm_serve:deployment"');
    }
    const dep = checkString(this, 'application.deploymentName', app.deploymentName, 'give the Serve deployment\'s name, e.g. "VLLMDeployment"', 253);
    if (!/^[A-Za-z0-9_.:-]+$/.test(dep)) {
      invalidProp(this, 'application.deploymentName', dep, 'is not a Serve deployment name (letters, digits, \'_\', \'.\', \':\' and \'-\')',
        'give the name the deployment has in the code, e.g. "VLLMDeployment"');
    }
    const model = checkString(this, 'application.model', app.model, 'give the model id, e.g. "meta-llama/Llama-3.1-8B-Instruct"', 1024);
    if (model.trim() === '' || /\s/.test(model)) {
      invalidProp(this, 'application.model', model, 'is empty or has white space', 'give the model id, e.g. "meta-llama/Llama-3.1-8B-Instruct"');
    }
    if (app.name !== undefined) checkDns1123Label(this, 'application.name', app.name);
    if (app.routePrefix !== undefined) {
      const r = checkString(this, 'application.routePrefix', app.routePrefix, 'give a path such as "/" or "/llama"', 1024);
      if (!/^\/[^\s]*$/.test(r)) invalidProp(this, 'application.routePrefix', r, 'must start with \'/\' and have no white space', 'give a path such as "/" or "/llama"');
    }
    const modelEnv = app.modelEnvName ?? 'MODEL_ID';
    if (app.modelEnvName !== undefined) {
      checkString(this, 'application.modelEnvName', app.modelEnvName, 'give a variable name such as "MODEL_ID"', 256);
      checkEnv(this, 'application.modelEnvName', { [app.modelEnvName]: 'x' });
    }
    if (app.env !== undefined) checkEnv(this, 'application.env', app.env, [modelEnv]);
    if (app.workingDir !== undefined) {
      const dir = checkString(this, 'application.workingDir', app.workingDir, 'give a URI such as "https://example.com/app.zip"', 2048);
      if (!/^(https|s3|gs):\/\/\S+\.zip$/.test(dir)) {
        invalidProp(this, 'application.workingDir', dir, 'is not an https://, s3:// or gs:// URI of a .zip archive',
          'give a remote .zip of the code, or leave it out when the code is in the image');
      }
    }
    checkOptionalWhole(this, 'application.gpusPerReplica', app.gpusPerReplica, { min: 1, max: 64 }, 'give the tensor-parallel size, e.g. 1');
    checkOptionalWhole(this, 'application.cpusPerReplica', app.cpusPerReplica, { min: 0, max: 10_000 }, 'give whole cores, e.g. 1');
  }

  private checkWorkers(w: RayServeWorkerOptions): void {
    checkStruct(this, 'workers', w, 'give { gpu, cpu, memory }');
    if (w.gpu === undefined) invalidProp(this, 'workers.gpu', w.gpu, 'is required: the model runs on GPU workers', 'give GpuRequest.of(1)');
    checkRayWorkerResources(this, (p) => `workers.${p}`, w, false);
    if (w.gpu.sharing !== undefined) {
      invalidProp(this, 'workers.gpu', w.gpu.sharing, 'is a shared GPU: Ray schedules replicas on whole GPUs (`num-gpus`)', 'give whole GPUs, GpuRequest.of(n)');
    }
    if (w.groupName !== undefined) checkDns1123Label(this, 'workers.groupName', w.groupName);
    if (w.nodeSelector !== undefined) checkLabels(this, 'workers.nodeSelector', w.nodeSelector);
    checkOptionalBoolean(this, 'workers.allowSpot', w.allowSpot);
  }

  private checkAutoscaling(a: RayServeAutoscaling): void {
    checkStruct(this, 'autoscaling', a, 'give { minReplicas, maxReplicas }');
    const min = checkWhole(this, 'autoscaling.minReplicas', a.minReplicas, { max: WORKER_MAX }, 'use 0 or more replicas');
    const max = checkWhole(this, 'autoscaling.maxReplicas', a.maxReplicas, { min: 1, max: WORKER_MAX }, 'use 1 or more replicas');
    if (min > max) invalidProp(this, 'autoscaling.maxReplicas', max, `is below 'minReplicas' (${min})`, 'raise maxReplicas or lower minReplicas');
    const target = checkOptionalWhole(this, 'autoscaling.targetOngoingRequests', a.targetOngoingRequests, { min: 1, max: 100_000 },
      'give the requests in flight one replica serves well, e.g. 32') ?? SERVE_TARGET_ONGOING_REQUESTS;
    const most = checkOptionalWhole(this, 'autoscaling.maxOngoingRequests', a.maxOngoingRequests, { min: 1, max: 1_000_000 },
      'give at least targetOngoingRequests');
    if (most !== undefined && most < target) {
      invalidProp(this, 'autoscaling.maxOngoingRequests', most, `is below 'targetOngoingRequests' (${target}): replicas could never reach the target`,
        'raise maxOngoingRequests or lower targetOngoingRequests');
    }
    const fix = 'give a length of time such as Duration.seconds(30)';
    checkOptionalDuration(this, 'autoscaling.upscaleDelay', a.upscaleDelay, { max: Duration.hours(24) }, fix);
    checkOptionalDuration(this, 'autoscaling.downscaleDelay', a.downscaleDelay, { max: Duration.hours(24) }, fix);
    checkOptionalDuration(this, 'autoscaling.lookBackPeriod', a.lookBackPeriod, { min: Duration.seconds(1), max: Duration.hours(1) }, fix);
    checkOptionalDuration(this, 'autoscaling.workerIdleTimeout', a.workerIdleTimeout, { max: Duration.seconds(INT32_MAX), wholeSeconds: true },
      'give a whole number of seconds, e.g. Duration.seconds(60)');
    if (a.upscalingMode !== undefined) {
      checkOneOf(this, 'autoscaling.upscalingMode', a.upscalingMode, Object.values(RayUpscalingMode), 'use a RayUpscalingMode');
    }
  }

  private checkIncremental(o: RayServeIncrementalUpgradeOptions): void {
    checkStruct(this, 'upgrade', o, 'give { gatewayClassName, stepSizePercent, interval }');
    checkDns1123Label(this, 'upgrade.gatewayClassName', o.gatewayClassName);
    const surge = checkOptionalWhole(this, 'upgrade.maxSurgePercent', o.maxSurgePercent, { min: 1, max: 100 }, 'give a percent from 1 to 100') ?? 100;
    const step = checkWhole(this, 'upgrade.stepSizePercent', o.stepSizePercent, { min: 1, max: 100 }, 'give a percent from 1 to 100');
    // ray-operator/controllers/ray/utils/validation.go ValidateClusterUpgradeOptions at v1.7.0.
    if (step > surge) {
      invalidProp(this, 'upgrade.stepSizePercent', step, `is above 'maxSurgePercent' (${surge}): KubeRay refuses it`,
        'move at most maxSurgePercent of the traffic per step');
    }
    checkDuration(this, 'upgrade.interval', o.interval, { min: Duration.seconds(1), max: Duration.seconds(INT32_MAX), wholeSeconds: true },
      'give a whole number of seconds, e.g. Duration.seconds(30)');
  }
}

/**
 * Replicas one worker holds: whole replicas by GPUs, and by whole cores when replicas reserve CPUs (a Ray actor runs
 * on one node, so a replica never spans workers).
 */
function replicasPerWorker(workerGpus: number, gpusPerReplica: number, workerCpus: number, cpusPerReplica: number): number {
  const byGpu = Math.floor(workerGpus / gpusPerReplica);
  return cpusPerReplica > 0 ? Math.min(byGpu, Math.floor(workerCpus / cpusPerReplica)) : byGpu;
}
