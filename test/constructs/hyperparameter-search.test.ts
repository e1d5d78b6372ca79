import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import { HyperparameterSearch, HyperparameterSearchProps } from '../../src/constructs/hyperparameter-search';
import { GpuRequest } from '../../src/values/gpu-request';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const base: HyperparameterSearchProps = {
  name: 'tune-llm',
  entrypoint: 'python tune.py',
  trialResources: { vcpus: 2, gpus: 0.5 },
  samples: 64,
  maxConcurrentTrials: 8,
};

function synth(overrides: Partial<HyperparameterSearchProps> = {}) {
  const chart = newChart({ namespace: 'research' });
  const search = new HyperparameterSearch(chart, 'tune', { ...base, ...overrides });
  const manifests = expectConformant(chart);
  return { search, manifests, job: ofKind(manifests, 'RayJob'), np: ofKind(manifests, 'NetworkPolicy') };
}

function build(overrides: Partial<HyperparameterSearchProps>): () => void {
  return () => new HyperparameterSearch(newChart(), 'tune', { ...base, ...overrides });
}

const workers = (job: any) => job.spec.rayClusterSpec.workerGroupSpecs[0];

describe('HyperparameterSearch', () => {
  test('synthesizes a RayJob on an elastic GPU cluster (snapshot)', () => {
    const { manifests } = synth();
    expect(manifests.map(m => m.kind)).toEqual(['RayJob', 'NetworkPolicy']);
    expect(manifests).toMatchSnapshot();
  });

  test('runs the entrypoint and shuts the cluster down after the job', () => {
    const { job } = synth();
    expect(job.spec.entrypoint).toBe('python tune.py');
    expect(job.spec.submissionMode).toBe('K8sJobMode');
    expect(job.spec.shutdownAfterJobFinishes).toBe(true);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(job.spec.activeDeadlineSeconds).toBe(86400);
    expect(job.spec.suspend).toBeUndefined();
  });

  test('deadline and ttlAfterFinished map to seconds', () => {
    const { job } = synth({ deadline: Duration.hours(6), ttlAfterFinished: Duration.minutes(10) });
    expect(job.spec.activeDeadlineSeconds).toBe(21600);
    expect(job.spec.ttlSecondsAfterFinished).toBe(600);
  });

  test('runtimeEnvYAML parses as YAML with the given fields and the TUNE_* variables', () => {
    const { job } = synth({
      runtimeEnv: { workingDir: 's3://bucket/tune.zip', pipPackages: ['optuna==4.1.0', 'torch>=2.4'], env: { WANDB_PROJECT: 'llm: "x"' } },
    });
    expect(parse(job.spec.runtimeEnvYAML)).toEqual({
      working_dir: 's3://bucket/tune.zip',
      pip: ['optuna==4.1.0', 'torch>=2.4'],
      env_vars: {
        WANDB_PROJECT: 'llm: "x"',
        TUNE_NUM_SAMPLES: '64',
        TUNE_MAX_CONCURRENT_TRIALS: '8',
        TUNE_TRIAL_CPU: '2',
        TUNE_TRIAL_GPU: '0.5',
      },
    });
  });

  test('a checkpoint volume is mounted everywhere and passed as TUNE_STORAGE_PATH', () => {
    const { job } = synth({ checkpointVolumeClaim: 'tune-results' });
    expect(parse(job.spec.runtimeEnvYAML).env_vars.TUNE_STORAGE_PATH).toBe('/mnt/checkpoints');
    for (const g of [job.spec.rayClusterSpec.headGroupSpec, workers(job)]) {
      expect(g.template.spec.volumes).toContainEqual({ name: 'checkpoints', persistentVolumeClaim: { claimName: 'tune-results' } });
    }
  });

  test('trial cpu 2 gpu 0.5 on 8-core 1-GPU workers: 2 trials per worker, 4 workers for 8 concurrent', () => {
    const { search, job } = synth();
    expect(search.trialsPerWorker).toBe(2);
    expect(search.maxWorkers).toBe(4);
    expect(search.maxConcurrentTrialsAtMaxScale).toBe(8);
    expect(workers(job)).toMatchObject({ minReplicas: 0, replicas: 0, maxReplicas: 4, rayStartParams: { 'num-cpus': '8', 'num-gpus': '1' } });
    expect(workers(job).template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  test('rounding up workers can allow more trials than requested', () => {
    const { search } = synth({ trialResources: { vcpus: 3 }, maxConcurrentTrials: 5, workerCpu: kplus.Cpu.units(8) });
    expect(search.trialsPerWorker).toBe(2);
    expect(search.maxWorkers).toBe(3);
    expect(search.maxConcurrentTrialsAtMaxScale).toBe(6);
  });

  test('the scarcest resource decides: 0.25 GPU but 4 cores of 16 on a 2-GPU worker gives 4 trials', () => {
    const { search } = synth({
      trialResources: { vcpus: 4, gpus: 0.25 }, workerCpu: kplus.Cpu.units(16), workerGpu: GpuRequest.of(2), maxConcurrentTrials: 10,
    });
    expect(search.trialsPerWorker).toBe(4);
    expect(search.maxWorkers).toBe(3);
    expect(search.maxConcurrentTrialsAtMaxScale).toBe(12);
  });

  test('trial memory limits trials per worker; CPU-only trials get CPU-only workers', () => {
    const { search, job } = synth({
      trialResources: { vcpus: 0.5, memory: Size.gibibytes(6) }, workerMemory: Size.gibibytes(32), maxConcurrentTrials: 20,
    });
    expect(search.trialsPerWorker).toBe(5);
    expect(search.maxWorkers).toBe(4);
    expect(workers(job).rayStartParams).toEqual({ 'num-cpus': '8' });
    expect(workers(job).template.spec.containers[0].image).toBe('rayproject/ray:2.52.0');
    expect(parse(job.spec.runtimeEnvYAML).env_vars.TUNE_TRIAL_GPU).toBe('0');
  });

  test('whole-GPU trials get workers with that many GPUs by default', () => {
    const { search, job } = synth({ trialResources: { vcpus: 4, gpus: 2 }, maxConcurrentTrials: 3 });
    expect(workers(job).rayStartParams['num-gpus']).toBe('2');
    expect(search.trialsPerWorker).toBe(1);
    expect(search.maxWorkers).toBe(3);
  });

  test('token authentication, a ClusterIP head and a dashboard on 0.0.0.0 for the submitter', () => {
    const { job } = synth();
    const cluster = job.spec.rayClusterSpec;
    expect(cluster.authOptions).toEqual({ mode: 'token' });
    expect(cluster.headGroupSpec.serviceType).toBe('ClusterIP');
    expect(cluster.headGroupSpec.rayStartParams).toEqual({ 'num-cpus': '0', 'dashboard-host': '0.0.0.0' });
    expect(cluster.enableInTreeAutoscaling).toBe(true);
    expect(cluster.autoscalerOptions.version).toBe('v2');
    expect(workers(job).template.spec.restartPolicy).toBe('Never');
  });

  test('the NetworkPolicy selects the job\'s Ray pods and admits the submitter, operator and Prometheus only', () => {
    const { job, np } = synth();
    const rayLabels = { 'app.kubernetes.io/instance': 'tune-llm', 'app.kubernetes.io/component': 'ray-cluster' };
    expect(job.spec.rayClusterSpec.headGroupSpec.template.metadata.labels).toEqual(rayLabels);
    expect(workers(job).template.metadata.labels).toEqual(rayLabels);
    expect(np.spec.podSelector).toEqual({ matchLabels: rayLabels });
    const submitterLabels = job.spec.submitterPodTemplate.metadata.labels;
    expect(submitterLabels).toEqual({ 'app.kubernetes.io/instance': 'tune-llm', 'app.kubernetes.io/component': 'ray-job-submitter' });
    const dashboard = [{ protocol: 'TCP', port: 8265 }];
    expect(np.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: rayLabels } }] },
      {
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/component': 'kuberay-operator' } },
        }],
        ports: dashboard,
      },
      { from: [{ podSelector: { matchLabels: { 'ray.io/originated-from-crd': 'RayJob' } } }], ports: dashboard },
      { from: [{ podSelector: { matchLabels: submitterLabels } }], ports: dashboard },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('every pod is do-not-disrupt and GPU workers stay on on-demand capacity unless spot is allowed', () => {
    const { job } = synth();
    for (const g of [job.spec.rayClusterSpec.headGroupSpec, workers(job)]) {
      expect(g.template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    }
    const gpuSelector = { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' };
    expect(workers(job).template.spec.nodeSelector).toEqual({ ...gpuSelector, 'karpenter.sh/capacity-type': 'on-demand' });
    expect(workers(synth({ allowSpotGpuWorkers: true }).job).template.spec.nodeSelector).toEqual(gpuSelector);
    expect(workers(job).template.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('the submitter pod meets Pod Security restricted and leaves the command to KubeRay', () => {
    const { job } = synth();
    const pod = job.spec.submitterPodTemplate.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].command).toBeUndefined();
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('can be created suspended', () => {
    expect(synth({ suspend: true }).job.spec.suspend).toBe(true);
  });

  test('a Kueue queue labels the job and fixes the worker group at maxWorkers (Kueue refuses autoscaling)', () => {
    const { job, search } = synth({ queueName: 'research-gpu' });
    expect(job.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'research-gpu' });
    expect(job.spec.managedBy).toBeUndefined();
    expect(job.spec.rayClusterSpec.enableInTreeAutoscaling).toBe(false);
    expect(job.spec.rayClusterSpec.autoscalerOptions).toBeUndefined();
    expect(workers(job)).toMatchObject({ minReplicas: 4, replicas: 4, maxReplicas: 4 });
    expect(search.footprint.minReplicas).toBe(4);
  });

  test('under in-tree autoscaling the sidecar alone gets the head service account token', () => {
    const c = synth().job.spec.rayClusterSpec;
    expect(c.enableInTreeAutoscaling).toBe(true);
    const head = c.headGroupSpec.template.spec;
    expect(head.automountServiceAccountToken).toBe(false);
    // KubeRay sets the head's serviceAccountName to the one it binds to the autoscaler Role: the library must not set another.
    expect(head.serviceAccountName).toBeUndefined();
    const volume = head.volumes.find((v: any) => v.projected);
    expect(volume.name).toBe('autoscaler-api-access');
    expect(volume.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(c.autoscalerOptions.volumeMounts).toEqual([
      { name: 'autoscaler-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ]);
    expect(head.containers.map((x: any) => x.name)).toEqual(['ray-head']);
    expect(head.containers[0].volumeMounts.map((m: any) => m.name)).not.toContain('autoscaler-api-access');
    expect(workers({ spec: { rayClusterSpec: c } }).template.spec.volumes.filter((v: any) => v.projected)).toEqual([]);
  });

  test('a queued (not autoscaled) cluster gets no service account token at all', () => {
    const c = synth({ queueName: 'research-gpu' }).job.spec.rayClusterSpec;
    expect(c.enableInTreeAutoscaling).toBe(false);
    for (const spec of [c.headGroupSpec.template.spec, c.workerGroupSpecs[0].template.spec]) {
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.volumes.filter((v: any) => v.projected || v.name === 'autoscaler-api-access')).toEqual([]);
      expect(spec.containers.flatMap((x: any) => x.volumeMounts ?? []).map((m: any) => m.mountPath))
        .not.toContain('/var/run/secrets/kubernetes.io/serviceaccount');
    }
  });

  test('MultiKueue sets managedBy', () => {
    expect(synth({ queueName: 'research-gpu', multiKueue: true }).job.spec.managedBy).toBe('kueue.x-k8s.io/multikueue');
  });

  test('the deprecated kueueQueue still labels the job', () => {
    expect(synth({ kueueQueue: 'research-gpu' }).job.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'research-gpu' });
  });

  test('the footprint is the trial worker group, owned by the RayJob', () => {
    const { search } = synth();
    expect(search.footprint).toMatchObject({
      target: { apiVersion: 'ray.io/v1', kind: 'RayJob', name: 'tune-llm' },
      minReplicas: 0,
      maxReplicas: 4,
      requests: { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpus: 1 },
      scalingOwner: { kind: 'RayJob', name: 'tune-llm' },
    });
  });

  test('a generated name fits KubeRay\'s 47-character RayJob limit', () => {
    const chart = newChart();
    const s = new HyperparameterSearch(chart, 'a-rather-long-construct-id-for-a-hyperparameter-search-job', { ...base, name: undefined });
    expect(s.jobName.length).toBeLessThanOrEqual(47);
    expectConformant(chart);
  });

  describe('rejects', () => {
    test.each([
      [{ samples: 0 }, "[test/tune] 'samples' (0) must be a whole number at least 1 and at most 2147483647: run at least one trial"],
      [{ maxConcurrentTrials: -2 },
        "[test/tune] 'maxConcurrentTrials' (-2) must be a whole number at least 1 and at most 2147483647: allow at least one trial at a time"],
      [{ trialResources: { vcpus: 0 } },
        "[test/tune] 'trialResources.vcpus' (0) must be a number above zero: give each trial a CPU share above zero, e.g. 1 or 0.5"],
      [{ trialResources: { vcpus: 12 } },
        "[test/tune] 'trialResources.vcpus' (12) needs more CPU than a worker has (8): raise workerCpu or lower trialResources.vcpus"],
      [{ trialResources: { vcpus: 1, gpus: 2 }, workerGpu: GpuRequest.of(1) },
        "[test/tune] 'trialResources.gpus' (2) needs more GPU than a worker has (1): raise workerGpu or lower trialResources.gpus"],
      [{ trialResources: { vcpus: 1, memory: Size.gibibytes(64) } },
        "[test/tune] 'trialResources.memory' (65536) needs more memory (MiB) than a worker has (32768): " +
        'raise workerMemory or lower trialResources.memory'],
      [{ trialResources: { vcpus: 1, gpus: 1.5 } },
        "[test/tune] 'trialResources.gpus' (1.5) is a fraction above 1, which Ray does not schedule: " +
        'use a fraction up to 1 (trials share a GPU) or a whole number of GPUs'],
      [{ trialResources: { vcpus: 1, gpus: -1 } },
        "[test/tune] 'trialResources.gpus' (-1) must be zero or more: use a fraction up to 1 to share a GPU, or whole GPUs"],
      [{ trialResources: { vcpus: 1 }, workerGpu: GpuRequest.of(1) },
        "[test/tune] 'trialResources.gpus' (undefined) is not set while 'workerGpu' is, so the GPUs would sit idle: " +
        'set trialResources.gpus, or remove workerGpu'],
      [{ deadline: Duration.seconds(0) },
        "[test/tune] 'deadline' (\"0s\") must be a whole number of seconds above zero (KubeRay rejects others): " +
        'give the job time to run, e.g. Duration.hours(24)'],
      [{ ttlAfterFinished: Duration.millis(1500) },
        "[test/tune] 'ttlAfterFinished' (\"1.5s\") must be a whole number of seconds, zero or more: " +
        'use Duration.seconds(0) to delete at once, or a longer duration'],
      [{ multiKueue: true },
        "[test/tune] 'multiKueue' (true) needs 'queueName': MultiKueue dispatches only queued jobs: set queueName, or remove multiKueue"],
      [{ queueName: 'Research_GPU' },
        "[test/tune] 'queueName' (\"Research_GPU\") is not a LocalQueue name (a DNS-1123 subdomain of at most 63 characters): " +
        'give the name of a LocalQueue in the workload\'s namespace (KueueQueues names them after the team), e.g. "research"'],
      [{ queueName: 'a', kueueQueue: 'b' },
        "[test/tune] 'kueueQueue' (\"b\") is the deprecated name of 'queueName', which is also given: give queueName only"],
      [{ rayVersion: '2.46.0' },
        "[test/tune] 'rayVersion' (\"2.46.0\") is below 2.52.0, the first Ray with token authentication: use Ray 2.52.0 or later"],
      [{ name: 'a-very-long-ray-job-name-that-exceeds-the-limit-x' },
        "[test/tune] 'name' (\"a-very-long-ray-job-name-that-exceeds-the-limit-x\") is not a DNS-1035 label of at most 47 characters " +
        "(KubeRay's limit for a RayJob): use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"],
      [{ entrypoint: ' ' }, "[test/tune] 'entrypoint' (\" \") is empty: give the command that runs the search, e.g. 'python tune.py'"],
      [{ runtimeEnv: { env: { TUNE_NUM_SAMPLES: '3' } } },
        "[test/tune] 'runtimeEnv.env.TUNE_NUM_SAMPLES' (\"3\") is set by this construct from its props: " +
        'remove it and set samples, maxConcurrentTrials, trialResources or checkpointVolumeClaim instead'],
      [{ workerGpu: GpuRequest.of(0) }, "[test/tune] 'workerGpu.gpus' (0) must be a whole number from 1 to 64: " +
        'request whole GPUs (1 or more); to share a GPU use time-slicing or MIG profiles in the device plugin'],
      [{ suspend: 'false' as any },
        "[test/tune] 'suspend' (\"false\") must be true or false (a boolean), not a string: write suspend: false without quotes, "
        + 'or leave it unset for the default'],
      [{ allowSpotGpuWorkers: 'false' as any },
        "[test/tune] 'allowSpotGpuWorkers' (\"false\") must be true or false (a boolean), not a string: write allowSpotGpuWorkers: false "
        + 'without quotes, or leave it unset for the default'],
      [{ priorityClassName: 'Gpu_Training' },
        "[test/tune] 'priorityClassName' (\"Gpu_Training\") is not a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, "
        + "'-' and '.', at most 253 characters): give the name of a PriorityClass in the cluster, e.g. \"gpu-training\", "
        + "or leave it out to use the app's GpuWorkPriorities"],
      [{ maxConcurrentTrials: 2 ** 31 },
        "[test/tune] 'maxConcurrentTrials' (2147483648) must be a whole number at least 1 and at most 2147483647: allow at least one trial at a time"],
      [{ operatorNamespace: 'Kuberay System' },
        "[test/tune] 'operatorNamespace' (\"Kuberay System\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', "
        + 'starting and ending with a letter or digit): use a name such as "kuberay-system"'],
      [{ trialResources: { vcpus: '2' as any } },
        "[test/tune] 'trialResources.vcpus' (\"2\") must be a number above zero: give each trial a CPU share above zero, e.g. 1 or 0.5"],
      [{ trialResources: undefined as any },
        "[test/tune] 'trialResources' (undefined) must be an object of named fields, not undefined: give { vcpus, gpus, memory } of one trial, "
        + 'e.g. { vcpus: 2, gpus: 0.5 }'],
      [{ queueName: 'q'.repeat(64) }, 'is 64 characters long, more than the 63 allowed'],
    ] as [Partial<HyperparameterSearchProps>, string][])('%j', (overrides, message) => {
      expect(build(overrides)).toThrow(message);
    });
  });
});
