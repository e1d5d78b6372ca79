import { deployment, hpa, webDeployment } from './autoscalers';
import { guard, messages, newApp } from './util';
import { EdgeInference, GuardrailRule } from '../../src';

describe('replicas-under-autoscaler', () => {
  test('fails when an autoscaled Deployment carries spec.replicas', () => {
    const { app, chart } = newApp();
    webDeployment(chart, false);
    hpa(chart, 'web-hpa', 'web');
    expect(messages(guard(app), GuardrailRule.REPLICAS_UNDER_AUTOSCALER)).toEqual([
      "[apps/web] replicas-under-autoscaler: Deployment 'web' sets spec.replicas (2) while HorizontalPodAutoscaler 'web-hpa' (apps/web-hpa) " +
      'scales it: every apply resets the replica count to 2 until the autoscaler corrects it: remove spec.replicas (cdk8s-plus: ' +
      "deployment.markHasAutoscaler(); an ApiObject: addJsonPatch(JsonPatch.remove('/spec/replicas')))",
    ]);
  });

  test('passes without spec.replicas, and for Deployments nothing scales', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web');
    deployment(chart, 'fixed', false);
    expect(messages(guard(app), GuardrailRule.REPLICAS_UNDER_AUTOSCALER)).toEqual([]);
  });

  test('a library workload\'s spec.replicas is its footprint\'s fixedReplicas', () => {
    const { app, chart } = newApp();
    const edge = new EdgeInference(chart, 'edge', { name: 'edge', modelServer: { image: 'x/detector:1' } });
    expect(edge.footprint.fixedReplicas).toBe(1);
    hpa(chart, 'edge-hpa', 'edge');
    const report = guard(app).check();
    // Raised on the Deployment's construct, below the EdgeInference.
    expect(report.findings.filter(f => f.rule === GuardrailRule.REPLICAS_UNDER_AUTOSCALER).map(f => f.message)).toEqual([expect.stringMatching(
      /^\[apps\/edge\/[^\]]+\] replicas-under-autoscaler: Deployment 'edge' sets spec.replicas \(1\) while HorizontalPodAutoscaler 'edge-hpa' \(apps\/edge-hpa\) scales it: /)]);
  });
});
