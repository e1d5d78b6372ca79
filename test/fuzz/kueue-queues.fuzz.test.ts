import { Size } from 'cdk8s';
import * as fc from 'fast-check';
import { dnsLabel, optional, orWrong, wholeNumber, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { CostAwareNodePool, GpuWorkPriorities, InstanceCatalog, KueueQueues, NodePoolPurpose } from '../../src';

const nodeClass = {
  role: 'KarpenterNodeRole-ml',
  subnetTags: { 'karpenter.sh/discovery': 'ml' },
  securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
  amiAlias: 'al2023@v20251015',
};
const nodePool = fc.constantFrom('gpu-a10g', 'gpu-l4', 'gpu-h100', '', 'Bad_Name');
const quota = orWrong(fc.record({
  nodePool: orWrong(nodePool),
  gpus: orWrong(wholeNumber(0, 64)),
  borrowingLimitGpus: optional(orWrong(wholeNumber(0, 64))),
  lendingLimitGpus: optional(orWrong(wholeNumber(0, 64))),
}));
const team = orWrong(fc.record({
  name: orWrong(fc.oneof(dnsLabel(), fc.constantFrom('research', 'Research', 'a'.repeat(64)))),
  namespaces: orWrong(fc.array(orWrong(fc.oneof(dnsLabel(), fc.constant('Bad_NS'))), { maxLength: 3 })),
  gpus: orWrong(fc.array(quota, { maxLength: 3 })),
  vcpus: optional(orWrong(wholeNumber(0, 1000))),
  memory: optional(fc.integer({ min: 0, max: 4096 }).map(g => Size.gibibytes(g))),
}, { requiredKeys: ['name', 'namespaces', 'gpus'] }));
const props = fc.oneof(
  {
    arbitrary: fc.record({
      teams: orWrong(fc.array(team, { maxLength: 3 })),
      cohort: optional(fc.oneof(dnsLabel(), fc.constant('Bad Cohort'))),
      cpuFlavorName: optional(fc.constantFrom('any-node', 'gpu-a10g', 'cpu', '')),
      workloadPriorityClasses: optional(orWrong(fc.boolean())),
      priorities: fc.boolean(),
      // A team added after construction (KueueQueues#addTeam), as TeamGpuQuota's kueue adds one.
      added: optional(team),
    }, { requiredKeys: ['priorities'] }),
    weight: 20,
  },
  // Props that should build, so that the synthesized objects are checked often.
  {
    arbitrary: fc.record({
      cohort: fc.constant('ml'),
      priorities: fc.boolean(),
      teams: fc.uniqueArray(fc.record({
        name: dnsLabel(),
        namespaces: fc.uniqueArray(dnsLabel(), { minLength: 1, maxLength: 2 }),
        gpus: fc.uniqueArray(fc.record({
          nodePool: fc.constantFrom('gpu-a10g', 'gpu-l4'),
          gpus: wholeNumber(1, 64),
          borrowingLimitGpus: fc.option(wholeNumber(0, 8), { nil: undefined }),
          lendingLimitGpus: fc.option(wholeNumber(0, 1), { nil: undefined }),
        }), { minLength: 1, maxLength: 2, selector: q => q.nodePool }),
      }), { minLength: 1, maxLength: 3, selector: t => t.name }),
    }),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('KueueQueues', () => {
  fuzzTest('KueueQueues', props, (p: any) => synthProblems((chart) => {
    const aws = InstanceCatalog.awsGpu();
    const named = (...names: string[]) => aws.types.filter(t => names.includes(t.name));
    new CostAwareNodePool(chart, 'a10g', { name: 'gpu-a10g', purpose: NodePoolPurpose.TRAINING, instanceTypes: named('g5.xlarge'), budgetUsdPerHour: 40, nodeClass });
    new CostAwareNodePool(chart, 'l4', { name: 'gpu-l4', purpose: NodePoolPurpose.INFERENCE, instanceTypes: named('g6.xlarge'), budgetUsdPerHour: 40, nodeClass });
    if (p?.priorities) new GpuWorkPriorities(chart, 'priorities');
    const { priorities, added, ...rest } = p ?? {};
    const queues = new KueueQueues(chart, 'queues', p && typeof p === 'object' && !Array.isArray(p) ? rest : p);
    if (added !== undefined) queues.addTeam(added);
  }));
});
