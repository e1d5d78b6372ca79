import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  GpuRequest, InferenceAutoscaler, InferenceAutoscalerProps, QueueTrigger, ScalingBehavior, ScalingEngine, ScalingMetric,
  TriggerCredentials,
} from '../../src';
import { expectConformant } from '../conformance';
import { promqlErrors } from '../conformance/promql';
import { allOfKind, newChart, ofKind } from '../util';

const SQS_URL = 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs';

const props = (overrides: Partial<InferenceAutoscalerProps> = {}): InferenceAutoscalerProps => ({
  name: 'chat',
  modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
  maxReplicas: 20,
  metrics: [ScalingMetric.vllmWaitingRequests(5), ScalingMetric.gpuUtilization(70)],
  engine: ScalingEngine.keda(),
  ...overrides,
});

function synth(overrides: Partial<InferenceAutoscalerProps> = {}) {
  const chart = newChart({ namespace: 'serving' });
  const autoscaler = new InferenceAutoscaler(chart, 'chat', props(overrides));
  return { autoscaler, manifests: expectConformant(chart) };
}

// The keys each pinned KEDA v2.20 scaler reads from trigger metadata (pkg/scalers/*_scaler.go struct tags).
const SCALER_KEYS: Record<string, string[]> = {
  'prometheus': ['serverAddress', 'query', 'threshold', 'activationThreshold', 'ignoreNullValues', 'namespace', 'customHeaders',
    'queryParameters', 'unsafeSsl', 'timeout', 'awsRegion', 'authModes'],
  'aws-sqs-queue': ['queueURL', 'queueLength', 'activationQueueLength', 'awsRegion', 'awsEndpoint', 'scaleOnInFlight', 'scaleOnDelayed'],
  'cron': ['timezone', 'start', 'end', 'desiredReplicas'],
  'cpu': ['value', 'containerName'],
  'memory': ['value', 'containerName'],
  'redis': ['address', 'host', 'port', 'listName', 'listLength', 'activationListLength', 'databaseIndex', 'enableTLS', 'unsafeSsl'],
  'kafka': ['bootstrapServers', 'consumerGroup', 'topic', 'lagThreshold', 'activationLagThreshold', 'offsetResetPolicy', 'allowIdleConsumers', 'sasl', 'tls'],
  'rabbitmq': ['queueName', 'mode', 'value', 'activationValue', 'protocol', 'vhostName'],
};

function expectKnownKeys(trigger: any) {
  const allowed = SCALER_KEYS[trigger.type];
  expect(allowed).toBeDefined();
  for (const [key, value] of Object.entries(trigger.metadata)) {
    expect({ type: trigger.type, key, known: allowed.includes(key) }).toEqual({ type: trigger.type, key, known: true });
    expect(typeof value).toBe('string');
  }
}

describe('InferenceAutoscaler with the KEDA engine', () => {
  test('emits a ScaledObject and never an HPA for the same target', () => {
    const { manifests, autoscaler } = synth();
    expect(allOfKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(allOfKind(manifests, 'ScaledObject')).toHaveLength(1);
    expect(autoscaler.hpa).toBeUndefined();
    expect(autoscaler.scaler).toBe(autoscaler.scaledObject);
    expect(ofKind(manifests, 'ScaledObject').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' });
    expect(ofKind(manifests, 'Deployment').spec.replicas).toBeUndefined();
    expect(autoscaler.footprint.scalingOwner).toEqual({ kind: 'ScaledObject', name: 'chat', scalesOnResources: [] });
  });

  test('synthesizes the default ScaledObject (snapshot)', () => {
    expect(ofKind(synth().manifests, 'ScaledObject')).toMatchSnapshot();
  });

  test('custom metrics become named Prometheus triggers on the service total, failing loudly on empty results', () => {
    const spec = ofKind(synth().manifests, 'ScaledObject').spec;
    expect(spec.triggers).toEqual([
      {
        type: 'prometheus',
        name: 'queue_length',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query: 'sum(scaling:queue_length{scaling_target="chat", namespace="serving"})',
          threshold: '5',
          ignoreNullValues: 'false',
        },
      },
      {
        type: 'prometheus',
        name: 'gpu_utilization',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query: 'sum(scaling:gpu_utilization{scaling_target="chat", namespace="serving"})',
          threshold: '70',
          ignoreNullValues: 'false',
        },
      },
    ]);
    spec.triggers.forEach(expectKnownKeys);
    for (const t of spec.triggers) expect(promqlErrors(t.metadata.query)).toEqual([]);
  });

  test('the Prometheus server address is configurable', () => {
    const spec = ofKind(synth({ engine: ScalingEngine.keda({ prometheusServerAddress: 'http://thanos-query.obs:9090' }) }).manifests, 'ScaledObject').spec;
    expect(spec.triggers[0].metadata.serverAddress).toBe('http://thanos-query.obs:9090');
  });

  test('CPU and memory become Utilization triggers', () => {
    const spec = ofKind(synth({ metrics: [ScalingMetric.cpuUtilization(60), ScalingMetric.memoryUtilization(80), ScalingMetric.requestsPerSecond(10)] }).manifests, 'ScaledObject').spec;
    expect(spec.triggers.slice(0, 2)).toEqual([
      { type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
      { type: 'memory', name: 'memory', metricType: 'Utilization', metadata: { value: '80' } },
    ]);
    spec.triggers.forEach(expectKnownKeys);
  });

  test('an SQS queue authenticates through a TriggerAuthentication with pod identity', () => {
    const queue = QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', messagesPerReplica: 10, credentials: TriggerCredentials.awsPodIdentity() });
    const { manifests, autoscaler } = synth({ metrics: [ScalingMetric.fromQueue(queue)] });
    const auth = ofKind(manifests, 'TriggerAuthentication');
    expect(auth.spec).toEqual({ podIdentity: { provider: 'aws' } });
    expect(autoscaler.triggerAuthentications).toHaveLength(1);
    const trigger = ofKind(manifests, 'ScaledObject').spec.triggers[0];
    expect(trigger).toEqual({
      type: 'aws-sqs-queue',
      name: 'aws_sqs_queue',
      metadata: { queueURL: SQS_URL, awsRegion: 'us-west-2', queueLength: '10' },
      authenticationRef: { name: auth.metadata.name },
    });
    expectKnownKeys(trigger);
  });

  test('a cron window holds replicas ahead of a known peak', () => {
    const { manifests } = synth({ metrics: [ScalingMetric.requestsPerSecond(10), ScalingMetric.cronWindow('0 8 * * 1-5', '0 20 * * 1-5', 6, { timeZone: 'Europe/Berlin' })] });
    const trigger = ofKind(manifests, 'ScaledObject').spec.triggers[1];
    expect(trigger).toEqual({ type: 'cron', name: 'cron', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '6' } });
    expectKnownKeys(trigger);
  });

  test('the behavior presets become the behavior of the HPA KEDA manages, equal to the HPA engine\'s', () => {
    for (const behavior of [ScalingBehavior.realTime(), ScalingBehavior.standard()]) {
      const keda = ofKind(synth({ behavior }).manifests, 'ScaledObject');
      const hpa = ofKind(synth({ behavior, engine: ScalingEngine.hpa() }).manifests, 'HorizontalPodAutoscaler');
      expect(keda.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(hpa.spec.behavior);
      expect(keda.spec.minReplicaCount).toBe(hpa.spec.minReplicas);
      expect(keda.spec.maxReplicaCount).toBe(hpa.spec.maxReplicas);
    }
  });

  test('a fallback holds the current replicas when the metrics break', () => {
    const spec = ofKind(synth().manifests, 'ScaledObject').spec;
    expect(spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'currentReplicasIfHigher' });
    const custom = ofKind(synth({ engine: ScalingEngine.keda({ fallbackReplicas: 6, fallbackFailureThreshold: 5 }) }).manifests, 'ScaledObject').spec;
    expect(custom.fallback).toEqual({ failureThreshold: 5, replicas: 6, behavior: 'currentReplicasIfHigher' });
    expect(ofKind(synth({ engine: ScalingEngine.keda({ fallback: false }) }).manifests, 'ScaledObject').spec.fallback).toBeUndefined();
  });

  test('no fallback is offered when every trigger is CPU or memory', () => {
    const spec = ofKind(synth({ metrics: [ScalingMetric.cpuUtilization(60)] }).manifests, 'ScaledObject').spec;
    expect(spec.fallback).toBeUndefined();
  });

  test('scales to zero only when asked, idle at zero and woken to minReplicas', () => {
    expect(ofKind(synth().manifests, 'ScaledObject').spec.idleReplicaCount).toBeUndefined();
    const spec = ofKind(synth({ engine: ScalingEngine.keda({ scaleToZero: true, cooldownPeriod: Duration.minutes(15) }) }).manifests, 'ScaledObject').spec;
    expect(spec).toMatchObject({ idleReplicaCount: 0, minReplicaCount: 2, cooldownPeriod: 900 });
  });

  test('a composite metric becomes scaling modifiers over the named triggers', () => {
    const engine = ScalingEngine.keda({ compositeMetric: { formula: 'queue_length / 5 + gpu_utilization / 70', target: 1 } });
    const spec = ofKind(synth({ engine }).manifests, 'ScaledObject').spec;
    expect(spec.advanced.scalingModifiers).toEqual({ formula: 'queue_length / 5 + gpu_utilization / 70', target: '1', metricType: 'AverageValue' });
  });

  test('KEDA-only apps need no prometheus-adapter config', () => {
    const chart = newChart();
    new InferenceAutoscaler(chart, 'chat', props());
    expect(allOfKind(expectConformant(chart), 'ConfigMap')).toHaveLength(0);
  });

  test('alerts cover KEDA scaler errors and an active fallback, in valid PromQL', () => {
    const alerts = ofKind(synth().manifests, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.alert);
    expect(alerts.map((a: any) => a.alert)).toEqual([
      'ScalingAtMaxReplicas', 'ScalingMetricsUnavailable', 'ScalingMetricAbsent', 'ScalingMetricAbsent', 'KedaScalerErrors', 'KedaFallbackActive',
    ]);
    expect(alerts[0].expr).toContain('horizontalpodautoscaler="keda-hpa-chat"');
    expect(alerts[4].expr).toBe('sum by (scaledObject, scaler, metric) (rate(keda_scaler_detail_errors_total{scaledObject="chat"}[5m])) > 0');
    expect(alerts[5].expr).toBe('sum by (scaledObject) (increase(keda_scaled_object_errors_total{scaledObject="chat"}[75s])) >= 3');
    for (const a of alerts) expect(promqlErrors(a.expr)).toEqual([]);
  });
});

describe('both engines ask for the same replicas', () => {
  // The HPA controller (replica_calculator.go): a Pods metric's usage ratio is avg(per-pod) / target, and
  // replicas = ceil(ratio x ready pods) outside the 10% tolerance; KEDA's Prometheus trigger returns the
  // service total as an AverageValue external metric, which the HPA divides by the target the same way.
  function hpaPodsReplicas(current: number, perPod: number[], target: number): number {
    const ratio = perPod.reduce((a, b) => a + b, 0) / perPod.length / target;
    return Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(ratio * perPod.length);
  }
  function hpaExternalAverageReplicas(current: number, total: number, target: number): number {
    const ratio = total / (target * current);
    return Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(total / target);
  }

  test.each([
    [[12, 9, 15], 'queue'],
    [[2, 1, 0, 3], 'queue'],
    [[5, 5, 5, 5, 5], 'queue'],
    [[40, 60, 90], 'gpu'],
  ])('for per-pod load %j', (perPod, which) => {
    const metric = () => which === 'queue' ? ScalingMetric.vllmWaitingRequests(5) : ScalingMetric.gpuUtilization(70);
    const hpa = ofKind(synth({ engine: ScalingEngine.hpa(), metrics: [metric()] }).manifests, 'HorizontalPodAutoscaler');
    const keda = ofKind(synth({ metrics: [metric()] }).manifests, 'ScaledObject');
    const hpaTarget = Number(hpa.spec.metrics[0].pods.target.averageValue);
    const kedaTarget = Number(keda.spec.triggers[0].metadata.threshold);
    // What the recording rule holds per pod, and what the KEDA query (its sum) returns.
    const total = perPod.reduce((a, b) => a + b, 0);
    const current = perPod.length;
    expect(hpaExternalAverageReplicas(current, total, kedaTarget)).toBe(hpaPodsReplicas(current, perPod, hpaTarget));
  });
});

test('an existing target scaled by the HPA engine cannot get a ScaledObject as well', () => {
  const chart = newChart();
  const target = ApiObject.of(new kplus.Deployment(chart, 'ranker', { metadata: { name: 'ranker' }, containers: [{ image: 'example/ranker:2.1', ports: [{ number: 8000, name: 'http' }] }] }));
  new InferenceAutoscaler(chart, 'hpa', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, { counter: 'http_requests_total' })] });
  expect(() => new InferenceAutoscaler(chart, 'keda', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, { counter: 'http_requests_total' })], engine: ScalingEngine.keda() }))
    .toThrow("[test/keda] 'target' (\"ranker\") already has an autoscaler");
});

describe('KEDA engine validation', () => {
  const build = (overrides: Partial<InferenceAutoscalerProps>) => () => new InferenceAutoscaler(newChart(), 'chat', props(overrides));

  test('fails when a queue metric is given to the HPA engine', () => {
    const queue = QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() });
    expect(build({ engine: ScalingEngine.hpa(), metrics: [ScalingMetric.fromQueue(queue)] })).toThrow(
      "[test/chat] 'metrics[0]' (\"SQS queue\") needs the KEDA engine (an HPA cannot read it): set engine: ScalingEngine.keda(), or scale on an exporter's Prometheus series with ScalingMetric.external()");
  });

  test('fails on an SQS queue without credentials', () => {
    expect(build({ metrics: [ScalingMetric.fromQueue(QueueTrigger.sqs(SQS_URL, { region: 'us-west-2' }))] })).toThrow(
      "[test/chat] 'metrics[0].queue.credentials' (undefined) is required by the aws-sqs-queue scaler: give credentials: aws pod identity, or a Secret with awsAccessKeyID + awsSecretAccessKey, or a Secret with awsRoleArn");
  });

  test('fails when a fallback is forced on CPU-only scaling', () => {
    expect(build({ metrics: [ScalingMetric.cpuUtilization(60)], engine: ScalingEngine.keda({ fallback: true }) })).toThrow(
      "[test/chat] 'engine.fallback' (true) cannot apply: KEDA has no fallback for CPU or memory triggers, and every metric is one: add a load metric (requests, queue length) for the fallback to act on, or set fallback: false");
  });

  test('fails on scale to zero with only CPU or memory triggers', () => {
    expect(build({ metrics: [ScalingMetric.cpuUtilization(60)], engine: ScalingEngine.keda({ scaleToZero: true }) })).toThrow(
      "[test/chat] 'engine.scaleToZero' (true) needs a trigger that is not CPU or memory: with no pods there is no CPU to measure, so nothing would wake the service: add a load metric (requests, queue length) or a cron window, or remove scaleToZero");
  });

  test('fails on a cooldown period without scale to zero', () => {
    expect(build({ engine: ScalingEngine.keda({ cooldownPeriod: Duration.minutes(10) }) })).toThrow(
      "[test/chat] 'engine.cooldownPeriod' (\"600s\") only applies with scaleToZero");
  });

  test('fails on a formula that names no trigger', () => {
    expect(build({ engine: ScalingEngine.keda({ compositeMetric: { formula: 'queue_length + requests', target: 3 } }) })).toThrow(
      "[test/chat] 'engine.compositeMetric.formula' (\"queue_length + requests\") refers to 'requests', which no metric names: use the triggers' names: queue_length, gpu_utilization");
  });

  test('fails on a fractional composite target with a fallback', () => {
    expect(build({ engine: ScalingEngine.keda({ compositeMetric: { formula: 'queue_length', target: 2.5 } }) })).toThrow(
      "[test/chat] 'engine.compositeMetric.target' (2.5) must be a whole number when a fallback is set");
  });

  test('fails on fallback replicas above the maximum, a bad server address and a zero polling interval', () => {
    expect(build({ engine: ScalingEngine.keda({ fallbackReplicas: 50 }) })).toThrow(
      "[test/chat] 'engine.fallbackReplicas' (50) is above 'maxReplicas' (20): lower fallbackReplicas or raise maxReplicas");
    expect(() => ScalingEngine.keda({ prometheusServerAddress: 'prometheus:9090' })).toThrow(
      "[ScalingEngine.keda] 'prometheusServerAddress' (\"prometheus:9090\") is not an http(s) URL: give the Prometheus URL KEDA can reach");
    expect(() => ScalingEngine.keda({ pollingInterval: Duration.seconds(0) })).toThrow(
      "[ScalingEngine.keda] 'pollingInterval' (0 seconds) must be at least 1 second: poll every 1 s to 3600 s (whole seconds)");
  });

  test('fails on a cron window that is not a cron expression', () => {
    expect(() => ScalingMetric.cronWindow('8am', '0 20 * * *', 4)).toThrow(
      "[ScalingMetric.cronWindow] 'start' (\"8am\") has 1 fields, and KEDA's cron parser takes exactly 5");
  });
});

describe('ScalingEngine.keda checks its options where they are given', () => {
  test('fails when the Prometheus address holds a space', () => {
    expect(() => ScalingEngine.keda({ prometheusServerAddress: 'http://prom :9090' })).toThrow(
      "[ScalingEngine.keda] 'prometheusServerAddress' (\"http://prom :9090\") is not an http(s) URL: "
      + 'give the Prometheus URL KEDA can reach, e.g. http://prometheus-operated.monitoring.svc:9090');
  });

  test('fails on the string "false" for scaleToZero', () => {
    expect(() => ScalingEngine.keda({ scaleToZero: 'false' as any })).toThrow(
      "[ScalingEngine.keda] 'scaleToZero' (\"false\") must be true or false (a boolean), not a string: write scaleToZero: false without quotes");
  });

  test('fails on a composite target that is not finite', () => {
    expect(() => ScalingEngine.keda({ compositeMetric: { formula: 'queue_length', target: Infinity } })).toThrow(
      "[ScalingEngine.keda] 'compositeMetric.target' (Infinity) must be a number at least 0.001 and at most 1000000000: "
      + 'give the formula value one replica should handle, from 0.001 to 1,000,000,000');
  });

  test('fails on a composite formula with a line break', () => {
    expect(() => ScalingEngine.keda({ compositeMetric: { formula: 'queue_length\n/ 2', target: 1 } })).toThrow(
      "[ScalingEngine.keda] 'compositeMetric.formula' (\"queue_length\\n/ 2\") must not contain line breaks or control characters");
  });
});
