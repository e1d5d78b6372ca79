import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, optional, wrongType } from './arbitraries';
import { fuzzTest, synthProblems } from './harness';
import { EndpointPickerFailureMode, GpuProduct, GpuRequest, InferenceAutoscaler, InferencePool, ScalingEngine, ScalingMetric } from '../../src';

/** The pool metrics, called through the table so each factory is fuzzed with the same targets. */
const FACTORIES = ['inferencePoolQueueSize', 'inferencePoolRunningRequests', 'inferencePoolKvCacheUtilization', 'inferencePoolSaturation'];

const poolName = fc.oneof({ arbitrary: fc.constantFrom('chat', 'qwen-3b'), weight: 8 }, { arbitrary: dnsLabel(), weight: 2 },
  { arbitrary: fc.constantFrom('Chat', 'a_b', '', 'x'.repeat(70)), weight: 1 }, { arbitrary: wrongType(), weight: 1 });

const picker = fc.record({
  replicas: optional(fc.integer({ min: -1, max: 12 })),
  cpu: optional(fc.integer({ min: 1, max: 16 }).map(n => kplus.Cpu.units(n))),
  flowControl: optional(fc.boolean()),
  image: optional(fc.constantFrom('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0', 'example/epp', 'example/epp:latest', 'not an image')),
  scrapeInterval: optional(fc.integer({ min: 0, max: 7200 }).map(s => Duration.seconds(s))),
});

const route = fc.record({
  gatewayName: fc.oneof({ arbitrary: fc.constant('inference-gateway'), weight: 6 }, { arbitrary: fc.constantFrom('Bad_Name', ''), weight: 1 }),
  gatewayNamespace: optional(fc.constantFrom('gateway', 'Not-OK')),
  sectionName: optional(fc.constantFrom('https', 'http')),
  pathPrefix: optional(fc.constantFrom('/', '/v1', 'v1')),
  baseModelName: optional(fc.constantFrom('Qwen/Qwen2.5-3B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct')),
  requestTimeout: optional(fc.integer({ min: 0, max: 100_000 }).map(s => Duration.seconds(s))),
}, { requiredKeys: ['gatewayName'] });

const input = fc.record({
  name: poolName,
  factory: fc.constantFrom(...FACTORIES),
  target: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 100 }), weight: 8 },
    { arbitrary: fc.constantFrom(0, -1, 150, 0.0001, Number.NaN), weight: 1 }),
  keda: fc.boolean(),
  picker: fc.oneof({ arbitrary: picker, weight: 6 }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: wrongType(), weight: 1 }),
  ref: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: fc.record({ serviceName: fc.constantFrom('shared-epp', 'Bad'), port: optional(fc.integer({ min: 0, max: 70_000 })) }), weight: 2 }),
  failureMode: optional(fc.oneof(fc.constantFrom(...Object.values(EndpointPickerFailureMode)), fc.constant('Open'))),
  route: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: route, weight: 4 }),
});

export const run = (p: any) => synthProblems((chart) => {
  // The metric names the pool (a name the user wrote), or reads the server's queue when the pool's name is generated.
  const metric = (ScalingMetric as any)[p.factory](p.name, p.target);
  const chat = new InferenceAutoscaler(chart, 'chat', {
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }) },
    maxReplicas: 4,
    metrics: [metric],
    engine: p.keda ? ScalingEngine.keda() : undefined,
  });
  if (p.ref?.serviceName === 'shared-epp') {
    // The picker the pool refers to runs already: its Service is in the app.
    new ApiObject(chart, 'shared-epp', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shared-epp' },
      spec: { selector: { app: 'shared-epp' }, ports: [{ name: 'grpc', port: typeof p.ref.port === 'number' && p.ref.port >= 1 && p.ref.port <= 65535 ? p.ref.port : 9002 }] },
    });
  }
  new InferencePool(chart, 'pool', {
    backend: chat, name: p.name, endpointPicker: p.picker, endpointPickerRef: p.ref, failureMode: p.failureMode, route: p.route,
  });
});
export const arbitrary = input;

describe('InferencePool and the pool metrics', () => {
  fuzzTest('InferencePool', input, run);
});
