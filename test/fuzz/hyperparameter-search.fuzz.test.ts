import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { duration, dnsLabel, env, optional, orWrong, realNumber, secretEnv, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { bool, cpu, gpuRequest, memory, priorityClassName, rayVersion } from './arbitraries-ray';
import { fuzzTest, synthProblems } from './harness';
import { GpuRequest, GpuWorkPriorities, HyperparameterSearch } from '../../src';

const text = fc.oneof(
  { arbitrary: fc.constantFrom('python tune.py', 'python -m tune --epochs 3', 's3://bucket/code.zip', 'torch==2.5.1'), weight: 8 },
  { arbitrary: fc.constantFrom('', ' ', 'a\nb', 'x'.repeat(20_000)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
);

const trialResources = orWrong(fc.record({
  vcpus: orWrong(fc.oneof(realNumber(0.1, 8), fc.constantFrom(1, 2, 0.5, 1e-9, Number.MIN_VALUE))),
  gpus: optional(fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1, 2, 1.5, 4, 100, 1e-9), realNumber(0, 2))),
  memory: optional(memory()),
}, { requiredKeys: ['vcpus'] }), 30);

const fuzzyProps = fc.record({
  entrypoint: orWrong(text),
  runtimeEnv: optional(fc.record({
    workingDir: optional(text),
    pipPackages: optional(fc.array(orWrong(text), { maxLength: 2 })),
    env: optional(fc.oneof(env(), fc.constant({ TUNE_NUM_SAMPLES: '3' }))),
  }, { requiredKeys: [] })),
  secretEnv: optional(secretEnv()),
  trialResources,
  samples: orWrong(wholeNumber(1, 100)),
  maxConcurrentTrials: orWrong(fc.oneof(wholeNumber(1, 16), fc.constant(2 ** 31 - 1))),
  workerGpu: optional(gpuRequest()),
  workerCpu: optional(cpu()),
  workerMemory: optional(memory()),
  head: optional(fc.record({ cpu: optional(cpu()), memory: optional(memory()) }, { requiredKeys: [] })),
  rayVersion: optional(rayVersion()),
  deadline: optional(duration(0, 100_000)),
  ttlAfterFinished: optional(fc.oneof(duration(0, 100_000), fc.constant(Duration.seconds(2 ** 31)))),
  suspend: bool(),
  kueueQueue: optional(fc.oneof(dnsLabel(), fc.constantFrom('team.queue', 'a'.repeat(64)))),
  queueName: optional(fc.oneof(dnsLabel(), fc.constantFrom('team.queue', 'a'.repeat(64), 'Team_Q'))),
  multiKueue: bool(),
  name: optional(fc.oneof(dnsLabel(), fc.constant('a'.repeat(48)))),
  allowSpotGpuWorkers: bool(),
  checkpointVolumeClaim: optional(dnsLabel()),
  priorityClassName: optional(priorityClassName()),
  operatorNamespace: optional(dnsLabel()),
  prometheusNamespace: optional(dnsLabel()),
}, { requiredKeys: ['entrypoint', 'trialResources', 'samples', 'maxConcurrentTrials'] });

/** Searches that should build, so that the later checks and the synthesized RayJob are reached often. */
const validProps = fc.record({
  entrypoint: fc.constantFrom('python tune.py', 'python -m tune'),
  trialResources: fc.record({ vcpus: fc.constantFrom(0.5, 1, 2, 4), gpus: fc.constantFrom(undefined, 0.5, 1) }),
  samples: fc.integer({ min: 1, max: 200 }),
  maxConcurrentTrials: fc.integer({ min: 1, max: 32 }),
  workerMemory: fc.option(fc.integer({ min: 16, max: 64 }).map((g) => Size.gibibytes(g)), { nil: undefined }),
  queueName: fc.option(fc.constantFrom('research', 'gpu-queue'), { nil: undefined }),
  suspend: fc.option(fc.boolean(), { nil: undefined }),
  runtimeEnv: fc.option(fc.record({ pipPackages: fc.constant(['torch==2.5.1']), env: fc.constant({ HF_HOME: '/tmp/hf' }) }), { nil: undefined }),
  secretEnv: fc.option(validSecretEnv(), { nil: undefined }),
}).map((p) => (p.trialResources.gpus !== undefined && p.trialResources.gpus > 0 ? { ...p, workerGpu: GpuRequest.of(1) } : p));

const props = fc.oneof({ arbitrary: validProps, weight: 10 }, { arbitrary: fuzzyProps, weight: 20 }, { arbitrary: wrongType(), weight: 1 });

describe('HyperparameterSearch', () => {
  fuzzTest('HyperparameterSearch', fc.tuple(props, fc.boolean()), ([p, withPriorities]) => synthProblems((chart) => {
    if (withPriorities) new GpuWorkPriorities(chart, 'priorities');
    new HyperparameterSearch(chart, 'tune', p);
  }));
});
