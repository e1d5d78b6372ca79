import { flagValue, INFERENCE_EXTENSION_CHECK } from './inference-extension';

const check = (...objects: any[]) => INFERENCE_EXTENSION_CHECK.check(objects);

const CONFIG = [
  'apiVersion: llm-d.ai/v1alpha1',
  'kind: EndpointPickerConfig',
  'plugins:',
  '- type: queue-scorer',
  '- name: kv',
  '  type: kv-cache-utilization-scorer',
  'schedulingProfiles:',
  '- name: default',
  '  plugins:',
  '  - pluginRef: queue-scorer',
  '  - pluginRef: kv',
  '',
].join('\n');

function pool(): any {
  return {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { selector: { matchLabels: { app: 'chat' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'chat-epp', port: { number: 9002 } } },
  };
}

function pickerService(): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat-epp', namespace: 'llm' }, spec: { selector: { app: 'chat-epp' }, ports: [{ port: 9002 }, { port: 9090 }] } };
}

function configMap(text = CONFIG): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'chat-epp', namespace: 'llm' }, data: { 'default-plugins.yaml': text } };
}

function picker(args: string[] = ['--pool-name', 'chat', '--config-file', '/config/default-plugins.yaml']): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat-epp', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'chat-epp' } },
      template: {
        metadata: { labels: { app: 'chat-epp' } },
        spec: {
          containers: [{ name: 'epp', image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0', args, volumeMounts: [{ name: 'config', mountPath: '/config' }] }],
          volumes: [{ name: 'config', configMap: { name: 'chat-epp' } }],
        },
      },
    },
  };
}

function route(name = 'chat'): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name }] }] },
  };
}

function objectHpa(metric: string, poolName = 'chat'): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' },
      maxReplicas: 4,
      metrics: [{ type: 'Object', object: { describedObject: { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', name: poolName }, metric: { name: metric }, target: { type: 'Value', value: '4' } } }],
    },
  };
}

describe('Gateway API Inference Extension v1.6.0 and llm-d-router v0.9.0', () => {
  test('accepts a pool, its picker, config and Service, a route and an Object metric', () => {
    expect(check(pool(), pickerService(), configMap(), picker(), route(), objectHpa('llm_d_epp_average_queue_size'))).toEqual([]);
  });

  test('a pool whose picker Service does not exist, or does not serve the port', () => {
    expect(check(pool())).toEqual([
      'InferencePool/chat: spec.endpointPickerRef.name: Service \'chat-epp\' does not exist: ResolvedRefs=False (BackendNotFound), every request fails with 500',
    ]);
    const p = pool();
    p.spec.endpointPickerRef.port.number = 9003;
    expect(check(p, pickerService())).toEqual([
      'InferencePool/chat: spec.endpointPickerRef.port.number: 9003 is not a port of Service \'chat-epp\' (9002, 9090): the gateway cannot reach its picker',
    ]);
  });

  test('a route to a pool that does not exist', () => {
    expect(check(pool(), pickerService(), route('gone'))).toEqual([
      'HTTPRoute/chat: spec.rules[0].backendRefs[0]: InferencePool \'gone\' does not exist: ResolvedRefs=False, no request is routed',
    ]);
  });

  test('the picker\'s flags: pool-name or endpoint-selector, target ports with a selector, one config source, the metrics scheme', () => {
    const at = 'Deployment/chat-epp: spec.template.spec.containers[0].args';
    expect(check(picker(['--config-file', '/config/default-plugins.yaml']), configMap())).toEqual([`${at}: either pool-name or endpoint-selector must be set`]);
    expect(check(picker(['--pool-name', 'chat', '--endpoint-selector', 'app=chat']))).toEqual([`${at}: either pool-name or endpoint-selector must be set`]);
    expect(check(picker(['--endpoint-selector', 'app=chat', '--endpoint-target-ports', '1,2,3,4,5,6,7,8,9']))).toEqual([
      `${at}: flag "endpoint-target-ports" should have length from 1 to 8`,
    ]);
    expect(check(picker(['--pool-name', 'chat', '--config-file', '/config/default-plugins.yaml', '--config-text', 'x']), configMap())).toEqual([
      `${at}: both the "configText" and "configFile" flags can not be set at the same time`,
    ]);
    expect(check(picker(['--pool-name', 'chat', '--model-server-metrics-scheme', 'grpc']))).toEqual([
      `${at}: unexpected "grpc" value for "model-server-metrics-scheme" flag, it can only be set to 'http' or 'https'`,
    ]);
    expect(flagValue(['--pool-name=chat'], '--pool-name')).toBe('chat');
  });

  test('the picker\'s configuration file: its key in the mounted ConfigMap, known feature gates, profiles that name defined plugins', () => {
    expect(check(picker(['--pool-name', 'chat', '--config-file', '/config/custom.yaml']), configMap())).toEqual([
      'Deployment/chat-epp: spec.template.spec.containers[0].args: --config-file /config/custom.yaml: ConfigMap \'chat-epp\' has no key \'custom.yaml\': the picker cannot load its configuration',
    ]);
    const bad = CONFIG.replace('kind: EndpointPickerConfig', 'kind: EndpointPickerConfig\nfeatureGates:\n- flowcontrol').replace('pluginRef: kv', 'pluginRef: kv-cache');
    expect(check(picker(), configMap(bad))).toEqual([
      'ConfigMap/chat-epp: data.default-plugins.yaml: feature gate validation failed: feature gate \'flowcontrol\' is unknown or unregistered',
      'ConfigMap/chat-epp: data.default-plugins.yaml: scheduling profile validation failed: schedulingProfiles[default] references undefined plugin \'kv-cache\'',
    ]);
    const unnamed = CONFIG.replace('- name: default\n', '- plugins:\n  - pluginRef: queue-scorer\n- name: default\n');
    expect(check(picker(), configMap(unnamed))).toEqual([
      'ConfigMap/chat-epp: data.default-plugins.yaml: scheduling profile validation failed: schedulingProfiles[0] is missing a name',
    ]);
  });

  test('an Object metric of a pool that does not exist, and a flow-control metric without flow control', () => {
    expect(check(pool(), pickerService(), objectHpa('llm_d_epp_average_queue_size', 'other'))).toEqual([
      'HorizontalPodAutoscaler/chat: spec.metrics[0].object.describedObject: InferencePool \'other\' does not exist in the HPA\'s namespace',
    ]);
    expect(check(pool(), pickerService(), configMap(), picker(), objectHpa('llm_d_epp_flow_control_pool_saturation_percent'))).toEqual([
      'HorizontalPodAutoscaler/chat: spec.metrics[0]: llm_d_epp_flow_control_pool_saturation_percent is set by the picker\'s flow control, which the picker of ' +
      'InferencePool \'chat\' does not enable (featureGates: [flowControl])',
    ]);
    const on = CONFIG.replace('kind: EndpointPickerConfig', 'kind: EndpointPickerConfig\nfeatureGates:\n- flowControl');
    expect(check(pool(), pickerService(), configMap(on), picker(), objectHpa('llm_d_epp_flow_control_pool_saturation_percent'))).toEqual([]);
    const so = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'chat', namespace: 'llm' },
      spec: { triggers: [{ type: 'prometheus', metadata: { query: '100 * max(llm_d_epp_flow_control_pool_saturation{namespace="llm", inference_pool="chat"})' } }] },
    };
    expect(check(pool(), pickerService(), configMap(), picker(), so)).toEqual([
      'ScaledObject/chat: spec.triggers[0].metadata.query: reads llm_d_epp_flow_control_pool_saturation, which the picker of InferencePool \'chat\' does not export ' +
      'without flow control (featureGates: [flowControl])',
    ]);
  });
});
