/**
 * A `cdk8s init typescript-app` project depends on cdk8s-plus-33, while the library is built on cdk8s-plus-28. The
 * two meet at `target` (an `ApiObject`, from any release) and at `Cpu` values (each release has its own class of the
 * same shape): both must work from cdk8s-plus-33 exactly as from cdk8s-plus-28.
 */
import { ApiObject, Size } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
import {
  BatchInferenceJob, EdgeInference, InferenceAutoscaler, ScalingMetric, VerticalAutoscaler,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const HTTP = { counter: 'http_requests_total' };

function ranker33(chart: ReturnType<typeof newChart>, replicas?: number): plus33.Deployment {
  return new plus33.Deployment(chart, 'ranker', {
    replicas,
    containers: [{
      image: 'example/ranker:2.1',
      ports: [{ number: 9000, name: 'http' }],
      securityContext: {
        user: 1000,
        capabilities: { drop: [plus33.Capability.ALL] },
        seccompProfile: { type: plus33.SeccompProfileType.RUNTIME_DEFAULT },
      },
      resources: {
        cpu: { request: plus33.Cpu.units(1), limit: plus33.Cpu.units(1) },
        memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
      },
    }],
  });
}

describe('a cdk8s-plus-33 workload as the target', () => {
  test('is scaled without replicas and scraped by a PodMonitor, every object valid', () => {
    const chart = newChart();
    const target = ranker33(chart);
    new InferenceAutoscaler(chart, 'ranker-scaling', {
      target: ApiObject.of(target), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)],
    });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'Deployment').spec.replicas).toBeUndefined();
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: target.name });
    expect(ofKind(manifests, 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('http');
  });

  test('replicas it was given are dropped: the HPA owns them (markHasAutoscaler of cdk8s-plus-33)', () => {
    const chart = newChart();
    const target = ranker33(chart, 5);
    new InferenceAutoscaler(chart, 'ranker-scaling', {
      target: ApiObject.of(target), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)],
    });
    expect(ofKind(expectConformant(chart), 'Deployment').spec.replicas).toBeUndefined();
  });

  test('a VPA over it, bounded by cdk8s-plus-33 Cpu values', () => {
    const chart = newChart();
    const target = ranker33(chart);
    new VerticalAutoscaler(chart, 'ranker-vpa', {
      target: ApiObject.of(target),
      containerPolicies: [{
        containerName: 'main',
        minAllowed: { cpu: plus33.Cpu.millis(250), memory: Size.mebibytes(512) },
        maxAllowed: { cpu: plus33.Cpu.units(4), memory: Size.gibibytes(8) },
      }],
    });
    const vpa = ofKind(expectConformant(chart), 'VerticalPodAutoscaler');
    expect(vpa.spec.resourcePolicy.containerPolicies).toEqual(expect.arrayContaining([
      expect.objectContaining({ minAllowed: expect.objectContaining({ cpu: '250m' }), maxAllowed: expect.objectContaining({ cpu: '4' }) }),
    ]));
  });
});

describe('cdk8s-plus-33 Cpu values in the props', () => {
  test('a model server\'s cpu', () => {
    const chart = newChart();
    new InferenceAutoscaler(chart, 'chat', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: plus33.Cpu.units(4), memory: Size.gibibytes(16) },
      maxReplicas: 4,
      metrics: [ScalingMetric.requestsPerSecond(10)],
    });
    const pod = ofKind(expectConformant(chart), 'Deployment').spec.template.spec;
    expect(pod.containers[0].resources.limits.cpu).toBe('4');
  });

  test('a batch job\'s cpu and an edge service\'s maxCpu', () => {
    const chart = newChart();
    new BatchInferenceJob(chart, 'embed', { image: 'example/embed:1.0', completions: 4, parallelism: 2, cpu: plus33.Cpu.millis(1500) });
    new EdgeInference(chart, 'edge', { modelServer: { image: 'vllm/vllm-openai:v0.12.0' }, maxCpu: plus33.Cpu.units(2) });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'Job').spec.template.spec.containers[0].resources.limits.cpu).toBe('1500m');
  });

  test('a Cpu-shaped object that is not a Cpu is still refused', () => {
    const chart = newChart();
    expect(() => new InferenceAutoscaler(chart, 'chat', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: { amount: '4' } as any },
      maxReplicas: 4,
      metrics: [ScalingMetric.requestsPerSecond(10)],
    })).toThrow(/'modelServer\.cpu' .* must be a Cpu/);
  });
});
