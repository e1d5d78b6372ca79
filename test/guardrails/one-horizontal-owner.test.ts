import { Chart } from 'cdk8s';
import { hpa, scaledObject, webDeployment } from './autoscalers';
import { chatService, guard, messages, newApp } from './util';
import { GuardrailRule, InferenceAutoscaler, ScalingEngine, ScalingMetric } from '../../src';

describe('one-horizontal-owner', () => {
  test('fails when a hand-written HPA scales a Deployment an InferenceAutoscaler already scales', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    hpa(chart, 'extra', 'chat');
    expect(messages(guard(app), GuardrailRule.ONE_HORIZONTAL_OWNER)).toEqual([
      "[apps/extra] one-horizontal-owner: HorizontalPodAutoscaler 'extra' scales Deployment 'chat', which HorizontalPodAutoscaler 'chat' " +
      "(apps/chat) already scales: two horizontal autoscalers overwrite each other's replica count (a ScaledObject through the HPA KEDA " +
      'creates for it): keep one, with every metric or trigger on it',
    ]);
  });

  test('fails for an HPA and a ScaledObject on one target, in the same namespace only', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web');
    scaledObject(chart, 'web-keda', 'web');
    const other = new Chart(app, 'other', { namespace: 'other' });
    scaledObject(other, 'web-keda', 'web');
    expect(messages(guard(app), GuardrailRule.ONE_HORIZONTAL_OWNER)).toEqual([expect.stringMatching(
      /^\[apps\/web-keda\] one-horizontal-owner: ScaledObject 'web-keda' scales Deployment 'web', which HorizontalPodAutoscaler 'web-hpa' \(apps\/web-hpa\) already scales: /)]);
  });

  test('passes for the library\'s HPA and KEDA autoscalers, one per target', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new InferenceAutoscaler(chart, 'rerank', {
      name: 'rerank', modelServer: { image: 'x/rerank:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })], engine: ScalingEngine.keda(),
    });
    expect(guard(app).check().findings.filter(f => f.rule !== GuardrailRule.GPU_PLACEMENT)).toEqual([]);
  });

  test('the library\'s autoscalers are known from their footprints: only the ScaledObject is read, for its HPA name', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new InferenceAutoscaler(chart, 'rerank', {
      name: 'rerank', modelServer: { image: 'x/rerank:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })], engine: ScalingEngine.keda(),
    });
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === GuardrailRule.ONE_HORIZONTAL_OWNER)).toEqual([]);
    expect(report.objectsRead).toBe(1);
  });

  test('an HPA written by hand with the name of the library\'s HPA is a second owner, not the library\'s', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    // Another chart in the same (default) namespace: same namespace, kind and name, but not below the InferenceAutoscaler.
    hpa(new Chart(app, 'more'), 'copy', 'chat', [], 'chat');
    expect(messages(guard(app), GuardrailRule.ONE_HORIZONTAL_OWNER)).toEqual([expect.stringMatching(
      /^\[more\/copy\] one-horizontal-owner: HorizontalPodAutoscaler 'chat' scales Deployment 'chat', which HorizontalPodAutoscaler 'chat' \(apps\/chat\) already scales: /)]);
  });
});
