import { isStandardCron, KARPENTER_CHECK } from './karpenter';
import * as f from '../fixtures';

const check = (...objects: any[]) => KARPENTER_CHECK.check(objects);

describe('Karpenter v1.14.1 NodePool runtime validation', () => {
  test('accepts the fixtures', () => {
    expect(check(f.nodePool(), f.ec2NodeClass())).toEqual([]);
  });

  test('a capacity-type requirement with no known value', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements[0].values = ['preemptible'];
    expect(check(np)).toEqual(['NodePool/gpu: spec.template.spec.requirements[0]: no valid values found in ["preemptible"] for karpenter.sh/capacity-type, '
      + 'expected one of: ["on-demand","spot","reserved"]']);
  });

  test('fewer known values than minValues', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements[0] = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'cheap'], minValues: 2 };
    expect(check(np)).toEqual([expect.stringContaining('requirements[0]: not enough valid values found in ["spot","cheap"] for karpenter.sh/capacity-type')]);
  });

  test('a requirement key that is not a qualified name, and a value that is not a label value', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements.push({ key: 'example.com/a/b', operator: 'Exists' });
    np.spec.template.spec.requirements[3].values = ['amd 64'];
    expect(check(np)).toEqual([
      expect.stringContaining('requirements[3]: invalid value amd 64 for key kubernetes.io/arch'),
      expect.stringContaining('requirements[4]: key example.com/a/b is not a qualified name'),
    ]);
  });

  test('a template label value that is not a label value', () => {
    const np = f.nodePool();
    np.spec.template.metadata.labels['example.com/workload'] = 'gpu inference';
    expect(check(np)).toEqual([expect.stringContaining('spec.template.metadata.labels[example.com/workload]: invalid value: gpu inference for label[example.com/workload]')]);
  });

  test('a duplicate taint key/effect across taints and startupTaints', () => {
    const np = f.nodePool();
    np.spec.template.spec.startupTaints = [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }];
    expect(check(np)).toEqual(['NodePool/gpu: spec.template.spec.startupTaints[0]: duplicate taint Key/Effect pair nvidia.com/gpu=NoSchedule']);
  });

  test('a taint value that is not a qualified name (stricter than Kubernetes)', () => {
    const np = f.nodePool();
    np.spec.template.spec.taints[0].value = 'a/b/c';
    expect(check(np)).toEqual([expect.stringContaining('taints[0].value: invalid value: a qualified name must be [prefix/]name')]);
  });

  test('a disruption budget schedule that does not parse allows no disruption', () => {
    const np = f.nodePool();
    np.spec.disruption.budgets[1].schedule = '0 25 * * mon-fri';
    expect(check(np)).toEqual(['NodePool/gpu: spec.disruption.budgets[1].schedule: invalid cron "0 25 * * mon-fri": the budget allows no disruption at all']);
  });

  test.each([
    ['0 9 * * mon-fri', true], ['*/15 * * * *', true], ['@daily', true], ['0 0 1 jan,jul ?', true],
    ['0 9 * *', false], ['60 * * * *', false], ['0 9 * * 7', false], ['@fortnightly', false], ['0 9-5 * * *', false],
  ])('parses %s as robfig/cron ParseStandard would: %s', (expr, ok) => {
    expect(isStandardCron(expr)).toBe(ok);
  });
});
