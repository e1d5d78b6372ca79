import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ElasticRayTraining, GuardrailRule, HyperparameterSearch, ScalingGuardrails } from '../../src';
import { expectConformant } from '../conformance';
import { chatService, guard, messages, newApp } from './util';

const RULE = GuardrailRule.RAY_EXPOSURE;
const FIX = 'keep the head Service ClusterIP and reach the dashboard with kubectl port-forward, or put an authenticating proxy in front of ' +
  'it and record that with ScalingGuardrails.suppress(construct, GuardrailRule.RAY_EXPOSURE, reason)';

function rayApp() {
  const { app, chart } = newApp();
  const training = new ElasticRayTraining(chart, 'train', {
    name: 'train',
    workerGroups: [{ name: 'cpu', minReplicas: 0, maxReplicas: 2, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) }],
  });
  return { app, chart, training };
}

function service(chart: Chart, id: string, spec: any): ApiObject {
  return new ApiObject(chart, id, { apiVersion: 'v1', kind: 'Service', metadata: { name: id }, spec });
}

function ingressTo(chart: Chart, id: string, serviceName: string, port: any = { number: 8265 }): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: id },
    spec: { rules: [{ host: 'ray.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port } } }] } }] },
  });
}

describe('ray-exposure', () => {
  test('passes for the library\'s Ray constructs as they are (ClusterIP head, no Ingress)', () => {
    const { app, chart } = rayApp();
    new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 4, maxConcurrentTrials: 2 });
    expect(messages(guard(app), RULE)).toEqual([]);
  });

  test('fails when the head Service of a RayCluster is a LoadBalancer', () => {
    const { app, training } = rayApp();
    training.rayCluster.addJsonPatch(JsonPatch.replace('/spec/headGroupSpec/serviceType', 'LoadBalancer'));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/train] ray-exposure: RayCluster 'train' exposes its Ray head (dashboard 8265, GCS 6379, client and job API 10001) outside " +
      `the cluster: its head Service is LoadBalancer: ${FIX}`,
    ]);
  });

  test('fails for a NodePort headService and for enableIngress, on a RayJob too', () => {
    const { app, chart } = rayApp();
    const tune = new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 4, maxConcurrentTrials: 2 });
    tune.rayJob.addJsonPatch(
      JsonPatch.add('/spec/rayClusterSpec/headGroupSpec/headService', { spec: { type: 'NodePort' } }),
      JsonPatch.add('/spec/rayClusterSpec/headGroupSpec/enableIngress', true));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/tune] ray-exposure: RayJob 'tune' exposes its Ray head (dashboard 8265, GCS 6379, client and job API 10001) outside the cluster: " +
      `its head Service is NodePort, and it asks KubeRay for an Ingress to the dashboard (enableIngress): ${FIX}`,
    ]);
  });

  test('fails for a LoadBalancer Service whose selector picks the Ray head pods; passes for one that picks other pods', () => {
    const { app, chart } = rayApp();
    service(chart, 'dashboard', { type: 'LoadBalancer', selector: { 'ray.io/cluster': 'train', 'ray.io/node-type': 'head' }, ports: [{ port: 443, targetPort: 8265 }] });
    service(chart, 'web', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] });
    service(chart, 'workers', { type: 'LoadBalancer', selector: { 'ray.io/cluster': 'train', 'ray.io/node-type': 'worker' }, ports: [{ port: 8080 }] });
    expect(messages(guard(app), RULE)).toEqual([`[apps/dashboard] ray-exposure: Service 'dashboard' is LoadBalancer and picks the pods of RayCluster 'train': ${FIX}`]);
  });

  test('matches a RayJob\'s head by its template labels (KubeRay generates the cluster name)', () => {
    const { app, chart } = rayApp();
    new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 4, maxConcurrentTrials: 2 });
    service(chart, 'tune-lb', { type: 'LoadBalancer', selector: { 'app.kubernetes.io/instance': 'tune', 'ray.io/node-type': 'head' }, ports: [{ port: 80, targetPort: 8080 }] });
    expect(messages(guard(app), RULE)).toEqual([`[apps/tune-lb] ray-exposure: Service 'tune-lb' is LoadBalancer and picks the pods of RayJob 'tune': ${FIX}`]);
  });

  test('fails for a NodePort Service on Ray\'s client port, whatever it selects', () => {
    const { app, chart } = rayApp();
    service(chart, 'client', { type: 'NodePort', selector: { app: 'ray-elsewhere' }, ports: [{ port: 10001 }] });
    expect(messages(guard(app), RULE)).toEqual([`[apps/client] ray-exposure: Service 'client' is NodePort and serves Ray's port 10001: ${FIX}`]);
  });

  test('fails for an Ingress to KubeRay\'s head Service or to a Service that picks the head pods', () => {
    const { app, chart } = rayApp();
    ingressTo(chart, 'direct', 'train-head-svc');
    service(chart, 'inside', { selector: { 'ray.io/identifier': 'train-head' }, ports: [{ port: 80, targetPort: 8265 }] });
    ingressTo(chart, 'via', 'inside', { number: 80 });
    ingressTo(chart, 'unrelated', 'web', { number: 80 });
    expect(messages(guard(app), RULE)).toEqual([
      `[apps/direct] ray-exposure: Ingress 'direct' routes outside traffic to Service 'train-head-svc', the head Service of RayCluster 'train': ${FIX}`,
      `[apps/via] ray-exposure: Ingress 'via' routes outside traffic to Service 'inside', which picks the pods of RayCluster 'train': ${FIX}`,
    ]);
  });

  test('fails for a Gateway API route to a RayJob\'s head Service', () => {
    const { app, chart } = rayApp();
    new HyperparameterSearch(chart, 'tune', { name: 'tune', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 4, maxConcurrentTrials: 2 });
    new ApiObject(chart, 'route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'tune-dashboard' },
      spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [{ name: 'tune-x7k2p-head-svc', port: 8265 }] }] },
    });
    expect(messages(guard(app), RULE)).toEqual([
      `[apps/route] ray-exposure: HTTPRoute 'tune-dashboard' routes outside traffic to Service 'tune-x7k2p-head-svc', the head Service of RayJob 'tune': ${FIX}`,
    ]);
  });

  test('the opt-in is a suppression with its reason, written on the Service', () => {
    const { app, chart } = rayApp();
    const lb = service(chart, 'dashboard', { type: 'LoadBalancer', selector: { 'ray.io/cluster': 'train', 'ray.io/node-type': 'head' }, ports: [{ port: 443, targetPort: 8265 }] });
    ScalingGuardrails.suppress(lb, GuardrailRule.RAY_EXPOSURE, 'internal load balancer, behind the SSO proxy');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.path, f.rule, f.suppressionReason])).toEqual([
      ['apps/dashboard', 'ray-exposure', 'internal load balancer, behind the SSO proxy'],
    ]);
    const manifests = expectConformant(chart);
    expect(manifests.find(m => m.kind === 'Service').metadata.annotations).toEqual({
      'guardrails.cdk8s-ml-scaling.io/ray-exposure': 'internal load balancer, behind the SSO proxy',
    });
  });

  test('with no Ray object in the app no Service is read', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 2);
    service(chart, 'lb', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 8265 }] });
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === RULE)).toEqual([]);
    // Nothing at all: the Deployment and its HPA are the InferenceAutoscaler's, read from its footprint.
    expect(report.objectsRead).toBe(0);
  });
});
