/**
 * Shared builders for KubeRay objects (a RayCluster, and a RayJob's rayClusterSpec): pod templates built by the
 * library's one pod builder as Ray's user, rayStartParams that agree with the container limits, and the head's
 * network policy. No constructs here: JSON out, with the typed pods the templates were built from.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { equalResources, HardenedPod, hardenedPod, resourceAmounts, restrictedContainerSecurity } from './pod';
import { invalidProp } from '../../common/errors';
import { LABEL_CAPACITY_TYPE } from '../../common/karpenter-labels';
import {
  LABEL_APP_COMPONENT, LABEL_NAMESPACE_NAME, LABEL_RAY_CLUSTER, LABEL_RAY_ORIGINATED_FROM_CRD,
} from '../../common/names';
import { cpuMillisOf, mebibytesOf, memoryFromMebibytes } from '../../common/quantity';
import {
  checkCpu, checkDns1123Label, checkInstance, checkListOf, checkOptionalCpu, checkOptionalSize, checkSizeWithin,
  checkString, checkStruct, Where,
} from '../../common/validate';
import { GpuRequest } from '../../values/gpu-request';
import { SecretKeyReference } from '../../values/secret-key-reference';
import { ResourceAmounts } from '../../values/workload-footprint';

/** Ports Ray listens on (Ray and KubeRay defaults). */
export const RAY_PORTS = {
  gcs: 6379,
  dashboard: 8265,
  client: 10001,
  metrics: 8080,
  serve: 8000,
} as const;

/** Ray's images run as user `ray`, UID 1000, primary group `users` (GID 100). */
export const RAY_UID = 1000;
export const RAY_GID = 100;

/** The first Ray release with token authentication; KubeRay refuses `authOptions.mode: token` below it. */
export const MIN_TOKEN_AUTH_RAY_VERSION = '2.52.0';

/** The image for a Ray version: `rayproject/ray:<version>`, or its CUDA build `-gpu`. */
export function rayImage(version: string, gpu: boolean): string {
  return `rayproject/ray:${version}${gpu ? '-gpu' : ''}`;
}

/** Compares dotted versions numerically; undefined when either is not `major.minor[.patch]`. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) => /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v)?.slice(1).map(p => Number(p ?? 0));
  const x = parse(a), y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/**
 * Container securityContext that meets Pod Security "restricted", for Ray's containers. Ray writes outside /tmp
 * (Ray Train's ~/ray_results, runtime_env installs, ~/.cache), so the root filesystem stays writable; "restricted"
 * does not require a read-only root.
 */
export function rayContainerSecurity(): Record<string, unknown> {
  return restrictedContainerSecurity(RAY_UID, RAY_GID, false);
}

/** Ray's `num-cpus` for a CPU limit: whole cores, rounded down, at least 1. */
export function rayCpus(cpu: Cpu): number {
  return Math.max(1, Math.floor((cpuMillisOf(cpu) ?? 0) / 1000));
}

/** One Ray pod (head or worker group). */
export interface RayPodOptions {
  readonly containerName: string;
  readonly image: string;
  readonly cpu: Cpu;
  readonly memory: Size;
  readonly gpu?: GpuRequest;
  readonly ports: { name: string; containerPort: number }[];
  readonly sharedMemorySize: Size;
  /** An existing PersistentVolumeClaim to mount at `checkpointPath`. */
  readonly checkpointClaim?: string;
  /** Where `checkpointClaim` is mounted. @default - no checkpoint volume */
  readonly checkpointPath?: string;
  readonly nodeSelector?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** `Never` under autoscaler v2, which replaces failed workers itself. */
  readonly restartPolicy?: string;
  /** The pods' PriorityClass: a name, or a Lazy resolved at synth. */
  readonly priorityClassName?: unknown;
  /** Variables read from Secret keys (checked by the construct). */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /** Further pod spec fields (topology spread), as the API spells them. @default - none */
  readonly podFields?: Record<string, unknown>;
}

/** A Ray pod template and the pod it holds. */
export interface RayPod {
  readonly template: Record<string, any>;
  readonly pod: HardenedPod;
}

/** A hardened Ray pod template: the library's pod, as Ray's UID and GID, with its ports and an optional checkpoint volume. */
export function rayPodTemplate(o: RayPodOptions): RayPod {
  const pod = hardenedPod({
    containerName: o.containerName,
    image: o.image,
    ports: o.ports,
    cpu: o.cpu,
    memory: o.memory,
    gpu: o.gpu,
    runAsUser: RAY_UID,
    runAsGroup: RAY_GID,
    readOnlyRootFilesystem: false,
    sharedMemorySize: o.sharedMemorySize,
    volumes: o.checkpointClaim && o.checkpointPath
      ? [{ volumeName: 'checkpoints', path: o.checkpointPath, source: { persistentVolumeClaim: { claimName: o.checkpointClaim } } }]
      : [],
    nodeSelector: o.nodeSelector,
    restartPolicy: o.restartPolicy,
    priorityClassName: o.priorityClassName,
    secretEnv: o.secretEnv,
    podFields: o.podFields,
  });
  const metadata: Record<string, any> = {};
  if (o.labels && Object.keys(o.labels).length > 0) metadata.labels = o.labels;
  const annotations = { ...o.annotations, ...pod.annotations };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return { template: { metadata, spec: pod.spec }, pod };
}

/** What the head and worker templates of every Ray cluster the library builds share. */
export interface RayGroupCommon {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly checkpointClaim?: string;
  /** Where `checkpointClaim` is mounted. @default - no checkpoint volume */
  readonly checkpointPath?: string;
  /** The pods' PriorityClass: a name, or a Lazy resolved at synth. */
  readonly priorityClassName?: unknown;
  /** Variables read from Secret keys, on the head and every worker (Ray's worker processes inherit them). */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
}

/** /dev/shm for a Ray pod: a quarter of its memory, at least 1 GiB (Ray's object store spills through it). */
export function defaultSharedMemory(memory: Size): Size {
  return memoryFromMebibytes(Math.max(1024, Math.floor(mebibytesOf(memory) / 4)));
}

/** Ray Serve's HTTP port, named as KubeRay looks it up (ray-operator/controllers/ray/utils/constant.go `ServingPortName`). */
export const RAY_SERVE_PORT = { name: 'serve', containerPort: RAY_PORTS.serve } as const;

/**
 * The head pod template: every Ray port (and any `extraPorts`, such as Serve's), and no work scheduled on it (the caller
 * sets `num-cpus: 0`).
 */
export function rayHeadTemplate(o: RayGroupCommon & {
  image: string; cpu: Cpu; memory: Size; extraPorts?: { name: string; containerPort: number }[];
}): RayPod {
  return rayPodTemplate({
    containerName: 'ray-head',
    image: o.image,
    cpu: o.cpu,
    memory: o.memory,
    ports: [
      { name: 'gcs-server', containerPort: RAY_PORTS.gcs },
      { name: 'dashboard', containerPort: RAY_PORTS.dashboard },
      { name: 'client', containerPort: RAY_PORTS.client },
      { name: 'metrics', containerPort: RAY_PORTS.metrics },
      ...(o.extraPorts ?? []),
    ],
    sharedMemorySize: defaultSharedMemory(o.memory),
    labels: o.labels,
    annotations: o.annotations,
    checkpointClaim: o.checkpointClaim,
    checkpointPath: o.checkpointPath,
    priorityClassName: o.priorityClassName,
    secretEnv: o.secretEnv,
  });
}

/** Options of a worker group's pods. */
export interface RayWorkerOptions extends RayGroupCommon {
  readonly image: string;
  readonly cpu: Cpu;
  readonly memory: Size;
  readonly gpu?: GpuRequest;
  readonly sharedMemorySize?: Size;
  /** GPU workers go to on-demand nodes unless spot is allowed. */
  readonly allowSpotGpu: boolean;
  readonly restartPolicy?: string;
  /** Node labels to select besides the GPU's (and the on-demand capacity type). @default - none */
  readonly nodeSelector?: Record<string, string>;
  /** Ports besides metrics (Serve's, on a RayService's workers). @default - none */
  readonly extraPorts?: { name: string; containerPort: number }[];
  /** Further pod spec fields (topology spread), as the API spells them. @default - none */
  readonly podFields?: Record<string, unknown>;
}

/** A worker pod template, the Ray start parameters that agree with its limits, and its pod. */
export function rayWorker(o: RayWorkerOptions): RayPod & { rayStartParams: Record<string, string> } {
  const rayStartParams: Record<string, string> = { 'num-cpus': String(rayCpus(o.cpu)) };
  if (o.gpu) rayStartParams['num-gpus'] = String(o.gpu.gpus);
  const { template, pod } = rayPodTemplate({
    containerName: 'ray-worker',
    image: o.image,
    cpu: o.cpu,
    memory: o.memory,
    gpu: o.gpu,
    ports: [{ name: 'metrics', containerPort: RAY_PORTS.metrics }, ...(o.extraPorts ?? [])],
    sharedMemorySize: o.sharedMemorySize ?? defaultSharedMemory(o.memory),
    nodeSelector: o.gpu && !o.allowSpotGpu ? { ...o.nodeSelector, [LABEL_CAPACITY_TYPE]: 'on-demand' } : o.nodeSelector,
    labels: o.labels,
    annotations: o.annotations,
    restartPolicy: o.restartPolicy,
    checkpointClaim: o.checkpointClaim,
    checkpointPath: o.checkpointPath,
    priorityClassName: o.priorityClassName,
    secretEnv: o.secretEnv,
    podFields: o.podFields,
  });
  return { rayStartParams, template, pod };
}

/** KubeRay's in-tree autoscaler sidecar: its resources, requested and limited, and what it adds to the head pod. */
export interface RayAutoscalerSidecar {
  /** `autoscalerOptions.resources`. */
  readonly resources: { requests: Record<string, string>; limits: Record<string, string> };
  /** The same, as amounts to add to the head pod's footprint. */
  readonly amounts: ResourceAmounts;
}

/**
 * The autoscaler sidecar KubeRay adds to the head pod under in-tree autoscaling. The library always sets its
 * resources, so the head pod's footprint is the head container plus exactly these.
 */
export function rayAutoscalerSidecar(cpu: Cpu, memory: Size): RayAutoscalerSidecar {
  return { resources: equalResources(cpu, memory), amounts: resourceAmounts(cpuMillisOf(cpu) ?? 0, mebibytesOf(memory), 0) };
}

/** Where the autoscaler sidecar finds the Kubernetes API credentials (Ray's KubeRay node provider reads this path). */
export const SERVICE_ACCOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const AUTOSCALER_API_VOLUME = 'autoscaler-api-access';

/**
 * The head's service account token, for the autoscaler sidecar only. The library's pods do not automount a token
 * (`automountServiceAccountToken: false`), but the in-tree autoscaler patches the RayCluster's worker replicas through
 * the Kubernetes API with the head's service account. KubeRay sets the head's `serviceAccountName` to the cluster's
 * name unless the template names one, creates that ServiceAccount, and binds it to a Role on pods, pods/resize and
 * rayclusters (ray-operator/controllers/ray/common/pod.go DefaultHeadPodTemplate, common/rbac.go and
 * raycluster_controller.go reconcileAutoscalerServiceAccount at v1.7.0); the library names none, so the projected
 * token is that bound account's. The sidecar reads the token, CA and namespace from
 * /var/run/secrets/kubernetes.io/serviceaccount (ray python/ray/autoscaler/_private/kuberay/node_provider.py
 * `load_k8s_secrets`). A projected volume with what automounting would give, mounted through
 * `autoscalerOptions.volumeMounts`, keeps the token out of the Ray container, which runs user code.
 */
export function rayAutoscalerApiAccess(): { volume: Record<string, unknown>; volumeMount: Record<string, unknown> } {
  return {
    volume: {
      name: AUTOSCALER_API_VOLUME,
      projected: {
        sources: [
          // The same lifetime the kubelet's automounted token has (kube-apiserver's default for bound tokens).
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
    volumeMount: { name: AUTOSCALER_API_VOLUME, mountPath: SERVICE_ACCOUNT_PATH, readOnly: true },
  };
}

/** Who may reach the Ray pods, besides the cluster's own pods. */
export interface RayNetworkAccess {
  readonly clusterName: string;
  readonly operatorNamespace: string;
  readonly prometheusNamespace: string;
  readonly allowedNamespaces: string[];
}

/**
 * Ingress rules for every pod of a RayCluster (modelled on KubeRay's own head policy): the cluster's pods on
 * any port; the KubeRay operator and KubeRay's RayJob submitter pods on the dashboard port; Prometheus on the
 * metrics port; allowed namespaces on the dashboard and client ports.
 */
export function rayIngressRules(a: RayNetworkAccess): any[] {
  return rayIngressRulesFor({ [LABEL_RAY_CLUSTER]: a.clusterName }, a);
}

/** `rayIngressRules` for Ray pods picked by any labels (a RayJob's cluster name is generated by KubeRay, so not known). */
export function rayIngressRulesFor(rayPodLabels: Record<string, string>, a: Omit<RayNetworkAccess, 'clusterName'>,
  rayJobSubmitters = true): any[] {
  const tcp = (port: number) => ({ protocol: 'TCP', port });
  const namespace = (name: string) => ({ namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: name } } });
  const rules: any[] = [
    { from: [{ podSelector: { matchLabels: { ...rayPodLabels } } }] },
    {
      from: [{ ...namespace(a.operatorNamespace), podSelector: { matchLabels: { [LABEL_APP_COMPONENT]: 'kuberay-operator' } } }],
      ports: [tcp(RAY_PORTS.dashboard)],
    },
    // The submitter pods KubeRay starts for RayJobs in this namespace (same labels KubeRay's policy admits).
    ...(rayJobSubmitters ? [{ from: [{ podSelector: { matchLabels: { [LABEL_RAY_ORIGINATED_FROM_CRD]: 'RayJob' } } }], ports: [tcp(RAY_PORTS.dashboard)] }] : []),
    { from: [namespace(a.prometheusNamespace)], ports: [tcp(RAY_PORTS.metrics)] },
  ];
  if (a.allowedNamespaces.length > 0) {
    rules.push({ from: a.allowedNamespaces.map(namespace), ports: [tcp(RAY_PORTS.dashboard), tcp(RAY_PORTS.client)] });
  }
  return rules;
}

/** A `networking.k8s.io/v1` NetworkPolicy spec that admits only `rayIngressRules` to every pod of the cluster. */
export function rayNetworkPolicySpec(a: RayNetworkAccess): Record<string, any> {
  return {
    podSelector: { matchLabels: { [LABEL_RAY_CLUSTER]: a.clusterName } },
    policyTypes: ['Ingress'],
    ingress: rayIngressRules(a),
  };
}

/** Who may reach the pods of a RayJob's cluster: `RayNetworkAccess` by labels, plus the job's own submitter pods. */
export interface RayJobNetworkAccess extends Omit<RayNetworkAccess, 'clusterName'> {
  /** Labels on every Ray pod of the job's cluster (set through the pod templates). */
  readonly rayPodLabels: Record<string, string>;
  /** Labels on the job's submitter pods (set through `submitterPodTemplate`). */
  readonly submitterPodLabels: Record<string, string>;
}

/**
 * A NetworkPolicy spec for a RayJob's cluster: `rayIngressRulesFor` its pods, and the job's submitter pods on the
 * dashboard port (KubeRay may not label submitter pods of every version with `ray.io/originated-from-crd`).
 */
export function rayJobNetworkPolicySpec(a: RayJobNetworkAccess): Record<string, any> {
  const ingress = rayIngressRulesFor(a.rayPodLabels, a);
  ingress.splice(3, 0, {
    from: [{ podSelector: { matchLabels: { ...a.submitterPodLabels } } }],
    ports: [{ protocol: 'TCP', port: RAY_PORTS.dashboard }],
  });
  return { podSelector: { matchLabels: { ...a.rayPodLabels } }, policyTypes: ['Ingress'], ingress };
}

/** The most memory (and shared memory) one Ray pod may have here: 64 TiB, above any node. */
export const MAX_RAY_POD_MEBIBYTES = 64 * 1024 * 1024;
/** The most CPU one Ray pod may have here: above any node. */
export const MAX_RAY_POD_CORES = 10_000;

/**
 * Checks a Ray version: `major.minor[.patch]` (it is written into the image tag `rayproject/ray:<version>` and the
 * RayCluster's `rayVersion`), and, with token authentication, at least the first Ray that has it.
 */
export function checkRayVersion(where: Where, version: unknown, tokenAuthentication: boolean): string {
  const fix = `give a Ray release such as "${MIN_TOKEN_AUTH_RAY_VERSION}"`;
  const v = checkString(where, 'rayVersion', version, fix, 64);
  if (!/^\d{1,9}\.\d{1,9}(\.\d{1,9})?$/.test(v)) {
    invalidProp(where, 'rayVersion', v, 'is not a Ray version (major.minor.patch, e.g. 2.52.0)', fix);
  }
  const cmp = compareVersions(v, MIN_TOKEN_AUTH_RAY_VERSION);
  if (tokenAuthentication && (cmp === undefined || cmp < 0)) {
    invalidProp(where, 'rayVersion', v, `is below ${MIN_TOKEN_AUTH_RAY_VERSION}, the first Ray with token authentication`,
      `use Ray ${MIN_TOKEN_AUTH_RAY_VERSION} or later`);
  }
  return v;
}

/** Checks the head options of a Ray cluster (`RayHeadOptions`): an optional struct of an optional Cpu and Size. */
export function checkRayHead(where: Where, prop: string, head: unknown): void {
  checkStruct(where, prop, head, 'give { cpu, memory } of the head pod, or leave it out', true);
  if (head === undefined) return;
  const h = head as { cpu?: unknown; memory?: unknown };
  checkOptionalCpu(where, `${prop}.cpu`, h.cpu, 'give the head a CPU amount such as Cpu.units(2)', MAX_RAY_POD_CORES);
  checkOptionalSize(where, `${prop}.memory`, h.memory, 'give the head memory such as Size.gibibytes(8)', 256, MAX_RAY_POD_MEBIBYTES);
}

/** Checks the resources of Ray worker pods: CPU, memory, an optional GPU request and an optional /dev/shm size. */
export function checkRayWorkerResources(where: Where, prop: (name: string) => string,
  r: { cpu: unknown; memory: unknown; gpu?: unknown; sharedMemorySize?: unknown }, optional: boolean): void {
  const cpuFix = 'give each worker at least 1 core, e.g. Cpu.units(8)';
  const memFix = 'give each worker memory such as Size.gibibytes(32)';
  if (optional) {
    checkOptionalCpu(where, prop('cpu'), r.cpu, cpuFix, MAX_RAY_POD_CORES);
    checkOptionalSize(where, prop('memory'), r.memory, memFix, 256, MAX_RAY_POD_MEBIBYTES);
  } else {
    checkCpu(where, prop('cpu'), r.cpu, cpuFix, MAX_RAY_POD_CORES);
    checkSizeWithin(where, prop('memory'), r.memory, memFix, 256, MAX_RAY_POD_MEBIBYTES);
  }
  if (r.gpu !== undefined) {
    checkInstance(where, prop('gpu'), r.gpu, GpuRequest as any, 'give GpuRequest.of(1), or leave it out for workers without GPUs');
    (r.gpu as GpuRequest)._validate(where as any, prop('gpu'));
  }
  checkOptionalSize(where, prop('sharedMemorySize'), r.sharedMemorySize, 'give /dev/shm a size such as Size.gibibytes(8), or leave it out',
    1, MAX_RAY_POD_MEBIBYTES);
}

/** Checks the namespaces of a Ray network policy: each a namespace name (the `kubernetes.io/metadata.name` label value). */
export function checkRayNamespaces(where: Where,
  props: { allowedNamespaces?: unknown; prometheusNamespace?: unknown; operatorNamespace?: unknown }): void {
  const fix = 'give namespace names (DNS-1123 labels) such as "team-a"';
  if (props.allowedNamespaces !== undefined) {
    checkListOf(where, 'allowedNamespaces', props.allowedNamespaces, { max: 100 }, fix, (ns, p) => checkDns1123Label(where, p, ns));
  }
  if (props.prometheusNamespace !== undefined) checkDns1123Label(where, 'prometheusNamespace', props.prometheusNamespace);
  if (props.operatorNamespace !== undefined) checkDns1123Label(where, 'operatorNamespace', props.operatorNamespace);
}
