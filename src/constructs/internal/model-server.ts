import { ApiObject, Duration, Names, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedPod, hardenedPod, recordPod } from './pod';
import { lazyPriorityClassName } from './priority';
import { LABEL_APP_INSTANCE, LABEL_CDK8S_ADDRESS, LABEL_HOSTNAME, LABEL_POD_TEMPLATE_HASH, LABEL_TOPOLOGY_ZONE } from '../../common/names';
import { GpuWorkKind } from '../../values/gpu-work-kind';
import type { ModelServerProps } from '../../values/model-server';
import { ModelServerKind } from '../../values/model-server-kind';

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
export function progressDeadlineSeconds(startupBudget: number): number {
  return startupBudget + PROGRESS_MARGIN_SECONDS;
}

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
  const loadSeconds = server.modelLoadTimeout?.toSeconds() ?? 900;
  const drain = server.drainDelay?.toSeconds() ?? 10;
  const startupFailures = Math.ceil(loadSeconds / STARTUP_PERIOD_SECONDS);

  const holder = new Construct(scope, 'Deployment');
  const matchLabels = { [LABEL_CDK8S_ADDRESS]: Names.toLabelValue(holder) };
  const selector = { matchLabels };
  const pod = hardenedPod({
    containerName: MODEL_SERVER_CONTAINER,
    image: server.image,
    args: server.args,
    // TEI and TGI read their port from PORT (their images set 80, which a non-root container cannot bind).
    env: { HOME: '/tmp', XDG_CACHE_HOME: cachePath, HF_HOME: `${cachePath}/huggingface`, ...(kind._portEnv ? { [kind._portEnv]: String(port) } : {}), ...server.env },
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
      { volumeName: 'model-cache', path: cachePath, sizeLimit: server.modelCacheSize },
    ],
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
      progressDeadlineSeconds: progressDeadlineSeconds(STARTUP_PERIOD_SECONDS * startupFailures),
      selector,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { ...matchLabels } }, spec: pod.spec },
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
