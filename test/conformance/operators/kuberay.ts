/**
 * What the KubeRay v1.7.0 operator refuses in a RayCluster, RayJob or RayService beyond the CRD schema and its CEL
 * rules. These are controller-side checks: the API server accepts the object and KubeRay then only records an event
 * (RayCluster, RayService) or `status.jobDeploymentStatus: ValidationFailed` (RayJob) and creates nothing.
 *
 * Source: ray-project/kuberay@v1.7.0; `validation.go` below is ray-operator/controllers/ray/utils/validation.go,
 * `webhook` is ray-operator/pkg/webhooks/v1/raycluster_webhook.go. Feature gates at their v1.7.0 defaults
 * (ray-operator/pkg/features/features.go:L106-L116): RayJobDeletionPolicy on; RayClusterNetworkPolicy, RayClusterMTLS,
 * RayClusterHistoryServer off; RayServiceIncrementalUpgrade (beta since v1.7) on (L109), so
 * `NewClusterWithIncrementalUpgrade` is validated (utils/util.go:L917-L923 IsIncrementalUpgradeEnabled(): with the gate
 * off, validation.go:L707-L712 skips the options, and rayservice_controller.go:L868-L896 isZeroDowntimeUpgradeEnabled()
 * does no zero-downtime upgrade for that type, so cluster changes are not rolled out). That upgrade also needs
 * the Gateway API CRDs (the controller creates a `gateway.networking.k8s.io/v1` Gateway `<name>-gateway` and an
 * HTTPRoute, rayservice_controller.go:L258-L280, L898-L925), which an object check cannot see.
 */
import type { OperatorCheck } from './index';
import { arr, isInt, perObject, rec } from './kubernetes';
import { isDns1035Label } from '../names';

/** ray-operator/controllers/ray/utils/constant.go:L375-L385 (MaxRayClusterNameLength 53, RayJob/RayService 47). */
const MAX_NAME: Record<string, number> = { RayCluster: 53, RayJob: 47, RayService: 47 };
const RAY_ENABLE_AUTOSCALER_V2 = 'RAY_enable_autoscaler_v2';

/** Parses `major.minor[.patch]` (version.ParseGeneric); undefined when it is not one. */
function parseVersion(v: unknown): number[] | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(v: number[], min: number[]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

/** The Ray container is always containers[0] (utils/constant.go:L51 RayContainerIndex). */
function headEnv(spec: Record<string, any>, name: string): string | undefined {
  const c = rec(arr(rec(rec(rec(spec.headGroupSpec).template).spec).containers)[0]);
  const e = arr(c.env).find((x) => rec(x).name === name);
  return e === undefined ? undefined : String(rec(e).value ?? '');
}

function groupProblems(group: Record<string, any>, name: string, at: string): string[] {
  const out: string[] = [];
  const params = rec(group.rayStartParams);
  // validation.go:L59-L69 validateRayGroupResources()
  if (Object.keys(rec(group.resources)).length > 0 && ['num-cpus', 'num-gpus', 'memory', 'resources'].some((k) => k in params)) {
    out.push(`${at}: resource fields should not be set in both rayStartParams and Resources for ${name} group; please use only one`);
  }
  // validation.go:L71-L75 validateRayGroupLabels()
  if ('labels' in params) out.push(`${at}.rayStartParams.labels: rayStartParams['labels'] is not supported for ${name} group; please use the top-level Labels field instead`);
  return out;
}

/** validation.go:L103-L327 ValidateRayClusterSpec(), on a spec with the CRD defaults applied. */
export function rayClusterSpecProblems(spec: Record<string, any>, at: string, owner: 'RayCluster' | 'RayJob' | 'RayService'): string[] {
  const out: string[] = [];
  const head = rec(spec.headGroupSpec);
  const headPod = rec(rec(head.template).spec);
  // L104-L106
  if (arr(headPod.containers).length === 0) out.push(`${at}.headGroupSpec: headGroupSpec should have at least one container`);
  out.push(...groupProblems(head, 'Head', `${at}.headGroupSpec`));
  const autoscaling = spec.enableInTreeAutoscaling === true;
  const v2Env = headEnv(spec, RAY_ENABLE_AUTOSCALER_V2);
  const v2 = autoscaling && (rec(spec.autoscalerOptions).version === 'v2' || v2Env === '1' || v2Env === 'true');
  const v2ByEnv = v2Env === '1' || v2Env === 'true';
  const groups = arr(spec.workerGroupSpecs);
  const names = new Set<string>();
  groups.forEach((g: unknown, i: number) => {
    const group = rec(g);
    const gat = `${at}.workerGroupSpecs[${i}]`;
    const name = String(group.groupName);
    // L119-L121
    if (arr(rec(rec(group.template).spec).containers).length === 0) out.push(`${gat}: workerGroupSpec should have at least one container`);
    // L125-L127 (both are defaulted by the CRD, 0 and 2147483647, so only explicit values matter) and L128-L138
    const min = group.minReplicas ?? 0;
    const max = group.maxReplicas ?? 2147483647;
    if (min < 0) out.push(`${gat}.minReplicas: worker group ${name} has negative minReplicas ${min}`);
    if (max < 0) out.push(`${gat}.maxReplicas: worker group ${name} has negative maxReplicas ${max}`);
    if (min > max) out.push(`${gat}: worker group ${name} has minReplicas ${min} greater than maxReplicas ${max}`);
    out.push(...groupProblems(group, name, gat));
    // L1005-L1027 validateWorkerGroupIdleTimeout(): only with autoscaler v2, and >= 0
    if (group.idleTimeoutSeconds !== undefined) {
      if (group.idleTimeoutSeconds < 0) out.push(`${gat}.idleTimeoutSeconds: must be non-negative`);
      if (!v2 && !v2ByEnv) out.push(`${gat}.idleTimeoutSeconds: worker group ${name}: idleTimeoutSeconds is set, but autoscaler v2 is not enabled`);
    }
    // L1112-L1142 validateWorkerGroupPriority(): Ray >= 2.56.0 and autoscaler v2
    if (group.priority !== undefined && group.priority !== 0) {
      const v = parseVersion(spec.rayVersion);
      if (!v || !atLeast(v, [2, 56, 0])) out.push(`${gat}.priority: worker group ${name}: priority is set, but minimum Ray version is 2.56.0, got ${spec.rayVersion}`);
      else if (!v2 && !v2ByEnv) out.push(`${gat}.priority: worker group ${name}: priority is set to ${group.priority}, but autoscaler v2 is not enabled`);
    }
    // L214-L220: no suspended group under the autoscaler
    if (autoscaling && group.suspend === true) out.push(`${gat}.suspend: worker group ${name} cannot be suspended with Autoscaler enabled`);
    // L226-L236: autoscaler v2 needs restartPolicy Never (or unset) on every Ray pod
    const rp = rec(rec(group.template).spec).restartPolicy;
    if (v2 && rp !== undefined && rp !== '' && rp !== 'Never') out.push(`${gat}.template.spec.restartPolicy: restartPolicy for worker group ${name} should be Never or unset when using autoscaler V2`);
    // webhook:L69-L80 validateWorkerGroups(): unique names
    if (names.has(name)) out.push(`${gat}.groupName: worker group names must be unique (${JSON.stringify(name)})`);
    names.add(name);
  });
  // L205-L212
  if (!autoscaling && (v2Env === '1' || v2Env === 'true')) {
    out.push(`${at}.headGroupSpec: environment variable ${RAY_ENABLE_AUTOSCALER_V2} cannot be set to '${v2Env}' when enableInTreeAutoscaling is false`);
  }
  // L222-L224
  if (autoscaling && rec(spec.autoscalerOptions).version !== undefined && v2Env !== undefined) {
    out.push(`${at}.autoscalerOptions.version: both .spec.autoscalerOptions.version and head Pod env var ${RAY_ENABLE_AUTOSCALER_V2} are set, please only use the former`);
  }
  // L226-L230
  if (v2 && headPod.restartPolicy !== undefined && headPod.restartPolicy !== '' && headPod.restartPolicy !== 'Never') {
    out.push(`${at}.headGroupSpec.template.spec.restartPolicy: restartPolicy for head Pod should be Never or unset when using autoscaler V2`);
  }
  // L240-L244
  const idle = rec(spec.autoscalerOptions).idleTimeoutSeconds;
  if (typeof idle === 'number' && idle < 0) out.push(`${at}.autoscalerOptions.idleTimeoutSeconds: autoscalerOptions.idleTimeoutSeconds must be non-negative, got ${idle}`);
  // L246-L258
  if (arr(rec(spec.autoscalerOptions).env).some((e) => rec(e).name === 'KUBERAY_GEN_AUTOSCALER_START_CMD')) {
    out.push(`${at}.autoscalerOptions.env: autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD`);
  }
  // L284-L313: token authentication needs Ray 2.52.0 (and 2.55.0 plus no secretName for Kubernetes token auth)
  const auth = rec(spec.authOptions);
  if (auth.mode === 'token') {
    const v = parseVersion(spec.rayVersion);
    if (spec.rayVersion === undefined) out.push(`${at}.rayVersion: authOptions.mode is 'token' but RayVersion was not specified. Ray version 2.52.0 or later is required`);
    else if (!v) out.push(`${at}.rayVersion: authOptions.mode is 'token' but RayVersion format is invalid: ${spec.rayVersion}`);
    else if (!atLeast(v, [2, 52, 0])) out.push(`${at}.rayVersion: authOptions.mode is 'token' but minimum Ray version is 2.52.0, got ${spec.rayVersion}`);
    if (auth.enableK8sTokenAuth === true) {
      if (v && !atLeast(v, [2, 55, 0])) out.push(`${at}.authOptions.enableK8sTokenAuth: authOptions.enableK8sTokenAuth is enabled but minimum Ray version is 2.55.0, got ${spec.rayVersion}`);
      if (auth.secretName !== undefined) out.push(`${at}.authOptions: authOptions.enableK8sTokenAuth is enabled and authOptions.secretName is also set`);
    }
  } else if (auth.enableK8sTokenAuth === true) {
    out.push(`${at}.authOptions: authOptions.enableK8sTokenAuth is enabled but authOptions.mode not set to 'token'`);
  }
  // L605-L608, L681-L683: Kubernetes token auth is not supported for RayJob and RayService
  if (owner !== 'RayCluster' && auth.enableK8sTokenAuth === true) out.push(`${at}.authOptions.enableK8sTokenAuth: K8s token auth mode is currently not supported for ${owner}`);
  // L260-L262, L315-L326: alpha-gated options, off by default (silently unusable)
  if (spec.networkPolicy !== undefined) out.push(`${at}.networkPolicy: spec.networkPolicy requires the RayClusterNetworkPolicy feature gate to be enabled`);
  if (spec.tlsOptions !== undefined) out.push(`${at}.tlsOptions: spec.tlsOptions requires the RayClusterMTLS feature gate to be enabled`);
  if (spec.historyServerOptions !== undefined) out.push(`${at}.historyServerOptions: RayClusterHistoryServer feature gate is not enabled`);
  return out;
}

function nameProblems(obj: Record<string, any>): string[] {
  // validation.go:L32-L40 ValidateRayClusterMetadata(), L533-L541 ValidateRayJobMetadata(), L632-L646 ValidateRayServiceMetadata()
  const name = rec(obj.metadata).name;
  const max = MAX_NAME[obj.kind];
  if (typeof name !== 'string') return [];
  if (name.length > max) return [`metadata.name: ${obj.kind} name should be no more than ${max} characters`];
  if (!isDns1035Label(name)) return [`metadata.name: ${obj.kind} name should be a valid DNS1035 label`];
  return [];
}

/** validation.go:L543-L630 ValidateRayJobSpec() and L752-L792 validateDeletionConfiguration(). */
function rayJobProblems(spec: Record<string, any>): string[] {
  const out: string[] = [];
  const shutdown = spec.shutdownAfterJobFinishes === true;
  // L547-L549
  if (spec.suspend === true && !shutdown) out.push('spec.suspend: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended');
  // L551-L553, L753-L755
  if (typeof spec.ttlSecondsAfterFinished === 'number') {
    if (spec.ttlSecondsAfterFinished < 0) out.push('spec.ttlSecondsAfterFinished: TTLSecondsAfterFinished must be a non-negative integer');
    if (spec.ttlSecondsAfterFinished > 0 && !shutdown) out.push('spec.ttlSecondsAfterFinished: a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished');
  }
  // L560-L578: exactly one cluster source; clusterSelector limits
  const selector = spec.clusterSelector !== undefined && Object.keys(rec(spec.clusterSelector)).length > 0;
  if (selector && spec.suspend === true) out.push('spec.clusterSelector: the ClusterSelector mode doesn\'t support the suspend operation');
  if (!selector && spec.rayClusterSpec === undefined) out.push('spec: one of RayClusterSpec or ClusterSelector must be set');
  if (selector) {
    if (!rec(spec.clusterSelector)['ray.io/cluster']) out.push('spec.clusterSelector: cluster name in ClusterSelector should not be empty');
    if (spec.submissionMode === 'SidecarMode') out.push('spec.clusterSelector: ClusterSelector is not supported in SidecarMode');
    if (typeof spec.backoffLimit === 'number' && spec.backoffLimit > 0) out.push('spec.backoffLimit: BackoffLimit is incompatible with ClusterSelector mode');
  }
  // L587-L603: submission modes
  if (spec.submissionMode === 'InteractiveMode' && typeof spec.backoffLimit === 'number' && spec.backoffLimit > 0) out.push('spec.backoffLimit: BackoffLimit is incompatible with InteractiveMode');
  if (spec.submissionMode === 'SidecarMode') {
    if (spec.submitterPodTemplate !== undefined) out.push('spec.submitterPodTemplate: Currently, SidecarMode doesn\'t support SubmitterPodTemplate');
    if (spec.submitterConfig !== undefined) out.push('spec.submitterConfig: Currently, SidecarMode doesn\'t support SubmitterConfig');
    const rp = rec(rec(rec(rec(spec.rayClusterSpec).headGroupSpec).template).spec).restartPolicy;
    if (rp !== undefined && rp !== '' && rp !== 'Never') out.push('spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy: restartPolicy for head Pod should be Never or unset when using SidecarMode');
  }
  // L614-L618: runtimeEnvYAML must be YAML (the library writes a mapping; a tab-indented or unbalanced one fails)
  if (typeof spec.runtimeEnvYAML === 'string' && /^\t/m.test(spec.runtimeEnvYAML)) out.push('spec.runtimeEnvYAML: is not valid YAML (tab indentation)');
  // L619-L627
  if (spec.activeDeadlineSeconds !== undefined && !(isInt(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds > 0)) out.push('spec.activeDeadlineSeconds: activeDeadlineSeconds must be a positive integer');
  if (spec.preRunningDeadlineSeconds !== undefined && !(isInt(spec.preRunningDeadlineSeconds) && spec.preRunningDeadlineSeconds > 0)) out.push('spec.preRunningDeadlineSeconds: preRunningDeadlineSeconds must be a positive integer');
  if (typeof spec.backoffLimit === 'number' && spec.backoffLimit < 0) out.push('spec.backoffLimit: backoffLimit must be a positive integer');
  // L752-L792: deletionStrategy
  const ds = spec.deletionStrategy;
  if (ds !== undefined) {
    const d = rec(ds);
    const rules = arr(d.deletionRules);
    const legacy = d.onSuccess !== undefined || d.onFailure !== undefined;
    if (rules.length > 0 && shutdown) out.push('spec.deletionStrategy: spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive');
    if (rules.length > 0 && legacy) out.push('spec.deletionStrategy: Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously');
    // (Neither rules nor both legacy fields, L785-L789, is also a CEL rule of the CRD: the CEL check reports it.)
    // L797-L866 validateDeletionRules()
    rules.forEach((r: unknown, i: number) => {
      const rule = rec(r);
      const cond = rec(rule.condition);
      if ((cond.jobStatus === undefined) === (cond.jobDeploymentStatus === undefined)) out.push(`spec.deletionStrategy.deletionRules[${i}]: exactly one of JobStatus and JobDeploymentStatus must be set`);
      if (typeof cond.ttlSeconds === 'number' && cond.ttlSeconds < 0) out.push(`spec.deletionStrategy.deletionRules[${i}]: TTLSeconds must be non-negative`);
      if (selector && rule.policy !== 'DeleteSelf' && rule.policy !== 'DeleteNone') out.push(`spec.deletionStrategy.deletionRules[${i}]: DeletionPolicyType '${rule.policy}' not supported when ClusterSelector is set`);
      if (rule.policy === 'DeleteWorkers' && rec(spec.rayClusterSpec).enableInTreeAutoscaling === true) out.push(`spec.deletionStrategy.deletionRules[${i}]: DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled`);
    });
  }
  if (spec.rayClusterSpec !== undefined) out.push(...rayClusterSpecProblems(rec(spec.rayClusterSpec), 'spec.rayClusterSpec', 'RayJob'));
  return out;
}

/** validation.go:L680-L749 ValidateRayServiceSpec(), ValidateClusterUpgradeOptions(). */
function rayServiceProblems(spec: Record<string, any>): string[] {
  const out: string[] = [];
  const cluster = rec(spec.rayClusterConfig);
  // L689-L691
  if (rec(rec(rec(cluster.headGroupSpec).headService).metadata).name !== undefined) {
    out.push('spec.rayClusterConfig.headGroupSpec.headService.metadata.name: should not be set');
  }
  // L693-L705
  const type = rec(spec.upgradeStrategy).type;
  if (type !== undefined && !['NewClusterWithIncrementalUpgrade', 'NewCluster', 'None'].includes(type)) {
    out.push(`spec.upgradeStrategy.type: Spec.UpgradeStrategy.Type value ${type} is invalid, valid options are NewClusterWithIncrementalUpgrade, NewCluster, or None`);
  }
  if (typeof spec.rayClusterDeletionDelaySeconds === 'number' && spec.rayClusterDeletionDelaySeconds < 0) {
    out.push('spec.rayClusterDeletionDelaySeconds: should be a non-negative integer');
  }
  // L717-L749
  if (type === 'NewClusterWithIncrementalUpgrade') {
    const o = rec(rec(spec.upgradeStrategy).clusterUpgradeOptions);
    if (cluster.enableInTreeAutoscaling !== true) out.push('spec.upgradeStrategy: Ray Autoscaler is required for NewClusterWithIncrementalUpgrade');
    if (rec(spec.upgradeStrategy).clusterUpgradeOptions === undefined) {out.push('spec.upgradeStrategy.clusterUpgradeOptions: ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade');} else {
      const surge = o.maxSurgePercent ?? 100;
      if (surge < 0 || surge > 100) out.push('spec.upgradeStrategy.clusterUpgradeOptions.maxSurgePercent: maxSurgePercent must be between 0 and 100');
      if (o.stepSizePercent === undefined || o.stepSizePercent < 0 || o.stepSizePercent > 100) out.push('spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent: stepSizePercent must be between 0 and 100');
      else if (o.stepSizePercent > surge) out.push('spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent: stepSizePercent must be less than or equal to maxSurgePercent');
      if (o.intervalSeconds === undefined || o.intervalSeconds <= 0) out.push('spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds: intervalSeconds must be greater than 0');
      if (!o.gatewayClassName) out.push('spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName: gatewayClassName is required for NewClusterWithIncrementalUpgrade');
    }
  }
  // common/service.go:L214-L231 BuildServeService(), L403-L450: the Serve Service takes the head container's ports named
  // `serve` or `serve-*`; with none (and no custom serveService) KubeRay creates no Serve Service and reports an error.
  // A head container without any ports gets KubeRay's defaults, which include serve (8000).
  const headPorts = arr(rec(arr(rec(rec(rec(cluster.headGroupSpec).template).spec).containers)[0]).ports);
  if (spec.serveService === undefined && headPorts.length > 0
    && !headPorts.some((p) => rec(p).name === 'serve' || String(rec(p).name ?? '').startsWith('serve-'))) {
    out.push('spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports: Please specify a port named \'serve\' (or with the prefix \'serve-\') in the Ray head container; otherwise, the Kubernetes service for Ray Serve will not be created');
  }
  out.push(...rayClusterSpecProblems(cluster, 'spec.rayClusterConfig', 'RayService'));
  return out;
}

export function kuberayProblems(obj: Record<string, any>): string[] {
  if (obj.apiVersion !== 'ray.io/v1' || !(obj.kind in MAX_NAME)) return [];
  const spec = rec(obj.spec);
  const out = nameProblems(obj);
  if (obj.kind === 'RayCluster') {
    out.push(...rayClusterSpecProblems(spec, 'spec', 'RayCluster'));
    // validation.go:L42-L57 ValidateRayClusterUpgradeOptions()
    const type = rec(spec.upgradeStrategy).type;
    if (type !== undefined && !['Recreate', 'None'].includes(type)) out.push(`spec.upgradeStrategy.type: Spec.UpgradeStrategy.Type value ${type} is invalid, valid options are Recreate or None`);
  }
  if (obj.kind === 'RayJob') out.push(...rayJobProblems(spec));
  if (obj.kind === 'RayService') out.push(...rayServiceProblems(spec));
  return out;
}

/** KubeRay v1.7.0's controller-side validation over every RayCluster, RayJob and RayService of an app. */
export const KUBERAY_CHECK: OperatorCheck = { source: 'KubeRay v1.7.0', check: perObject(kuberayProblems) };
