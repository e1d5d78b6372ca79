import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, ec2, G5, guard, messages, newApp, poolProps, trainingCluster } from './util';
import { CapacityType, CostAwareNodePool, GpuProduct, GuardrailRule, InstanceCatalog, ScalingGuardrails } from '../../src';

const RULE = GuardrailRule.BUDGET_CEILING;

/** The RULES.md worked example: the pools of the pool-capacity example, with instance types and prices. */
function workedExample(budgetUsdPerHour?: number) {
  const { app, chart } = newApp();
  // 8 replicas + 2 surge: 10 pods at the peak of a rollout.
  chatService(chart, 'chat', 8);
  const train = trainingCluster(chart, 'train', 4);
  ScalingGuardrails.suppress(train, GuardrailRule.CPU_PLACEMENT, 'the Ray head runs on the system node group');
  const spot = [ec2('g5.xlarge', 0.40, 4, 16, 1, GpuProduct.A10G, CapacityType.SPOT), ec2('g5.2xlarge', 0.50, 8, 32, 1, GpuProduct.A10G, CapacityType.SPOT)];
  return guard(app, {
    budgetUsdPerHour,
    nodePools: [
      a10gPool('a10g-spot', { weight: 100, labels: { 'karpenter.sh/capacity-type': ['spot'] }, limits: { gpus: 8 }, instanceTypes: spot }),
      a10gPool('a10g-on-demand', {
        weight: 10, labels: { 'karpenter.sh/capacity-type': ['on-demand'] }, limits: { gpus: 6 }, instanceTypes: [G5.xlarge, G5.x2large, G5.x4large],
      }),
    ],
  });
}

describe('budget-ceiling', () => {
  test('the RULES.md worked example: each pool at the cheapest price per unit of its binding resource', () => {
    const report = workedExample().check();
    expect(report.nodePools.map(p => [p.name, p.demand, p.costUsdPerHour])).toEqual([
      // 8 GPUs x $0.40 = $3.20 (vCPU: 32 x 0.50/8 = $2.00; memory: 128 GiB x 0.50/32 = $2.00).
      ['a10g-spot', { cpu: kplus.Cpu.units(32), memory: Size.gibibytes(128), gpus: 8 }, 3.2],
      // 6 GPUs x $1.006 = $6.036 (vCPU: 40 x 1.624/16 = $4.06; memory: 160 GiB x 1.624/64 = $4.06).
      ['a10g-on-demand', { cpu: kplus.Cpu.units(40), memory: Size.gibibytes(160), gpus: 6 }, 6.036],
    ]);
    expect(report.worstCaseCostUsdPerHour).toBe(9.236);
    expect([report.nodePools.map(p => p.costMicroUsdPerHour), report.worstCaseCostMicroUsdPerHour]).toEqual([[3_200_000, 6_036_000], 9_236_000]);
    expect(report.unpricedPools).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  test('the RULES.md worked example with a $9/h budget: over by $0.236/h, pools costliest first', () => {
    expect(messages(workedExample(9))).toEqual([
      "[Guardrails] budget-ceiling: with every workload at its maximum the node pools cost at least $9.236/h, above 'budgetUsdPerHour' (9): " +
      "over by $0.236/h ('a10g-on-demand' $6.036/h, 'a10g-spot' $3.20/h): lower the maxReplicas of the workloads on the costliest pools, move " +
      'them to instance types with cheaper GPUs, vCPUs or memory, or raise budgetUsdPerHour',
    ]);
  });

  test('passes at or under the budget', () => {
    expect(workedExample(9.236).check().findings).toEqual([]);
    expect(workedExample(10).check().budgetUsdPerHour).toBe(10);
  });

  test('prices a CostAwareNodePool from its instance types', () => {
    const { app, chart } = newApp();
    const t4 = InstanceCatalog.designDocument().types.filter(t => t.name.startsWith('g4dn'));
    chatService(chart, 'chat', 8);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge, G5.x2large]));
    new CostAwareNodePool(new Chart(app, 'capacity2'), 't4', poolProps('t4', t4));
    const report = guard(app).check();
    // 8 replicas + 2 surge = 10 pods of 1 GPU, 4 vCPU, 16 GiB: GPUs 10 x $1.006; memory 160 GiB x 1.212/32 = $6.06; the GPUs bind.
    expect(report.nodePools.map(p => [p.name, p.costUsdPerHour])).toEqual([['t4', 0], ['a10g', 10.06]]);
    expect(report.worstCaseCostUsdPerHour).toBe(10.06);
  });

  test('a pool without prices is reported as unpriced, never free; with a budget its demand is an error', () => {
    const build = (budgetUsdPerHour?: number) => {
      const { app, chart } = newApp();
      // 2 replicas + 1 surge.
      chatService(chart, 'chat', 2);
      return guard(app, { budgetUsdPerHour, nodePools: [a10gPool('shared')] });
    };
    const report = build().check();
    expect(report.findings).toEqual([]);
    expect(report.unpricedPools).toEqual(['shared']);
    expect(report.nodePools[0].costUsdPerHour).toBeUndefined();
    expect(report.worstCaseCostUsdPerHour).toBe(0);
    expect(messages(build(100), RULE)).toEqual([
      "[Guardrails] budget-ceiling: NodePool 'shared' must host 3 GPUs, 12 vCPU, 48 GiB with every workload at its maximum but has no " +
      "instance prices, so 'budgetUsdPerHour' (100) cannot be checked against it: declare the pool's instanceTypes with their priceUsdPerHour in 'nodePools'",
    ]);
  });

  test('a pool with nothing to host costs nothing, priced or not', () => {
    const report = guard(newApp().app, { budgetUsdPerHour: 1, nodePools: [a10gPool('idle')] }).check();
    expect(report.nodePools[0].costUsdPerHour).toBe(0);
    expect(report.findings).toEqual([]);
  });

  test('fails on a budget that is not above zero', () => {
    expect(() => new ScalingGuardrails(newApp().app, 'Guardrails', { budgetUsdPerHour: 0 })).toThrow(
      "[Guardrails] 'budgetUsdPerHour' (0) must be a price above zero: give the most the node pools may cost per hour, in US dollars");
  });
});
