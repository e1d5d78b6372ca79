import { GuardrailRule, InferenceAutoscaler, ScalingEngine, ScalingMetric } from '../../src';
import { expectConformant } from '../conformance';
import { deployment, hpa, scaledObject, webDeployment } from './autoscalers';
import { guard, messages, newApp } from './util';

describe('keda-hpa-name', () => {
  test('fails when two ScaledObjects name the same HPA', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    deployment(chart, 'api');
    const advanced = { advanced: { horizontalPodAutoscalerConfig: { name: 'shared-hpa' } } };
    scaledObject(chart, 'web-keda', 'web', advanced);
    scaledObject(chart, 'api-keda', 'api', advanced);
    expect(messages(guard(app), GuardrailRule.KEDA_HPA_NAME)).toEqual([
      "[apps/api-keda] keda-hpa-name: ScaledObject 'api-keda' names its HPA 'shared-hpa', as ScaledObject 'web-keda' (apps/web-keda) does: " +
      'KEDA keeps one HPA per ScaledObject and would overwrite the other: give spec.advanced.horizontalPodAutoscalerConfig.name a name no ' +
      'other HPA or ScaledObject uses',
    ]);
  });

  test('fails when a ScaledObject\'s default HPA name keda-hpa-<name> is an HPA of the app', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    deployment(chart, 'api');
    scaledObject(chart, 'web-keda', 'web', {}, 'web');
    hpa(chart, 'api-hpa', 'api', [], 'keda-hpa-web');
    expect(messages(guard(app), GuardrailRule.KEDA_HPA_NAME)).toEqual([
      "[apps/web-keda] keda-hpa-name: ScaledObject 'web' names its HPA 'keda-hpa-web', which is the name of HorizontalPodAutoscaler " +
      "'keda-hpa-web' (apps/api-hpa): KEDA keeps one HPA per ScaledObject and would overwrite the other: give " +
      'spec.advanced.horizontalPodAutoscalerConfig.name a name no other HPA or ScaledObject uses',
    ]);
  });

  test('passes with distinct HPA names', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    scaledObject(chart, 'web-keda', 'web', {}, 'web');
    deployment(chart, 'other');
    hpa(chart, 'other-hpa', 'other', [], 'web');
    expectConformant(chart);
    expect(messages(guard(app), GuardrailRule.KEDA_HPA_NAME)).toEqual([]);
  });

  test('the library\'s ScaledObjects count: keda-hpa-<name> taken by a hand-written HPA is a finding', () => {
    const { app, chart } = newApp();
    new InferenceAutoscaler(chart, 'rerank', {
      name: 'rerank', modelServer: { image: 'x/rerank:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })], engine: ScalingEngine.keda(),
    });
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web', [], 'keda-hpa-rerank');
    expect(messages(guard(app), GuardrailRule.KEDA_HPA_NAME)).toEqual([expect.stringMatching(
      /^\[apps\/rerank\] keda-hpa-name: ScaledObject 'rerank' names its HPA 'keda-hpa-rerank', which is the name of HorizontalPodAutoscaler 'keda-hpa-rerank' \(apps\/web-hpa\): /)]);
  });
});
