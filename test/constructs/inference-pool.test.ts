import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  EndpointPickerFailureMode, GpuProduct, GpuRequest, InferenceAutoscaler, InferencePool, MetricsExporter, ModelServerKind, ScalingEngine,
  ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, ofKind } from '../util';

function chatChart(namespace = 'ml-llm', metrics?: ScalingMetric[], engine?: ScalingEngine) {
  const app = Testing.app();
  const chart = new Chart(app, 'llm', { namespace });
  const chat = new InferenceAutoscaler(chart, 'chat', {
    name: 'chat',
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }) },
    maxReplicas: 6,
    metrics: metrics ?? [ScalingMetric.waitingRequests(5)],
    engine,
  });
  return { app, chart, chat };
}

describe('InferencePool', () => {
  test('a pool over an InferenceAutoscaler, its endpoint picker and a route from the Gateway (snapshot)', () => {
    const { app, chart, chat } = chatChart();
    const pool = new InferencePool(chart, 'pool', {
      backend: chat,
      name: 'chat',
      route: { gatewayName: 'inference-gateway', gatewayNamespace: 'gateway' },
    });
    const manifests = expectConformant(app);
    const ip = ofKind(manifests, 'InferencePool');
    expect(ip).toEqual({
      apiVersion: 'inference.networking.k8s.io/v1',
      kind: 'InferencePool',
      metadata: { name: 'chat', namespace: 'ml-llm' },
      spec: {
        selector: { matchLabels: chat.inferencePoolBackend.servingPodLabels },
        targetPorts: [{ number: 8000 }],
        endpointPickerRef: { name: 'chat-epp', port: { number: 9002 }, failureMode: 'FailOpen' },
      },
    });
    // The pool selects exactly the Deployment's pods, on the server's container port.
    const deployment = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === 'chat');
    expect(deployment.spec.selector.matchLabels).toEqual(ip.spec.selector.matchLabels);
    expect(deployment.spec.template.spec.containers[0].ports).toContainEqual({ name: 'http', containerPort: 8000 });
    expect(pool.poolName).toBe('chat');

    const epp = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === 'chat-epp');
    expect(epp.spec.replicas).toBe(2);
    expect(epp.spec.strategy).toEqual({ type: 'Recreate' });
    const c = epp.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0');
    expect(c.args).toEqual(['--pool-name', 'chat', '--pool-namespace', 'ml-llm', '--pool-group', 'inference.networking.k8s.io', '--zap-encoder', 'json',
      '--config-file', '/config/default-plugins.yaml', '--ha-enable-leader-election', '--grpc-health-port', '9003', '--tracing=false', '--metrics-endpoint-auth=false']);
    expect(c.readinessProbe).toEqual({ grpc: { port: 9003, service: 'readiness' }, periodSeconds: 2 });
    expect(epp.spec.template.spec.serviceAccountName).toBe('chat-epp');
    expect(epp.spec.template.spec.automountServiceAccountToken).toBe(true);
    const roles = allOfKind(manifests, 'Role');
    expect(roles.map(r => r.rules)).toEqual([
      [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }, { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] }],
      [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }, { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }],
    ]);
    expect(allOfKind(manifests, 'ClusterRole')).toHaveLength(0);
    const svc = manifests.find(m => m.kind === 'Service' && m.metadata.name === 'chat-epp');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['grpc-ext-proc', 9002], ['http-metrics', 9090]]);
    expect(svc.spec.type).toBe('ClusterIP');
    const config = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === 'chat-epp');
    expect(config.data['default-plugins.yaml']).toContain('kind: EndpointPickerConfig');
    expect(config.data['default-plugins.yaml']).not.toContain('featureGates');
    const route = ofKind(manifests, 'HTTPRoute');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', namespace: 'gateway' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'chat' }],
        timeouts: { request: '300s' },
      }],
    });
    expect(manifests.filter(m => m.metadata.name?.startsWith('chat-epp') || m.kind === 'InferencePool' || m.kind === 'HTTPRoute')).toMatchSnapshot();
  });

  test('scales on the pool\'s queue and KV cache as the picker sees them: HPA Object metrics served by prometheus-adapter', () => {
    const { app, chart } = chatChart('ml-llm', [ScalingMetric.inferencePoolQueueSize('chat', 4), ScalingMetric.inferencePoolKvCacheUtilization('chat', 80)]);
    new InferencePool(chart, 'pool', { backend: app.node.findAll().find(c => c instanceof InferenceAutoscaler) as InferenceAutoscaler, name: 'chat' });
    const manifests = expectConformant(app);
    const hpa = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', name: 'chat' },
          metric: { name: 'llm_d_epp_average_queue_size' },
          target: { type: 'Value', value: '4' },
        },
      },
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', name: 'chat' },
          metric: { name: 'llm_d_epp_average_kv_cache_utilization_percent' },
          target: { type: 'Value', value: '80' },
        },
      },
    ]);
    const adapter = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === 'prometheus-adapter-scaling-rules');
    expect(adapter.data['config.yaml']).toContain('seriesQuery: llm_d_epp_average_queue_size{namespace!="",name!=""}');
    expect(adapter.data['config.yaml']).toContain('metricsQuery: 100 * max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)');
    // The picker's series are the catalog's.
    expect(MetricsExporter.ENDPOINT_PICKER.exports('llm_d_epp_average_queue_size')).toBe(true);
    expect(MetricsExporter.ENDPOINT_PICKER.exports('llm_d_epp_average_kv_cache_utilization')).toBe(true);
  });

  test('on KEDA a pool metric is a Prometheus trigger of metricType Value on the pool\'s series', () => {
    const { app, chart, chat } = chatChart('ml-llm', [ScalingMetric.inferencePoolQueueSize('chat', 4), ScalingMetric.inferencePoolSaturation('chat', 90)], ScalingEngine.keda());
    new InferencePool(chart, 'pool', { backend: chat, name: 'chat', endpointPicker: { flowControl: true, replicas: 1, cpu: kplus.Cpu.units(2), memory: Size.gibibytes(4) } });
    const manifests = expectConformant(app);
    const so = ofKind(manifests, 'ScaledObject');
    expect(so.spec.triggers.map((t: any) => [t.metricType, t.metadata.query, t.metadata.threshold])).toEqual([
      ['Value', 'max(llm_d_epp_average_queue_size{namespace="ml-llm", name="chat"})', '4'],
      ['Value', '100 * max(llm_d_epp_flow_control_pool_saturation{namespace="ml-llm", inference_pool="chat"})', '90'],
    ]);
    const config = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === 'chat-epp');
    expect(config.data['default-plugins.yaml']).toContain('featureGates:\n- flowControl\n');
    const epp = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === 'chat-epp');
    // One picker: no leader election, the health service of the chart's single replica.
    expect(epp.spec.replicas).toBe(1);
    expect(epp.spec.template.spec.containers[0].args).not.toContain('--ha-enable-leader-election');
    expect(epp.spec.template.spec.containers[0].readinessProbe.grpc.service).toBe('inference-extension');
    expect(allOfKind(manifests, 'Role')).toHaveLength(1);
  });

  test('fails at synth when an autoscaler scales on the pool\'s saturation and the picker has no flow control', () => {
    const { chart, chat } = chatChart('ml-llm', [ScalingMetric.inferencePoolSaturation('chat', 90)]);
    const pool = new InferencePool(chart, 'pool', { backend: chat, name: 'chat' });
    expect(pool.node.validate()).toEqual([
      '\'endpointPicker.flowControl\' (false) leaves the picker without flow control, and llm/chat scales on llm_d_epp_flow_control_pool_saturation of ' +
      'InferencePool \'chat\', which the picker exports only with it: set endpointPicker: { flowControl: true }, or scale on the pool\'s queue size',
    ]);
    expect(() => Testing.synth(chart)).toThrow(/'endpointPicker.flowControl' \(false\) leaves the picker without flow control/);
  });

  test('refers to a picker that runs already, routes one base model, fails closed', () => {
    const { app, chart, chat } = chatChart();
    new ApiObject(chart, 'shared-epp', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shared-epp' },
      spec: { selector: { app: 'shared-epp' }, ports: [{ name: 'grpc', port: 9002 }] },
    });
    const pool = new InferencePool(chart, 'pool', {
      backend: chat,
      endpointPickerRef: { serviceName: 'shared-epp' },
      failureMode: EndpointPickerFailureMode.FAIL_CLOSE,
      route: { gatewayName: 'inference-gateway', sectionName: 'https', baseModelName: 'Qwen/Qwen3-8B', requestTimeout: Duration.minutes(10), pathPrefix: '/v1' },
    });
    expect(pool.endpointPicker).toBeUndefined();
    const manifests = expectConformant(app);
    expect(manifests.filter(m => m.metadata.name?.endsWith('-epp') && m.kind !== 'Service')).toEqual([]);
    expect(ofKind(manifests, 'InferencePool').spec.endpointPickerRef).toEqual({ name: 'shared-epp', port: { number: 9002 }, failureMode: 'FailClose' });
    expect(ofKind(manifests, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', sectionName: 'https' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ type: 'Exact', name: 'X-Gateway-Base-Model-Name', value: 'Qwen/Qwen3-8B' }] }],
        backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: pool.poolName }],
        timeouts: { request: '600s' },
      }],
    });
  });

  test('a pool over an existing Deployment: its selector labels and its named port', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'llm', { namespace: 'ml-llm' });
    const deployment = new kplus.Deployment(chart, 'sglang', {
      containers: [{
        image: 'lmsysorg/sglang:v0.5.6.post2',
        portNumber: 30000,
        securityContext: { user: 1000, group: 1000 },
        resources: {
          cpu: { request: kplus.Cpu.units(4), limit: kplus.Cpu.units(4) },
          memory: { request: Size.gibibytes(16), limit: Size.gibibytes(16) },
        },
      }],
    });
    ApiObject.of(deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0', { name: 'http', containerPort: 30000 }));
    const server = new InferenceAutoscaler(chart, 'server', { target: ApiObject.of(deployment), maxReplicas: 4, metrics: [ScalingMetric.inferencePoolQueueSize('sglang', 3)] });
    expect(server.inferencePoolBackend).toMatchObject({ servingPort: 30000, modelServerKind: ModelServerKind.SGLANG, namespace: 'ml-llm' });
    new InferencePool(chart, 'pool', { backend: server, name: 'sglang' });
    const manifests = Testing.synth(chart);
    expect(ofKind(manifests, 'InferencePool').spec.targetPorts).toEqual([{ number: 30000 }]);
    expect(ofKind(manifests, 'InferencePool').spec.selector.matchLabels).toEqual(ofKind(manifests, 'Deployment').spec.selector.matchLabels);
    const config = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === 'sglang-epp');
    expect(config.data['default-plugins.yaml']).toContain('defaultEngine: "sglang"');
  });

  test('fails when the backend is in another namespace than the pool', () => {
    const { chat } = chatChart('ml-serving');
    const other = new Chart(Testing.app(), 'gw', { namespace: 'ml-llm' });
    expect(() => new InferencePool(other, 'pool', { backend: chat })).toThrow(
      '[gw/pool] \'backend\' ("Deployment \'chat\'") runs in namespace \'ml-serving\', and the pool in \'ml-llm\': an InferencePool selects pods of its ' +
      'own namespace only: create the pool in a chart of the backend\'s namespace');
  });

  test('fails when both a picker to deploy and a running one are given', () => {
    const { chart, chat } = chatChart();
    expect(() => new InferencePool(chart, 'pool', { backend: chat, endpointPicker: {}, endpointPickerRef: { serviceName: 'epp' } })).toThrow(
      '[llm/pool] \'endpointPickerRef\' ("epp") is given together with \'endpointPicker\': give \'endpointPicker\' to deploy a picker, or ' +
      '\'endpointPickerRef\' to use one that runs, not both');
  });

  test('fails when the picker cannot read the server\'s metrics', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'llm', { namespace: 'ml-llm' });
    const tei = new InferenceAutoscaler(chart, 'embed', {
      modelServer: { image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8' }, maxReplicas: 4, metrics: [ScalingMetric.waitingRequests(10)],
    });
    expect(() => new InferencePool(chart, 'pool', { backend: tei })).toThrow(
      /'backend' \("Deployment '[a-z0-9-]+'"\) runs text-embeddings-inference 1\.8\.3, whose metrics the endpoint picker cannot read/);
  });

  test('fails for a pool metric on a name that is not a pool name, and for a target out of range', () => {
    expect(() => ScalingMetric.inferencePoolQueueSize('Chat_Pool', 4)).toThrow(/\[ScalingMetric.inferencePoolQueueSize\] 'poolName' \("Chat_Pool"\)/);
    expect(() => ScalingMetric.inferencePoolKvCacheUtilization('chat', 120)).toThrow(/'percent' \(120\)/);
  });
});

