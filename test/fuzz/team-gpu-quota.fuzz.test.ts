import * as fc from 'fast-check';
import { optional, orWrong, wholeNumber, dnsLabel, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { CostAwareNodePool, InstanceCatalog, KueueQueues, NodePoolPurpose, TeamGpuQuota } from '../../src';

const entry = orWrong(fc.record({ priorityClassName: orWrong(dnsLabel()), maxGpus: orWrong(wholeNumber(0, 1_000_000)) }));
/** A Kueue team, as KueueQueues declares one: valid, boundary and wrong values. */
const team = orWrong(fc.record({
  name: orWrong(fc.oneof(dnsLabel(), fc.constantFrom('batch', 'Research'))),
  namespaces: orWrong(fc.array(orWrong(fc.oneof(dnsLabel(), fc.constant('Bad_NS'))), { maxLength: 3 })),
  gpus: orWrong(fc.array(orWrong(fc.record({
    nodePool: orWrong(fc.constantFrom('gpu-a10g', 'gpu-h100', '')),
    gpus: orWrong(wholeNumber(0, 64)),
    borrowingLimitGpus: optional(orWrong(wholeNumber(0, 64))),
    lendingLimitGpus: optional(orWrong(wholeNumber(0, 64))),
  })), { maxLength: 2 })),
}, { requiredKeys: ['name', 'namespaces', 'gpus'] }));
const props = fc.oneof(
  {
    arbitrary: fc.record({
      namespace: optional(dnsLabel()),
      maxGpus: optional(wholeNumber(0, 1_000_000)),
      perPriorityClass: optional(fc.array(entry, { maxLength: 3 })),
      name: optional(dnsLabel()),
    }),
    weight: 20,
  },
  // The Kueue variant: `withQueues` gives it the app's KueueQueues (else a wrong value), with or without the other props.
  {
    arbitrary: fc.record({
      kueue: fc.record({ team, withQueues: fc.boolean() }),
      namespace: optional(fc.oneof(dnsLabel(), fc.constant('ml-training'))),
      maxGpus: optional(wholeNumber(0, 64)),
      name: optional(dnsLabel()),
    }, { requiredKeys: ['kueue'] }),
    weight: 10,
  },
  // A Kueue team that should build, so that its ClusterQueue and LocalQueues are checked often.
  {
    arbitrary: fc.record({
      kueue: fc.record({
        withQueues: fc.constant(true),
        team: fc.record({
          name: dnsLabel().filter(n => n !== 'batch'),
          namespaces: fc.uniqueArray(dnsLabel(), { minLength: 1, maxLength: 2 }),
          gpus: fc.constant([{ nodePool: 'gpu-a10g', gpus: 4, borrowingLimitGpus: 2 }]),
        }),
      }),
    }),
    weight: 10,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('TeamGpuQuota', () => {
  fuzzTest('TeamGpuQuota', props, (p: any) => synthProblems((chart) => {
    if (p && typeof p === 'object' && !Array.isArray(p) && p.kueue !== undefined) {
      new CostAwareNodePool(chart, 'a10g', {
        name: 'gpu-a10g',
        purpose: NodePoolPurpose.TRAINING,
        instanceTypes: InstanceCatalog.awsGpu().types.filter(t => t.name === 'g5.xlarge'),
        budgetUsdPerHour: 40,
        nodeClass: { role: 'KarpenterNodeRole-ml', subnetTags: { a: 'b' }, securityGroupTags: { a: 'b' }, amiAlias: 'al2023@v20251015' },
      });
      const queues = new KueueQueues(chart, 'queues', { cohort: 'ml', teams: [{ name: 'batch', namespaces: ['ml-batch'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2 }] }] });
      const { withQueues, team: t } = p.kueue;
      new TeamGpuQuota(chart, 'quota', { ...p, kueue: { queues: withQueues ? queues : 'queues', team: t } });
      return;
    }
    new TeamGpuQuota(chart, 'quota', p);
  }));
});
