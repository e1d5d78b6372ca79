import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { GuardrailRule, InferenceAutoscaler, ScalingGuardrails, ScalingMetric } from '../../src';

/** Two charts of two autoscaled services each; with guardrails on the app or not. */
function build(guardrails: boolean): { app: App; a: Chart; b: Chart; services: InferenceAutoscaler[] } {
  const app = Testing.app();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  const services = [a, a, b, b].map((chart, i) => new InferenceAutoscaler(chart, `s${i}`, {
    modelServer: { image: 'vllm/vllm-openai:v0.12.0' },
    minReplicas: 2,
    maxReplicas: 4,
    metrics: [ScalingMetric.requestsPerSecond(5)],
  }));
  if (guardrails) new ScalingGuardrails(app, 'guardrails');
  return { app, a, b, services };
}

describe('the guardrail pass hands its JSON to the synthesis that follows it', () => {
  test('a chart synthesizes to the same manifests with and without guardrails', () => {
    const plain = build(false);
    const guarded = build(true);
    expect(Testing.synth(guarded.a)).toEqual(Testing.synth(plain.a));
    expect(Testing.synth(guarded.b)).toEqual(Testing.synth(plain.b));
    expect(guarded.app.synthYaml()).toEqual(plain.app.synthYaml());
  });

  test('each Deployment of the synthesized chart is serialized once, not once for the pass and once for the output', () => {
    const { a, services } = build(true);
    const kube = ApiObject.of(services[0].deployment);
    // The Deployments are plain ApiObjects: count the serializations of Deployments among all objects'.
    const spy = jest.spyOn(Object.getPrototypeOf(kube), 'toJson');
    try {
      Testing.synth(a);
      // The pass reads all four Deployments; chart a's two are then taken from the pass.
      expect(spy.mock.contexts.filter(o => (o as ApiObject).kind === 'Deployment')).toHaveLength(4);
    } finally {
      spy.mockRestore();
    }
  });

  test('a change after one chart\'s synthesis shows in the next chart\'s synthesis', () => {
    const { a, b, services } = build(true);
    Testing.synth(a); // its pass read chart b's Deployments too
    ApiObject.of(services[2].deployment).metadata.addLabel('changed', 'yes');
    const deployment = Testing.synth(b).find(m => m.kind === 'Deployment' && m.metadata.name === services[2].deployment.name);
    expect(deployment.metadata.labels.changed).toBe('yes');
  });

  test('a change after a synthesis shows in a direct toJson() of the object', () => {
    const { a, services } = build(true);
    Testing.synth(a);
    const kube = ApiObject.of(services[3].deployment);
    kube.metadata.addLabel('changed', 'yes');
    expect(kube.toJson().metadata.labels.changed).toBe('yes');
  });

  test('a toJson() outside a chart synthesis never takes the pass\'s JSON', () => {
    const { app, services } = build(true);
    const guardrails = app.node.findAll().find(c => c instanceof ScalingGuardrails)!;
    guardrails.node.validate(); // a pass, as App.synth runs before the charts
    const kube = ApiObject.of(services[0].deployment);
    kube.metadata.addLabel('changed', 'yes');
    expect(kube.toJson().metadata.labels.changed).toBe('yes');
  });

  test('objects annotated by a suppression after the pass read them are serialized with the annotation', () => {
    const { app } = build(true);
    // A chart after the guardrails in the tree: its suppression's validation runs after the pass.
    const c = new Chart(app, 'c');
    ScalingGuardrails.suppress(c, GuardrailRule.POOL_CAPACITY, 'capped by a quota');
    // Created after suppress(): annotated by the suppression's validation, not by suppress() itself.
    const service = new InferenceAutoscaler(c, 'late', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0' }, minReplicas: 2, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(5)],
    });
    const manifests = Testing.synth(c);
    const deployment = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === service.deployment.name);
    expect(deployment.metadata.annotations['guardrails.cdk8s-ml-scaling.io/pool-capacity']).toBe('capped by a quota');
  });
});
