import { ApiObject, Duration, JsonPatch, Size, Testing, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  GpuProduct, GpuRequest, InferenceAutoscaler, InferenceAutoscalerProps, PrometheusAdapterConfig, ScalingBehavior,
  ScalingMetric, HpaScalingPolicyType, WorkloadFootprints,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, newChart, ofKind } from '../util';

const gpuServer = (overrides: Partial<InferenceAutoscalerProps> = {}): InferenceAutoscalerProps => ({
  name: 'chat',
  modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
  maxReplicas: 10,
  metrics: [ScalingMetric.vllmWaitingRequests(5), ScalingMetric.gpuUtilization(70)],
  ...overrides,
});

/** A generic server's request counter, named as the generic server must name it. */
const HTTP = { counter: 'http_requests_total' };

function synthOne(overrides: Partial<InferenceAutoscalerProps> = {}, namespace = 'serving') {
  const chart = newChart({ namespace });
  const autoscaler = new InferenceAutoscaler(chart, 'chat', gpuServer(overrides));
  return { chart, autoscaler, manifests: expectConformant(chart) };
}

describe('InferenceAutoscaler defaults', () => {
  test('synthesizes the default objects (snapshot)', () => {
    const { manifests } = synthOne();
    expect(manifests.map(m => m.kind)).toEqual([
      'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor', 'PrometheusRule', 'ConfigMap',
    ]);
    expect(manifests).toMatchSnapshot();
  });

  test('the Deployment carries no replicas: the HPA owns them', () => {
    const { manifests } = synthOne();
    expect(ofKind(manifests, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('the HPA targets the Deployment with min, max, metrics and the standard behavior', () => {
    const { manifests } = synthOne();
    const hpa = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'scaling_queue_length' }, target: { type: 'AverageValue', averageValue: '5' } } },
      { type: 'Pods', pods: { metric: { name: 'scaling_gpu_utilization' }, target: { type: 'AverageValue', averageValue: '70' } } },
    ]);
    expect(hpa.spec.behavior).toEqual(ScalingBehavior.standard().toJson());
  });

  test('the real-time behavior defaults to 3 replicas', () => {
    const { manifests } = synthOne({ behavior: ScalingBehavior.realTime() });
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(3);
  });

  test('a GPU request sets the limit, the NoSchedule toleration and a launch-time node label', () => {
    const { manifests } = synthOne();
    const pod = ofKind(manifests, 'Deployment').spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.containers[0].resources.requests['nvidia.com/gpu']).toBe('1');
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'a10g' });
  });

  test('a CPU-only model server has no GPU limit, toleration or node selector', () => {
    const { manifests } = synthOne({ modelServer: { image: 'example/embedder:1.0' }, metrics: [ScalingMetric.requestsPerSecond(20, { counter: 'http_requests_total' })] });
    const pod = ofKind(manifests, 'Deployment').spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
  });

  test('pods run restricted: non-root with an explicit user, no escalation, no capabilities, RuntimeDefault seccomp, read-only root', () => {
    const { manifests } = synthOne();
    const pod = ofKind(manifests, 'Deployment').spec.template.spec;
    const sc = pod.containers[0].securityContext;
    expect(sc).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('writable paths are emptyDir volumes and /dev/shm is memory-backed', () => {
    const { manifests } = synthOne({ modelServer: { image: 'vllm/vllm-openai:v0.12.0', sharedMemorySize: Size.gibibytes(4), modelCacheSize: Size.gibibytes(100) }, metrics: [ScalingMetric.waitingRequests(5)] });
    const pod = ofKind(manifests, 'Deployment').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4Gi' } },
      { name: 'tmp', emptyDir: {} },
      { name: 'model-cache', emptyDir: { sizeLimit: '100Gi' } },
    ]);
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/dev/shm', '/tmp', '/models']);
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'HF_HOME', value: '/models/huggingface' }]));
  });

  test('probes allow the model load time before liveness starts, and termination is graceful', () => {
    const { manifests } = synthOne({ modelServer: { image: 'vllm/vllm-openai:v0.12.0', modelLoadTimeout: Duration.minutes(30) }, metrics: [ScalingMetric.waitingRequests(5)] });
    const pod = ofKind(manifests, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, failureThreshold: 180 });
    // Defect 8: the rollout deadline outlasts the startup probe's 1,800 s, or a slow load marks it ProgressDeadlineExceeded.
    const deployment = ofKind(manifests, 'Deployment');
    expect(deployment.spec.progressDeadlineSeconds).toBe(1800 + 600);
    expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold);
    expect(c.readinessProbe.httpGet.path).toBe('/health');
    expect(c.livenessProbe.httpGet.path).toBe('/health');
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(pod.terminationGracePeriodSeconds).toBe(120);
  });

  test('the default progress deadline outlasts the default 15-minute startup budget', () => {
    const deployment = ofKind(synthOne().manifests, 'Deployment');
    const probe = deployment.spec.template.spec.containers[0].startupProbe;
    expect(probe.periodSeconds * probe.failureThreshold).toBe(900);
    expect(deployment.spec.progressDeadlineSeconds).toBe(1500);
  });

  test('a drain delay of zero removes the preStop hook', () => {
    const { manifests } = synthOne({ modelServer: { image: 'vllm/vllm-openai:v0.12.0', drainDelay: Duration.seconds(0) }, metrics: [ScalingMetric.waitingRequests(5)] });
    expect(ofKind(manifests, 'Deployment').spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  test('pods spread over zones and nodes without blocking scale-up', () => {
    const { manifests } = synthOne();
    const spread = ofKind(manifests, 'Deployment').spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: any) => [s.topologyKey, s.whenUnsatisfiable, s.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
  });

  test('a PodDisruptionBudget lets drains take one pod at a time', () => {
    const { manifests } = synthOne();
    const deployment = ofKind(manifests, 'Deployment');
    const pdb = ofKind(manifests, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: deployment.spec.selector,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('the PodDisruptionBudget can be turned off', () => {
    const { manifests } = synthOne({ podDisruptionBudget: false });
    expect(allOfKind(manifests, 'PodDisruptionBudget')).toHaveLength(0);
  });
});

describe('InferenceAutoscaler metrics pipeline', () => {
  test('a ServiceMonitor scrapes the Service every 15 s and labels series with the scaling target', () => {
    const { manifests } = synthOne({ monitoring: { prometheusSelectorLabels: { release: 'prom' } } });
    const service = ofKind(manifests, 'Service');
    const monitor = ofKind(manifests, 'ServiceMonitor');
    expect(monitor.metadata.labels).toEqual({ release: 'prom' });
    expect(monitor.spec.selector.matchLabels).toEqual(service.metadata.labels);
    expect(monitor.spec.endpoints).toEqual([{
      port: 'http',
      path: '/metrics',
      interval: '15s',
      relabelings: [{ action: 'replace', targetLabel: 'scaling_target', replacement: 'chat' }],
    }]);
  });

  test('recording rules keep namespace and pod, named as the design document names them', () => {
    const { manifests } = synthOne({
      metrics: [
        ScalingMetric.requestsPerSecond(10), ScalingMetric.waitingRequests(5), ScalingMetric.gpuUtilization(70),
        ScalingMetric.responseTimeP95(Duration.millis(500)),
      ],
    });
    const rules = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules;
    const records = rules.filter((r: any) => r.record);
    expect(records.map((r: any) => r.record)).toEqual([
      'scaling:request_rate', 'scaling:queue_length', 'scaling:gpu_utilization', 'scaling:response_time_p95', 'scaling:predicted_load',
    ]);
    // vLLM's own names (vllm/v1/metrics/loggers.py at 0.12.0), not a generic http_requests_total.
    expect(records[0].expr).toBe('sum by (namespace, pod, scaling_target) (rate(vllm:request_success_total{scaling_target="chat", namespace="serving"}[2m]))');
    expect(records[1].expr).toBe('sum by (namespace, pod, scaling_target) (vllm:num_requests_waiting{scaling_target="chat", namespace="serving"})');
    expect(records[2].expr).toBe('label_replace(label_replace(label_replace(avg by (exported_namespace, exported_pod) '
      + '(DCGM_FI_DEV_GPU_UTIL{exported_pod=~"chat-[a-z0-9]+-[a-z0-9]+", exported_namespace="serving"}), '
      + '"namespace", "$1", "exported_namespace", "(.*)"), "pod", "$1", "exported_pod", "(.*)"), "scaling_target", "chat", "", "")');
    expect(records[3].expr).toBe('histogram_quantile(0.95, sum by (namespace, pod, scaling_target, le) '
      + '(rate(vllm:e2e_request_latency_seconds_bucket{scaling_target="chat", namespace="serving"}[2m])))');
    expect(records[4].expr).toBe('predict_linear(scaling:request_rate{scaling_target="chat"}[30m], 300)');
    const hpa = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[3].pods.target.averageValue).toBe('500m');
  });

  test('alerts fire for a service pinned at its maximum and for missing metrics', () => {
    const { manifests } = synthOne();
    const alerts = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.alert);
    expect(alerts.map((a: any) => a.alert)).toEqual(['ScalingAtMaxReplicas', 'ScalingMetricsUnavailable', 'ScalingMetricAbsent', 'ScalingMetricAbsent']);
    expect(alerts[0].for).toBe('15m');
    expect(alerts[0].expr).toContain('kube_horizontalpodautoscaler_spec_max_replicas{horizontalpodautoscaler="chat", namespace="serving"}');
    expect(alerts[1].expr).toContain('condition="ScalingActive", status="false"');
    expect(alerts[2].expr).toBe('absent(scaling:queue_length{scaling_target="chat"})');
  });

  test('the adapter config merges every autoscaler\'s rules, each once, across charts', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const adapter = new PrometheusAdapterConfig(platform, 'adapter');
    const a = new Chart(app, 'team-a', { namespace: 'a' });
    const b = new Chart(app, 'team-b', { namespace: 'b' });
    new InferenceAutoscaler(a, 'chat', gpuServer({ adapterConfig: adapter }));
    new InferenceAutoscaler(b, 'chat', gpuServer({ metrics: [ScalingMetric.vllmWaitingRequests(3), ScalingMetric.requestsPerSecond(4)] }));
    const cms = expectConformant(platform);
    expectConformant(a);
    expectConformant(b);
    expect(cms).toHaveLength(1);
    expect(cms[0].metadata).toEqual({ name: 'prometheus-adapter-scaling-rules', namespace: 'monitoring' });
    const config = adapter.renderConfig();
    expect(cms[0].data['config.yaml']).toBe(config);
    expect(config.match(/seriesQuery/g)).toHaveLength(3);
    expect(config).toContain('seriesQuery: scaling:queue_length{namespace!="",pod!=""}');
    expect(config).toContain('as: scaling_request_rate');
    expect(allOfKind(Testing.synth(a), 'ConfigMap')).toHaveLength(0);
  });

  test('without an explicit adapter config the first autoscaler creates one in its chart', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new InferenceAutoscaler(a, 'one', gpuServer({ name: 'one' }));
    new InferenceAutoscaler(b, 'two', gpuServer({ name: 'two' }));
    expect(allOfKind(expectConformant(a), 'ConfigMap')).toHaveLength(1);
    expect(allOfKind(expectConformant(b), 'ConfigMap')).toHaveLength(0);
  });

  test('a second adapter config in one app is an error', () => {
    const app = Testing.app();
    new PrometheusAdapterConfig(new Chart(app, 'a'), 'adapter');
    expect(() => new PrometheusAdapterConfig(new Chart(app, 'b'), 'adapter')).toThrow(
      '[b/adapter] \'scope\' ("(the app)") already holds a PrometheusAdapterConfig (a/adapter), and prometheus-adapter reads one configuration for the whole cluster: '
      + 'create it once, before any InferenceAutoscaler, and pass it as \'adapterConfig\'');
  });

  test('fails on an adapter namespace that is not DNS-1123', () => {
    expect(() => new PrometheusAdapterConfig(newChart(), 'adapter', { namespace: 'Monitoring' })).toThrow(
      "[test/adapter] 'namespace' (\"Monitoring\") is not a DNS-1123 label");
  });

  test('an external metric gets an adapter externalRule and an External HPA metric', () => {
    const chart = newChart();
    const adapter = new PrometheusAdapterConfig(chart, 'adapter');
    new InferenceAutoscaler(chart, 'batch', gpuServer({
      name: 'batch',
      metrics: [ScalingMetric.external('aws_sqs_approximate_number_of_messages_visible_average', 10, { matchLabels: { queue_name: 'jobs' } })],
    }));
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.metrics).toEqual([{
      type: 'External',
      external: {
        metric: { name: 'aws_sqs_approximate_number_of_messages_visible_average', selector: { matchLabels: { queue_name: 'jobs' } } },
        target: { type: 'AverageValue', averageValue: '10' },
      },
    }]);
    expect(adapter.renderConfig()).toContain('externalRules:');
    expect(adapter.renderConfig()).toContain('namespaced: false');
  });

  test('CPU and memory utilization use Resource metrics and need no adapter rule', () => {
    const chart = newChart();
    const adapter = new PrometheusAdapterConfig(chart, 'adapter');
    new InferenceAutoscaler(chart, 'cpu', gpuServer({ metrics: [ScalingMetric.cpuUtilization(60), ScalingMetric.memoryUtilization(80)] }));
    const hpa = ofKind(expectConformant(chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[0]).toEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } });
    expect(adapter.renderConfig()).toBe('rules: []\n');
  });
});

describe('InferenceAutoscaler on an existing Deployment', () => {
  function existing(chart: Chart) {
    return new kplus.Deployment(chart, 'existing', {
      metadata: { name: 'ranker' },
      containers: [{
        image: 'example/ranker:2.1',
        ports: [{ number: 9000, name: 'http' }],
        securityContext: {
          user: 1000,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        resources: {
          cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(2) },
          memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
        },
      }],
    });
  }

  test('scales it without replicas and scrapes its pods with a PodMonitor', () => {
    const chart = newChart();
    const target = existing(chart);
    new InferenceAutoscaler(chart, 'ranker', { target: ApiObject.of(target), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'Deployment').spec.replicas).toBeUndefined();
    expect(allOfKind(manifests, 'ServiceMonitor')).toHaveLength(0);
    const monitor = ofKind(manifests, 'PodMonitor');
    expect(monitor.spec.selector.matchLabels).toEqual(ofKind(manifests, 'Deployment').spec.selector.matchLabels);
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'http', interval: '15s' });
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('ranker');
  });

  test('drops replicas the target was given: the HPA owns them', () => {
    const chart = newChart();
    const target = new kplus.Deployment(chart, 'fixed', {
      replicas: 5,
      containers: [{ image: 'example/ranker:2.1', ports: [{ number: 9000, name: 'http' }], securityContext: { capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } } }],
    });
    new InferenceAutoscaler(chart, 'ranker', { target: ApiObject.of(target), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    expect(ofKind(expectConformant(chart), 'Deployment').spec.replicas).toBeUndefined();
  });

  test('with its Service it uses a ServiceMonitor', () => {
    const chart = newChart();
    const target = existing(chart);
    const service = target.exposeViaService({ ports: [{ port: 9000, name: 'http' }] });
    service.metadata.addLabel('app', 'ranker');
    new InferenceAutoscaler(chart, 'ranker', { target: ApiObject.of(target), targetService: ApiObject.of(service), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    const monitor = ofKind(expectConformant(chart), 'ServiceMonitor');
    expect(monitor.spec.selector.matchLabels).toEqual({ app: 'ranker' });
  });

  test('fails when the target already has an autoscaler', () => {
    const chart = newChart();
    const target = ApiObject.of(existing(chart));
    new InferenceAutoscaler(chart, 'first', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    expect(() => new InferenceAutoscaler(chart, 'second', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/second] 'target' (\"ranker\") already has an autoscaler: a workload takes one horizontal autoscaler: remove the other HPA/ScaledObject or scale a different Deployment");
  });

  test('fails when the target Service has no labels to select', () => {
    const chart = newChart();
    const target = existing(chart);
    const service = target.exposeViaService({ name: 'ranker', ports: [{ port: 9000, name: 'http' }] });
    expect(() => new InferenceAutoscaler(chart, 'r', { target: ApiObject.of(target), targetService: ApiObject.of(service), maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/r] 'targetService' (\"ranker\") has no labels, and a ServiceMonitor selects Services by label: add a label to the Service (e.g. app.kubernetes.io/instance), or leave targetService out to scrape the pods with a PodMonitor");
  });

  test('exposes the footprint of the scaled workload', () => {
    const chart = newChart({ namespace: 'ranking' });
    const target = existing(chart);
    const autoscaler = new InferenceAutoscaler(chart, 'ranker', { target: ApiObject.of(target), maxReplicas: 8, metrics: [ScalingMetric.cpuUtilization(70)] });
    expect(autoscaler.footprint).toEqual({
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ranker', namespace: 'ranking' },
      minReplicas: 2,
      maxReplicas: 8,
      // The Deployment has no strategy: Kubernetes' default RollingUpdate, maxSurge 25% of 8.
      surgeReplicas: 2,
      requests: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2), gpus: 0 },
      limits: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(2), gpus: 0 },
      tolerations: [],
      nodeSelector: {},
      scalingOwner: { kind: 'HorizontalPodAutoscaler', name: autoscaler.scaler.name, scalesOnResources: ['cpu'] },
    });
  });
});

describe('InferenceAutoscaler on a plain ApiObject', () => {
  /** A restricted-PSS workload written by hand, as an imported chart or another library would give it. */
  function workload(chart: Chart, kind: string, name: string, spec: Record<string, any> = {}, container: Record<string, any> = {}): ApiObject {
    const labels = { app: name };
    return new ApiObject(chart, name, {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name },
      spec: {
        ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'server',
              image: 'example/ranker:2.1',
              ports: [{ name: 'http', containerPort: 9000 }],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              ...container,
            }],
          },
        },
        ...spec,
      },
    });
  }

  test('scales a Deployment that leaves replicas out, selecting its pods by its own selector', () => {
    const chart = newChart({ namespace: 'ranking' });
    const target = workload(chart, 'Deployment', 'ranker');
    const autoscaler = new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ranker' });
    expect(ofKind(manifests, 'PodMonitor').spec.selector).toEqual({ matchLabels: { app: 'ranker' } });
    expect(ofKind(manifests, 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { app: 'ranker' } });
    expect(autoscaler.deployment).toBe(target);
    expect(autoscaler.footprint).toMatchObject({
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ranker', namespace: 'ranking' },
      requests: { cpu: kplus.Cpu.millis(500), memory: Size.gibibytes(1), gpus: 0 },
      limits: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), gpus: 0 },
    });
    expect(autoscaler.footprint.fixedReplicas).toBeUndefined();
  });

  test('scales a StatefulSet, whose pods are named <name>-<ordinal>', () => {
    const chart = newChart({ namespace: 'ranking' });
    const gpu = { requests: { 'cpu': '500m', 'memory': '1Gi', 'nvidia.com/gpu': '1' }, limits: { 'cpu': '1', 'memory': '1Gi', 'nvidia.com/gpu': '1' } };
    const target = workload(chart, 'StatefulSet', 'ranker', {}, { resources: gpu });
    new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.gpuUtilization(70)] });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ranker' });
    expect(ofKind(manifests, 'PrometheusRule').spec.groups[0].rules[0].expr).toContain('exported_pod=~"ranker-[0-9]+"');
  });

  test('fails on GPU utilization when the target requests no GPU', () => {
    const target = workload(newChart(), 'Deployment', 'ranker');
    expect(() => new InferenceAutoscaler(target.chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.gpuUtilization(70)] })).toThrow(
      "[test/r] 'metrics[0]' (\"GPU utilization (%)\") reads dcgm-exporter's DCGM_FI_DEV_GPU_UTIL, and the pods of example/ranker:2.1 request no GPU: "
      + 'give the model server a GPU (modelServer.gpu), or scale on a metric the server exports, e.g. ScalingMetric.requestsPerSecond(...)');
  });

  test('reads the server kind from the target\'s image: TEI metrics for a TEI container', () => {
    const chart = newChart({ namespace: 'ranking' });
    const target = workload(chart, 'Deployment', 'ranker', {}, { image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8' });
    new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50)] });
    expect(ofKind(expectConformant(chart), 'PrometheusRule').spec.groups[0].rules[0].expr).toContain('rate(te_request_count{');
  });

  test('fails when the target\'s progress deadline is not longer than its startup probe allows (default 600 s)', () => {
    const probe = { startupProbe: { httpGet: { path: '/health', port: 9000 }, periodSeconds: 10, failureThreshold: 90 } };
    const target = workload(newChart(), 'Deployment', 'ranker', {}, probe);
    expect(() => new InferenceAutoscaler(target.chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/r] 'target' (\"ranker\") has progressDeadlineSeconds 600 (the default when unset), not longer than the 900 s its startup probe allows "
      + "container 'server' to start: every rollout slower than the deadline is marked ProgressDeadlineExceeded and `kubectl rollout status` fails: "
      + 'set spec.progressDeadlineSeconds above 900, e.g. 1500');
    const chart = newChart();
    const explicit = workload(chart, 'Deployment', 'ranker', { progressDeadlineSeconds: 900 }, probe);
    expect(() => new InferenceAutoscaler(chart, 'r', { target: explicit, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] }))
      .toThrow('has progressDeadlineSeconds 900, not longer than the 900 s');
    const ok = workload(newChart(), 'Deployment', 'ranker', { progressDeadlineSeconds: 1500 }, probe);
    expect(() => new InferenceAutoscaler(ok.chart, 'r', { target: ok, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).not.toThrow();
  });

  test('fails when the object sets spec.replicas, which the autoscaler owns', () => {
    const chart = newChart();
    const target = workload(chart, 'Deployment', 'ranker', { replicas: 3 });
    expect(() => new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/r] 'target' (\"ranker\") sets spec.replicas (3), which the autoscaler owns: every apply would reset the replica count: " +
      "leave replicas out of the workload (an ApiObject: addJsonPatch(JsonPatch.remove('/spec/replicas')))");
  });

  test('fails when the object has no selector to find its pods by', () => {
    const chart = newChart();
    const target = workload(chart, 'Deployment', 'ranker', { selector: undefined });
    expect(() => new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/r] 'target' (\"ranker\") has no spec.selector, by which the PodDisruptionBudget and the PodMonitor would find its pods: " +
      "give the workload a selector that matches its pod template's labels (apps/v1 requires one)");
  });

  test('fails when the object is not a Deployment, StatefulSet or LeaderWorkerSet', () => {
    const chart = newChart();
    const target = workload(chart, 'DaemonSet', 'agent');
    expect(() => new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/r] 'target' (\"agent\") is a DaemonSet, not a Deployment, StatefulSet or LeaderWorkerSet: give the ApiObject of the Deployment, StatefulSet or LeaderWorkerSet to scale, e.g. ApiObject.of(deployment)");
  });

  test('fails on a second autoscaler for the same object', () => {
    const chart = newChart();
    const target = workload(chart, 'Deployment', 'ranker');
    new InferenceAutoscaler(chart, 'first', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] });
    expect(() => new InferenceAutoscaler(chart, 'second', { target, maxReplicas: 8, metrics: [ScalingMetric.requestsPerSecond(50, HTTP)] })).toThrow(
      "[test/second] 'target' (\"ranker\") already has an autoscaler: a workload takes one horizontal autoscaler: remove the other HPA/ScaledObject or scale a different Deployment");
  });
});

describe('InferenceAutoscaler model server objects', () => {
  test('keep the construct paths cdk8s-plus gave them, so generated names and the selector do not change', () => {
    const chart = newChart();
    const autoscaler = new InferenceAutoscaler(chart, 'chat', gpuServer({ name: undefined }));
    expect(autoscaler.deployment.node.path).toBe('test/chat/Deployment/Resource');
    expect(autoscaler.service!.node.path).toBe('test/chat/Deployment/Service/Resource');
    const manifests = expectConformant(chart);
    const deployment = ofKind(manifests, 'Deployment');
    // The names and label cdk8s-plus 2.5.6 generated for these paths.
    expect(deployment.metadata.name).toBe('test-chat-deployment-c88235e9');
    expect(deployment.spec.selector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'test-chat-Deployment-c8dfba8f' });
    expect(ofKind(manifests, 'Service').metadata.name).toBe('test-chat-deployment-service-c804b760');
  });

  test('take escape-hatch patches on the Deployment', () => {
    const chart = newChart();
    const autoscaler = new InferenceAutoscaler(chart, 'chat', gpuServer());
    ApiObject.of(autoscaler.deployment).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
    expect(ofKind(expectConformant(chart), 'Deployment').spec.revisionHistoryLimit).toBe(3);
  });
});

test('footprints of a whole app are collected from every autoscaler', () => {
  const chart = newChart();
  new InferenceAutoscaler(chart, 'a', gpuServer({ name: 'a' }));
  new InferenceAutoscaler(chart, 'b', gpuServer({ name: 'b', modelServer: { image: 'x/y:1', gpu: GpuRequest.of(2) }, maxReplicas: 4, metrics: [ScalingMetric.gpuUtilization(70)] }));
  const footprints = WorkloadFootprints.of(chart);
  expect(footprints.map(f => [f.target.name, f.maxReplicas, f.requests.gpus, f.nodeSelector])).toEqual([
    ['a', 10, 1, { 'karpenter.k8s.aws/instance-gpu-name': 'a10g' }],
    ['b', 4, 2, { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' }],
  ]);
  expect(footprints[0].requests).toEqual({ cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 });
  expect(footprints[0].tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
});

describe('InferenceAutoscaler validation', () => {
  const build = (overrides: Partial<InferenceAutoscalerProps>) => () => new InferenceAutoscaler(newChart(), 'chat', gpuServer(overrides));

  test('fails when maxReplicas is below minReplicas', () => {
    expect(build({ minReplicas: 5, maxReplicas: 3 })).toThrow(
      "[test/chat] 'maxReplicas' (3) is below 'minReplicas' (5): raise maxReplicas or lower minReplicas");
  });

  test('fails when minReplicas is below the availability default without an explicit opt-out', () => {
    expect(build({ minReplicas: 1 })).toThrow(
      "[test/chat] 'minReplicas' (1) is below 2, the fewest replicas the standard behavior keeps for availability: raise minReplicas to 2, or set allowSingleReplica: true to accept the risk");
    expect(build({ minReplicas: 2, behavior: ScalingBehavior.realTime() })).toThrow(
      "[test/chat] 'minReplicas' (2) is below 3, the fewest replicas the real-time behavior keeps for availability: raise minReplicas to 3, or set allowSingleReplica: true to accept the risk");
  });

  test('accepts one replica when the user opts out explicitly', () => {
    expect(build({ minReplicas: 1, allowSingleReplica: true })).not.toThrow();
  });

  test('fails when minReplicas is zero', () => {
    expect(build({ minReplicas: 0, allowSingleReplica: true })).toThrow(
      "[test/chat] 'minReplicas' (0) must be a whole number from 1 to 10000: set at least 1 (an HPA cannot scale to zero; use the KEDA engine for that)");
  });

  test('fails on a zero or negative target', () => {
    // The factory checks its own argument, before any autoscaler reads it.
    expect(() => ScalingMetric.requestsPerSecond(0)).toThrow("[ScalingMetric.requestsPerSecond] 'perPod' (0) must be a number at least 0.001 and at most 1000000000: "
      + 'give the value one pod should handle, from 0.001 to 1,000,000,000 (a zero or negative target would scale to the maximum at once)');
    expect(() => ScalingMetric.queueLength(-2)).toThrow("[ScalingMetric.queueLength] 'perPod' (-2) must be a number at least 0.001");
  });

  test('fails on GPU utilization outside 1-100', () => {
    expect(() => ScalingMetric.gpuUtilization(150)).toThrow(
      "[ScalingMetric.gpuUtilization] 'percent' (150) must be a percent at least 1 and at most 100: give a percent from 1 to 100, e.g. 70");
    expect(() => ScalingMetric.gpuUtilization(0)).toThrow("[ScalingMetric.gpuUtilization] 'percent' (0) must be a percent at least 1 and at most 100");
  });

  test('fails on a fractional CPU utilization percent', () => {
    expect(() => ScalingMetric.cpuUtilization(70.5)).toThrow(
      "[ScalingMetric.cpuUtilization] 'percent' (70.5) must be a whole number at least 1 and at most 1000: give a whole percent of the pods' CPU requests, e.g. 70");
  });

  test('fails on a stabilization window above 3600 s', () => {
    expect(build({ behavior: ScalingBehavior.custom({ scaleDown: { stabilizationWindow: Duration.seconds(4000) } }) })).toThrow(
      "[test/chat] 'behavior.scaleDown.stabilizationWindow' (\"4000s\") must be a whole number of seconds from 0 to 3600: "
      + 'give a stabilization window of 0 to 3600 s in whole seconds, as the API server allows');
  });

  test('fails on a policy period above 1800 s', () => {
    const behavior = ScalingBehavior.custom({
      scaleUp: { policies: [{ type: HpaScalingPolicyType.PODS, value: 4, period: Duration.seconds(2000) }] },
    });
    expect(build({ behavior })).toThrow(
      "[test/chat] 'behavior.scaleUp.policies[0].period' (\"2000s\") must be a whole number of seconds from 1 to 1800: "
      + 'give a policy period of 1 to 1800 s in whole seconds, as the API server allows');
  });

  test('fails on a policy value of zero', () => {
    const behavior = ScalingBehavior.custom({
      scaleUp: { policies: [{ type: HpaScalingPolicyType.PERCENT, value: 0, period: Duration.seconds(60) }] },
    });
    expect(build({ behavior })).toThrow("[test/chat] 'behavior.scaleUp.policies[0].value' (0) must be a whole number from 1 to 2147483647");
  });

  test('fails on a name that is not a Service name (DNS-1035)', () => {
    expect(build({ name: 'My_Service' })).toThrow(
      "[test/chat] 'name' (\"My_Service\") is not a DNS-1035 label of at most 63 characters (lowercase letters, digits and '-', starting with a letter " +
      'and ending with a letter or digit): use a name such as "my-service"');
  });

  test('fails without metrics, and on the same metric twice', () => {
    expect(build({ metrics: [] })).toThrow("[test/chat] 'metrics' ([]) is empty: give at least one ScalingMetric, e.g. ScalingMetric.requestsPerSecond(10)");
    expect(build({ metrics: [ScalingMetric.queueLength(3), ScalingMetric.vllmWaitingRequests(5)] })).toThrow(
      "[test/chat] 'metrics[1]' (\"vLLM waiting requests\") serves the same metric 'scaling_queue_length' as metrics[0]: keep one of them: an HPA reads each metric once");
  });

  test('fails with both or neither of modelServer and target', () => {
    const chart = newChart();
    expect(() => new InferenceAutoscaler(chart, 'none', { maxReplicas: 3, metrics: [ScalingMetric.requestsPerSecond(1)] })).toThrow(
      "[test/none] 'modelServer' (undefined) and 'target' are both missing: give 'modelServer' to create a Deployment, or 'target' to scale an existing one");
    const target = ApiObject.of(new kplus.Deployment(chart, 'd', { metadata: { name: 'ranker' }, containers: [{ image: 'x/y:1' }] }));
    expect(() => new InferenceAutoscaler(chart, 'both', { target, modelServer: { image: 'x/y:1' }, maxReplicas: 3, metrics: [ScalingMetric.requestsPerSecond(1)] })).toThrow(
      "[test/both] 'target' (\"ranker\") is given together with 'modelServer': give 'modelServer' to create a Deployment, or 'target' to scale an existing one, not both");
  });

  test('fails on a GPU count of zero', () => {
    expect(build({ modelServer: { image: 'x/y:1', gpu: GpuRequest.of(0) } })).toThrow(
      "[test/chat] 'modelServer.gpu.gpus' (0) must be a whole number from 1 to 64");
  });

  test('fails on a root user', () => {
    expect(build({ modelServer: { image: 'x/y:1', runAsUser: 0 } })).toThrow(
      "[test/chat] 'modelServer.runAsUser' (0) must be a whole number from 1 to 2147483647: the restricted Pod Security profile forbids root (0): give a non-root UID");
  });
});

describe('InferenceAutoscaler input checks (every prop, as JSON and jsii callers pass them)', () => {
  const server = { image: 'x/y:1' };
  const base = { name: 'chat', maxReplicas: 10, metrics: [ScalingMetric.cpuUtilization(70)] };
  const build = (props: any) => () => new InferenceAutoscaler(newChart(), 'chat', props);

  test('fails when an env var name is not one Kubernetes accepts', () => {
    expect(build({ ...base, modelServer: { ...server, env: { '1X': 'a' } } })).toThrow(
      "[test/chat] 'modelServer.env' (\"1X\") has a name that is not an environment variable name: name variables with letters, digits, '_', '-' and '.', " +
      'not starting with a digit, e.g. HF_HOME');
  });

  test('fails when the image is not an image reference', () => {
    expect(build({ ...base, modelServer: { image: 'Bad/Image:1' } })).toThrow(
      "[test/chat] 'modelServer.image' (\"Bad/Image:1\") is not an image reference (lowercase repository path, an optional :tag of letters, digits, " +
      "'_', '.' and '-', an optional @digest): give an image reference such as \"vllm/vllm-openai:v0.12.0\" or " +
      '"registry.example.com/team/model@sha256:<64 hex digits>"');
  });

  test('fails when the name (of the created Service and the other objects) is not a Service name', () => {
    expect(build({ ...base, name: '1chat', modelServer: server })).toThrow(
      "[test/chat] 'name' (\"1chat\") is not a DNS-1035 label of at most 63 characters (lowercase letters, digits and '-', starting with a letter " +
      'and ending with a letter or digit): use a name such as "chat"');
  });

  test('fails when the name of the objects around a target is not a DNS-1123 label', () => {
    const chart = newChart();
    const target = ApiObject.of(new kplus.Deployment(chart, 'd', { metadata: { name: 'ranker' }, containers: [{ image: 'x/y:1' }] }));
    expect(() => new InferenceAutoscaler(chart, 'chat', { ...base, name: 'Chat', target })).toThrow(
      "[test/chat] 'name' (\"Chat\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', starting and ending with a " +
      'letter or digit): use a name such as "chat"');
  });

  test('fails when a number is given for the name', () => {
    expect(build({ ...base, name: 5, modelServer: server })).toThrow(
      "[test/chat] 'name' (5) must be a string, not a number: give a lowercase name that starts with a letter, such as \"my-service\"");
  });

  test('fails when metricsPort is not a port name', () => {
    expect(build({ ...base, metricsPort: 'my--port', modelServer: server })).toThrow(
      "[test/chat] 'metricsPort' (\"my--port\") is not a port name (at most 15 characters: lowercase letters, digits and '-', at least one letter, " +
      "no '--', starting and ending with a letter or digit): give the name of the container port that serves metrics, such as \"http\" or \"metrics\"");
  });

  test('fails when metricsPort names no port of the created server', () => {
    expect(build({ ...base, metricsPort: 'metrics', modelServer: server })).toThrow(
      "[test/chat] 'metricsPort' (\"metrics\") is not a port of the created model server (http): leave metricsPort out (the server's metrics are " +
      "scraped from 'http'), or set it to one of http");
  });

  test('fails when metricsPort names no container port of the target', () => {
    const chart = newChart();
    const target = new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ranker' },
      spec: {
        selector: { matchLabels: { app: 'r' } },
        template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'x/y:1', ports: [{ name: 'web', containerPort: 80 }] }] } },
      },
    });
    expect(() => new InferenceAutoscaler(chart, 'chat', { ...base, target })).toThrow(
      "[test/chat] 'metricsPort' (\"http\") is not a container port name of the target 'ranker' (web): the PodMonitor would scrape nothing: " +
      'set metricsPort to the name of the container port that serves metrics, or name that port');
  });

  test('fails when the preStop sleep is not shorter than the termination grace period', () => {
    expect(build({ ...base, modelServer: { ...server, drainDelay: Duration.seconds(120) } })).toThrow(
      "[test/chat] 'modelServer.drainDelay' (\"120s\") is not shorter than the termination grace period (120s): the kubelet kills the pod before its " +
      'preStop sleep ends, so in-flight requests are cut off: shorten drainDelay below 120 s, or lengthen terminationGracePeriod');
  });

  test('fails when runAsUser (and so runAsGroup) is outside int32', () => {
    expect(build({ ...base, modelServer: { ...server, runAsUser: 2 ** 31 } })).toThrow(
      "[test/chat] 'modelServer.runAsUser' (2147483648) must be a whole number from 1 to 2147483647: the restricted Pod Security profile forbids root (0): " +
      'give a non-root UID');
  });

  test('fails when the container port is outside the port range', () => {
    expect(build({ ...base, modelServer: { ...server, port: 70000 } })).toThrow(
      "[test/chat] 'modelServer.port' (70000) must be a port number at least 1 and at most 65535: use the port the server listens on (1 to 65535)");
  });

  test('fails when the model cache is mounted on a path the pod mounts already', () => {
    expect(build({ ...base, modelServer: { ...server, modelCachePath: '/tmp' } })).toThrow(
      "[test/chat] 'modelServer.modelCachePath' (\"/tmp\") appears twice: mount the cache on a directory of its own, such as '/models': " +
      'the pod mounts /dev/shm and /tmp itself');
  });

  test('fails when both target and modelServer are missing, or the props themselves', () => {
    expect(build({ ...base })).toThrow(
      "[test/chat] 'modelServer' (undefined) and 'target' are both missing: give 'modelServer' to create a Deployment, or 'target' to scale an existing one");
    expect(build(undefined)).toThrow(
      "[test/chat] 'props' (undefined) must be an object of named fields, not undefined: give the props: modelServer (or target), maxReplicas and metrics");
  });

  test('fails when a target has no containers (a raw ApiObject or a cdk8s-plus Deployment)', () => {
    const noContainers = "[test/chat] 'target' (\"ranker\") has no containers in its pod template (spec.template.spec.containers), so there is nothing to " +
      'scale or scrape: give the workload its containers before the autoscaler takes it (a cdk8s-plus workload: addContainer)';
    const chart = newChart();
    const raw = new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ranker' },
      spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [] } } },
    });
    expect(() => new InferenceAutoscaler(chart, 'chat', { ...base, target: raw })).toThrow(noContainers);
    const chart2 = newChart();
    const empty = new kplus.Deployment(chart2, 'd', { metadata: { name: 'ranker' } });
    expect(() => new InferenceAutoscaler(chart2, 'chat', { ...base, target: ApiObject.of(empty) })).toThrow(noContainers);
  });

  test('fails when an item of metrics is not a ScalingMetric', () => {
    expect(build({ ...base, modelServer: server, metrics: [ScalingMetric.cpuUtilization(70), 'cpu'] })).toThrow(
      "[test/chat] 'metrics[1]' (\"cpu\") must be a ScalingMetric (made by its static methods), not a string: make each metric with a ScalingMetric " +
      'factory, e.g. ScalingMetric.cpuUtilization(70)');
  });

  test('fails when a boolean is given as a string', () => {
    expect(build({ ...base, modelServer: server, podDisruptionBudget: 'false' })).toThrow(
      "[test/chat] 'podDisruptionBudget' (\"false\") must be true or false (a boolean), not a string: write podDisruptionBudget: false without quotes, " +
      'or leave it unset for the default');
  });
});

describe('InferenceAutoscaler target images', () => {
  test('fails when a target container image is not an image reference, naming the target field', () => {
    const chart = newChart();
    const target = new ApiObject(chart, 'server', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'server' },
      spec: {
        selector: { matchLabels: { app: 'server' } },
        template: { metadata: { labels: { app: 'server' } }, spec: { containers: [{ name: 'server', image: 'vllm/vllm-openai@' }] } },
      },
    });
    expect(() => new InferenceAutoscaler(chart, 'chat', { target, maxReplicas: 4, metrics: [ScalingMetric.cpuUtilization(70)] })).toThrow(
      "[test/chat] 'target.spec.template.spec.containers[0].image' (\"vllm/vllm-openai@\") is not an image reference");
  });
});

describe('InferenceAutoscaler on a LeaderWorkerSet', () => {
  /** A hand-written LWS as vLLM's docs write one: groups of 2, each pod one node's GPUs. */
  function lws(chart: Chart, name = 'vllm'): ApiObject {
    const container = (c: string) => ({
      name: c,
      image: 'vllm/vllm-openai:v0.12.0',
      ports: c === 'leader' ? [{ name: 'http', containerPort: 8000 }] : undefined,
      resources: { limits: { 'cpu': '32', 'memory': '400Gi', 'nvidia.com/gpu': '8' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    });
    return new ApiObject(chart, name, {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name },
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          restartPolicy: 'RecreateGroupOnPodRestart',
          leaderTemplate: { spec: { containers: [container('leader')] } },
          workerTemplate: { spec: { containers: [container('worker')] } },
        },
      },
    });
  }

  test('an HPA scales it on its /scale subresource; the metrics come from the leaders; the PDB covers every pod', () => {
    const chart = newChart({ namespace: 'serving' });
    const scaler = new InferenceAutoscaler(chart, 'vllm-scaler', {
      target: lws(chart), maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(5)],
    });
    const manifests = expectConformant(chart);
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'vllm' });
    // The selector of the LWS /scale subresource (status.hpaPodSelector): name and worker-index 0.
    expect(ofKind(manifests, 'PodMonitor').spec.selector).toEqual({
      matchLabels: { 'leaderworkerset.sigs.k8s.io/name': 'vllm', 'leaderworkerset.sigs.k8s.io/worker-index': '0' },
    });
    expect(ofKind(manifests, 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { 'leaderworkerset.sigs.k8s.io/name': 'vllm' } });
    expect(scaler.footprint).toMatchObject({ groupSize: 2, minReplicas: 2, maxReplicas: 4 });
    expect(scaler.footprint.requests.gpus).toBe(8);
  });

  test('fails on a LeaderWorkerSet that sets replicas, which the autoscaler owns', () => {
    const chart = newChart();
    const target = lws(chart);
    target.addJsonPatch(JsonPatch.add('/spec/replicas', 2));
    expect(() => new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(5)] })).toThrow(
      "[test/r] 'target' (\"vllm\") sets spec.replicas (2), which the autoscaler owns");
  });

  test('fails on a LeaderWorkerSet of another API version', () => {
    const chart = newChart();
    const target = lws(chart);
    target.addJsonPatch(JsonPatch.replace('/apiVersion', 'leaderworkerset.x-k8s.io/v1alpha1'));
    expect(() => new InferenceAutoscaler(chart, 'r', { target, maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(5)] })).toThrow(
      "[test/r] 'target' (\"vllm\") has apiVersion 'leaderworkerset.x-k8s.io/v1alpha1', not 'leaderworkerset.x-k8s.io/v1': give a leaderworkerset.x-k8s.io/v1 LeaderWorkerSet");
  });
});
