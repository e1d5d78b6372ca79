import { ApiObject, Chart, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CostAwareNodePool, GpuProduct, GpuRequest, GpuSharing, GuardrailRule, InferenceAutoscaler, InstanceCatalog, MigProfile, ModelArchitecture,
  ModelSizer, ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { chatService, guard, messages, newApp, poolProps } from '../guardrails/util';
import { errorOf } from '../util';

const aws = InstanceCatalog.awsGpu();
const g6 = aws.types.filter(t => t.name === 'g6.12xlarge'); // 4 x L4 (24 GiB)
const p4de = aws.types.filter(t => t.name === 'p4de.24xlarge'); // 8 x A100 80GB

describe('GPU sharing values', () => {
  test('MIG profiles per GPU model, from the MIG User Guide', () => {
    expect(MigProfile.profilesOf(GpuProduct.A100).map(p => p.name)).toEqual(['1g.5gb', '1g.10gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb']);
    expect(MigProfile.profilesOf(GpuProduct.H200).map(p => p.name)).toEqual(['1g.18gb', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb']);
    expect(MigProfile.of('1g.10gb').instancesPerGpu(GpuProduct.A100_80GB)).toBe(7);
    expect(MigProfile.of('1g.10gb').instancesPerGpu(GpuProduct.A100)).toBe(4);
    expect(MigProfile.of('1g.10gb').instancesPerGpu(GpuProduct.L4)).toBe(0);
    expect(MigProfile.of('1g.10gb').resourceName).toBe('nvidia.com/mig-1g.10gb');
    expect(MigProfile.profilesOf(GpuProduct.L4)).toEqual([]);
  });

  test('requests: a time-sliced share and a MIG instance, one of the device plugin\'s resources each', () => {
    const shared = GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 });
    expect([shared.resourceName, shared.count, shared.gpus]).toEqual(['nvidia.com/gpu.shared', 1, 0]);
    const mig = GpuRequest.mig(MigProfile.of('1g.10gb'), { gpuProduct: GpuProduct.A100_80GB });
    expect([mig.resourceName, mig.count]).toEqual(['nvidia.com/mig-1g.10gb', 1]);
    expect(GpuSharing.timeSlicing(4).memoryPerShare(GpuProduct.L4).toGibibytes()).toBe(6);
  });

  test('fails when the MIG profile is not one of the GPU model\'s', () => {
    expect(errorOf(() => GpuRequest.mig(MigProfile.of('1g.5gb'), { gpuProduct: GpuProduct.A100_80GB }))).toBe(
      "[GpuRequest.mig] 'profile' (\"1g.5gb\") is not a MIG profile of a100 (80 GiB): use one of 1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb");
    expect(errorOf(() => MigProfile.of('8g.10gb'))).toContain('is not a MIG profile name');
    expect(errorOf(() => GpuSharing.timeSlicing(1))).toContain("'replicasPerGpu'");
  });
});

describe('CostAwareNodePool gpuSharing', () => {
  test('time-slicing: device plugin config, node labels, and (opt-in) NodeOverlays, all conformant', () => {
    const { app } = newApp();
    const chart = new Chart(app, 'capacity');
    const pool = new CostAwareNodePool(chart, 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4), nodeOverlay: true }));
    const manifests = expectConformant(chart);
    const cm = manifests.find(m => m.kind === 'ConfigMap');
    expect(cm.metadata).toEqual({ name: 'l4-shared-device-plugin', namespace: 'gpu-operator' });
    expect(cm.data['time-sliced-4']).toBe([
      'version: v1', 'flags:', '  migStrategy: none', 'sharing:', '  timeSlicing:', '    renameByDefault: true',
      '    failRequestsGreaterThanOne: true', '    resources:', '      - name: nvidia.com/gpu', '        replicas: 4', '',
    ].join('\n'));
    const np = manifests.find(m => m.kind === 'NodePool');
    expect(np.spec.template.metadata.labels).toMatchObject({ 'nvidia.com/device-plugin.config': 'time-sliced-4', 'ml-scaling/gpu-sharing': 'time-sliced-4' });
    const overlay = manifests.find(m => m.kind === 'NodeOverlay');
    expect(overlay.spec).toEqual({
      requirements: [
        { key: 'karpenter.sh/nodepool', operator: 'In', values: ['l4-shared'] },
        { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'In', values: ['4'] },
      ],
      capacity: { 'nvidia.com/gpu.shared': '16' },
    });
    expect(pool.sharingObjects).toHaveLength(2);
  });

  test('NodeOverlays are not written unless asked for (Karpenter feature gate nodeOverlay is off by default)', () => {
    const chart = new Chart(newApp().app, 'capacity');
    new CostAwareNodePool(chart, 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4) }));
    expect(expectConformant(chart).map(m => m.kind)).not.toContain('NodeOverlay');
  });

  test('MIG: mig.config label; fails when a GPU model of the pool lacks the profile', () => {
    const chart = new Chart(newApp().app, 'capacity');
    new CostAwareNodePool(chart, 'a100', poolProps('a100-mig', p4de, { gpuSharing: GpuSharing.mig(MigProfile.of('1g.10gb')), nodeOverlay: true }));
    const manifests = expectConformant(chart);
    expect(manifests.find(m => m.kind === 'NodePool').spec.template.metadata.labels['nvidia.com/mig.config']).toBe('all-1g.10gb');
    expect(manifests.find(m => m.kind === 'NodeOverlay').spec.capacity).toEqual({ 'nvidia.com/mig-1g.10gb': '56' });
    expect(errorOf(() => new CostAwareNodePool(new Chart(newApp().app, 'c'), 'l4', poolProps('l4', g6, { gpuSharing: GpuSharing.mig(MigProfile.of('1g.10gb')) }))))
      .toBe("[c/l4] 'gpuSharing' (\"mig 1g.10gb\") is not a MIG profile of g6.12xlarge's l4 (24 GiB): drop g6.12xlarge (no MIG), or use GpuSharing.timeSlicing");
  });
});

describe('guardrails with shared GPUs', () => {
  test('a time-sliced pod fits a time-sliced pool', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4) }));
    expect(messages(guard(app), GuardrailRule.GPU_PLACEMENT)).toEqual([]);
  });

  test('fails when a shared request lands on a pool that does not share', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-whole', g6));
    expect(messages(guard(app), GuardrailRule.GPU_PLACEMENT)).toEqual([expect.stringContaining(
      "on 'l4-whole' (capacity/l4), its nodes advertise no nvidia.com/gpu.shared: the pool does not share its GPUs (give its CostAwareNodePool gpuSharing)")]);
  });
});

describe('gpu-sharing', () => {
  test('RULES.md worked example: 4 GPUs x 4 replicas hold 16 shares; 12 replicas + 3 surge fit, 20 + 5 do not', () => {
    const build = (maxReplicas: number) => {
      const { app, chart } = newApp();
      chatService(chart, 'chat', maxReplicas, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 }));
      new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4), maxGpus: 4 }));
      return messages(guard(app), GuardrailRule.GPU_SHARING);
    };
    expect(build(12)).toEqual([]);
    expect(build(20)).toEqual([
      "[capacity/l4] gpu-sharing: NodePool 'l4-shared' shares each GPU 4 ways (nvidia.com/gpu.shared): its GPU limit of 4 holds 16, " +
      'but with every workload at its maximum it needs 25 (over by 9); charged to it: apps/chat 25: raise the pool\'s budgetUsdPerHour or ' +
      'maxGpus, share each GPU more ways, or lower the workloads\' maxReplicas',
    ]);
  });
});

/** Qwen2.5-1.5B (config.json: 28 layers, 2 KV heads, head dim 1536 / 12 = 128; 1.54B parameters), bf16 on an L4. */
const QWEN_1_5B = ModelArchitecture.of({ name: 'qwen2.5-1.5b', parameterCountBillions: 1.54, layers: 28, kvHeads: 2, headDim: 128 });

/** A small model server on one GPU share: 1 vCPU and 4 GiB, so the share, not the CPU, is what a pod costs. */
function smallServer(scope: Construct, id: string, maxReplicas: number, gpu: GpuRequest): InferenceAutoscaler {
  return new InferenceAutoscaler(scope, id, {
    name: id,
    modelServer: { image: 'example/reranker:1.4', cpu: kplus.Cpu.units(1), memory: Size.gibibytes(4), gpu },
    maxReplicas,
    metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })],
  });
}

describe('gpu-sharing: the GPU memory of a share', () => {
  const gib = (s: Size) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });

  test('RULES.md worked example: ModelSizer\'s 7.37 GiB does not fit an L4 shared 4 ways (6 GiB); at concurrency 8 (5.62 GiB) it does', () => {
    const plan = ModelSizer.size({ model: QWEN_1_5B, gpuProduct: GpuProduct.L4 }); // contextLength 8192, concurrency 16
    // 1.54e9 x 2 bytes = 2.87 GiB of weights; 2 x 28 x 2 x 128 x 2 bytes x 8192 x 16 = 3.5 GiB of KV cache; 1 GiB reserve.
    expect(gib(plan.weights)).toBeCloseTo(2.8685, 4);
    expect(gib(plan.kvCache)).toBe(3.5);
    expect(gib(plan.requiredGpuMemory)).toBeCloseTo(7.3685, 4);
    const build = (requiredGpuMemory: Size) => {
      const { app, chart } = newApp();
      smallServer(chart, 'reranker', 8, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4, requiredGpuMemory }));
      new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4) }));
      return messages(guard(app), GuardrailRule.GPU_SHARING);
    };
    expect(build(plan.requiredGpuMemory)).toEqual([
      "[apps/reranker] gpu-sharing: Deployment 'reranker' needs 7.37 GiB of GPU memory per pod (its requiredGpuMemory), but NodePool " +
      "'l4-shared' shares each l4 (24 GiB) 4 ways, so a share has 6 GiB (short by 1.37 GiB): time-slicing does not partition memory, so " +
      'pods that take more than their share leave the others on the GPU without memory, and they fail with out-of-memory errors: share ' +
      "each GPU 3 ways (GpuSharing.timeSlicing(3) gives 8 GiB a share), or lower the pod's context length or concurrency",
    ]);
    const smaller = ModelSizer.size({ model: QWEN_1_5B, gpuProduct: GpuProduct.L4, concurrency: 8 });
    expect(gib(smaller.requiredGpuMemory)).toBeCloseTo(5.6185, 4);
    expect(build(smaller.requiredGpuMemory)).toEqual([]);
  });

  test('the need is on the pod template as an annotation, and a hand-written pod\'s annotation is read', () => {
    const build = (ways: number) => {
      const { app, chart } = newApp();
      smallServer(chart, 'reranker', 4, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4, requiredGpuMemory: Size.gibibytes(7) }));
      // A hand-written Deployment on one share, needing 10 GiB: under an HPA, so the guardrails charge it.
      handWrittenEmbedder(chart, '10Gi', 'nvidia.com/gpu.shared', { 'karpenter.k8s.aws/instance-gpu-name': 'l4' });
      new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(ways) }));
      const deployment = chart.toJson().find((m: any) => m.kind === 'Deployment' && m.metadata.name === 'reranker');
      expect(deployment.spec.template.metadata.annotations).toEqual({ 'cdk8s-ml-scaling/required-gpu-memory': '7Gi' });
      return messages(guard(app), GuardrailRule.GPU_SHARING);
    };
    // 24 GiB over 2 is 12 GiB: the reranker's 7 fit, the embedder's 10 too; over 3 (8 GiB) only the reranker's.
    expect(build(2)).toEqual([]);
    expect(build(3)).toEqual([expect.stringMatching(/^\[apps\/embedder\] gpu-sharing: Deployment 'embedder' needs 10 GiB .* so a share has 8 GiB \(short by 2 GiB\): .* share each GPU 2 ways/)]);
  });

  test('a hand-written pod on a MIG instance smaller than its need is a finding, with the larger profiles', () => {
    const { app, chart } = newApp();
    handWrittenEmbedder(chart, '12Gi', 'nvidia.com/mig-1g.10gb');
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a100', poolProps('a100-mig', p4de, { gpuSharing: GpuSharing.mig(MigProfile.of('1g.10gb')) }));
    // 10 GB (10^10 bytes) is 9536 MiB, 9.31 GiB.
    expect(messages(guard(app), GuardrailRule.GPU_SHARING)).toEqual([
      "[apps/embedder] gpu-sharing: Deployment 'embedder' needs 12 GiB of GPU memory per pod (its requiredGpuMemory), but NodePool 'a100-mig' " +
      'gives each pod a 1g.10gb MIG instance of a100 with 9.31 GiB (short by 2.69 GiB): the model does not fit in it, and the pod fails with ' +
      "out-of-memory errors when it loads: partition the GPUs into a larger profile (1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb), or lower the pod's " +
      'context length or concurrency',
    ]);
  });

  test.each<[string, () => unknown, string]>([
    ['a need on whole GPUs', () => GpuRequest.of(1, { requiredGpuMemory: Size.gibibytes(8) }),
      "[GpuRequest.of] 'options.requiredGpuMemory' (8Gi) applies to a share of a GPU only (GpuRequest.timeSliced, GpuRequest.mig): leave it out " +
      "for whole GPUs (ModelSizer's gpusPerReplica sizes them), or ask for a share"],
    ['a need of zero', () => GpuRequest.timeSliced({ requiredGpuMemory: Size.gibibytes(0) }),
      "[GpuRequest.timeSliced] 'options.requiredGpuMemory' (0Gi) is not above zero: give the GPU memory one pod needs, e.g. " +
      'ModelSizer.size({ ... }).requiredGpuMemory or Size.gibibytes(5), or leave it out'],
    ['a need that is not a Size', () => GpuRequest.timeSliced({ requiredGpuMemory: 8 as any }), "'options.requiredGpuMemory' (8) must be a Size"],
    ['a MIG profile smaller than the need', () => GpuRequest.mig(MigProfile.of('1g.10gb'), { gpuProduct: GpuProduct.A100_80GB, requiredGpuMemory: Size.gibibytes(12) }),
      "[GpuRequest.mig] 'options.requiredGpuMemory' (12Gi) is more than the 9536 MiB of a 1g.10gb MIG instance, so the model does not fit in it: " +
      'use a larger profile (1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb)'],
  ])('fails on %s', (_, build, message) => {
    expect(errorOf(build)).toContain(message);
  });
});

describe('the bill and budget-ceiling price a GPU share at its instance type over the shares it holds', () => {
  test('time-slicing: g6.12xlarge (4 L4) shared 4 ways is 16 shares, so a share costs its price / 16', () => {
    const { app, chart } = newApp();
    smallServer(chart, 'reranker', 8, GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'l4', poolProps('l4-shared', g6, { gpuSharing: GpuSharing.timeSlicing(4) }));
    const report = guard(app).check();
    // 8 replicas + 2 surge: 10 shares. Their 10 vCPU would cost only price x 10 / 48.
    const pool = report.nodePools.find(p => p.name === 'l4-shared')!;
    expect(pool.costMicroUsdPerHour).toBe(Math.floor((10 * g6[0].priceMicroUsdPerHour) / 16));
    expect(pool.demand.gpuShares).toEqual({ 'nvidia.com/gpu.shared': 10 });
  });

  test('MIG: p4de.24xlarge (8 A100 80GB) in 1g.10gb is 56 instances, so one costs its price / 56', () => {
    const { app, chart } = newApp();
    smallServer(chart, 'reranker', 8, GpuRequest.mig(MigProfile.of('1g.10gb'), { gpuProduct: GpuProduct.A100_80GB }));
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a100', poolProps('a100-mig', p4de, { gpuSharing: GpuSharing.mig(MigProfile.of('1g.10gb')), budgetUsdPerHour: 100 }));
    const guardrails = guard(app);
    const pool = guardrails.check().nodePools.find(p => p.name === 'a100-mig')!;
    expect(pool.costMicroUsdPerHour).toBe(Math.floor((10 * p4de[0].priceMicroUsdPerHour) / 56));
    const line = guardrails.bill().workloads.find(w => w.name === 'reranker')!;
    expect(line.worstCaseMicroUsdPerHour).toBe(Math.floor((10 * p4de[0].priceMicroUsdPerHour) / 56));
  });
});

/** A hand-written Deployment on one GPU share (`resource`), needing `need` of GPU memory, under an HPA of 1 to 2 replicas. */
function handWrittenEmbedder(chart: Chart, need: string, resource: string, nodeSelector?: { [key: string]: string }): void {
  new ApiObject(chart, 'embedder', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'embedder' },
    spec: {
      selector: { matchLabels: { app: 'embedder' } },
      template: {
        metadata: { labels: { app: 'embedder' }, annotations: { 'cdk8s-ml-scaling/required-gpu-memory': need } },
        spec: {
          containers: [{ name: 'main', image: 'example/embedder:1.0', resources: { limits: { cpu: '1', memory: '4Gi', [resource]: '1' } } }],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          ...(nodeSelector ? { nodeSelector } : {}),
        },
      },
    },
  });
  new ApiObject(chart, 'embedder-hpa', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'embedder' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'embedder' },
      minReplicas: 1,
      maxReplicas: 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
}
