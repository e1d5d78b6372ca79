/**
 * The numeric loop of `AutoscalerSimulator`: the HPA controller's reconcile loop (kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal.go, `reconcileAutoscaler`) replayed against a load series, with pods that
 * take a while to become ready. Inputs are validated by the caller.
 *
 * Time is kept in whole microseconds, so that sync instants, step boundaries and pod-ready instants compare exactly
 * and the ages handed to hpa-core (in seconds) are exact against whole-second windows and periods. Time is split at
 * every sync instant, KEDA poll, pod-ready instant and step boundary, so the totals are exact integrals, not grid samples.
 *
 * The metric is a rate window: the per-pod load u(s) = load(s) / ready(s) is kept as a piecewise-constant log with its
 * running integral (`RateLog`), and ready pods as batches by ready instant (`cohorts`), so a sync costs a look-up per
 * batch that became ready inside the window, not a scan of the pods.
 *
 * The rate limits are hpa-core's own `convertWithBehaviorRate` / `convertWithRules`. The proposal
 * (`uniformPlainMetricReplicas`) and the stabilization (`RecommendationWindow`) are O(1) equivalents of hpa-core's
 * `plainMetricReplicas` and `stabilize` and of `legacyStabilize` below (scanning a 600 s window of recommendations
 * every sync took about 40 ms of the 100 ms budget for 30 days at 15 s); the tests check them against those.
 */
import {
  ceilToInt32, convertWithBehaviorRate, convertWithRules, CoreEvent, CoreRecommendation, CoreRules, toMilli,
  withinTolerances,
} from './hpa-core';
import { CONTROLLER_DOWNSCALE_WINDOW_SECONDS } from './hpa-defaults';

/** Microseconds per second. */
export const US_PER_SECOND = 1_000_000;

/** What the loop works on; every time in whole microseconds. */
export interface SimulatorInput {
  /** Load per step, constant within the step. */
  readonly load: readonly number[];
  readonly stepUs: number;
  readonly syncUs: number;
  readonly podReadyUs: number;
  readonly metricDelayUs: number;
  /** The rate window; 0 for the per-pod load of the instant `metricDelayUs` ago. */
  readonly metricWindowUs: number;
  /** 0 only with `activation`: KEDA then owns 0 <-> 1 and the HPA's minReplicas is 1. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly initialReplicas: number;
  /** The AverageValue target in milli-units, as the controller reads it. */
  readonly targetMilli: number;
  readonly capacityPerReplica: number;
  /** `behavior.scaleUp.tolerance` (Kubernetes 1.33+). */
  readonly toleranceUp: number;
  /** `behavior.scaleDown.tolerance` (Kubernetes 1.33+). */
  readonly toleranceDown: number;
  /** KEDA's activation (scale to and from zero), polled every `pollingUs`; undefined without one. */
  readonly activation?: SimulatorActivation;
  /** The effective `spec.behavior`; undefined for an HPA without one (the legacy path). */
  readonly behavior?: { readonly scaleUp: CoreRules; readonly scaleDown: CoreRules };
  /** Replicas a schedule asks for in each step (a second, External metric with an AverageValue target of 1). */
  readonly scheduled?: readonly number[];
  /** The per-replica load up to which a latency objective holds (slo-service-level.ts); undefined without one. */
  readonly objectiveLoadPerReplica?: number;
}

/**
 * KEDA's activation phase (kedacore/keda pkg/scaling/executor/scale_scaledobjects.go, `RequestScale`): at each poll the
 * trigger is active when its value is above `threshold`; at 0 replicas an active trigger scales to 1
 * (`scaleFromZero`: minReplicaCount 0 gives 1), and with replicas and no active trigger the target goes to 0 once the
 * last active poll is more than `cooldownUs` old (`scaleToZero`; never active counts as long ago).
 */
export interface SimulatorActivation {
  /** The trigger's activationThreshold, in the unit of the load. */
  readonly threshold: number;
  readonly cooldownUs: number;
  readonly pollingUs: number;
}

/** What the loop measured; integrals are over microseconds. */
export interface SimulatorOutput {
  /** Replicas (existing pods) at the end of each step. */
  readonly replicas: Int32Array;
  /** Ready pods at the end of each step. */
  readonly readyReplicas: Int32Array;
  /** Sum of replicas x microseconds (an exact integer below 2^53). */
  readonly replicaUs: number;
  /** Sum of load x microseconds. */
  readonly loadUs: number;
  /** Sum of (load - ready x capacity) x microseconds where positive. */
  readonly unservedUs: number;
  /** Microseconds with load above ready x capacity. */
  readonly overloadedUs: number;
  /** Microseconds with load above ready x objectiveLoadPerReplica (0 without one). */
  readonly objectiveMissedUs: number;
  /** Sum of load x microseconds over those microseconds. */
  readonly objectiveMissedLoadUs: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly peakReplicas: number;
  readonly syncs: number;
}

/**
 * calcPlainMetricReplicas (hpa-core `plainMetricReplicas`) for `ready` pods that all report `milli` and `unready` pods
 * that report nothing, in O(1): every ready pod carries the same sample, so the sums are products. A pod that is running
 * but not ready yet and has no sample is a *missing* pod in upstream's groupPods order (pending, then missing, then
 * unready): it counts at the target on a scale-down and as 0 on a scale-up. `tolerance` is the scale-up tolerance,
 * `downTolerance` (default: the same) the scale-down one. Returns -1 for an invalid metric (no ready pod, so no
 * sample: the controller keeps the current count and stores nothing).
 */
export function uniformPlainMetricReplicas(
  current: number, ready: number, unready: number, milli: number, targetMilli: number, tolerance: number,
  downTolerance: number = tolerance,
): number {
  if (ready === 0) return -1;
  // GetMetricUsageRatio: trunc(ready x milli / ready) is milli itself (integers, exact below 2^53).
  const usageRatio = milli / targetMilli;
  if (unready === 0) {
    if (withinTolerances(usageRatio, tolerance, downTolerance)) return current;
    return ceilToInt32(usageRatio * ready);
  }
  // Missing pods: the target on a scale-down, 0 on a scale-up (both damp the change); at a ratio of exactly 1 they
  // are left out, and the ratio (1) is within any tolerance.
  if (usageRatio === 1.0) return current;
  const counted = ready + unready;
  const total = ready * milli + (usageRatio < 1.0 ? unready * targetMilli : 0);
  const newRatio = Math.trunc(total / counted) / targetMilli;
  if (withinTolerances(newRatio, tolerance, downTolerance) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) {
    return current;
  }
  const replicas = ceilToInt32(newRatio * counted);
  if ((newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current)) return current;
  return replicas;
}

/**
 * stabilizeRecommendation (no `spec.behavior`): the highest of `desired` and the recommendations not older than the
 * window. Upstream drops a recommendation when `timestamp.Before(now - window)`, so one exactly `window` old still counts
 * (the behavior path's `After` does not count it).
 */
export function legacyStabilize(desired: number, windowSeconds: number, recommendations: readonly CoreRecommendation[]): number {
  let max = desired;
  for (const rec of recommendations) {
    if (!(rec.ageSeconds > windowSeconds) && rec.replicas > max) max = rec.replicas;
  }
  return max;
}

/** getLongestPolicyPeriod: 0 for a direction without policies. */
export function longestPolicyPeriod(rules: CoreRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** A timestampedScaleEvent; `ageSeconds` is refreshed before each use. */
class ScaleEvent implements CoreEvent {
  public ageSeconds = 0;
  public outdated = false;
  constructor(public replicaChange: number, public atUs: number) {}
}

/** A growable ring of (time, number) pairs: pending pod batches, deques of recommendations, the ready-count history. */
class PairRing {
  private at = new Float64Array(16);
  private value = new Float64Array(16);
  private head = 0;
  public size = 0;

  public frontAt(): number { return this.at[this.head]; }
  public frontValue(): number { return this.value[this.head]; }
  public atOf(i: number): number { return this.at[this.slot(i)]; }
  public valueOf(i: number): number { return this.value[this.slot(i)]; }
  public backAt(): number { return this.at[this.slot(this.size - 1)]; }
  public backValue(): number { return this.value[this.slot(this.size - 1)]; }
  public setBackValue(v: number): void { this.value[this.slot(this.size - 1)] = v; }

  public pushBack(at: number, value: number): void {
    if (this.size === this.at.length) this.grow();
    const i = this.slot(this.size);
    this.at[i] = at;
    this.value[i] = value;
    this.size++;
  }

  public popFront(): void {
    this.head = this.slot(1);
    this.size--;
  }

  public popBack(): void {
    this.size--;
  }

  /** The array index of the i-th element from the front. */
  private slot(i: number): number {
    const j = this.head + i;
    return j < this.at.length ? j : j - this.at.length;
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    const value = new Float64Array(this.at.length * 2);
    for (let i = 0; i < this.size; i++) {
      at[i] = this.at[this.slot(i)];
      value[i] = this.value[this.slot(i)];
    }
    this.at = at;
    this.value = value;
    this.head = 0;
  }
}

/**
 * A piecewise-constant rate u(s) as (start instant, value) entries with the integral of u up to each start, so that an
 * integral over any span costs two look-ups. Entries are added in time order; the oldest are forgotten.
 */
export class RateLog {
  private at = new Float64Array(16);
  private value = new Float64Array(16);
  private cum = new Float64Array(16);
  private head = 0;
  private size = 0;

  /** @param start the earliest instant ever asked about; `value` holds from then on */
  constructor(start: number, value: number) {
    this.at[0] = start;
    this.value[0] = value;
    this.size = 1;
  }

  /** The rate from `t` on (no earlier than the last entry). */
  public set(t: number, v: number): void {
    const last = this.slot(this.size - 1);
    if (this.at[last] === t) {
      this.value[last] = v;
      return;
    }
    if (this.value[last] === v) return;
    const cum = this.cum[last] + this.value[last] * (t - this.at[last]);
    if (this.size === this.at.length) this.grow();
    const i = this.slot(this.size);
    this.at[i] = t;
    this.value[i] = v;
    this.cum[i] = cum;
    this.size++;
  }

  /** Forgets what lies before `from` (no later than the last entry's start needs). */
  public forget(from: number): void {
    while (this.size > 1 && this.at[this.slot(1)] <= from) {
      this.head = this.slot(1);
      this.size--;
    }
  }

  /** The rate at `q`, after the changes at `q`. */
  public valueAt(q: number): number {
    return this.value[this.find(q)];
  }

  /** The integral of the rate from the first entry's start to `q`. */
  public integralTo(q: number): number {
    const i = this.find(q);
    return this.cum[i] + this.value[i] * (q - this.at[i]);
  }

  /** The slot of the last entry starting at or before `q` (the first entry when none does). */
  private find(q: number): number {
    let n = this.size - 1;
    while (n > 0 && this.at[this.slot(n)] > q) n--;
    return this.slot(n);
  }

  private slot(i: number): number {
    const j = this.head + i;
    return j < this.at.length ? j : j - this.at.length;
  }

  private grow(): void {
    const len = this.at.length * 2;
    const at = new Float64Array(len);
    const value = new Float64Array(len);
    const cum = new Float64Array(len);
    for (let i = 0; i < this.size; i++) {
      const j = this.slot(i);
      at[i] = this.at[j];
      value[i] = this.value[j];
      cum[i] = this.cum[j];
    }
    this.at = at;
    this.value = value;
    this.cum = cum;
    this.head = 0;
  }
}

/**
 * The controller's unstabilized recommendations (timestampedRecommendation), reduced to what stabilization reads:
 * the lowest recommendation that counts for the scale-up window and the highest that counts for the scale-down
 * window, each kept in a monotonic deque (O(1) amortized per sync). Recommendations are added in time order.
 */
export class RecommendationWindow {
  private readonly lows = new PairRing();
  private readonly highs = new PairRing();
  private readonly upUs: number;
  private readonly downUs: number;

  /**
   * @param upWindowSeconds the scale-up window; 0 (as on the legacy path) counts no recommendation
   * @param downWindowSeconds the scale-down window
   * @param inclusive whether a recommendation exactly a window old still counts: true for stabilizeRecommendation
   * (it drops only those `Before(cutoff)`), false for stabilizeRecommendationWithBehaviors (it counts only those
   * `After(cutoff)`)
   */
  constructor(upWindowSeconds: number, downWindowSeconds: number, private readonly inclusive: boolean) {
    this.upUs = upWindowSeconds * US_PER_SECOND;
    this.downUs = downWindowSeconds * US_PER_SECOND;
  }

  /** Records a recommendation made at `atUs` (no earlier than the last one). */
  public add(atUs: number, replicas: number): void {
    if (this.upUs > 0) {
      while (this.lows.size > 0 && this.lows.backValue() >= replicas) this.lows.popBack();
      this.lows.pushBack(atUs, replicas);
    }
    if (this.counts(0, this.downUs)) {
      while (this.highs.size > 0 && this.highs.backValue() <= replicas) this.highs.popBack();
      this.highs.pushBack(atUs, replicas);
    }
  }

  /** The lowest recommendation that counts for scale-up at `t` (Infinity when none does). */
  public lowest(t: number): number {
    const q = this.lows;
    if (this.upUs === 0) return Infinity;
    while (q.size > 0 && !this.counts(t - q.frontAt(), this.upUs)) q.popFront();
    return q.size > 0 ? q.frontValue() : Infinity;
  }

  /** The highest recommendation that counts for scale-down at `t` (-Infinity when none does). */
  public highest(t: number): number {
    const q = this.highs;
    while (q.size > 0 && !this.counts(t - q.frontAt(), this.downUs)) q.popFront();
    return q.size > 0 ? q.frontValue() : -Infinity;
  }

  /** stabilizeRecommendationWithBehaviors at `t`: `current` bounded by the windows' extremes (each including `desired`). */
  public stabilize(current: number, desired: number, t: number): number {
    const up = Math.min(desired, this.lowest(t));
    const down = Math.max(desired, this.highest(t));
    let recommendation = current;
    if (recommendation < up) recommendation = up;
    if (recommendation > down) recommendation = down;
    return recommendation;
  }

  /** stabilizeRecommendation at `t` (no behavior): the highest of `desired` and the scale-down window. */
  public stabilizeLegacy(desired: number, t: number): number {
    return Math.max(desired, this.highest(t));
  }

  private counts(ageUs: number, windowUs: number): boolean {
    return this.inclusive ? ageUs <= windowUs : ageUs < windowUs;
  }
}

/** One run of the controller against the load. */
class Simulation {
  private readonly n: number;
  private readonly upRules?: CoreRules;
  private readonly downRules?: CoreRules;
  private readonly upWindow: number;
  private readonly downWindow: number;
  private readonly longestUpUs: number;
  private readonly longestDownUs: number;
  /** The HPA's minReplicas: KEDA writes max(minReplicaCount, 1). */
  private readonly hpaMin: number;

  /** scale.Spec.Replicas: the pods that exist (created pods exist at once, removed pods are gone at once). */
  private replicas: number;
  private ready: number;
  /** The step the loop is in. */
  private k = 0;
  /** Not-ready pods, as batches (ready instant, count) in creation order. */
  private readonly pending = new PairRing();
  /** Ready pods, as batches (ready instant, count) in the order they became ready; the first stands for all before 0. */
  private readonly cohorts = new PairRing();
  /**
   * The per-pod load u(s) = load(s) / ready(s) (0 without ready pods), as (instant, value from then on) after each
   * change; the first entry stands for all time before 0. Forgotten once older than the metric window.
   */
  private readonly usage: RateLog;
  private readonly recommendations: RecommendationWindow;
  private readonly upEvents: ScaleEvent[] = [];
  private readonly downEvents: ScaleEvent[] = [];
  private initialRecorded = false;
  /** KEDA's status.lastActiveTime; -Infinity while never active (nil). */
  private lastActiveUs = -Infinity;

  private replicaUs = 0;
  private loadUs = 0;
  private unservedUs = 0;
  private overloadedUs = 0;
  private objectiveMissedUs = 0;
  private objectiveMissedLoadUs = 0;
  private scaleUps = 0;
  private scaleDowns = 0;
  private peak: number;
  private syncs = 0;

  constructor(private readonly input: SimulatorInput) {
    this.n = input.load.length;
    this.replicas = input.initialReplicas;
    this.ready = input.initialReplicas;
    this.peak = input.initialReplicas;
    this.hpaMin = Math.max(input.minReplicas, 1);
    if (this.ready > 0) this.cohorts.pushBack(-Infinity, this.ready);
    this.usage = new RateLog(-(input.metricDelayUs + input.metricWindowUs), this.ready > 0 ? input.load[0] / this.ready : 0);
    const b = input.behavior;
    this.upRules = b?.scaleUp;
    this.downRules = b?.scaleDown;
    this.upWindow = b ? b.scaleUp.stabilizationWindowSeconds : 0;
    this.downWindow = b ? b.scaleDown.stabilizationWindowSeconds : CONTROLLER_DOWNSCALE_WINDOW_SECONDS;
    this.recommendations = new RecommendationWindow(this.upWindow, this.downWindow, b === undefined);
    this.longestUpUs = b ? longestPolicyPeriod(b.scaleUp) * US_PER_SECOND : 0;
    this.longestDownUs = b ? longestPolicyPeriod(b.scaleDown) * US_PER_SECOND : 0;
  }

  public run(): SimulatorOutput {
    const { load, stepUs, syncUs, capacityPerReplica, activation, objectiveLoadPerReplica } = this.input;
    const pollUs = activation ? activation.pollingUs : Infinity;
    const replicasOut = new Int32Array(this.n);
    const readyOut = new Int32Array(this.n);
    let t = 0;
    let nextSync = 0;
    let syncIndex = 0;
    let nextPoll = activation ? 0 : Infinity;
    let pollIndex = 0;
    for (let k = 0; k < this.n; k++) {
      this.k = k;
      const l = load[k];
      const stepEnd = (k + 1) * stepUs;
      this.loadUs += l * stepUs;
      this.markUsage(t);
      for (;;) {
        const nextReady = this.pending.size > 0 ? this.pending.frontAt() : Infinity;
        let next = nextSync < nextReady ? nextSync : nextReady;
        if (nextPoll < next) next = nextPoll;
        if (next > stepEnd) next = stepEnd;
        if (next > t) {
          const dt = next - t;
          this.replicaUs += this.replicas * dt;
          const served = this.ready * capacityPerReplica;
          if (l > served) {
            this.unservedUs += (l - served) * dt;
            this.overloadedUs += dt;
          }
          // Relative slack of 1e-12: 3 x 3.8 is 11.399999999999999 in floating point, and 11.4 on 3 replicas meets a 3.8 limit.
          if (objectiveLoadPerReplica !== undefined && l > this.ready * objectiveLoadPerReplica * (1 + 1e-12)) {
            this.objectiveMissedUs += dt;
            this.objectiveMissedLoadUs += l * dt;
          }
          t = next;
        }
        // An instant on the step boundary belongs to the next step.
        if (t >= stepEnd) break;
        // Pods that become ready at a sync instant are ready for that sync.
        if (nextReady <= t) this.becomeReady(t);
        // KEDA's poll, then the HPA's sync, when both fall on one instant.
        if (nextPoll <= t) {
          this.poll(t);
          pollIndex++;
          nextPoll = pollIndex * pollUs;
        }
        if (nextSync <= t) {
          this.sync(t, k);
          syncIndex++;
          nextSync = syncIndex * syncUs;
        }
      }
      replicasOut[k] = this.replicas;
      readyOut[k] = this.ready;
    }
    return {
      replicas: replicasOut,
      readyReplicas: readyOut,
      replicaUs: this.replicaUs,
      loadUs: this.loadUs,
      unservedUs: this.unservedUs,
      overloadedUs: this.overloadedUs,
      objectiveMissedUs: this.objectiveMissedUs,
      objectiveMissedLoadUs: this.objectiveMissedLoadUs,
      scaleUps: this.scaleUps,
      scaleDowns: this.scaleDowns,
      peakReplicas: this.peak,
      syncs: this.syncs,
    };
  }

  private becomeReady(t: number): void {
    let became = 0;
    while (this.pending.size > 0 && this.pending.frontAt() <= t) {
      became += this.pending.frontValue();
      this.pending.popFront();
    }
    this.addReady(t, became);
  }

  /** `count` pods become ready at `t`. */
  private addReady(t: number, count: number): void {
    this.ready += count;
    if (this.cohorts.size > 0 && this.cohorts.backAt() === t) this.cohorts.setBackValue(this.cohorts.backValue() + count);
    else this.cohorts.pushBack(t, count);
    this.markUsage(t);
  }

  /** `count` ready pods are removed at `t`: those ready for the shortest time first (the ReplicaSet's ranking). */
  private removeReady(t: number, count: number): void {
    this.ready -= count;
    while (count > 0) {
      const batch = this.cohorts.backValue();
      if (batch > count) {
        this.cohorts.setBackValue(batch - count);
        count = 0;
      } else {
        this.cohorts.popBack();
        count -= batch;
      }
    }
    this.markUsage(t);
  }

  /** Records the per-pod load from `t` on (after a change of the load or of the ready pods at `t`). */
  private markUsage(t: number): void {
    this.usage.set(t, this.ready > 0 ? this.input.load[this.k] / this.ready : 0);
  }

  /**
   * The metric proposal at sync `t`. Each ready pod reports its own rate over the window W = [b - w, b], b = t - delay:
   * its share of the load while it was ready in W, divided by w (what `rate(counter[w])` of its counter gives); with
   * w = 0, the per-pod load at b. A pod not ready in W (ready at b or later, or not ready) has no sample and counts as
   * unready. The controller averages the samples (GetMetricUsageRatio), so the proposal follows the load the sampled
   * pods served, not the load of one instant spread over pods that did not serve it.
   */
  private propose(t: number): number {
    const { metricDelayUs, metricWindowUs: w, targetMilli, toleranceUp, toleranceDown } = this.input;
    const b = t - metricDelayUs;
    const a = b - w;
    const log = this.usage;
    log.forget(a);
    const atB = log.integralTo(b);
    let sampled = 0;
    let sumMilli = 0;
    let seen = 0;
    const c = this.cohorts;
    for (let i = c.size - 1; i >= 0; i--) {
      const r = c.atOf(i);
      if (r <= a) break;
      const count = c.valueOf(i);
      seen += count;
      // Ready at b or later: no sample in the window (w > 0 here, as r > a = b - w).
      if (r >= b) continue;
      sumMilli += count * toMilli((atB - log.integralTo(r)) / w);
      sampled += count;
    }
    const older = this.ready - seen;
    if (older > 0) {
      const rate = w > 0 ? (atB - log.integralTo(a)) / w : log.valueAt(b);
      sumMilli += older * toMilli(rate);
      sampled += older;
    }
    if (sampled === 0) return -1;
    const milli = Math.trunc(sumMilli / sampled);
    return uniformPlainMetricReplicas(this.replicas, sampled, this.replicas - sampled, milli, targetMilli, toleranceUp, toleranceDown);
  }

  /**
   * One KEDA poll at `t` (RequestScale): the trigger's value is the load over the metric window (its mean, ending
   * `metricDelay` before `t`, as the per-pod samples), compared with the activation threshold.
   */
  private poll(t: number): void {
    const act = this.input.activation!;
    const { metricDelayUs, metricWindowUs: w } = this.input;
    const b = t - metricDelayUs;
    const value = w > 0 ? this.loadIntegral(b - w, b) / w : this.loadAt(b);
    const active = value > act.threshold;
    if (this.replicas === 0 && active) {
      this.scale(t, 0, 1);
      this.lastActiveUs = t;
    } else if (!active && this.replicas > 0 && this.input.minReplicas === 0) {
      if (this.lastActiveUs + act.cooldownUs < t) this.scale(t, this.replicas, 0);
    } else if (active) {
      this.lastActiveUs = t;
    }
  }

  /** The load at instant `q`; before 0 the load is taken as load[0] (a steady state). */
  private loadAt(q: number): number {
    const { load, stepUs } = this.input;
    if (q <= 0) return load[0];
    let i = Math.floor(q / stepUs);
    if (i * stepUs > q) i--;
    else if ((i + 1) * stepUs <= q) i++;
    return load[Math.min(i, this.n - 1)];
  }

  /** The integral of the load over [from, to] (load x microseconds); load[0] before 0. */
  private loadIntegral(from: number, to: number): number {
    const { load, stepUs } = this.input;
    let sum = 0;
    if (from < 0) {
      sum += load[0] * ((to < 0 ? to : 0) - from);
      from = 0;
    }
    let i = Math.floor(from / stepUs);
    while (from < to && i < this.n) {
      const end = Math.min((i + 1) * stepUs, to);
      if (end > from) sum += load[i] * (end - from);
      from = end > from ? end : from;
      i++;
    }
    return sum;
  }

  /** One reconcileAutoscaler at instant `t` in step `k`. */
  private sync(t: number, k: number): void {
    this.syncs++;
    const max = this.input.maxReplicas;
    const min = this.hpaMin;
    const current = this.replicas;
    // At 0 replicas with a minReplicas above 0, autoscaling is disabled (KEDA owns 0 <-> 1).
    if (current === 0) return;
    if (!this.initialRecorded) {
      // recordInitialRecommendation: the replicas found at the first sync count as a recommendation.
      this.recommendations.add(t, current);
      this.initialRecorded = true;
    }
    let desired: number;
    if (current > max) {
      desired = max;
    } else if (current < min) {
      desired = min;
    } else {
      let proposal = this.propose(t);
      const scheduled = this.input.scheduled;
      if (scheduled !== undefined) proposal = withSchedule(proposal, scheduled[k], current, this.input.toleranceUp, this.input.toleranceDown);
      // computeReplicasForMetrics failed: no recommendation is stored and the count stays.
      if (proposal < 0) return;
      desired = this.upRules && this.downRules
        ? this.normalizeWithBehaviors(t, current, proposal, min, max, this.upRules, this.downRules)
        : this.normalize(t, current, proposal, min, max);
    }
    if (desired === current) return;
    this.scale(t, current, desired);
    if (this.upRules && this.downRules) this.storeScaleEvent(t, current, desired);
  }

  /** normalizeDesiredReplicas: stabilizeRecommendation, then convertDesiredReplicasWithRules. */
  private normalize(t: number, current: number, proposal: number, min: number, max: number): number {
    const stabilized = this.recommendations.stabilizeLegacy(proposal, t);
    this.recommendations.add(t, proposal);
    return convertWithRules(current, stabilized, min, max).replicas;
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilizeRecommendationWithBehaviors, then convertDesiredReplicasWithBehaviorRate. */
  private normalizeWithBehaviors(
    t: number, current: number, proposal: number, min: number, max: number, up: CoreRules, down: CoreRules,
  ): number {
    const stabilized = this.recommendations.stabilize(current, proposal, t);
    this.recommendations.add(t, proposal);
    if (stabilized === current) return current;
    for (const e of this.upEvents) e.ageSeconds = (t - e.atUs) / US_PER_SECOND;
    for (const e of this.downEvents) e.ageSeconds = (t - e.atUs) / US_PER_SECOND;
    return convertWithBehaviorRate(current, stabilized, min, max, up, down, this.upEvents, this.downEvents).replicas;
  }

  /**
   * storeScaleEvent: marks events older than the direction's longest policy period outdated (markScaleEventsOutdated)
   * and reuses the last outdated one, else appends. Kept exactly, as an outdated event may still count for a longer
   * period of the other direction until it is reused; the lists stay as short as upstream's.
   */
  private storeScaleEvent(t: number, current: number, desired: number): void {
    const upward = desired > current;
    const list = upward ? this.upEvents : this.downEvents;
    const longestUs = upward ? this.longestUpUs : this.longestDownUs;
    let reuse = -1;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (t - e.atUs > longestUs) e.outdated = true;
      if (e.outdated) reuse = i;
    }
    const change = upward ? desired - current : current - desired;
    if (reuse < 0) {
      list.push(new ScaleEvent(change, t));
    } else {
      const e = list[reuse];
      e.replicaChange = change;
      e.atUs = t;
      e.outdated = false;
    }
  }

  /** Sets the replicas: new pods become ready `podReadyUs` later; removed pods are the not-ready ones first, newest first. */
  private scale(t: number, current: number, desired: number): void {
    this.replicas = desired;
    if (desired > current) {
      this.scaleUps++;
      if (desired > this.peak) this.peak = desired;
      if (this.input.podReadyUs === 0) {
        this.addReady(t, desired - current);
      } else {
        this.pending.pushBack(t + this.input.podReadyUs, desired - current);
      }
      return;
    }
    this.scaleDowns++;
    let remove = current - desired;
    while (remove > 0 && this.pending.size > 0) {
      const batch = this.pending.backValue();
      if (batch > remove) {
        this.pending.setBackValue(batch - remove);
        remove = 0;
      } else {
        this.pending.popBack();
        remove -= batch;
      }
    }
    if (remove > 0) this.removeReady(t, remove);
  }
}

/**
 * computeReplicasForMetrics over the load metric's proposal (-1 when invalid) and a schedule's External metric (a KEDA
 * cron trigger: its value is the window's replicas, 0 or 1 outside, against an AverageValue target of 1, so
 * GetExternalPerPodMetricReplicas proposes ceil(value) unless value / current is within the tolerance). The highest
 * proposal wins; an invalid load metric counts only when the schedule would not scale down.
 */
export function withSchedule(proposal: number, scheduled: number, current: number, toleranceUp: number, toleranceDown: number): number {
  const milli = toMilli(scheduled);
  const byScheduled = withinTolerances(milli / (1000 * current), toleranceUp, toleranceDown) ? current : Math.ceil(milli / 1000);
  if (proposal < 0) return byScheduled < current ? -1 : byScheduled;
  return proposal > byScheduled ? proposal : byScheduled;
}

/** Replays the load against the controller. */
export function simulate(input: SimulatorInput): SimulatorOutput {
  return new Simulation(input).run();
}
