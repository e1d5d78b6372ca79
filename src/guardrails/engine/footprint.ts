/**
 * Workloads in the engine's numbers: per-pod requests in millicores, mebibytes and GPUs, which add up and compare
 * exactly. A library workload's typed `WorkloadFootprint` is converted once, when the pass starts; a hand-written
 * workload is read from its synthesized JSON.
 */
import { SizeRoundingBehavior } from 'cdk8s';
import { Amounts, amountsOf, isGpuShareResource } from './amounts';
import { ANNOTATION_REQUIRED_GPU_MEMORY } from '../../common/names';
import { parseQuantity } from '../../common/quantity';
import { surgeOf } from '../../common/rollout';
import { StartupEstimate } from '../../planning/time-to-capacity';
import { GpuRequest, TolerationSpec } from '../../values/gpu-request';
import { ScalingOwner, ScalingTargetRef, WorkloadFootprint } from '../../values/workload-footprint';

/** What the rules read of one workload (a `WorkloadFootprint` in the engine's numbers). */
export interface Footprint {
  readonly target: ScalingTargetRef;
  readonly component?: string;
  /**
   * Pods per replica of a workload scaled by groups (a LeaderWorkerSet); 1 otherwise. The replica counts here are in
   * pods already (groups x groupSize), so that every rule charges each pod: this says how they were made.
   */
  readonly groupSize: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Pods a rollout runs above maxReplicas (a Deployment's maxSurge at maxReplicas); 0 when it does not surge. */
  readonly surgeReplicas: number;
  /** Per-pod requests. */
  readonly requests: Amounts;
  readonly tolerations: TolerationSpec[];
  readonly nodeSelector: { [key: string]: string };
  readonly scalingOwner?: ScalingOwner;
  /** `spec.replicas` of the workload's manifest; undefined when it has none. */
  readonly fixedReplicas?: number;
  /** The construct's startup estimate (a library workload's, with its modelLoad); undefined when not known. */
  readonly startupEstimate?: StartupEstimate;
  /** The GPU memory one pod needs in its GPU share, in MiB (`requiredGpuMemory`, or the pod template's annotation). */
  readonly requiredGpuMemoryMib?: number;
}

/** The most pods a workload runs at once: its maximum, plus the rollout's surge at that maximum. */
export function peakPods(f: Footprint): number {
  return f.maxReplicas > 0 ? f.maxReplicas + f.surgeReplicas : 0;
}

/** A group size as the engine counts it: a whole number of at least 1 (a provider outside the library may report anything). */
function groupSizeOf(n: unknown): number {
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
}

/** A library workload's footprint, converted once; a workload of groups is counted in pods. */
export function fromWorkloadFootprint(f: WorkloadFootprint): Footprint {
  const g = groupSizeOf(f.groupSize);
  return {
    target: f.target,
    ...(f.component !== undefined ? { component: f.component } : {}),
    groupSize: g,
    minReplicas: f.minReplicas * g,
    maxReplicas: f.maxReplicas * g,
    // A provider outside the library may report anything: only a whole number of pods counts.
    surgeReplicas: Number.isInteger(f.surgeReplicas) && f.surgeReplicas! > 0 ? f.surgeReplicas! * g : 0,
    requests: amountsOf(f.requests),
    tolerations: f.tolerations ?? [],
    nodeSelector: f.nodeSelector ?? {},
    scalingOwner: f.scalingOwner,
    ...(f.fixedReplicas !== undefined ? { fixedReplicas: f.fixedReplicas * g } : {}),
    ...(f.startupEstimate !== undefined ? { startupEstimate: f.startupEstimate } : {}),
    ...(f.requiredGpuMemory !== undefined ? { requiredGpuMemoryMib: f.requiredGpuMemory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) } : {}),
  };
}

/**
 * The pod template of a scalable workload's JSON: a LeaderWorkerSet's worker template (most of its pods), else
 * `spec.template`.
 */
export function workloadTemplateOf(json: any): any {
  return json?.kind === 'LeaderWorkerSet' ? json.spec?.leaderWorkerTemplate?.workerTemplate : json?.spec?.template;
}

/**
 * A hand-written workload's footprint, read from its synthesized JSON; a LeaderWorkerSet's replicas (groups) are
 * counted in pods, `leaderWorkerTemplate.size` per group (1 by default, as its CRD defaults it).
 * @param podTemplateOf where the pod template sits in the object's JSON
 */
export function readHandWrittenFootprint(json: any, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner: ScalingOwner): Footprint {
  const template = podTemplateOf(json);
  const pod = template?.spec ?? {};
  const g = json.kind === 'LeaderWorkerSet' ? groupSizeOf(json.spec?.leaderWorkerTemplate?.size) : 1;
  const replicas = typeof json.spec?.replicas === 'number' ? json.spec.replicas * g : json.spec?.replicas;
  const need = template?.metadata?.annotations?.[ANNOTATION_REQUIRED_GPU_MEMORY];
  const needBytes = typeof need === 'string' ? parseQuantity(need) : undefined;
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    groupSize: g,
    minReplicas: minReplicas * g,
    maxReplicas: maxReplicas * g,
    surgeReplicas: json.kind === 'Deployment' ? surgeOf(json.spec?.strategy, maxReplicas) : 0,
    requests: podRequests(pod.containers ?? []),
    tolerations: pod.tolerations ?? [],
    nodeSelector: pod.nodeSelector ?? {},
    scalingOwner: owner,
    ...(replicas !== undefined && replicas !== null ? { fixedReplicas: replicas } : {}),
    // A quantity that does not parse, or is not above zero, is no need at all (the API server does not read the annotation).
    ...(needBytes !== undefined && needBytes > 0 ? { requiredGpuMemoryMib: needBytes / 2 ** 20 } : {}),
  };
}

/** The sum of the containers' requests; the API server defaults each missing request to its limit. */
function podRequests(containers: any[]): Amounts {
  let cpu = 0, mem = 0, gpus = 0;
  const shares: Record<string, number> = {};
  for (const c of containers) {
    const r = { ...c.resources?.limits, ...c.resources?.requests };
    cpu += (parseQuantity(r.cpu ?? 0) ?? 0) * 1000;
    mem += (parseQuantity(r.memory ?? 0) ?? 0) / 2 ** 20;
    gpus += parseQuantity(r[GpuRequest.RESOURCE_NAME] ?? 0) ?? 0;
    for (const [name, q] of Object.entries(r)) {
      if (isGpuShareResource(name)) shares[name] = (shares[name] ?? 0) + (parseQuantity(q as string) ?? 0);
    }
  }
  return { cpuMillis: Math.round(cpu), memoryMib: Math.round(mem), gpus, ...(Object.keys(shares).length > 0 ? { shares } : {}) };
}
