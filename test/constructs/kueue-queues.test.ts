import { Size } from 'cdk8s';
import {
  CapacityType, CostAwareNodePool, GpuWorkPriorities, InstanceCatalog, KueueQueues, KueueQueuesProps, NodePoolPurpose,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, errorOf, newChart } from '../util';

const nodeClass = {
  role: 'KarpenterNodeRole-ml',
  subnetTags: { 'karpenter.sh/discovery': 'ml' },
  securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
  amiAlias: 'al2023@v20251015',
};
const aws = InstanceCatalog.awsGpu();
const named = (...names: string[]) => aws.types.filter(t => names.includes(t.name));

function pools(chart = newChart()) {
  new CostAwareNodePool(chart, 'a10g', { name: 'gpu-a10g', purpose: NodePoolPurpose.TRAINING, instanceTypes: named('g5.xlarge', 'g5.2xlarge'), budgetUsdPerHour: 40, nodeClass });
  new CostAwareNodePool(chart, 'l4', {
    name: 'gpu-l4',
    purpose: NodePoolPurpose.INFERENCE,
    instanceTypes: named('g6.xlarge'),
    budgetUsdPerHour: 20,
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    nodeClass,
  });
  return chart;
}

const teams: KueueQueuesProps['teams'] = [
  { name: 'research', namespaces: ['ml-training', 'notebooks'], gpus: [{ nodePool: 'gpu-a10g', gpus: 8, lendingLimitGpus: 4 }] },
  { name: 'batch', namespaces: ['ml-batch'], gpus: [{ nodePool: 'gpu-l4-spot', gpus: 4, borrowingLimitGpus: 2 }, { nodePool: 'gpu-a10g', gpus: 0, borrowingLimitGpus: 4 }], vcpus: 64, memory: Size.gibibytes(256) },
];

describe('KueueQueues', () => {
  test('writes a flavor per NodePool, a ClusterQueue per team and a LocalQueue per namespace (snapshot)', () => {
    const chart = pools();
    new GpuWorkPriorities(chart, 'priorities');
    new KueueQueues(chart, 'queues', { cohort: 'ml', teams });
    const manifests = expectConformant(chart);
    const flavors = allOfKind(manifests, 'ResourceFlavor');
    expect(flavors.map(f => f.metadata.name)).toEqual(['gpu-a10g', 'gpu-l4-spot', 'gpu-l4-on-demand', 'any-node']);
    expect(flavors[0].spec).toEqual({
      nodeLabels: { 'karpenter.sh/nodepool': 'gpu-a10g', 'karpenter.k8s.aws/instance-gpu-name': 'a10g', 'karpenter.sh/capacity-type': 'on-demand', 'cdk8s-ml-scaling/purpose': 'training' },
      nodeTaints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
    });
    expect(flavors[3].spec).toEqual({});
    const [research, batch] = allOfKind(manifests, 'ClusterQueue');
    expect(research.spec.cohortName).toBe('ml');
    expect(research.spec.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ml-training', 'notebooks'] }] });
    expect(research.spec.resourceGroups).toEqual([
      { coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'gpu-a10g', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8, lendingLimit: 4 }] }] },
      // 8 GPUs x 8 vCPUs and 32 GiB per GPU (g5.2xlarge).
      { coveredResources: ['cpu', 'memory'], flavors: [{ name: 'any-node', resources: [{ name: 'cpu', nominalQuota: 64 }, { name: 'memory', nominalQuota: '262144Mi' }] }] },
    ]);
    expect(batch.spec.resourceGroups[1].flavors[0].resources).toEqual([{ name: 'cpu', nominalQuota: 64 }, { name: 'memory', nominalQuota: '262144Mi' }]);
    expect(allOfKind(manifests, 'LocalQueue').map(q => `${q.metadata.namespace}/${q.metadata.name}->${q.spec.clusterQueue}`))
      .toEqual(['ml-training/research->research', 'notebooks/research->research', 'ml-batch/batch->batch']);
    expect(allOfKind(manifests, 'WorkloadPriorityClass').map(c => [c.metadata.name, c.value]))
      .toEqual([['gpu-real-time-inference', 1_000_000], ['gpu-batch-inference', 100_000], ['gpu-training', 10_000]]);
    expect(manifests.filter(m => ['ResourceFlavor', 'ClusterQueue', 'LocalQueue', 'WorkloadPriorityClass'].includes(m.kind))).toMatchSnapshot();
  });

  test('cluster-scoped kinds carry no namespace in a chart with one', () => {
    const chart = pools(newChart({ namespace: 'ml' }));
    new KueueQueues(chart, 'queues', { teams: [{ name: 'research', namespaces: ['ml'], gpus: [{ nodePool: 'gpu-a10g', gpus: 8 }] }] });
    const manifests = expectConformant(chart);
    for (const kind of ['ResourceFlavor', 'ClusterQueue']) for (const o of allOfKind(manifests, kind)) expect(o.metadata.namespace).toBeUndefined();
    expect(allOfKind(manifests, 'LocalQueue')[0].metadata.namespace).toBe('ml');
    expect(allOfKind(manifests, 'ClusterQueue')[0].spec.preemption).toBeUndefined();
  });

  test.each([
    [{ teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-a10g', gpus: 8, borrowingLimitGpus: 2 }] }] },
      "[test/queues] 'teams[0].gpus[0].borrowingLimitGpus' (2) needs a cohort: Kueue refuses borrowing and lending limits of a ClusterQueue without one: give cohort, or remove the limit"],
    [{ cohort: 'ml', teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2, lendingLimitGpus: 3 }] }] },
      "[test/queues] 'teams[0].gpus[0].lendingLimitGpus' (3) is above gpus (2): a team lends only GPUs of its own quota: lower lendingLimitGpus to gpus or less"],
    [{ teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2 }, { nodePool: 'gpu-a10g', gpus: 1 }] }] },
      "[test/queues] 'teams[0].gpus' (\"gpu-a10g\") appears twice: give one quota per NodePool: Kueue refuses a flavor twice in a ClusterQueue"],
    [{ teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-h100', gpus: 2 }] }] },
      "[test/queues] 'teams[0].gpus[0].nodePool' (\"gpu-h100\") is not a NodePool of the pools (gpu-a10g, gpu-l4-spot, gpu-l4-on-demand): name one of them, or give its CostAwareNodePool in pools"],
    [{ cpuFlavorName: 'gpu-a10g', teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2 }] }] },
      "[test/queues] 'cpuFlavorName' (\"gpu-a10g\") is also the name of a NodePool's flavor, and Kueue refuses a flavor in two resource groups: give the CPU flavor another name"],
    [{ teams: [{ name: 'R', namespaces: ['a'], gpus: [] }] },
      "[test/queues] 'teams[0].name' (\"R\") is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters): give a name such as \"research\": it names the ClusterQueue, the LocalQueues and the workloads' kueue.x-k8s.io/queue-name label"],
    [{ teams: [{ name: 'r', namespaces: ['a'], gpus: [] }] },
      "[test/queues] 'teams[0].vcpus' (undefined) is missing, and the team has no GPU quota to derive it from: give vcpus and memory: the CPU and memory the team's pods may take"],
    [{ workloadPriorityClasses: true, teams: [{ name: 'r', namespaces: ['a'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2 }] }] },
      "[test/queues] 'workloadPriorityClasses' (true) needs a GpuWorkPriorities in the app that creates its classes (their names and values are copied): create a GpuWorkPriorities before this construct, or leave workloadPriorityClasses out"],
  ] as [KueueQueuesProps, string][])('fails on Kueue webhook rules: %#', (props, message) => {
    expect(errorOf(() => new KueueQueues(pools(), 'queues', props))).toBe(message);
  });

  test('fails when the app has no pool', () => {
    expect(errorOf(() => new KueueQueues(newChart(), 'queues', { teams }))).toBe(
      "[test/queues] 'pools' (undefined) is missing, and the app has no CostAwareNodePool created before this construct: create the CostAwareNodePools first, or give them in pools");
  });
});
