/**
 * One app per construct option that changes what the operators see (every VPA update mode, Ray with several worker
 * groups, Kueue-queued Ray jobs, a disabled HPA direction under both engines), each passing the whole conformance
 * check: schemas, CEL, Pod Security and every operator check (Kubernetes, VPA, KubeRay, Kueue, Karpenter, ...).
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectConformant } from '.';
import { OPERATOR_CHECKS } from './operators';
import {
  ElasticRayTraining, GpuRequest, HpaScalingPolicyType, HpaSelectPolicy, HyperparameterSearch, InferenceAutoscaler, RayAutoscalerVersion,
  ScalingBehavior, ScalingEngine, ScalingMetric, VerticalAutoscaler, VpaContainerMode, VpaFeatureGate, VpaUpdateMode,
} from '../../src';
import { newChart, ofKind } from '../util';

const securityContext: kplus.ContainerSecurityContextProps = {
  user: 1000,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

test('the operator checks are registered', () => {
  expect(OPERATOR_CHECKS.map((c) => c.source)).toEqual(expect.arrayContaining([
    'Kubernetes v1.28.0', 'VPA 1.7.1', 'KubeRay v1.7.0', 'Kueue v0.19.2', 'Karpenter v1.14.1',
  ]));
});

describe('VerticalAutoscaler: every update mode', () => {
  const modes = [VpaUpdateMode.OFF, VpaUpdateMode.INITIAL, VpaUpdateMode.RECREATE, VpaUpdateMode.IN_PLACE_OR_RECREATE, VpaUpdateMode.IN_PLACE];
  test.each(modes)('%s', (mode) => {
    const chart = newChart({ namespace: 'serving' });
    const target = ApiObject.of(new kplus.Deployment(chart, 'embedder', {
      metadata: { name: 'embedder' },
      replicas: 2,
      containers: [
        { name: 'server', image: 'example/embedder:1.0', securityContext, resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) } } },
        { name: 'proxy', image: 'example/proxy:1.0', securityContext, resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } } },
      ],
    }));
    new VerticalAutoscaler(chart, 'vpa', {
      target,
      updateMode: mode,
      // InPlace is the one mode VPA 1.7.1 gates (alpha InPlace, off by default): acknowledged here.
      enabledFeatureGates: mode === VpaUpdateMode.IN_PLACE ? [VpaFeatureGate.IN_PLACE] : undefined,
      containerPolicies: [{ containerName: 'server' }, { containerName: 'proxy', mode: VpaContainerMode.OFF }],
    });
    const vpa = ofKind(expectConformant(chart), 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy.updateMode).toBe(mode);
  });
});

describe('Ray with several worker groups', () => {
  test.each([[RayAutoscalerVersion.V2], [RayAutoscalerVersion.V1]])('ElasticRayTraining, autoscaler %s, CPU and GPU groups', (version) => {
    const chart = newChart({ namespace: 'training' });
    new ElasticRayTraining(chart, 'train', {
      name: 'llm-train',
      autoscaler: { version },
      workerGroups: [
        { name: 'cpu', minReplicas: 0, maxReplicas: 4, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32) },
        { name: 'gpu-a10g', minReplicas: 0, maxReplicas: 8, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpu: GpuRequest.of(1) },
        { name: 'gpu-multi', minReplicas: 1, maxReplicas: 2, replicas: 1, cpu: kplus.Cpu.units(32), memory: Size.gibibytes(128), gpu: GpuRequest.of(4) },
      ],
    });
    const cluster = ofKind(expectConformant(chart), 'RayCluster');
    expect(cluster.spec.workerGroupSpecs.map((g: any) => g.groupName)).toEqual(['cpu', 'gpu-a10g', 'gpu-multi']);
  });

  test('HyperparameterSearch, elastic (autoscaler v2)', () => {
    const chart = newChart({ namespace: 'research' });
    new HyperparameterSearch(chart, 'tune', { name: 'tune-llm', entrypoint: 'python tune.py', trialResources: { vcpus: 2, gpus: 0.5 }, samples: 64, maxConcurrentTrials: 8 });
    expect(ofKind(expectConformant(chart), 'RayJob').spec.rayClusterSpec.enableInTreeAutoscaling).toBe(true);
  });
});

describe('Kueue', () => {
  test('HyperparameterSearch queued: a fixed cluster Kueue admits as a whole, deleted after the job', () => {
    const chart = newChart({ namespace: 'research' });
    new HyperparameterSearch(chart, 'tune', {
      name: 'tune-llm',
      entrypoint: 'python tune.py',
      trialResources: { vcpus: 2, gpus: 0.5 },
      samples: 64,
      maxConcurrentTrials: 8,
      kueueQueue: 'research',
      suspend: true,
    });
    const job = ofKind(expectConformant(chart), 'RayJob');
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('research');
    expect(job.spec.rayClusterSpec.enableInTreeAutoscaling).toBe(false);
    // What Kueue would refuse if the construct let autoscaling through with a queue:
    job.spec.rayClusterSpec.enableInTreeAutoscaling = true;
    expect(() => expectConformant([job])).toThrow(/a kueue managed job should only use autoscaling when workload slicing is enabled/);
  });

  test('HyperparameterSearch queued for MultiKueue', () => {
    const chart = newChart({ namespace: 'research' });
    new HyperparameterSearch(chart, 'tune', {
      name: 'tune-llm',
      entrypoint: 'python tune.py',
      trialResources: { vcpus: 2 },
      samples: 8,
      maxConcurrentTrials: 4,
      kueueQueue: 'research',
      multiKueue: true,
    });
    expect(ofKind(expectConformant(chart), 'RayJob').spec.managedBy).toBe('kueue.x-k8s.io/multikueue');
  });
});

describe('a scale-down disabled with an empty policy list (defect 5)', () => {
  const behavior = ScalingBehavior.custom({
    scaleUp: { policies: [{ type: HpaScalingPolicyType.PODS, value: 2, period: Duration.minutes(1) }] },
    scaleDown: { selectPolicy: HpaSelectPolicy.DISABLED, policies: [] },
  });

  test.each([['hpa', ScalingEngine.hpa()], ['keda', ScalingEngine.keda()]])('is accepted with the %s engine', (name, engine) => {
    const chart = newChart({ namespace: 'serving' });
    const autoscaler = new InferenceAutoscaler(chart, 'chat', {
      name: 'chat',
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
      maxReplicas: 6,
      metrics: [ScalingMetric.vllmWaitingRequests(5)],
      behavior,
      engine,
    });
    // Defect 8 (the 600 s progress deadline below the model server's 900 s startup budget) is fixed elsewhere; the
    // escape hatch keeps this test about the behavior alone.
    autoscaler.deployment.addJsonPatch(JsonPatch.replace('/spec/progressDeadlineSeconds', 1200));
    const manifests = expectConformant(chart);
    const written = name === 'hpa'
      ? ofKind(manifests, 'HorizontalPodAutoscaler').spec.behavior
      : ofKind(manifests, 'ScaledObject').spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(written.scaleDown).toEqual({ selectPolicy: 'Disabled' });
    if (name === 'hpa') {
      // The old output, with the empty list, fails the API server's HPA validation.
      const hpa = structuredClone(ofKind(manifests, 'HorizontalPodAutoscaler'));
      hpa.spec.behavior.scaleDown.policies = [];
      expect(() => expectConformant([hpa])).toThrow(/scaleDown\.policies: Required value: must specify at least one Policy/);
    }
  });
});
