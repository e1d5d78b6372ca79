/**
 * The numeric core of `TimeToCapacity.scaleUp`: an HPA (or the HPA a KEDA ScaledObject manages) stepped sync by sync
 * from minReplicas to maxReplicas after the load jumps past what maxReplicas serves, with the controller's own
 * stabilization and rate limits (hpa-core.ts, transcribed from kubernetes/kubernetes pkg/controller/podautoscaler/
 * horizontal.go). Inputs are validated by the caller. Time is in whole seconds after the load step.
 */
import { convertWithBehaviorRate, convertWithRules, CoreEvent, CoreRecommendation, CoreRules, stabilize } from './hpa-core';
import { CONTROLLER_DOWNSCALE_WINDOW_SECONDS, CONTROLLER_SYNC_PERIOD_SECONDS, DEFAULT_SCALE_DOWN } from './hpa-defaults';

/** One change of the replica count the autoscaler writes. */
export interface CoreScaleStep {
  readonly atSeconds: number;
  readonly replicas: number;
}

/** How the autoscaler climbs to its maximum. */
export interface CoreScaleUp {
  /** Every change, in order; the first one a KEDA activation from zero when minReplicas is 0. */
  readonly steps: CoreScaleStep[];
  /** When the count reaches maxReplicas; undefined when it never does (scale-up Disabled). */
  readonly maxAtSeconds?: number;
}

/**
 * Steps the autoscaler. Syncs fall at 0, 15, 30, ... s (`--horizontal-pod-autoscaler-sync-period`), the load arrives
 * just before the sync at 0 and stays above what maxReplicas serves, so every sync's proposal is maxReplicas. Before
 * it the autoscaler proposed (and ran) minReplicas, so a scale-up stabilization window holds the count until those
 * proposals are older than the window. minReplicas 0 is a KEDA ScaledObject at zero: KEDA's executor sets 1 replica
 * when a trigger turns active (scaleFromZeroOrIdle: max(minReplicaCount, 1)), the HPA KEDA manages has minReplicas 1
 * (getHPAMinReplicas) and, having skipped its syncs while the target had 0 replicas, no earlier proposals.
 * @param rules the scale-up rules with every field filled; undefined for an HPA without `spec.behavior` (the legacy path)
 */
export function stepScaleUp(minReplicas: number, maxReplicas: number, rules: CoreRules | undefined): CoreScaleUp {
  const steps: CoreScaleStep[] = [];
  let current = minReplicas;
  const hpaMin = Math.max(minReplicas, 1);
  if (minReplicas === 0) {
    current = 1;
    steps.push({ atSeconds: 0, replicas: 1 });
  }
  if (current >= maxReplicas) return { steps, maxAtSeconds: steps.length > 0 ? 0 : undefined };
  if (rules?.selectPolicy === 'Disabled') return { steps };
  const sync = CONTROLLER_SYNC_PERIOD_SECONDS;
  const window = rules?.stabilizationWindowSeconds ?? 0;
  const longestPeriod = Math.max(0, ...(rules?.policies ?? []).map(p => p.periodSeconds));
  // Proposals of minReplicas at the syncs before the load, as far back as the window reaches.
  const before: number[] = minReplicas === 0 ? [] : Array.from({ length: Math.ceil(window / sync) + 1 }, (_, k) => -(k + 1) * sync);
  let events: { atSeconds: number; change: number }[] = [];
  let t = 0;
  for (;;) {
    let next: number;
    if (rules === undefined) {
      next = convertWithRules(current, maxReplicas, hpaMin, maxReplicas).replicas;
    } else {
      const recommendations: CoreRecommendation[] = before.map(at => ({ replicas: minReplicas, ageSeconds: t - at }))
        .filter(r => r.ageSeconds < window);
      // Every proposal since the load is maxReplicas: one stands for all of them.
      if (t > 0) recommendations.push({ replicas: maxReplicas, ageSeconds: sync });
      const stabilized = stabilize(current, maxReplicas, window, CONTROLLER_DOWNSCALE_WINDOW_SECONDS, recommendations).replicas;
      const up: CoreEvent[] = events.map(e => ({ replicaChange: e.change, ageSeconds: t - e.atSeconds }));
      next = convertWithBehaviorRate(current, stabilized, hpaMin, maxReplicas, rules, DEFAULT_SCALE_DOWN, up, []).replicas;
    }
    if (next > current) {
      events.push({ atSeconds: t, change: next - current });
      current = next;
      steps.push({ atSeconds: t, replicas: current });
      if (current >= maxReplicas) return { steps, maxAtSeconds: t };
      t += sync;
    } else if (rules !== undefined && t >= window) {
      // Held by the policies alone: nothing changes until an event leaves a policy's period.
      const exits = events.flatMap(e => rules.policies.map(p => e.atSeconds + p.periodSeconds)).filter(x => x > t);
      if (exits.length === 0) return { steps };
      t = Math.ceil(Math.min(...exits) / sync) * sync;
    } else {
      t += sync;
    }
    events = events.filter(e => t - e.atSeconds < longestPeriod);
  }
}
