import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  CostAwareNodePool, GpuProduct, GpuRequest, GpuWorkPriorities, InstanceCatalog, KueueQueues, NodePoolPurpose, ScalingGuardrails, TeamGpuQuota,
  TeamGpuQuotaProps, BatchInferenceJob,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, errorOf, newChart } from '../util';

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
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both; or kueue for a Kueue ClusterQueue', 'team-a');
      expectError({ perPriorityClass: [] }, "[test/quota] 'maxGpus' (undefined) and 'perPriorityClass' are both missing, so there is nothing to limit: " +
        'give maxGpus (all the team\'s GPUs), perPriorityClass (GPUs per class), or both; or kueue for a Kueue ClusterQueue', 'team-a');
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

describe('TeamGpuQuota with kueue: the quota enforced by Kueue admission', () => {
  const nodeClass = {
    role: 'KarpenterNodeRole-ml',
    subnetTags: { 'karpenter.sh/discovery': 'ml' },
    securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
    amiAlias: 'al2023@v20251015',
  };
  const aws = InstanceCatalog.awsGpu();
  /** An app with an A10G pool, KueueQueues in cohort 'ml' with the batch team, and GpuWorkPriorities. */
  function setup() {
    const app = Testing.app();
    const capacity = new Chart(app, 'capacity');
    new CostAwareNodePool(capacity, 'a10g', {
      name: 'gpu-a10g', purpose: NodePoolPurpose.TRAINING, instanceTypes: aws.types.filter(t => t.name === 'g5.2xlarge'), budgetUsdPerHour: 40, nodeClass,
    });
    new GpuWorkPriorities(capacity, 'priorities');
    const queues = new KueueQueues(capacity, 'queues', {
      cohort: 'ml',
      teams: [{ name: 'batch', namespaces: ['ml-batch'], gpus: [{ nodePool: 'gpu-a10g', gpus: 4, lendingLimitGpus: 2 }] }],
    });
    return { app, capacity, queues };
  }
  const research = { name: 'research', namespaces: ['ml-training', 'notebooks'], gpus: [{ nodePool: 'gpu-a10g', gpus: 8, borrowingLimitGpus: 2 }] };

  test('adds the team\'s ClusterQueue and LocalQueues to the KueueQueues, and no ResourceQuota', () => {
    const { app, capacity, queues } = setup();
    const quota = new TeamGpuQuota(capacity, 'research', { kueue: { queues, team: research } });
    const manifests = expectConformant(app);
    expect(manifests.filter(m => m.kind === 'ResourceQuota')).toEqual([]);
    expect(quota.totalQuota).toBeUndefined();
    expect(quota.namespace).toBe('ml-training');
    expect(quota.clusterQueue).toBe(queues.clusterQueues[1]);
    expect(quota.localQueues).toEqual(queues.localQueues.slice(1));
    const cq = allOfKind(manifests, 'ClusterQueue').find(q => q.metadata.name === 'research');
    expect(cq.spec.cohortName).toBe('ml');
    expect(cq.spec.namespaceSelector.matchExpressions[0].values).toEqual(['ml-training', 'notebooks']);
    expect(cq.spec.resourceGroups[0]).toEqual({
      coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'gpu-a10g', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8, borrowingLimit: 2 }] }],
    });
    expect(allOfKind(manifests, 'LocalQueue').map(q => `${q.metadata.namespace}/${q.metadata.name}`)).toEqual(['ml-batch/batch', 'ml-training/research', 'notebooks/research']);
  });

  test('the kueue-quota guardrail reads the added queue: 8 nominal + 2 borrowed admit 10 GPUs, not 11', () => {
    const build = (parallelism: number) => {
      const { app, capacity, queues } = setup();
      new TeamGpuQuota(capacity, 'research', { kueue: { queues, team: research } });
      new BatchInferenceJob(new Chart(app, 'training', { namespace: 'ml-training' }), 'embed', {
        name: 'embed', image: 'example/embedder:1.4.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), parallelism, queueName: 'research',
      });
      return new ScalingGuardrails(app, 'guardrails').check().findings.filter(f => f.rule === 'kueue-quota').map(f => f.message);
    };
    expect(build(10)).toEqual([]);
    expect(build(11)).toEqual([expect.stringContaining(
      "kueue-quota: Job 'embed' asks Kueue for 11 nvidia.com/gpu at its maximum (11 pods x 1), above the 10 its ClusterQueue 'research' can ever admit (nominal 8 + borrowing 2)")]);
  });

  test('addTeam on its own, and a KueueQueues without any team fails at synth', () => {
    const { app, capacity, queues } = setup();
    const written = queues.addTeam({ name: 'tuning', namespaces: ['ml-tuning'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2 }] });
    expect(written.localQueues.map(q => q.name)).toEqual(['tuning']);
    expectConformant(app);
    const empty = new Chart(Testing.app(), 'capacity');
    new CostAwareNodePool(empty, 'a10g', { name: 'gpu-a10g', purpose: NodePoolPurpose.TRAINING, instanceTypes: aws.types.filter(t => t.name === 'g5.2xlarge'), budgetUsdPerHour: 40, nodeClass });
    new KueueQueues(empty, 'queues', {});
    expect(errorOf(() => empty.toJson())).toContain("[capacity/queues] 'teams' (undefined) is missing, and no team was added: the ResourceFlavors admit nothing without a " +
      'ClusterQueue: give teams, or call addTeam (a TeamGpuQuota with kueue does)');
    expect(capacity.node.path).toBe('capacity');
  });

  test.each<[string, (queues: KueueQueues) => TeamGpuQuotaProps, string]>([
    ['with maxGpus', queues => ({ maxGpus: 8, kueue: { queues, team: research } }),
      "[capacity/quota] 'maxGpus' (8) and 'kueue' are exclusive: a ResourceQuota also counts the pods Kueue admitted, and refuses those it has no " +
      "room for: give the team's GPUs in kueue.team.gpus (Kueue admission), or leave kueue out for ResourceQuotas"],
    ['with a namespace that is not the team\'s', queues => ({ namespace: 'ml-batch', kueue: { queues, team: research } }),
      "[capacity/quota] 'namespace' (\"ml-batch\") is not one of kueue.team.namespaces (ml-training, notebooks): add it to the team's namespaces, or leave namespace out"],
    ['with a name', queues => ({ name: 'research-gpus', kueue: { queues, team: research } }),
      "[capacity/quota] 'name' (\"research-gpus\") names ResourceQuotas, and with 'kueue' there are none (the ClusterQueue and LocalQueues are named after kueue.team.name): leave name out"],
    ['with a team already in the queues', queues => ({ kueue: { queues, team: { ...research, name: 'batch' } } }),
      "[capacity/quota] 'kueue.team.name' (\"batch\") is already a team of this KueueQueues: give each team its own name (it names a ClusterQueue)"],
    ['with a pool the queues do not know', queues => ({ kueue: { queues, team: { ...research, gpus: [{ nodePool: 'gpu-h100', gpus: 8 }] } } }),
      "[capacity/quota] 'kueue.team.gpus[0].nodePool' (\"gpu-h100\") is not a NodePool of the pools (gpu-a10g): name one of them, or give its CostAwareNodePool in pools"],
    ['without queues', () => ({ kueue: { team: research } as any }),
      "[capacity/quota] 'kueue.queues' (undefined) must be a KueueQueues"],
  ])('fails %s', (_, props, message) => {
    const { capacity, queues } = setup();
    expect(errorOf(() => new TeamGpuQuota(capacity, 'quota', props(queues)))).toContain(message);
  });
});
