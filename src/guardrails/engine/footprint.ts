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

/** A library workload's footprint, converted once. */
export function fromWorkloadFootprint(f: WorkloadFootprint): Footprint {
  return {
    target: f.target,
    ...(f.component !== undefined ? { component: f.component } : {}),
    minReplicas: f.minReplicas,
    maxReplicas: f.maxReplicas,
    // A provider outside the library may report anything: only a whole number of pods counts.
    surgeReplicas: Number.isInteger(f.surgeReplicas) && f.surgeReplicas! > 0 ? f.surgeReplicas! : 0,
    requests: amountsOf(f.requests),
    tolerations: f.tolerations ?? [],
    nodeSelector: f.nodeSelector ?? {},
    scalingOwner: f.scalingOwner,
    ...(f.fixedReplicas !== undefined ? { fixedReplicas: f.fixedReplicas } : {}),
    ...(f.startupEstimate !== undefined ? { startupEstimate: f.startupEstimate } : {}),
    ...(f.requiredGpuMemory !== undefined ? { requiredGpuMemoryMib: f.requiredGpuMemory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) } : {}),
  };
}

/**
 * A hand-written workload's footprint, read from its synthesized JSON.
 * @param podTemplateOf where the pod template sits in the object's JSON
 */
export function readHandWrittenFootprint(json: any, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner: ScalingOwner): Footprint {
  const template = podTemplateOf(json);
  const pod = template?.spec ?? {};
  const replicas = json.spec?.replicas;
  const need = template?.metadata?.annotations?.[ANNOTATION_REQUIRED_GPU_MEMORY];
  const needBytes = typeof need === 'string' ? parseQuantity(need) : undefined;
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    minReplicas,
    maxReplicas,
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
