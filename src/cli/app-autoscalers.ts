/**
 * The horizontal autoscalers of a synthesized app, read back from their manifests into what AutoscalerSimulator
 * replays: HorizontalPodAutoscaler (autoscaling/v2) and KEDA ScaledObject (keda.sh/v1alpha1), each with its target,
 * minimum and maximum, `behavior`, the one metric the trace stands for and its per-replica target, KEDA's cron windows,
 * activation, cooldownPeriod and pollingInterval. What a manifest does not say (what one replica serves, which
 * trace drives it) comes from the workloads file or the stated defaults (see app-report.ts).
 */
import { Duration } from 'cdk8s';
import { ManifestObject } from './app-manifests';
import { CronWindow } from './keda-cron';
import { appAutoscalerInvalid } from './messages';
import { cronExpressionProblem } from '../common/cron';
import { parseQuantity } from '../common/quantity';
import { tzSpellingProblem } from '../common/time-zones';
import { HpaScalingPolicyType, HpaScalingRules, HpaSelectPolicy, ScalingBehavior } from '../planning/scaling-behavior';

/** The metric an autoscaler scales on, as the replay reads it. */
export interface AutoscalerMetric {
  /** How the page names it: `Pods scaling_request_rate`, `prometheus request_rate`. */
  readonly name: string;
  /** The per-replica target in the metric's unit (AverageValue, a KEDA threshold), or a utilization in percent. */
  readonly target?: number;
  /** Whether the target is a resource utilization (percent of the pods' requests), not a value in the metric's unit. */
  readonly utilization: boolean;
  /** KEDA's activation value of the trigger (its activationThreshold, activationQueueLength...), in the metric's unit. */
  readonly activation?: number;
  /** Why the replay cannot take it as the load metric (a Value target, an unknown trigger), or undefined. */
  readonly unusable?: string;
}

/** One autoscaler of the app, as synthesized. */
export interface AppAutoscaler {
  /** `HorizontalPodAutoscaler` or `ScaledObject`. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name` of the autoscaler (`name` in the default namespace). */
  readonly id: string;
  /** The workload it scales: `Deployment/chat`. */
  readonly target: string;
  /** Where it was read: `inference.k8s.yaml` document 12. */
  readonly source: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly behavior?: ScalingBehavior;
  readonly scaleUpTolerance?: number;
  readonly scaleDownTolerance?: number;
  /** The load metrics, in the manifest's order (cron triggers apart). */
  readonly metrics: AutoscalerMetric[];
  readonly cronWindows: CronWindow[];
  /** KEDA's idleReplicaCount (0: scale to zero while no trigger is active, woken to minReplicaCount); undefined when unset. */
  readonly idleReplicaCount?: number;
  /** KEDA's cooldownPeriod and pollingInterval (their defaults when unset); undefined for an HPA. */
  readonly cooldownPeriod?: Duration;
  readonly pollingInterval?: Duration;
}

/** KEDA's defaults (kedacore/keda v2.x apis/keda/v1alpha1/scaledobject_types.go): 0 to 100 replicas, 300 s, 30 s. */
export const KEDA_DEFAULT_MIN = 0;
export const KEDA_DEFAULT_MAX = 100;
export const KEDA_DEFAULT_COOLDOWN_SECONDS = 300;
export const KEDA_DEFAULT_POLLING_SECONDS = 30;

/**
 * The metadata key that holds each KEDA scaler's per-replica target (its AverageValue), for the scalers an inference
 * app uses; the activation key is `activation` + the key (kedacore/keda v2.x pkg/scalers/*_scaler.go).
 */
const KEDA_TARGET_KEYS: Record<string, string> = {
  'prometheus': 'threshold',
  'aws-sqs-queue': 'queueLength',
  'redis': 'listLength',
  'redis-streams': 'pendingEntriesCount',
  'kafka': 'lagThreshold',
  'rabbitmq': 'value',
  'gcp-pubsub': 'value',
  'azure-servicebus': 'messageCount',
  'azure-queue': 'queueLength',
  'nats-jetstream': 'lagThreshold',
  'metrics-api': 'targetValue',
  'datadog': 'queryValue',
  'cloudwatch': 'targetMetricValue',
  'aws-cloudwatch': 'targetMetricValue',
};
const KEDA_RESOURCE = new Set(['cpu', 'memory']);

/** Every autoscaler of the objects, in file order. Throws a CliError naming the object for one the replay cannot read. */
export function findAutoscalers(objects: readonly ManifestObject[], option: string): AppAutoscaler[] {
  const out: AppAutoscaler[] = [];
  for (const o of objects) {
    const { kind, apiVersion } = o.json;
    if (kind === 'HorizontalPodAutoscaler' && apiVersion === 'autoscaling/v2') out.push(readHpa(o, option));
    else if (kind === 'ScaledObject' && String(apiVersion).startsWith('keda.sh/')) out.push(readScaledObject(o, option));
  }
  return out;
}

function base(o: ManifestObject, option: string) {
  const meta = o.json.metadata ?? {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  const source = `${o.file} document ${o.document}`;
  const fail = (key: string, value: unknown, problem: string): never => {
    throw appAutoscalerInvalid(option, `${source}, ${o.json.kind} ${namespace ? `${namespace}/` : ''}${name}`, key, value, problem);
  };
  if (name === '') fail('metadata.name', meta.name, 'is missing');
  const spec = o.json.spec;
  if (typeof spec !== 'object' || spec === null) fail('spec', spec, 'is missing');
  const ref = spec.scaleTargetRef ?? {};
  if (typeof ref.name !== 'string') fail('spec.scaleTargetRef.name', ref.name, 'is missing');
  return { namespace, name, id: namespace ? `${namespace}/${name}` : name, source, spec, target: `${ref.kind ?? 'Deployment'}/${ref.name}`, fail };
}

function whole(fail: (k: string, v: unknown, p: string) => never, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(key, value, 'is not a whole number of 0 or more');
  return value as number;
}

function readHpa(o: ManifestObject, option: string): AppAutoscaler {
  const b = base(o, option);
  const { spec, fail } = b;
  const metrics: AutoscalerMetric[] = (Array.isArray(spec.metrics) ? spec.metrics : []).map((m: any) => hpaMetric(m));
  if (metrics.length === 0) metrics.push({ name: 'Resource cpu', target: 80, utilization: true }); // the API's default: 80 % CPU
  return {
    kind: 'HorizontalPodAutoscaler',
    namespace: b.namespace,
    name: b.name,
    id: b.id,
    target: b.target,
    source: b.source,
    minReplicas: whole(fail, 'spec.minReplicas', spec.minReplicas, 1),
    maxReplicas: whole(fail, 'spec.maxReplicas', spec.maxReplicas, 0),
    ...behaviorOf(spec.behavior, 'spec.behavior', fail),
    metrics,
    cronWindows: [],
  };
}

function hpaMetric(m: any): AutoscalerMetric {
  const type = m?.type;
  const body = type === 'Pods' ? m.pods : type === 'Object' ? m.object : type === 'External' ? m.external
    : type === 'Resource' ? m.resource : type === 'ContainerResource' ? m.containerResource : undefined;
  const metricName = body?.metric?.name ?? body?.name ?? '?';
  const name = `${type} ${metricName}`;
  const target = body?.target ?? {};
  if (target.type === 'Utilization') return { name, target: Number(target.averageUtilization), utilization: true };
  if (target.type === 'AverageValue') {
    const v = parseQuantity(String(target.averageValue));
    return v === undefined ? { name, utilization: false, unusable: `its averageValue ${JSON.stringify(target.averageValue)} is not a quantity` }
      : { name, target: v, utilization: false };
  }
  return { name, utilization: false, unusable: `its target is a ${target.type ?? 'missing'} type, and the replay takes AverageValue or Utilization` };
}

function readScaledObject(o: ManifestObject, option: string): AppAutoscaler {
  const b = base(o, option);
  const { spec, fail } = b;
  const metrics: AutoscalerMetric[] = [];
  const cronWindows: CronWindow[] = [];
  (Array.isArray(spec.triggers) ? spec.triggers : []).forEach((t: any, i: number) => {
    const at = `spec.triggers[${i}]`;
    const md = t?.metadata ?? {};
    const label = `${t?.type} ${t?.name ?? i}`;
    if (t?.type === 'cron') {
      for (const key of ['start', 'end']) {
        const problem = typeof md[key] === 'string' ? cronExpressionProblem(md[key]) : 'is missing';
        if (problem) fail(`${at}.metadata.${key}`, md[key], problem);
      }
      const zone = md.timezone;
      if (typeof zone !== 'string' || tzSpellingProblem(zone) !== undefined) fail(`${at}.metadata.timezone`, zone, 'is not a time zone of the tz database');
      const desired = Number(md.desiredReplicas);
      if (!Number.isSafeInteger(desired) || desired < 0) fail(`${at}.metadata.desiredReplicas`, md.desiredReplicas, 'is not a whole number of 0 or more');
      cronWindows.push({ start: md.start, end: md.end, timeZone: zone, desiredReplicas: desired });
      return;
    }
    if (KEDA_RESOURCE.has(t?.type)) {
      const v = Number(md.value);
      const utilization = (t.metricType ?? 'Utilization') === 'Utilization';
      metrics.push(Number.isFinite(v) ? { name: label, target: v, utilization } : { name: label, utilization, unusable: 'it has no value' });
      return;
    }
    const key = KEDA_TARGET_KEYS[t?.type];
    if (key === undefined) {
      metrics.push({ name: label, utilization: false, unusable: `the replay does not know which metadata key of a ${t?.type} trigger is its target` });
      return;
    }
    if ((t.metricType ?? 'AverageValue') !== 'AverageValue') {
      metrics.push({ name: label, utilization: false, unusable: `its metricType is ${t.metricType}, and the replay takes AverageValue` });
      return;
    }
    const target = parseQuantity(String(md[key]));
    const activationKey = `activation${key[0].toUpperCase()}${key.slice(1)}`;
    const activation = md[activationKey] === undefined ? undefined : parseQuantity(String(md[activationKey]));
    if (target === undefined) {
      metrics.push({ name: label, utilization: false, unusable: `its ${key} ${JSON.stringify(md[key])} is not a number` });
      return;
    }
    metrics.push({ name: label, target, utilization: false, activation: activation ?? 0 });
  });
  const advanced = spec.advanced?.horizontalPodAutoscalerConfig;
  const seconds = (key: string, value: unknown, fallback: number) => Duration.seconds(whole(fail, key, value, fallback));
  return {
    kind: 'ScaledObject',
    namespace: b.namespace,
    name: b.name,
    id: b.id,
    target: b.target,
    source: b.source,
    minReplicas: whole(fail, 'spec.minReplicaCount', spec.minReplicaCount, KEDA_DEFAULT_MIN),
    maxReplicas: whole(fail, 'spec.maxReplicaCount', spec.maxReplicaCount, KEDA_DEFAULT_MAX),
    ...behaviorOf(advanced?.behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior', fail),
    metrics,
    cronWindows,
    idleReplicaCount: spec.idleReplicaCount === undefined ? undefined : whole(fail, 'spec.idleReplicaCount', spec.idleReplicaCount, 0),
    cooldownPeriod: seconds('spec.cooldownPeriod', spec.cooldownPeriod, KEDA_DEFAULT_COOLDOWN_SECONDS),
    pollingInterval: seconds('spec.pollingInterval', spec.pollingInterval, KEDA_DEFAULT_POLLING_SECONDS),
  };
}

/** `spec.behavior` as ScalingBehavior.custom rules, checked by the library's one validator; tolerances apart. */
function behaviorOf(json: any, at: string, fail: (k: string, v: unknown, p: string) => never): {
  behavior?: ScalingBehavior; scaleUpTolerance?: number; scaleDownTolerance?: number;
} {
  if (json === undefined || json === null) return {};
  const rules = (dir: 'scaleUp' | 'scaleDown'): HpaScalingRules | undefined => {
    const r = json[dir];
    if (r === undefined || r === null) return undefined;
    return {
      stabilizationWindow: r.stabilizationWindowSeconds === undefined ? undefined
        : Duration.seconds(whole(fail, `${at}.${dir}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds, 0)),
      selectPolicy: r.selectPolicy as HpaSelectPolicy | undefined,
      policies: Array.isArray(r.policies) ? r.policies.map((p: any, i: number) => ({
        type: p?.type as HpaScalingPolicyType,
        value: whole(fail, `${at}.${dir}.policies[${i}].value`, p?.value, 0),
        period: Duration.seconds(whole(fail, `${at}.${dir}.policies[${i}].periodSeconds`, p?.periodSeconds, 0)),
      })) : undefined,
    };
  };
  const behavior = ScalingBehavior.custom({ scaleUp: rules('scaleUp'), scaleDown: rules('scaleDown') });
  try {
    behavior._validate('manifest', at);
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error) throw e;
    fail(at, json, `is not a behavior the API server accepts (${e.message.replace(/^\[[^\]]*\] /, '')})`);
  }
  const tol = (dir: string) => (json[dir]?.tolerance === undefined ? undefined : parseQuantity(String(json[dir].tolerance)));
  return { behavior, scaleUpTolerance: tol('scaleUp'), scaleDownTolerance: tol('scaleDown') };
}
