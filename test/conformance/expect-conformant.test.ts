import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import * as f from './fixtures';
import { conformanceAvailability, describeWithSchemas, expectConformant } from './index';

/** A chart with a restricted cdk8s-plus Deployment and an autoscaling/v2 HPA on it. */
function inferenceChart(app = Testing.app(), id = 'inference'): Chart {
  const chart = new Chart(app, id, { namespace: 'ml-serving' });
  const deployment = new kplus.Deployment(chart, 'server', {
    securityContext: { ensureNonRoot: true, user: 1000 },
    containers: [{
      image: 'ghcr.io/example/llm-server:1.4.2',
      portNumber: 8000,
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
      },
      securityContext: {
        ensureNonRoot: true,
        user: 1000,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  deployment.markHasAutoscaler();
  new k8s.KubeHorizontalPodAutoscalerV2(chart, 'hpa', {
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  return chart;
}

describe('expectConformant', () => {
  test('synthesizes a Chart, returns its manifests and accepts a conformant one', () => {
    const manifests = expectConformant(inferenceChart());
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'HorizontalPodAutoscaler']);
  });

  test('accepts an App (every chart) and a plain array of manifests', () => {
    const app = Testing.app();
    inferenceChart(app, 'a');
    inferenceChart(app, 'b');
    expect(expectConformant(app)).toHaveLength(4);
    expect(expectConformant(f.allValid())).toHaveLength(f.allValid().length);
  });

  test('throws ONE error listing every violation as kind/name: path: message', () => {
    const chart = new Chart(Testing.app(), 'broken');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'My_Service' }, spec: { ports: [{ port: 80 }] } });
    new kplus.Deployment(chart, 'default-security', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    let thrown: Error | undefined;
    try {
      expectConformant(chart);
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown).toBeDefined();
    const lines = thrown!.message.split('\n');
    expect(lines[0]).toMatch(/^\d+ conformance violation\(s\) in 2 object\(s\):$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}- Service\/My_Service: metadata\.name: "My_Service" is not valid for a Service/));
    // cdk8s-plus defaults are not "restricted": no seccomp profile, capabilities not dropped.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}- Deployment\/broken-[\w-]+: spec\.template\.spec\.containers\[0\]\.securityContext: .*seccompProfile/));
    expect(lines).toContainEqual(expect.stringMatching(/capabilities\.drop=\["ALL"\] \[capabilities_restricted\]$/));
  });

  test('rejects a manifest array with a Go-validation error (maxReplicas 0)', () => {
    const hpa = f.hpa();
    hpa.spec.maxReplicas = 0;
    expect(() => expectConformant([hpa])).toThrow(/HorizontalPodAutoscaler\/llm-server: spec\.maxReplicas: must be greater than or equal to 1/);
  });
});

describeWithSchemas('expectConformant with schemas', () => {
  test('rejects a field the schema does not know in a synthesized chart (an autoscaling/v1 field in v2)', () => {
    const chart = new Chart(Testing.app(), 'legacy');
    const hpa = new ApiObject(chart, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'server' }, maxReplicas: 4 },
    });
    hpa.addJsonPatch(JsonPatch.add('/spec/targetCPUUtilizationPercentage', 70));
    expect(() => expectConformant(chart)).toThrow(/HorizontalPodAutoscaler\/legacy-hpa-\w+: spec: unknown field "targetCPUUtilizationPercentage"/);
  });

  test('schemas are available here', () => {
    expect(conformanceAvailability().available).toBe(true);
  });
});
