import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
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

function guardrailsOf(app: App): ScalingGuardrails {
  return app.node.findAll().find(c => c instanceof ScalingGuardrails) as ScalingGuardrails;
}

/** Objects of the tree whose `toJson` is their own property rather than their class's. */
function replacedToJson(scope: IConstruct): string[] {
  return scope.node.findAll().filter(c => c instanceof ApiObject && Object.prototype.hasOwnProperty.call(c, 'toJson')).map(c => c.node.path);
}

describe('the guardrails leave the objects alone', () => {
  test('a chart synthesizes to the same manifests with and without guardrails', () => {
    const plain = build(false);
    const guarded = build(true);
    expect(Testing.synth(guarded.a)).toEqual(Testing.synth(plain.a));
    expect(Testing.synth(guarded.b)).toEqual(Testing.synth(plain.b));
    expect(guarded.app.synthYaml()).toEqual(plain.app.synthYaml());
  });

  test('no object\'s toJson is replaced, by a check(), a validation or a synthesis', () => {
    const { app, a } = build(true);
    guardrailsOf(app).check();
    expect(replacedToJson(app)).toEqual([]);
    guardrailsOf(app).node.validate();
    expect(replacedToJson(app)).toEqual([]);
    Testing.synth(a);
    expect(replacedToJson(app)).toEqual([]);
    app.synthYaml();
    expect(replacedToJson(app)).toEqual([]);
  });

  test('the pass turns no library object into JSON: each HPA is serialized once, by the synthesis of its chart', () => {
    const { app, a } = build(true);
    expect(guardrailsOf(app).check().objectsRead).toBe(0);
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      Testing.synth(a);
      const hpas = spy.mock.contexts.filter((o: any) => o.kind === 'HorizontalPodAutoscaler').map((o: any) => o.node.path);
      expect(hpas.sort()).toEqual(['a/s0/Resource', 'a/s1/Resource']);
    } finally {
      spy.mockRestore();
    }
  });

  test('the results are the same before and after a synthesis, and from check() and the validation', () => {
    const { app, a } = build(true);
    const guardrails = guardrailsOf(app);
    const before = guardrails.check();
    expect(guardrails.node.validate()).toEqual([]);
    Testing.synth(a);
    app.synthYaml();
    expect(guardrails.check()).toEqual(before);
    expect(before).toMatchObject({ findings: [], workloadsChecked: 4, objectsRead: 0 });
  });

  test('a change after one chart\'s synthesis shows in the next chart\'s synthesis', () => {
    const { a, b, services } = build(true);
    Testing.synth(a); // its pass read chart b's autoscalers too
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
