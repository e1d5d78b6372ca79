import { ApiObject, Duration, Names, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { equalResources, HardenedPod, hardenedPod, recordPod, restrictedContainerSecurity } from './pod';
import { lazyPriorityClassName, requirePriorityClassName } from './priority';
import { invalidProp, requireInteger } from '../../common/errors';
import {
  LABEL_APP_INSTANCE, LABEL_CDK8S_ADDRESS, LABEL_HOSTNAME, LABEL_POD_TEMPLATE_HASH, LABEL_TOPOLOGY_ZONE, suggestName,
} from '../../common/names';
import { cpuMillisOf } from '../../common/quantity';
import { LIBRARY_ROLLING_UPDATE } from '../../common/rollout';
import {
  checkAbsolutePath, checkCpu, checkImage, checkInstance,
  checkOptionalBoolean, checkOptionalDuration, checkOptionalInstance, checkPinnedImage, checkPlainEnv,
  checkPort, checkSecretEnv, checkSize, checkString, checkStringList, checkStruct, checkText, checkUniquePaths,
} from '../../common/validate';
import { StartupEstimate, TimeToCapacity } from '../../planning/time-to-capacity';
import { GpuRequest } from '../../values/gpu-request';
import { GpuWorkKind } from '../../values/gpu-work-kind';
import type { ModelServerProps } from '../../values/model-server';
import { ModelServerKind } from '../../values/model-server-kind';
import { ModelWeights, ModelWeightsSource } from '../../values/model-weights';

/** The model server's container. */
export const MODEL_SERVER_CONTAINER = 'model-server';
/** The name of the container port that serves traffic and metrics. */
export const METRICS_PORT_NAME = 'http';
/** The name of the container port that serves metrics, when the server has a port of its own for them (Triton). */
export const SEPARATE_METRICS_PORT_NAME = 'metrics';
/** The port a model server listens on unless told otherwise. */
export const DEFAULT_MODEL_SERVER_PORT = 8000;

/** The startup probe's period: the kubelet checks a loading server this often. */
const STARTUP_PERIOD_SECONDS = 10;
/**
 * What a rollout may take beyond the startup probe's budget before the Deployment counts as stuck: the probe's clock
 * starts when the container starts, after a GPU node is provisioned and a multi-gigabyte image is pulled.
 */
export const PROGRESS_MARGIN_SECONDS = 600;

/** A model server's kind and the port and paths that follow from it and the props. */
export interface ResolvedModelServer {
  readonly kind: ModelServerKind;
  readonly port: number;
  readonly healthPath: string;
  readonly metricsPath: string;
  /** The container port the metrics are scraped from. */
  readonly metricsPort: number;
  /** The name of that port (`http`, or `metrics` when it is a port of its own). */
  readonly metricsPortName: string;
}

/** The fix for a name that is no Service name (a DNS-1035 label): a lowercase spelling of it that starts with a letter. */
export function serviceNameFix(name: unknown): string {
  if (typeof name !== 'string') return 'give a lowercase name that starts with a letter, such as "my-service"';
  const s = suggestName(name).replace(/^[^a-z]+/, '');
  return `use a name such as "${s || 'my-service'}"`;
}

/** Environment variables every model server pod gets (`env` may override them; `secretEnv` may not). */
export const MODEL_SERVER_OWN_ENV = ['HOME', 'XDG_CACHE_HOME', 'HF_HOME'];

/** Mount paths every model server pod has besides its model cache. */
const FIXED_MOUNT_PATHS = ['/dev/shm', '/tmp'];
/** The longest model load the startup probe allows (its failureThreshold and the progress deadline stay int32). */
const MAX_LOAD = Duration.hours(24);

/**
 * Checks a model server's props, every field, before any is read (a wrong JavaScript type is an error naming the
 * field, never a TypeError), and the server against its kind: the kind matches the image, the port is one the server
 * listens on, the arguments it needs are there and (`checkRelease`) the image names a release whose metric names the
 * library knows. Errors name the fields `<prop>.image`, `<prop>.port`, ...
 */
export function checkModelServer(scope: IConstruct, prop: string, server: ModelServerProps, options: { checkRelease: boolean }): void {
  checkStruct(scope, prop, server, 'give the model server\'s props, at least { image: \'registry/repository:tag\' }');
  const at = (field: string) => `${prop}.${field}`;
  if (server.image === undefined || server.image === '') {
    invalidProp(scope, at('image'), server.image, 'is empty', 'give the model server image, pinned to a tag or digest');
  }
  checkImage(scope, at('image'), server.image);
  checkOptionalBoolean(scope, at('allowUnpinnedImage'), server.allowUnpinnedImage);
  checkOptionalInstance(scope, at('kind'), server.kind, ModelServerKind as any, 'use a preset such as ModelServerKind.VLLM, or ModelServerKind.generic({...})');
  if (server.serverVersion !== undefined) checkText(scope, at('serverVersion'), server.serverVersion, 'give the release, e.g. \'0.12.0\'', 64);
  if (server.args !== undefined) checkStringList(scope, at('args'), server.args, 'give the arguments as a list of strings, e.g. [\'--port\', \'9000\']');
  if (server.env !== undefined) checkPlainEnv(scope, at('env'), server.env, at('secretEnv'));
  if (server.port !== undefined) checkPort(scope, at('port'), server.port, 'use the port the server listens on (1 to 65535)');
  if (server.cpu !== undefined) {
    checkCpu(scope, at('cpu'), server.cpu, 'give a CPU amount such as Cpu.units(2) or Cpu.millis(500)');
    const millis = cpuMillisOf(server.cpu);
    if (millis === undefined || !Number.isFinite(millis) || millis < 1 || millis > 1e9) {
      invalidProp(scope, at('cpu'), server.cpu.amount, 'must be a CPU amount of at least 1 millicore (Cpu.millis(1))', 'give a CPU amount such as Cpu.units(2) or Cpu.millis(500)');
    }
  }
  if (server.memory !== undefined) checkSize(scope, at('memory'), server.memory, 'give a memory size such as Size.gibibytes(8)', 1);
  if (server.gpu !== undefined) {
    checkInstance(scope, at('gpu'), server.gpu, GpuRequest as any, 'give GPUs with GpuRequest.of(1), or leave gpu out');
    server.gpu._validate(scope, at('gpu'));
  }
  const pathFix = 'give an HTTP path such as \'/health\'';
  if (server.healthPath !== undefined) checkAbsolutePath(scope, at('healthPath'), server.healthPath, pathFix);
  if (server.metricsPath !== undefined) checkAbsolutePath(scope, at('metricsPath'), server.metricsPath, 'give an HTTP path such as \'/metrics\'');
  checkOptionalDuration(scope, at('modelLoadTimeout'), server.modelLoadTimeout, { max: MAX_LOAD },
    'allow the time a replica takes to pull and load the model, from 10 seconds to 24 hours');
  const load = server.modelLoadTimeout?.toSeconds({ integral: false }) ?? 900;
  if (load < 10) invalidProp(scope, at('modelLoadTimeout'), `${load}s`, 'is under 10 s', 'allow the time a replica takes to pull and load the model');
  checkOptionalInstance(scope, at('modelWeights'), server.modelWeights, ModelWeights as any,
    'make it with ModelWeights.fromVolume({...}), .download({...}) or .stream({...}), or leave it out');
  const estimate = serverEstimate(scope, prop, server);
  if (server.runAsUser !== undefined) {
    requireInteger(scope, at('runAsUser'), server.runAsUser, 1, 2 ** 31 - 1, 'the restricted Pod Security profile forbids root (0): give a non-root UID');
  }
  if (server.sharedMemorySize !== undefined) checkSize(scope, at('sharedMemorySize'), server.sharedMemorySize, 'give a size such as Size.gibibytes(2)', 1);
  if (server.modelCachePath !== undefined) {
    const cacheFix = 'mount the cache on a directory of its own, such as \'/models\'';
    const path = checkAbsolutePath(scope, at('modelCachePath'), server.modelCachePath, cacheFix);
    checkUniquePaths(scope, at('modelCachePath'), [...FIXED_MOUNT_PATHS, path], `${cacheFix}: the pod mounts ${FIXED_MOUNT_PATHS.join(' and ')} itself`);
    if (/[:\\]/.test(path)) invalidProp(scope, at('modelCachePath'), path, 'must not contain \':\' or \'\\\'', cacheFix);
  }
  if (server.modelCacheSize !== undefined) checkSize(scope, at('modelCacheSize'), server.modelCacheSize, 'give a size such as Size.gibibytes(100), or leave it out', 1);
  if (server.modelWeights !== undefined) checkModelWeights(scope, prop, server);
  if (estimate !== undefined && server.modelLoadTimeout !== undefined) checkProbeBudget(scope, prop, server.modelLoadTimeout, estimate);
  const grace = checkOptionalDuration(scope, at('terminationGracePeriod'), server.terminationGracePeriod, { max: Duration.days(365), wholeSeconds: true },
    'give whole seconds, e.g. Duration.seconds(120)');
  const drain = checkOptionalDuration(scope, at('drainDelay'), server.drainDelay, { max: Duration.hours(1), wholeSeconds: true },
    'give whole seconds, e.g. Duration.seconds(10), or Duration.seconds(0) for no preStop hook');
  const graceSeconds = (grace ?? Duration.seconds(120)).toSeconds();
  const drainSeconds = (drain ?? Duration.seconds(10)).toSeconds();
  if (drainSeconds > 0 && drainSeconds >= graceSeconds) {
    invalidProp(scope, at('drainDelay'), `${drainSeconds}s`, `is not shorter than the termination grace period (${graceSeconds}s): the kubelet kills the pod ` +
      'before its preStop sleep ends, so in-flight requests are cut off', `shorten drainDelay below ${graceSeconds} s, or lengthen terminationGracePeriod`);
  }
  if (server.priorityClassName !== undefined) {
    checkString(scope, at('priorityClassName'), server.priorityClassName, 'give the name of a PriorityClass, e.g. "realtime"', 253);
    requirePriorityClassName(scope, at('priorityClassName'), server.priorityClassName);
  }

  const resolved = resolveModelServer(server);
  const other = resolved.kind._otherPresetOf(server.image);
  if (other) {
    invalidProp(scope, at('kind'), resolved.kind.name, `does not match the image '${server.image}', which is ${other.name}`,
      `remove kind (it follows the image), or use the ${resolved.kind.name} image`);
  }
  if (server.serverVersion !== undefined && resolved.kind.isGeneric) {
    invalidProp(scope, at('serverVersion'), server.serverVersion, 'only applies to a known server, whose metric names depend on its release',
      'remove it, or set modelServer.kind to the server\'s preset');
  }
  if (options.checkRelease && !resolved.kind.isGeneric) {
    // A known server's release check refuses unpinned images itself, with the releases whose metric names it knows.
    resolved.kind._checkImage(scope, at('image'), server.image, server.serverVersion);
  } else {
    checkPinnedImage(scope, at('image'), server.image, server.allowUnpinnedImage, at('allowUnpinnedImage'));
  }
  resolved.kind._checkArgs(scope, prop, server.args ?? [], resolved.port);
  const portEnv = resolved.kind._portEnv;
  if (portEnv && server.env?.[portEnv] !== undefined && server.env[portEnv] !== String(resolved.port)) {
    invalidProp(scope, at('env'), portEnv, `sets the port ${resolved.kind.name} listens on to another port than ${prop}.port (${resolved.port})`,
      `leave ${portEnv} out of env and set ${prop}.port`);
  }
  if (server.secretEnv !== undefined) {
    // The variables the pod sets itself (env may override them; a Secret may not: the container would get them twice).
    checkSecretEnv(scope, at('secretEnv'), server.secretEnv,
      { envProp: at('env'), env: server.env, reserved: [...MODEL_SERVER_OWN_ENV, ...(portEnv ? [portEnv] : [])] });
  }
}

/** The kind of a model server (given, or from its image) and its port and paths: explicit props win over the kind's. */
export function resolveModelServer(server: ModelServerProps): ResolvedModelServer {
  const kind = server.kind ?? ModelServerKind.fromImage(server.image);
  const port = server.port ?? kind.port;
  const metricsPort = kind.metricsPort ?? port;
  return {
    kind,
    port,
    healthPath: server.healthPath ?? kind.healthPath,
    metricsPath: server.metricsPath ?? kind.metricsPath,
    metricsPort,
    metricsPortName: metricsPort === port ? METRICS_PORT_NAME : SEPARATE_METRICS_PORT_NAME,
  };
}

/**
 * The longest the startup probe lets a container take to answer: initialDelaySeconds + periodSeconds x failureThreshold
 * (the kubelet restarts it after failureThreshold failures; periodSeconds defaults to 10, failureThreshold to 3:
 * k8s@v1.28.0 pkg/apis/core/v1/defaults.go:249-262 SetDefaults_Probe).
 */
export function startupBudgetSeconds(probe: any): number {
  if (!probe) return 0;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

/**
 * The progress deadline of a model server Deployment: longer than the startup probe's budget, with a margin. The
 * deployment controller marks a rollout whose new pods show no progress for progressDeadlineSeconds as failed
 * (Progressing=False, reason ProgressDeadlineExceeded: k8s@v1.28.0 pkg/controller/deployment/progress.go:86-93,
 * pkg/controller/deployment/util/deployment_util.go:738-774 DeploymentTimedOut), and `kubectl rollout status` then exits
 * with "exceeded its progress deadline" (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go:77-78);
 * apps/v1 defaults it to 600 s (pkg/apis/apps/v1/defaults.go:69-71), shorter than a large model's load.
 */
export function progressDeadlineSeconds(startupBudget: number, estimate?: StartupEstimate): number {
  if (estimate === undefined) return startupBudget + PROGRESS_MARGIN_SECONDS;
  // With an estimate, the margin covers node provisioning, the image pull and a download of the weights, which come
  // before the probe's clock starts.
  const beforeStart = estimate.nodeProvisioning.toSeconds({ integral: false }) + estimate.imagePull.toSeconds({ integral: false })
    + (estimate.weightDownload?.toSeconds({ integral: false }) ?? 0);
  return startupBudget + Math.max(PROGRESS_MARGIN_SECONDS, Math.ceil(ESTIMATE_MARGIN * beforeStart));
}

/**
 * The startup probe's failureThreshold at a 10 s period. Given `modelLoadTimeout`: ceil(timeout / 10), as before. Given
 * only an estimate: the kubelet may restart the container once failureThreshold probes have failed, which can be as
 * early as initialDelaySeconds + (failureThreshold - 1) x periodSeconds after it starts (the first probe may fall at
 * once: k8s@v1.28.0 pkg/kubelet/prober/worker.go doProbe), so that time is made at least 1.5 x (modelLoad + warmUp).
 */
export function startupFailureThreshold(server: ModelServerProps, estimate: StartupEstimate | undefined): number {
  if (server.modelLoadTimeout !== undefined || estimate === undefined) {
    return Math.ceil((server.modelLoadTimeout?.toSeconds() ?? 900) / STARTUP_PERIOD_SECONDS);
  }
  const need = (estimate.modelLoad?.toSeconds({ integral: false }) ?? 0) + (estimate.warmUp?.toSeconds({ integral: false }) ?? 0);
  return Math.max(1, Math.ceil(ESTIMATE_MARGIN * need / STARTUP_PERIOD_SECONDS)) + 1;
}

/** The margin the probe budget and the progress deadline keep over a startup estimate. */
export const ESTIMATE_MARGIN = 1.5;

/** A model server Deployment, with what its constructs need to know of it without reading it back. */
export interface ModelServerDeployment {
  /** The `apps/v1` Deployment. */
  readonly deployment: ApiObject;
  /** The construct that holds it (id `Deployment`): the scope of its Service. */
  readonly scope: Construct;
  /** The labels its pods carry and its selector matches. */
  readonly matchLabels: { [key: string]: string };
  /** Its pod. */
  readonly pod: HardenedPod;
}

/**
 * The model server Deployment: the library's hardened pod (restricted security with an explicit UID, emptyDir for
 * every writable path, a memory-backed /dev/shm, requests equal to limits, GPUs from the GpuRequest) with probes
 * sized for slow loads, a drain on stop, and spreading over zones and nodes.
 *
 * The objects keep the construct paths cdk8s-plus gave them (`<scope>/Deployment/Resource`, and its Service at
 * `<scope>/Deployment/<name>Service/Resource`), and its selector label: generated names stay the same, and a
 * Deployment's selector cannot be changed once applied.
 * @param replicas fixed replicas; leave undefined for a Deployment an autoscaler owns
 */
export function createModelServerDeployment(scope: Construct, name: string | undefined, server: ModelServerProps,
  replicas?: number): ModelServerDeployment {
  const resolved = resolveModelServer(server);
  const { kind, port, healthPath } = resolved;
  const user = server.runAsUser ?? 1000;
  const cachePath = server.modelCachePath ?? '/models';
  const drain = server.drainDelay?.toSeconds() ?? 10;
  const estimate = serverEstimate(scope, 'modelServer', server);
  const startupFailures = startupFailureThreshold(server, estimate);
  const weights = server.modelWeights?._podParts(cachePath);
  const weightsSize = server.modelWeights?._size();
  const cacheSize = server.modelCacheSize ?? (server.modelWeights?.source === ModelWeightsSource.DOWNLOAD && weightsSize !== undefined
    ? ModelWeights._cacheSize(weightsSize) : undefined);
  const env = { HOME: '/tmp', XDG_CACHE_HOME: cachePath, HF_HOME: `${cachePath}/huggingface`, ...(kind._portEnv ? { [kind._portEnv]: String(port) } : {}) };
  const initContainers = weights?.download ? [{
    name: WEIGHTS_DOWNLOAD_CONTAINER,
    image: weights.download.image,
    command: weights.download.command,
    imagePullPolicy: 'IfNotPresent',
    env: [
      ...Object.entries({ HOME: '/tmp', CLOUDSDK_CONFIG: '/tmp/gcloud', ...weights.env }).map(([n, value]) => ({ name: n, value })),
      ...Object.entries(weights.secretEnv).map(([n, ref]) => ({
        name: n,
        valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key, ...(ref.optional !== undefined ? { optional: ref.optional } : {}) } },
      })),
    ],
    // The server's own amounts: the pod's effective request is the larger of an init container's and the containers' sum.
    resources: equalResourcesOf(server),
    securityContext: restrictedContainerSecurity(user, user, true),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'model-cache', mountPath: cachePath }],
  }] : [];

  const holder = new Construct(scope, 'Deployment');
  const matchLabels = { [LABEL_CDK8S_ADDRESS]: Names.toLabelValue(holder) };
  const selector = { matchLabels };
  const pod = hardenedPod({
    where: scope,
    containerName: MODEL_SERVER_CONTAINER,
    image: server.image,
    args: weights ? serverArgs(kind, server.args ?? [], weights.location, weights.extraArgs) : server.args,
    // TEI and TGI read their port from PORT (their images set 80, which a non-root container cannot bind). A stream's
    // object-store settings and credentials go to the server, which reads the weights itself.
    env: { ...env, ...(weights && !weights.download ? weights.env : {}), ...server.env },
    secretEnv: weights && !weights.download && Object.keys(weights.secretEnv).length > 0
      ? { ...server.secretEnv, ...weights.secretEnv } : server.secretEnv,
    ports: [
      { containerPort: port, name: METRICS_PORT_NAME },
      ...(resolved.metricsPort !== port ? [{ containerPort: resolved.metricsPort, name: SEPARATE_METRICS_PORT_NAME }] : []),
    ],
    cpu: server.cpu ?? Cpu.units(2),
    memory: server.memory ?? Size.gibibytes(8),
    gpu: server.gpu,
    runAsUser: user,
    runAsGroup: user,
    readOnlyRootFilesystem: true,
    sharedMemorySize: server.sharedMemorySize ?? Size.gibibytes(2),
    writablePaths: [
      { volumeName: 'tmp', path: '/tmp' },
      { volumeName: 'model-cache', path: cachePath, sizeLimit: cacheSize, storageClassName: server.modelWeights?._storageClassName },
    ],
    volumes: weights?.volume
      ? [{ volumeName: weights.volume.name, path: weights.volume.path, source: weights.volume.source, readOnly: true }] : undefined,
    initContainers,
    priorityClassName: lazyPriorityClassName(scope, 'modelServer.priorityClassName', GpuWorkKind.REAL_TIME_INFERENCE, server.priorityClassName),
    restartPolicy: 'Always',
    terminationGracePeriod: server.terminationGracePeriod ?? Duration.seconds(120),
    // Slow model loads are the startup probe's business; readiness and liveness start after it.
    startupProbe: { path: healthPath, port, period: Duration.seconds(STARTUP_PERIOD_SECONDS), failureThreshold: startupFailures },
    readinessProbe: { path: healthPath, port, period: Duration.seconds(5), failureThreshold: 3 },
    livenessProbe: { path: healthPath, port, period: Duration.seconds(15), failureThreshold: 4 },
    preStopCommand: drain > 0 ? ['sleep', String(drain)] : undefined,
    fsGroupChangePolicy: 'Always',
    podFields: {
      ...(weights?.serviceAccountName !== undefined ? { serviceAccountName: weights.serviceAccountName } : {}),
      // The values cdk8s-plus wrote (the API's defaults), kept so that existing Deployments do not change.
      dnsPolicy: 'ClusterFirst',
      hostNetwork: false,
      setHostnameAsFQDN: false,
      topologySpreadConstraints: [
        // Zones first: losing a zone must not take the whole service; ScheduleAnyway so a full zone never blocks scale-up.
        { maxSkew: 1, topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector, matchLabelKeys: [LABEL_POD_TEMPLATE_HASH] },
        { maxSkew: 1, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector, matchLabelKeys: [LABEL_POD_TEMPLATE_HASH] },
      ],
    },
  });

  const deployment = new ApiObject(holder, 'Resource', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: name !== undefined ? { name } : {},
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      minReadySeconds: 0,
      // Longer than the startup probe allows a replica to load, or a slow rollout counts as failed.
      progressDeadlineSeconds: progressDeadlineSeconds(STARTUP_PERIOD_SECONDS * startupFailures, estimate),
      selector,
      strategy: { type: LIBRARY_ROLLING_UPDATE.type, rollingUpdate: { ...LIBRARY_ROLLING_UPDATE.rollingUpdate } },
      template: {
        metadata: { labels: { ...matchLabels }, ...(Object.keys(pod.annotations).length > 0 ? { annotations: { ...pod.annotations } } : {}) },
        spec: pod.spec,
      },
    },
  });
  recordPod(deployment, pod);
  return { deployment, scope: holder, matchLabels, pod };
}

/**
 * The ClusterIP Service in front of a model server Deployment, labelled with the Deployment's name for the
 * ServiceMonitor to find it.
 */
export function createModelServerService(server: ModelServerDeployment, name: string | undefined, port: number, metricsPort?: number): ApiObject {
  const holder = new Construct(server.scope, `${name ?? ''}Service`);
  return new ApiObject(holder, 'Resource', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...(name !== undefined ? { name } : {}), labels: { [LABEL_APP_INSTANCE]: server.deployment.name } },
    spec: {
      externalIPs: [],
      ports: [
        { name: METRICS_PORT_NAME, port },
        ...(metricsPort !== undefined && metricsPort !== port ? [{ name: SEPARATE_METRICS_PORT_NAME, port: metricsPort }] : []),
      ],
      selector: { ...server.matchLabels },
      type: 'ClusterIP',
    },
  });
}

/** The init container that downloads the weights (`ModelWeights.download`). */
export const WEIGHTS_DOWNLOAD_CONTAINER = 'download-weights';

/** The flag each known server takes its model's location with. */
const MODEL_FLAGS = new Map<ModelServerKind, string>([
  // vllm/engine/arg_utils.py (--model), sglang server_args.py (--model-path), TGI and TEI launchers (--model-id),
  // Triton (--model-repository).
  [ModelServerKind.VLLM, '--model'],
  [ModelServerKind.SGLANG, '--model-path'],
  [ModelServerKind.TEXT_GENERATION_INFERENCE, '--model-id'],
  [ModelServerKind.TEXT_EMBEDDINGS_INFERENCE, '--model-id'],
  [ModelServerKind.TRITON, '--model-repository'],
]);

/** The server's arguments with the weights' location: a known server gets its model flag; a generic one names it itself. */
function serverArgs(kind: ModelServerKind, args: string[], location: string, extra: string[]): string[] {
  const flag = MODEL_FLAGS.get(kind);
  return flag ? [...args, flag, location, ...extra] : [...args, ...extra];
}

/** Estimates already resolved against their weights (LargeModelServing resolves with the sized weights first). */
const resolvedEstimates = new WeakSet<object>();

/** Marks an estimate as resolved, so that the model server takes it as it is. */
export function markResolved(estimate: StartupEstimate): StartupEstimate {
  resolvedEstimates.add(estimate);
  return estimate;
}

/**
 * A model server's startup estimate with the transfer of its weights filled in (ModelWeights: a download's
 * weightDownload, a volume's or stream's modelLoad) and checked; undefined without an estimate.
 */
export function serverEstimate(scope: IConstruct, prop: string, server: ModelServerProps, weights?: Size): StartupEstimate | undefined {
  const estimate = server.startupEstimate;
  if (estimate === undefined) return undefined;
  if (resolvedEstimates.has(estimate)) return estimate;
  const at = `${prop}.startupEstimate`;
  const sized = weights;
  if (estimate !== null && typeof estimate === 'object' && estimate.weightDownload !== undefined
    && server.modelWeights?.source !== ModelWeightsSource.DOWNLOAD) {
    invalidProp(scope, `${at}.weightDownload`, estimate.weightDownload, 'applies only to weights downloaded before the server starts',
      'give modelWeights: ModelWeights.download({...}), or count the time in modelLoad');
  }
  const withWeights = server.modelWeights !== undefined && server.modelWeights instanceof ModelWeights
    ? server.modelWeights._estimate(scope as Construct, at, estimate, sized) : estimate;
  return markResolved(TimeToCapacity._resolve(scope, at, withWeights, sized));
}

/**
 * The probe budget a modelLoadTimeout gives (failureThreshold x 10 s, the earliest restart one period earlier) against
 * the estimate's model load and warm-up: shorter, no new replica ever becomes ready.
 */
function checkProbeBudget(scope: IConstruct, prop: string, timeout: Duration, estimate: StartupEstimate): void {
  const failures = Math.ceil(timeout.toSeconds({ integral: false }) / STARTUP_PERIOD_SECONDS);
  const budget = (failures - 1) * STARTUP_PERIOD_SECONDS;
  const need = (estimate.modelLoad?.toSeconds({ integral: false }) ?? 0) + (estimate.warmUp?.toSeconds({ integral: false }) ?? 0);
  if (budget < need) {
    invalidProp(scope, `${prop}.modelLoadTimeout`, timeout, `lets the kubelet restart the server ${budget} s after it starts (startup probe ` +
      `failureThreshold ${failures} x periodSeconds ${STARTUP_PERIOD_SECONDS}, the first probe counting at once), before the ${need} s the ` +
      'startupEstimate gives the model load and warm-up: every new replica would restart in a loop',
    `leave modelLoadTimeout out so that the probe follows the estimate, or raise it to at least Duration.seconds(${Math.ceil(ESTIMATE_MARGIN * need)})`);
  }
}

/** The checks of `modelWeights` against the server that loads them. */
function checkModelWeights(scope: IConstruct, prop: string, server: ModelServerProps): void {
  const at = (field: string) => `${prop}.${field}`;
  const weights = server.modelWeights!;
  const kind = resolveModelServer(server).kind;
  const cachePath = server.modelCachePath ?? '/models';
  const parts = weights._podParts(cachePath);
  if (weights.source === ModelWeightsSource.STREAM && kind !== ModelServerKind.VLLM) {
    invalidProp(scope, at('modelWeights'), 'ModelWeights.stream', `streams with vLLM's Run:ai Model Streamer (--load-format runai_streamer), and the server is ${kind.name}`,
      'use ModelWeights.download({...}) or .fromVolume({...}) for this server, or serve the model with vLLM');
  }
  const flag = MODEL_FLAGS.get(kind);
  const args = server.args ?? [];
  if (flag) {
    const i = args.findIndex(a => a === flag || a.startsWith(`${flag}=`));
    if (i >= 0) {
      invalidProp(scope, at(`args[${i}]`), args[i], `sets the model, which modelWeights sets (${flag} ${parts.location})`,
        `remove ${flag} and its value from the arguments (a served model name goes in --served-model-name)`);
    }
    if (weights.source === ModelWeightsSource.STREAM && args.some(a => a === '--load-format' || a.startsWith('--load-format='))) {
      invalidProp(scope, at('args'), args, 'sets --load-format, which ModelWeights.stream sets (runai_streamer)', 'remove --load-format from the arguments');
    }
  } else if (!args.some(a => a.includes(parts.location))) {
    invalidProp(scope, at('args'), args, `do not name the weights' location '${parts.location}', and the library does not know the model flag of a ${kind.name}`,
      `add the server's model argument with '${parts.location}' to the arguments`);
  }
  if (parts.volume) {
    checkUniquePaths(scope, at('modelWeights.mountPath'), [...FIXED_MOUNT_PATHS, cachePath, parts.volume.path],
      `mount the weights on a directory of their own, not ${[...FIXED_MOUNT_PATHS, cachePath].join(', ')} or below them`);
    for (const other of [...FIXED_MOUNT_PATHS, cachePath]) {
      if (parts.volume.path.startsWith(`${other}/`) || other.startsWith(`${parts.volume.path}/`)) {
        invalidProp(scope, at('modelWeights.mountPath'), parts.volume.path, `is nested with '${other}', which the pod mounts itself`, 'mount the weights on a directory of their own, such as \'/model-weights\'');
      }
    }
  }
  // The server's own environment and the source's must not give one variable twice.
  if (!parts.download) {
    for (const name of [...Object.keys(parts.env), ...Object.keys(parts.secretEnv)]) {
      if (server.env?.[name] !== undefined || server.secretEnv?.[name] !== undefined) {
        invalidProp(scope, at('modelWeights'), name, 'is a variable of both the server and ModelWeights.stream: the container would get it twice', `keep ${name} in one of them`);
      }
    }
  }
  if (weights.source === ModelWeightsSource.DOWNLOAD) {
    const size = weights._size();
    if (weights._storageClassName !== undefined && size === undefined && server.modelCacheSize === undefined) {
      invalidProp(scope, at('modelWeights.size'), undefined, 'is missing, and an ephemeral volume needs a capacity', 'give the size of the weights to ModelWeights.download, or modelCacheSize');
    }
    if (size !== undefined && server.modelCacheSize !== undefined) {
      const need = ModelWeights._cacheSize(size);
      if (server.modelCacheSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) < need.toMebibytes()) {
        invalidProp(scope, at('modelCacheSize'), server.modelCacheSize, `is below the ${need.toGibibytes()} GiB the download of ${size.asString()} of weights ` +
          'needs (weights x 1.1 + 2 GiB)', `raise modelCacheSize to at least Size.gibibytes(${need.toGibibytes()}), or leave it out`);
      }
    }
  }
}

/** Requests and limits of the server's CPU and memory, as the library writes them. */
function equalResourcesOf(server: ModelServerProps): { requests: Record<string, string>; limits: Record<string, string> } {
  return equalResources(server.cpu ?? Cpu.units(2), server.memory ?? Size.gibibytes(8));
}
