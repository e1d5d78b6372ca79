import { Chart } from 'cdk8s';
import {
  CostAwareNodePool, GpuProduct, GpuRequest, GpuSharing, GuardrailRule, InstanceCatalog, MigProfile,
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
