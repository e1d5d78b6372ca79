import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ec2, G5, guard, messages, newApp, poolProps } from './util';
import { CostAwareNodePool, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, ScalingGuardrails, ScalingMetric } from '../../src';
import { disruptionsAllowed, Pdb } from '../../src/guardrails/engine/disruption';

/** An 8-GPU A10G type: 8 pods of 1 GPU, 4 vCPU, 16 GiB fit one node. */
const G5_48XLARGE = ec2('g5.48xlarge', 16.288, 192, 768, 8, GpuProduct.A10G);

function gpuPool(chart: Chart, types = [G5.xlarge, G5_48XLARGE]): CostAwareNodePool {
  return new CostAwareNodePool(chart, 'a10g', poolProps('a10g', types, { budgetUsdPerHour: 1000 }));
}

function server(chart: Chart, id: string, minReplicas: number, podDisruptionBudget = true): InferenceAutoscaler {
  return new InferenceAutoscaler(chart, id, {
    name: id,
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
    minReplicas,
    maxReplicas: 10,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
    podDisruptionBudget,
  });
}

/** A hand-written GPU Deployment (1 A10G, 4 vCPU, 16 GiB per pod) with these pod spec fields, scaled by an HPA from `min`. */
function gpuDeployment(chart: Chart, name: string, min: number, podFields: any = {}): ApiObject {
  const d = new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: 'x/server:1', resources: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } } }],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a10g' },
          ...podFields,
        },
      },
    },
  });
  new ApiObject(chart, `${name}-hpa`, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: 10, metrics: [] },
  });
  return d;
}

function pdb(chart: Chart, id: string, spec: any): ApiObject {
  return new ApiObject(chart, id, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: id }, spec });
}

const ONE_NODE = /^\[apps\/chat\] replicas-on-one-node: Deployment 'chat' runs 2 replicas at its minimum and one g5.48xlarge of 'a10g' holds 8 of its pods/;

describe('replicas-on-one-node', () => {
  test('fails when every replica fits one node and no PDB or required spread keeps them apart', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    server(chart, 'chat', 2, false);
    expect(messages(guard(app), GuardrailRule.REPLICAS_ON_ONE_NODE)).toEqual([
      "[apps/chat] replicas-on-one-node: Deployment 'chat' runs 2 replicas at its minimum and one g5.48xlarge of 'a10g' holds 8 of " +
      'its pods (1 GPU, 4 vCPU, 16 GiB each), and neither a PodDisruptionBudget nor a required spread over nodes keeps them apart: ' +
      'all of them may run on one node (a ScheduleAnyway spread is only a preference), and one consolidation, drift or expiration ' +
      'of it evicts all 2 at once: add a PodDisruptionBudget with maxUnavailable: 1 (InferenceAutoscaler: podDisruptionBudget: ' +
      'true), and a required pod anti-affinity on kubernetes.io/hostname, or a topology spread on kubernetes.io/hostname with ' +
      'whenUnsatisfiable: DoNotSchedule, minDomains: 2 and maxSkew: 1, so that one node failure or spot interruption cannot ' +
      'take them all either',
    ]);
  });

  test('with the library\'s PDB it is a report line, not a finding', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    server(chart, 'chat', 2);
    const report = guard(app).check();
    expect(report.findings.map(f => f.message)).toEqual([]);
    expect(report.singleNodeExposures).toEqual([expect.stringMatching(
      /^apps\/chat: Deployment 'chat' runs 2 replicas at its minimum and one g5.48xlarge of 'a10g' holds 8 of its pods .*one spot interruption or node failure can take every replica down: add a required pod anti-affinity/)]);
  });

  test('passes when one node holds fewer pods than the minimum', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'), [G5.xlarge, G5.x4large]);
    server(chart, 'chat', 2, false);
    const report = guard(app).check();
    expect(report.findings.map(f => f.message)).toEqual([]);
    expect(report.singleNodeExposures).toEqual([]);
  });

  test('a required anti-affinity on the hostname passes; a DoNotSchedule spread without minDomains does not', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    gpuDeployment(chart, 'apart', 2, {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'apart' } } }] } },
    });
    gpuDeployment(chart, 'spread', 2, {
      topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1, minDomains: 2, labelSelector: { matchLabels: { app: 'spread' } } }],
    });
    gpuDeployment(chart, 'chat', 2, {
      topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1, labelSelector: { matchLabels: { app: 'chat' } } }],
    });
    // An anti-affinity that selects other pods keeps nothing apart.
    gpuDeployment(chart, 'other', 2, {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'apart' } } }] } },
    });
    expect(messages(guard(app), GuardrailRule.REPLICAS_ON_ONE_NODE)).toEqual([
      expect.stringMatching(ONE_NODE),
      expect.stringMatching(/^\[apps\/other\] replicas-on-one-node: Deployment 'other' runs 2 replicas/),
    ]);
  });

  test('a hand-written Deployment without an autoscaler counts at spec.replicas, with no PDB in the app', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    const fixed = (name: string, replicas: number) => {
      const d = gpuDeployment(chart, name, replicas);
      chart.node.tryRemoveChild(`${name}-hpa`);
      d.addJsonPatch(JsonPatch.add('/spec/replicas', replicas));
    };
    fixed('chat', 2);
    fixed('single', 1);
    const report = guard(app).check();
    expect(report.findings.map(f => f.message)).toEqual([expect.stringMatching(ONE_NODE)]);
  });

  test('a suppression silences it', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    const chat = server(chart, 'chat', 2, false);
    ScalingGuardrails.suppress(chat, GuardrailRule.REPLICAS_ON_ONE_NODE, 'a batch endpoint: an outage of minutes is fine');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => f.rule)).toEqual([GuardrailRule.REPLICAS_ON_ONE_NODE]);
  });
});

describe('pdb-blocks-drain', () => {
  test('fails for maxUnavailable 0, naming the pool\'s terminationGracePeriod', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    gpuDeployment(chart, 'chat', 2);
    pdb(chart, 'chat-pdb', { maxUnavailable: 0, selector: { matchLabels: { app: 'chat' } } });
    expect(messages(guard(app), GuardrailRule.PDB_BLOCKS_DRAIN)).toEqual([
      "[apps/chat-pdb] pdb-blocks-drain: PodDisruptionBudget 'chat-pdb' (maxUnavailable: 0) selects the pods of Deployment 'chat' " +
      '(2 at the minimum) and allows no eviction ever: Karpenter never consolidates a node that runs one of them, and a node ' +
      "drained for drift or expiration keeps running until the pods are force-deleted: on 'a10g' after its terminationGracePeriod " +
      '15m: set maxUnavailable: 1 (or a minAvailable below 2), with unhealthyPodEvictionPolicy: AlwaysAllow',
    ]);
  });

  test('minAvailable at the minimum blocks; percentages round up', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'));
    gpuDeployment(chart, 'a', 2);
    pdb(chart, 'a-pdb', { minAvailable: 2, selector: { matchLabels: { app: 'a' } } });
    gpuDeployment(chart, 'b', 5);
    pdb(chart, 'b-pdb', { minAvailable: '90%', selector: { matchLabels: { app: 'b' } } });
    gpuDeployment(chart, 'c', 5);
    pdb(chart, 'c-pdb', { minAvailable: '80%', selector: { matchLabels: { app: 'c' } } });
    gpuDeployment(chart, 'd', 5);
    pdb(chart, 'd-pdb', { maxUnavailable: '10%', selector: { matchLabels: { app: 'd' } } });
    expect(messages(guard(app), GuardrailRule.PDB_BLOCKS_DRAIN)).toEqual([
      expect.stringMatching(/^\[apps\/a-pdb\] pdb-blocks-drain: PodDisruptionBudget 'a-pdb' \(minAvailable: 2\) selects the pods of Deployment 'a' \(2 at the minimum\) and allows no eviction at the minimum \(2 must stay healthy of 2\)/),
      expect.stringMatching(/^\[apps\/b-pdb\] pdb-blocks-drain: PodDisruptionBudget 'b-pdb' \(minAvailable: "90%"\) selects the pods of Deployment 'b' \(5 at the minimum\) and allows no eviction at the minimum \(5 must stay healthy of 5\)/),
    ]);
  });

  test('fails when a hand-written PDB selects the pods the library\'s PDB already covers', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'), [G5.x2large]);
    server(chart, 'chat', 2);
    const d = chart.node.findChild('chat').node.findAll().find(c => c instanceof ApiObject && c.kind === 'Deployment') as ApiObject;
    const labels = (d.toJson() as any).spec.template.metadata.labels;
    pdb(chart, 'extra', { maxUnavailable: 1, selector: { matchLabels: labels } });
    expect(messages(guard(app), GuardrailRule.PDB_BLOCKS_DRAIN)).toEqual([
      "[apps/extra] pdb-blocks-drain: 2 PodDisruptionBudgets ('chat' (apps/chat), 'extra') select the pods of Deployment 'chat': " +
      'the eviction API refuses to evict a pod that more than one PDB selects, whatever they allow, so no drain evicts them: ' +
      'Karpenter never consolidates a node that runs one of them, and a node drained for drift or expiration keeps running until ' +
      "the pods are force-deleted: on 'a10g' after its terminationGracePeriod 15m: keep one PDB (remove this one, or set " +
      'podDisruptionBudget: false on the InferenceAutoscaler)',
    ]);
  });

  test('passes for PDBs that allow an eviction, or that select no pod of the app', () => {
    const { app, chart } = newApp();
    gpuPool(new Chart(app, 'capacity'), [G5.x2large]);
    gpuDeployment(chart, 'chat', 2);
    pdb(chart, 'chat-pdb', { maxUnavailable: 1, selector: { matchLabels: { app: 'chat' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    pdb(chart, 'elsewhere', { maxUnavailable: 0, selector: { matchLabels: { app: 'not-in-this-app' } } });
    expect(messages(guard(app))).toEqual([]);
  });

  test('disruptions allowed, as the disruption controller computes them', () => {
    const p = (spec: Partial<Pdb>): Pdb => ({ name: 'p', namespace: '', library: false, ...spec } as Pdb);
    expect(disruptionsAllowed(p({ maxUnavailable: '0%' }), 10)).toEqual({ allowed: 0, desiredHealthy: 10, fullyBlocking: true });
    expect(disruptionsAllowed(p({ maxUnavailable: '1%' }), 10)).toEqual({ allowed: 1, desiredHealthy: 9, fullyBlocking: false });
    expect(disruptionsAllowed(p({ minAvailable: '100%' }), 3)).toEqual({ allowed: 0, desiredHealthy: 3, fullyBlocking: true });
    expect(disruptionsAllowed(p({ minAvailable: '50%' }), 3)).toEqual({ allowed: 1, desiredHealthy: 2, fullyBlocking: false });
    expect(disruptionsAllowed(p({}), 3)).toEqual({ allowed: 3, desiredHealthy: 0, fullyBlocking: false });
  });
});
