import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber } from './arbitraries';
import { fuzzTest, nonFiniteNumbers, synthProblems } from './harness';
import { AppBill, GpuProduct, GpuRequest, InferenceAutoscaler, InstanceCatalog, ScalingGuardrails, ScalingMetric } from '../../src';

const typeNames = InstanceCatalog.awsGpu().types.map(t => t.name);

/** Requirements of a hand-written NodePool: catalog types, unknown types, families, GPU names, capacity types. */
const requirement = fc.oneof(
  { arbitrary: fc.constant({ key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['a10g', 'l4'] }), weight: 4 },
  fc.record({
    key: fc.constant('node.kubernetes.io/instance-type'),
    operator: fc.constantFrom('In', 'NotIn'),
    values: fc.array(fc.oneof(fc.constantFrom(...typeNames), fc.constantFrom('m7i.large', 'g4dn.xlarge', 'p3.2xlarge')), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: fc.constant('karpenter.k8s.aws/instance-family'), operator: fc.constant('In'), values: fc.array(fc.constantFrom('g5', 'g6', 'g6e', 'm7i'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constant('karpenter.k8s.aws/instance-gpu-name'), operator: fc.constant('In'), values: fc.array(fc.constantFrom('a10g', 'l4', 't4', 'h100'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constant('karpenter.sh/capacity-type'), operator: fc.constantFrom('In', 'NotIn'), values: fc.array(fc.constantFrom('spot', 'on-demand', 'reserved'), { minLength: 1, maxLength: 3 }) }),
);

const wrongEntry = orWrong(fc.record({
  namespace: optional(orWrong(fc.constantFrom('search', 'ads', 'other'))),
  kind: orWrong(fc.constantFrom('Deployment', 'StatefulSet')),
  name: orWrong(fc.constantFrom('chat', 'rank', 'nope')),
  component: optional(fc.constantFrom('head', 'gpu')),
  replicas: orWrong(fc.oneof(realNumber(0, 8), fc.constantFrom(-1, NaN, Infinity, 1e9))),
}, { requiredKeys: ['kind', 'name', 'replicas'] }), 20);

/** Mostly the app's own workloads, so the bill is computed; sometimes anything. */
const expectedEntry = fc.oneof(
  {
    arbitrary: fc.record({ namespace: fc.constantFrom('search', 'ads'), kind: fc.constant('Deployment'), name: fc.constant('chat'), replicas: realNumber(0, 2) })
      .map(e => ({ ...e, name: e.namespace === 'search' ? 'chat' : 'rank' })),
    weight: 6,
  },
  { arbitrary: wrongEntry, weight: 1 },
);

const input = fc.record({
  requirements: fc.array(requirement, { maxLength: 3 }),
  chatMax: wholeNumber(2, 8),
  rankMax: wholeNumber(1, 4),
  expected: fc.oneof({ arbitrary: fc.array(expectedEntry, { maxLength: 3 }), weight: 10 }, { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constantFrom('x', 3, null, {}), weight: 1 }),
});

describe('ScalingGuardrails.bill', () => {
  fuzzTest('ScalingGuardrails.bill', input, (i) => {
    let bill: AppBill | undefined;
    const broken: string[] = [];
    const problems = synthProblems((chart, app) => {
      const search = new Chart(app, 'search', { namespace: 'search' });
      const ads = new Chart(app, 'ads', { namespace: 'ads' });
      const service = (scope: Chart, name: string, maxReplicas: number, gpu: GpuProduct) => new InferenceAutoscaler(scope, name, {
        name,
        modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpu: GpuRequest.of(1, { gpuProduct: gpu }) },
        maxReplicas,
        metrics: [ScalingMetric.vllmWaitingRequests(5)],
      });
      service(search, 'chat', i.chatMax, GpuProduct.A10G);
      service(ads, 'rank', i.rankMax, GpuProduct.L4);
      new ApiObject(chart, 'pool', {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'gpu' },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
              // Plain objects, as a manifest read back has (fast-check's records have no prototype).
              requirements: JSON.parse(JSON.stringify(i.requirements)),
              taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
            },
          },
        },
      });
      const guardrails = new ScalingGuardrails(app, 'Guardrails');
      const report = guardrails.check();
      bill = guardrails.bill(i.expected as any);
      const sum = (xs: { worstCaseMicroUsdPerHour: number; expectedMicroUsdPerHour: number }[]) =>
        xs.reduce((a, x) => [a[0] + x.worstCaseMicroUsdPerHour, a[1] + x.expectedMicroUsdPerHour], [0, 0]);
      if (bill.worstCaseMicroUsdPerHour !== report.worstCaseCostMicroUsdPerHour) broken.push('worst case differs from check()');
      if (JSON.stringify(sum(bill.teams)) !== JSON.stringify(sum(bill.workloads))) broken.push('teams do not sum to the workloads');
      if (JSON.stringify(sum(bill.capacityTypes)) !== JSON.stringify([bill.worstCaseMicroUsdPerHour, bill.expectedMicroUsdPerHour])) {
        broken.push('capacity types do not sum to the totals');
      }
      for (const line of bill.workloads) {
        // The library's Deployments surge 25% (rounded up) above maxReplicas; the worst case charges those pods.
        const peak = line.maxReplicas > 0 ? line.maxReplicas + Math.ceil(line.maxReplicas / 4) : 0;
        if (line.worstCasePods !== peak) broken.push(`${line.workload}: worstCasePods ${line.worstCasePods}, not maxReplicas + surge ${peak}`);
      }
      for (const line of [...bill.workloads, ...bill.nodePools]) {
        if (!Number.isSafeInteger(line.worstCaseMicroUsdPerHour) || line.worstCaseMicroUsdPerHour < 0) broken.push('a worst case is not a whole micro-dollar');
        if (!Number.isSafeInteger(line.expectedMicroUsdPerHour) || line.expectedMicroUsdPerHour < 0) broken.push('an expected cost is not a whole micro-dollar');
      }
    });
    return [...problems, ...broken, ...nonFiniteNumbers(bill?.toJson(), 'bill')];
  });
});
