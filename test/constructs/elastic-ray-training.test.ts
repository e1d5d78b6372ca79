import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GpuProduct, GpuRequest } from '../../src';
import {
  ElasticRayTraining, ElasticRayTrainingProps, RayAutoscalerVersion, RayUpscalingMode, RayWorkerGroup,
} from '../../src/constructs/elastic-ray-training';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const gpuGroup: RayWorkerGroup = {
  name: 'gpu',
  minReplicas: 0,
  maxReplicas: 8,
  cpu: kplus.Cpu.units(8),
  memory: Size.gibibytes(32),
  gpu: GpuRequest.of(2, { gpuProduct: GpuProduct.A10G }),
};
const cpuGroup: RayWorkerGroup = {
  name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: kplus.Cpu.millis(3500), memory: Size.gibibytes(8),
};

function synth(overrides: Partial<ElasticRayTrainingProps> = {}) {
  const chart = newChart({ namespace: 'training' });
  const training = new ElasticRayTraining(chart, 'train', { name: 'llm-train', workerGroups: [cpuGroup, gpuGroup], ...overrides });
  const manifests = expectConformant(chart);
  return { chart, training, manifests, rc: ofKind(manifests, 'RayCluster'), np: ofKind(manifests, 'NetworkPolicy') };
}

function build(overrides: Partial<ElasticRayTrainingProps>): () => void {
  return () => new ElasticRayTraining(newChart(), 'train', { name: 'llm-train', workerGroups: [cpuGroup], ...overrides });
}

const groupOf = (rc: any, name: string) => rc.spec.workerGroupSpecs.find((g: any) => g.groupName === name);

describe('ElasticRayTraining', () => {
  test('synthesizes a GPU + CPU cluster (snapshot)', () => {
    const { manifests } = synth();
    expect(manifests.map(m => m.kind)).toEqual(['RayCluster', 'NetworkPolicy']);
    expect(manifests).toMatchSnapshot();
  });

  test('the head schedules no Ray work', () => {
    const { rc } = synth();
    expect(rc.spec.headGroupSpec.rayStartParams['num-cpus']).toBe('0');
  });

  test('rayStartParams agree with the container limits', () => {
    const { rc } = synth();
    for (const g of rc.spec.workerGroupSpecs) {
      const limits = g.template.spec.containers[0].resources.limits;
      const cores = limits.cpu.endsWith('m') ? Number(limits.cpu.slice(0, -1)) / 1000 : Number(limits.cpu);
      expect(g.rayStartParams['num-cpus']).toBe(String(Math.max(1, Math.floor(cores))));
      expect(g.rayStartParams['num-gpus']).toBe(limits['nvidia.com/gpu']);
    }
    expect(groupOf(rc, 'cpu').rayStartParams).toEqual({ 'num-cpus': '3' });
    expect(groupOf(rc, 'gpu').rayStartParams).toEqual({ 'num-cpus': '8', 'num-gpus': '2' });
  });

  test('a worker below one core still offers Ray one CPU', () => {
    const { rc } = synth({ workerGroups: [{ ...cpuGroup, cpu: kplus.Cpu.millis(500) }] });
    expect(groupOf(rc, 'cpu').rayStartParams['num-cpus']).toBe('1');
  });

  test('images follow the Ray version, with the CUDA build for GPU groups', () => {
    const { rc } = synth({ rayVersion: '2.53.0' });
    expect(rc.spec.rayVersion).toBe('2.53.0');
    expect(rc.spec.headGroupSpec.template.spec.containers[0].image).toBe('rayproject/ray:2.53.0');
    expect(groupOf(rc, 'cpu').template.spec.containers[0].image).toBe('rayproject/ray:2.53.0');
    expect(groupOf(rc, 'gpu').template.spec.containers[0].image).toBe('rayproject/ray:2.53.0-gpu');
  });

  test('an image override applies to every Ray pod', () => {
    const { rc } = synth({ image: 'registry.example.com/ray:2.52.0-custom' });
    const images = [rc.spec.headGroupSpec, ...rc.spec.workerGroupSpecs].map((g: any) => g.template.spec.containers[0].image);
    expect(new Set(images)).toEqual(new Set(['registry.example.com/ray:2.52.0-custom']));
  });

  test('the dashboard listens on loopback unless exposeDashboard', () => {
    expect(synth().rc.spec.headGroupSpec.rayStartParams['dashboard-host']).toBe('127.0.0.1');
    expect(JSON.stringify(synth().manifests)).not.toContain('0.0.0.0');
    expect(synth({ exposeDashboard: true }).rc.spec.headGroupSpec.rayStartParams['dashboard-host']).toBe('0.0.0.0');
  });

  test('creates no Ingress and no LoadBalancer or NodePort Service', () => {
    const { manifests, rc } = synth({ exposeDashboard: true });
    expect(manifests.map(m => m.kind).sort()).toEqual(['NetworkPolicy', 'RayCluster']);
    expect(rc.spec.headGroupSpec.serviceType).toBe('ClusterIP');
    expect(rc.spec.headGroupSpec.enableIngress).toBeUndefined();
  });

  test('the network policy admits exactly the cluster, the operator, RayJob submitters and Prometheus', () => {
    const { np } = synth();
    expect(np.metadata.name).toBe('llm-train');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'ray.io/cluster': 'llm-train' } });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'llm-train' } } }] },
      {
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/component': 'kuberay-operator' } },
        }],
        ports: [{ protocol: 'TCP', port: 8265 }],
      },
      { from: [{ podSelector: { matchLabels: { 'ray.io/originated-from-crd': 'RayJob' } } }], ports: [{ protocol: 'TCP', port: 8265 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('allowedNamespaces, the operator and Prometheus namespaces are configurable', () => {
    const { np } = synth({ allowedNamespaces: ['notebooks', 'ci'], operatorNamespace: 'kuberay-system', prometheusNamespace: 'observability' });
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(np.spec.ingress).toHaveLength(5);
    expect(np.spec.ingress[1].from[0].namespaceSelector).toEqual(ns('kuberay-system').namespaceSelector);
    expect(np.spec.ingress[3]).toEqual({ from: [ns('observability')], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(np.spec.ingress[4]).toEqual({
      from: [ns('notebooks'), ns('ci')],
      ports: [{ protocol: 'TCP', port: 8265 }, { protocol: 'TCP', port: 10001 }],
    });
  });

  test('token authentication is on by default and can be turned off', () => {
    expect(synth().rc.spec.authOptions).toEqual({ mode: 'token' });
    expect(synth({ tokenAuthentication: false, rayVersion: '2.46.0' }).rc.spec.authOptions).toEqual({ mode: 'disabled' });
  });

  test('GPU workers run on on-demand capacity unless spot is allowed', () => {
    const onDemand = groupOf(synth().rc, 'gpu').template.spec;
    expect(onDemand.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'a10g', 'karpenter.sh/capacity-type': 'on-demand' });
    expect(onDemand.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(groupOf(synth().rc, 'cpu').template.spec.nodeSelector).toBeUndefined();
    const spot = groupOf(synth({ allowSpotGpuWorkers: true }).rc, 'gpu').template.spec;
    expect(spot.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'a10g' });
  });

  test('every Ray pod is annotated do-not-disrupt and runs as Ray\'s non-root user', () => {
    const { rc } = synth();
    for (const g of [rc.spec.headGroupSpec, ...rc.spec.workerGroupSpecs]) {
      expect(g.template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
      expect(g.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(g.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    }
    // A quarter of the pod's memory, at least 1 GiB.
    const shm = (g: any) => g.template.spec.volumes.find((v: any) => v.name === 'dshm').emptyDir;
    expect(shm(rc.spec.headGroupSpec)).toEqual({ medium: 'Memory', sizeLimit: '2Gi' });
    expect(shm(groupOf(rc, 'gpu'))).toEqual({ medium: 'Memory', sizeLimit: '8Gi' });
  });

  test('mounts the checkpoint claim on the head and every worker', () => {
    const { rc } = synth({ checkpointVolumeClaim: 'ckpt' });
    for (const g of [rc.spec.headGroupSpec, ...rc.spec.workerGroupSpecs]) {
      expect(g.template.spec.volumes).toContainEqual({ name: 'checkpoints', persistentVolumeClaim: { claimName: 'ckpt' } });
      expect(g.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'checkpoints', mountPath: '/mnt/checkpoints' });
    }
    expect(JSON.stringify(synth().rc)).not.toContain('checkpoints');
  });

  test('configures the autoscaler sidecar', () => {
    const { rc } = synth({
      autoscaler: {
        upscalingMode: RayUpscalingMode.CONSERVATIVE,
        idleTimeout: Duration.minutes(5),
        version: RayAutoscalerVersion.V1,
        cpu: kplus.Cpu.units(1),
        memory: Size.gibibytes(1),
      },
    });
    expect(rc.spec.enableInTreeAutoscaling).toBe(true);
    expect(rc.spec.autoscalerOptions).toMatchObject({
      upscalingMode: 'Conservative',
      idleTimeoutSeconds: 300,
      version: 'v1',
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
    // Only autoscaler v2 needs restartPolicy Never.
    expect(groupOf(rc, 'gpu').template.spec.restartPolicy).toBeUndefined();
  });

  test('the autoscaler sidecar alone gets the head service account token (KubeRay does not automount one)', () => {
    const { rc } = synth();
    const head = rc.spec.headGroupSpec.template.spec;
    expect(head.automountServiceAccountToken).toBe(false);
    // KubeRay sets the head's serviceAccountName to the one it binds to the autoscaler Role: the library must not set another.
    expect(head.serviceAccountName).toBeUndefined();
    const volume = head.volumes.find((v: any) => v.projected);
    expect(volume).toEqual({
      name: 'autoscaler-api-access',
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    expect(rc.spec.autoscalerOptions.volumeMounts).toEqual([
      { name: 'autoscaler-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ]);
    expect(head.containers.map((c: any) => c.name)).toEqual(['ray-head']);
    expect(head.containers[0].volumeMounts.map((m: any) => m.name)).not.toContain('autoscaler-api-access');
    for (const g of rc.spec.workerGroupSpecs) {
      expect(g.template.spec.automountServiceAccountToken).toBe(false);
      expect(g.template.spec.volumes.filter((v: any) => v.projected)).toEqual([]);
    }
  });

  test('autoscaler v2 (the default) sets restartPolicy Never on workers', () => {
    const { rc } = synth();
    expect(rc.spec.autoscalerOptions.version).toBe('v2');
    for (const g of rc.spec.workerGroupSpecs) expect(g.template.spec.restartPolicy).toBe('Never');
    expect(rc.spec.headGroupSpec.template.spec.restartPolicy).toBeUndefined();
  });

  test('replicas start at minReplicas unless given', () => {
    expect(groupOf(synth().rc, 'cpu').replicas).toBe(1);
    expect(groupOf(synth({ workerGroups: [{ ...cpuGroup, replicas: 3 }] }).rc, 'cpu').replicas).toBe(3);
  });

  test('reports one footprint per worker group; footprint is the GPU group', () => {
    const { training } = synth();
    const owner = { kind: 'RayCluster', name: 'llm-train' };
    expect(training.footprints).toEqual([
      expect.objectContaining({
        minReplicas: 1,
        maxReplicas: 4,
        scalingOwner: owner,
        requests: { cpu: kplus.Cpu.millis(3500), memory: Size.gibibytes(8), gpus: 0 },
        target: { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'llm-train', namespace: 'training' },
      }),
      expect.objectContaining({ minReplicas: 0, maxReplicas: 8, requests: { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpus: 2 } }),
    ]);
    expect(training.footprint).toEqual(training.footprints[1]);
    expect(training.footprint.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(synth({ workerGroups: [cpuGroup] }).training.footprint.maxReplicas).toBe(4);
  });

  test('generates a valid name when none is given', () => {
    const chart = newChart();
    const training = new ElasticRayTraining(chart, 'train', { workerGroups: [cpuGroup] });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'RayCluster').metadata.name).toBe(training.clusterName);
    expect(training.clusterName.length).toBeLessThanOrEqual(53);
  });
});

describe('ElasticRayTraining rejects', () => {
  test('maxReplicas below minReplicas', () => {
    expect(build({ workerGroups: [{ ...cpuGroup, minReplicas: 5, maxReplicas: 2 }] })).toThrow(
      "[test/train] 'workerGroups[0].maxReplicas' (2) is below 'minReplicas' (5): raise maxReplicas or lower minReplicas");
  });

  test('negative replicas', () => {
    expect(build({ workerGroups: [{ ...cpuGroup, minReplicas: -1 }] })).toThrow(
      "[test/train] 'workerGroups[0].minReplicas' (-1) must be a whole number at least 0 and at most 2147483647: use 0 or more workers");
  });

  test('initial replicas outside the bounds', () => {
    expect(build({ workerGroups: [{ ...cpuGroup, replicas: 9 }] })).toThrow(
      "[test/train] 'workerGroups[0].replicas' (9) is outside 'minReplicas'..'maxReplicas' (1..4): " +
      'start with a worker count within the bounds, or leave replicas unset to start at minReplicas');
  });

  test('duplicate group names', () => {
    expect(build({ workerGroups: [cpuGroup, { ...gpuGroup, name: 'cpu' }] })).toThrow(
      "[test/train] 'workerGroups[1].name' (\"cpu\") is already the name of another worker group: give every worker group its own name");
  });

  test('a group name that is not a DNS-1123 label', () => {
    expect(build({ workerGroups: [{ ...cpuGroup, name: 'GPU_workers' }] })).toThrow(
      "[test/train] 'workerGroups[0].name' (\"GPU_workers\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit): use a name such as \"gpu-workers\"");
  });

  test('no worker groups', () => {
    expect(build({ workerGroups: [] })).toThrow("[test/train] 'workerGroups' ([]) must not be empty: add at least one worker group");
  });

  test('a Ray version without token authentication', () => {
    expect(build({ rayVersion: '2.46.0' })).toThrow(
      "[test/train] 'rayVersion' (\"2.46.0\") is below 2.52.0, the first Ray with token authentication: use Ray 2.52.0 or later");
  });

  test('a name KubeRay refuses', () => {
    const rule = "(lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)";
    const fix = "use a shorter name of lowercase letters, digits and '-' (KubeRay's limit is 53 characters)";
    expect(build({ name: '1-train' })).toThrow(
      `[test/train] 'name' ("1-train") is not a DNS-1035 label of at most 53 characters ${rule}: ${fix}`);
    expect(build({ name: 'a'.repeat(54) })).toThrow('is not a DNS-1035 label of at most 53 characters');
  });

  test('fails when an allowed namespace is not a namespace name (namespaceSelector label value)', () => {
    expect(build({ allowedNamespaces: ['team-a', 'Team B'] })).toThrow(
      "[test/train] 'allowedNamespaces[1]' (\"Team B\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', "
      + 'starting and ending with a letter or digit): use a name such as "team-b"');
    expect(build({ allowedNamespaces: ['x'.repeat(64)] })).toThrow("[test/train] 'allowedNamespaces[0]'");
    expect(build({ allowedNamespaces: 'team-a' as any })).toThrow(
      "[test/train] 'allowedNamespaces' (\"team-a\") must be a list, not a string: give namespace names (DNS-1123 labels) such as \"team-a\"");
  });

  test('fails when maxReplicas, minReplicas or replicas is outside int32', () => {
    const range = 'must be a whole number at least 0 and at most 2147483647: use 0 or more workers';
    expect(build({ workerGroups: [{ ...cpuGroup, maxReplicas: 2 ** 31 }] })).toThrow(
      `[test/train] 'workerGroups[0].maxReplicas' (2147483648) ${range}`);
    expect(build({ workerGroups: [{ ...cpuGroup, minReplicas: 2 ** 31, maxReplicas: 2 ** 31 }] })).toThrow(
      `[test/train] 'workerGroups[0].minReplicas' (2147483648) ${range}`);
    expect(build({ workerGroups: [{ ...cpuGroup, replicas: 2 ** 53 }] })).toThrow(
      `[test/train] 'workerGroups[0].replicas' (9007199254740992) ${range}`);
  });

  test('fails when priorityClassName is not a DNS-1123 subdomain', () => {
    expect(build({ priorityClassName: 'GPU_training' })).toThrow(
      "[test/train] 'priorityClassName' (\"GPU_training\") is not a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, "
      + "'-' and '.', at most 253 characters): give the name of a PriorityClass in the cluster, e.g. \"gpu-training\", "
      + "or leave it out to use the app's GpuWorkPriorities");
    expect(build({ priorityClassName: 7 as any })).toThrow("[test/train] 'priorityClassName' (7) must be a string, not a number");
  });

  test('fails when exposeDashboard, tokenAuthentication or allowSpotGpuWorkers is the string "false"', () => {
    for (const prop of ['exposeDashboard', 'tokenAuthentication', 'allowSpotGpuWorkers']) {
      expect(build({ [prop]: 'false' as any })).toThrow(
        `[test/train] '${prop}' ("false") must be true or false (a boolean), not a string: write ${prop}: false without quotes, `
        + 'or leave it unset for the default');
    }
  });

  test('fails when the autoscaler upscaling mode is not a RayUpscalingMode', () => {
    expect(build({ autoscaler: { upscalingMode: 'Fast' as any } })).toThrow(
      "[test/train] 'autoscaler.upscalingMode' (\"Fast\") must be one of \"Default\", \"Aggressive\", \"Conservative\": use a RayUpscalingMode");
  });

  test('fails when props or a worker group is not an object', () => {
    expect(() => new ElasticRayTraining(newChart(), 'train', undefined as any)).toThrow(
      "[test/train] 'props' (undefined) must be an object of named fields, not undefined");
    expect(build({ workerGroups: [null as any] })).toThrow("[test/train] 'workerGroups[0]' (null) must be an object of named fields, not null");
  });

  test('a bad GPU count', () => {
    expect(build({ workerGroups: [{ ...gpuGroup, gpu: GpuRequest.of(0) }] })).toThrow("[test/train] 'workerGroups[0].gpu.gpus' (0)");
  });
});

describe('ElasticRayTraining queueName (Kueue)', () => {
  test('labels the RayCluster and marks it an elastic job, the only autoscaled RayCluster Kueue admits', () => {
    const { rc } = synth({ queueName: 'research' });
    expect(rc.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'research' });
    expect(rc.metadata.annotations).toEqual({ 'kueue.x-k8s.io/elastic-job': 'true' });
    expect(rc.spec.enableInTreeAutoscaling).toBe(true);
  });

  test('without a queue, neither label nor annotation', () => {
    const { rc } = synth();
    expect(rc.metadata.labels).toBeUndefined();
    expect(rc.metadata.annotations).toBeUndefined();
  });

  test('fails on a name that is not a LocalQueue name', () => {
    expect(build({ queueName: 'a'.repeat(64) })).toThrow("'queueName' (\"" + 'a'.repeat(64) + '") is 64 characters long, more than the 63 allowed');
  });
});

test('ElasticRayTraining with a queue refuses a worker group named "head" (Kueue reserves it)', () => {
  expect(build({ queueName: 'research', workerGroups: [{ ...cpuGroup, name: 'head' }] })).toThrow(
    "[test/train] 'workerGroups[0].name' (\"head\") is reserved by Kueue for the head group of a queued RayCluster: give the worker group another name");
});
