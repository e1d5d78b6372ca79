import { ApiObject } from 'cdk8s';
import { GpuWorkPriorities, TeamGpuQuota, TeamGpuQuotaProps } from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, newChart } from '../util';

function expectError(props: TeamGpuQuotaProps, message: string, namespace?: string): void {
  let error: Error | undefined;
  try {
    new TeamGpuQuota(newChart({ namespace }), 'quota', props);
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message).toBe(message);
}

/** What the API server checks of a quota scope selector beyond the schema (core/v1 validation, 1.28). */
function expectValidScopes(quota: any): void {
  for (const e of quota.spec.scopeSelector?.matchExpressions ?? []) {
    expect(e.scopeName).toBe('PriorityClass');
    expect(['In', 'NotIn']).toContain(e.operator);
    expect(e.values.length).toBeGreaterThan(0);
  }
  // Extended resources such as GPUs take only `requests.` quotas, in whole units.
  for (const [resource, value] of Object.entries(quota.spec.hard)) {
    expect(resource).toBe('requests.nvidia.com/gpu');
    expect(String(value)).toMatch(/^\d+$/);
  }
}

describe('TeamGpuQuota', () => {
  test('a total and per-class GPU quotas in the team namespace, scoped by PriorityClass (snapshot)', () => {
    const chart = newChart();
    const priorities = new GpuWorkPriorities(chart, 'priorities');
    const quota = new TeamGpuQuota(chart, 'search-team', {
      namespace: 'search',
      name: 'gpus',
      maxGpus: 16,
      perPriorityClass: [
        { priorityClassName: priorities.realTimeInferenceClassName, maxGpus: 8 },
        { priorityClassName: priorities.trainingClassName, maxGpus: 4 },
      ],
    });
    const quotas = allOfKind(expectConformant(chart), 'ResourceQuota');
    expect(quotas.map(q => [q.metadata.namespace, q.metadata.name, q.spec.hard, q.spec.scopeSelector?.matchExpressions])).toEqual([
      ['search', 'gpus', { 'requests.nvidia.com/gpu': '16' }, undefined],
      ['search', 'gpus-gpu-real-time-inference', { 'requests.nvidia.com/gpu': '8' },
        [{ scopeName: 'PriorityClass', operator: 'In', values: ['gpu-real-time-inference'] }]],
      ['search', 'gpus-gpu-training', { 'requests.nvidia.com/gpu': '4' },
        [{ scopeName: 'PriorityClass', operator: 'In', values: ['gpu-training'] }]],
    ]);
    quotas.forEach(expectValidScopes);
    expect(quota.namespace).toBe('search');
    expect(quota.totalQuota && ApiObject.of(quota)).toBe(quota.totalQuota);
    expect(quota.priorityClassQuotas.map(q => q.name)).toEqual(['gpus-gpu-real-time-inference', 'gpus-gpu-training']);
    expect(quotas).toMatchSnapshot();
  });

  test('defaults to the chart namespace and generated names', () => {
    const chart = newChart({ namespace: 'team-a' });
    new TeamGpuQuota(chart, 'quota', { maxGpus: 4 });
    const [quota] = allOfKind(expectConformant(chart), 'ResourceQuota');
    expect(quota.metadata.namespace).toBe('team-a');
    expect(quota.metadata.name).toMatch(/^test-quota-[0-9a-f]{8}$/);
    expect(quota.spec).toEqual({ hard: { 'requests.nvidia.com/gpu': '4' } });
  });

  test('per-class caps without a total; zero keeps a team off a class', () => {
    const chart = newChart();
    const quota = new TeamGpuQuota(chart, 'quota', {
      namespace: 'research',
      perPriorityClass: [{ priorityClassName: 'gpu-real-time-inference', maxGpus: 0 }, { priorityClassName: 'gpu-training', maxGpus: 32 }],
    });
    const quotas = allOfKind(expectConformant(chart), 'ResourceQuota');
    expect(quota.totalQuota).toBeUndefined();
    expect(quotas.map(q => q.spec.hard['requests.nvidia.com/gpu'])).toEqual(['0', '32']);
    expect(quotas.map(q => q.spec.scopeSelector.matchExpressions[0].values)).toEqual([['gpu-real-time-inference'], ['gpu-training']]);
    quotas.forEach(expectValidScopes);
  });

  describe('fails', () => {
    test('without a namespace, or with one that is not a DNS-1123 label', () => {
      expectError({ maxGpus: 4 },
        "[test/quota] 'namespace' (undefined) is missing, and the chart has no namespace either: " +
        'give the team\'s namespace, e.g. namespace: "team-a" (a quota applies to one namespace)');
      expectError({ namespace: 'Team_A', maxGpus: 4 },
        "[test/quota] 'namespace' (\"Team_A\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', " +
        'starting and ending with a letter or digit): use a name such as "team-a"');
    });

    test('with nothing to limit', () => {
      expectError({}, "[test/quota] 'maxGpus' (undefined) and 'perPriorityClass' are both missing, so there is nothing to limit: " +
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both', 'team-a');
      expectError({ perPriorityClass: [] }, "[test/quota] 'maxGpus' (undefined) and 'perPriorityClass' are both missing, so there is nothing to limit: " +
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both', 'team-a');
    });

    test('with GPU counts that are not whole numbers of zero or more', () => {
      expectError({ maxGpus: 2.5 }, "[test/quota] 'maxGpus' (2.5) must be a whole number from 0 to 1000000: " +
        'give the whole number of GPUs the team may request at once (0: none)', 'team-a');
      expectError({ perPriorityClass: [{ priorityClassName: 'gpu-training', maxGpus: -1 }] },
        "[test/quota] 'perPriorityClass[0].maxGpus' (-1) must be a whole number from 0 to 1000000: " +
        'give the whole number of GPUs this class may request at once (0: none)', 'team-a');
    });

    test('with a class name that cannot name a PriorityClass, or a class capped twice', () => {
      expectError({ perPriorityClass: [{ priorityClassName: 'Training', maxGpus: 1 }] },
        "[test/quota] 'perPriorityClass[0].priorityClassName' (\"Training\") is not a PriorityClass name (a DNS-1123 subdomain: " +
        "lowercase letters, digits, '-' and '.', at most 253 characters): give the name of a PriorityClass, e.g. priorities.trainingClassName", 'team-a');
      expectError({ perPriorityClass: [{ priorityClassName: 'gpu-training', maxGpus: 1 }, { priorityClassName: 'gpu-training', maxGpus: 2 }] },
        "[test/quota] 'perPriorityClass[1].priorityClassName' (\"gpu-training\") is already capped by perPriorityClass[0]: " +
        'keep one cap per class: two quotas on one class both apply, and the lower one wins', 'team-a');
    });

    test('with a name that makes a per-class quota name too long', () => {
      const longClass = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}`;
      expectError({ name: 'gpus', perPriorityClass: [{ priorityClassName: longClass, maxGpus: 1 }] },
        "[test/quota] 'name' (\"gpus\") makes the quota name of perPriorityClass[0] longer than 253 characters: shorten the name", 'team-a');
    });
  });
});
