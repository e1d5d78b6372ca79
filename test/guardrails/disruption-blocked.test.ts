import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { G5, guard, messages, newApp, poolProps } from './util';
import { CostAwareNodePool, ElasticRayTraining, GuardrailRule, NodePoolPurpose, ScalingGuardrails } from '../../src';
import { blockingBudget } from '../../src/guardrails/engine/node-disruption';

/** A hand-written CPU NodePool (no taints, types unknown) with these template spec and disruption fields. */
function nodePool(chart: Chart, name: string, templateSpec: any = {}, disruption: any = undefined): ApiObject {
  return new ApiObject(chart, name, {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [], ...templateSpec } },
      ...(disruption ? { disruption } : {}),
    },
  });
}

/** A hand-written CPU Deployment (1 vCPU, 2 GiB) with no autoscaler, its pods annotated with these annotations. */
function deployment(chart: Chart, name: string, replicas: number, annotations: Record<string, string> = {}, kind = 'Deployment'): ApiObject {
  return new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: { containers: [{ name, image: 'x/server:1', resources: { requests: { cpu: '1', memory: '2Gi' } } }] },
      },
    },
  });
}

const DND = { 'karpenter.sh/do-not-disrupt': 'true' };

describe('disruption-blocked: do-not-disrupt on long-running pods', () => {
  test('fails for a Deployment and a RayCluster head on a pool without terminationGracePeriod; not for a worker group at 0', () => {
    const { app, chart } = newApp();
    nodePool(new Chart(app, 'capacity'), 'general');
    deployment(chart, 'api', 2, DND);
    new ElasticRayTraining(chart, 'train', {
      name: 'train', workerGroups: [{ name: 'cpu', minReplicas: 0, maxReplicas: 4, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) }],
    });
    expect(messages(guard(app), GuardrailRule.DISRUPTION_BLOCKED)).toEqual([
      "[apps/train] disruption-blocked: the pods of RayCluster 'train' head (1 at the minimum, long-running: nothing completes them) " +
      "carry karpenter.sh/do-not-disrupt: \"true\" and may run on 'general', whose NodePool has no terminationGracePeriod: Karpenter " +
      'never consolidates or replaces a drifted node that runs one of them, and an expired node is cordoned and waits for them ' +
      'forever, so the node is paid for as long as the workload runs and AMI and security updates never reach it: set ' +
      'spec.template.spec.terminationGracePeriod on the NodePool (CostAwareNodePool: terminationGracePeriod, 15 minutes for ' +
      'inference by default), or remove the annotation from these pods (a PodDisruptionBudget with maxUnavailable: 1 protects ' +
      'serving pods without stopping every disruption)',
      expect.stringMatching(/^\[apps\/api\] disruption-blocked: the pods of Deployment 'api' \(2 at the minimum, long-running/),
    ]);
  });

  test('passes with a terminationGracePeriod, a do-not-disrupt duration, no annotation, or a workload that completes', () => {
    const { app, chart } = newApp();
    const capacity = new Chart(app, 'capacity');
    nodePool(capacity, 'graceful', { terminationGracePeriod: '1h' });
    deployment(chart, 'api', 2, DND);
    const { app: app2, chart: chart2 } = newApp();
    nodePool(new Chart(app2, 'capacity'), 'general');
    deployment(chart2, 'for-a-while', 2, { 'karpenter.sh/do-not-disrupt': '30m' });
    deployment(chart2, 'plain', 2);
    deployment(chart2, 'scaled-to-zero', 0, DND);
    new ApiObject(chart2, 'batch', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch' },
      spec: { template: { metadata: { annotations: DND }, spec: { restartPolicy: 'Never', containers: [{ name: 'b', image: 'x/b:1' }] } } },
    });
    expect(messages(guard(app), GuardrailRule.DISRUPTION_BLOCKED)).toEqual([]);
    expect(messages(guard(app2), GuardrailRule.DISRUPTION_BLOCKED)).toEqual([]);
  });

  test('the library\'s do-not-disrupt pods on the library\'s pools read nothing and pass', () => {
    const { app, chart } = newApp();
    new CostAwareNodePool(new Chart(app, 'capacity'), 'cpu', poolProps('cpu', [G5.xlarge], { purpose: NodePoolPurpose.TRAINING, budgetUsdPerHour: 100 }));
    new ElasticRayTraining(chart, 'train', {
      name: 'train', workerGroups: [{ name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8) }],
    });
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === GuardrailRule.DISRUPTION_BLOCKED)).toEqual([]);
  });

  test('a suppression silences it', () => {
    const { app, chart } = newApp();
    nodePool(new Chart(app, 'capacity'), 'general');
    const d = deployment(chart, 'api', 2, DND);
    ScalingGuardrails.suppress(d, GuardrailRule.DISRUPTION_BLOCKED, 'pinned on purpose: a stateful singleton we move by hand');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => f.rule)).toEqual([GuardrailRule.DISRUPTION_BLOCKED]);
  });
});

describe('disruption-blocked: a NodePool budget that never removes empty nodes', () => {
  test('fails for nodes "0" for every reason on a hand-written NodePool (types unknown: not priced)', () => {
    const { app } = newApp();
    nodePool(new Chart(app, 'capacity'), 'frozen', { terminationGracePeriod: '1h' }, { budgets: [{ nodes: '0' }] });
    expect(messages(guard(app), GuardrailRule.DISRUPTION_BLOCKED)).toEqual([
      "[capacity/frozen] disruption-blocked: NodePool 'frozen' has a disruption budget nodes: \"0\" for every reason (Empty, " +
      'Underutilized and Drifted) with no schedule, so it is always in force: Karpenter never removes an empty node of the pool, ' +
      'and every node a scale-up launches stays after its pods are gone, each one paid for while idle (the pool\'s instance types ' +
      'are not known, so it is not priced), and drifted nodes are never replaced: allow at least one node for Empty (nodes: "1" ' +
      'with reasons: [Empty]), and keep "0" only inside a window (schedule and duration) or for the reasons you mean to stop ' +
      '(Drifted, Underutilized)',
    ]);
  });

  test('fails for "0%" for Empty on a patched CostAwareNodePool, priced at its cheapest GPU type', () => {
    const { app } = newApp();
    const pool = new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large, G5.xlarge], { budgetUsdPerHour: 100 }));
    pool.nodePools[0].addJsonPatch(JsonPatch.replace('/spec/disruption/budgets', [{ nodes: '0%', reasons: ['Empty', 'Drifted'] }]));
    const found = messages(guard(app), GuardrailRule.DISRUPTION_BLOCKED);
    expect(found).toEqual([expect.stringMatching(/^\[capacity\/a10g\] disruption-blocked: /)]);
    expect(found).toEqual([
      expect.stringContaining("NodePool 'a10g' has a disruption budget nodes: \"0%\" for Empty, Drifted with no schedule, so it is " +
        'always in force: Karpenter never removes an empty node of the pool, and every node a scale-up launches stays after its ' +
        "pods are gone, each one paid for while idle: $1.006/h for one idle g5.xlarge (the pool's cheapest GPU type): allow"),
    ]);
  });

  test('passes for the library\'s inference and training pools (training stops Drifted and Underutilized only), reading only their two NodePools', () => {
    const { app } = newApp();
    const capacity = new Chart(app, 'capacity');
    new CostAwareNodePool(capacity, 'serve', poolProps('serve', [G5.xlarge], { budgetUsdPerHour: 100 }));
    new CostAwareNodePool(capacity, 'train', poolProps('train', [G5.xlarge], { budgetUsdPerHour: 100, purpose: NodePoolPurpose.TRAINING }));
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    // Each CostAwareNodePool here writes one NodePool (on-demand only); nothing else is read.
    expect(report.objectsRead).toBe(2);
  });

  test('passes for a scheduled window, budgets for other reasons, a non-zero budget, and the default', () => {
    const { app } = newApp();
    const capacity = new Chart(app, 'capacity');
    nodePool(capacity, 'window', { terminationGracePeriod: '1h' }, { budgets: [{ nodes: '0', schedule: '0 9 * * 1-5', duration: '8h' }] });
    nodePool(capacity, 'drift', { terminationGracePeriod: '1h' }, { budgets: [{ nodes: '0', reasons: ['Drifted', 'Underutilized'] }, { nodes: '1', reasons: ['Empty'] }] });
    nodePool(capacity, 'some', { terminationGracePeriod: '1h' }, { budgets: [{ nodes: '1' }, { nodes: '5%' }] });
    nodePool(capacity, 'default', { terminationGracePeriod: '1h' });
    expect(messages(guard(app))).toEqual([]);
  });

  test('budgets as GetAllowedDisruptionsByReason reads them', () => {
    expect(blockingBudget(undefined, 'Empty')).toBeUndefined();
    expect(blockingBudget([{ nodes: '00' }], 'Empty')).toEqual({ nodes: '00' });
    expect(blockingBudget([{ nodes: '10' }, { nodes: '0%', reasons: ['Empty'] }], 'Empty')).toEqual({ nodes: '0%', reasons: ['Empty'] });
    // A non-nil empty reasons list applies to no reason.
    expect(blockingBudget([{ nodes: '0', reasons: [] }], 'Empty')).toBeUndefined();
    expect(blockingBudget([{ nodes: '0', reasons: ['Drifted'] }], 'Empty')).toBeUndefined();
    expect(blockingBudget([{ nodes: '0', schedule: '@daily', duration: '1h' }], 'Empty')).toBeUndefined();
  });
});
