/**
 * A vLLM server whose replica spans several nodes, as a LeaderWorkerSet (kubernetes-sigs/lws v0.10.0): each group is one
 * replica, a leader and `groupSize - 1` workers, one pod per node. The launch follows vLLM's own LWS recipe
 * (vllm-project/vllm docs/deployment/frameworks/lws.md and examples/online_serving/multi-node-serving.sh, v0.12.0): the
 * leader starts the Ray head and then `vllm serve` with the Ray executor, which waits for the group's GPUs; each worker
 * joins the leader's Ray cluster at `$LWS_LEADER_ADDRESS:6379` (set by the LWS pod webhook) and blocks. Tensor parallel
 * within a node, pipeline parallel across nodes. No constructs here beyond the objects: JSON out, with the typed pods.
 */
import { ApiObject, Duration, Names, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { METRICS_PORT_NAME, MODEL_SERVER_CONTAINER } from './model-server';
import { HardenedPod, hardenedPod, HttpProbe, recordPod } from './pod';
import {
  LWS_API_VERSION, LWS_EXCLUSIVE_TOPOLOGY_ANNOTATION, LWS_KIND, LWS_LEADER_ADDRESS_ENV,
} from '../../common/leader-worker-set';
import { LABEL_APP_COMPONENT, LABEL_APP_INSTANCE, LABEL_CDK8S_ADDRESS, LABEL_HOSTNAME, LABEL_KUEUE_QUEUE_NAME, LABEL_TOPOLOGY_ZONE } from '../../common/names';
import { GpuRequest } from '../../values/gpu-request';
import { SecretKeyReference } from '../../values/secret-key-reference';

/** The container of each worker pod. */
export const RAY_WORKER_CONTAINER = 'ray-worker';
/** The Ray head's GCS port on the leader, which the workers join (Ray's default, as vLLM's script uses). */
export const RAY_HEAD_PORT = 6379;

/** What a multi-node model server is made of. */
export interface MultiNodeServerOptions {
  /** The LeaderWorkerSet's name, checked by the caller (a DNS-1035 label short enough for its pods' names). */
  readonly lwsName: string;
  /** The Service's name. @default - generated */
  readonly serviceName?: string;
  readonly image: string;
  /** The vLLM arguments after `vllm serve` (the model first). */
  readonly vllmArgs: string[];
  /** Pods per group: nodes per replica. */
  readonly groupSize: number;
  readonly port: number;
  readonly healthPath: string;
  /** Per pod (one per node). */
  readonly cpu: Cpu;
  readonly memory: Size;
  readonly gpu: GpuRequest;
  readonly sharedMemorySize: Size;
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /** The pods' PriorityClass (a name or a Lazy). */
  readonly priorityClassName?: unknown;
  /** The leader's startup probe: failures at a 10 s period. */
  readonly startupFailureThreshold: number;
  /** A node label whose domains each hold one group. @default - none */
  readonly exclusiveTopologyKey?: string;
  /** The Kueue LocalQueue. @default - none */
  readonly queueName?: string;
}

/** The objects of a multi-node model server. */
export interface MultiNodeServer {
  readonly leaderWorkerSet: ApiObject;
  readonly service: ApiObject;
  readonly networkPolicy: ApiObject;
  /** The labels every pod of the set carries (leaders and workers). */
  readonly podLabels: { [key: string]: string };
  /** The labels of the leaders only: the pods that serve the OpenAI API and export vLLM's metrics. */
  readonly leaderLabels: { [key: string]: string };
  readonly leaderPod: HardenedPod;
  readonly workerPod: HardenedPod;
}

/** The cache and scratch paths every pod of the group has (vLLM, Ray and the Hugging Face hub write there). */
const CACHE_PATH = '/models';
const USER = 1000;

/** Builds the LeaderWorkerSet, the Service in front of its leaders and the NetworkPolicy of its pods under `scope`. */
export function createMultiNodeServer(scope: Construct, o: MultiNodeServerOptions): MultiNodeServer {
  const holder = new Construct(scope, 'LeaderWorkerSet');
  const podLabels = { [LABEL_CDK8S_ADDRESS]: Names.toLabelValue(holder) };
  const leaderLabels = { ...podLabels, [LABEL_APP_COMPONENT]: 'leader' };
  const workerLabels = { ...podLabels, [LABEL_APP_COMPONENT]: 'worker' };
  const env = { HOME: '/tmp', XDG_CACHE_HOME: CACHE_PATH, HF_HOME: `${CACHE_PATH}/huggingface` };
  const common = {
    where: scope,
    image: o.image,
    env,
    // Every worker loads its pipeline stage's weights from the hub too: it needs the token of a gated model.
    secretEnv: o.secretEnv,
    cpu: o.cpu,
    memory: o.memory,
    gpu: o.gpu,
    runAsUser: USER,
    runAsGroup: USER,
    readOnlyRootFilesystem: true,
    // NCCL and Ray's object store move tensors through /dev/shm.
    sharedMemorySize: o.sharedMemorySize,
    writablePaths: [{ volumeName: 'tmp', path: '/tmp' }, { volumeName: 'model-cache', path: CACHE_PATH }],
    priorityClassName: o.priorityClassName,
    restartPolicy: 'Always',
    fsGroupChangePolicy: 'Always',
  };
  const probe = (period: number, failureThreshold: number): HttpProbe =>
    ({ path: o.healthPath, port: o.port, period: Duration.seconds(period), failureThreshold });
  const leaderSelector = { matchLabels: leaderLabels };
  const leaderPod = hardenedPod({
    ...common,
    containerName: MODEL_SERVER_CONTAINER,
    // The Ray head, then vLLM in the foreground (exec: it gets the signals); the vLLM arguments stay a list ("$@").
    command: ['/bin/sh', '-c', `ray start --head --port=${RAY_HEAD_PORT} --disable-usage-stats && exec vllm serve "$@"`, 'vllm'],
    args: [...o.vllmArgs, '--distributed-executor-backend', 'ray'],
    ports: [{ containerPort: o.port, name: METRICS_PORT_NAME }],
    terminationGracePeriod: Duration.seconds(120),
    // Readiness and startup on the leader only: it serves, and it is ready only once every worker has joined.
    startupProbe: probe(10, o.startupFailureThreshold),
    readinessProbe: probe(5, 3),
    livenessProbe: probe(15, 4),
    preStopCommand: ['sleep', '10'],
    podFields: {
      topologySpreadConstraints: [
        // Groups over zones and nodes; ScheduleAnyway so a full zone never blocks a scale-up.
        { maxSkew: 1, topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: leaderSelector },
        { maxSkew: 1, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: leaderSelector },
      ],
    },
  });
  const workerPod = hardenedPod({
    ...common,
    containerName: RAY_WORKER_CONTAINER,
    // Join the leader's Ray head and block; retry until the leader is up (it may start later than a worker), never
    // exiting on a refused connection, which would restart the container and so recreate the whole group.
    command: ['/bin/sh', '-c', `until ray start --address="$${LWS_LEADER_ADDRESS_ENV}:${RAY_HEAD_PORT}" --block --disable-usage-stats; do sleep 5; done`],
    terminationGracePeriod: Duration.seconds(120),
  });

  const metadata: Record<string, unknown> = { name: o.lwsName };
  if (o.queueName !== undefined) metadata.labels = { [LABEL_KUEUE_QUEUE_NAME]: o.queueName };
  if (o.exclusiveTopologyKey !== undefined) metadata.annotations = { [LWS_EXCLUSIVE_TOPOLOGY_ANNOTATION]: o.exclusiveTopologyKey };
  const leaderWorkerSet = new ApiObject(holder, 'Resource', {
    apiVersion: LWS_API_VERSION,
    kind: LWS_KIND,
    metadata,
    spec: {
      // No replicas: the autoscaler owns them through the /scale subresource.
      leaderWorkerTemplate: {
        size: o.groupSize,
        // A replica is useless without every one of its pipeline stages: any pod's restart recreates the group.
        restartPolicy: 'RecreateGroupOnPodRestart',
        leaderTemplate: { metadata: { labels: leaderLabels }, spec: leaderPod.spec },
        workerTemplate: { metadata: { labels: workerLabels }, spec: workerPod.spec },
      },
      // One group at a time, and no surge: a surge group is a whole set of nodes.
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 0 } },
      // Workers at once: the leader is ready only when they have joined (LeaderReady would wait forever).
      startupPolicy: 'LeaderCreated',
    },
  });
  recordPod(leaderWorkerSet, leaderPod);

  const service = new ApiObject(holder, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...(o.serviceName !== undefined ? { name: o.serviceName } : {}), labels: { [LABEL_APP_INSTANCE]: o.lwsName } },
    spec: {
      ports: [{ name: METRICS_PORT_NAME, port: o.port, targetPort: o.port }],
      // The leaders serve the OpenAI API; the workers only run pipeline stages.
      selector: { ...leaderLabels },
      type: 'ClusterIP',
    },
  });

  const podSelector = { matchLabels: podLabels };
  const networkPolicy = new ApiObject(holder, 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {},
    spec: {
      podSelector,
      policyTypes: ['Ingress'],
      ingress: [
        // Ray (GCS on 6379, object managers and workers on ports Ray picks) and NCCL within the set only.
        { from: [{ podSelector }] },
        // The API (and its /metrics) on the leaders' port, for clients and Prometheus.
        { ports: [{ port: o.port, protocol: 'TCP' }] },
      ],
    },
  });
  return { leaderWorkerSet, service, networkPolicy, podLabels, leaderLabels, leaderPod, workerPod };
}
