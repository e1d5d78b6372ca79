import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { duration, env, image, optional, orWrong, secretEnv, size, wholeNumber, wrongType } from './arbitraries';
import { startupEstimate } from './arbitraries-serving';
import { fuzzTest, numberProblems, synthProblems } from './harness';
import {
  GpuProduct, GpuRequest, InferenceAutoscaler, LargeModelServing, ModelArchitecture, ModelPrecision, ModelWeights, ScalingMetric,
} from '../../src';

/** Mostly left out: the props that rarely appear, so that most cases build. */
const rare = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: arb, weight: 2 });

const uri = fc.oneof(
  { arbitrary: fc.constantFrom('s3://models/llama-3.1-8b', 'gs://models/llama', 's3://a.b-c/x/y/'), weight: 8 },
  { arbitrary: fc.constantFrom('', 'https://example.com/m', 's3://', 's3://UPPER/x', 'gs://b/has space', 's3:/x'), weight: 1 },
  { arbitrary: wrongType(), weight: 1 },
);
const rate = optional(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4096 }), weight: 6 },
  { arbitrary: fc.constantFrom(0, -1, 1 / 1024, Number.NaN, 1e9), weight: 1 }));
const weightsSize = optional(fc.oneof({ arbitrary: size(1, 800), weight: 6 }, { arbitrary: fc.constantFrom(Size.mebibytes(0)), weight: 1 }));
const account = optional(fc.constantFrom('model-reader', 'Bad_Name', ''));

const volume = orWrong(fc.record({
  claimName: fc.oneof({ arbitrary: fc.constantFrom('weights', 'llama-70b'), weight: 8 }, { arbitrary: fc.constantFrom('', 'Weights!'), weight: 1 }),
  path: rare(fc.constantFrom('llama', 'a/b', '../etc', '/abs', 'with space', '')),
  mountPath: rare(fc.constantFrom('/model-weights', '/weights', '/models', '/tmp', 'relative', '/models/x')),
  size: rare(weightsSize),
  transferMibPerSecond: rare(rate),
}, { requiredKeys: ['claimName'] }), 20);
const download = orWrong(fc.record({
  uri,
  image: image(['amazon/aws-cli:2.27.50', 'google/cloud-sdk:530.0.0-slim']),
  command: rare(fc.constantFrom(['s5cmd', 'sync', 's3://models/x/*', '/models/weights/'], [], [1])),
  serviceAccountName: rare(account),
  env: rare(env()),
  secretEnv: rare(secretEnv()),
  size: rare(weightsSize),
  transferMibPerSecond: rare(rate),
  storageClassName: rare(fc.constantFrom('gp3', 'premium-rwo', 'Bad Class')),
}, { requiredKeys: ['uri', 'image'] }), 20);
const stream = orWrong(fc.record({
  uri,
  serviceAccountName: rare(account),
  env: rare(env()),
  secretEnv: rare(secretEnv()),
  size: rare(weightsSize),
  transferMibPerSecond: rare(rate),
  concurrency: rare(wholeNumber(1, 2048)),
}, { requiredKeys: ['uri'] }), 20);

/** Estimates with and without the parts a source fills in (modelLoad, weightDownload). */
const estimate = fc.oneof(startupEstimate, fc.record({
  nodeProvisioning: duration(0, 1800),
  imagePull: duration(0, 1800),
  weightDownload: optional(duration(0, 3600)),
  modelLoad: optional(duration(0, 3600)),
  warmUp: optional(duration(0, 600)),
}, { requiredKeys: ['nodeProvisioning', 'imagePull'] }));

const source = fc.oneof(
  fc.record({ kind: fc.constant('volume'), props: volume }),
  fc.record({ kind: fc.constant('download'), props: download }),
  fc.record({ kind: fc.constant('stream'), props: stream }),
);

function weightsOf(s: any): ModelWeights {
  if (s.kind === 'volume') return ModelWeights.fromVolume(s.props);
  if (s.kind === 'download') return ModelWeights.download(s.props);
  return ModelWeights.stream(s.props);
}

const call = fc.oneof(
  fc.record({ op: fc.constant('transferTime'), source, weights: optional(size(1, 800)) }),
  fc.record({
    op: fc.constant('server'),
    source,
    image: fc.constantFrom('vllm/vllm-openai:v0.12.0', 'ghcr.io/huggingface/text-generation-inference:3.3.7'),
    args: rare(fc.constantFrom(['--port', '8000'], ['--model', 'x'], ['--load-format', 'safetensors'])),
    modelCacheSize: rare(size(1, 1000)),
    modelLoadTimeout: rare(duration(10, 7200)),
    startupEstimate: rare(estimate),
  }),
  fc.record({
    op: fc.constant('large'),
    source,
    startupEstimate: rare(estimate),
  }),
);

describe('ModelWeights', () => {
  fuzzTest('ModelWeights', call, (c: any) => {
    const weights = weightsOf(c.source);
    if (c.op === 'transferTime') {
      const t = weights.transferTime(c.weights);
      return numberProblems('transferTime', t.toSeconds({ integral: false }), { min: 0, max: 86_400 });
    }
    if (c.op === 'server') {
      return synthProblems(chart => {
        new InferenceAutoscaler(chart, 'chat', {
          modelServer: {
            image: c.image,
            args: c.args,
            cpu: kplus.Cpu.units(4),
            memory: Size.gibibytes(16),
            gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
            modelWeights: weights,
            modelCacheSize: c.modelCacheSize,
            modelLoadTimeout: c.modelLoadTimeout,
            startupEstimate: c.startupEstimate,
          },
          maxReplicas: 4,
          metrics: [ScalingMetric.cpuUtilization(70)],
        });
      });
    }
    return synthProblems(chart => {
      new LargeModelServing(chart, 'llama', {
        image: 'vllm/vllm-openai:v0.12.0',
        model: ModelArchitecture.LLAMA_3_1_8B,
        modelId: 'meta-llama/Llama-3.1-8B-Instruct',
        precision: ModelPrecision.FP8,
        gpuProduct: GpuProduct.L4,
        maxReplicas: 3,
        modelWeights: weights,
        startupEstimate: c.startupEstimate,
      });
    });
  });

  test('a download at a stated rate adds its time to the estimate', () => {
    const w = ModelWeights.download({ uri: 's3://models/x', image: 'amazon/aws-cli:2.27.50', size: Size.gibibytes(140), transferMibPerSecond: 1024 });
    expect(w.transferTime().toSeconds()).toBe(140);
    expect(Duration.seconds(140).toSeconds()).toBe(140);
  });
});
