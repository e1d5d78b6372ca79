import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { chatService, guard, messages, newApp } from './util';
import { GpuProduct, GuardrailRule, InferencePool, LargeModelServing, ModelArchitecture, ModelServerKind, ScalingGuardrails } from '../../src';
import { expectConformant } from '../conformance';

const SELECTOR = GuardrailRule.INFERENCE_POOL_SELECTOR;
const PORT = GuardrailRule.INFERENCE_POOL_PORT;
const PICKER = GuardrailRule.ONE_POOL_PER_PICKER;
const EXPOSURE = GuardrailRule.MODEL_SERVER_EXPOSURE;
const suppress = (rule: string) => `or record why with ScalingGuardrails.suppress(construct, GuardrailRule.${rule}, reason)`;
const SELECTOR_FIX = `give the pool the labels of its model server's pods only (InferencePool's backend), ${suppress('INFERENCE_POOL_SELECTOR')}`;
const EXPOSURE_FIX = 'keep the Service ClusterIP and route clients through the Gateway\'s HTTPRoute to the InferencePool (InferencePool route), ' +
  suppress('MODEL_SERVER_EXPOSURE');

/** A chat model behind its pool, in namespace `ml`. */
function gatewayApp() {
  const { app, chart } = newApp();
  const chat = chatService(chart, 'chat', 4);
  const pool = new InferencePool(chart, 'pool', { backend: chat, name: 'chat', route: { gatewayName: 'inference-gateway', gatewayNamespace: 'gateway' } });
  return { app, chart, chat, pool };
}

function service(chart: Chart, id: string, spec: any): ApiObject {
  return new ApiObject(chart, id, { apiVersion: 'v1', kind: 'Service', metadata: { name: id }, spec });
}

describe('the inference gateway guardrails', () => {
  test('a pool over its model server, with its own picker and a route to the pool, passes every rule', () => {
    const { app } = gatewayApp();
    const g = guard(app);
    expect([SELECTOR, PORT, PICKER, EXPOSURE].flatMap(r => messages(g, r))).toEqual([]);
  });

  test('a pool over a model served across nodes selects the LeaderWorkerSet\'s leaders, and passes every rule', () => {
    const { app, chart } = newApp();
    const llama = new LargeModelServing(chart, 'llama', {
      name: 'llama-405b',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_405B,
      modelId: 'meta-llama/Llama-3.1-405B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 3,
    });
    const pool = new InferencePool(chart, 'pool', { backend: llama, name: 'llama-405b' });
    expect(llama.leaderWorkerSet).toBeDefined();
    expect(llama.inferencePoolBackend.description).toBe('the leaders of LeaderWorkerSet \'llama-405b-lws\'');
    const manifests = expectConformant(app);
    const lws = manifests.find(m => m.kind === 'LeaderWorkerSet');
    const ip = manifests.find(m => m.kind === 'InferencePool');
    // The leaders serve the API on 8000; the workers (Ray only) do not carry the pool's labels.
    const leaderLabels = lws.spec.leaderWorkerTemplate.leaderTemplate.metadata.labels;
    const workerLabels = lws.spec.leaderWorkerTemplate.workerTemplate.metadata.labels;
    expect(ip.spec.selector.matchLabels).toEqual(llama.servingPodLabels);
    for (const [k, v] of Object.entries(ip.spec.selector.matchLabels)) expect(leaderLabels[k]).toBe(v);
    expect(Object.entries(ip.spec.selector.matchLabels).every(([k, v]) => workerLabels[k] === v)).toBe(false);
    expect(ip.spec.targetPorts).toEqual([{ number: 8000 }]);
    expect(pool.backend.modelServerKind).toBe(ModelServerKind.VLLM);
    const g = guard(app);
    expect([SELECTOR, PORT, PICKER, EXPOSURE].flatMap(r => messages(g, r))).toEqual([]);
  });

  test('without an InferencePool in the app the gateway rules read nothing', () => {
    const { app, chart } = newApp();
    const chat = chatService(chart, 'chat', 4);
    service(chart, 'public', { type: 'LoadBalancer', selector: chat.inferencePoolBackend.servingPodLabels, ports: [{ port: 80, targetPort: 8000 }] });
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === EXPOSURE)).toEqual([]);
    expect(report.objectsRead).toBe(0);
  });

  test('worked example (RULES.md): a pool whose selector picks the chat pods and the reranker\'s too', () => {
    const { app, chart, pool, chat } = gatewayApp();
    const rerank = chatService(chart, 'rerank', 2);
    // Both Deployments carry app=llm on their pods; the pool selects by it alone.
    for (const d of [chat.deployment, rerank.deployment]) d.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/app', 'llm'));
    pool.pool.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { app: 'llm' }));
    expect(messages(guard(app), SELECTOR)).toEqual([
      '[apps/pool] inference-pool-selector: InferencePool \'chat\' (app=llm) selects the pods of Deployment \'chat\' and Deployment \'rerank\': ' +
      `a pool is the pods of one model server, and the endpoint picker would send requests to the others too: ${SELECTOR_FIX}`,
    ]);
  });

  test('a pool that selects no pod of the app', () => {
    const { app, pool } = gatewayApp();
    pool.pool.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { app: 'gone' }));
    expect(messages(guard(app), SELECTOR)).toEqual([
      '[apps/pool] inference-pool-selector: InferencePool \'chat\' selects no pods of the app (app=gone): ' +
      `the gateway has no endpoint to send its requests to: ${SELECTOR_FIX}`,
    ]);
  });

  test('worked example (RULES.md): a target port the model server does not listen on', () => {
    const { app, pool } = gatewayApp();
    pool.pool.addJsonPatch(JsonPatch.replace('/spec/targetPorts', [{ number: 8080 }]));
    expect(messages(guard(app), PORT)).toEqual([
      '[apps/pool] inference-pool-port: InferencePool \'chat\' sends requests to port 8080, and the pods of Deployment \'chat\' listen on 8000: ' +
      `set targetPorts to the model server's container port, ${suppress('INFERENCE_POOL_PORT')}`,
    ]);
  });

  test('worked example (RULES.md): two pools on one picker, and a picker of a pool the app does not have', () => {
    const { app, chart, pool } = gatewayApp();
    const rerank = chatService(chart, 'rerank', 2);
    // The second pool refers to the chat pool's picker, whose --pool-name is 'chat'.
    new InferencePool(chart, 'rerank-pool', { backend: rerank, name: 'rerank', endpointPickerRef: { serviceName: 'chat-epp' } });
    pool.endpointPicker!.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/args/1', 'chat-v2'));
    expect(messages(guard(app), PICKER)).toEqual([
      '[apps/pool/EndpointPicker] one-pool-per-picker: the endpoint picker of Deployment \'chat-epp\' serves InferencePool \'chat-v2\', ' +
      `which the app does not have: it would pick from no pods: name the pool it serves with --pool-name, ${suppress('ONE_POOL_PER_PICKER')}`,
      // And the chat pool's picker Service now leads to a picker of another pool.
      '[apps/pool] one-pool-per-picker: InferencePool \'chat\' uses the endpoint picker Service \'chat-epp\', whose pods (Deployment \'chat-epp\') ' +
      `serve InferencePool 'chat-v2': point the pool at its own picker, ${suppress('ONE_POOL_PER_PICKER')}`,
      '[apps/rerank-pool] one-pool-per-picker: InferencePool \'rerank\' uses the endpoint picker Service \'chat-epp\', as InferencePool \'chat\' does: ' +
      `a picker serves the one pool its --pool-name names: give each pool its picker, ${suppress('ONE_POOL_PER_PICKER')}`,
    ]);
  });

  test('a pool pointed at another pool\'s picker, alone', () => {
    const { app, chart } = gatewayApp();
    const rerank = chatService(chart, 'rerank', 2);
    new InferencePool(chart, 'rerank-pool', { backend: rerank, name: 'rerank', endpointPickerRef: { serviceName: 'chat-epp' } });
    const g = guard(app);
    // The chat pool refers to its picker first: the rerank pool is the second on it.
    expect(messages(g, PICKER)).toHaveLength(1);
    expect(messages(g, PICKER)[0]).toContain('InferencePool \'rerank\' uses the endpoint picker Service \'chat-epp\', as InferencePool \'chat\' does');
  });

  test('worked example (RULES.md): a LoadBalancer Service, an Ingress and an HTTPRoute that reach vLLM around the pool', () => {
    const { app, chart, chat } = gatewayApp();
    const labels = chat.inferencePoolBackend.servingPodLabels;
    service(chart, 'public', { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8000 }] });
    new ApiObject(chart, 'ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'chat' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'chat', port: { number: 8000 } } } }] } }] },
    });
    new ApiObject(chart, 'direct', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'direct' },
      spec: { parentRefs: [{ name: 'inference-gateway', namespace: 'gateway' }], rules: [{ backendRefs: [{ name: 'chat', port: 8000 }] }] },
    });
    expect(messages(guard(app), EXPOSURE)).toEqual([
      '[apps/public] model-server-exposure: Service \'public\' is LoadBalancer and selects the model server pods of Deployment \'chat\': ' +
      `its OpenAI-compatible API is reachable from outside the cluster without the gateway: ${EXPOSURE_FIX}`,
      '[apps/ingress] model-server-exposure: Ingress \'chat\' routes outside traffic to a Service that selects the model server pods of Deployment \'chat\', ' +
      `around the gateway: ${EXPOSURE_FIX}`,
      '[apps/direct] model-server-exposure: HTTPRoute \'direct\' sends requests straight to a Service that selects the model server pods of Deployment \'chat\', ' +
      'not to its InferencePool: the endpoint picker is bypassed: route to the InferencePool (backendRef group inference.networking.k8s.io, kind InferencePool), ' +
      suppress('MODEL_SERVER_EXPOSURE'),
    ]);
  });

  test('the opt-in is a suppression with its reason', () => {
    const { app, chart, chat } = gatewayApp();
    const lb = service(chart, 'internal-lb', { type: 'LoadBalancer', selector: chat.inferencePoolBackend.servingPodLabels, ports: [{ port: 80, targetPort: 8000 }] });
    ScalingGuardrails.suppress(lb, EXPOSURE, 'an internal load balancer for the batch VPC, behind the API gateway');
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === EXPOSURE)).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.path, f.rule, f.suppressionReason])).toEqual([
      ['apps/internal-lb', 'model-server-exposure', 'an internal load balancer for the batch VPC, behind the API gateway'],
    ]);
  });
});
