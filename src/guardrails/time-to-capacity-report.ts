import { Duration } from 'cdk8s';
import { StartupEstimate } from '../planning/time-to-capacity';

/**
 * How long one workload takes to get capacity, from its startup estimate and its autoscaler as synthesized
 * (`GuardrailReport.timeToCapacity`; RULES.md, time-to-capacity).
 */
export interface WorkloadTimeToCapacity {
  /** The construct path of the workload (`path[part]` for a part of a multi-part workload). */
  readonly workload: string;
  /** The startup estimate, with its modelLoad. */
  readonly estimate: StartupEstimate;
  /** One new pod's time to ready: nodeProvisioning + imagePull + modelLoad + warmUp. */
  readonly timeToReady: Duration;
  /** The fewest replicas, as the autoscaler has them (the workload's footprint without one). */
  readonly minReplicas: number;
  /** The most replicas, as the autoscaler has them (the workload's footprint without one). */
  readonly maxReplicas: number;
  /**
   * The HPA or ScaledObject whose scale-up policies were stepped, as `Kind 'name'`.
   * @default - none: every pod is created at once (a Job, a fixed Deployment, a ScaledJob)
   */
  readonly scalingOwner?: string;
  /**
   * When the first new replica is ready after the load arrives: the autoscaler's first scale-up plus `timeToReady`.
   * @default - no new replica (minReplicas is maxReplicas), or the autoscaler's behavior could not be read
   */
  readonly firstReplicaReady?: Duration;
  /**
   * When the last of maxReplicas is ready after the load arrives, from minReplicas under the scale-up policies.
   * @default - never reached (scale-up Disabled), or the autoscaler's behavior could not be read
   */
  readonly maxReplicasReady?: Duration;
  /**
   * How long after its start the kubelet may first restart the pod's first container for failed startup probes (or
   * liveness probes, without a startup probe): initialDelaySeconds + (failureThreshold - 1) x periodSeconds.
   * @default - no such probe
   */
  readonly startupProbeBudget?: Duration;
  /**
   * A Deployment's `progressDeadlineSeconds` (600 when unset).
   * @default - not a Deployment
   */
  readonly progressDeadline?: Duration;
  /**
   * How early the autoscaler's predictive windows start before the forecast load.
   * @default - no predictive windows
   */
  readonly predictiveLeadTime?: Duration;
}
