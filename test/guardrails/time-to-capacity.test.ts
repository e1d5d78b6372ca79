import { ApiObject, Duration, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { guard, messages, newApp } from './util';
import {
  BatchInferenceJob, EdgeInference, GpuProduct, GpuRequest, GuardrailRule, InferenceAutoscaler, LargeModelServing, ModelArchitecture,
  ModelServerProps, ModelWeights, PredictiveScaling, ScalingEngine, ScalingGuardrails, ScalingMetric, StartupEstimate,
} from '../../src';

/** 240 + 120 + 600 + 60 = 1,020 s to ready; 660 s of it after the container starts. */
const ESTIMATE: StartupEstimate = {
  nodeProvisioning: Duration.minutes(4),
  imagePull: Duration.minutes(2),
  modelLoad: Duration.minutes(10),
  warmUp: Duration.seconds(60),
};

function server(overrides: Partial<ModelServerProps> = {}): ModelServerProps {
  return {
    image: 'vllm/vllm-openai:v0.12.0',
    cpu: kplus.Cpu.units(4),
    memory: Size.gibibytes(16),
    gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    startupEstimate: ESTIMATE,
    ...overrides,
  };
}

function chat(scope: Construct, overrides: Partial<ModelServerProps> = {}, metrics = [ScalingMetric.waitingRequests(5)],
  engine?: ScalingEngine): InferenceAutoscaler {
  return new InferenceAutoscaler(scope, 'chat', { name: 'chat', modelServer: server(overrides), maxReplicas: 20, metrics, engine });
}

/** Hourly requests per second over two days from Monday 3 March 2025 in Berlin (PredictiveScaling's example). */
const TWO_DAYS = [12, 9, 8, 8, 10, 20, 45, 70, 80, 85, 90, 88, 86, 84, 80, 75, 70, 60, 50, 40, 30, 22, 16, 13,
  11, 9, 8, 9, 11, 21, 47, 72, 83, 86, 92, 90, 87, 85, 82, 76, 71, 62, 51, 41, 31, 23, 17, 14];

function plan(leadTime: Duration): PredictiveScaling {
  return PredictiveScaling.plan({
    history: TWO_DAYS,
    interval: Duration.hours(1),
    startTime: new Date('2025-03-02T23:00:00Z'),
    timeZone: 'Europe/Berlin',
    capacityPerReplica: 10,
    minReplicas: 2,
    maxReplicas: 20,
    leadTime,
  });
}

const RULE = GuardrailRule.TIME_TO_CAPACITY;

describe('time-to-capacity', () => {
  test('fails at construction when modelLoadTimeout leaves the startup probe short of the estimate', () => {
    expect(() => chat(newApp().chart, { modelLoadTimeout: Duration.minutes(5) })).toThrow(
      "[apps/chat] 'modelServer.modelLoadTimeout' (5 minutes) lets the kubelet restart the server 290 s after it starts (startup probe " +
      'failureThreshold 30 x periodSeconds 10, the first probe counting at once), before the 660 s the startupEstimate gives the model load ' +
      'and warm-up: every new replica would restart in a loop: leave modelLoadTimeout out so that the probe follows the estimate, or raise ' +
      'it to at least Duration.seconds(990)');
    // 670 s: failureThreshold 67, the earliest restart 660 s after the start, just enough.
    expect(() => chat(newApp().chart, { modelLoadTimeout: Duration.seconds(670) })).not.toThrow();
  });

  test('fails when a patched probe and deadline fall short of the estimate', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    // What modelLoadTimeout: Duration.minutes(5) wrote before it became a construction error: 30 probes, a 900 s deadline.
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/startupProbe/failureThreshold', 30));
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/progressDeadlineSeconds', 900));
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/chat] time-to-capacity: Deployment 'chat' container 'model-server': the kubelet may restart it 290 s after it starts (startup " +
      'probe: initialDelaySeconds 0 + (failureThreshold 30 - 1) x periodSeconds 10), before the 660 s its startup estimate gives the model ' +
      'load and warm-up: short by 370 s, so every new replica restarts in a loop and is never ready: leave modelLoadTimeout out so that the ' +
      'probe follows the estimate (or raise it to at least 990 s), or correct the estimate',
      "[apps/chat] time-to-capacity: Deployment 'chat' has progressDeadlineSeconds 900, shorter than the 1020 s a new replica takes to become " +
      'ready (node provisioning 240 s + image pull 120 s + model load 600 s + warm-up 60 s): short by 120 s, so a rollout whose new pods need ' +
      'a new node is marked ProgressDeadlineExceeded and `kubectl rollout status` fails: set spec.progressDeadlineSeconds to at least 1530 ' +
      '(a model server without modelLoadTimeout sets it from the estimate), or correct the estimate',
    ]);
  });

  test('passes when the probe budget and the deadline follow the estimate (no modelLoadTimeout)', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    expect(messages(guard(app), RULE)).toEqual([]);
    const spec = (c.deployment.toJson() as any).spec;
    // failureThreshold ceil(1.5 x 660 / 10) + 1 = 100: the kubelet restarts no earlier than 990 s; deadline 1,000 + 600.
    expect(spec.template.spec.containers[0].startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 100 });
    expect(spec.progressDeadlineSeconds).toBe(1600);
  });

  test('the deadline margin covers a long node provisioning and pull (1.5 x, above the 10 minutes)', () => {
    const { chart } = newApp();
    const c = chat(chart, { startupEstimate: { ...ESTIMATE, nodeProvisioning: Duration.minutes(15) } });
    // 1,000 + ceil(1.5 x (900 + 120)) = 1,000 + 1,530.
    expect((c.deployment.toJson() as any).spec.progressDeadlineSeconds).toBe(2530);
  });

  test('a patched progress deadline is read from the manifest', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/progressDeadlineSeconds', 600));
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === RULE).map(f => f.message)).toEqual([expect.stringContaining(
      "Deployment 'chat' has progressDeadlineSeconds 600, shorter than the 1020 s a new replica takes to become ready")]);
    // The Deployment and its HPA.
    expect(report.objectsRead).toBe(2);
  });

  test('a download of the weights counts toward the deadline, not the probe', () => {
    const { app, chart } = newApp();
    const c = chat(chart, {
      modelWeights: ModelWeights.download({
        uri: 's3://models/chat', image: 'amazon/aws-cli:2.27.50', size: Size.gibibytes(140), transferMibPerSecond: 1024,
      }),
    });
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/progressDeadlineSeconds', 1100));
    const guardrails = guard(app);
    expect(messages(guardrails, RULE)).toEqual([
      "[apps/chat] time-to-capacity: Deployment 'chat' has progressDeadlineSeconds 1100, shorter than the 1160 s a new replica takes to become " +
      'ready (node provisioning 240 s + image pull 120 s + weight download 140 s + model load 600 s + warm-up 60 s): short by 60 s, so a ' +
      'rollout whose new pods need a new node is marked ProgressDeadlineExceeded and `kubectl rollout status` fails: set ' +
      'spec.progressDeadlineSeconds to at least 1740 (a model server without modelLoadTimeout sets it from the estimate), or correct the estimate',
    ]);
    expect(guardrails.check().timeToCapacity[0].timeToReady.toSeconds()).toBe(1160);
  });

  test('a liveness probe counts when there is no startup probe', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    c.deployment.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/startupProbe'));
    expect(messages(guard(app), RULE)).toEqual([expect.stringContaining(
      "container 'model-server': the kubelet may restart it 45 s after it starts (liveness (it has no startup probe) probe: " +
      'initialDelaySeconds 0 + (failureThreshold 4 - 1) x periodSeconds 15)')]);
  });

  test('fails when a predictive lead time is shorter than the estimate, and passes when it is not', () => {
    const short = newApp();
    chat(short.chart, {}, ScalingMetric.predictedWindows(plan(Duration.minutes(10)), [ScalingMetric.requestsPerSecond(10)]), ScalingEngine.keda());
    expect(messages(guard(short.app), RULE)).toEqual([
      "[apps/chat] time-to-capacity: ScaledObject 'chat' holds predictive windows that start 600 s before the forecast load (PredictiveScaling " +
      'leadTime), less than the 1020 s a new replica takes to become ready (node provisioning 240 s + image pull 120 s + model load 600 s + ' +
      'warm-up 60 s): the first of a window\'s new replicas is ready 420 s after the load arrives; maxReplicas (20) from minReplicas (2) is ' +
      'ready 1185 s after a window starts under the scale-up policies: plan with a leadTime of at least Duration.minutes(17), or shorten the ' +
      'startup (nodes kept free, a pre-pulled image, weights on a local volume)',
    ]);
    const long = newApp();
    chat(long.chart, {}, ScalingMetric.predictedWindows(plan(Duration.minutes(20)), [ScalingMetric.requestsPerSecond(10)]), ScalingEngine.keda());
    const report = guard(long.app).check();
    expect(report.findings.filter(f => f.rule === RULE)).toEqual([]);
    expect(report.timeToCapacity[0].predictiveLeadTime!.toMinutes()).toBe(20);
  });

  test('a suppression silences it', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/startupProbe/failureThreshold', 30));
    c.deployment.addJsonPatch(JsonPatch.replace('/spec/progressDeadlineSeconds', 900));
    ScalingGuardrails.suppress(c, RULE, 'the weights are cached on the node');
    const report = guard(app).check();
    expect(report.findings.filter(f => f.rule === RULE)).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.rule === RULE).map(f => f.suppressionReason)).toEqual(
      ['the weights are cached on the node', 'the weights are cached on the node']);
  });

  test('reports the time to the first and to the last replica under the HPA\'s scale-up policies', () => {
    const { app, chart } = newApp();
    chat(chart);
    const [entry] = guard(app).check().timeToCapacity;
    // ScalingBehavior.standard(): the 60 s window holds until 45 s, then 2 -> 6 -> 12 -> 20 at 45, 105 and 165 s.
    expect({
      workload: entry.workload,
      timeToReady: entry.timeToReady.toSeconds(),
      first: entry.firstReplicaReady!.toSeconds(),
      last: entry.maxReplicasReady!.toSeconds(),
      min: entry.minReplicas,
      max: entry.maxReplicas,
      owner: entry.scalingOwner,
      probe: entry.startupProbeBudget!.toSeconds(),
      deadline: entry.progressDeadline!.toSeconds(),
    }).toEqual({
      workload: 'apps/chat',
      timeToReady: 1020,
      first: 1065,
      last: 1185,
      min: 2,
      max: 20,
      owner: "HorizontalPodAutoscaler 'chat'",
      probe: 990,
      deadline: 1600,
    });
  });

  test('a hand-written HPA behavior and a KEDA ScaledObject at zero are stepped as synthesized', () => {
    const { app, chart } = newApp();
    const c = chat(chart, {}, [ScalingMetric.waitingRequests(5)], ScalingEngine.keda());
    // KEDA's HPA gets the default behavior (no window, 4 pods or 100% per 15 s); minReplicaCount 0 activates one replica first.
    c.scaledObject!.addJsonPatch(JsonPatch.replace('/spec/minReplicaCount', 0));
    c.scaledObject!.addJsonPatch(JsonPatch.replace('/spec/advanced/horizontalPodAutoscalerConfig/behavior', {}));
    const [entry] = guard(app).check().timeToCapacity;
    // 0 -> 1 (KEDA), then 1 -> 5 -> 10 -> 20 at 0, 15 and 30 s.
    expect([entry.minReplicas, entry.firstReplicaReady!.toSeconds(), entry.maxReplicasReady!.toSeconds()]).toEqual([0, 1020, 1050]);
  });

  test('a behavior the API server would refuse leaves the times out of the report, not the workload', () => {
    const { app, chart } = newApp();
    const c = chat(chart);
    c.hpa!.addJsonPatch(JsonPatch.replace('/spec/behavior/scaleUp/policies/0/periodSeconds', 0));
    const [entry] = guard(app).check().timeToCapacity;
    expect([entry.workload, entry.timeToReady.toSeconds(), entry.firstReplicaReady, entry.maxReplicasReady]).toEqual(['apps/chat', 1020, undefined, undefined]);
  });

  test('a Job and a fixed Deployment get all their pods at once', () => {
    const { app, chart } = newApp();
    new BatchInferenceJob(chart, 'batch', { image: 'example/embedder:1.4.0', parallelism: 8, startupEstimate: ESTIMATE });
    new EdgeInference(chart, 'edge', { name: 'edge', modelServer: { image: 'example/detector:3.2', startupEstimate: ESTIMATE } });
    const report = guard(app).check();
    expect(report.timeToCapacity.map(e => [e.workload, e.maxReplicas, e.firstReplicaReady!.toSeconds(), e.maxReplicasReady!.toSeconds(),
      e.scalingOwner])).toEqual([['apps/batch', 8, 1020, 1020, undefined], ['apps/edge', 1, 1020, 1020, undefined]]);
    expect(report.findings.filter(f => f.rule === RULE)).toEqual([]);
  });

  test('LargeModelServing loads its sized weights at the stated rate', () => {
    const { app, chart } = newApp();
    const lms = new LargeModelServing(chart, 'llama', {
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_8B,
      modelId: 'meta-llama/Llama-3.1-8B-Instruct',
      gpuProduct: GpuProduct.A10G,
      maxReplicas: 4,
      startupEstimate: { nodeProvisioning: Duration.minutes(4), imagePull: Duration.minutes(2), weightLoadMibPerSecond: 200 },
    });
    const mib = lms.sizing.weights.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024;
    const load = Math.ceil(mib / 200);
    expect(lms.footprint.startupEstimate!.modelLoad!.toSeconds()).toBe(load);
    const [entry] = guard(app).check().timeToCapacity;
    expect(entry.timeToReady.toSeconds()).toBe(240 + 120 + load);
  });

  test('workloads without an estimate are not read', () => {
    const { app, chart } = newApp();
    chat(chart, { startupEstimate: undefined });
    const report = guard(app).check();
    expect(report.timeToCapacity).toEqual([]);
    expect(report.objectsRead).toBe(0);
  });

  test('fails for a weight rate on a model server, which does not know its weights', () => {
    expect(() => chat(newApp().chart, { startupEstimate: { ...ESTIMATE, modelLoad: undefined, weightLoadMibPerSecond: 300 } })).toThrow(
      "[apps/chat] 'modelServer.startupEstimate.weightLoadMibPerSecond' (300) needs the size of the weights, which only LargeModelServing " +
      'knows: give modelLoad instead (TimeToCapacity.estimate turns weights and a rate into one)');
    expect(() => chat(newApp().chart, { startupEstimate: { nodeProvisioning: Duration.minutes(4) } as any })).toThrow(
      "[apps/chat] 'modelServer.startupEstimate.imagePull' (undefined) is missing: give the pull time");
  });

  test('the rule id is in the report of an app that has none of it', () => {
    const { app, chart } = newApp();
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(guard(app).check().timeToCapacity).toEqual([]);
  });
});
