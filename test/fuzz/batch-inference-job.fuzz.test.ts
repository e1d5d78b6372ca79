import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, duration, env, image, optional, orWrong, secretEnv, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { startupEstimate } from './arbitraries-serving';
import { cpu, gpuRequest, LazyGpu, memory, queueTrigger } from './arbitraries-vpa';
import { fuzzTest, synthProblems } from './harness';
import { BatchInferenceJob, GpuProduct, GpuWorkPriorities, JobScalingStrategy, QueueTrigger } from '../../src';

const common = {
  image: fc.oneof({ arbitrary: orWrong(image(['example/embedder:1.4.0', 'vllm/vllm-openai:v0.12.0']), 20), weight: 30 },
    { arbitrary: fc.constant(undefined), weight: 1 }),
  args: optional(fc.array(orWrong(fc.constantFrom('--batch', '256', '', 'a b')), { maxLength: 3 })),
  env: optional(env()),
  secretEnv: optional(secretEnv()),
  allowUnpinnedImage: optional(fc.boolean()),
  cpu: optional(cpu()),
  memory: optional(memory()),
  gpu: optional(gpuRequest()),
  batchSize: optional(wholeNumber(1, 100_000)),
  queueName: optional(fc.oneof(dnsLabel(), fc.constantFrom('team.queue', 'a'.repeat(64), 'Team_Q'))),
  inputLocation: optional(fc.constantFrom('s3://corpus/input/', 'gs://b/in', '', '  ', 'a\nb')),
  outputLocation: optional(fc.constantFrom('s3://corpus/out/', '', 'x'.repeat(5000))),
  backoffLimit: optional(wholeNumber(0, 1000)),
  ttlAfterFinished: optional(duration(1, 86_400 * 30)),
  activeDeadline: optional(duration(1, 86_400 * 7)),
  runAsUser: optional(wholeNumber(1, 65_535)),
  nonRetriableExitCodes: optional(fc.array(orWrong(wholeNumber(1, 255)), { maxLength: 3 })),
  sharedMemorySize: optional(memory()),
  modelCacheSize: optional(memory()),
  priorityClassName: optional(fc.constantFrom('batch', 'ml-batch-inference', 'Batch', '')),
  startupEstimate: optional(startupEstimate),
  name: optional(dnsLabel()),
};
const queueOnly = {
  maxReplicaCount: optional(wholeNumber(1, 10_000), 30),
  pollingInterval: optional(duration(1, 3600)),
  successfulJobsHistoryLimit: optional(wholeNumber(0, 10_000)),
  failedJobsHistoryLimit: optional(wholeNumber(0, 10_000)),
  scalingStrategy: optional(fc.constantFrom<any>(...Object.values(JobScalingStrategy), 'Eager', 'custom')),
};
const fixedOnly = { parallelism: optional(wholeNumber(1, 100_000)), completions: optional(wholeNumber(1, 100_000)) };

/** Props of the other form, given in about one case in eight. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: arb, weight: 1 });
const fixed = fc.record({ ...common, ...fixedOnly, stray: rarely(fc.record(queueOnly, { requiredKeys: [] })) },
  { requiredKeys: ['image'] }).map(({ stray, ...p }) => ({ ...p, ...(stray ?? {}) }));
const strayFixed = rarely(fc.record(fixedOnly, { requiredKeys: [] }));
const queued = fc.record({ ...common, ...queueOnly, queue: queueTrigger(), stray: strayFixed },
  { requiredKeys: ['image', 'queue'] }).map(({ stray, ...p }) => ({ ...p, ...(stray ?? {}) }));

/** Valid values only, so that a fair share of cases is accepted and its output checked. */
const clean = {
  image: fc.constantFrom('example/embedder:1.4.0', `ghcr.io/a/b@sha256:${'a'.repeat(64)}`),
  args: fc.option(fc.array(fc.constantFrom('--batch', '256'), { maxLength: 2 }), { nil: undefined }),
  env: fc.option(fc.constantFrom({ HF_TOKEN_PATH: '/secrets/t' }, { MAX_TOKENS: '512' }), { nil: undefined }),
  secretEnv: fc.option(validSecretEnv(), { nil: undefined }),
  cpu: fc.option(fc.integer({ min: 1, max: 32_000 }).map((m) => kplus.Cpu.millis(m)), { nil: undefined }),
  memory: fc.option(fc.integer({ min: 4, max: 512 }).map((g) => Size.gibibytes(g)), { nil: undefined }),
  gpu: fc.option(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(undefined, { gpuProduct: GpuProduct.L4 }))
    .map(([n, o]) => new LazyGpu(n, o)), { nil: undefined }),
  batchSize: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
  inputLocation: fc.option(fc.constant('s3://corpus/input/'), { nil: undefined }),
  backoffLimit: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  activeDeadline: fc.option(fc.integer({ min: 1, max: 86_400 }).map((x) => Duration.seconds(x)), { nil: undefined }),
  nonRetriableExitCodes: fc.option(fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 3 }), { nil: undefined }),
  sharedMemorySize: fc.option(fc.integer({ min: 1, max: 2048 }).map((m) => Size.mebibytes(m)), { nil: undefined }),
  name: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/), { nil: undefined }),
};
const cleanFixed = fc.record({ ...clean, parallelism: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }) });
const cleanQueued = fc.record({
  ...clean,
  queue: queueTrigger().filter((q) => q instanceof QueueTrigger),
  maxReplicaCount: fc.integer({ min: 1, max: 100 }),
  scalingStrategy: fc.option(fc.constantFrom(...Object.values(JobScalingStrategy)), { nil: undefined }),
});

const input = fc.record({
  props: fc.oneof({ arbitrary: fixed, weight: 10 }, { arbitrary: queued, weight: 10 }, { arbitrary: cleanFixed, weight: 4 },
    { arbitrary: cleanQueued, weight: 4 }, { arbitrary: wrongType(), weight: 1 }),
  priorities: fc.boolean(),
});

describe('BatchInferenceJob', () => {
  fuzzTest('BatchInferenceJob', input, ({ props, priorities }) => synthProblems((chart) => {
    if (priorities) new GpuWorkPriorities(chart, 'priorities');
    const p = props !== null && typeof props === 'object' && props.gpu instanceof LazyGpu ? { ...props, gpu: props.gpu.make() } : props;
    new BatchInferenceJob(chart, 'batch', p);
  }));
});
