import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import { stepScaleUp } from './internal/time-to-capacity-core';
import { ScalingBehavior } from './scaling-behavior';
import { checkDuration, checkInstance, checkNumber, checkOptionalDuration, checkSize, checkStruct, checkWhole } from '../common/validate';

/**
 * How long a new replica takes from the moment its pod is created to ready, in four parts (five with a download of
 * the weights before the server starts). Measure them on your
 * cluster: the guardrails and the probe budgets trust them.
 *
 * - node provisioning and image pull: Karpenter's `karpenter_pods_startup_duration_seconds` (pod created to running,
 *   kubernetes-sigs/karpenter website/content/en/docs/reference/metrics.md) on a pod that needed a new node is their
 *   sum; the kubelet's `Pulled` event gives the pull alone.
 * - model load and warm-up: the server's log from start to its first 200 on the health path.
 *
 * There is no default for the first three: launch-to-Ready of a GPU node depends on the instance type, the AMI (GPU
 * drivers, device plugin) and the region, and no upstream project publishes a figure to stand on.
 */
export interface StartupEstimate {
  /**
   * From a pod pending for lack of a node to a node Ready that runs it: Karpenter's launch, boot, the kubelet's join,
   * the GPU driver and device plugin. 0 where free nodes are kept for the scale-up. At most 24 hours.
   */
  readonly nodeProvisioning: Duration;
  /** Pulling the image on a node that does not have it. At most 24 hours. */
  readonly imagePull: Duration;
  /**
   * Downloading the weights before the server starts (an init container of `ModelWeights.download`): it counts toward
   * the time to ready, the progress deadline and a lead time, not toward the startup probe, whose clock starts with the
   * server. At most 24 hours.
   * @default - with `ModelWeights.download` given a transferMibPerSecond, its size / transferMibPerSecond; else none
   */
  readonly weightDownload?: Duration;
  /**
   * From container start to the weights loaded. At most 24 hours.
   * @default - required, except on LargeModelServing given `weightLoadMibPerSecond`: its weights (ModelSizer) at that rate
   */
  readonly modelLoad?: Duration;
  /**
   * The rate at which a replica reads its weights, in mebibytes per second (above 0, at most 10,000,000): only
   * LargeModelServing, which knows its weights, turns it into `modelLoad`. Give one of the two.
   * @default - none: give `modelLoad`
   */
  readonly weightLoadMibPerSecond?: number;
  /**
   * From the weights loaded to the first 200 on the health path (CUDA graph capture, compilation, a warm-up request).
   * At most 24 hours.
   * @default Duration.seconds(0)
   */
  readonly warmUp?: Duration;
}

/** Input of `TimeToCapacity.estimate`: each part as a duration, or as a size and a rate. */
export interface TimeToCapacityEstimateProps {
  /** See `StartupEstimate.nodeProvisioning`. */
  readonly nodeProvisioning: Duration;
  /**
   * The image pull. Give this, or `imageSize` and `imagePullMibPerSecond`.
   * @default - imageSize / imagePullMibPerSecond
   */
  readonly imagePull?: Duration;
  /**
   * The image's compressed size (what the registry sends), at most 1 TiB.
   * @default - none: give imagePull
   */
  readonly imageSize?: Size;
  /**
   * The rate a node pulls (downloads and unpacks) the image at, in mebibytes per second: above 0, at most 10,000,000.
   * @default - none: give imagePull
   */
  readonly imagePullMibPerSecond?: number;
  /**
   * See `StartupEstimate.weightDownload` (e.g. `ModelWeights.download({...}).transferTime()`).
   * @default - none
   */
  readonly weightDownload?: Duration;
  /**
   * The model load. Give this, or `weights` and `weightLoadMibPerSecond`.
   * @default - weights / weightLoadMibPerSecond
   */
  readonly modelLoad?: Duration;
  /**
   * The size of the weights a replica reads, e.g. `ModelSizer.size(...).weights`, at most 1 PiB.
   * @default - none: give modelLoad
   */
  readonly weights?: Size;
  /**
   * See `StartupEstimate.weightLoadMibPerSecond`.
   * @default - none: give modelLoad
   */
  readonly weightLoadMibPerSecond?: number;
  /**
   * See `StartupEstimate.warmUp`.
   * @default Duration.seconds(0)
   */
  readonly warmUp?: Duration;
}

/** Input of `TimeToCapacity.scaleUp`. */
export interface ScaleUpTimeProps {
  /** The time a new replica takes to become ready (with `modelLoad`). */
  readonly estimate: StartupEstimate;
  /** The autoscaler's minReplicas (0 for a KEDA ScaledObject that scales to zero), at most 100,000. */
  readonly minReplicas: number;
  /** The autoscaler's maxReplicas, at least 1 and minReplicas, at most 100,000. */
  readonly maxReplicas: number;
  /**
   * The HPA's `spec.behavior` (a ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`).
   * @default - none: the HPA controller's legacy path, at most max(2 x current, 4) replicas per 15 s sync
   */
  readonly behavior?: ScalingBehavior;
}

/** One replica count the autoscaler writes on the way up. */
export interface ScaleUpStep {
  /** When, after the load arrives. */
  readonly at: Duration;
  /** The replicas it sets. */
  readonly replicas: number;
}

/** How long an autoscaler takes from minReplicas to maxReplicas ready. */
export interface ScaleUpTime {
  /** One new replica's time to ready: the estimate's parts added up. */
  readonly timeToReady: Duration;
  /**
   * When the first new replica is ready: the autoscaler's first scale-up plus `timeToReady`.
   * @default - no new replica: minReplicas is maxReplicas
   */
  readonly firstReplicaReady?: Duration;
  /**
   * When the last of maxReplicas is ready: the scale-up that reaches maxReplicas plus `timeToReady`; 0 when minReplicas
   * is maxReplicas.
   * @default - never: the scale-up policies never reach maxReplicas (selectPolicy Disabled)
   */
  readonly maxReplicasReady?: Duration;
  /** The replica counts the autoscaler sets, in order. */
  readonly steps: ScaleUpStep[];
}

const ESTIMATE = 'TimeToCapacity.estimate';
const SCALE_UP = 'TimeToCapacity.scaleUp';
/** The longest any part may be (the startup probe's budget and the progress deadline stay int32 seconds). */
const MAX_PART = Duration.hours(24);
const FIXES = {
  nodeProvisioning: 'give the time from a pending pod to a Ready node, as measured on your cluster (e.g. Duration.minutes(4)), or Duration.seconds(0) ' +
    'with nodes kept free',
  imagePull: 'give the pull time (e.g. Duration.minutes(2)), or imageSize with imagePullMibPerSecond',
  modelLoad: 'give the load time from container start (e.g. Duration.minutes(5))',
  warmUp: 'give the time from weights loaded to ready (e.g. Duration.seconds(60)), or leave it out',
  weightDownload: 'give the download time of the weights before the server starts (e.g. Duration.seconds(140)), or leave it out',
  rate: 'give mebibytes per second above 0, e.g. 500',
  size: 'give a size above zero, e.g. Size.gibibytes(10)',
  replicas: 'give the autoscaler\'s replica bounds as whole numbers from 0 to 100,000',
} as const;

/**
 * Time to capacity: how long a new replica takes to become ready, and how long an autoscaler takes from its minimum
 * to its maximum, ready.
 *
 * Use `estimate` to build the `startupEstimate` of a model server, a LargeModelServing or a BatchInferenceJob from
 * sizes and rates, and `scaleUp` to see how long a burst waits for capacity under an HPA's scale-up policies. The
 * guardrails read the estimate (rule `time-to-capacity`, RULES.md) and `check()` reports both per workload.
 *
 * @example
 * const estimate = TimeToCapacity.estimate({
 *   nodeProvisioning: Duration.minutes(4),
 *   imageSize: Size.gibibytes(10),
 *   imagePullMibPerSecond: 100,
 *   modelLoad: Duration.minutes(3),
 *   warmUp: Duration.seconds(60),
 * });
 * const time = TimeToCapacity.scaleUp({ estimate, minReplicas: 2, maxReplicas: 20, behavior: ScalingBehavior.standard() });
 */
export class TimeToCapacity {
  /** The most replicas `scaleUp` steps to: 100,000. */
  public static readonly MAX_REPLICAS = 100_000;
  /** The fastest transfer rate a part may be given at, in mebibytes per second: 10,000,000. */
  public static readonly MAX_MIB_PER_SECOND = 10_000_000;

  /**
   * A startup estimate from durations, or from sizes and rates (size / rate, rounded up to whole seconds).
   */
  public static estimate(props: TimeToCapacityEstimateProps): StartupEstimate {
    checkStruct(ESTIMATE, 'props', props, 'give { nodeProvisioning, imagePull (or imageSize and imagePullMibPerSecond), modelLoad (or weights and ' +
      'weightLoadMibPerSecond), warmUp }');
    const nodeProvisioning = part(ESTIMATE, 'nodeProvisioning', props.nodeProvisioning, FIXES.nodeProvisioning);
    const imagePull = fromRate(ESTIMATE, { duration: 'imagePull', size: 'imageSize', rate: 'imagePullMibPerSecond' },
      props.imagePull, props.imageSize, props.imagePullMibPerSecond, 1024 * 1024);
    const modelLoad = fromRate(ESTIMATE, { duration: 'modelLoad', size: 'weights', rate: 'weightLoadMibPerSecond' },
      props.modelLoad, props.weights, props.weightLoadMibPerSecond, 1024 * 1024 * 1024);
    const warmUp = optionalPart(ESTIMATE, 'warmUp', props.warmUp, FIXES.warmUp);
    const weightDownload = optionalPart(ESTIMATE, 'weightDownload', props.weightDownload, FIXES.weightDownload);
    return {
      nodeProvisioning,
      imagePull,
      ...(weightDownload !== undefined ? { weightDownload } : {}),
      modelLoad,
      ...(warmUp !== undefined ? { warmUp } : {}),
    };
  }

  /**
   * The least lead time that has a new replica ready when the load arrives: the estimate's total, rounded up to whole
   * minutes (as `PredictiveScaling.plan` takes it). 1,020 s gives 17 minutes.
   * @param estimate an estimate with its modelLoad
   */
  public static leadTime(estimate: StartupEstimate): Duration {
    const e = TimeToCapacity._resolve('TimeToCapacity.leadTime', 'estimate', estimate);
    return Duration.minutes(Math.ceil(totalMs(e) / 60_000 - 1e-9));
  }

  /**
   * One new replica's time to ready: nodeProvisioning + imagePull + weightDownload + modelLoad + warmUp.
   * @param estimate an estimate with its modelLoad
   */
  public static total(estimate: StartupEstimate): Duration {
    const e = TimeToCapacity._resolve('TimeToCapacity.total', 'estimate', estimate);
    return Duration.millis(totalMs(e));
  }

  /**
   * How long an HPA takes from minReplicas to maxReplicas, ready, after the load jumps past what maxReplicas serves:
   * the controller stepped sync by sync (every 15 s) with its stabilization window and scale-up policies
   * (`HpaAlgorithm`'s), plus one replica's time to ready after each scale-up. The load is taken to arrive just before
   * a sync and the metric to show it at once: the metrics pipeline's delay (scrape interval, recording rules, the
   * adapter's cache) comes on top, as does a KEDA poll (pollingInterval) for a ScaledObject at zero.
   */
  public static scaleUp(props: ScaleUpTimeProps): ScaleUpTime {
    checkStruct(SCALE_UP, 'props', props, 'give { estimate, minReplicas, maxReplicas, behavior }');
    const estimate = TimeToCapacity._resolve(SCALE_UP, 'estimate', props.estimate);
    const min = checkWhole(SCALE_UP, 'minReplicas', props.minReplicas, { min: 0, max: TimeToCapacity.MAX_REPLICAS }, FIXES.replicas);
    const max = checkWhole(SCALE_UP, 'maxReplicas', props.maxReplicas, { min: 1, max: TimeToCapacity.MAX_REPLICAS }, FIXES.replicas);
    if (max < min) invalidProp(SCALE_UP, 'maxReplicas', max, `is below 'minReplicas' (${min})`, 'raise maxReplicas or lower minReplicas');
    if (props.behavior !== undefined) {
      checkInstance(SCALE_UP, 'behavior', props.behavior, ScalingBehavior as any, 'make it with ScalingBehavior.standard(), .realTime() or .custom({...})');
      props.behavior._validate(SCALE_UP, 'behavior');
    }
    const core = stepScaleUp(min, max, props.behavior?._coreRules().scaleUp);
    // Already at the maximum: nothing to wait for.
    const maxAtSeconds = min === max && min > 0 ? undefined : core.maxAtSeconds;
    const ready = totalMs(estimate);
    const after = (seconds: number) => Duration.millis(seconds * 1000 + ready);
    return {
      timeToReady: Duration.millis(ready),
      ...(core.steps.length > 0 ? { firstReplicaReady: after(core.steps[0].atSeconds) } : {}),
      ...(min === max && min > 0 ? { maxReplicasReady: Duration.seconds(0) } : {}),
      ...(maxAtSeconds !== undefined ? { maxReplicasReady: after(maxAtSeconds) } : {}),
      steps: core.steps.map(s => ({ at: Duration.seconds(s.atSeconds), replicas: s.replicas })),
    };
  }

  /**
   * Checks an estimate given to a construct or planner and returns it with `modelLoad` (from `weights` at
   * `weightLoadMibPerSecond` where the caller knows the weights). Errors name `prop.nodeProvisioning`, ... @internal
   */
  public static _resolve(where: IConstruct | string, prop: string, estimate: StartupEstimate, weights?: Size): StartupEstimate {
    const fix = 'give { nodeProvisioning, imagePull, modelLoad, warmUp } as measured, e.g. from TimeToCapacity.estimate({...})';
    checkStruct(where, prop, estimate, fix);
    const at = (field: string) => `${prop}.${field}`;
    const nodeProvisioning = part(where, at('nodeProvisioning'), estimate.nodeProvisioning, FIXES.nodeProvisioning);
    const imagePull = part(where, at('imagePull'), estimate.imagePull, 'give the pull time, e.g. Duration.minutes(2) (TimeToCapacity.estimate ' +
      'turns an image size and a pull rate into one)');
    const warmUp = optionalPart(where, at('warmUp'), estimate.warmUp, FIXES.warmUp);
    const weightDownload = optionalPart(where, at('weightDownload'), estimate.weightDownload, FIXES.weightDownload);
    const rate = estimate.weightLoadMibPerSecond;
    let modelLoad: Duration;
    if (rate !== undefined) {
      checkNumber(where, at('weightLoadMibPerSecond'), rate, { min: 0, minExclusive: true, max: TimeToCapacity.MAX_MIB_PER_SECOND }, FIXES.rate);
      if (weights === undefined) {
        invalidProp(where, at('weightLoadMibPerSecond'), rate, 'needs the size of the weights, which only LargeModelServing knows',
          'give modelLoad instead (TimeToCapacity.estimate turns weights and a rate into one)');
      }
      if (estimate.modelLoad !== undefined) {
        invalidProp(where, at('modelLoad'), estimate.modelLoad, 'is given with weightLoadMibPerSecond', 'give one of the two');
      }
      modelLoad = fromSize(where, at('weightLoadMibPerSecond'), weights, rate);
    } else {
      if (estimate.modelLoad === undefined) {
        invalidProp(where, at('modelLoad'), undefined, 'is missing', weights === undefined ? FIXES.modelLoad
          : `${FIXES.modelLoad}, or weightLoadMibPerSecond to load the weights (${mib(weights)} MiB) at that rate`);
      }
      modelLoad = part(where, at('modelLoad'), estimate.modelLoad, FIXES.modelLoad);
    }
    return {
      nodeProvisioning,
      imagePull,
      ...(weightDownload !== undefined ? { weightDownload } : {}),
      modelLoad,
      ...(warmUp !== undefined ? { warmUp } : {}),
    };
  }

  private constructor() {}
}

/** The estimate's parts added up, in milliseconds (a resolved estimate: modelLoad set). */
function totalMs(e: StartupEstimate): number {
  const ms = (d: Duration | undefined) => d?.toMilliseconds({ integral: false }) ?? 0;
  return ms(e.nodeProvisioning) + ms(e.imagePull) + ms(e.weightDownload) + ms(e.modelLoad) + ms(e.warmUp);
}

function part(where: IConstruct | string, prop: string, value: unknown, fix: string): Duration {
  if (value === undefined) invalidProp(where, prop, value, 'is missing', fix);
  return checkDuration(where, prop, value, { max: MAX_PART }, fix);
}

function optionalPart(where: IConstruct | string, prop: string, value: unknown, fix: string): Duration | undefined {
  return checkOptionalDuration(where, prop, value, { max: MAX_PART }, fix);
}

function mib(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024;
}

/** size / rate, rounded up to whole seconds, at most MAX_PART. */
function fromSize(where: IConstruct | string, prop: string, size: Size, rate: number): Duration {
  const seconds = Math.ceil(mib(size) / rate);
  if (!(seconds <= MAX_PART.toSeconds())) {
    invalidProp(where, prop, rate, `takes ${seconds} s for ${mib(size)} MiB, above 24 hours`, 'check the size and the rate (mebibytes per second)');
  }
  return Duration.seconds(seconds);
}

/** A part given as a duration, or as a size and a rate (one of the two). */
function fromRate(where: string, names: { duration: string; size: string; rate: string }, duration: unknown, size: unknown, rate: unknown,
  maxMib: number): Duration {
  const fix = `give ${names.duration}, or ${names.size} with ${names.rate}`;
  if (duration !== undefined) {
    if (size !== undefined || rate !== undefined) {
      invalidProp(where, names.duration, duration, `is given with ${size !== undefined ? names.size : names.rate}`, `give ${names.duration}, or ` +
        `${names.size} with ${names.rate}, not both`);
    }
    return part(where, names.duration, duration, fix);
  }
  if (size === undefined || rate === undefined) {
    invalidProp(where, size === undefined ? names.size : names.rate, undefined, 'is missing', fix);
  }
  const s = checkSize(where, names.size, size, FIXES.size);
  const amount = mib(s);
  if (!(amount > 0 && amount <= maxMib)) {
    invalidProp(where, names.size, s, `must be above zero and at most ${maxMib / 1024 / 1024} TiB`, FIXES.size);
  }
  const r = checkNumber(where, names.rate, rate, { min: 0, minExclusive: true, max: TimeToCapacity.MAX_MIB_PER_SECOND }, FIXES.rate);
  return fromSize(where, names.rate, s, r);
}
