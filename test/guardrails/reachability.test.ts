import { ApiObject, Chart, Testing } from 'cdk8s';
import { a10gPool, chatService, G5, guard, messages, newApp } from './util';
import { GuardrailRule, ReachLimit, ScalingGuardrails, TeamGpuQuota } from '../../src';

const RULE = GuardrailRule.REACHABLE_REPLICAS;

/** A hand-written GPU Deployment (1 GPU, 4 vCPU, 16 GiB per pod) under an HPA, with optional pod fields and labels. */
function gpuDeployment(chart: Chart, name: string, min: number, max: number, pod: Record<string, unknown> = {},
  labels: Record<string, string> = {}): ApiObject {
  const d = new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{ name, image: 'vllm/vllm-openai:v0.12.0', resources: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } } }],
          ...pod,
        },
      },
    },
  });
  new ApiObject(chart, `${name}-hpa`, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max },
  });
  return d;
}

function teamApp() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'team-a', { namespace: 'team-a' }) };
}

describe('reachable-replicas', () => {
  test('a TeamGpuQuota under a big autoscaler caps it, named in numbers, and is a finding', () => {
    const { app, chart } = teamApp();
    chatService(chart, 'chat', 20);
    new TeamGpuQuota(chart, 'quota', { maxGpus: 8, name: 'gpus' });
    const g = guard(app, { nodePools: [a10gPool('a10g')] });
    const report = g.check();
    expect(report.reachability).toEqual([{
      path: 'team-a/chat',
      minReplicas: 2,
      maxReplicas: 20,
      reachableReplicas: 8,
      bindingConstraint: ReachLimit.RESOURCE_QUOTA,
      reason: "8 of 20: ResourceQuota 'gpus' in namespace 'team-a' allows 8 requests.nvidia.com/gpu, 1 per pod",
    }]);
    expect(messages(g, RULE)).toEqual([
      "[team-a/chat] reachable-replicas: Deployment 'chat' can run at most 8 of its maxReplicas 20 (8 of 20: ResourceQuota 'gpus' in " +
      "namespace 'team-a' allows 8 requests.nvidia.com/gpu, 1 per pod), so the autoscaler asks for 12 replicas the quota refuses: raise the " +
      "ResourceQuota's hard limit (TeamGpuQuota's maxGpus) or lower maxReplicas to match, or suppress reachable-replicas with the reason if " +
      'the quota is meant to cap it',
    ]);
    ScalingGuardrails.suppress(chart, RULE, 'the team shares 8 GPUs on purpose');
    expect(messages(g, RULE)).toEqual([]);
    expect(g.check().suppressedFindings.map(f => f.rule)).toEqual([RULE]);
  });

  test('the RULES.md worked example: the other workloads of the namespace count at their minimum; below the minimum the pods stay Pending', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'a', 3, 4);
    gpuDeployment(chart, 'b', 2, 4);
    new TeamGpuQuota(chart, 'quota', { maxGpus: 4, name: 'gpus' });
    const report = guard(app, { nodePools: [a10gPool('a10g')] }).check();
    expect(report.reachability.map(r => [r.path, r.reachableReplicas, r.bindingConstraint, r.reason])).toEqual([
      ['team-a/a', 2, ReachLimit.RESOURCE_QUOTA, "2 of 4: ResourceQuota 'gpus' in namespace 'team-a' allows 4 requests.nvidia.com/gpu, 1 per pod, 2 of it taken by the other workloads' minimum"],
      ['team-a/b', 1, ReachLimit.RESOURCE_QUOTA, "1 of 4: ResourceQuota 'gpus' in namespace 'team-a' allows 4 requests.nvidia.com/gpu, 1 per pod, 3 of it taken by the other workloads' minimum"],
    ]);
    expect(report.findings.map(f => f.message)).toEqual([
      "[team-a/a] reachable-replicas: Deployment 'a' can run at most 2 replicas, below its minReplicas 3 (2 of 4: ResourceQuota 'gpus' in namespace " +
      "'team-a' allows 4 requests.nvidia.com/gpu, 1 per pod, 2 of it taken by the other workloads' minimum), so 1 pod of its minimum stays Pending " +
      "forever: raise the ResourceQuota's hard limit (TeamGpuQuota's maxGpus) or lower minReplicas",
      "[team-a/b] reachable-replicas: Deployment 'b' can run at most 1 replica, below its minReplicas 2 (1 of 4: ResourceQuota 'gpus' in namespace " +
      "'team-a' allows 4 requests.nvidia.com/gpu, 1 per pod, 3 of it taken by the other workloads' minimum), so 1 pod of its minimum stays Pending " +
      "forever: raise the ResourceQuota's hard limit (TeamGpuQuota's maxGpus) or lower minReplicas",
    ]);
  });

  test('a per-PriorityClass quota binds only the pods of its class', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'train', 0, 10, { priorityClassName: 'training' });
    gpuDeployment(chart, 'serve', 1, 10, { priorityClassName: 'serving' });
    new TeamGpuQuota(chart, 'quota', { perPriorityClass: [{ priorityClassName: 'training', maxGpus: 4 }], name: 'gpus' });
    const report = guard(app, { nodePools: [a10gPool('a10g')] }).check();
    expect(report.reachability.map(r => [r.path, r.reachableReplicas, r.bindingConstraint])).toEqual([
      ['team-a/train', 4, ReachLimit.RESOURCE_QUOTA],
      ['team-a/serve', 10, ReachLimit.AUTOSCALER],
    ]);
    expect(report.findings.map(f => f.path)).toEqual(['team-a/train']);
  });

  test('hand-written quotas: limits.cpu and pods count as the quota evaluator counts them', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'web', 1, 10, { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m' }, limits: { cpu: '2', memory: '1Gi' } } }] });
    new ApiObject(chart, 'rq', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'limits.cpu': '9', 'pods': '6', 'count/deployments.apps': '1' } } });
    const report = guard(app).check();
    expect(report.reachability.map(r => [r.reachableReplicas, r.reason])).toEqual([
      [4, "4 of 10: ResourceQuota 'compute' in namespace 'team-a' allows 9 limits.cpu, 2 per pod"],
    ]);
  });

  test('a quota on limits.cpu refuses every pod of a container without a CPU limit (the API server\'s "must specify")', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'web', 1, 10, { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m' } } }] });
    new ApiObject(chart, 'rq', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'limits.cpu': '90' } } });
    expect(messages(guard(app), RULE)).toEqual([
      "[team-a/web] reachable-replicas: Deployment 'web' can run at most 0 replicas, below its minReplicas 1 (0 of 10: ResourceQuota 'compute' in " +
      "namespace 'team-a' tracks limits.cpu, which container 'web' does not set, so the API server refuses every pod (\"must specify limits.cpu\") " +
      'unless a LimitRange of the namespace defaults it), so 1 pod of its minimum stays Pending forever: set limits.cpu on every container ' +
      'of the pod template, or give the namespace a LimitRange that defaults it',
    ]);
  });

  test('passes when the quota holds every maximum, and a quota of another namespace does not apply', () => {
    const { app, chart } = teamApp();
    chatService(chart, 'chat', 20);
    new TeamGpuQuota(chart, 'quota', { maxGpus: 20 });
    new TeamGpuQuota(new Chart(app, 'other', { namespace: 'team-b' }), 'quota', { maxGpus: 0 });
    const report = guard(app, { nodePools: [a10gPool('a10g')] }).check();
    expect(report.findings).toEqual([]);
    expect(report.reachability.map(r => [r.reachableReplicas, r.bindingConstraint, r.reason])).toEqual([[20, ReachLimit.AUTOSCALER, "20 of 20: the autoscaler's maximum"]]);
  });

  test('a Kueue ClusterQueue admits its nominal quota plus its borrowing limit', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'batch', 1, 10, {}, { 'kueue.x-k8s.io/queue-name': 'team-a-queue' });
    new ApiObject(chart, 'lq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'team-a-queue' }, spec: { clusterQueue: 'gpu-cq' } });
    const cq = (name: string, gpus: number, borrowingLimit?: number) => new ApiObject(app.node.findChild('team-a') as Chart, name, {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name, namespace: undefined },
      spec: {
        cohortName: 'ml',
        resourceGroups: [{
          coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
          flavors: [{
            name: 'a10g',
            resources: [{ name: 'cpu', nominalQuota: '64' }, { name: 'memory', nominalQuota: '256Gi' },
              { name: 'nvidia.com/gpu', nominalQuota: gpus, ...(borrowingLimit !== undefined ? { borrowingLimit } : {}) }],
          }],
        }],
      },
    });
    cq('gpu-cq', 4, 2);
    cq('other-cq', 8);
    const g = guard(app, { nodePools: [a10gPool('a10g')] });
    expect(g.check().reachability.map(r => [r.reachableReplicas, r.bindingConstraint, r.reason])).toEqual([
      [6, ReachLimit.KUEUE_QUOTA, "6 of 10: Kueue ClusterQueue 'gpu-cq' admits 6 nvidia.com/gpu (nominal 4 + borrowing 2), 1 per pod"],
    ]);
    expect(messages(g, RULE)).toHaveLength(1);
    expect(messages(g, RULE)[0]).toContain("raise the ClusterQueue's nominalQuota or borrowingLimit or lower maxReplicas to match");
  });

  test('a workload without the queue-name label is not Kueue\'s', () => {
    const { app, chart } = teamApp();
    gpuDeployment(chart, 'batch', 1, 10);
    new ApiObject(chart, 'lq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'q' }, spec: { clusterQueue: 'cq' } });
    new ApiObject(chart, 'cq', {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: { resourceGroups: [{ coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'f', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 1 }] }] }] },
    });
    expect(guard(app, { nodePools: [a10gPool('a10g')] }).check().reachability[0].bindingConstraint).toBe(ReachLimit.AUTOSCALER);
  });

  test('pool limits and the budget are reported, not found again (pool-capacity and budget-ceiling already fail)', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 20);
    chatService(chart, 'rag', 10);
    const pools = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 12 } })] }).check();
    expect(pools.reachability.map(r => [r.path, r.reachableReplicas, r.bindingConstraint, r.reason])).toEqual([
      ['apps/chat', 10, ReachLimit.POOL_LIMITS, "10 of 20: its pools' limits hold 10 pods of 1 GPU, 4 vCPU, 16 GiB with every other workload at its minimum ('a10g' 10)"],
      ['apps/rag', 10, ReachLimit.AUTOSCALER, "10 of 10: the autoscaler's maximum"],
    ]);
    expect(pools.findings.map(f => f.rule)).toEqual([GuardrailRule.POOL_CAPACITY]);

    const { app: app2, chart: chart2 } = newApp();
    chatService(chart2, 'chat', 20);
    const budget = guard(app2, { budgetUsdPerHour: 10, nodePools: [a10gPool('a10g', { instanceTypes: [G5.x2large] })] }).check();
    // g5.2xlarge: $1.212 per GPU; $10 pays for floor(10 / 1.212) = 8 pods.
    expect(budget.reachability.map(r => [r.reachableReplicas, r.bindingConstraint, r.reason])).toEqual([
      [8, ReachLimit.BUDGET, "8 of 20: 'budgetUsdPerHour' (10) less the other workloads' minimum ($0.00/h) pays for pods at $1.212/h each"],
    ]);
    expect(budget.findings.map(f => f.rule)).toEqual([GuardrailRule.BUDGET_CEILING]);
  });
});
