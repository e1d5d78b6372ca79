/**
 * Generators for the serving constructs (InferenceAutoscaler, EdgeInference, LargeModelServing): model servers
 * (ModelServerProps and ModelServerKind), scaling metrics from their factories, and targets an existing workload
 * is given as (cdk8s-plus-28 Deployments and raw ApiObjects, right and wrong).
 */
import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { duration, env, image, optional, orWrong, realNumber, secretEnv, size, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { GpuProduct, GpuRequest, ModelServerKind, ScalingBehavior, ScalingEngine, ScalingMetric } from '../../src';

/** Images of every preset server and of generic ones, valid and not. */
export const SERVER_IMAGES = [
  'vllm/vllm-openai:v0.12.0', 'vllm/vllm-openai:v0.13.1', 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
  'nvcr.io/nvidia/tritonserver:26.06-py3', 'lmsysorg/sglang:v0.5.6.post2-cu129', 'ghcr.io/huggingface/text-generation-inference:3.3.7',
  'example/ranker:2.1', 'registry.example.com/team/model:1.0',
];

export function serverImage(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: image(SERVER_IMAGES), weight: 12 },
    { arbitrary: fc.constantFrom('vllm/vllm-openai', 'vllm/vllm-openai:latest', 'vllm/vllm-openai:v0.5.0', `vllm/vllm-openai@sha256:${'b'.repeat(64)}`), weight: 2 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/** HTTP paths, and strings that are not. */
export function httpPath(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('/health', '/v2/health/ready', '/metrics', '/ready'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'health', '/a b', '/x\n', '/'.repeat(2000)), weight: 2 },
  );
}

/** Mount paths, including the ones the pod mounts itself. */
export function mountPath(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('/models', '/cache', '/data/models'), weight: 8 },
    { arbitrary: fc.constantFrom('/tmp', '/dev/shm', 'models', '', '/a b', '/models/', '/x:y'), weight: 3 },
  );
}

/** Names of metrics a generic server exports, and strings that are not Prometheus metric names. */
export function metricName(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('http_requests_total', 'queue_length', 'in_flight', 'kv_fraction'), weight: 8 },
    { arbitrary: fc.constantFrom('', '1abc', 'a b', 'x{y}', 'a-b'), weight: 2 },
  );
}

export function genericKindOptions(): fc.Arbitrary<any> {
  return fc.record({
    name: optional(fc.constantFrom('reranker', '', 'x'.repeat(300), 'a\nb')),
    port: optional(wholeNumber(1, 65535)),
    healthPath: optional(httpPath()),
    metricsPath: optional(httpPath()),
    metricsPort: optional(wholeNumber(1, 65535)),
    requestCounter: optional(metricName()),
    latencyHistogram: optional(metricName()),
    waitingGauge: optional(metricName()),
    runningGauge: optional(metricName()),
    kvCacheUsageGauge: optional(metricName()),
  }, { requiredKeys: [] });
}

/** A ModelServerKind: a preset or `generic({...})`; the generic options are built when drawn (errors are thrown there). */
export function modelServerKind(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ModelServerKind.presets()), weight: 4 },
    { arbitrary: fc.constant({ generic: undefined }), weight: 2 },
    { arbitrary: genericKindOptions().map((o) => ({ generic: o })), weight: 4 },
    { arbitrary: wrongType().map((o) => ({ generic: o })), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/** A CPU amount. */
export function cpu(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 16 }).map((n) => kplus.Cpu.units(n)), weight: 8 },
    {
      arbitrary: fc.constantFrom(kplus.Cpu.millis(500), kplus.Cpu.millis(250), kplus.Cpu.units(0), kplus.Cpu.units(-1), kplus.Cpu.units(NaN),
        kplus.Cpu.units(Infinity), kplus.Cpu.millis(0.5), kplus.Cpu.units(1e9)),
      weight: 2,
    },
  );
}

export function gpuRequest(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => GpuRequest.of(n, { gpuProduct: GpuProduct.A10G })), weight: 6 },
    { arbitrary: fc.constantFrom(GpuRequest.of(1), GpuRequest.of(0), GpuRequest.of(65), GpuRequest.of(1.5), GpuRequest.of(NaN)), weight: 2 },
  );
}

/** An optional field that is mostly unset or valid: a model server has many, and each may be wrong on its own. */
function rare<T>(arb: fc.Arbitrary<T>, _weight?: number): fc.Arbitrary<any> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: arb, weight: 10 }, { arbitrary: wrongType(), weight: 1 });
}

/** ModelServerProps: every field, valid mostly, boundaries, invalid and wrong types. `kind` is a description built later. */
export function modelServerProps(): fc.Arbitrary<any> {
  return fc.record({
    image: serverImage(),
    kind: rare(modelServerKind(), 3),
    serverVersion: rare(fc.constantFrom('0.12.0', '0.13.1', 'x', ''), 1),
    args: optional(fc.oneof(
      fc.constant(['--enable-metrics', '--host', '0.0.0.0']),
      fc.constant(['--port', '9000']),
      fc.array(fc.constantFrom('--a', 'b', '', 'x\ny'), { maxLength: 3 }),
      fc.constant([1, null]),
    )),
    env: rare(env()),
    secretEnv: rare(secretEnv()),
    allowUnpinnedImage: rare(fc.boolean()),
    port: rare(wholeNumber(1, 65535)),
    cpu: rare(cpu()),
    memory: rare(size(1, 64)),
    gpu: rare(gpuRequest(), 4),
    healthPath: rare(httpPath()),
    metricsPath: rare(httpPath()),
    modelLoadTimeout: rare(duration(10, 7200)),
    startupEstimate: rare(startupEstimate),
    runAsUser: rare(wholeNumber(1, 2 ** 31 - 1)),
    sharedMemorySize: rare(size(1, 16)),
    modelCachePath: rare(mountPath()),
    modelCacheSize: rare(size(1, 500)),
    terminationGracePeriod: rare(duration(1, 3600)),
    drainDelay: rare(duration(0, 600)),
    priorityClassName: rare(fc.constantFrom('realtime', 'gpu.inference', 'Bad_Name', '', 'x'.repeat(254))),
  }, { requiredKeys: [] });
}

/** Turns a drawn kind description into the value (generic options are given to `ModelServerKind.generic` here). */
export function realizeKind(k: any): any {
  if (k !== null && typeof k === 'object' && Object.prototype.hasOwnProperty.call(k, 'generic')) return ModelServerKind.generic(k.generic);
  return k;
}

/** A drawn model server with its kind realized. */
export function realizeServer(s: any): any {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return s;
  return s.kind === undefined ? s : { ...s, kind: realizeKind(s.kind) };
}

/** Scaling metrics from their factories, mostly valid; wrong types in the list itself. */
export function scalingMetric(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 95 }).map((n) => ScalingMetric.cpuUtilization(n)), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 95 }).map((n) => ScalingMetric.memoryUtilization(n)), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 100 }).map((n) => ScalingMetric.gpuUtilization(n)), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 100 }).map((n) => ScalingMetric.requestsPerSecond(n, { counter: 'http_requests_total' })), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 100 }).map((n) => ScalingMetric.requestsPerSecond(n)), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 50 }).map((n) => ScalingMetric.waitingRequests(n)), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 50 }).map((n) => ScalingMetric.vllmWaitingRequests(n)), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 95 }).map((n) => ScalingMetric.kvCacheUsage(n)), weight: 1 },
    { arbitrary: fc.constant(ScalingMetric.responseTimeP95(Duration.millis(500))), weight: 1 },
    { arbitrary: fc.constant(ScalingMetric.external('queue_depth', 5)), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

export function metricsList(): fc.Arbitrary<any> {
  return orWrong(fc.array(scalingMetric(), { minLength: 1, maxLength: 3 }), 25);
}

export function behavior(): fc.Arbitrary<any> {
  return optional(fc.constantFrom(ScalingBehavior.standard(), ScalingBehavior.realTime()), 6);
}

export function engine(): fc.Arbitrary<any> {
  return optional(fc.constantFrom(ScalingEngine.hpa(), ScalingEngine.keda(), ScalingEngine.keda({ fallback: false })), 6);
}

export function monitoring(): fc.Arbitrary<any> {
  return optional(fc.record({
    prometheusSelectorLabels: optional(fc.constantFrom({ release: 'kube-prometheus-stack' }, { 'Bad Key': 'x' }, { a: 'has space' })),
    scrapeInterval: optional(duration(1, 300)),
    atMaxReplicasFor: optional(duration(60, 7200)),
    metricAbsentFor: optional(duration(60, 7200)),
  }, { requiredKeys: [] }), 4);
}

/** A description of a target workload, built into the chart by `buildTarget`. */
export interface TargetSpec {
  readonly how: 'kplus' | 'raw';
  readonly kind: string;
  readonly replicas?: number;
  readonly containers: number;
  readonly image: any;
  readonly portName: any;
  readonly selector: boolean;
  readonly name: any;
  readonly startupProbe: boolean;
  /** How a raw object's containers are written: a list, or a wrong JSON type. */
  readonly containersAs: 'list' | 'object' | 'null';
  /** The Service given with it: right, of another kind, without labels, or without the metrics port. */
  readonly service: 'ok' | 'wrongKind' | 'noLabels' | 'otherPort';
  readonly namespace?: string;
}

export function targetSpec(): fc.Arbitrary<TargetSpec> {
  return fc.record({
    how: fc.constantFrom<'kplus' | 'raw'>('kplus', 'raw'),
    kind: fc.oneof({ arbitrary: fc.constantFrom('Deployment', 'StatefulSet'), weight: 8 }, { arbitrary: fc.constantFrom('Job', 'Service', 'deployment'), weight: 1 }),
    replicas: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom(0, 3), weight: 1 }),
    containers: fc.oneof({ arbitrary: fc.constant(1), weight: 8 }, { arbitrary: fc.constantFrom(0, 2), weight: 2 }),
    image: fc.oneof({ arbitrary: fc.constantFrom('example/ranker:2.1', 'vllm/vllm-openai:v0.12.0', 'vllm/vllm-openai:v0.5.0'), weight: 8 },
      { arbitrary: fc.constantFrom('example/ranker', 'example/ranker:latest', 'vllm/vllm-openai:latest'), weight: 1 },
      { arbitrary: fc.constantFrom(null, 3), weight: 1 }),
    portName: fc.oneof({ arbitrary: fc.constant('http'), weight: 8 }, { arbitrary: fc.constantFrom('metrics', undefined), weight: 2 }),
    selector: fc.oneof({ arbitrary: fc.constant(true), weight: 10 }, { arbitrary: fc.constant(false), weight: 1 }),
    name: fc.oneof({ arbitrary: fc.constantFrom('ranker', 'server-1'), weight: 8 }, { arbitrary: fc.constantFrom(undefined), weight: 2 }),
    startupProbe: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 }),
    containersAs: fc.oneof({ arbitrary: fc.constant<'list'>('list'), weight: 12 }, { arbitrary: fc.constantFrom<'object' | 'null'>('object', 'null'), weight: 1 }),
    service: fc.oneof({ arbitrary: fc.constant<'ok'>('ok'), weight: 8 },
      { arbitrary: fc.constantFrom<'wrongKind' | 'noLabels' | 'otherPort'>('wrongKind', 'noLabels', 'otherPort'), weight: 2 }),
    namespace: fc.option(fc.constantFrom('serving', 'ml-prod'), { nil: undefined }),
  });
}

const SECURE = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };

/** Builds a target (and optionally its Service) into the chart. */
export function buildTarget(chart: Chart, t: TargetSpec, withService: boolean): { target: ApiObject; service?: ApiObject } {
  const ports = t.portName === undefined ? [] : [{ name: t.portName, containerPort: 9000 }];
  if (t.how === 'kplus' && t.kind === 'Deployment' && t.containers > 0 && typeof t.image === 'string') {
    const dep = new kplus.Deployment(chart, 'target', {
      ...(t.name ? { metadata: { name: t.name } } : {}),
      ...(t.replicas !== undefined ? { replicas: t.replicas } : {}),
      containers: Array.from({ length: t.containers }, (_, i) => ({
        name: `c${i}`,
        image: t.image,
        ports: t.portName === undefined ? [] : [{ number: 9000 + i, name: i === 0 ? t.portName : `p${i}` }],
        securityContext: {
          user: 1000, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        resources: {
          cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
        },
      })),
    });
    let service: ApiObject | undefined;
    if (withService && t.portName !== undefined) {
      const svc = dep.exposeViaService({ ports: [{ port: 9000, name: 'http' }] });
      svc.metadata.addLabel('app', 'ranker');
      service = ApiObject.of(svc);
    }
    return { target: ApiObject.of(dep), service };
  }
  const containerList = Array.from({ length: t.containers }, (_, i) => ({
    name: `c${i}`,
    image: t.image,
    ports: i === 0 ? ports : [],
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    securityContext: SECURE,
    ...(t.startupProbe ? { startupProbe: { httpGet: { path: '/health', port: 9000 }, periodSeconds: 10, failureThreshold: 100 } } : {}),
  }));
  const containers = t.containersAs === 'list' ? containerList : t.containersAs === 'object' ? { c0: containerList[0] } : null;
  const labels = { app: 'ranker' };
  const target = new ApiObject(chart, 'target', {
    apiVersion: 'apps/v1',
    kind: t.kind,
    metadata: { ...(t.name ? { name: t.name } : {}), ...(t.namespace ? { namespace: t.namespace } : {}) },
    spec: {
      ...(t.kind === 'StatefulSet' ? { serviceName: 'ranker' } : {}),
      ...(t.replicas !== undefined ? { replicas: t.replicas } : {}),
      ...(t.selector ? { selector: { matchLabels: labels } } : {}),
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers,
        },
      },
    },
  });
  let service: ApiObject | undefined;
  if (withService) {
    service = new ApiObject(chart, 'target-service', {
      apiVersion: t.service === 'wrongKind' ? 'apps/v1' : 'v1',
      kind: t.service === 'wrongKind' ? 'Deployment' : 'Service',
      metadata: { name: 'ranker', ...(t.namespace ? { namespace: t.namespace } : {}), ...(t.service === 'noLabels' ? {} : { labels }) },
      spec: { selector: labels, ports: [{ name: t.service === 'otherPort' ? 'web' : 'http', port: 9000, targetPort: 9000 }] },
    });
  }
  return { target, service };
}

/*
 * Valid-only generators: a case draws every field from these or from the ones above (which mix in boundaries, invalid
 * values and wrong types), so that both accepted and rejected cases are frequent although each field can be wrong.
 */

export function validServer(): fc.Arbitrary<any> {
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  return fc.record({
    image: fc.constantFrom('vllm/vllm-openai:v0.12.0', 'example/ranker:2.1', 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
      'nvcr.io/nvidia/tritonserver:26.06-py3', 'ghcr.io/huggingface/text-generation-inference:3.3.7', 'registry.example.com:5000/team/model:1.0'),
    kind: opt(fc.constantFrom({ generic: { port: 8080 } }, { generic: { requestCounter: 'http_requests_total', metricsPort: 9090 } })),
    env: opt(fc.constantFrom({ HF_HUB_OFFLINE: '1' }, { 'a.b-c': '', '_X': 'y' })),
    secretEnv: opt(validSecretEnv()),
    cpu: opt(fc.integer({ min: 1, max: 8 }).map((n) => kplus.Cpu.units(n))),
    memory: opt(fc.integer({ min: 1, max: 64 }).map((n) => Size.gibibytes(n))),
    gpu: opt(fc.integer({ min: 1, max: 8 }).map((n) => GpuRequest.of(n))),
    healthPath: opt(fc.constantFrom('/health', '/ready')),
    modelLoadTimeout: opt(fc.integer({ min: 10, max: 86_400 }).map((n) => Duration.seconds(n))),
    startupEstimate: opt(validEstimate),
    runAsUser: opt(fc.integer({ min: 1, max: 2 ** 31 - 1 })),
    sharedMemorySize: opt(fc.integer({ min: 1, max: 8 }).map((n) => Size.gibibytes(n))),
    modelCachePath: opt(fc.constantFrom('/models', '/cache/hf')),
    modelCacheSize: opt(fc.integer({ min: 1, max: 500 }).map((n) => Size.gibibytes(n))),
    terminationGracePeriod: opt(fc.integer({ min: 61, max: 3600 }).map((n) => Duration.seconds(n))),
    drainDelay: opt(fc.integer({ min: 0, max: 60 }).map((n) => Duration.seconds(n))),
  }, { requiredKeys: ['image'] });
}

export function validMetrics(): fc.Arbitrary<any[]> {
  return fc.uniqueArray(fc.constantFrom(ScalingMetric.cpuUtilization(70), ScalingMetric.memoryUtilization(80), ScalingMetric.gpuUtilization(60),
    ScalingMetric.external('queue_depth', 5)), { minLength: 1, maxLength: 3 });
}

// Issue 18, time to capacity: the startup estimate of a workload.

const seconds = (min: number, max: number) => fc.integer({ min, max }).map(n => Duration.seconds(n));

/** A valid startup estimate. */
export const validEstimate = fc.record({
  nodeProvisioning: seconds(0, 1800),
  imagePull: seconds(0, 1800),
  modelLoad: seconds(0, 7200),
  warmUp: fc.option(seconds(0, 600), { nil: undefined }),
}, { requiredKeys: ['nodeProvisioning', 'imagePull', 'modelLoad'] });

/** A startup estimate as a user (or another language) passes it: mostly valid, with boundaries, wrong values and types. */
export const startupEstimate: fc.Arbitrary<any> = fc.oneof({ arbitrary: validEstimate, weight: 6 }, {
  arbitrary: orWrong(fc.record({
    nodeProvisioning: duration(0, 1800),
    imagePull: duration(0, 1800),
    modelLoad: optional(duration(0, 7200)),
    weightLoadMibPerSecond: optional(realNumber(0.5, 5000)),
    warmUp: optional(duration(0, 600)),
  }, { requiredKeys: ['nodeProvisioning', 'imagePull'] }), 20),
  weight: 3,
});

