import { ApiObject, Chart, Testing } from 'cdk8s';
import { CostAwareNodePool, GuardrailRule, ScalingGuardrails } from '../../src';
import { RULE_IDS } from '../../src/guardrails/engine/rule-ids';
import { expectConformant } from '../conformance';
import { a10gPool, chatService, G5, guard, newApp, poolProps } from './util';

const KEY = 'guardrails.cdk8s-ml-scaling.io/gpu-placement';

describe('ScalingGuardrails.suppress', () => {
  test('silences the rule for the construct, keeps the finding with its reason, and annotates every object below it', () => {
    const { app, chart } = newApp();
    const chat = chatService(chart, 'chat', 2);
    ScalingGuardrails.suppress(chat, GuardrailRule.GPU_PLACEMENT, 'runs on the research cluster\'s GPU nodes');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings).toEqual([expect.objectContaining({
      rule: GuardrailRule.GPU_PLACEMENT, path: 'apps/chat', suppressionReason: 'runs on the research cluster\'s GPU nodes',
    })]);
    const manifests = expectConformant(chart);
    // The prometheus-adapter ConfigMap is the chart's, shared by every autoscaler: not below chat.
    const below = manifests.filter(m => m.kind !== 'ConfigMap');
    expect(below.map(m => [m.kind, m.metadata.annotations?.[KEY]])).toEqual(below.map(m => [m.kind, 'runs on the research cluster\'s GPU nodes']));
    expect(manifests.find(m => m.kind === 'ConfigMap').metadata.annotations?.[KEY]).toBeUndefined();
  });

  test('a suppression on a scope covers everything below it, objects added later included; the nearest reason wins', () => {
    const { app, chart } = newApp();
    ScalingGuardrails.suppress(chart, GuardrailRule.GPU_PLACEMENT, 'the whole team runs elsewhere');
    const chat = chatService(chart, 'chat', 2);
    chatService(chart, 'embed', 2);
    ScalingGuardrails.suppress(chat, GuardrailRule.GPU_PLACEMENT, 'chat has its own pool');
    guard(app);
    const manifests = Testing.synth(chart);
    const reasons = new Set(manifests.map(m => `${m.metadata.name}: ${m.metadata.annotations?.[KEY]}`));
    expect(reasons).toEqual(new Set([
      'chat: chat has its own pool', 'embed: the whole team runs elsewhere', 'prometheus-adapter-scaling-rules: the whole team runs elsewhere',
    ]));
  });

  test('suppressing a rule nothing violates is allowed and listed as unused', () => {
    const { app, chart } = newApp();
    const pool = new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large]));
    chatService(chart, 'chat', 2);
    ScalingGuardrails.suppress(pool, GuardrailRule.POOL_CAPACITY, 'a burst above the limits queues by design');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.unusedSuppressions).toEqual(['capacity/a10g: pool-capacity']);
  });

  test('a pool-capacity finding is suppressed on the pool; a budget finding on the ScalingGuardrails', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 30);
    const g = guard(app, { budgetUsdPerHour: 1, nodePools: [a10gPool('a10g', { limits: { gpus: 10 }, instanceTypes: [G5.x2large] })] });
    expect(g.check().findings.map(f => [f.rule, f.path])).toEqual([['pool-capacity', 'Guardrails'], ['budget-ceiling', 'Guardrails']]);
    ScalingGuardrails.suppress(g, GuardrailRule.POOL_CAPACITY, 'bursts queue');
    ScalingGuardrails.suppress(g, GuardrailRule.BUDGET_CEILING, 'approved by finance for the launch week');
    expect(g.check().findings).toEqual([]);
    expect(g.check().suppressedFindings.map(f => f.suppressionReason)).toEqual(['bursts queue', 'approved by finance for the launch week']);
  });

  test('fails on an empty reason', () => {
    const { chart } = newApp();
    const chat = chatService(chart, 'chat', 2);
    expect(() => ScalingGuardrails.suppress(chat, GuardrailRule.GPU_PLACEMENT, '  ')).toThrow(
      "[apps/chat] 'reason' (\"  \") is empty, and a suppression of gpu-placement must say why: give the reason the rule does not apply " +
      'here, e.g. "the dashboard is behind an authenticating proxy"');
  });

  test('fails on a rule that does not exist', () => {
    const { chart } = newApp();
    expect(() => ScalingGuardrails.suppress(chart, 'no-such-rule' as GuardrailRule, 'x')).toThrow(
      `[apps] 'rule' ("no-such-rule") is not a guardrail rule: use one of ${RULE_IDS.join(', ')} (GuardrailRule)`);
  });

  test('fails when the construct, the rule or the reason has the wrong type', () => {
    const { app, chart } = newApp();
    expect(() => ScalingGuardrails.suppress(undefined as any, GuardrailRule.GPU_PLACEMENT, 'x')).toThrow(
      "[ScalingGuardrails.suppress] 'construct' (undefined) must be a construct, not undefined: "
      + 'pass the construct the rule does not apply to (a chart, or a construct in it)');
    expect(() => ScalingGuardrails.suppress({ node: 'apps/chat' } as any, GuardrailRule.GPU_PLACEMENT, 'x')).toThrow(
      "[ScalingGuardrails.suppress] 'construct' ({\"node\":\"apps/chat\"}) must be a construct, not an object");
    expect(() => ScalingGuardrails.suppress(chart, GuardrailRule.GPU_PLACEMENT, false as any)).toThrow(
      "[apps] 'reason' (false) must be a string, not a boolean: give the reason the rule does not apply here, "
      + 'e.g. "the dashboard is behind an authenticating proxy"');
    expect(() => ScalingGuardrails.suppress(app, 3 as any, 'x')).toThrow(
      `[App] 'rule' (3) is not a guardrail rule: use one of ${RULE_IDS.join(', ')} (GuardrailRule)`);
  });

  test('every rule id makes a valid annotation key, and GuardrailRule has exactly the ids the rules use', () => {
    expect(Object.values(GuardrailRule).sort()).toEqual([...RULE_IDS].sort());
    const { chart } = newApp();
    const o = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    for (const rule of Object.values(GuardrailRule)) ScalingGuardrails.suppress(o, rule, `reason for ${rule}`);
    const [cm] = expectConformant(chart);
    expect(Object.keys(cm.metadata.annotations)).toHaveLength(RULE_IDS.length);
  });
});
