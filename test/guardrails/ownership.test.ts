import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GuardrailRule, InferenceAutoscaler, ScalingEngine, ScalingMetric, VerticalAutoscaler, VpaResource } from '../../src';
import { expectConformant } from '../conformance';
import { chatService, guard, messages, newApp } from './util';

/** A Deployment that passes Pod Security "restricted", autoscaled (no spec.replicas) unless told otherwise. */
function deployment(chart: Chart, name: string, autoscaled = true): kplus.Deployment {
  const d = new kplus.Deployment(chart, name, {
    metadata: { name },
    containers: [{
      name,
      image: 'nginx:1.27',
      resources: { cpu: { request: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1) } },
      securityContext: {
        user: 1000,
        group: 1000,
        ensureNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  if (autoscaled) d.markHasAutoscaler();
  return d;
}

const webDeployment = (chart: Chart, autoscaled = true) => deployment(chart, 'web', autoscaled);

function hpa(chart: Chart, id: string, target: string, metrics: any[] = [], name = id): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 5, metrics },
  });
}

function scaledObject(chart: Chart, id: string, target: string, spec: any = {}, name = id): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name },
    spec: { scaleTargetRef: { name: target }, maxReplicaCount: 5, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2' } }], ...spec },
  });
}

const cpuMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };

function vpa(chart: Chart, id: string, target: string, spec: any = {}): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: id },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, updatePolicy: { updateMode: 'Initial' }, ...spec },
  });
}

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
      name: 'rerank', modelServer: { image: 'x/rerank:1' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10)], engine: ScalingEngine.keda(),
    });
    expect(guard(app).check().findings.filter(f => f.rule !== GuardrailRule.GPU_PLACEMENT)).toEqual([]);
  });
});

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
});

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
});

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
});
