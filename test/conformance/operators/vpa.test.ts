import { VPA_CHECK } from './vpa';
import * as f from '../fixtures';

const check = (...objects: any[]) => VPA_CHECK.check(objects);
const GATES = 'cdk8s-ml-scaling/vpa-feature-gates';

function withPolicy(policy: Record<string, unknown>): any {
  const v = f.vpa();
  Object.assign(v.spec.resourcePolicy.containerPolicies[0], policy);
  return v;
}

describe('VPA 1.7.1 admission', () => {
  test.each([['Off'], ['Initial'], ['Recreate'], ['InPlaceOrRecreate']])('accepts update mode %s with the default gates', (mode) => {
    const v = f.vpa();
    v.spec.updatePolicy.updateMode = mode;
    expect(check(v)).toEqual([]);
  });

  test('refuses InPlace unless the InPlace gate is declared on', () => {
    const v = f.vpa();
    v.spec.updatePolicy.updateMode = 'InPlace';
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.updatePolicy.updateMode: Forbidden: in order to use UpdateMode InPlace, '
      + 'you must enable feature gate InPlace in the admission-controller args (--feature-gates=InPlace=true; alpha, off by default in VPA 1.7.1)']);
    v.metadata.annotations = { [GATES]: 'PerVPAConfig, InPlace' };
    expect(check(v)).toEqual([]);
  });

  test('refuses an updatePolicy without updateMode', () => {
    const v = f.vpa();
    v.spec.updatePolicy = { minReplicas: 1 };
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.updatePolicy.updateMode: Required value: updateMode is required if UpdatePolicy is used']);
  });

  test('refuses minReplicas 0', () => {
    const v = f.vpa();
    v.spec.updatePolicy.minReplicas = 0;
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.updatePolicy.minReplicas: Invalid value: 0: minReplicas has to be positive']);
  });

  test('refuses evictAfterOOMSeconds without PerVPAConfig', () => {
    const v = f.vpa();
    v.spec.updatePolicy.evictAfterOOMSeconds = 60;
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.updatePolicy.evictAfterOOMSeconds: Forbidden: not supported when feature flag PerVPAConfig is disabled']);
  });

  test('refuses maxAllowed below minAllowed', () => {
    expect(check(withPolicy({ minAllowed: { memory: '8Gi' }, maxAllowed: { memory: '4Gi' } }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].maxAllowed[memory]: Invalid value: "4Gi": max resource for memory is lower than min of "8Gi"',
    ]);
  });

  test('refuses CPU finer than a millicore and memory finer than a byte', () => {
    expect(check(withPolicy({ minAllowed: { cpu: '0.0005', memory: '0.5' }, maxAllowed: { cpu: '2', memory: '64Gi' } }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].minAllowed[cpu]: Invalid value: "0.0005": must be a whole number of milli CPUs',
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].minAllowed[memory]: Invalid value: "0.5": must be a whole number of bytes',
    ]);
  });

  test('refuses controlledValues RequestsAndLimits on a container whose mode is Off', () => {
    expect(check(withPolicy({ mode: 'Off', controlledValues: 'RequestsAndLimits' }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].controlledValues: Forbidden: controlledValues shouldn\'t be specified if container scaling mode is off',
    ]);
    expect(check(withPolicy({ mode: 'Off', controlledValues: 'RequestsOnly' }))).toEqual([]);
  });

  test('refuses a container policy without a name and an unknown mode', () => {
    expect(check(withPolicy({ containerName: '', mode: 'Sometimes' }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].containerName: Required value',
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].mode: Unsupported value: "Sometimes": supported values: "Auto", "Off"',
    ]);
  });

  test('refuses per-VPA recommender settings without PerVPAConfig', () => {
    expect(check(withPolicy({ oomBumpUpRatio: '1.5' }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].oomBumpUpRatio: Forbidden: not supported when feature flag PerVPAConfig is disabled',
    ]);
  });

  test('refuses startupBoost without CPUStartupBoost', () => {
    const v = f.vpa();
    v.spec.startupBoost = { cpu: { type: 'Factor', factor: 2 } };
    expect(check(v)).toEqual([expect.stringContaining('spec.startupBoost: Forbidden: in order to use startupBoost, you must enable feature gate CPUStartupBoost')]);
  });

  test('refuses more than one recommender', () => {
    const v = f.vpa();
    v.spec.recommenders = [{ name: 'a' }, { name: 'b' }];
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.recommenders: Too many: 2: must have at most 1 items']);
  });

  test('reports a controlled resource other than cpu and memory, which the recommender ignores', () => {
    expect(check(withPolicy({ controlledResources: ['memory', 'nvidia.com/gpu'] }))).toEqual([
      'VerticalPodAutoscaler/llm-server: spec.resourcePolicy.containerPolicies[0].controlledResources[1]: "nvidia.com/gpu" is silently ignored: the VPA recommends cpu and memory only',
    ]);
  });

  test('reports a VPA without targetRef', () => {
    const v = f.vpa();
    delete v.spec.targetRef;
    expect(check(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.targetRef: Required value: a VPA without targetRef sizes nothing']);
  });
});
