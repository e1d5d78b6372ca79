import * as fc from 'fast-check';
import { dnsLabel, optional, orWrong, wholeNumber, wrongType } from './arbitraries';
import {
  behavior, buildTarget, engine, metricsList, modelServerProps, monitoring, realizeServer, targetSpec, validMetrics, validServer,
} from './arbitraries-serving';
import { fuzzTest, synthProblems } from './harness';
import { InferenceAutoscaler } from '../../src';

/** A required prop: mostly given, sometimes missing or of a wrong type. */
const required = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 30 }, { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: wrongType(), weight: 1 });

const common = {
  metricsPort: optional(fc.oneof({ arbitrary: fc.constantFrom('http', 'metrics'), weight: 6 },
    { arbitrary: fc.constantFrom('', 'HTTP', 'a'.repeat(16), 'my--port', '1234', 'web_ui'), weight: 1 }), 6),
  name: optional(dnsLabel()),
  maxReplicas: required(fc.oneof({ arbitrary: fc.integer({ min: 3, max: 50 }), weight: 4 }, { arbitrary: wholeNumber(1, 10_000), weight: 1 })),
  minReplicas: optional(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 }, { arbitrary: wholeNumber(1, 10_000), weight: 1 }), 4),
  allowSingleReplica: optional(fc.boolean()),
  metrics: required(metricsList()),
  behavior: behavior(),
  engine: engine(),
  podDisruptionBudget: optional(fc.boolean()),
  monitoring: monitoring(),
  // Only with a target; with a created server it is an error (the server's own is modelServer.allowUnpinnedImage).
  allowUnpinnedImage: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: fc.boolean(), weight: 2 },
    { arbitrary: wrongType(), weight: 1 }),
};

const valid = {
  name: fc.option(fc.constantFrom('chat', 'ranker-2'), { nil: undefined }),
  maxReplicas: fc.integer({ min: 3, max: 10_000 }),
  minReplicas: fc.option(fc.integer({ min: 3, max: 3 }), { nil: undefined }),
  metrics: validMetrics(),
  podDisruptionBudget: fc.option(fc.boolean(), { nil: undefined }),
};

/** With a created model server, with an existing target (and maybe its Service), with neither or both. */
const props = fc.oneof(
  { arbitrary: fc.record({ ...common, modelServer: orWrong(modelServerProps(), 25) }).map((p) => ({ mode: 'server', p })), weight: 12 },
  {
    arbitrary: fc.record({ ...common, target: targetSpec(), withService: fc.boolean() }).map((p) => ({ mode: 'target', p })),
    weight: 8,
  },
  {
    arbitrary: fc.record({ ...valid, modelServer: validServer() }, { requiredKeys: ['maxReplicas', 'metrics', 'modelServer'] })
      .map((p) => ({ mode: 'server', p })),
    weight: 7,
  },
  {
    arbitrary: fc.record({ ...valid, target: targetSpec(), withService: fc.boolean() }, { requiredKeys: ['maxReplicas', 'metrics', 'target'] })
      .map((p) => ({ mode: 'target', p })),
    weight: 5,
  },
  // Valid props around a model server whose every field may be wrong: reaches the server's own checks.
  {
    arbitrary: fc.record({ ...valid, modelServer: modelServerProps() }, { requiredKeys: ['maxReplicas', 'metrics', 'modelServer'] })
      .map((p) => ({ mode: 'server', p })),
    weight: 6,
  },
  { arbitrary: fc.record({ ...common, target: wrongType(), targetService: optional(wrongType()) }).map((p) => ({ mode: 'raw', p })), weight: 1 },
  { arbitrary: fc.record({ ...common, modelServer: modelServerProps(), target: targetSpec() }).map((p) => ({ mode: 'both', p })), weight: 1 },
  { arbitrary: fc.record(common).map((p) => ({ mode: 'neither', p })), weight: 1 },
  { arbitrary: wrongType().map((p) => ({ mode: 'wrong', p })), weight: 1 },
);

/** Builds one case: the model server's kind and the target are made here, so their own errors count as the case's. */
export const run = ({ mode, p }: any) => synthProblems((chart) => {
  if (mode === 'wrong') {
    new InferenceAutoscaler(chart, 'autoscaler', p);
    return;
  }
  const { withService, ...rest } = p;
  const input: any = { ...rest };
  if (mode === 'server' || mode === 'both') input.modelServer = realizeServer(rest.modelServer);
  if (mode === 'target' || mode === 'both') {
    const built = buildTarget(chart, rest.target, withService === true);
    input.target = built.target;
    if (built.service) input.targetService = built.service;
  }
  new InferenceAutoscaler(chart, 'autoscaler', input);
});
export const arbitrary = props;

describe('InferenceAutoscaler', () => {
  fuzzTest('InferenceAutoscaler', props, run);
});
