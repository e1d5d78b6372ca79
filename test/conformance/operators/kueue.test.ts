import { KUEUE_CHECK } from './kueue';
import * as f from '../fixtures';

const check = (...objects: any[]) => KUEUE_CHECK.check(objects);
const QUEUE = 'kueue.x-k8s.io/queue-name';

/** A RayJob Kueue may manage: queued, fixed-size cluster, cluster deleted after the job. */
function queuedRayJob(): any {
  const j = f.rayJob();
  j.metadata.labels = { [QUEUE]: 'team-a' };
  j.spec.rayClusterSpec.enableInTreeAutoscaling = false;
  delete j.spec.rayClusterSpec.autoscalerOptions;
  j.spec.rayClusterSpec.workerGroupSpecs[0].minReplicas = 2;
  j.spec.rayClusterSpec.workerGroupSpecs[0].maxReplicas = 2;
  return j;
}

function queuedJob(): any {
  const j = f.job();
  j.metadata.labels = { [QUEUE]: 'batch' };
  j.spec.parallelism = 4;
  j.spec.completions = 4;
  j.spec.completionMode = 'Indexed';
  return j;
}

describe('Kueue v0.19.2 webhooks', () => {
  test('accepts a queued RayJob and Job, and ignores unqueued ones', () => {
    expect(check(queuedRayJob(), queuedJob(), f.rayJob(), f.rayCluster())).toEqual([]);
  });

  test('a queued RayJob must delete its cluster after finishing', () => {
    const j = queuedRayJob();
    j.spec.shutdownAfterJobFinishes = false;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.shutdownAfterJobFinishes: Invalid value: a kueue managed job should delete the cluster after finishing']);
  });

  test('a queued RayJob may not use an existing cluster together with its own spec', () => {
    const j = queuedRayJob();
    j.spec.clusterSelector = { 'ray.io/cluster': 'shared' };
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.clusterSelector: Invalid value: a kueue managed job should not use an existing cluster']);
  });

  test('a queued RayJob needs a rayClusterSpec', () => {
    const j = queuedRayJob();
    delete j.spec.rayClusterSpec;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.rayClusterSpec: Required value: rayClusterSpec is required for Kueue-managed jobs that don\'t use clusterSelector']);
  });

  test('a queued RayJob with in-tree autoscaling, unless it is an elastic job', () => {
    const j = queuedRayJob();
    j.spec.rayClusterSpec.enableInTreeAutoscaling = true;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.rayClusterSpec.enableInTreeAutoscaling: a kueue managed job should only use autoscaling when workload slicing is enabled']);
    j.metadata.annotations = { 'kueue.x-k8s.io/elastic-job': 'true' };
    expect(check(j)).toEqual([]);
  });

  test('a queued RayCluster with autoscaling needs the elastic-job annotation', () => {
    const rc = f.rayCluster();
    rc.metadata.labels = { [QUEUE]: 'team-a' };
    expect(check(rc)).toEqual([expect.stringContaining('spec.enableInTreeAutoscaling: a kueue-managed RayCluster can use autoscaling only as an elastic job')]);
  });

  test('a worker group named head', () => {
    const j = queuedRayJob();
    j.spec.rayClusterSpec.workerGroupSpecs[0].groupName = 'head';
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.rayClusterSpec.workerGroupSpecs[0].groupName: Forbidden: "head" is reserved for the head group']);
  });

  test('more PodSets than a Workload holds (head + groups + the K8sJobMode submitter)', () => {
    const j = queuedRayJob();
    const group = j.spec.rayClusterSpec.workerGroupSpecs[0];
    j.spec.rayClusterSpec.workerGroupSpecs = Array.from({ length: 17 }, (_, i) => ({ ...structuredClone(group), groupName: `g${i}` }));
    expect(check(j)).toEqual([expect.stringContaining('spec.rayClusterSpec.workerGroupSpecs: Too many: 19: must have at most 18 items')]);
    j.spec.rayClusterSpec.workerGroupSpecs.pop();
    expect(check(j)).toEqual([]);
  });

  test('a queue name that is not a DNS-1123 subdomain', () => {
    const j = queuedRayJob();
    j.metadata.labels[QUEUE] = 'Team_A';
    expect(check(j)).toEqual([expect.stringContaining('metadata.labels[kueue.x-k8s.io/queue-name]: Invalid value: "Team_A"')]);
  });

  test('a max-exec-time label of 0', () => {
    const j = queuedJob();
    j.metadata.labels['kueue.x-k8s.io/max-exec-time-seconds'] = '0';
    expect(check(j)).toEqual(['Job/warm-model-cache: metadata.labels[kueue.x-k8s.io/max-exec-time-seconds]: Invalid value: "0": should be greater than 0']);
  });

  test('the elastic-job annotation on a kind without workload slicing', () => {
    const d = f.deployment();
    d.metadata.labels[QUEUE] = 'serving';
    d.metadata.annotations['kueue.x-k8s.io/elastic-job'] = 'true';
    expect(check(d)).toEqual(['Deployment/llm-server: metadata.annotations[kueue.x-k8s.io/elastic-job]: Forbidden: elastic job is not supported for "apps/v1/Deployment"']);
  });

  test('partial admission: min parallelism out of range, and with an elastic job', () => {
    const j = queuedJob();
    j.metadata.annotations = { 'kueue.x-k8s.io/job-min-parallelism': '4', 'kueue.x-k8s.io/elastic-job': 'true' };
    expect(check(j)).toEqual([
      'Job/warm-model-cache: metadata.annotations[kueue.x-k8s.io/job-min-parallelism]: Invalid value: 4: should be between 0 and 3',
      'Job/warm-model-cache: metadata.annotations[kueue.x-k8s.io/job-min-parallelism]: Invalid value: partial admission and elastic job cannot be used together',
    ]);
  });

  test('completions-equal-parallelism on a NonIndexed job with different counts', () => {
    const j = queuedJob();
    j.spec.completionMode = 'NonIndexed';
    j.spec.completions = 8;
    j.metadata.annotations = { 'kueue.x-k8s.io/job-completions-equal-parallelism': 'true' };
    expect(check(j)).toEqual([
      'Job/warm-model-cache: metadata.annotations[kueue.x-k8s.io/job-completions-equal-parallelism]: Invalid value: should not be enabled for NonIndexed jobs',
      'Job/warm-model-cache: spec.completions: should be equal to parallelism when kueue.x-k8s.io/job-completions-equal-parallelism annotation is true',
    ]);
  });
});
