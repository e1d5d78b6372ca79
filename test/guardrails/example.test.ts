import { Testing } from 'cdk8s';
import { buildApp } from '../../examples/inference';
import { ScalingGuardrails } from '../../src';
import { expectConformant } from '../conformance';

// The example app imports the compiled library (../lib); here it is built from the sources, so the test checks this tree.
jest.mock('../../lib', () => jest.requireActual('../../src'));

describe('the example app under its own guardrails', () => {
  test('passes every rule: each GPU workload has a pool, each pool holds its share at every maximum, within $500/h', () => {
    const app = buildApp(Testing.app());
    const guardrails = app.node.findAll().find(c => c instanceof ScalingGuardrails) as ScalingGuardrails;
    const report = guardrails.check();
    expect(report.findings).toEqual([]);
    expect(report.unpricedPools).toEqual([]);
    expect(report.budgetUsdPerHour).toBe(500);
    expect(report.outsidePools).toEqual([
      'inference/embeddings', 'training/fine-tune[head]', 'training/fine-tune[cpu]', 'training/tune-lr[head]',
    ]);
    // Karpenter's order: the weighted spot and on-demand inference pools, then by name from the end of the alphabet.
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.limits?.gpus])).toEqual([
      ['gpu-inference-spot', 0, 34], ['gpu-inference-on-demand', 0, 14], ['gpu-training', 0, 32],
      ['gpu-large-models', 24, 24], ['gpu-l4', 20, 22], ['gpu-a10g', 52, 53],
    ]);
    // The lower bound of the worst case: 3 p5.48xlarge, 20 L4 and 52 A10G at the cheapest price per GPU (the catalog's).
    expect(report.worstCaseCostUsdPerHour).toBeCloseTo(3 * 55.04 + 20 * 0.8048 + 52 * 1.006, 6);
    app.charts.forEach(chart => expectConformant(chart));
  });

  test('synthesizes: the guardrails validation runs in every chart\'s synthesis and finds nothing', () => {
    const app = buildApp(Testing.app());
    expect(() => app.charts.forEach(chart => chart.toJson())).not.toThrow();
  });
});
