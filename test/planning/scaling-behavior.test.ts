import { Duration } from 'cdk8s';
import { ScalingBehavior, ScalingPolicyType, SelectPolicy } from '../../src';

describe('ScalingBehavior', () => {
  test('the real-time preset scales up fast and down slowly', () => {
    expect(ScalingBehavior.realTime().toSpec()).toEqual({
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
    expect(ScalingBehavior.standard().toSpec()).toEqual({
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
    expect(b.toSpec()).toEqual({ scaleUp: undefined, scaleDown: { stabilizationWindowSeconds: 900, selectPolicy: undefined, policies: undefined } });
    expect(b.describe()).toBe('custom: up: Kubernetes defaults (100% or 4 pods per 15 s); down: after a 900 s stabilization window, Kubernetes default policies');
  });

  test('a disabled direction is described as never', () => {
    const b = ScalingBehavior.custom({
      scaleDown: { selectPolicy: SelectPolicy.DISABLED },
      scaleUp: { policies: [{ type: ScalingPolicyType.PODS, value: 1, period: Duration.minutes(1) }] },
    });
    expect(b.describe()).toBe('custom: up: after a 0 s stabilization window, +1 pods per 60 s; down: never');
  });
});
