import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cpuMetric, hpa, scaledObject, vpa, webDeployment } from './autoscalers';
import { chatService, guard, messages, newApp } from './util';
import { EdgeInference, GuardrailRule, ScalingTargetRef, VerticalAutoscaler, VpaResource } from '../../src';

/** A VPA construct of the library's shape (the VPA object, the target it names, the resources it changes). */
class ReportingVpa extends Construct {
  public readonly vpa: ApiObject;
  public readonly targetRef: ScalingTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  public constructor(scope: Construct, id: string, public readonly controlledResources: string[], containerPolicies: any[]) {
    super(scope, id);
    this.vpa = vpa(this, 'Resource', 'web', { resourcePolicy: { containerPolicies } });
  }
}

describe('vpa-hpa-conflict', () => {
  test('fails when a hand-written VPA controls the cpu a hand-written HPA scales on', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web', [cpuMetric]);
    vpa(chart, 'web-vpa', 'web');
    expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([
      "[apps/web-vpa] vpa-hpa-conflict: VerticalPodAutoscaler 'web-vpa' controls the cpu requests of Deployment 'web', on whose cpu " +
      "HorizontalPodAutoscaler 'web-hpa' (apps/web-hpa) scales: utilization is usage divided by requests, so each VPA change moves the " +
      'horizontal metric and the two chase each other: scale horizontally on a load metric (requests, queue length, GPU utilization) instead ' +
      "of cpu, or take cpu out of the VPA's controlledResources (or set its updateMode to Off)",
    ]);
  });

  test('passes when the VPA leaves that resource alone, only recommends, or the container is not the one scaled on', () => {
    const cases: any[] = [
      { resourcePolicy: { containerPolicies: [{ containerName: '*', controlledResources: ['memory'] }] } },
      { updatePolicy: { updateMode: 'Off' } },
      { resourcePolicy: { containerPolicies: [{ containerName: 'web', mode: 'Off' }] } },
    ];
    for (const spec of cases) {
      const { app, chart } = newApp();
      webDeployment(chart);
      hpa(chart, 'web-hpa', 'web', [cpuMetric]);
      vpa(chart, 'web-vpa', 'web', spec);
      expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([]);
    }
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web', [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'sidecar', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    vpa(chart, 'web-vpa', 'web', { resourcePolicy: { containerPolicies: [{ containerName: 'web' }, { containerName: 'sidecar', mode: 'Off' }] } });
    expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([]);
  });

  test('a KEDA cpu trigger counts as scaling on cpu', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    scaledObject(chart, 'web-keda', 'web', { triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] });
    vpa(chart, 'web-vpa', 'web');
    expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([expect.stringContaining(
      "controls the cpu requests of Deployment 'web', on whose cpu ScaledObject 'web-keda' (apps/web-keda) scales")]);
  });

  test('passes for the library\'s VerticalAutoscaler next to a load-metric HPA', () => {
    const { app, chart } = newApp();
    const chat = chatService(chart, 'chat', 4);
    new VerticalAutoscaler(chart, 'vpa', { target: chat.deployment, containerPolicies: [{ containerName: 'model-server', controlledResources: [VpaResource.CPU] }] });
    expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([]);
  });

  test('fails when the library\'s VerticalAutoscaler controls the cpu a hand-written HPA scales on', () => {
    const { app, chart } = newApp();
    const edge = new EdgeInference(chart, 'edge', { name: 'edge', modelServer: { image: 'x/detector:1' } });
    hpa(chart, 'edge-hpa', 'edge', [cpuMetric]);
    expect(messages(guard(app), GuardrailRule.VPA_HPA_CONFLICT)).toEqual([
      `[apps/edge/Vertical] vpa-hpa-conflict: VerticalPodAutoscaler '${edge.verticalAutoscaler.vpa.name}' controls the cpu requests of ` +
      "Deployment 'edge', on whose cpu HorizontalPodAutoscaler 'edge-hpa' (apps/edge-hpa) scales: utilization is usage divided by requests, " +
      'so each VPA change moves the horizontal metric and the two chase each other: scale horizontally on a load metric (requests, queue ' +
      "length, GPU utilization) instead of cpu, or take cpu out of the VPA's controlledResources (or set its updateMode to Off)",
    ]);
  });

  test('a VPA construct that reports its target and resources is not read for pod-wide metrics; for a container\'s metric it is', () => {
    const { app, chart } = newApp();
    webDeployment(chart);
    hpa(chart, 'web-hpa', 'web', [cpuMetric]);
    new ReportingVpa(chart, 'vpa', ['cpu'], [{ containerName: '*', controlledResources: ['cpu'] }]);
    const report = guard(app).check();
    expect(report.findings.map(f => [f.rule, f.path])).toEqual([['vpa-hpa-conflict', 'apps/vpa']]);
    // The hand-written HPA and the Deployment it scales; not the VPA.
    expect(report.objectsRead).toBe(2);

    const second = newApp();
    webDeployment(second.chart);
    hpa(second.chart, 'web-hpa', 'web', [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'web', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    new ReportingVpa(second.chart, 'vpa', ['memory'], [{ containerName: 'web', controlledResources: ['memory'] }]);
    const perContainer = guard(second.app).check();
    expect(perContainer.findings).toEqual([]);
    // Its per-container policies are in its JSON only.
    expect(perContainer.objectsRead).toBe(3);
  });
});
