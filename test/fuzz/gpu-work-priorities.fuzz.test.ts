import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, wholeNumber, wrongType } from './arbitraries';
import { bool, priorityClassName } from './arbitraries-ray';
import { fuzzTest, synthProblems } from './harness';
import { GpuWorkKind, GpuWorkPriorities, PreemptionPolicy, TeamGpuQuota } from '../../src';

const classOptions = (values: [number, number]) => optional(fc.record({
  name: optional(fc.oneof(priorityClassName(), fc.constantFrom('system-gpu', 'gpu-training', 'gpu-real-time-inference'))),
  value: optional(fc.oneof(wholeNumber(values[0], values[1]), wholeNumber(-(2 ** 31), 1_000_000_000), fc.constant(1_000_000_001))),
  preemptionPolicy: optional(fc.oneof(fc.constantFrom(...Object.values(PreemptionPolicy)), fc.constantFrom('Always', 'never'))),
  description: optional(fc.oneof(fc.constantFrom('Model servers first.', ''), fc.string({ maxLength: 40 }), fc.constant('d'.repeat(2000)))),
}, { requiredKeys: [] }));

const props = fc.oneof(
  {
    arbitrary: fc.record({
      realTimeInference: classOptions([500_000, 2_000_000]),
      batchInference: classOptions([50_000, 200_000]),
      training: classOptions([0, 20_000]),
      globalDefault: optional(fc.oneof(fc.constantFrom(...Object.values(GpuWorkKind)), fc.constantFrom('inference', 'TRAINING'))),
      createClasses: bool(),
    }, { requiredKeys: [] }),
    weight: 20,
  },
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: wrongType(), weight: 1 },
);

describe('GpuWorkPriorities', () => {
  fuzzTest('GpuWorkPriorities', fc.tuple(props, fc.boolean()), ([p, namespaced]) => synthProblems((chart) => {
    // A chart namespace must not reach the cluster-scoped PriorityClasses.
    const scope = namespaced ? new (chart.constructor as any)(chart.node.scope, 'ns', { namespace: 'team-a' }) : chart;
    const priorities = new GpuWorkPriorities(scope, 'priorities', p);
    // A user of the class names, so that an app with createClasses: false still synthesizes something to check.
    new TeamGpuQuota(scope, 'quota', { namespace: 'team-a', perPriorityClass: [{ priorityClassName: priorities.trainingClassName, maxGpus: 4 }] });
  }));

  // classNameOf: members of GpuWorkKind, strings that are not (other casing, Object.prototype's keys), and wrong types.
  const kind = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.values(GpuWorkKind)), weight: 12 },
    {
      arbitrary: fc.constantFrom('inference', 'TRAINING', 'Training', ' training', 'REAL_TIME_INFERENCE', 'toString', 'constructor', '__proto__',
        'hasOwnProperty', 'valueOf'),
      weight: 6,
    },
    { arbitrary: wrongType(), weight: 4 },
  );
  const names = fc.record({
    realTimeInference: optional(fc.record({ name: priorityClassName() }), 4),
    training: optional(fc.record({ name: priorityClassName() }), 4),
    createClasses: fc.constantFrom(undefined, true, false),
  }, { requiredKeys: [] });
  fuzzTest('GpuWorkPriorities.classNameOf', fc.tuple(names, kind), ([p, k]) => {
    const priorities = new GpuWorkPriorities(new Chart(Testing.app(), 'fuzz'), 'priorities', p);
    const name: unknown = priorities.classNameOf(k);
    const expected = {
      [GpuWorkKind.REAL_TIME_INFERENCE]: priorities.realTimeInferenceClassName,
      [GpuWorkKind.BATCH_INFERENCE]: priorities.batchInferenceClassName,
      [GpuWorkKind.TRAINING]: priorities.trainingClassName,
    }[k as GpuWorkKind];
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) return [`classNameOf(${String(k)}) is ${String(name)}`];
    return name === expected ? [] : [`classNameOf(${String(k)}) is ${name}, not ${expected}`];
  });
});
