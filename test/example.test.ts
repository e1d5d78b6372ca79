import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { conformanceAvailability, expectConformant, validateManifests } from './conformance';
import { buildApp } from '../examples/inference';
import {
  CostAwareNodePool, ExporterCatalog, GpuProduct, GpuRequest, InferenceAutoscaler, InstanceCatalog, LargeModelServing, MetricsExporter,
  ModelArchitecture, ModelPrecision, NodePoolPurpose, PrometheusAdapterConfig, PrometheusSelector, ScalingMetric,
} from '../src';

describe('the example app', () => {
  test('synthesizes conformant objects: schema, CEL, Pod Security and the operators\' rules, across all charts at once', () => {
    const app = buildApp(Testing.app());
    // The whole app in one pass, so the cross-object rules (adapter rules, monitor targets, selector labels) see everything.
    const manifests = expectConformant(app);
    expect(manifests.map(m => m.kind).sort()).toEqual(([
      'ConfigMap', 'ConfigMap',
      'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass',
      'Deployment', 'Deployment', 'Deployment', 'Deployment',
      'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler',
      // llama-8b-slo (issue 16, scaled from an SLO plan): its Deployment, HPA, PDB, PrometheusRule, Service and ServiceMonitor.
      'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PrometheusRule', 'Service', 'ServiceMonitor',
      'Job',
      // Issue 16: llama-405b's LeaderWorkerSet, with its NetworkPolicy (Ray within the set), leader Service, HPA, PDB, monitor and rules.
      'LeaderWorkerSet',
      'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'RayCluster', 'RayJob',
      // Ray Serve (issue 16): llama-8b's RayService, its NetworkPolicy and its workers' PodDisruptionBudget.
      'RayService', 'NetworkPolicy', 'PodDisruptionBudget',
      // Nine NodePools: spot and on-demand inference, the training reservation's and training, large models, the 405B model's
      // H100 nodes, shared L4, L4, A10G.
      ...Array(9).fill('NodePool'),
      // The training team's GPU quota is Kueue's (TeamGpuQuota with kueue): no ResourceQuota.
      'PriorityClass', 'PriorityClass', 'PriorityClass',
      'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget',
      // A PrometheusRule per autoscaled service (chat, embeddings, llama-70b, reranker, llama-405b) and per CostAwareNodePool (7).
      ...Array(12).fill('PrometheusRule'),
      'ScaledJob', 'ScaledObject',
      'Service', 'Service', 'Service', 'Service', 'Service',
      'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor',
      'TriggerAuthentication', 'TriggerAuthentication',
      'VerticalPodAutoscaler',
      // Kueue (issue 17): a flavor per NodePool and the CPU flavor, two teams' queues, three WorkloadPriorityClasses.
      ...Array(10).fill('ResourceFlavor'), 'ClusterQueue', 'ClusterQueue', 'LocalQueue', 'LocalQueue',
      'WorkloadPriorityClass', 'WorkloadPriorityClass', 'WorkloadPriorityClass',
      // The inference gateway (issue 16): the assistant (Deployment, Service, HPA on the pool's metrics, PDB, ServiceMonitor,
      // rules), its InferencePool and HTTPRoute, and the endpoint picker (Deployment, Service, plugin ConfigMap, ServiceAccount,
      // Role and binding, the leader-election Role and binding, ServiceMonitor).
      'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor', 'PrometheusRule', 'InferencePool', 'HTTPRoute',
      'Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'Role', 'RoleBinding', 'ServiceMonitor',
      // llama-405b's leaders behind their own InferencePool and HTTPRoute (a base-model header match), with their picker.
      'InferencePool', 'HTTPRoute',
      'Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'Role', 'RoleBinding', 'ServiceMonitor',
    ] as string[]).sort());
  });

  test('llama-70b reads its weights from the pre-populated volume, read-only, and the estimate loads them at the stated rate', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => Testing.synth(chart));
    const deployment = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === 'llama-70b');
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'model-weights', persistentVolumeClaim: { claimName: 'llama-3-1-70b-weights', readOnly: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'model-weights', mountPath: '/model-weights', readOnly: true });
    const args: string[] = pod.containers[0].args;
    expect(args.slice(0, 2)).toEqual(['--served-model-name', 'meta-llama/Llama-3.1-70B-Instruct']);
    expect(args.slice(-2)).toEqual(['--model', '/model-weights/llama-3.1-70b-instruct']);
    // The example is built from lib/, these tests from src/: found by its id, not its class.
    const serving = app.node.findAll().find(c => c.node.id === 'llama-70b') as unknown as LargeModelServing;
    // 70.6e9 fp8 bytes = 67,329 MiB at 500 MiB/s: 134.66 s, 135 s; 300 + 180 + 135 + 120 = 735 s to ready.
    expect(serving.footprint.startupEstimate!.modelLoad!.toSeconds()).toBe(135);
    // failureThreshold ceil(1.5 x 255 / 10) + 1 = 40; deadline 400 + max(600, 1.5 x 480 = 720).
    expect(pod.containers[0].startupProbe.failureThreshold).toBe(40);
    expect(deployment.spec.progressDeadlineSeconds).toBe(1120);
  });

  test('validates more than zero objects against the upstream schemas', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => Testing.synth(chart));
    const result = validateManifests(manifests);
    expect(result.errors).toEqual([]);
    if (conformanceAvailability().available) {
      expect(result.validated).toBe(manifests.length);
      expect(result.validated).toBeGreaterThan(0);
    }
  });
});

describe('the example app reads only series that its rules record or a pinned exporter exports', () => {
  const app = buildApp(Testing.app());
  const manifests = app.charts.flatMap(chart => Testing.synth(chart));
  const groups = manifests.filter(m => m.kind === 'PrometheusRule').flatMap(m => m.spec.groups);
  const recorded = new Set(groups.flatMap((g: any) => g.rules.filter((r: any) => r.record).map((r: any) => r.record)));
  /** The metric names of a PromQL expression's selectors (a name followed by `{` or `[`, not a function or a label). */
  const seriesOf = (expr: string) => [...expr.replace(/"[^"]*"/g, '""').matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map(m => m[1]);

  test('defect 1: the embeddings service (TEI cpu-1.8) scales on te_* series, not http_requests_total', () => {
    const rules = groups.find((g: any) => g.name === 'scaling.embeddings').rules;
    const expr = (record: string) => rules.find((r: any) => r.record === record).expr;
    expect(expr('scaling:request_rate')).toBe('sum by (namespace, pod, scaling_target) (rate(te_request_count{scaling_target="embeddings", namespace="ml-serving"}[2m]))');
    expect(expr('scaling:response_time_p95')).toBe('histogram_quantile(0.95, sum by (namespace, pod, scaling_target, le) '
      + '(rate(te_request_duration_bucket{scaling_target="embeddings", namespace="ml-serving"}[2m])))');
    const read = rules.filter((r: any) => r.record).flatMap((r: any) => seriesOf(r.expr));
    expect(read.filter((s: string) => !MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.exports(s) && !recorded.has(s))).toEqual([]);
  });

  test('llama-8b-slo scales on its SLO plan\'s targets (16 running requests, 33.4% KV cache) and the p95 TTFT objective, on vLLM\'s series', () => {
    const hpa = manifests.find(m => m.kind === 'HorizontalPodAutoscaler' && m.metadata.name === 'llama-8b-slo');
    // The plan of the example's illustrative profile: limit 20 requests (interpolated between 16 and 32), 1.065 requests/s
    // per replica; 20% headroom; a 6 requests/s peak takes ceil(6 / 0.852) = 8 replicas at the targets.
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 8]);
    expect(hpa.spec.metrics.map((m: any) => [m.pods.metric.name, m.pods.target.averageValue])).toEqual([
      ['scaling_running_requests', '16'], ['scaling_kv_cache_usage', '33400m'], ['scaling_ttft_p95', '600m'],
    ]);
    const rules = groups.find((g: any) => g.name === 'scaling.llama-8b-slo').rules;
    const read = rules.filter((r: any) => r.record).flatMap((r: any) => seriesOf(r.expr));
    expect([...new Set(read)].sort()).toEqual(['vllm:kv_cache_usage_perc', 'vllm:num_requests_running', 'vllm:time_to_first_token_seconds_bucket']);
    expect(read.every((s: string) => MetricsExporter.VLLM.exports(s))).toBe(true);
  });

  test('every series a recording rule or alert reads is recorded in the app or exported by a pinned exporter', () => {
    const unknown = groups.flatMap((g: any) => g.rules
      .flatMap((r: any) => seriesOf(r.expr).filter(s => !recorded.has(s) && !ExporterCatalog.exporterOf(s) && s !== 'http_requests_total')
        .map(s => `${g.name}/${r.record ?? r.alert}: ${s}`)));
    // http_requests_total: the reranker is a generic server that names its own counter, which no catalog can pin.
    expect(unknown).toEqual([]);
  });
});

describe('the example app\'s monitoring', () => {
  test('every PrometheusRule and monitor carries the kube-prometheus-stack release label, the node pools\' alerts included (defect 9)', () => {
    const manifests = buildApp(Testing.app()).charts.flatMap(c => Testing.synth(c));
    const monitoring = manifests.filter(m => ['PrometheusRule', 'ServiceMonitor', 'PodMonitor'].includes(m.kind));
    const unlabelled = monitoring.filter(m => m.metadata.labels?.release !== 'kube-prometheus-stack').map(m => `${m.kind}/${m.metadata.name}`);
    expect(unlabelled).toEqual([]);
    const alerts = monitoring.flatMap(m => m.kind === 'PrometheusRule' ? m.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)) : []);
    expect(alerts).toEqual(expect.arrayContaining(['NodePoolNearLimit', 'NodePoolSpendAboveBudget']));
  });
});

/** A variant app with every monitoring option: ServiceMonitor and PodMonitor, existing targets and Services, scrape and alert delays, selector labels app-wide and per construct, an external metric, a large model and node pools. */
function monitoringVariant(): App {
  const app = Testing.app();
  new PrometheusSelector(app, 'prometheus', { labels: { release: 'monitoring' } });
  const platform = new Chart(app, 'platform');
  const adapter = new PrometheusAdapterConfig(platform, 'adapter', { namespace: 'observability', configMapName: 'adapter-rules' });
  const chart = new Chart(app, 'serving', { namespace: 'serving' });
  new InferenceAutoscaler(chart, 'chat', {
    name: 'chat',
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), metricsPath: '/metrics' },
    maxReplicas: 8,
    metrics: [
      ScalingMetric.vllmWaitingRequests(5), ScalingMetric.vllmRunningRequests(8),
      ScalingMetric.vllmKvCacheUsage(80), ScalingMetric.gpuUtilization(70),
      ScalingMetric.external('aws_sqs_approximate_number_of_messages_visible_average', 10, { matchLabels: { queue_name: 'jobs' } }),
    ],
    monitoring: { scrapeInterval: Duration.seconds(30), atMaxReplicasFor: Duration.minutes(30), metricAbsentFor: Duration.minutes(10), prometheusSelectorLabels: { team: 'chat' } },
    adapterConfig: adapter,
  });
  const security = { user: 1000, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };
  // An existing Deployment scraped through its pods (PodMonitor) on a port of its own name.
  const ranker = new kplus.Deployment(chart, 'ranker', { metadata: { name: 'ranker' }, containers: [{ image: 'example/ranker:2.1', ports: [{ number: 9100, name: 'metrics' }], securityContext: security }] });
  new InferenceAutoscaler(chart, 'ranker-scaling', {
    target: ApiObject.of(ranker),
    metricsPort: 'metrics',
    maxReplicas: 6,
    metrics: [
      ScalingMetric.requestsPerSecond(20, { counter: 'http_requests_total' }),
      ScalingMetric.responseTimeP95(Duration.millis(300), { histogram: 'http_request_duration_seconds' }),
      ScalingMetric.predictedRequestsPerSecond(20),
    ],
    adapterConfig: adapter,
  });
  // An existing Deployment and its Service (ServiceMonitor over the Service's labels).
  const embedder = new kplus.Deployment(chart, 'embedder', { metadata: { name: 'embedder' }, containers: [{ image: 'example/embedder:1.0', ports: [{ number: 8080, name: 'http' }], securityContext: security }] });
  const embedderService = embedder.exposeViaService({ ports: [{ port: 8080, name: 'http' }] });
  embedderService.metadata.addLabel('app', 'embedder');
  new InferenceAutoscaler(chart, 'embedder-scaling', {
    target: ApiObject.of(embedder),
    targetService: ApiObject.of(embedderService),
    maxReplicas: 6,
    metrics: [ScalingMetric.queueLength(4, { gauge: 'queue_length' }), ScalingMetric.cpuUtilization(70)],
    adapterConfig: adapter,
  });
  new LargeModelServing(chart, 'llama', {
    name: 'llama',
    image: 'vllm/vllm-openai:v0.12.0',
    model: ModelArchitecture.LLAMA_3_1_70B,
    modelId: 'meta-llama/Llama-3.1-70B-Instruct',
    precision: ModelPrecision.FP8,
    gpuProduct: GpuProduct.H100,
    maxReplicas: 2,
    monitoring: { prometheusSelectorLabels: { release: 'monitoring' } },
    adapterConfig: adapter,
  });
  const capacity = new Chart(app, 'capacity');
  const nodeClass = { role: 'KarpenterNodeRole-ml', subnetTags: { 'karpenter.sh/discovery': 'ml' }, securityGroupTags: { 'karpenter.sh/discovery': 'ml' }, amiAlias: 'al2023@v20251015' };
  new CostAwareNodePool(capacity, 'gpu', {
    name: 'gpu',
    purpose: NodePoolPurpose.INFERENCE,
    instanceTypes: InstanceCatalog.designDocument().types.filter(t => t.name.startsWith('g4dn')),
    budgetUsdPerHour: 40,
    nodeClass,
    prometheusSelectorLabels: { severity_route: 'platform' },
  });
  new CostAwareNodePool(capacity, 'training', { name: 'training', purpose: NodePoolPurpose.TRAINING, instanceTypes: InstanceCatalog.designDocument().types.filter(t => t.name.startsWith('p3')), maxGpus: 8, nodeClass });
  return app;
}

describe('a variant app with every monitoring option', () => {
  test('passes the extended conformance check over all its charts at once', () => {
    const manifests = expectConformant(monitoringVariant());
    const kinds = manifests.map(m => m.kind);
    expect(kinds.filter(k => k === 'ServiceMonitor').length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain('PodMonitor');
    const monitoring = manifests.filter(m => ['PrometheusRule', 'ServiceMonitor', 'PodMonitor'].includes(m.kind));
    expect(monitoring.every(m => m.metadata.labels?.release === 'monitoring')).toBe(true);
    expect(manifests.find(m => m.kind === 'PrometheusRule' && m.metadata.name === 'chat').metadata.labels).toEqual({ release: 'monitoring', team: 'chat' });
  });
});
