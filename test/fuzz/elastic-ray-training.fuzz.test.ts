import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { duration, dnsLabel, image, optional, orWrong, secretEnv, validSecretEnv, wholeNumber, wrongType } from './arbitraries';
import { bool, cpu, gpuRequest, memory, namespaces, priorityClassName, rayVersion } from './arbitraries-ray';
import { fuzzTest, synthProblems } from './harness';
import { ElasticRayTraining, GpuRequest, GpuWorkPriorities, RayAutoscalerVersion, RayUpscalingMode } from '../../src';

const group = orWrong(fc.record({
  name: orWrong(dnsLabel()),
  minReplicas: orWrong(wholeNumber(0, 4)),
  maxReplicas: orWrong(fc.oneof({ arbitrary: wholeNumber(0, 16), weight: 6 }, { arbitrary: wholeNumber(2 ** 31 - 2, 2 ** 31), weight: 1 })),
  replicas: optional(wholeNumber(0, 8)),
  cpu: orWrong(cpu()),
  memory: orWrong(memory()),
  gpu: optional(gpuRequest()),
  sharedMemorySize: optional(memory()),
}, { requiredKeys: ['name', 'minReplicas', 'maxReplicas', 'cpu', 'memory'] }), 40);

const autoscaler = optional(fc.record({
  upscalingMode: optional(fc.oneof(fc.constantFrom(...Object.values(RayUpscalingMode)), fc.constantFrom('Fast', 'default'))),
  idleTimeout: optional(fc.oneof(duration(0, 3600), fc.constant(Duration.seconds(2 ** 31)))),
  version: optional(fc.oneof(fc.constantFrom(...Object.values(RayAutoscalerVersion)), fc.constantFrom('v3', 'V2'))),
  cpu: optional(cpu()),
  memory: optional(memory()),
}, { requiredKeys: [] }));

/** Props of clusters that should build: so that every later check is reached as often as the first ones. */
const validGroup = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
  minReplicas: fc.integer({ min: 0, max: 2 }),
  maxReplicas: fc.integer({ min: 2, max: 16 }),
  cpu: fc.integer({ min: 1, max: 16 }).map((n) => kplus.Cpu.units(n)),
  memory: fc.integer({ min: 1, max: 64 }).map((g) => Size.gibibytes(g)),
  gpu: fc.option(fc.integer({ min: 1, max: 8 }).map((n) => GpuRequest.of(n)), { nil: undefined }),
});
const validProps = fc.record({
  workerGroups: fc.array(validGroup, { minLength: 1, maxLength: 2 }),
  exposeDashboard: fc.option(fc.boolean(), { nil: undefined }),
  allowSpotGpuWorkers: fc.option(fc.boolean(), { nil: undefined }),
  allowedNamespaces: fc.option(fc.array(fc.constantFrom('team-a', 'team-b'), { maxLength: 2 }), { nil: undefined }),
  autoscaler: fc.option(fc.record({ upscalingMode: fc.constantFrom(...Object.values(RayUpscalingMode)) }), { nil: undefined }),
  secretEnv: fc.option(validSecretEnv(), { nil: undefined }),
});

const props = fc.oneof(
  { arbitrary: validProps, weight: 10 },
  {
    arbitrary: fc.record({
      name: optional(fc.oneof(dnsLabel(), fc.constant('a'.repeat(54)))),
      rayVersion: optional(rayVersion()),
      image: optional(image(['rayproject/ray:2.52.0'])),
      allowUnpinnedImage: bool(),
      secretEnv: optional(secretEnv()),
      head: optional(fc.record({ cpu: optional(cpu()), memory: optional(memory()) }, { requiredKeys: [] })),
      workerGroups: orWrong(fc.array(group, { minLength: 1, maxLength: 2 }), 40),
      allowSpotGpuWorkers: bool(),
      autoscaler,
      checkpointVolumeClaim: optional(fc.oneof(dnsLabel(), fc.constant('ckpt.v1'))),
      exposeDashboard: bool(),
      allowedNamespaces: optional(namespaces()),
      prometheusNamespace: optional(dnsLabel()),
      operatorNamespace: optional(dnsLabel()),
      priorityClassName: optional(priorityClassName()),
      tokenAuthentication: bool(),
      queueName: optional(fc.oneof(fc.constantFrom('research', 'team.queue', 'a'.repeat(64), 'Team_Q'))),
    }, { requiredKeys: ['workerGroups'] }),
    weight: 30,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('ElasticRayTraining', () => {
  fuzzTest('ElasticRayTraining', fc.tuple(props, fc.boolean()), ([p, withPriorities]) => synthProblems((chart) => {
    if (withPriorities) new GpuWorkPriorities(chart, 'priorities');
    new ElasticRayTraining(chart, 'train', p);
  }));
});
