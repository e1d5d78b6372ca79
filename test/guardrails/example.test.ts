import { SizeRoundingBehavior, Testing } from 'cdk8s';
import { buildApp } from '../../examples/inference';
import { InferenceAutoscaler, ScalingGuardrails } from '../../src';
import { expectConformant } from '../conformance';

// The example app imports the compiled library (../lib); here it is built from the sources, so the test checks this tree.
jest.mock('../../lib', () => jest.requireActual('../../src'));

describe('the example app under its own guardrails', () => {
  test('passes every rule: each GPU workload has a pool, each pool holds its share at every maximum, within $675/h', () => {
    const app = buildApp(Testing.app());
    const guardrails = app.node.findAll().find(c => c instanceof ScalingGuardrails) as ScalingGuardrails;
    const report = guardrails.check();
    expect(report.findings).toEqual([]);
    expect(report.unpricedPools).toEqual([]);
    expect(report.budgetUsdPerHour).toBe(675);
    // The CPU workloads land on the declared system node group (cpu-placement): none is outside the pools.
    expect(report.outsidePools).toEqual([]);
    expect(report.nodePools.find(p => p.name === 'system')!.workloads).toEqual([
      'inference/embeddings (13 pods)', 'training/fine-tune[head] (1 pod)', 'training/fine-tune[cpu] (4 pods)', 'training/tune-lr[head] (1 pod)',
      // The Ray Serve head, and the second head an upgrade (NewCluster) starts before traffic moves.
      'llm/llama-8b[head] (2 pods)',
      // The endpoint pickers of the assistant's and llama-405b's pools (2 vCPU, 4 GiB each; Recreate, so no surge).
      'llm/assistant-pool (2 pods)', 'llm/llama-405b-pool (2 pods)',
    ]);
    // Karpenter's order: the training reservation's pool (weight 100, 2 x p3.8xlarge), the weighted spot and on-demand inference pools, then by name from the end of the alphabet. The
    // Deployments count with their rollout surge (maxSurge 25%): llama-70b 6 + 2 pods of 4 GPUs, reranker 12 + 3, chat 20 + 5,
    // llama-8b-slo 8 + 2 L4 GPUs next to the embedding run's 8; the RayService llama-8b its 4 one-A10G workers + 1 of the second
    // cluster an upgrade starts.
    // The reranker asks for time-sliced shares (nvidia.com/gpu.shared), not whole GPUs: its pool is charged its CPU and memory.
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.limits?.gpus])).toEqual([
      ['gpu-training-reserved', 0, 8], ['gpu-inference-spot', 8, 34], ['gpu-inference-on-demand', 0, 14], ['system', 0, undefined], ['gpu-training', 0, 32],
      ['gpu-large-models', 32, 32], ['gpu-l4-shared', 0, 4], ['gpu-l4', 18, 18], ['gpu-h100-multinode', 48, 48], ['gpu-a10g', 62, 62],
    ]);
    // llama-405b's LeaderWorkerSet counts by groups: 3 groups of 2 pods of 8 GPUs, no surge.
    expect(report.nodePools.find(p => p.name === 'gpu-h100-multinode')!.workloads).toEqual(['llm/llama-405b (6 pods)']);
    expect(report.nodePools.find(p => p.name === 'gpu-l4-shared')!.workloads).toEqual(['inference/reranker (15 pods)']);
    // The assistant behind the InferencePool: 6 replicas and 2 surge pods of one T4, spot first.
    expect(report.nodePools.find(p => p.name === 'gpu-inference-spot')!.workloads).toEqual(['llm/assistant (8 pods)']);
    // The reranker's GPU memory need (ModelSizer, Qwen3-Reranker-0.6B at 4 sequences of 8,192 tokens: 1.12 GiB of weights,
    // 3.5 GiB of KV cache and the 1 GiB reserve) fits its share, an L4's 24 GiB over 4: gpu-sharing passes on it.
    const reranker = app.node.findAll().find(c => c instanceof InferenceAutoscaler && c.node.id === 'reranker') as InferenceAutoscaler;
    expect(reranker.footprint.requiredGpuMemory!.toGibibytes({ rounding: SizeRoundingBehavior.NONE })).toBeCloseTo(5.6176, 4);
    // The lower bound of the worst case: 4 p5.48xlarge (llama-70b), 6 more (llama-405b's 3 groups of 2), 18 L4 and 62 A10G
    // (llama-8b's 4 Ray Serve workers + 1 of an upgrade among them) at the cheapest price per GPU (the catalog's), 75.5 vCPU on
    // the system pool at the m7i's $0.0504 per vCPU (tune-lr, queued by Kueue, has no autoscaler sidecar; 8 of them the two
    // pools' endpoint pickers'; 5 llama-8b's two Ray heads, 2 + 0.5 vCPU each), the reranker's 15 time-sliced shares at
    // a quarter of a g6.2xlarge each ($0.9776 / 4: one L4 shared four ways; its 15 vCPU would cost only $0.9776 / 8 each),
    // the assistant's 8 T4 at g4dn.xlarge's $0.526, and the training reservation (2 x p3.8xlarge at $12.24), paid whether
    // used or not.
    expect(report.worstCaseCostUsdPerHour).toBeCloseTo(
      4 * 55.04 + 6 * 55.04 + 18 * 0.8048 + 62 * 1.006 + 75.5 * 0.0504 + 15 * 0.9776 / 4 + 8 * 0.526 + 2 * 12.24, 6);
    expect(report.nodePools.find(p => p.name === 'gpu-l4-shared')!.costUsdPerHour).toBeCloseTo(15 * 0.9776 / 4, 6);
    app.charts.forEach(chart => expectConformant(chart));
  });

  test('synthesizes: the guardrails validation runs in every chart\'s synthesis and finds nothing', () => {
    const app = buildApp(Testing.app());
    expect(() => app.charts.forEach(chart => chart.toJson())).not.toThrow();
  });
});
