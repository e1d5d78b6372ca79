/**
 * time-to-capacity: for every workload whose construct has a startup estimate, the budgets the app gives a new pod
 * against the time it takes to become ready, and how long the autoscaler takes from its minimum to its maximum, ready.
 *
 * - The kubelet restarts a container once `failureThreshold` startup probes in a row have failed (without a startup
 *   probe, liveness probes). The first probe that counts may fall right at `initialDelaySeconds`, so the restart may
 *   come initialDelaySeconds + (failureThreshold - 1) x periodSeconds after the container starts (kubernetes v1.28.0
 *   pkg/kubelet/prober/worker.go doProbe; defaults periodSeconds 10, failureThreshold 3: pkg/apis/core/v1/defaults.go
 *   SetDefaults_Probe). Below modelLoad + warmUp, no new replica ever becomes ready.
 * - The deployment controller marks a rollout that shows no progress (a new pod created, ready or available) for
 *   `progressDeadlineSeconds` as ProgressDeadlineExceeded (pkg/controller/deployment/progress.go syncRolloutStatus,
 *   util/deployment_util.go DeploymentProgressing, DeploymentTimedOut). A rollout's surge pod that needs a new node shows
 *   progress only when it is ready: the whole estimate later.
 * - A predictive window (`ScalingMetric.predictedWindows`) asks for its replicas `leadTime` before the forecast load;
 *   none of them is ready before the whole estimate.
 *
 * The pod template, the deadline and the autoscaler's bounds and behavior are read from the synthesized JSON (so a
 * patch counts), only for workloads with an estimate.
 */
import { Duration } from 'cdk8s';
import { ScalingBehavior } from '../../planning/scaling-behavior';
import { StartupEstimate, TimeToCapacity } from '../../planning/time-to-capacity';
import { GuardrailContext, Workload, workloadName } from '../engine/context';
import { objectKey } from '../engine/objects';
import { RULES } from '../engine/rule-ids';
import { WorkloadTimeToCapacity } from '../time-to-capacity-report';

/** apps/v1 default of `progressDeadlineSeconds` (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment). */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** The margin the fixes suggest over the estimate, as the model server's own defaults keep (1.5 x). */
const MARGIN = 1.5;

const seconds = (d: Duration | undefined): number => (d === undefined ? 0 : d.toMilliseconds({ integral: false }) / 1000);
const s = (x: number): string => `${Number(x.toFixed(3))} s`;

export function checkTimeToCapacity(ctx: GuardrailContext): WorkloadTimeToCapacity[] {
  const out: WorkloadTimeToCapacity[] = [];
  for (const w of ctx.workloads) {
    ctx.steps++;
    const estimate = w.footprint.startupEstimate;
    if (estimate === undefined) continue;
    out.push(checkWorkload(ctx, w, estimate));
  }
  return out;
}

function checkWorkload(ctx: GuardrailContext, w: Workload, estimate: StartupEstimate): WorkloadTimeToCapacity {
  const t = w.footprint.target;
  const key = objectKey(t.namespace, t.kind, t.name);
  const object = ctx.byKey.get(key);
  const json = object ? ctx.json(object) : undefined;
  const total = seconds(estimate.nodeProvisioning) + seconds(estimate.imagePull) + seconds(estimate.weightDownload) + seconds(estimate.modelLoad)
    + seconds(estimate.warmUp);
  const download = estimate.weightDownload !== undefined ? ` + weight download ${s(seconds(estimate.weightDownload))}` : '';
  const parts = `node provisioning ${s(seconds(estimate.nodeProvisioning))} + image pull ${s(seconds(estimate.imagePull))}${download} + model load ` +
    `${s(seconds(estimate.modelLoad))} + warm-up ${s(seconds(estimate.warmUp))}`;
  const what = `${t.kind} '${t.name}'`;

  const template = t.kind === 'ScaledJob' ? json?.spec?.jobTargetRef?.template : json?.spec?.template;
  const container = Array.isArray(template?.spec?.containers) ? template.spec.containers[0] : undefined;
  const probe = container?.startupProbe ?? container?.livenessProbe;
  let budget: number | undefined;
  if (probe !== null && typeof probe === 'object') {
    const initial = num(probe.initialDelaySeconds, 0);
    const period = num(probe.periodSeconds, 10);
    const failures = num(probe.failureThreshold, 3);
    budget = initial + period * (failures - 1);
    const need = seconds(estimate.modelLoad) + seconds(estimate.warmUp);
    if (budget < need) {
      const kind = container.startupProbe ? 'startup' : 'liveness (it has no startup probe)';
      ctx.add(RULES.TIME_TO_CAPACITY, w.subject, `${what} container '${container.name}': the kubelet may restart it ${s(budget)} after it ` +
        `starts (${kind} probe: initialDelaySeconds ${initial} + (failureThreshold ${failures} - 1) x periodSeconds ${period}), before the ` +
        `${s(need)} its startup estimate gives the model load and warm-up: short by ${s(need - budget)}, so every new replica restarts in a ` +
        'loop and is never ready: leave modelLoadTimeout out so that the probe follows the estimate (or raise it to at least ' +
        `${Math.ceil(MARGIN * need)} s), or correct the estimate`);
    }
  }

  let deadline: number | undefined;
  if (t.kind === 'Deployment' && json) {
    deadline = num(json.spec?.progressDeadlineSeconds, DEFAULT_PROGRESS_DEADLINE_SECONDS);
    if (deadline < total) {
      ctx.add(RULES.TIME_TO_CAPACITY, w.subject, `${what} has progressDeadlineSeconds ${deadline}` +
        `${json.spec?.progressDeadlineSeconds === undefined ? ' (the default when unset)' : ''}, shorter than the ${s(total)} a new replica ` +
        `takes to become ready (${parts}): short by ${s(total - deadline)}, so a rollout whose new pods need a new node is marked ` +
        'ProgressDeadlineExceeded and `kubectl rollout status` fails: set spec.progressDeadlineSeconds to at least ' +
        `${Math.ceil(MARGIN * total)} (a model server without modelLoadTimeout sets it from the estimate), or correct the estimate`);
    }
  }

  const owner = (ctx.ownersByTarget.get(key) ?? [])[0];
  const ownerJson = owner ? ctx.json(owner.object) : undefined;
  const scaling = owner ? stepOwner(owner.kind, ownerJson, estimate) : undefined;
  const minReplicas = scaling?.min ?? w.footprint.minReplicas;
  const maxReplicas = scaling?.max ?? w.footprint.maxReplicas;
  const times = owner ? scaling?.times : { firstReplicaReady: Duration.millis(total * 1000), maxReplicasReady: Duration.millis(total * 1000) };

  const lead = w.footprint.scalingOwner?.predictiveLeadTime;
  if (lead !== undefined && seconds(lead) < total) {
    const late = total - seconds(lead);
    const full = times?.maxReplicasReady ? `; maxReplicas (${maxReplicas}) from minReplicas (${minReplicas}) is ready ` +
      `${s(seconds(times.maxReplicasReady))} after a window starts under the scale-up policies` : '';
    ctx.add(RULES.TIME_TO_CAPACITY, w.subject, `${owner ? `${owner.kind} '${owner.name}'` : what} holds predictive windows that start ` +
      `${s(seconds(lead))} before the forecast load (PredictiveScaling leadTime), less than the ${s(total)} a new replica takes to ` +
      `become ready (${parts}): the first of a window's new replicas is ready ${s(late)} after the load arrives${full}: plan with a ` +
      `leadTime of at least Duration.minutes(${Math.ceil(total / 60)}), or shorten the startup (nodes kept free, a pre-pulled image, ` +
      'weights on a local volume)');
  }

  return {
    workload: workloadName(w),
    estimate,
    timeToReady: Duration.millis(total * 1000),
    minReplicas,
    maxReplicas,
    ...(owner ? { scalingOwner: `${owner.kind} '${owner.name}'` } : {}),
    ...(times?.firstReplicaReady ? { firstReplicaReady: times.firstReplicaReady } : {}),
    ...(times?.maxReplicasReady ? { maxReplicasReady: times.maxReplicasReady } : {}),
    ...(budget !== undefined ? { startupProbeBudget: Duration.seconds(budget) } : {}),
    ...(deadline !== undefined ? { progressDeadline: Duration.seconds(deadline) } : {}),
    ...(lead !== undefined ? { predictiveLeadTime: lead } : {}),
  };
}

/** A whole number of the JSON, or the API default when it is missing (or not a number: the API server would refuse it). */
function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * The autoscaler's bounds and behavior as synthesized, stepped by `TimeToCapacity.scaleUp`: an HPA's `spec`, or a
 * ScaledObject's (minReplicaCount 0 and maxReplicaCount 100 when unset: KEDA's defaults, keda v2.x
 * apis/keda/v1alpha1/scaledobject_types.go) with `advanced.horizontalPodAutoscalerConfig.behavior`, the behavior of the
 * HPA KEDA manages. Times are left out when the JSON holds something the API server would refuse.
 */
function stepOwner(kind: string, json: any, estimate: StartupEstimate):
{ min: number; max: number; times?: { firstReplicaReady?: Duration; maxReplicasReady?: Duration } } | undefined {
  const spec = json?.spec ?? {};
  const hpa = kind === 'HorizontalPodAutoscaler';
  const min = hpa ? spec.minReplicas ?? 1 : spec.minReplicaCount ?? 0;
  const max = hpa ? spec.maxReplicas : spec.maxReplicaCount ?? 100;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return undefined;
  const behaviorJson = hpa ? spec.behavior : spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
  try {
    const behavior = behaviorJson === undefined || behaviorJson === null ? undefined : behaviorOf(behaviorJson);
    const time = TimeToCapacity.scaleUp({ estimate, minReplicas: min, maxReplicas: max, behavior });
    return { min, max, times: { firstReplicaReady: time.firstReplicaReady, maxReplicasReady: time.maxReplicasReady } };
  } catch {
    return { min, max };
  }
}

/** `spec.behavior` JSON as a ScalingBehavior (the scale-up side: what stepping to the maximum reads). */
function behaviorOf(json: any): ScalingBehavior {
  const up = json.scaleUp;
  if (up === undefined || up === null) return ScalingBehavior.custom({});
  return ScalingBehavior.custom({
    scaleUp: {
      ...(up.stabilizationWindowSeconds !== undefined ? { stabilizationWindow: Duration.seconds(up.stabilizationWindowSeconds) } : {}),
      ...(up.selectPolicy !== undefined ? { selectPolicy: up.selectPolicy } : {}),
      ...(Array.isArray(up.policies) ? {
        policies: up.policies.map((p: any) => ({ type: p?.type, value: p?.value, period: Duration.seconds(p?.periodSeconds) })),
      } : {}),
    },
  });
}
