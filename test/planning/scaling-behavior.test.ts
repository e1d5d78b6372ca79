import { Duration, Testing } from 'cdk8s';
import { HpaAlgorithm, HpaScalingPolicyType, HpaSelectPolicy, ScalingBehavior } from '../../src';
import { KUBERNETES_CHECK } from '../conformance/operators/kubernetes';

describe('ScalingBehavior', () => {
  test('the real-time preset scales up fast and down slowly', () => {
    expect(ScalingBehavior.realTime().toJson()).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 30,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 10, periodSeconds: 30 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 600,
        selectPolicy: 'Min',
        policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 2, periodSeconds: 60 }],
      },
    });
  });

  test('the standard preset follows the design document', () => {
    expect(ScalingBehavior.standard().toJson()).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }],
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
    });
  });

  test('the presets say in words what they allow', () => {
    expect(ScalingBehavior.realTime().describe()).toBe(
      'real-time: up: after a 30 s stabilization window, +100% per 30 s or +10 pods per 30 s (the larger); '
      + 'down: after a 600 s stabilization window, -10% per 60 s or -2 pods per 60 s (the smaller)');
    expect(ScalingBehavior.standard().describe()).toBe(
      'standard: up: after a 60 s stabilization window, +100% per 60 s or +4 pods per 60 s (the larger); '
      + 'down: after a 300 s stabilization window, -25% per 60 s');
  });

  test('a custom behavior leaves out what it does not set, so the API defaults apply', () => {
    const b = ScalingBehavior.custom({ scaleDown: { stabilizationWindow: Duration.minutes(15) } });
    expect(b.toJson()).toStrictEqual({ scaleDown: { stabilizationWindowSeconds: 900 } });
    expect(b.describe()).toBe('custom: up: Kubernetes defaults (100% or 4 pods per 15 s); down: after a 900 s stabilization window, Kubernetes default policies');
    expect(ScalingBehavior.custom({}).describe()).toBe(
      'custom: up: Kubernetes defaults (100% or 4 pods per 15 s); down: Kubernetes defaults (300 s window, 100% per 15 s)');
  });

  test('a direction disabled with an empty policy list is written without policies, which the API server accepts', () => {
    const b = ScalingBehavior.custom({ scaleDown: { selectPolicy: HpaSelectPolicy.DISABLED, policies: [] } });
    // The old output, `{ policies: [], selectPolicy: 'Disabled' }`, is kept by defaulting and refused by HPA validation.
    expect(b.toJson()).toStrictEqual({ scaleDown: { selectPolicy: 'Disabled' } });
    expect(KUBERNETES_CHECK.check([hpaWith(b.toJson())])).toEqual([]);
    expect(KUBERNETES_CHECK.check([hpaWith({ scaleDown: { selectPolicy: 'Disabled', policies: [] } })])).toEqual([
      expect.stringContaining('spec.behavior.scaleDown.policies: Required value: must specify at least one Policy'),
    ]);
  });

  test('a disabled direction keeps the policies it was given', () => {
    const policies = [{ type: HpaScalingPolicyType.PODS, value: 1, period: Duration.minutes(1) }];
    expect(ScalingBehavior.custom({ scaleUp: { selectPolicy: HpaSelectPolicy.DISABLED, policies } }).toJson())
      .toStrictEqual({ scaleUp: { selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } });
  });

  test('a disabled direction is described as never', () => {
    const b = ScalingBehavior.custom({
      scaleDown: { selectPolicy: HpaSelectPolicy.DISABLED },
      scaleUp: { policies: [{ type: HpaScalingPolicyType.PODS, value: 1, period: Duration.minutes(1) }] },
    });
    expect(b.describe()).toBe('custom: up: after a 0 s stabilization window, +1 pods per 60 s; down: never');
  });

  test('exposes its rules as given, read-only, with Durations', () => {
    const b = ScalingBehavior.realTime();
    expect(b.scaleUp!.stabilizationWindow!.toSeconds()).toBe(30);
    expect(b.scaleDown!.selectPolicy).toBe(HpaSelectPolicy.MIN);
    expect(b.scaleDown!.policies!.map(p => [p.type, p.value, p.period.toSeconds()])).toEqual([['Percent', 10, 60], ['Pods', 2, 60]]);
    expect(ScalingBehavior.custom({ scaleUp: { selectPolicy: HpaSelectPolicy.MIN } }).scaleDown).toBeUndefined();
  });

  test('keeps its own copy of the rules: changing the arrays given later changes nothing', () => {
    const policies = [{ type: HpaScalingPolicyType.PODS, value: 2, period: Duration.seconds(30) }];
    const b = ScalingBehavior.custom({ scaleUp: { policies } });
    policies.push({ type: HpaScalingPolicyType.PERCENT, value: 50, period: Duration.seconds(30) });
    expect(b.toJson()).toEqual({ scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] } });
  });

  test('HpaAlgorithm.effectiveBehavior fills every field and keeps the name and the recommended minimum', () => {
    const filled = HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({ scaleDown: { stabilizationWindow: Duration.minutes(15) } }));
    expect(filled.name).toBe('custom');
    expect(filled.recommendedMinReplicas).toBe(2);
    expect(filled.toJson()).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 900, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(HpaAlgorithm.effectiveBehavior(ScalingBehavior.realTime()).toJson()).toEqual(ScalingBehavior.realTime().toJson());
  });
});

/** An autoscaling/v2 HPA with this behavior. */
function hpaWith(behavior: unknown): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'chat' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, minReplicas: 1, maxReplicas: 3, behavior },
  };
}

describe('ScalingBehavior tolerances (Kubernetes 1.33+ behavior.scaleUp/scaleDown.tolerance)', () => {
  const behavior = ScalingBehavior.custom({
    scaleUp: { tolerance: 0.05, stabilizationWindow: Duration.seconds(0) },
    scaleDown: { tolerance: 0.2 },
  });

  test('toJson never writes a tolerance: the autoscaling/v2 schema of Kubernetes 1.28 has none', () => {
    expect(behavior.toJson()).toEqual({ scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: {} });
    expect(JSON.stringify(HpaAlgorithm.effectiveBehavior(behavior).toJson())).not.toMatch(/tolerance/);
  });

  test('the effective behavior keeps the tolerances for the planners, and describe() shows them', () => {
    const effective = HpaAlgorithm.effectiveBehavior(behavior);
    expect(effective.scaleUp?.tolerance).toBe(0.05);
    expect(effective.scaleDown?.tolerance).toBe(0.2);
    expect(HpaAlgorithm.effectiveBehavior(ScalingBehavior.standard()).scaleUp?.tolerance).toBeUndefined();
    expect(behavior.describe()).toMatch(/tolerance 0\.05.*tolerance 0\.2/);
  });

  test('a tolerance is a fraction of 0 or more', () => {
    expect(() => HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({ scaleUp: { tolerance: -0.1 } })))
      .toThrow(/'behavior.scaleUp.tolerance' \(-0.1\) must be/);
    expect(() => HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({ scaleDown: { tolerance: NaN } }))).toThrow(/scaleDown.tolerance/);
    expect(HpaAlgorithm.effectiveBehavior(ScalingBehavior.custom({ scaleDown: { tolerance: 1.5 } })).scaleDown?.tolerance).toBe(1.5);
  });

  test('a construct refuses a behavior with a tolerance rather than drop it from the 1.28 object it writes', () => {
    const chart = Testing.chart();
    expect(() => behavior._validate(chart, 'behavior')).toThrow(/tolerance.*Kubernetes 1.28 has no tolerance field/);
    expect(() => behavior._validate('HpaAlgorithm', 'behavior')).not.toThrow();
  });
});
