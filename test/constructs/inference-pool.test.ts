import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  EndpointPickerFailureMode, GpuProduct, GpuRequest, InferenceAutoscaler, InferencePool, ModelServerKind, PrometheusAdapterConfig, ScalingEngine,
  ScalingMetric,
} from '../../src';
import { expectConformant, validateManifests } from '../conformance';
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
});
