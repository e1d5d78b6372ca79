import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { EdgeInference, VpaUpdateMode } from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, newChart, ofKind } from '../util';

describe('EdgeInference', () => {
  test('one replica, sized vertically within tight limits (snapshot)', () => {
    const chart = newChart();
    new EdgeInference(chart, 'detector', {
      name: 'detector',
      modelServer: { image: 'example/detector:3.2', cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2) },
      maxCpu: kplus.Cpu.units(2),
      maxMemory: Size.gibibytes(3),
    });
    const manifests = expectConformant(chart);
    expect(manifests.map(m => m.kind)).toEqual(['Deployment', 'VerticalPodAutoscaler']);
    expect(ofKind(manifests, 'Deployment').spec.replicas).toBe(1);
    expect(allOfKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(0);
    const vpa = ofKind(manifests, 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Recreate', minReplicas: 1 });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toMatchObject({
      minAllowed: { cpu: '1', memory: '2048Mi' },
      maxAllowed: { cpu: '2', memory: '3072Mi' },
    });
    expect(ofKind(manifests, 'Deployment').spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(manifests).toMatchSnapshot();
  });

  test('defaults the ceiling to twice the request, and the update mode can be softened', () => {
    const chart = newChart();
    const edge = new EdgeInference(chart, 'e', { modelServer: { image: 'x/y:1' }, updateMode: VpaUpdateMode.INITIAL });
    const vpa = ofKind(expectConformant(chart), 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy.updateMode).toBe('Initial');
    expect(vpa.spec.resourcePolicy.containerPolicies[0].maxAllowed).toEqual({ cpu: '2000m', memory: '4096Mi' });
    expect(edge.footprint).toMatchObject({
      minReplicas: 1, maxReplicas: 1, fixedReplicas: 1, requests: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2), gpus: 0 },
    });
  });

  test('fails when the ceiling is below the server\'s own size', () => {
    expect(() => new EdgeInference(newChart(), 'e', { modelServer: { image: 'x/y:1', memory: Size.gibibytes(4) }, maxMemory: Size.gibibytes(2) })).toThrow(
      "[test/e] 'maxMemory' (\"2048Mi\") is below the model server's memory (4096Mi): raise maxMemory or lower modelServer.memory");
  });
});

describe('EdgeInference input checks', () => {
  test('fails when an env var name is not one Kubernetes accepts', () => {
    expect(() => new EdgeInference(newChart(), 'e', { modelServer: { image: 'x/y:1', env: { 'A B': '1' } } })).toThrow(
      "[test/e] 'modelServer.env' (\"A B\") has a name that is not an environment variable name: name variables with letters, digits, '_', '-' and '.', " +
      'not starting with a digit, e.g. HF_HOME');
  });

  test('fails when the preStop sleep is not shorter than the termination grace period', () => {
    expect(() => new EdgeInference(newChart(), 'e', { modelServer: { image: 'x/y:1', terminationGracePeriod: Duration.seconds(5) } })).toThrow(
      "[test/e] 'modelServer.drainDelay' (\"10s\") is not shorter than the termination grace period (5s): the kubelet kills the pod before its preStop " +
      'sleep ends, so in-flight requests are cut off: shorten drainDelay below 5 s, or lengthen terminationGracePeriod');
  });

  test('fails when the model server is missing', () => {
    expect(() => new EdgeInference(newChart(), 'e', {} as any)).toThrow(
      "[test/e] 'modelServer' (undefined) is required: give the model server, at least { image: 'registry/repository:tag' }");
  });
});
