import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, labels, optional, orWrong, realNumber, size, wholeNumber, wrongType } from './arbitraries';
import { kubeletSettings } from './arbitraries-kubelet';
import { cpu, gpuRequest } from './arbitraries-ray';
import { fuzzTest, nonFiniteNumbers, synthProblems } from './harness';
import {
  CostAwareNodePool, ElasticRayTraining, GpuRequest, GuardrailRule, InstanceCatalog, NodePoolPurpose, NodeTaintEffect, ScalingGuardrails,
} from '../../src';

const catalog = InstanceCatalog.designDocument().types;

const taint = orWrong(fc.record({
  key: orWrong(fc.oneof(fc.constantFrom('nvidia.com/gpu', 'team'), fc.constantFrom('', 'Bad Key', 'a/b/c', 'x'.repeat(64)))),
  value: optional(fc.oneof(fc.constantFrom('true', 'a10g'), fc.constantFrom('has space', 'x'.repeat(64)))),
  effect: orWrong(fc.oneof(fc.constantFrom(...Object.values(NodeTaintEffect)), fc.constantFrom('NoWay', 'noschedule'))),
}, { requiredKeys: ['key', 'effect'] }));

const poolLabels = fc.oneof(
  { arbitrary: fc.constant({ 'karpenter.k8s.aws/instance-gpu-name': ['a10g', 't4'] }), weight: 6 },
  { arbitrary: labels().map((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [v]]))), weight: 3 },
  { arbitrary: fc.constantFrom({ team: [] }, { team: 'ml' }, { team: [3] }, { 'Bad Key': ['x'] }), weight: 2 },
);

const declaration = orWrong(fc.record({
  name: orWrong(fc.oneof(dnsLabel(), fc.constantFrom('shared-gpu', 'pool.v1'))),
  taints: optional(fc.array(taint, { maxLength: 2 })),
  labels: optional(poolLabels),
  limits: optional(fc.record({
    vcpus: optional(realNumber(0, 10_000)),
    memory: optional(fc.constantFrom(Size.gibibytes(1024), Size.gibibytes(0), Size.gibibytes(Infinity), 256 as any)),
    gpus: optional(wholeNumber(0, 1000)),
  }, { requiredKeys: [] })),
  instanceTypes: optional(fc.array(orWrong(fc.constantFrom(...catalog)), { maxLength: 3 })),
  weight: optional(wholeNumber(1, 100)),
  // Issue 17: the fixed hourly cost of the pool's capacity reservations.
  reservedUsdPerHour: optional(fc.oneof(realNumber(0, 100), fc.constantFrom(-1, 1e12, Number.NaN))),
  kubelet: optional(kubeletSettings()),
}, { requiredKeys: ['name'] }), 30);

const suppression = fc.record({
  target: fc.constantFrom('chart', 'train', 'pool', 'app', 'not-a-construct', 'null'),
  rule: orWrong(fc.oneof(fc.constantFrom(...Object.values(GuardrailRule)), fc.constantFrom('no-such-rule', 'GPU_PLACEMENT'))),
  reason: orWrong(fc.oneof(fc.constantFrom('behind the SSO proxy', 'pool owned by the platform team'), fc.constantFrom('', '  ', 'r'.repeat(5000), 'two\nlines'))),
});

const input = fc.record({
  props: fc.oneof(
    {
      arbitrary: fc.record({
        nodePools: optional(fc.array(declaration, { maxLength: 3 })),
        budgetUsdPerHour: optional(realNumber(0, 1000)),
        // Issue 18: what the DaemonSets take on every node.
        daemonSetOverhead: optional(orWrong(fc.record({
          cpu: optional(orWrong(cpu())),
          memory: optional(orWrong(size(0, 2048))),
          gpus: optional(wholeNumber(0, 64)),
        }, { requiredKeys: [] }))),
      }, { requiredKeys: [] }),
      weight: 20,
    },
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.record({ budgetUsdPerHour: fc.constantFrom(undefined, 500, 1000) }), weight: 6 },
    { arbitrary: wrongType(), weight: 1 },
  ),
  suppressions: fc.array(suppression, { maxLength: 2 }),
  gpu: fc.option(fc.oneof({ arbitrary: fc.constant(GpuRequest.of(1)), weight: 3 }, { arbitrary: gpuRequest(), weight: 1 }), { nil: undefined }),
  maxReplicas: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 1 }),
  budget: fc.integer({ min: 100, max: 200 }),
});

describe('ScalingGuardrails', () => {
  fuzzTest('ScalingGuardrails', input, (i) => {
    let report: unknown;
    const problems = synthProblems((chart, app) => {
      const pool = new CostAwareNodePool(chart, 'pool', {
        purpose: NodePoolPurpose.TRAINING,
        instanceTypes: catalog,
        budgetUsdPerHour: i.budget,
        nodeClass: {
          role: 'KarpenterNodeRole-ml',
          subnetTags: { 'karpenter.sh/discovery': 'ml' },
          securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
          amiAlias: 'al2023@v20251015',
        },
      });
      const train = new ElasticRayTraining(chart, 'train', {
        workerGroups: [{ name: 'w', minReplicas: 0, maxReplicas: i.maxReplicas, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), gpu: i.gpu }],
      });
      // The Ray head (no GPU) has no pool here: cpu-placement would fail every synth (issue 18).
      ScalingGuardrails.suppress(train, GuardrailRule.CPU_PLACEMENT, 'the Ray head runs on the system node group');
      const guardrails = new ScalingGuardrails(app, 'Guardrails', i.props);
      const targets: Record<string, unknown> = { chart, train, pool, app, 'not-a-construct': { node: 'x' }, 'null': null };
      for (const s of i.suppressions) ScalingGuardrails.suppress(targets[s.target] as any, s.rule, s.reason);
      report = guardrails.check();
    });
    return [...problems, ...nonFiniteNumbers(report, 'check()')];
  });
});
