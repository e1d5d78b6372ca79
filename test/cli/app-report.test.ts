import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing, Yaml } from 'cdk8s';
import { runCli, syntheticTraceCsv, tempDir, writeFile } from './fixtures';
import { buildApp } from '../../examples/inference';
import {
  AutoscalerSimulator, GpuProduct, GpuRequest, InferenceAutoscaler, ScalingBehavior, ScalingEngine, ScalingMetric,
} from '../../src';
import { scheduleOf } from '../../src/cli/keda-cron';
import { parseTrace } from '../../src/cli/trace';

// The example app imports the compiled library (../lib); here it is built from the sources.
jest.mock('../../lib', () => jest.requireActual('../../src'));

/**
 * A small app synthesized by the library into `dir`: `chat` (an HPA on requests per second, 15 per replica, with the
 * given behavior, 3 to 12 replicas) and `reranker` (a KEDA ScaledObject on requests per second with a weekday cron
 * window in Berlin and scale to zero), in namespace ml-serving. Written as `cdk8s synth` writes it.
 */
function synthApp(dir: string, chatBehavior: ScalingBehavior, options: { withReranker?: boolean; extra?: string; gpu?: boolean } = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const app = Testing.app();
  const chart = new Chart(app, 'serving', { namespace: 'ml-serving' });
  new InferenceAutoscaler(chart, 'chat', {
    name: 'chat',
    modelServer: { image: 'example/chat:1.0', ...(options.gpu === false ? {} : { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) }) },
    minReplicas: 3,
    maxReplicas: 12,
    metrics: [ScalingMetric.requestsPerSecond(15, { counter: 'http_requests_total' })],
    behavior: chatBehavior,
  });
  if (options.withReranker !== false) {
    new InferenceAutoscaler(chart, 'reranker', {
      name: 'reranker',
      modelServer: { image: 'example/reranker:1.4', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }) },
      minReplicas: 3,
      maxReplicas: 8,
      metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' }), ScalingMetric.cronWindow('0 8 * * 1-5', '0 19 * * 1-5', 4, { timeZone: 'Europe/Berlin' })],
      behavior: ScalingBehavior.realTime(),
      engine: ScalingEngine.keda({ pollingInterval: Duration.seconds(15), scaleToZero: true, cooldownPeriod: Duration.minutes(10) }),
    });
  }
  fs.writeFileSync(path.join(dir, 'serving.k8s.yaml'), Yaml.stringify(...Testing.synth(chart)));
  if (options.extra) fs.writeFileSync(path.join(dir, 'extra.k8s.yaml'), options.extra);
  return dir;
}

/** Three days of 5-minute intervals from Monday 2025-03-03 00:00 UTC, busiest at noon, with a spike on day 0. */
const TRACE = syntheticTraceCsv(3, 300, 120);

describe('report --app: the app replayed as synthesized', () => {
  const dir = tempDir('app');
  writeFile(dir, 't.csv', TRACE);
  synthApp(path.join(dir, 'head'), ScalingBehavior.realTime());
  synthApp(path.join(dir, 'base'), ScalingBehavior.standard());
  const trace = parseTrace(TRACE, 't.csv');
  const load = trace.requests.map(r => r / 300);

  test('replays the HPA exactly as AutoscalerSimulator does with its props: behavior, min/max, target as 70 % of capacity', () => {
    const run = runCli(['report', '--app', 'head', '--trace', 't.csv', '--out', 'r.html', '--json', 'r.json'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const chat = json.app.workloads.find((w: any) => w.workload === 'ml-serving/chat');
    const direct = AutoscalerSimulator.run({
      load,
      step: Duration.minutes(5),
      behavior: ScalingBehavior.realTime(),
      minReplicas: 3,
      maxReplicas: 12,
      capacityPerReplica: 15 / 0.7,
      targetUtilization: 0.7,
    });
    expect(chat).toMatchObject({
      metric: 'Pods scaling_request_rate',
      minReplicas: 3,
      maxReplicas: 12,
      targetUtilization: 0.7,
      unservedFraction: direct.unservedFraction,
      requestsServed: direct.requestsServed,
      replicaHours: direct.replicaHours,
      overloadedSeconds: direct.overloadedTime.toSeconds({ integral: false }),
      scaleUpEvents: direct.scaleUpEvents,
      scaleDownEvents: direct.scaleDownEvents,
      peakReplicas: direct.peakReplicas,
      costUsd: null,
    });
    expect(direct.scaleUpEvents).toBeGreaterThan(0);
    expect(chat.assumptions.join('\n')).toContain('capacity per replica assumed: the per-replica target 15 of Pods scaling_request_rate taken as 70%');
    expect(chat.assumptions.join('\n')).toContain('cost unknown');
    expect(run.stdout).toContain('ml-serving/chat: unserved ');
  });

  test('replays the ScaledObject with its cron window (Berlin, weekdays 8-19) and scale to zero (activation, cooldown, polling)', () => {
    const run = runCli(['report', '--app', 'head', '--trace', 't.csv', '--out', 'r2.html', '--json', 'r2.json'], { cwd: dir });
    expect(run.code).toBe(0);
    const reranker = JSON.parse(fs.readFileSync(path.join(dir, 'r2.json'), 'utf8')).app.workloads.find((w: any) => w.workload === 'ml-serving/reranker');
    // Berlin is UTC+1 in early March: the window is 07:00-18:00 UTC on Monday to Wednesday of the trace.
    const expected = load.map((_, i) => {
      const hour = (i * 5) / 60 % 24;
      return hour >= 7 && hour < 18 ? 4 : 0;
    });
    expect(scheduleOf([{ start: '0 8 * * 1-5', end: '0 19 * * 1-5', timeZone: 'Europe/Berlin', desiredReplicas: 4 }], trace.startMs, 300, load.length))
      .toEqual(expected);
    const direct = AutoscalerSimulator.run({
      load,
      step: Duration.minutes(5),
      behavior: ScalingBehavior.realTime(),
      minReplicas: 0,
      maxReplicas: 8,
      capacityPerReplica: 10 / 0.7,
      targetUtilization: 0.7,
      activationThreshold: 0,
      cooldownPeriod: Duration.minutes(10),
      pollingInterval: Duration.seconds(15),
      scheduledReplicas: expected,
    });
    expect(reranker).toMatchObject({
      activationThreshold: 0,
      minReplicas: 0,
      maxReplicas: 8,
      unservedFraction: direct.unservedFraction,
      replicaHours: direct.replicaHours,
      peakReplicas: direct.peakReplicas,
      scaleUpEvents: direct.scaleUpEvents,
      scaleDownEvents: direct.scaleDownEvents,
      cronWindows: [{ start: '0 8 * * 1-5', end: '0 19 * * 1-5', timeZone: 'Europe/Berlin', desiredReplicas: 4 }],
    });
    expect(reranker.assumptions.join('\n')).toContain('a cron window does not wake the workload from 0');
    expect(reranker.assumptions.join('\n')).toContain('where KEDA wakes it to minReplicaCount (3)');
  });

  test('a workloads file sets capacity, price, time to ready and a trace per workload, and its figures follow', () => {
    writeFile(dir, 'w.json', JSON.stringify({
      '*': { timeToReady: '4m' },
      'ml-serving/chat': { capacityPerReplica: 20, priceUsdPerHour: 1.006 },
      'reranker': { trace: 't.csv', scale: 2, priceUsdPerHour: 0.8048 },
    }));
    const run = runCli(['report', '--app', 'head', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'w.html', '--json', 'w.json.out'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'w.json.out'), 'utf8'));
    const chat = json.app.workloads.find((w: any) => w.workload === 'ml-serving/chat');
    const direct = AutoscalerSimulator.run({
      load,
      step: Duration.minutes(5),
      behavior: ScalingBehavior.realTime(),
      minReplicas: 3,
      maxReplicas: 12,
      capacityPerReplica: 20,
      targetUtilization: 15 / 20,
      timeToReady: Duration.minutes(4),
      priceUsdPerHour: 1.006,
    });
    expect(chat).toMatchObject({
      capacityPerReplica: 20, targetUtilization: 0.75, costUsd: direct.costUsd, unservedFraction: direct.unservedFraction,
    });
    expect(chat.costUsdPerWeek).toBeCloseTo((direct.costUsd! / 72) * 168, 6);
    const reranker = json.app.workloads.find((w: any) => w.workload === 'ml-serving/reranker');
    expect(reranker.scale).toBe(2);
  });

  test('writes a page with one section per workload, its charts and the guardrails', () => {
    const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<section id="workload-1" class="workload" data-workload="ml-serving/chat">');
    expect(html).toContain('<svg class="chart" id="workload-2-replicas"');
    expect(html).toContain('Not in the manifests: what the replay assumed');
    expect(html).toContain('<section id="guardrails">');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('report --app --baseline: the pull-request gate', () => {
  const dir = tempDir('gate');
  writeFile(dir, 't.csv', TRACE);
  // main runs realTime; the branch slows chat down to the standard behavior, and adds nothing else.
  synthApp(path.join(dir, 'main'), ScalingBehavior.realTime());
  synthApp(path.join(dir, 'branch'), ScalingBehavior.standard());
  writeFile(dir, 'w.json', JSON.stringify({ 'ml-serving/chat': { priceUsdPerHour: 1 }, 'ml-serving/reranker': { priceUsdPerHour: 1 } }));
  const args = ['report', '--app', 'branch', '--baseline', 'main', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'gate.html', '--json', 'gate.json'];

  test('prints the comparison per workload and in total, and exits with 0 without thresholds', () => {
    const run = runCli(args, { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ml-serving\/chat: unserved \d+(\.\d+)?% -> \d+(\.\d+)?%, [+-]\$\d[\d,]* per week$/);
    expect(lines).toContainEqual(expect.stringMatching(/^total: unserved .* -> .*, [+-]\$[\d,]+ per week$/));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'gate.json'), 'utf8'));
    const chat = json.comparison.workloads.find((w: any) => w.workload === 'ml-serving/chat');
    // The standard behavior scales up more slowly than realTime: more of the spike goes unserved.
    expect(chat.unservedIncrease).toBeGreaterThan(0);
    expect(chat.unservedIncrease).toBeCloseTo(chat.unservedFractionAfter - chat.unservedFractionBefore, 12);
    expect(json.gate).toEqual({
      thresholds: { maxUnservedIncrease: null, maxCostIncreaseUsdPerWeek: null, failOnFindings: false }, passed: true, failures: [],
    });
  });

  test('exits with 2 past --max-unserved-increase, naming the workload and the numbers', () => {
    const run = runCli([...args, '--max-unserved-increase', '0.001%'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/gate failed: ml-serving\/chat: unserved [\d.]+% -> [\d.]+%, up [\d.]+ percentage points /);
    expect(run.stdout).toContain('(at most 0.001 percentage points allowed by --max-unserved-increase)');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'gate.json'), 'utf8')).gate.passed).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'gate.html'), 'utf8')).toContain('data-gate="failed"');
  });

  test('exits with 0 under the thresholds', () => {
    const run = runCli([...args, '--max-unserved-increase', '50%', '--max-cost-increase-usd-per-week', '10000'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').pop()).toBe('gate passed');
  });

  test('the same synth on both sides changes nothing and passes a zero threshold', () => {
    const run = runCli(['report', '--app', 'main', '--baseline', 'main', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'same.html',
      '--max-unserved-increase', '0', '--max-cost-increase-usd-per-week', '0'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ml-serving/chat: unserved');
    expect(run.stdout).toContain('+$0 per week');
  });

  test('exits with 2 past --max-cost-increase-usd-per-week, and reports added and removed workloads', () => {
    synthApp(path.join(dir, 'chat-only'), ScalingBehavior.realTime(), { withReranker: false });
    const added = runCli(['report', '--app', 'main', '--baseline', 'chat-only', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'a.html',
      '--max-cost-increase-usd-per-week', '1'], { cwd: dir });
    expect(added.code).toBe(2);
    expect(added.stdout).toMatch(/^ml-serving\/reranker \(added\): unserved [\d.]+%, \$[\d,]+ per week$/m);
    expect(added.stdout).toMatch(/gate failed: app: cost \$[\d,]+ -> \$[\d,]+ per week, \+\$[\d,]+ \(at most \+\$1 allowed by --max-cost-increase-usd-per-week\)/);
    const removed = runCli(['report', '--app', 'chat-only', '--baseline', 'main', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'b.html'], { cwd: dir });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^ml-serving\/reranker \(removed\): was unserved [\d.]+%, \$[\d,]+ per week$/m);
  });

  test('--fail-on-findings exits with 2 when the guardrails find something in the app', () => {
    // A hand-written HPA on chat besides the library's: two horizontal owners of one Deployment.
    const hpa = Yaml.stringify({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'chat-extra', namespace: 'ml-serving' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' },
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
      },
    });
    synthApp(path.join(dir, 'two-owners'), ScalingBehavior.realTime(), { extra: hpa, gpu: false, withReranker: false });
    writeFile(dir, 'w2.json', JSON.stringify({ 'ml-serving/chat': { capacityPerReplica: 30 } }));
    const run = runCli(['report', '--app', 'two-owners', '--trace', 't.csv', '--workloads', 'w2.json', '--out', 'f.html', '--json', 'f.json',
      '--fail-on-findings'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^guardrails: 1 finding over 1 workloads$/m);
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'f.json'), 'utf8')).app.guardrails.findings;
    expect(findings.map((f: any) => f.rule)).toEqual(['one-horizontal-owner']);
    // The finding is also listed under the workload it is about.
    const chat = JSON.parse(fs.readFileSync(path.join(dir, 'f.json'), 'utf8')).app.workloads
      .find((w: any) => w.workload === 'ml-serving/chat [HorizontalPodAutoscaler chat]');
    expect(chat.findings.map((f: any) => f.rule)).toEqual(['one-horizontal-owner']);
    expect(run.stdout).toMatch(/gate failed: app: [1-9]\d* guardrail findings? \(--fail-on-findings\)/);
    synthApp(path.join(dir, 'one-owner'), ScalingBehavior.realTime(), { gpu: false, withReranker: false });
    const clean = runCli(['report', '--app', 'one-owner', '--trace', 't.csv', '--out', 'g.html', '--fail-on-findings'], { cwd: dir });
    expect(clean.stdout).toMatch(/^guardrails: 0 findings over 1 workloads$/m);
    expect(clean.code).toBe(0);
  });
});

describe('report --app: the workloads file\'s "guardrails" key (what ScalingGuardrails is given in code)', () => {
  const dir = tempDir('app-guardrails');
  writeFile(dir, 't.csv', TRACE);
  // A GPU pool the CPU workload chat does not tolerate: without a declared pool, chat fits no pool (cpu-placement).
  const gpuPool = Yaml.stringify({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'gpu' },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [],
          taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
        },
      },
    },
  });
  synthApp(path.join(dir, 'app'), ScalingBehavior.realTime(), { extra: gpuPool, gpu: false, withReranker: false });
  const m7i = { name: 'm7i.2xlarge', vcpus: 8, memory: '32Gi', gpus: 0, priceUsdPerHour: 0.4032 };
  const report = (workloads: object) => {
    writeFile(dir, 'w.json', JSON.stringify({ 'ml-serving/chat': { capacityPerReplica: 30 }, ...workloads }));
    const run = runCli(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'r.html', '--json', 'r.json', '--fail-on-findings'], { cwd: dir });
    return { run, guardrails: JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).app.guardrails, html: fs.readFileSync(path.join(dir, 'r.html'), 'utf8') };
  };

  test('without it, the CPU workload fits no pool of the app and --fail-on-findings fails', () => {
    const { run, guardrails, html } = report({});
    expect(run.code).toBe(2);
    expect(guardrails.findings.map((f: any) => f.rule)).toEqual(['cpu-placement']);
    expect(guardrails.declaredInWorkloadsFile).toBeUndefined();
    expect(html).toContain('no "guardrails" key of the workloads file gives them');
  });

  test('a declared pool silences cpu-placement, its instance types price the bill, and the page and the JSON say where it came from', () => {
    const { run, guardrails, html } = report({ guardrails: { nodePools: [{ name: 'system', limits: { gpus: 0, memory: '512Gi' }, instanceTypes: [m7i, 'g6.xlarge'] }] } });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(guardrails.findings).toEqual([]);
    expect(guardrails.unpricedPools).toEqual([]);
    expect(guardrails.bill.unpricedPools).toEqual([]);
    expect(guardrails.bill.nodePools.map((p: any) => p.name)).toContain('system');
    expect(guardrails.worstCaseCostUsdPerHour).toBeGreaterThan(0);
    expect(guardrails.declaredInWorkloadsFile).toEqual({ file: 'w.json', nodePools: ['system'] });
    expect(html).toContain('From the workloads file w.json ("guardrails"): node pool system (outside the app) (no budget, no DaemonSet overhead).');
  });

  test('a declared reserved pool costs at least its reservations, used or not', () => {
    const { run, guardrails } = report({
      guardrails: {
        nodePools: [
          { name: 'system', instanceTypes: [m7i] },
          {
            name: 'reserved',
            labels: { 'karpenter.sh/capacity-type': ['reserved'] },
            reservedUsdPerHour: 24.48,
            instanceTypes: [{ name: 'p3.8xlarge', vcpus: 32, memory: '244Gi', gpus: 4, priceUsdPerHour: 12.24, capacityType: 'reserved' }],
          },
        ],
      },
    });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const reserved = guardrails.bill.nodePools.find((p: any) => p.name === 'reserved');
    // No pod lands on it (chat needs no GPU and does not select reserved capacity), yet the reservations are paid.
    expect(reserved.worstCaseUsdPerHour).toBe(24.48);
    expect(reserved.expectedUsdPerHour).toBe(24.48);
  });

  test('a budget below the worst case is a budget-ceiling finding; above it, none', () => {
    const pools = [{ name: 'system', instanceTypes: [m7i] }];
    const over = report({ guardrails: { budgetUsdPerHour: 0.5, nodePools: pools, daemonSetOverhead: { cpu: '125m', memory: '256Mi' } } });
    expect(over.run.code).toBe(2);
    expect(over.guardrails.findings.map((f: any) => f.rule)).toEqual(['budget-ceiling']);
    expect(over.guardrails.declaredInWorkloadsFile).toEqual({
      file: 'w.json',
      nodePools: ['system'],
      budgetUsdPerHour: 0.5,
      daemonSetOverhead: { cpu: '125m', memory: '256Mi' },
    });
    expect(over.html).toContain('the budget of $0.50 per hour');
    const under = report({ guardrails: { budgetUsdPerHour: 500, nodePools: pools } });
    expect(under.run.code).toBe(0);
    expect(under.guardrails.findings).toEqual([]);
  });

  test('bad keys and values are one-line errors naming the file and the key', () => {
    const err = (guardrails: unknown) => {
      writeFile(dir, 'bad.json', JSON.stringify({ guardrails }));
      const run = runCli(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'bad.json', '--out', 'b.html'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')).toHaveLength(2);
      return run.stderr;
    };
    expect(err({ nodePool: [] })).toBe("cdk8s-ml-scaling: error: [bad.json] 'guardrails.nodePool' ([]) is not a key of \"guardrails\": "
      + 'use nodePools, budgetUsdPerHour, daemonSetOverhead\n');
    expect(err({ nodePools: [{ name: 'system', limit: {} }] })).toBe("cdk8s-ml-scaling: error: [bad.json] 'guardrails.nodePools[0].limit' ({}) "
      + 'is not a key of a node pool: use name, taints, labels, limits, weight, instanceTypes, reservedUsdPerHour, gpuSharing\n');
    expect(err({ nodePools: [{ name: 'r', reservedUsdPerHour: 0 }] })).toBe("cdk8s-ml-scaling: error: [bad.json] 'guardrails.nodePools[0].reservedUsdPerHour' (0) "
      + 'must be a number above 0: give what the pool\'s capacity reservations cost per hour in US dollars, used or not, e.g. "reservedUsdPerHour": 24.48\n');
    expect(err({ nodePools: [{ name: 's', gpuSharing: { timeSlicing: 1 } }] })).toBe("cdk8s-ml-scaling: error: [bad.json] 'guardrails.nodePools[0].gpuSharing.timeSlicing' (1) "
      + 'must be a whole number from 2 to 48: e.g. 4\n');
    expect(err({ nodePools: [{ name: 's', gpuSharing: { mig: '1g' } }] })).toContain("'guardrails.nodePools[0].gpuSharing.mig' (\"1g\") is not a MIG profile name");
    expect(err({ nodePools: [{ name: 's', gpuSharing: { timeSlicing: 4, mig: '1g.10gb' } }] })).toContain("'guardrails.nodePools[0].gpuSharing' ({");
    expect(err({ nodePools: [{ name: 'system', instanceTypes: ['m7i.2xlarge'] }] })).toBe('cdk8s-ml-scaling: error: [bad.json] '
      + "'guardrails.nodePools[0].instanceTypes[0]' (\"m7i.2xlarge\") is in neither InstanceCatalog.awsGpu() nor InstanceCatalog.designDocument(): "
      + 'give it in full, e.g. {"name": "m7i.2xlarge", "vcpus": 8, "memory": "32Gi", "gpus": 0, "priceUsdPerHour": 0.4032}\n');
    expect(err({ nodePools: [{ name: 'system', limits: { memory: 512 } }] })).toContain("[bad.json] 'guardrails.nodePools[0].limits.memory' (512) is not a memory quantity");
    expect(err({ nodePools: [{ name: 'a', taints: [{ key: 'k', effect: 'Never' }] }] })).toContain("'guardrails.nodePools[0].taints[0].effect' (\"Never\") is not a taint effect: "
      + 'use NoSchedule, PreferNoSchedule, NoExecute');
    expect(err({ budgetUsdPerHour: -1 })).toContain("[bad.json] 'guardrails.budgetUsdPerHour' (-1) must be a number above 0");
    expect(err({ daemonSetOverhead: { cpu: 'lots' } })).toContain("[bad.json] 'guardrails.daemonSetOverhead.cpu' (\"lots\") is not a CPU quantity");
    // What the library itself refuses comes back addressed to the file's key.
    expect(err({ nodePools: [{ name: 'system' }, { name: 'system' }] })).toMatch(/^cdk8s-ml-scaling: error: \[bad\.json\] 'guardrails\.nodePools\[1\]\.name' \("system"\) is already declared/);
  });
});

describe('report --app: shared GPUs are priced by their share', () => {
  const dir = tempDir('app-shared');
  writeFile(dir, 't.csv', TRACE);
  fs.mkdirSync(path.join(dir, 'app'));
  const app = Testing.app();
  const chart = new Chart(app, 'serving', { namespace: 'ml-serving' });
  new InferenceAutoscaler(chart, 'reranker', {
    name: 'reranker',
    modelServer: { image: 'example/reranker:1.4', gpu: GpuRequest.timeSliced({ gpuProduct: GpuProduct.L4 }) },
    maxReplicas: 8,
    metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })],
  });
  fs.writeFileSync(path.join(dir, 'app', 'serving.k8s.yaml'), Yaml.stringify(...Testing.synth(chart)));

  test('a time-sliced replica on a declared g6.2xlarge pool shared four ways costs a quarter of the instance, from the bill', () => {
    writeFile(dir, 'w.json', JSON.stringify({
      guardrails: {
        nodePools: [{
          name: 'l4-shared',
          instanceTypes: ['g6.2xlarge'],
          gpuSharing: { timeSlicing: 4 },
          taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
        }],
      },
    }));
    const run = runCli(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'w.json', '--out', 'r.html', '--json', 'r.json', '--fail-on-findings'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const reranker = json.app.workloads.find((w: any) => w.workload === 'ml-serving/reranker');
    // 0.9776 / 4 = 0.2444: one share of the one L4, not its vCPUs' share (0.9776 / 8 per vCPU).
    expect(reranker.assumptions).toContain('price per replica 0.2444 USD/h from the app\'s bill (a lower bound: one replica\'s pod requests, '
      + 'a group\'s for a LeaderWorkerSet, at its first pool\'s cheapest price per unit; give priceUsdPerHour in the workloads file for the real figure)');
    const line = json.app.guardrails.bill.workloads.find((w: any) => w.name === 'reranker');
    // Its worst case: 8 replicas + 2 surge pods, 10 shares.
    expect(line.worstCaseMicroUsdPerHour).toBe(10 * 244_400);
  });
});

describe('report --app on the example app with examples/inference.workloads.json', () => {
  test('prices the replicas the file gives no price from the bill: the reranker at its time-sliced quarter of a g6.2xlarge', () => {
    const dir = tempDir('app-example');
    fs.mkdirSync(path.join(dir, 'dist'));
    for (const chart of buildApp(Testing.app()).charts) {
      fs.writeFileSync(path.join(dir, 'dist', `${chart.node.id}.k8s.yaml`), Yaml.stringify(...Testing.synth(chart)));
    }
    writeFile(dir, 't.csv', TRACE);
    const workloads = path.join(__dirname, '..', '..', 'examples', 'inference.workloads.json');
    const run = runCli(['report', '--app', 'dist', '--workloads', workloads, '--trace', 't.csv', '--out', 'r.html', '--json', 'r.json'],
      { cwd: dir, progressAfterMs: Infinity });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const prices = Object.fromEntries(json.app.workloads.map((w: any) => [w.workload,
      (w.assumptions as string[]).map(a => /^price per replica ([0-9.]+) USD\/h from the app's bill/.exec(a)?.[1]).find(x => x !== undefined)]));
    // chat: one A10G (g5.xlarge); embeddings: 2 vCPU and 4 GiB of an m7i.2xlarge (0.4032 / 8 x 2); llama-70b: 4 of a p5.48xlarge's
    // 8 H100s; reranker: one of the 4 shares of g6.2xlarge's L4 (the manifests' ml-scaling/gpu-sharing label says time-sliced-4).
    // llama-8b-slo's price is the file's (a g6.2xlarge, above the bill's lower bound of one L4 on a g6.xlarge, 0.8048).
    // llama-405b: a replica of its LeaderWorkerSet is a group of 2 pods, each a whole p5.48xlarge (2 x 55.04), not one pod.
    expect(prices).toEqual({
      'ml-serving/chat': '1.006',
      'ml-serving/embeddings': '0.1008',
      'ml-serving/llama-70b': '27.52',
      'ml-serving/reranker': '0.2444',
      'ml-llm/llama-8b-slo': undefined,
      'ml-llm/llama-405b-lws': '110.08',
    });
  });
});

describe('report --app: bad input, one line each', () => {
  const dir = tempDir('app-errors');
  writeFile(dir, 't.csv', TRACE);
  synthApp(path.join(dir, 'app'), ScalingBehavior.realTime());
  const err = (argv: string[]) => {
    const run = runCli(argv, { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    return run.stderr;
  };

  test('a missing folder, an empty one, and bad YAML', () => {
    expect(err(['report', '--app', 'nope', '--trace', 't.csv'])).toBe("cdk8s-ml-scaling: error: [report] '--app' (\"nope\") is not a folder (no such folder): "
      + 'give the folder `cdk8s synth` writes, e.g. --app dist\n');
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(err(['report', '--app', 'empty', '--trace', 't.csv'])).toBe("cdk8s-ml-scaling: error: [report] '--app' (\"empty\") holds no Kubernetes object "
      + '(0 YAML files): run `npx cdk8s synth` first and give the folder it writes, e.g. --app dist\n');
    fs.mkdirSync(path.join(dir, 'bad'));
    writeFile(path.join(dir, 'bad'), 'a.k8s.yaml', 'kind: [unclosed\n');
    expect(err(['report', '--app', 'bad', '--trace', 't.csv'])).toMatch(/^cdk8s-ml-scaling: error: \[report --app a\.k8s\.yaml document 1\] 'yaml' \("a\.k8s\.yaml"\) is not valid YAML/);
  });

  test('options that need --app or --baseline, --config with --app, bad thresholds', () => {
    expect(err(['report', '--trace', 't.csv', '--baseline', 'app'])).toContain("'--baseline' (given without --app) applies to a synthesized app");
    expect(err(['report', '--app', 'app', '--trace', 't.csv', '--max-unserved-increase', '1%'])).toContain("'--max-unserved-increase' (given without --baseline)");
    expect(err(['report', '--app', 'app', '--config', 'realTime'])).toContain("'--config' (given with --app)");
    expect(err(['report', '--app', 'app', '--baseline', 'app', '--max-unserved-increase', '120%'])).toBe("cdk8s-ml-scaling: error: [report] '--max-unserved-increase' "
      + '("120%") must be a fraction from 0 to 1 or a percentage from 0% to 100%: e.g. --max-unserved-increase 0.5% (half a percentage point of requests) '
      + 'or --max-unserved-increase 0.005\n');
    expect(err(['report', '--app', 'app', '--baseline', 'app', '--max-cost-increase-usd-per-week', '-5'])).toContain("'--max-cost-increase-usd-per-week' (\"-5\") must be");
    expect(err(['report', '--app', 'app', '--fail-on-findings=yes'])).toContain("'--fail-on-findings' (\"yes\") takes no value");
  });

  test('no trace for a workload, an unknown workload, a bad key and a capacity below the target', () => {
    expect(err(['report', '--app', 'app'])).toBe("cdk8s-ml-scaling: error: [report] '--trace' (undefined) is needed for ml-serving/chat: give --trace traffic.csv "
      + 'for every workload, or "trace" for "ml-serving/chat" in the --workloads file\n');
    writeFile(dir, 'typo.json', JSON.stringify({ 'ml-serving/caht': { capacityPerReplica: 20 } }));
    expect(err(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'typo.json'])).toBe("cdk8s-ml-scaling: error: [typo.json] 'ml-serving/caht' "
      + '("ml-serving/caht") names no autoscaled workload of the app: use namespace/name or name of one of "ml-serving/chat, ml-serving/reranker", or "*" for all\n');
    writeFile(dir, 'key.json', JSON.stringify({ chat: { capacity: 20 } }));
    expect(err(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'key.json'])).toBe("cdk8s-ml-scaling: error: [key.json] 'chat.capacity' (20) "
      + 'is not a key of a workload: use trace, scale, capacityPerReplica, timeToReady, metricDelay, metricWindow, priceUsdPerHour, metric\n');
    writeFile(dir, 'low.json', JSON.stringify({ chat: { capacityPerReplica: 10 } }));
    expect(err(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'low.json'])).toBe('cdk8s-ml-scaling: error: [report ml-serving/chat] '
      + "'capacityPerReplica' (10) is below the per-replica target of Pods scaling_request_rate (15): the autoscaler would add replicas only once they are "
      + 'overloaded; give what one replica serves at full utilization, at least the target\n');
    expect(err(['report', '--app', 'app', '--trace', 't.csv', '--workloads', 'missing.json'])).toBe("cdk8s-ml-scaling: error: [report] '--workloads' "
      + '("missing.json") cannot be read (no such file): give the path of a JSON workloads file\n');
  });

  test('--help lists the app options', () => {
    const run = runCli(['report', '--help']);
    for (const o of ['--app', '--baseline', '--workloads', '--json', '--max-unserved-increase', '--max-cost-increase-usd-per-week', '--fail-on-findings',
      '"guardrails"', '"nodePools"', '"budgetUsdPerHour"', '"daemonSetOverhead"', '"instanceTypes"']) {
      expect(run.stdout).toContain(o);
    }
  });
});
