import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { duration, dnsLabel, env, image, labels, optional, orWrong, secretEnv, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { bool, cpu, gpuRequest, memory, namespaces, priorityClassName, rayVersion } from './arbitraries-ray';
import { fuzzTest, synthProblems } from './harness';
import { GpuRequest, GpuWorkPriorities, RayServeInference, RayServeUpgrade, RayUpscalingMode } from '../../src';

const application = orWrong(fc.record({
  importPath: orWrong(fc.constantFrom('vllm_serve:deployment', 'ray.serve.llm:build_openai_app', 'app', ':x', 'a b:c', '')),
  deploymentName: orWrong(fc.constantFrom('VLLMDeployment', 'LLMServer:llama', 'bad name', '')),
  model: orWrong(fc.constantFrom('meta-llama/Llama-3.1-8B-Instruct', '/models/llama', '', 'two words')),
  name: optional(dnsLabel()),
  routePrefix: optional(fc.constantFrom('/', '/llama', 'llama', '/a b')),
  modelEnvName: optional(fc.constantFrom('MODEL_ID', 'MODEL', '1MODEL', '')),
  env: optional(env()),
  workingDir: optional(fc.constantFrom('https://example.com/app.zip', 's3://bucket/app.zip', 'file:///app.zip', 'https://example.com/app.tar')),
  gpusPerReplica: optional(wholeNumber(0, 9)),
  cpusPerReplica: optional(wholeNumber(0, 20)),
}, { requiredKeys: ['importPath', 'deploymentName', 'model'] }), 40);

const autoscaling = orWrong(fc.record({
  minReplicas: orWrong(wholeNumber(0, 8)),
  maxReplicas: orWrong(fc.oneof({ arbitrary: wholeNumber(0, 16), weight: 6 }, { arbitrary: wholeNumber(999, 1001), weight: 1 })),
  targetOngoingRequests: optional(wholeNumber(0, 128)),
  maxOngoingRequests: optional(wholeNumber(0, 256)),
  upscaleDelay: optional(duration(0, 120)),
  downscaleDelay: optional(fc.oneof(duration(0, 3600), fc.constant(Duration.hours(48)))),
  lookBackPeriod: optional(duration(0, 120)),
  workerIdleTimeout: optional(fc.oneof(duration(0, 600), fc.constant(Duration.millis(1500)))),
  upscalingMode: optional(fc.oneof(fc.constantFrom(...Object.values(RayUpscalingMode)), fc.constant('Fast'))),
}, { requiredKeys: ['minReplicas', 'maxReplicas'] }), 40);

const workers = orWrong(fc.record({
  gpu: orWrong(fc.oneof({ arbitrary: gpuRequest(), weight: 8 }, { arbitrary: fc.constant(GpuRequest.timeSliced()), weight: 1 })),
  cpu: orWrong(cpu()),
  memory: orWrong(memory()),
  sharedMemorySize: optional(memory()),
  groupName: optional(dnsLabel()),
  nodeSelector: optional(labels()),
  allowSpot: bool(),
}, { requiredKeys: ['gpu', 'cpu', 'memory'] }), 40);

const upgrade = optional(fc.oneof(
  fc.constant(RayServeUpgrade.newCluster()),
  fc.record({
    gatewayClassName: orWrong(fc.constantFrom('istio', 'eg', 'Not_A_Label')),
    stepSizePercent: orWrong(wholeNumber(0, 101)),
    interval: orWrong(fc.oneof(duration(0, 300), fc.constant(Duration.millis(2500)))),
    maxSurgePercent: optional(wholeNumber(0, 101)),
  }, { requiredKeys: ['gatewayClassName', 'stepSizePercent', 'interval'] }).map((o) => RayServeUpgrade.incremental(o as any)),
  wrongType(),
));

/** Props that should build, so that the later checks and the synthesis are reached as often as the first ones. */
const validProps = fc.record({
  image: fc.constant('rayproject/ray-llm:2.52.0-py311-cu128'),
  application: fc.record({
    importPath: fc.constant('vllm_serve:deployment'),
    deploymentName: fc.constant('VLLMDeployment'),
    model: fc.constant('meta-llama/Llama-3.1-8B-Instruct'),
    gpusPerReplica: fc.integer({ min: 1, max: 2 }),
  }),
  autoscaling: fc.integer({ min: 0, max: 4 }).chain((min) => fc.record({
    minReplicas: fc.constant(min),
    maxReplicas: fc.integer({ min: Math.max(1, min), max: 12 }),
    targetOngoingRequests: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
  })),
  workers: fc.record({
    gpu: fc.integer({ min: 2, max: 8 }).map((n) => GpuRequest.of(n)),
    cpu: fc.integer({ min: 2, max: 48 }).map((n) => kplus.Cpu.units(n)),
    memory: fc.integer({ min: 16, max: 192 }).map((g) => Size.gibibytes(g)),
    allowSpot: fc.option(fc.boolean(), { nil: undefined }),
  }),
  upgrade: fc.option(fc.record({ step: fc.integer({ min: 1, max: 50 }), surge: fc.integer({ min: 50, max: 100 }) })
    .map(({ step, surge }) => RayServeUpgrade.incremental({ gatewayClassName: 'istio', stepSizePercent: step, interval: Duration.seconds(30), maxSurgePercent: surge })),
  { nil: undefined }),
  clientNamespaces: fc.option(fc.array(fc.constantFrom('gateway', 'apps'), { maxLength: 2 }), { nil: undefined }),
  secretEnv: fc.option(validSecretEnv(), { nil: undefined }),
});

const props = fc.oneof(
  { arbitrary: validProps, weight: 10 },
  {
    arbitrary: fc.record({
      name: optional(fc.oneof(dnsLabel(), fc.constant('a'.repeat(48)))),
      image: orWrong(image(['rayproject/ray-llm:2.52.0-py311-cu128'])),
      allowUnpinnedImage: bool(),
      rayVersion: optional(rayVersion()),
      application,
      autoscaling,
      workers,
      head: optional(fc.record({ cpu: optional(cpu()), memory: optional(memory()) }, { requiredKeys: [] })),
      upgrade,
      clusterDeletionDelay: optional(fc.oneof(duration(0, 600), fc.constant(Duration.millis(500)))),
      secretEnv: optional(secretEnv()),
      clientNamespaces: optional(namespaces()),
      prometheusNamespace: optional(dnsLabel()),
      operatorNamespace: optional(dnsLabel()),
      priorityClassName: optional(priorityClassName()),
      tokenAuthentication: bool(),
    }, { requiredKeys: ['image', 'application', 'autoscaling', 'workers'] }),
    weight: 30,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('RayServeInference', () => {
  fuzzTest('RayServeInference', fc.tuple(props, fc.boolean()), ([p, withPriorities]) => synthProblems((chart) => {
    if (withPriorities) new GpuWorkPriorities(chart, 'priorities');
    new RayServeInference(chart, 'serve', p);
  }));

  test('the worker group\'s bounds hold exactly the replica bounds', () => {
    const n = (min: number, max: number) => fc.integer({ min, max });
    fc.assert(fc.property(n(1, 8), n(1, 8), n(0, 6), n(1, 20),
      (workerGpus, replicaGpus, min, extra) => {
        fc.pre(replicaGpus <= workerGpus);
        const s = new RayServeInference(new Chart(Testing.app(), 'c'), 'serve', {
          image: 'rayproject/ray-llm:2.52.0-py311-cu128',
          application: { importPath: 'a:b', deploymentName: 'D', model: 'm', gpusPerReplica: replicaGpus, cpusPerReplica: 0 },
          autoscaling: { minReplicas: min, maxReplicas: min + extra },
          workers: { gpu: GpuRequest.of(workerGpus), cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) },
        });
        const per = Math.floor(workerGpus / replicaGpus);
        expect(s.replicasPerWorker).toBe(per);
        // The fewest workers that hold the replicas: one fewer would not.
        for (const [replicas, workersNeeded] of [[min, s.minWorkers], [min + extra, s.maxWorkers]]) {
          expect(workersNeeded * per).toBeGreaterThanOrEqual(replicas);
          expect((workersNeeded - 1) * per).toBeLessThan(replicas === 0 ? 1 : replicas);
        }
      }));
  });
});
