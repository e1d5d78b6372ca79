/**
 * The pods a Deployment runs at the peak of a rolling update, as Kubernetes computes it (kubernetes/kubernetes
 * v1.28+, pkg/controller/deployment/util/deployment_util.go `ResolveFenceposts` and `MaxSurge`; defaults from
 * pkg/apis/apps/v1/defaults.go `SetDefaults_Deployment`): a RollingUpdate (the default strategy) may run `maxSurge`
 * pods above the desired count, `maxSurge` an integer or a percent of the desired count rounded up (default 25%);
 * Recreate runs none above it.
 */

/** The strategy the library's model-server Deployments are written with. */
export const LIBRARY_ROLLING_UPDATE = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } as const;

/** Kubernetes' default `maxSurge`. */
const DEFAULT_MAX_SURGE = '25%';

/**
 * Pods above `replicas` a Deployment with this `spec.strategy` (its JSON; undefined for none) runs while it rolls out.
 * A `maxSurge` the API server would reject (a string that is not a percent, a negative number) counts as none.
 */
export function surgeOf(strategy: unknown, replicas: number): number {
  if (!(replicas > 0)) return 0;
  const s = strategy !== null && typeof strategy === 'object' ? strategy as { type?: unknown; rollingUpdate?: { maxSurge?: unknown } } : {};
  if (s.type === 'Recreate') return 0;
  const maxSurge = s.rollingUpdate?.maxSurge ?? DEFAULT_MAX_SURGE;
  if (typeof maxSurge === 'number') return Number.isInteger(maxSurge) && maxSurge > 0 ? maxSurge : 0;
  const m = typeof maxSurge === 'string' ? /^(\d+)%$/.exec(maxSurge) : null;
  // GetScaledValueFromIntOrPercent with roundUp: ceil(percent x replicas / 100).
  return m ? Math.ceil(Number(m[1]) * replicas / 100) : 0;
}
