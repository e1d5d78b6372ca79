import { ApiObject, Chart } from 'cdk8s';
import { deployment, hpa } from './autoscalers';
import { a10gPool, chatService, G5, guard, messages, newApp, poolProps } from './util';
import { CapacityType, CostAwareNodePool, FailureScenario, GuardrailRule, ScalingGuardrails } from '../../src';

const ZONE = 'topology.kubernetes.io/zone';
const GPU = { 'karpenter.k8s.aws/instance-gpu-name': ['a10g'] };

describe('zone-loss', () => {
  test('a workload whose only pool sits in one zone loses its minimum with that zone', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    const g = guard(app, { nodePools: [a10gPool('a10g-1a', { labels: { ...GPU, [ZONE]: ['us-east-1a'] } })] });
    expect(messages(g, GuardrailRule.ZONE_LOSS)).toEqual([
      "[apps/chat] zone-loss: Deployment 'chat' loses 2 of its 2 minimum replicas (2 GPUs, 8 vCPU, 32 GiB) when zone 'us-east-1a' is lost: " +
      "its eligible pools [\"a10g-1a\"] launch only there or have no room left elsewhere: allow more zones in the pools' " +
      "'topology.kubernetes.io/zone' requirement, give the workload a pool in another zone, or raise the surviving pools' limits",
    ]);
    expect(g.check().scenarios.find(s => s.scenario === FailureScenario.ZONE_LOSS)).toEqual({
      scenario: FailureScenario.ZONE_LOSS,
      lost: 'us-east-1a',
      lostPools: ['a10g-1a'],
      holds: false,
      workloadsShort: ['apps/chat (2 of 2 minimum pods)'],
      shortfall: expect.objectContaining({ gpus: 2 }),
      summary: "Losing zone 'us-east-1a', NodePool [\"a10g-1a\"] is lost; the surviving pools cannot hold 2 minimum pods (2 GPUs, 8 vCPU, 32 GiB): apps/chat 2 of 2.",
    });
    ScalingGuardrails.suppress(chart, GuardrailRule.ZONE_LOSS, 'a single-zone dev cluster');
    expect(messages(g, GuardrailRule.ZONE_LOSS)).toEqual([]);
  });

  test('passes when a pool in another zone (or one with no zone requirement) holds the minimum', () => {
    for (const other of [{ ...GPU, [ZONE]: ['us-east-1b'] }, GPU]) {
      const { app, chart } = newApp();
      chatService(chart, 'chat', 4);
      const report = guard(app, {
        nodePools: [a10gPool('a10g-1a', { labels: { ...GPU, [ZONE]: ['us-east-1a'] } }), a10gPool('a10g-other', { labels: other, limits: { gpus: 2 } })],
      }).check();
      expect(report.findings).toEqual([]);
      expect(report.scenarios.filter(s => s.scenario === FailureScenario.ZONE_LOSS).every(s => s.holds)).toBe(true);
    }
  });

  test('the RULES.md worked example: the surviving zone must have room: a second zone too small for the minimum is a finding', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    const report = guard(app, {
      nodePools: [a10gPool('a10g-1a', { labels: { ...GPU, [ZONE]: ['us-east-1a'] } }), a10gPool('a10g-1b', { labels: { ...GPU, [ZONE]: ['us-east-1b'] }, limits: { gpus: 1 } })],
    }).check();
    expect(report.scenarios.map(s => [s.lost, s.holds, s.workloadsShort])).toEqual([
      ['us-east-1a', false, ['apps/chat (1 of 2 minimum pods)']],
      ['us-east-1b', true, []],
      ['spot', true, []],
    ]);
  });
});

test('zone-loss reads a hand-written NodePool\'s zone requirement (In, then NotIn)', () => {
  const { app, chart } = newApp();
  deployment(chart, 'web');
  hpa(chart, 'web-hpa', 'web');
  const nodePool = (name: string, requirements: any[]) => new ApiObject(chart, name, {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } } },
  });
  nodePool('cpu', [{ key: ZONE, operator: 'In', values: ['us-east-1a', 'us-east-1b'] }, { key: ZONE, operator: 'NotIn', values: ['us-east-1b'] }]);
  const report = guard(app).check();
  expect(report.scenarios.map(s => [s.scenario, s.lost, s.lostPools, s.holds])).toEqual([
    [FailureScenario.ZONE_LOSS, 'us-east-1a', ['cpu'], false],
    [FailureScenario.ZONE_LOSS, 'us-east-1b', [], true],
    [FailureScenario.SPOT_RECLAIM, 'spot', [], true],
  ]);
  expect(report.findings.map(f => [f.rule, f.path])).toEqual([[GuardrailRule.ZONE_LOSS, 'apps/web']]);
});

describe('spot-reclaim', () => {
  test('a spot-only pool: when spot is reclaimed the minimum has nowhere to go', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large], { capacityTypes: [CapacityType.SPOT] }));
    const g = guard(app);
    expect(messages(g, GuardrailRule.SPOT_RECLAIM)).toEqual([
      "[apps/chat] spot-reclaim: Deployment 'chat' loses 2 of its 2 minimum replicas (2 GPUs, 8 vCPU, 32 GiB) when every spot instance is " +
      'reclaimed (spot-only pools ["a10g"]; its eligible pools ["a10g"]): give it an on-demand pool (CostAwareNodePool capacityTypes ' +
      "[SPOT, ON_DEMAND]) or raise the on-demand pools' limits to hold every minimum",
    ]);
    const spot = g.check().scenarios.find(s => s.scenario === FailureScenario.SPOT_RECLAIM)!;
    expect([spot.lostPools, spot.holds, spot.shortfall.gpus]).toEqual([['a10g'], false, 2]);
  });

  test('on-demand beside spot holds every minimum: passes', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large], { capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND] }));
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.scenarios).toEqual([expect.objectContaining({ scenario: FailureScenario.SPOT_RECLAIM, lostPools: ['a10g-spot'], holds: true })]);
  });

  test('the RULES.md worked example: the on-demand pool is too small for the minimums: the shortfall in GPUs is named', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 4);
    chatService(chart, 'rag', 4);
    const report = guard(app, {
      nodePools: [
        a10gPool('a10g-spot', { weight: 100, labels: { ...GPU, 'karpenter.sh/capacity-type': ['spot'] } }),
        a10gPool('a10g-od', { labels: { ...GPU, 'karpenter.sh/capacity-type': ['on-demand'] }, limits: { gpus: 3 } }),
      ],
    }).check();
    const spot = report.scenarios.find(s => s.scenario === FailureScenario.SPOT_RECLAIM)!;
    expect([spot.holds, spot.workloadsShort, spot.shortfall.gpus]).toEqual([false, ['apps/rag (1 of 2 minimum pods)'], 1]);
    expect(report.findings.map(f => f.message)).toEqual([
      "[apps/rag] spot-reclaim: Deployment 'rag' loses 1 of its 2 minimum replicas (1 GPU, 4 vCPU, 16 GiB) when every spot instance is reclaimed " +
      '(spot-only pools ["a10g-spot"]; its eligible pools ["a10g-spot", "a10g-od"]): give it an on-demand pool (CostAwareNodePool capacityTypes ' +
      "[SPOT, ON_DEMAND]) or raise the on-demand pools' limits to hold every minimum",
    ]);
  });
});
