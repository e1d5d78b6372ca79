/**
 * Shared builders for KubeRay objects (RayCluster now, RayJob's rayClusterSpec later): hardened pod
 * templates, rayStartParams that agree with the container limits, and the head's network policy.
 * Plain JSON in, plain JSON out: no constructs here, so a RayJob construct can embed the same spec.
 */
import { parseQuantity } from '../../common/quantity';
import { GpuRequest } from '../../values/gpu-request';

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

/** Label KubeRay puts on every pod of a RayCluster. */
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';

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

/** Container securityContext that meets Pod Security "restricted". */
export function restrictedContainerSecurity(): Record<string, any> {
  return {
    runAsNonRoot: true,
    runAsUser: RAY_UID,
    runAsGroup: RAY_GID,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    // Ray writes outside /tmp (Ray Train's ~/ray_results, runtime_env installs, ~/.cache), so the root
    // filesystem stays writable; "restricted" does not require a read-only root.
    readOnlyRootFilesystem: false,
  };
}

/** Quantities in the form the API server prints back: whole CPUs plain, else millicores. */
export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

/** Memory in MiB as a quantity, in GiB when whole. */
export function memoryQuantity(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/** Ray's `num-cpus` for a CPU limit: whole cores, rounded down, at least 1. */
export function rayCpus(cores: number): number {
  return Math.max(1, Math.floor(cores));
}

/** Parses a CPU quantity (`2`, `500m`) into cores. */
export function coresOf(quantity: string): number | undefined {
  return parseQuantity(quantity);
}

/** One Ray pod (head or worker group). */
export interface RayPodOptions {
  readonly containerName: string;
  readonly image: string;
  readonly cpuCores: number;
  readonly memoryMib: number;
  readonly gpu?: GpuRequest;
  readonly ports: { name: string; containerPort: number }[];
  readonly sharedMemoryMib: number;
  /** An existing PersistentVolumeClaim to mount at `checkpointPath`. */
  readonly checkpointClaim?: string;
  readonly checkpointPath: string;
  readonly nodeSelector?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** `Never` under autoscaler v2, which replaces failed workers itself. */
  readonly restartPolicy?: string;
  /** The pods' PriorityClass: a name, or a Lazy resolved at synth. */
  readonly priorityClassName?: unknown;
}

/** A hardened Ray pod template: restricted security, memory-backed /dev/shm, requests equal to limits. */
export function rayPodTemplate(o: RayPodOptions): Record<string, any> {
  const resources: Record<string, any> = { cpu: cpuQuantity(o.cpuCores), memory: memoryQuantity(o.memoryMib) };
  if (o.gpu) resources[GpuRequest.RESOURCE_NAME] = String(o.gpu.count);
  const volumes: any[] = [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(o.sharedMemoryMib) } }];
  const mounts: any[] = [{ name: 'dshm', mountPath: '/dev/shm' }];
  if (o.checkpointClaim) {
    volumes.push({ name: 'checkpoints', persistentVolumeClaim: { claimName: o.checkpointClaim } });
    mounts.push({ name: 'checkpoints', mountPath: o.checkpointPath });
  }
  const nodeSelector = { ...o.gpu?.nodeSelector, ...o.nodeSelector };
  const metadata: Record<string, any> = {};
  if (o.labels && Object.keys(o.labels).length > 0) metadata.labels = o.labels;
  if (o.annotations && Object.keys(o.annotations).length > 0) metadata.annotations = o.annotations;
  return {
    metadata,
    spec: {
      restartPolicy: o.restartPolicy,
      priorityClassName: o.priorityClassName,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RAY_UID,
        runAsGroup: RAY_GID,
        fsGroup: RAY_GID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      // Ray pods talk to the GCS, not to the Kubernetes API.
      automountServiceAccountToken: false,
      containers: [{
        name: o.containerName,
        image: o.image,
        imagePullPolicy: 'IfNotPresent',
        ports: o.ports,
        resources: { requests: { ...resources }, limits: { ...resources } },
        securityContext: restrictedContainerSecurity(),
        volumeMounts: mounts,
      }],
      volumes,
      tolerations: o.gpu ? [o.gpu.toleration] : undefined,
      nodeSelector: Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
    },
  };
}

/** What the head and worker templates of every Ray cluster the library builds share. */
export interface RayGroupCommon {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly checkpointClaim?: string;
  readonly checkpointPath: string;
  /** The pods' PriorityClass: a name, or a Lazy resolved at synth. */
  readonly priorityClassName?: unknown;
}

/** /dev/shm for a Ray pod: a quarter of its memory, at least 1 GiB (Ray's object store spills through it). */
export function defaultSharedMemoryMib(memoryMib: number): number {
  return Math.max(1024, Math.floor(memoryMib / 4));
}

/** The head pod template: every Ray port, and no work scheduled on it (the caller sets `num-cpus: 0`). */
export function rayHeadTemplate(o: RayGroupCommon & { image: string; cpuCores: number; memoryMib: number }): Record<string, any> {
  return rayPodTemplate({
    containerName: 'ray-head',
    image: o.image,
    cpuCores: o.cpuCores,
    memoryMib: o.memoryMib,
    ports: [
      { name: 'gcs-server', containerPort: RAY_PORTS.gcs },
      { name: 'dashboard', containerPort: RAY_PORTS.dashboard },
      { name: 'client', containerPort: RAY_PORTS.client },
      { name: 'metrics', containerPort: RAY_PORTS.metrics },
    ],
    sharedMemoryMib: defaultSharedMemoryMib(o.memoryMib),
    labels: o.labels,
    annotations: o.annotations,
    checkpointClaim: o.checkpointClaim,
    checkpointPath: o.checkpointPath,
    priorityClassName: o.priorityClassName,
  });
}

/** Options of a worker group's pods. */
export interface RayWorkerOptions extends RayGroupCommon {
  readonly image: string;
  readonly cpuCores: number;
  readonly memoryMib: number;
  readonly gpu?: GpuRequest;
  readonly sharedMemoryMib?: number;
  /** GPU workers go to on-demand nodes unless spot is allowed. */
  readonly allowSpotGpu: boolean;
  readonly restartPolicy?: string;
}

/** A worker pod template and the Ray start parameters that agree with its limits. */
export function rayWorker(o: RayWorkerOptions): { rayStartParams: Record<string, string>; template: Record<string, any> } {
  const rayStartParams: Record<string, string> = { 'num-cpus': String(rayCpus(o.cpuCores)) };
  if (o.gpu) rayStartParams['num-gpus'] = String(o.gpu.count);
  const template = rayPodTemplate({
    containerName: 'ray-worker',
    image: o.image,
    cpuCores: o.cpuCores,
    memoryMib: o.memoryMib,
    gpu: o.gpu,
    ports: [{ name: 'metrics', containerPort: RAY_PORTS.metrics }],
    sharedMemoryMib: o.sharedMemoryMib ?? defaultSharedMemoryMib(o.memoryMib),
    nodeSelector: o.gpu && !o.allowSpotGpu ? { 'karpenter.sh/capacity-type': 'on-demand' } : undefined,
    labels: o.labels,
    annotations: o.annotations,
    restartPolicy: o.restartPolicy,
    checkpointClaim: o.checkpointClaim,
    checkpointPath: o.checkpointPath,
    priorityClassName: o.priorityClassName,
  });
  return { rayStartParams, template };
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
  return rayIngressRulesFor({ [RAY_CLUSTER_LABEL]: a.clusterName }, a);
}

/** `rayIngressRules` for Ray pods picked by any labels (a RayJob's cluster name is generated by KubeRay, so not known). */
export function rayIngressRulesFor(rayPodLabels: Record<string, string>, a: Omit<RayNetworkAccess, 'clusterName'>): any[] {
  const tcp = (port: number) => ({ protocol: 'TCP', port });
  const namespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const rules: any[] = [
    { from: [{ podSelector: { matchLabels: { ...rayPodLabels } } }] },
    {
      from: [{ ...namespace(a.operatorNamespace), podSelector: { matchLabels: { 'app.kubernetes.io/component': 'kuberay-operator' } } }],
      ports: [tcp(RAY_PORTS.dashboard)],
    },
    // The submitter pods KubeRay starts for RayJobs in this namespace (same labels KubeRay's policy admits).
    { from: [{ podSelector: { matchLabels: { 'ray.io/originated-from-crd': 'RayJob' } } }], ports: [tcp(RAY_PORTS.dashboard)] },
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
    podSelector: { matchLabels: { [RAY_CLUSTER_LABEL]: a.clusterName } },
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
