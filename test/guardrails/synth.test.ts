import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { chatService, G5, guard, newApp, poolProps } from './util';
import { CostAwareNodePool, ScalingGuardrails } from '../../src';

function brokenApp() {
  const { app, chart } = newApp();
  chatService(chart, 'chat', 4);
  chatService(chart, 'embed', 4);
  return { app, chart };
}

describe('ScalingGuardrails at synth', () => {
  test('app.synth() fails with every finding listed, and writes nothing', () => {
    const { app } = brokenApp();
    guard(app);
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n' +
      "  [Guardrails] [apps/chat] gpu-placement: Deployment 'chat' (1 GPU per pod, nodeSelector karpenter.k8s.aws/instance-gpu-name=a10g) " +
      'fits no GPU node pool: the app has none and none is declared: add a node pool that offers these GPUs and whose taints the pods ' +
      'tolerate (e.g. a CostAwareNodePool with such instance types), make the workload select a GPU that a pool offers, or declare the pool ' +
      "that will host it in the ScalingGuardrails 'nodePools'\n" +
      "  [Guardrails] [apps/embed] gpu-placement: Deployment 'embed' (1 GPU per pod");
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test('Testing.synth of any chart fails too: cdk8s validates the whole app', () => {
    const { app, chart } = brokenApp();
    const other = new Chart(app, 'other');
    guard(app);
    expect(() => Testing.synth(chart)).toThrow(/\[Guardrails\] \[apps\/chat\] gpu-placement: /);
    expect(() => Testing.synth(other)).toThrow(/\[Guardrails\] \[apps\/embed\] gpu-placement: /);
  });

  test('check() returns the same findings without throwing', () => {
    const { app } = brokenApp();
    const report = guard(app).check();
    expect(report.findings.map(f => [f.rule, f.path])).toEqual([['gpu-placement', 'apps/chat'], ['gpu-placement', 'apps/embed']]);
    expect(report.workloadsChecked).toBe(2);
  });

  test('an app that passes synthesizes exactly the objects it would without the guardrails', () => {
    const build = (withGuardrails: boolean) => {
      const { app, chart } = newApp();
      chatService(chart, 'chat', 4);
      new CostAwareNodePool(chart, 'a10g', poolProps('a10g', [G5.x2large]));
      if (withGuardrails) new ScalingGuardrails(app, 'Guardrails', { budgetUsdPerHour: 10 });
      return app.synthYaml();
    };
    expect(build(true)).toEqual(build(false));
  });

  test('checks only what is below the scope it is added to', () => {
    const { app, chart } = brokenApp();
    const quiet = new Chart(app, 'quiet');
    const g = new ScalingGuardrails(quiet, 'Guardrails');
    expect(g.check().findings).toEqual([]);
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
