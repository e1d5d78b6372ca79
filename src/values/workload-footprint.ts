import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { TolerationSpec } from './gpu-request';
import { invalidProp } from '../common/errors';
import { StartupEstimate } from '../planning/time-to-capacity';

/**
 * Per-pod resources. Each amount is spelled one way (whole cores as `Cpu.units`, else `Cpu.millis`; whole
 * gibibytes as `Size.gibibytes`, else `Size.mebibytes`), so equal amounts compare equal.
 */
export interface ResourceAmounts {
  /** CPU. */
  readonly cpu: Cpu;
  /** Memory. */
  readonly memory: Size;
  /** Whole `nvidia.com/gpu` devices. */
  readonly gpus: number;
  /**
   * Shares of a GPU by extended resource name (`nvidia.com/gpu.shared`, `nvidia.com/mig-1g.10gb`): time-sliced replicas
   * and MIG instances, which the device plugin advertises apart from whole GPUs.
   * @default - none
   */
  readonly gpuShares?: { [resourceName: string]: number };
}

/** The object that decides how many replicas a workload runs. */
export interface ScalingOwner {
  /** Kind of the owner: `HorizontalPodAutoscaler`, `ScaledObject`, `RayCluster` (its autoscaler), ... */
  readonly kind: string;
  /** Name of the owner object. */
  readonly name: string;
  /**
   * Resources the owner scales on (`cpu`, `memory`), which a vertical autoscaler must not also control.
   * @default - none
   */
  readonly scalesOnResources?: string[];
  /**
   * How early the owner's predictive windows start before the forecast load (`PredictiveScaling.leadTime`, the
   * shortest where several plans feed one owner).
   * @default - no predictive windows
   */
  readonly predictiveLeadTime?: Duration;
}

/** What the scaled workload is. */
export interface ScalingTargetRef {
  /** API version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `Deployment`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /**
   * Namespace.
   * @default - the namespace the manifests are applied to
   */
  readonly namespace?: string;
}

/**
 * Everything an app-wide check needs to know of one scaled workload: how large it can grow, what each
 * pod asks for, where its pods may run, and who owns its replica count. Every construct of this library
 * that runs pods exposes one.
 */
export interface WorkloadFootprint {
  /** The workload whose pods this describes. */
  readonly target: ScalingTargetRef;
  /**
   * The part of the target these pods are, when the target runs several kinds of pod: a Ray worker group's
   * name, or `head` for the Ray head.
   * @default - the target's only kind of pod
   */
  readonly component?: string;
  /**
   * Pods per replica, for a workload that scales by groups of pods (a LeaderWorkerSet: the leader and its workers, each
   * pod asking `requests`): `minReplicas`, `maxReplicas` and `fixedReplicas` count groups, and the app-wide checks count
   * `groupSize` pods for each.
   * @default 1
   */
  readonly groupSize?: number;
  /** The fewest replicas (or workers) it runs. */
  readonly minReplicas: number;
  /** The most replicas (or workers) it can reach. */
  readonly maxReplicas: number;
  /**
   * The replica count written in the workload's manifest (`spec.replicas`, or the count of a fixed Ray worker
   * group), which every apply sets. The library never writes one under an autoscaler.
   * @default - none: the count is left to the scaling owner (or the workload has no replica count, as a Job)
   */
  readonly fixedReplicas?: number;
  /**
   * Pods a rollout runs above `maxReplicas` at its peak: a Deployment's `maxSurge` at `maxReplicas` (an integer, or a
   * percent rounded up; 25% by default and in the library's model servers); 0 for a Recreate strategy and for kinds
   * that do not surge (StatefulSets, Jobs, Ray groups).
   * @default 0
   */
  readonly surgeReplicas?: number;
  /** Per-pod requests. */
  readonly requests: ResourceAmounts;
  /** Per-pod limits; zero where no limit is set. */
  readonly limits: ResourceAmounts;
  /** Tolerations of the pods. */
  readonly tolerations: TolerationSpec[];
  /** Node selector of the pods. */
  readonly nodeSelector: { [key: string]: string };
  /**
   * The object that owns the replica count.
   * @default - nothing scales it
   */
  readonly scalingOwner?: ScalingOwner;
  /**
   * How long a new pod takes to become ready (node, image, model, warm-up), with its `modelLoad`: the construct's
   * `startupEstimate` (rule time-to-capacity).
   * @default - not known
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * The GPU memory one pod needs in its share of a GPU (`GpuRequestOptions.requiredGpuMemory`, e.g. ModelSizer's
   * `requiredGpuMemory`): rule gpu-sharing compares it with the share's memory on each pool the pods may land on.
   * @default - not known
   */
  readonly requiredGpuMemory?: Size;
}

/** A construct that runs pods and can say how large it gets. */
export interface IWorkloadFootprintProvider extends IConstruct {
  /** The footprint of the workload this construct scales or runs. */
  readonly footprint: WorkloadFootprint;
}

/** Reads the footprints of every workload in a construct tree: the input of app-wide checks. */
export class WorkloadFootprints {
  /**
   * Every workload at or below `scope`, each once, in tree order. A provider that runs several kinds of pod
   * counts all of them: a `footprints` list (every Ray worker group) takes the place of `footprint`, and a
   * `headFootprint` (the Ray head) comes first. A construct that wraps another provider and reports the inner
   * one's footprint (`LargeModelServing`) is counted once.
   */
  public static of(scope: IConstruct): WorkloadFootprint[] {
    if (typeof (scope as any)?.node?.findAll !== 'function') {
      invalidProp('WorkloadFootprints.of', 'scope', scope, 'is not a construct', 'give the App, a Chart or a construct whose workloads to list');
    }
    return WorkloadFootprints._entries(scope).map(e => e.footprint);
  }

  /**
   * `of`, with the construct that reported each footprint: a construct's `headFootprint`, then its `footprints`
   * (all parts) or else its `footprint`; a workload is the same when its target object and component are.
   * @internal
   */
  public static _entries(scope: IConstruct): Array<{ construct: IConstruct; footprint: WorkloadFootprint }> {
    const seen = new Set<string>();
    const out: Array<{ construct: IConstruct; footprint: WorkloadFootprint }> = [];
    for (const construct of scope.node.findAll()) {
      const c = construct as any;
      // Each getter once: a footprint may be computed when asked for.
      const single = c.footprint;
      if (typeof single !== 'object' || single === null) continue;
      const all = c.footprints;
      const parts: WorkloadFootprint[] = Array.isArray(all) ? all : [single];
      const head = c.headFootprint;
      for (const footprint of typeof head === 'object' && head !== null ? [head, ...parts] : parts) {
        const t = footprint.target;
        const key = `${t.apiVersion}|${t.kind}|${t.namespace ?? ''}|${t.name}|${footprint.component ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ construct, footprint });
      }
    }
    return out;
  }

  private constructor() {}
}
