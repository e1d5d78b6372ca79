/**
 * The one builder of the library's pods: the model server Deployment, the batch inference Jobs and the Ray
 * head and workers all run on a pod built here, with the parts that differ passed in. Plain JSON out (the
 * pod spec as the API spells it, for any object that embeds one), with the typed resources, tolerations and
 * node selector it was built from, which the constructs record as their footprints.
 *
 * Every pod meets Pod Security "restricted" (k8s.io/pod-security-admission policy, tag v0.28.0: check_runAsNonRoot,
 * check_seccompProfile_restricted, check_capabilities_restricted, check_allowPrivilegeEscalation): non-root with an
 * explicit UID and GID, the volumes' group set (fsGroup), the runtime's default seccomp profile, every capability
 * dropped and no privilege escalation. Requests equal limits (Guaranteed QoS: a model server or a training worker
 * is never the first to be evicted under memory pressure), and GPUs come with the toleration and node selector of
 * their `GpuRequest`.
 */
import { ApiObject, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { invalidProp } from '../../common/errors';
import { cpuFromMillis, cpuMillisOf, countQuantity, cpuQuantity, mebibytesOf, memoryFromMebibytes, memoryQuantity } from '../../common/quantity';
import { checkUnique, checkUniquePaths, Where } from '../../common/validate';
import { GpuRequest, TolerationSpec } from '../../values/gpu-request';
import { SecretKeyReference } from '../../values/secret-key-reference';
import { ResourceAmounts, ScalingOwner, WorkloadFootprint } from '../../values/workload-footprint';

/** A path the container writes to, backed by an emptyDir of its own (the root filesystem may be read-only). */
export interface WritablePath {
  /** Name of the volume. */
  readonly volumeName: string;
  /** Where it is mounted. */
  readonly path: string;
  /**
   * Size limit of the emptyDir.
   * @default - no limit (node ephemeral storage)
   */
  readonly sizeLimit?: Size;
  /**
   * A generic ephemeral volume of this StorageClass (a claim per pod, of `sizeLimit`) instead of an emptyDir.
   * @default - an emptyDir
   */
  readonly storageClassName?: string;
}

/** Any other volume the container mounts (a PersistentVolumeClaim, ...). */
export interface MountedVolume {
  /** Name of the volume. */
  readonly volumeName: string;
  /** Where it is mounted. */
  readonly path: string;
  /** The volume source as the API spells it, e.g. `{ persistentVolumeClaim: { claimName: 'data' } }`. */
  readonly source: Record<string, unknown>;
  /** Mount it read-only. @default false */
  readonly readOnly?: boolean;
}

/** An HTTP GET probe on the container. */
export interface HttpProbe {
  readonly path: string;
  readonly port: number;
  /** How often the kubelet probes. */
  readonly period: Duration;
  /** Failed probes in a row before the kubelet acts. */
  readonly failureThreshold: number;
}

/** What differs between the library's pods. */
export interface HardenedPodOptions {
  /** Where an inconsistent pod is reported (the construct that builds it). @default 'hardenedPod' */
  readonly where?: Where;
  readonly containerName: string;
  readonly image: string;
  /** The container's entrypoint (`command`). @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /** Plain environment variables, in order. @default - none */
  readonly env?: { [name: string]: string };
  /**
   * Variables read from Secret keys, after the plain ones (the constructs check them with `checkSecretEnv`). The
   * kubelet reads the Secrets, so the pod needs no Role. @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /** Named container ports. @default - none */
  readonly ports?: { name: string; containerPort: number }[];
  /** CPU, requested and limited. */
  readonly cpu: Cpu;
  /** Memory, requested and limited (the memory-backed /dev/shm counts against it). */
  readonly memory: Size;
  /** GPUs, requested and limited. @default - none */
  readonly gpu?: GpuRequest;
  /** The user the container runs as (not root). */
  readonly runAsUser: number;
  /** The group of the container's processes, which also owns the pod's volumes (fsGroup). */
  readonly runAsGroup: number;
  /** Whether the root filesystem is read-only: then every path the container writes is in `writablePaths`. */
  readonly readOnlyRootFilesystem: boolean;
  /** Size of the memory-backed `/dev/shm` (PyTorch data loaders and NCCL share tensors through it). */
  readonly sharedMemorySize: Size;
  /** Paths the container writes, each on an emptyDir, after /dev/shm. @default - none */
  readonly writablePaths?: WritablePath[];
  /** Other volumes, after the writable paths. @default - none */
  readonly volumes?: MountedVolume[];
  /** Node labels to select besides the GPU's. @default - the GPU's only */
  readonly nodeSelector?: { [key: string]: string };
  /** The pods' PriorityClass: a name, or a cdk8s `Lazy` resolved at synth (absent when it produces undefined). @default - none */
  readonly priorityClassName?: unknown;
  /** @default - the workload's default (Always) */
  readonly restartPolicy?: string;
  /** @default - the kubelet's (30 s) */
  readonly terminationGracePeriod?: Duration;
  /** @default - none */
  readonly startupProbe?: HttpProbe;
  /** @default - none */
  readonly readinessProbe?: HttpProbe;
  /** @default - none */
  readonly livenessProbe?: HttpProbe;
  /** A command the container runs before it is stopped (`lifecycle.preStop.exec`). @default - none */
  readonly preStopCommand?: string[];
  /** `securityContext.fsGroupChangePolicy` of the pod. @default - not set (the kubelet's: Always) */
  readonly fsGroupChangePolicy?: string;
  /** Init containers, as the API spells them (built with `restrictedContainerSecurity`). @default - none */
  readonly initContainers?: Record<string, unknown>[];
  /** Further pod spec fields, as the API spells them. @default - none */
  readonly podFields?: Record<string, unknown>;
}

/** A pod spec and the typed facts it was built from. */
export interface HardenedPod {
  /** The pod spec, as the API spells it. */
  readonly spec: Record<string, any>;
  /** The containers' names, in order. */
  readonly containerNames: string[];
  /** Requests of the pod (equal to its limits). */
  readonly requests: ResourceAmounts;
  /** Limits of the pod. */
  readonly limits: ResourceAmounts;
  readonly tolerations: TolerationSpec[];
  readonly nodeSelector: { [key: string]: string };
  /** Annotations the pod template carries for what the spec cannot say (the GPU memory a share needs); empty for none. */
  readonly annotations: { [key: string]: string };
  /** The GPU memory the pod needs in its share of a GPU (`GpuRequestOptions.requiredGpuMemory`). */
  readonly requiredGpuMemory?: Size;
}

/** The volume every pod gets for /dev/shm. */
const SHARED_MEMORY_VOLUME = 'dshm';

/** Builds a hardened pod spec (see the module's comment for what every pod gets). */
export function hardenedPod(o: HardenedPodOptions): HardenedPod {
  const resources: Record<string, string> = { cpu: cpuQuantity(o.cpu), memory: memoryQuantity(o.memory) };
  if (o.gpu) resources[o.gpu.resourceName] = countQuantity(o.gpu.count);

  const volumes: Record<string, unknown>[] = [{ name: SHARED_MEMORY_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(o.sharedMemorySize) } }];
  const mounts: Record<string, unknown>[] = [{ name: SHARED_MEMORY_VOLUME, mountPath: '/dev/shm' }];
  for (const w of o.writablePaths ?? []) {
    if (w.storageClassName !== undefined && w.sizeLimit !== undefined) {
      const claim = { accessModes: ['ReadWriteOnce'], storageClassName: w.storageClassName, resources: { requests: { storage: memoryQuantity(w.sizeLimit) } } };
      volumes.push({ name: w.volumeName, ephemeral: { volumeClaimTemplate: { spec: claim } } });
    } else {
      volumes.push({ name: w.volumeName, emptyDir: w.sizeLimit ? { sizeLimit: memoryQuantity(w.sizeLimit) } : {} });
    }
    mounts.push({ name: w.volumeName, mountPath: w.path });
  }
  for (const v of o.volumes ?? []) {
    volumes.push({ name: v.volumeName, ...v.source });
    mounts.push({ name: v.volumeName, mountPath: v.path, ...(v.readOnly ? { readOnly: true } : {}) });
  }

  // Inconsistencies the API server or the kubelet would catch later; the constructs check their props before this.
  const where = o.where ?? 'hardenedPod';
  checkUniquePaths(where, 'volumeMounts', mounts.map(m => m.mountPath as string), 'mount each volume on a directory of its own');
  checkUnique(where, 'volumes', volumes.map(v => v.name as string), n => n, 'give each volume a name of its own');
  const sleep = o.preStopCommand?.[0] === 'sleep' ? Number(o.preStopCommand[1]) : undefined;
  const grace = o.terminationGracePeriod?.toSeconds({ integral: false }) ?? 30;
  if (sleep !== undefined && Number.isFinite(sleep) && sleep >= grace) {
    invalidProp(where, 'preStop', `sleep ${sleep}`, `is not shorter than the termination grace period (${grace}s): the kubelet kills the pod before the sleep ends`,
      'shorten the drain delay below the termination grace period, or lengthen the grace period');
  }
  const env: Record<string, unknown>[] = Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value }));
  for (const [name, ref] of Object.entries(o.secretEnv ?? {})) {
    const secretKeyRef = { name: ref.secretName, key: ref.key, ...(ref.optional !== undefined ? { optional: ref.optional } : {}) };
    env.push({ name, valueFrom: { secretKeyRef } });
  }
  // A variable given twice is taken from its last entry, silently: a construct that set one and a user the other would never know.
  checkUnique(where, 'env', env.map(e => e.name as string), n => n, 'give each environment variable once');
  const container: Record<string, unknown> = {
    name: o.containerName,
    image: o.image,
    ...(o.command ? { command: o.command } : {}),
    ...(o.args ? { args: o.args } : {}),
    imagePullPolicy: 'IfNotPresent',
    ...(env.length > 0 ? { env } : {}),
    ...(o.ports && o.ports.length > 0 ? { ports: o.ports } : {}),
    resources: { requests: { ...resources }, limits: { ...resources } },
    securityContext: restrictedContainerSecurity(o.runAsUser, o.runAsGroup, o.readOnlyRootFilesystem),
    volumeMounts: mounts,
    ...(o.startupProbe ? { startupProbe: httpProbe(o.startupProbe) } : {}),
    ...(o.readinessProbe ? { readinessProbe: httpProbe(o.readinessProbe) } : {}),
    ...(o.livenessProbe ? { livenessProbe: httpProbe(o.livenessProbe) } : {}),
    ...(o.preStopCommand ? { lifecycle: { preStop: { exec: { command: o.preStopCommand } } } } : {}),
  };

  const tolerations = o.gpu ? [o.gpu.toleration] : [];
  const nodeSelector = { ...o.gpu?.nodeSelector, ...o.nodeSelector };
  const spec: Record<string, any> = {
    ...(o.restartPolicy !== undefined ? { restartPolicy: o.restartPolicy } : {}),
    ...(o.priorityClassName !== undefined ? { priorityClassName: o.priorityClassName } : {}),
    // The library's pods never call the Kubernetes API.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: o.runAsUser,
      runAsGroup: o.runAsGroup,
      fsGroup: o.runAsGroup,
      ...(o.fsGroupChangePolicy !== undefined ? { fsGroupChangePolicy: o.fsGroupChangePolicy } : {}),
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(o.terminationGracePeriod ? { terminationGracePeriodSeconds: o.terminationGracePeriod.toSeconds() } : {}),
    ...(o.initContainers && o.initContainers.length > 0 ? { initContainers: o.initContainers } : {}),
    containers: [container],
    volumes,
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...o.podFields,
  };
  const shares = o.gpu?.sharing ? { gpuShares: { [o.gpu.resourceName]: o.gpu.count } } : {};
  const amounts = { ...resourceAmounts(cpuMillisOf(o.cpu) ?? 0, mebibytesOf(o.memory), o.gpu?.gpus ?? 0), ...shares };
  return {
    spec,
    containerNames: [o.containerName],
    requests: amounts,
    limits: amounts,
    tolerations,
    nodeSelector,
    annotations: o.gpu?._podAnnotations ?? {},
    ...(o.gpu?.requiredGpuMemory !== undefined ? { requiredGpuMemory: o.gpu.requiredGpuMemory } : {}),
  };
}

/** A container securityContext that meets Pod Security "restricted". */
export function restrictedContainerSecurity(user: number, group: number, readOnlyRootFilesystem: boolean): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Requests and limits equal to one CPU and memory amount (for a container built outside `hardenedPod`, such as a sidecar). */
export function equalResources(cpu: Cpu, memory: Size): { requests: Record<string, string>; limits: Record<string, string> } {
  const r = { cpu: cpuQuantity(cpu), memory: memoryQuantity(memory) };
  return { requests: { ...r }, limits: { ...r } };
}

/** Resource amounts in the one spelling footprints use. */
export function resourceAmounts(cpuMillis: number, memoryMebibytes: number, gpus: number): ResourceAmounts {
  return { cpu: cpuFromMillis(cpuMillis), memory: memoryFromMebibytes(memoryMebibytes), gpus };
}

/** The sum of two amounts (a pod and a sidecar that KubeRay adds to it). */
export function addAmounts(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  const sum = resourceAmounts((cpuMillisOf(a.cpu) ?? 0) + (cpuMillisOf(b.cpu) ?? 0), mebibytesOf(a.memory) + mebibytesOf(b.memory), a.gpus + b.gpus);
  // A sidecar never shares a GPU: the pod's shares are its main container's.
  return a.gpuShares ? { ...sum, gpuShares: { ...a.gpuShares } } : sum;
}

function httpProbe(p: HttpProbe): Record<string, unknown> {
  return { httpGet: { path: p.path, port: p.port, scheme: 'HTTP' }, periodSeconds: p.period.toSeconds(), failureThreshold: p.failureThreshold };
}

/** How many pods of a workload run. */
export interface PodCount {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The count the manifest fixes. @default - none: the scaling owner decides */
  readonly fixedReplicas?: number;
  /** Pods a rollout runs above maxReplicas. @default 0 */
  readonly surgeReplicas?: number;
}

/**
 * The footprint of a workload object of the library, from the pod it was built with (never from its JSON).
 * @param component the part of a multi-part workload (a Ray worker group, `head`)
 */
export function builtFootprint(workload: ApiObject, pod: HardenedPod, count: PodCount, scalingOwner?: ScalingOwner,
  component?: string): WorkloadFootprint {
  return {
    target: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name, namespace: workload.metadata.namespace },
    ...(component !== undefined ? { component } : {}),
    minReplicas: count.minReplicas,
    maxReplicas: count.maxReplicas,
    ...(count.fixedReplicas !== undefined ? { fixedReplicas: count.fixedReplicas } : {}),
    ...(count.surgeReplicas ? { surgeReplicas: count.surgeReplicas } : {}),
    requests: pod.requests,
    limits: pod.limits,
    tolerations: pod.tolerations,
    nodeSelector: pod.nodeSelector,
    scalingOwner,
    ...(pod.requiredGpuMemory !== undefined ? { requiredGpuMemory: pod.requiredGpuMemory } : {}),
  };
}

/** A pod with a sidecar another controller adds to it (KubeRay's autoscaler on the Ray head), as footprints count it. */
export function withSidecar(pod: HardenedPod, sidecar: ResourceAmounts): HardenedPod {
  return { ...pod, requests: addAmounts(pod.requests, sidecar), limits: addAmounts(pod.limits, sidecar) };
}

/**
 * What the library's constructs know of the workloads they built, by object: read by a VerticalAutoscaler given
 * one of them, which reads only a user's objects from their JSON.
 */
const built = new WeakMap<object, HardenedPod>();

/** Records the pod a workload object of the library runs. */
export function recordPod(workload: object, pod: HardenedPod): void {
  built.set(workload, pod);
}

/** The pod a workload object of the library runs; undefined for any other object. */
export function recordedPod(workload: object): HardenedPod | undefined {
  return built.get(workload);
}
