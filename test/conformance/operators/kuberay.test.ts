import { KUBERAY_CHECK } from './kuberay';
import * as f from '../fixtures';

const check = (...objects: any[]) => KUBERAY_CHECK.check(objects);

function v2Cluster(): any {
  const rc = f.rayCluster();
  rc.spec.rayVersion = '2.52.0';
  rc.spec.autoscalerOptions.version = 'v2';
  return rc;
}

describe('KubeRay v1.7.0: the valid fixtures pass', () => {
  test.each([['RayCluster', f.rayCluster()], ['RayJob', f.rayJob()], ['RayService', f.rayService()], ['v2 RayCluster', v2Cluster()]])('%s', (_n, obj) => {
    expect(check(obj)).toEqual([]);
  });
});

describe('KubeRay v1.7.0 ValidateRayClusterSpec', () => {
  test('a RayCluster name longer than 53 characters, and one that is not a DNS-1035 label', () => {
    const a = f.rayCluster();
    a.metadata.name = 'r'.repeat(54);
    const b = f.rayCluster();
    b.metadata.name = '1-cluster';
    expect(check(a, b)).toEqual([
      `RayCluster/${'r'.repeat(54)}: metadata.name: RayCluster name should be no more than 53 characters`,
      'RayCluster/1-cluster: metadata.name: RayCluster name should be a valid DNS1035 label',
    ]);
  });

  test('a RayJob name longer than 47 characters', () => {
    const j = f.rayJob();
    j.metadata.name = 'j'.repeat(48);
    expect(check(j)).toEqual([`RayJob/${'j'.repeat(48)}: metadata.name: RayJob name should be no more than 47 characters`]);
  });

  test('a head without containers', () => {
    const rc = f.rayCluster();
    rc.spec.headGroupSpec.template.spec.containers = [];
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.headGroupSpec: headGroupSpec should have at least one container']);
  });

  test('minReplicas above maxReplicas, and a negative maxReplicas', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].minReplicas = 3;
    rc.spec.workerGroupSpecs[0].maxReplicas = 2;
    const neg = f.rayCluster();
    neg.spec.workerGroupSpecs[0].maxReplicas = -1;
    expect(check(rc, neg)).toEqual([
      'RayCluster/llm-batch: spec.workerGroupSpecs[0]: worker group gpu-workers has minReplicas 3 greater than maxReplicas 2',
      'RayCluster/llm-batch: spec.workerGroupSpecs[0].maxReplicas: worker group gpu-workers has negative maxReplicas -1',
      'RayCluster/llm-batch: spec.workerGroupSpecs[0]: worker group gpu-workers has minReplicas 0 greater than maxReplicas -1',
    ]);
  });

  test('duplicate worker group names', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs.push(structuredClone(rc.spec.workerGroupSpecs[0]));
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.workerGroupSpecs[1].groupName: worker group names must be unique ("gpu-workers")']);
  });

  test('num-cpus in rayStartParams together with the group resources', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].rayStartParams = { 'num-cpus': '8' };
    rc.spec.workerGroupSpecs[0].resources = { CPU: '8' };
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.workerGroupSpecs[0]: resource fields should not be set in both rayStartParams and Resources for gpu-workers group; please use only one']);
  });

  test('rayStartParams labels', () => {
    const rc = f.rayCluster();
    rc.spec.headGroupSpec.rayStartParams.labels = 'zone=a';
    expect(check(rc)).toEqual([expect.stringContaining('rayStartParams[\'labels\'] is not supported for Head group')]);
  });

  test('autoscaler v2 needs restartPolicy Never on head and workers', () => {
    const rc = v2Cluster();
    rc.spec.headGroupSpec.template.spec.restartPolicy = 'Always';
    rc.spec.workerGroupSpecs[0].template.spec.restartPolicy = 'OnFailure';
    expect(check(rc)).toEqual([
      'RayCluster/llm-batch: spec.workerGroupSpecs[0].template.spec.restartPolicy: restartPolicy for worker group gpu-workers should be Never or unset when using autoscaler V2',
      'RayCluster/llm-batch: spec.headGroupSpec.template.spec.restartPolicy: restartPolicy for head Pod should be Never or unset when using autoscaler V2',
    ]);
  });

  test('a worker idleTimeoutSeconds without autoscaler v2', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].idleTimeoutSeconds = 60;
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.workerGroupSpecs[0].idleTimeoutSeconds: worker group gpu-workers: idleTimeoutSeconds is set, but autoscaler v2 is not enabled']);
  });

  test('a worker priority below Ray 2.56.0', () => {
    const rc = v2Cluster();
    rc.spec.workerGroupSpecs[0].priority = 10;
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.workerGroupSpecs[0].priority: worker group gpu-workers: priority is set, but minimum Ray version is 2.56.0, got 2.52.0']);
  });

  test('a suspended worker group under the autoscaler', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].suspend = true;
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.workerGroupSpecs[0].suspend: worker group gpu-workers cannot be suspended with Autoscaler enabled']);
  });

  test('RAY_enable_autoscaler_v2 without autoscaling, and with autoscalerOptions.version', () => {
    const off = f.rayCluster();
    off.spec.enableInTreeAutoscaling = false;
    off.spec.headGroupSpec.template.spec.containers[0].env = [{ name: 'RAY_enable_autoscaler_v2', value: 'true' }];
    const both = v2Cluster();
    both.spec.headGroupSpec.template.spec.containers[0].env = [{ name: 'RAY_enable_autoscaler_v2', value: '1' }];
    expect(check(off, both)).toEqual([
      'RayCluster/llm-batch: spec.headGroupSpec: environment variable RAY_enable_autoscaler_v2 cannot be set to \'true\' when enableInTreeAutoscaling is false',
      'RayCluster/llm-batch: spec.autoscalerOptions.version: both .spec.autoscalerOptions.version and head Pod env var RAY_enable_autoscaler_v2 are set, please only use the former',
    ]);
  });

  test('a negative autoscaler idle timeout', () => {
    const rc = f.rayCluster();
    rc.spec.autoscalerOptions.idleTimeoutSeconds = -1;
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.autoscalerOptions.idleTimeoutSeconds: autoscalerOptions.idleTimeoutSeconds must be non-negative, got -1']);
  });

  test('token authentication below Ray 2.52.0, and without a version', () => {
    const rc = f.rayCluster();
    rc.spec.authOptions = { mode: 'token' };
    const none = f.rayCluster();
    none.spec.authOptions = { mode: 'token' };
    delete none.spec.rayVersion;
    expect(check(rc, none)).toEqual([
      'RayCluster/llm-batch: spec.rayVersion: authOptions.mode is \'token\' but minimum Ray version is 2.52.0, got 2.46.0',
      'RayCluster/llm-batch: spec.rayVersion: authOptions.mode is \'token\' but RayVersion was not specified. Ray version 2.52.0 or later is required',
    ]);
  });

  test('Kubernetes token auth: Ray 2.55.0, no secretName, mode token, not in a RayJob', () => {
    const rc = v2Cluster();
    rc.spec.authOptions = { mode: 'token', enableK8sTokenAuth: true, secretName: 's' };
    const j = f.rayJob();
    j.spec.rayClusterSpec.authOptions = { mode: 'disabled', enableK8sTokenAuth: true };
    expect(check(rc, j)).toEqual([
      'RayCluster/llm-batch: spec.authOptions.enableK8sTokenAuth: authOptions.enableK8sTokenAuth is enabled but minimum Ray version is 2.55.0, got 2.52.0',
      'RayCluster/llm-batch: spec.authOptions: authOptions.enableK8sTokenAuth is enabled and authOptions.secretName is also set',
      'RayJob/fine-tune: spec.rayClusterSpec.authOptions: authOptions.enableK8sTokenAuth is enabled but authOptions.mode not set to \'token\'',
      'RayJob/fine-tune: spec.rayClusterSpec.authOptions.enableK8sTokenAuth: K8s token auth mode is currently not supported for RayJob',
    ]);
  });

  test('alpha-gated options: networkPolicy, tlsOptions', () => {
    const rc = f.rayCluster();
    rc.spec.networkPolicy = { mode: 'DenyAll' };
    rc.spec.tlsOptions = {};
    expect(check(rc)).toEqual([
      'RayCluster/llm-batch: spec.networkPolicy: spec.networkPolicy requires the RayClusterNetworkPolicy feature gate to be enabled',
      'RayCluster/llm-batch: spec.tlsOptions: spec.tlsOptions requires the RayClusterMTLS feature gate to be enabled',
    ]);
  });

  test('an unknown RayCluster upgrade strategy', () => {
    const rc = f.rayCluster();
    rc.spec.upgradeStrategy = { type: 'Rolling' };
    expect(check(rc)).toEqual(['RayCluster/llm-batch: spec.upgradeStrategy.type: Spec.UpgradeStrategy.Type value Rolling is invalid, valid options are Recreate or None']);
  });
});

describe('KubeRay v1.7.0 ValidateRayJobSpec', () => {
  test('suspend needs shutdownAfterJobFinishes', () => {
    const j = f.rayJob();
    j.spec.suspend = true;
    j.spec.shutdownAfterJobFinishes = false;
    delete j.spec.ttlSecondsAfterFinished;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.suspend: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended']);
  });

  test('a TTL needs shutdownAfterJobFinishes', () => {
    const j = f.rayJob();
    j.spec.shutdownAfterJobFinishes = false;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.ttlSecondsAfterFinished: a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished']);
  });

  test('neither rayClusterSpec nor clusterSelector', () => {
    const j = f.rayJob();
    delete j.spec.rayClusterSpec;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec: one of RayClusterSpec or ClusterSelector must be set']);
  });

  test('clusterSelector with suspend, an empty cluster name and a backoffLimit', () => {
    const j = f.rayJob();
    delete j.spec.rayClusterSpec;
    j.spec.clusterSelector = { 'ray.io/cluster': '' };
    j.spec.suspend = true;
    j.spec.backoffLimit = 2;
    expect(check(j)).toEqual([
      'RayJob/fine-tune: spec.clusterSelector: the ClusterSelector mode doesn\'t support the suspend operation',
      'RayJob/fine-tune: spec.clusterSelector: cluster name in ClusterSelector should not be empty',
      'RayJob/fine-tune: spec.backoffLimit: BackoffLimit is incompatible with ClusterSelector mode',
    ]);
  });

  test('SidecarMode with a submitter pod template and a head restartPolicy', () => {
    const j = f.rayJob();
    j.spec.submissionMode = 'SidecarMode';
    j.spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy = 'Always';
    expect(check(j)).toEqual([
      'RayJob/fine-tune: spec.submitterPodTemplate: Currently, SidecarMode doesn\'t support SubmitterPodTemplate',
      'RayJob/fine-tune: spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy: restartPolicy for head Pod should be Never or unset when using SidecarMode',
    ]);
  });

  test('InteractiveMode with a backoffLimit', () => {
    const j = f.rayJob();
    j.spec.submissionMode = 'InteractiveMode';
    j.spec.backoffLimit = 1;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.backoffLimit: BackoffLimit is incompatible with InteractiveMode']);
  });

  test('non-positive deadlines', () => {
    const j = f.rayJob();
    j.spec.activeDeadlineSeconds = 0;
    j.spec.preRunningDeadlineSeconds = -5;
    expect(check(j)).toEqual([
      'RayJob/fine-tune: spec.activeDeadlineSeconds: activeDeadlineSeconds must be a positive integer',
      'RayJob/fine-tune: spec.preRunningDeadlineSeconds: preRunningDeadlineSeconds must be a positive integer',
    ]);
  });

  test('deletionRules with shutdownAfterJobFinishes, DeleteWorkers under autoscaling, a rule with two conditions', () => {
    const j = f.rayJob();
    j.spec.deletionStrategy = {
      deletionRules: [
        { policy: 'DeleteWorkers', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 0 } },
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' } },
      ],
    };
    expect(check(j)).toEqual([
      'RayJob/fine-tune: spec.deletionStrategy: spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive',
      'RayJob/fine-tune: spec.deletionStrategy.deletionRules[0]: DeletionPolicyType \'DeleteWorkers\' not supported with autoscaling enabled',
      'RayJob/fine-tune: spec.deletionStrategy.deletionRules[1]: exactly one of JobStatus and JobDeploymentStatus must be set',
    ]);
  });

  test('the embedded cluster spec is validated', () => {
    const j = f.rayJob();
    j.spec.rayClusterSpec.workerGroupSpecs[0].minReplicas = 5;
    j.spec.rayClusterSpec.workerGroupSpecs[0].maxReplicas = 1;
    expect(check(j)).toEqual(['RayJob/fine-tune: spec.rayClusterSpec.workerGroupSpecs[0]: worker group gpu-workers has minReplicas 5 greater than maxReplicas 1']);
  });
});

describe('KubeRay v1.7.0 ValidateRayServiceSpec', () => {
  test('a head service name', () => {
    const s = f.rayService();
    s.spec.rayClusterConfig.headGroupSpec.headService = { metadata: { name: 'x' } };
    expect(check(s)).toEqual(['RayService/llm-serve: spec.rayClusterConfig.headGroupSpec.headService.metadata.name: should not be set']);
  });

  test('an incremental upgrade without its options', () => {
    const s = f.rayService();
    s.spec.upgradeStrategy = { type: 'NewClusterWithIncrementalUpgrade' };
    expect(check(s)).toEqual(['RayService/llm-serve: spec.upgradeStrategy.clusterUpgradeOptions: ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade']);
  });

  test('an incremental upgrade with a step above the surge, no interval and no gateway class, without autoscaling', () => {
    const s = f.rayService();
    s.spec.rayClusterConfig.enableInTreeAutoscaling = false;
    s.spec.rayClusterConfig.workerGroupSpecs[0].minReplicas = 1;
    s.spec.rayClusterConfig.workerGroupSpecs[0].maxReplicas = 1;
    s.spec.upgradeStrategy = { type: 'NewClusterWithIncrementalUpgrade', clusterUpgradeOptions: { maxSurgePercent: 20, stepSizePercent: 50 } };
    expect(check(s)).toEqual([
      'RayService/llm-serve: spec.upgradeStrategy: Ray Autoscaler is required for NewClusterWithIncrementalUpgrade',
      'RayService/llm-serve: spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent: stepSizePercent must be less than or equal to maxSurgePercent',
      'RayService/llm-serve: spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds: intervalSeconds must be greater than 0',
      'RayService/llm-serve: spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName: gatewayClassName is required for NewClusterWithIncrementalUpgrade',
    ]);
  });

  test('a head container with ports but none named serve (common/service.go BuildServeService)', () => {
    const s = f.rayService();
    s.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports = [{ name: 'dashboard', containerPort: 8265 }];
    expect(check(s)).toEqual([
      "RayService/llm-serve: spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports: Please specify a port named 'serve' " +
      "(or with the prefix 'serve-') in the Ray head container; otherwise, the Kubernetes service for Ray Serve will not be created",
    ]);
    s.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports.push({ name: 'serve-grpc', containerPort: 9000 });
    expect(check(s)).toEqual([]);
  });
});
