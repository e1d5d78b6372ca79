import { LWS_CHECK } from './lws';

const check = (...objects: any[]) => LWS_CHECK.check(objects);

/** The shape of LWS v0.10.0's docs/examples/vllm/GPU/lws.yaml, trimmed to what the webhook reads. */
function lws(): any {
  const pod = { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.12.0' }] } };
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'vllm' },
    spec: {
      replicas: 2,
      leaderWorkerTemplate: { size: 2, restartPolicy: 'RecreateGroupOnPodRestart', leaderTemplate: pod, workerTemplate: pod },
    },
  };
}

describe('LeaderWorkerSet v0.10.0 webhooks', () => {
  test('accepts the upstream vLLM example, and ignores other kinds', () => {
    expect(check(lws(), { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: '1-not-dns-1035' } })).toEqual([]);
  });

  test('the name must be a DNS-1035 label: it names the headless Service', () => {
    const o = lws();
    o.metadata.name = '405b';
    expect(check(o)).toEqual(['LeaderWorkerSet/405b: metadata.name: Invalid value: "405b": a DNS-1035 label must consist of lower case alphanumeric ' +
      'characters or \'-\', start with an alphabetic character, and end with an alphanumeric character']);
  });

  test('size at least 1, replicas within 0 to 1000000, and their product within int32', () => {
    const o = lws();
    o.spec.leaderWorkerTemplate.size = 0;
    o.spec.replicas = 1_000_001;
    expect(check(o)).toEqual([
      'LeaderWorkerSet/vllm: spec.replicas: Invalid value: 1000001: replicas must be equal or less than 1000000',
      'LeaderWorkerSet/vllm: spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1',
    ]);
    const big = lws();
    big.spec.replicas = 1_000_000;
    big.spec.leaderWorkerTemplate.size = 4096;
    expect(check(big)).toEqual([`LeaderWorkerSet/vllm: spec.replicas: Invalid value: 1000000: the product of replicas and worker replicas must not exceed ${2 ** 31 - 1}`]);
  });

  test('maxUnavailable and maxSurge: non-negative, at most 100%, and not both 0', () => {
    const o = lws();
    o.spec.rolloutStrategy = { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: '150%', maxSurge: -1, partition: -1 } };
    expect(check(o)).toEqual([
      'LeaderWorkerSet/vllm: spec.rolloutStrategy.rollingUpdateConfiguration.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      'LeaderWorkerSet/vllm: spec.rolloutStrategy.rollingUpdateConfiguration.maxSurge: Invalid value: -1: must be greater than or equal to 0',
      'LeaderWorkerSet/vllm: spec.rolloutStrategy.rollingUpdateConfiguration.partition: Invalid value: -1: must be greater than or equal to 0',
    ]);
    const zero = lws();
    // 10% of 2 groups rounds down to 0, and maxSurge defaults to 0.
    zero.spec.rolloutStrategy = { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: '10%' } };
    expect(check(zero)).toEqual(['LeaderWorkerSet/vllm: spec.rolloutStrategy.rollingUpdateConfiguration.maxUnavailable: Invalid value: "10%": ' +
      'must not be 0 when `maxSurge` is 0']);
  });

  test('subgroups: the size (or size - 1) divisible by subGroupSize; the subgroup annotation needs a policy', () => {
    const o = lws();
    o.spec.leaderWorkerTemplate.size = 5;
    o.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 3 };
    expect(check(o)).toEqual(['LeaderWorkerSet/vllm: spec.leaderWorkerTemplate.SubGroupPolicy.subGroupSize: Invalid value: 3: size or size - 1 must ' +
      'be divisible by subGroupSize']);
    const excluded = lws();
    excluded.spec.leaderWorkerTemplate.size = 4;
    excluded.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 2, subGroupPolicyType: 'LeaderExcluded' };
    expect(check(excluded)).toEqual(['LeaderWorkerSet/vllm: spec.leaderWorkerTemplate.SubGroupPolicy.subGroupSize: Invalid value: 2: size-1 must be ' +
      'divisible by subGroupSize when using LeaderExcluded']);
    const annotated = lws();
    annotated.metadata.annotations = { 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'kubernetes.io/hostname' };
    expect(check(annotated)).toEqual(['LeaderWorkerSet/vllm: metadata.annotations.leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology: Invalid ' +
      'value: "kubernetes.io/hostname": cannot have subgroup-exclusive-topology without subGroupSize set']);
  });

  test('the exclusive-topology annotation must be a label key: it becomes the pods\' topologyKey', () => {
    const o = lws();
    o.metadata.annotations = { 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'rack name' };
    expect(check(o)).toHaveLength(1);
    expect(check(o)[0]).toMatch(/^LeaderWorkerSet\/vllm: metadata.annotations.leaderworkerset.sigs.k8s.io\/exclusive-topology: Invalid value: "rack name": the pods' topologyKey name part/);
    o.metadata.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology'] = 'topology.kubernetes.io/zone';
    expect(check(o)).toEqual([]);
  });
});
