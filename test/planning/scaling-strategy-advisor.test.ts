import { Construct } from 'constructs';
import * as library from '../../src';
import {
  AdvisorProps, ScalingApproach, ScalingStrategyAdvisor, WorkloadKind, WorkloadScenario,
} from '../../src/planning/scaling-strategy-advisor';

/** The design document's decision matrix, row by row. */
const MATRIX: Array<[WorkloadScenario, WorkloadKind, ScalingApproach]> = [
  [WorkloadScenario.SINGLE_LARGE_MODEL, WorkloadKind.TRAINING, ScalingApproach.VERTICAL],
  [WorkloadScenario.HYPERPARAMETER_TUNING, WorkloadKind.TRAINING, ScalingApproach.HORIZONTAL],
  [WorkloadScenario.DISTRIBUTED_TRAINING, WorkloadKind.TRAINING, ScalingApproach.HORIZONTAL],
  [WorkloadScenario.DATA_PROCESSING, WorkloadKind.TRAINING, ScalingApproach.HORIZONTAL],
  [WorkloadScenario.EXPERIMENTATION, WorkloadKind.TRAINING, ScalingApproach.ELASTIC_HORIZONTAL],
  [WorkloadScenario.REAL_TIME_API, WorkloadKind.INFERENCE, ScalingApproach.HORIZONTAL],
  [WorkloadScenario.BATCH_PROCESSING, WorkloadKind.INFERENCE, ScalingApproach.HORIZONTAL],
  [WorkloadScenario.LARGE_MODEL_SERVING, WorkloadKind.INFERENCE, ScalingApproach.VERTICAL_AND_HORIZONTAL],
  [WorkloadScenario.EDGE_INFERENCE, WorkloadKind.INFERENCE, ScalingApproach.VERTICAL],
  [WorkloadScenario.MULTI_MODEL_SERVING, WorkloadKind.INFERENCE, ScalingApproach.HORIZONTAL],
];

/** Is `name` a construct class that the library's entry point (src/index.ts) exports? */
function isExportedConstruct(name: string): boolean {
  const exported = (library as Record<string, unknown>)[name];
  return typeof exported === 'function' && exported.prototype instanceof Construct;
}

describe('ScalingStrategyAdvisor', () => {
  test.each(MATRIX)('%s (%s) -> %s', (scenario, kind, approach) => {
    const rec = ScalingStrategyAdvisor.recommend({ scenario });
    expect(rec.scenario).toBe(scenario);
    expect(rec.kind).toBe(kind);
    expect(rec.approach).toBe(approach);
    expect(rec.reasoning.length).toBeGreaterThan(40);
    expect(rec.caveats.length).toBeGreaterThan(0);
    expect(rec.constructs.length).toBeGreaterThan(0);
    // Every construct a recommendation names is one a user can import; none is still "planned".
    expect(rec.constructs.filter(name => !isExportedConstruct(name))).toEqual([]);
    expect(rec.plannedConstructs).toEqual([]);
  });

  test('no text calls a released construct planned', () => {
    for (const scenario of ScalingStrategyAdvisor.scenarios()) {
      const rec = ScalingStrategyAdvisor.recommend({ scenario });
      expect([rec.reasoning, ...rec.caveats].filter(t => /\bplanned\b|not yet (in|released)/i.test(t))).toEqual([]);
    }
  });

  test('recommends the Ray and node pool constructs where they fit', () => {
    const names = (scenario: WorkloadScenario) => ScalingStrategyAdvisor.recommend({ scenario }).constructs;
    expect(names(WorkloadScenario.HYPERPARAMETER_TUNING)[0]).toBe('HyperparameterSearch');
    expect(names(WorkloadScenario.DISTRIBUTED_TRAINING)[0]).toBe('ElasticRayTraining');
    expect(names(WorkloadScenario.SINGLE_LARGE_MODEL)).toEqual(['CostAwareNodePool']);
    expect(isExportedConstruct('NotAConstruct')).toBe(false);
    expect(isExportedConstruct('ScalingBehavior')).toBe(false);
  });

  test('scenarios() lists every scenario once, training first', () => {
    expect(ScalingStrategyAdvisor.scenarios()).toEqual(MATRIX.map(([s]) => s));
    expect(new Set(ScalingStrategyAdvisor.scenarios()).size).toBe(Object.values(WorkloadScenario).length);
  });

  test('the reasoning is our own, not the document\'s one-liners', () => {
    const theirs = ['Model doesn\'t parallelize well', 'Multiple independent experiments', 'Designed for multi-node execution',
      'Embarrassingly parallel workload', 'Variable resource needs', 'Need redundancy and load distribution',
      'Process multiple items in parallel', 'Large models need big instances + replicas', 'Resource constraints favor efficiency',
      'Different models can run on different pods'];
    for (const scenario of ScalingStrategyAdvisor.scenarios()) {
      const { reasoning } = ScalingStrategyAdvisor.recommend({ scenario });
      for (const t of theirs) expect(reasoning).not.toContain(t);
    }
  });

  test('names the construct that implements each inference scenario first', () => {
    const first = (scenario: WorkloadScenario) => ScalingStrategyAdvisor.recommend({ scenario }).constructs[0];
    expect(first(WorkloadScenario.REAL_TIME_API)).toBe('InferenceAutoscaler');
    expect(first(WorkloadScenario.BATCH_PROCESSING)).toBe('BatchInferenceJob');
    expect(first(WorkloadScenario.LARGE_MODEL_SERVING)).toBe('LargeModelServing');
    expect(first(WorkloadScenario.EDGE_INFERENCE)).toBe('EdgeInference');
    expect(first(WorkloadScenario.MULTI_MODEL_SERVING)).toBe('InferenceAutoscaler');
  });

  test('carries the caveats that matter: real-time minimum, edge restarts, large-model VPA mode', () => {
    const caveats = (scenario: WorkloadScenario) => ScalingStrategyAdvisor.recommend({ scenario }).caveats.join('\n');
    expect(caveats(WorkloadScenario.REAL_TIME_API)).toContain('at least 3 replicas and use ScalingBehavior.realTime()');
    expect(caveats(WorkloadScenario.EDGE_INFERENCE)).toContain('Each VPA update restarts the only pod');
    expect(caveats(WorkloadScenario.LARGE_MODEL_SERVING)).toContain('VPA update mode Initial');
    expect(caveats(WorkloadScenario.BATCH_PROCESSING)).toContain('An HPA cannot scale a Job');
  });

  test('fails on an unknown scenario', () => {
    expect(() => ScalingStrategyAdvisor.recommend({ scenario: 'inference/quantum' as WorkloadScenario })).toThrow(
      "[ScalingStrategyAdvisor] 'scenario' (\"inference/quantum\") must be one of \"training/single-large-model\", ");
    expect(() => ScalingStrategyAdvisor.recommend({ scenario: 'inference/quantum' as WorkloadScenario })).toThrow(
      '"inference/multi-model-serving": use a WorkloadScenario member; ScalingStrategyAdvisor.scenarios() lists them all');
  });

  test('fails when props is not an object (null from JavaScript)', () => {
    expect(() => ScalingStrategyAdvisor.recommend(null as unknown as AdvisorProps)).toThrow(
      "[ScalingStrategyAdvisor] 'props' (null) must be an object of named fields, not null");
  });

  test('returns copies: changing a recommendation does not change the next one', () => {
    const a = ScalingStrategyAdvisor.recommend({ scenario: WorkloadScenario.EDGE_INFERENCE });
    a.constructs.push('x');
    a.caveats.length = 0;
    const b = ScalingStrategyAdvisor.recommend({ scenario: WorkloadScenario.EDGE_INFERENCE });
    expect(b.constructs).toEqual(['EdgeInference', 'VerticalAutoscaler']);
    expect(b.caveats.length).toBeGreaterThan(0);
  });
});
