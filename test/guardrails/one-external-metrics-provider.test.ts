import {
  BatchInferenceJob, GuardrailRule, InferenceAutoscaler, QueueTrigger, ScalingEngine, ScalingGuardrails, ScalingMetric, TriggerCredentials,
} from '../../src';
import { expectConformant, validateManifests } from '../conformance';
import { hpa, scaledObject, webDeployment } from './autoscalers';
import { guard, messages, newApp } from './util';

const external = { type: 'External', external: { metric: { name: 'sqs_messages' }, target: { type: 'AverageValue', averageValue: '5' } } };

function sqsBatch(scope: any) {
  return new BatchInferenceJob(scope, 'embed', {
    name: 'embed',
    image: 'example/embedder:1.4.0',
    maxReplicaCount: 4,
    queue: QueueTrigger.sqs('https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs', { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() }),
  });
}

function externalAutoscaler(scope: any) {
  return new InferenceAutoscaler(scope, 'worker', {
    name: 'worker', modelServer: { image: 'example/worker:1' }, maxReplicas: 6, metrics: [ScalingMetric.external('sqs_messages', 5)],
  });
}

describe('one-external-metrics-provider', () => {
  test('fails when the library\'s HPA scales on an External metric and the app deploys KEDA', () => {
    const { app, chart } = newApp();
    externalAutoscaler(chart);
    sqsBatch(chart);
    expect(messages(guard(app), GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER)).toEqual([
      "[apps/worker] one-external-metrics-provider: HorizontalPodAutoscaler 'worker' scales on the External metric 'sqs_messages', which a provider " +
      "other than KEDA must serve (prometheus-adapter's externalRules), while the app deploys KEDA (ScaledJob 'embed'): a cluster has one " +
      'external-metrics APIService (v1beta1.external.metrics.k8s.io), so either these metrics or KEDA\'s triggers go unserved: scale this workload ' +
      'with ScalingEngine.keda() (a KEDA trigger reads the same series), or keep KEDA out of the app',
    ]);
    // The same app, without the guardrails, fails the test-time check too.
    const plain = newApp();
    externalAutoscaler(plain.chart);
    sqsBatch(plain.chart);
    expect(validateManifests(plain.chart.toJson()).errors.join('\n')).toContain('needs an external-metrics provider other than KEDA');
  });

  test('fails synth when the guardrails are on the app', () => {
    const { app, chart } = newApp();
    externalAutoscaler(chart);
    new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: { image: 'example/chat:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })], engine: ScalingEngine.keda() });
    guard(app);
    expect(() => app.synth()).toThrow(/one-external-metrics-provider: HorizontalPodAutoscaler 'worker' .* while the app deploys KEDA \(ScaledObject 'chat'\)/);
  });

  test('hand-written HPAs and ScaledObjects count', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web', [external]);
    scaledObject(chart, 'other-keda', 'other');
    expect(messages(guard(app), GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER)).toEqual([expect.stringMatching(
      /^\[apps\/web-hpa\] one-external-metrics-provider: HorizontalPodAutoscaler 'web-hpa' scales on the External metric 'sqs_messages', .* \(ScaledObject 'other-keda'\)/)]);
  });

  test('passes with External metrics and no KEDA, and with KEDA and no External metric', () => {
    const a = newApp();
    externalAutoscaler(a.chart);
    expect(messages(guard(a.app), GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER)).toEqual([]);
    expectConformant(a.chart);
    const b = newApp();
    sqsBatch(b.chart);
    new InferenceAutoscaler(b.chart, 'chat', { name: 'chat', modelServer: { image: 'example/chat:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })] });
    expect(messages(guard(b.app), GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER)).toEqual([]);
  });

  test('reads no HPA JSON without KEDA in the app, nor a library HPA\'s when the adapter serves no external metric', () => {
    const a = newApp();
    externalAutoscaler(a.chart);
    expect(guard(a.app).check().objectsRead).toBe(0);
    const b = newApp();
    sqsBatch(b.chart);
    new InferenceAutoscaler(b.chart, 'chat', { name: 'chat', modelServer: { image: 'example/chat:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })] });
    expect(guard(b.app).check().objectsRead).toBe(0);
  });

  test('can be suppressed on the HPA\'s construct', () => {
    const { app, chart } = newApp();
    const worker = externalAutoscaler(chart);
    sqsBatch(chart);
    ScalingGuardrails.suppress(worker, GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER, 'this cluster runs an external-metrics provider beside KEDA by aggregation');
    expect(messages(guard(app), GuardrailRule.ONE_EXTERNAL_METRICS_PROVIDER)).toEqual([]);
  });
});
