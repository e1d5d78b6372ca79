/**
 * What Kueue v0.19.2's validating webhooks refuse in a job it manages: one with the `kueue.x-k8s.io/queue-name`
 * label (Kueue reads only the label: pkg/controller/jobframework/utils.go:L180-L182 QueueNameForObject()). The webhooks
 * are `failurePolicy=fail`, so these are admission errors. Assumes the integrations of Kueue's shipped manager config
 * (batch/job, ray.io/rayjob, ray.io/raycluster, ray.io/rayservice) and the v0.19.2 default gates
 * (pkg/features/kube_features.go: ElasticJobsViaWorkloadSlices Beta, on).
 *
 * Source: kubernetes-sigs/kueue@v0.19.2; `rayjob_webhook.go` is pkg/controller/jobs/rayjob/rayjob_webhook.go,
 * `raycluster common.go` pkg/controller/jobs/raycluster/common.go, `raycluster_webhook.go`
 * pkg/controller/jobs/raycluster/raycluster_webhook.go, `job_webhook.go` pkg/controller/jobs/job/job_webhook.go,
 * `validation.go` pkg/controller/jobframework/validation.go.
 */
import type { OperatorCheck } from './index';
import { arr, perObject, rec } from './kubernetes';
import { isDns1123Subdomain } from '../names';

export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const MAX_EXEC_TIME_LABEL = 'kueue.x-k8s.io/max-exec-time-seconds';
const ELASTIC_JOB_ANNOTATION = 'kueue.x-k8s.io/elastic-job';
const MIN_PARALLELISM_ANNOTATION = 'kueue.x-k8s.io/job-min-parallelism';
const COMPLETIONS_EQUAL_PARALLELISM_ANNOTATION = 'kueue.x-k8s.io/job-completions-equal-parallelism';
/** pkg/controller/jobframework/constants.go:L21 MaxPodSets (also the Workload API's podSets MaxItems). */
const MAX_POD_SETS = 18;
/** validation.go:L58-L63 supportedElasticJobGVKs. */
const ELASTIC_KINDS = new Set(['batch/v1/Job', 'ray.io/v1/RayCluster', 'ray.io/v1/RayJob', 'ray.io/v1/RayService']);
const MANAGED_KINDS = new Set([...ELASTIC_KINDS]);

function elastic(obj: Record<string, any>): boolean {
  // pkg/workloadslicing/workloadslicing.go:L54-L67 Enabled(): the annotation with the value "true" (and the gate, on).
  return rec(rec(obj.metadata).annotations)[ELASTIC_JOB_ANNOTATION] === 'true';
}

/** raycluster common.go:L298-L326 ValidateCreate() (RayJob, RayService) and raycluster_webhook.go:L133-L170 (RayCluster). */
function rayClusterSpecProblems(obj: Record<string, any>, spec: Record<string, any>, at: string, extraPodSets: number): string[] {
  const out: string[] = [];
  if (spec.enableInTreeAutoscaling === true && !elastic(obj)) {
    out.push(obj.kind === 'RayCluster'
      ? `${at}.enableInTreeAutoscaling: a kueue-managed RayCluster can use autoscaling only as an elastic job: enable the ElasticJobsViaWorkloadSlices `
        + `feature gate and set the "${ELASTIC_JOB_ANNOTATION}": "true" annotation`
      : `${at}.enableInTreeAutoscaling: a kueue managed job should only use autoscaling when workload slicing is enabled`);
  }
  const groups = arr(spec.workerGroupSpecs);
  // One PodSet for the head and one per worker group (ExpectedPodSetsCount); a K8sJobMode RayJob also gets the submitter's.
  const podSets = 1 + groups.length + extraPodSets;
  if (podSets > MAX_POD_SETS) out.push(`${at}.workerGroupSpecs: Too many: ${podSets}: must have at most ${MAX_POD_SETS} items (PodSets: the head, each worker group${extraPodSets ? ', the submitter' : ''})`);
  groups.forEach((g: unknown, i: number) => {
    if (rec(g).groupName === 'head') out.push(`${at}.workerGroupSpecs[${i}].groupName: Forbidden: "head" is reserved for the head group`);
  });
  return out;
}

/** rayjob_webhook.go:L107-L145 validateCreate(). */
function rayJobProblems(obj: Record<string, any>): string[] {
  const spec = rec(obj.spec);
  const selector = Object.keys(rec(spec.clusterSelector)).length > 0;
  const cluster = spec.rayClusterSpec !== undefined;
  if (selector && cluster) return ['spec.clusterSelector: Invalid value: a kueue managed job should not use an existing cluster'];
  if (selector) return []; // runs on an existing cluster: not managed by Kueue
  if (!cluster) return ['spec.rayClusterSpec: Required value: rayClusterSpec is required for Kueue-managed jobs that don\'t use clusterSelector'];
  const out: string[] = [];
  // L137-L140: else the cluster keeps holding the queue's quota after the job.
  if (spec.shutdownAfterJobFinishes !== true) out.push('spec.shutdownAfterJobFinishes: Invalid value: a kueue managed job should delete the cluster after finishing');
  // pkg/controller/jobs/rayjob/rayjob_controller.go:L157-L164 expectedPodSetsCount(): K8sJobMode (the default) adds the submitter.
  const submitter = (spec.submissionMode ?? 'K8sJobMode') === 'K8sJobMode' ? 1 : 0;
  out.push(...rayClusterSpecProblems(obj, rec(spec.rayClusterSpec), 'spec.rayClusterSpec', submitter));
  return out;
}

/** job_webhook.go:L137-L192 validatePartialAdmissionCreate(), validateSyncCompletionCreate(). */
function batchJobProblems(obj: Record<string, any>): string[] {
  const out: string[] = [];
  const spec = rec(obj.spec);
  const annotations = rec(rec(obj.metadata).annotations);
  const parallelism = spec.parallelism ?? 1;
  const podsCount = spec.completions !== undefined ? Math.min(parallelism, spec.completions) : parallelism;
  const min = annotations[MIN_PARALLELISM_ANNOTATION];
  if (min !== undefined) {
    const v = Number(min);
    if (!/^[+-]?\d+$/.test(String(min))) out.push(`metadata.annotations[${MIN_PARALLELISM_ANNOTATION}]: Invalid value: ${JSON.stringify(min)}: not an integer`);
    else if (v >= podsCount || v <= 0) out.push(`metadata.annotations[${MIN_PARALLELISM_ANNOTATION}]: Invalid value: ${v}: should be between 0 and ${podsCount - 1}`);
    if (elastic(obj)) out.push(`metadata.annotations[${MIN_PARALLELISM_ANNOTATION}]: Invalid value: partial admission and elastic job cannot be used together`);
  }
  const sync = annotations[COMPLETIONS_EQUAL_PARALLELISM_ANNOTATION];
  if (sync !== undefined && ['true', '1', 't', 'T', 'TRUE', 'True'].includes(sync)) {
    if (spec.completionMode !== 'Indexed') out.push(`metadata.annotations[${COMPLETIONS_EQUAL_PARALLELISM_ANNOTATION}]: Invalid value: should not be enabled for NonIndexed jobs`);
    if ((spec.parallelism ?? 1) !== (spec.completions ?? 1)) out.push(`spec.completions: should be equal to parallelism when ${COMPLETIONS_EQUAL_PARALLELISM_ANNOTATION} annotation is true`);
  }
  return out;
}

export function kueueProblems(obj: Record<string, any>): string[] {
  const labels = rec(rec(obj.metadata).labels);
  const queue = labels[QUEUE_LABEL];
  const gvk = `${obj.apiVersion}/${obj.kind}`;
  const out: string[] = [];
  // validation.go:L136-L143 ValidateElasticJobAnnotation(): only for the kinds that support workload slicing.
  if (rec(rec(obj.metadata).annotations)[ELASTIC_JOB_ANNOTATION] !== undefined && queue !== undefined && !ELASTIC_KINDS.has(gvk)) {
    out.push(`metadata.annotations[${ELASTIC_JOB_ANNOTATION}]: Forbidden: elastic job is not supported for "${gvk}"`);
  }
  if (queue === undefined || !MANAGED_KINDS.has(gvk)) return out;
  // validation.go:L174-L178 ValidateQueueName() -> ValidateLabelAsCRDName(): a DNS-1123 subdomain.
  if (typeof queue !== 'string' || !isDns1123Subdomain(queue)) out.push(`metadata.labels[${QUEUE_LABEL}]: Invalid value: ${JSON.stringify(queue)}: must be a DNS-1123 subdomain (a LocalQueue name)`);
  // validation.go:L235-L247 validateCreateForMaxExecTime()
  const maxExec = labels[MAX_EXEC_TIME_LABEL];
  if (maxExec !== undefined && !(/^\d+$/.test(String(maxExec)) && Number(maxExec) > 0)) {
    out.push(`metadata.labels[${MAX_EXEC_TIME_LABEL}]: Invalid value: ${JSON.stringify(maxExec)}: should be greater than 0`);
  }
  if (gvk === 'ray.io/v1/RayJob') out.push(...rayJobProblems(obj));
  if (gvk === 'ray.io/v1/RayCluster') out.push(...rayClusterSpecProblems(obj, rec(obj.spec), 'spec', 0));
  if (gvk === 'ray.io/v1/RayService') out.push(...rayClusterSpecProblems(obj, rec(rec(obj.spec).rayClusterConfig), 'spec.rayClusterConfig', 0));
  if (gvk === 'batch/v1/Job') out.push(...batchJobProblems(obj));
  return out;
}

/** Kueue v0.19.2's webhook rules over every queued Job, RayJob, RayCluster and RayService of an app. */
export const KUEUE_CHECK: OperatorCheck = { source: 'Kueue v0.19.2', check: perObject(kueueProblems) };
