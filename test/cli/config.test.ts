import { tempDir, writeFile } from './fixtures';
import { DEFAULT_MODEL, DEFAULT_PREDICTIVE, parseConfig, PRESETS, resolveConfig } from '../../src/cli/config';
import { ScalingBehavior } from '../../src/planning/scaling-behavior';

const parse = (json: unknown) => parseConfig(JSON.stringify(json), 'cfg.json');

describe('presets', () => {
  test('realTime, standard and hpaDefaults share the default replica model', () => {
    expect(PRESETS).toEqual(['realTime', 'standard', 'hpaDefaults']);
    const dir = tempDir('presets');
    const [realTime, standard, none] = PRESETS.map(p => resolveConfig(p, dir));
    expect(realTime.behavior!.toSpec()).toEqual(ScalingBehavior.realTime().toSpec());
    expect(standard.behavior!.toSpec()).toEqual(ScalingBehavior.standard().toSpec());
    expect(none.behavior).toBeUndefined();
    expect(none.behaviorText).toMatch(/^none: the HPA controller's defaults/);
    for (const c of [realTime, standard, none]) expect(c.model).toEqual(DEFAULT_MODEL);
    expect(DEFAULT_MODEL).toEqual({
      minReplicas: 2,
      maxReplicas: 30,
      targetPerReplica: 7,
      capacityPerReplica: 10,
      podReadySeconds: 180,
      replicaPricePerHourUsd: 0.526,
      metricDelaySeconds: 60,
    });
  });

  test('fails for a name that is neither a preset nor a JSON file', () => {
    expect(() => resolveConfig('fast', tempDir('unknown'))).toThrow(
      'option \'--config\' ("fast") is neither a preset nor a .json file: use one of realTime, standard, hpaDefaults, or the path of a JSON config');
  });

  test('fails for a JSON file that does not exist', () => {
    expect(() => resolveConfig('missing.json', tempDir('missing'))).toThrow('cannot read config "missing.json": no such file');
  });
});

describe('JSON configs', () => {
  test('an empty object is the default model without a behavior, named after the file', () => {
    const c = parse({});
    expect(c).toMatchObject({ name: 'cfg', source: 'cfg.json', model: DEFAULT_MODEL, behavior: undefined, predictive: undefined });
  });

  test('is read relative to the working directory', () => {
    const dir = tempDir('json');
    writeFile(dir, 'chat.json', '{"behavior": "standard", "maxReplicas": 12}');
    const c = resolveConfig('chat.json', dir);
    expect(c.name).toBe('chat');
    expect(c.model.maxReplicas).toBe(12);
    expect(c.behavior!.toSpec()).toEqual(ScalingBehavior.standard().toSpec());
  });

  test('every key: the model, a custom behavior in ScalingBehavior.custom terms, and predictive options', () => {
    const c = parse({
      name: ' chat ',
      minReplicas: 3,
      maxReplicas: 40,
      targetPerReplica: 6,
      capacityPerReplica: 9,
      podReadySeconds: 300,
      replicaPricePerHourUsd: 1.2,
      metricDelaySeconds: 30,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 600 },
      },
      predictive: { headroom: 0.2, leadTimeMinutes: 15, maxTriggers: 14, firstPlanDays: 7, replanDays: 1 },
    });
    expect(c.name).toBe('chat');
    expect(c.model).toEqual({
      minReplicas: 3,
      maxReplicas: 40,
      targetPerReplica: 6,
      capacityPerReplica: 9,
      podReadySeconds: 300,
      replicaPricePerHourUsd: 1.2,
      metricDelaySeconds: 30,
    });
    expect(c.behavior!.toSpec()).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: undefined, policies: undefined },
    });
    expect(c.behaviorText).toBe('custom: up: after a 0 s stabilization window, +4 pods per 15 s; down: after a 600 s stabilization window, '
      + 'Kubernetes default policies');
    expect(c.predictive).toEqual({ headroom: 0.2, leadTimeMinutes: 15, maxTriggers: 14, firstPlanDays: 7, replanDays: 1 });
  });

  test('"predictive": true re-plans weekly from day 14; false is no predictive scaling', () => {
    expect(parse({ predictive: true }).predictive).toEqual(DEFAULT_PREDICTIVE);
    expect(DEFAULT_PREDICTIVE).toEqual({ firstPlanDays: 14, replanDays: 7 });
    expect(parse({ predictive: false }).predictive).toBeUndefined();
  });

  test('fails for text that is not JSON', () => {
    expect(() => parseConfig('{"name": }', 'cfg.json')).toThrow(/^cfg\.json: not valid JSON \(.+\): write one JSON object, e\.g\. \{"name": "chat", "behavior": "realTime"\}$/);
  });

  test('fails for JSON that is not an object', () => {
    expect(() => parse([1])).toThrow('cfg.json: the config ([1]) is not a JSON object: write one object, e.g. {"name": "chat", "behavior": "realTime"}');
  });

  test('fails for an unknown key, naming the allowed keys', () => {
    expect(() => parse({ maxReplica: 30 })).toThrow(
      "[cfg.json] 'maxReplica' (30) is not a key of a scaling config: use name, minReplicas, maxReplicas, targetPerReplica, capacityPerReplica, "
      + 'podReadySeconds, replicaPricePerHourUsd, metricDelaySeconds, behavior, predictive');
  });

  test('fails for unknown keys inside behavior, its rules, its policies and predictive', () => {
    expect(() => parse({ behavior: { up: {} } })).toThrow("[cfg.json] 'behavior.up' ({}) is not a key of behavior: use scaleUp, scaleDown");
    expect(() => parse({ behavior: { scaleUp: { window: 30 } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.window' (30) is not a key of behavior.scaleUp: use stabilizationWindowSeconds, selectPolicy, policies");
    expect(() => parse({ behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, period: 60 }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.policies[0].period' (60) is not a key of a policy: use type, value, periodSeconds");
    expect(() => parse({ predictive: { lead: 10 } })).toThrow(
      "[cfg.json] 'predictive.lead' (10) is not a key of predictive: use firstPlanDays, replanDays, headroom, leadTimeMinutes, maxTriggers");
  });

  test('fails for wrong types, with an example', () => {
    expect(() => parse({ maxReplicas: '30' })).toThrow('[cfg.json] \'maxReplicas\' ("30") must be a number: e.g. "maxReplicas": 30');
    expect(() => parse({ name: '' })).toThrow('[cfg.json] \'name\' ("") must be a non-empty string: name the configuration, e.g. "name": "chat, real-time"');
    expect(() => parse({ behavior: 3 })).toThrow(
      "[cfg.json] 'behavior' (3) must be a preset name or an object: use one of realTime, standard, hpaDefaults, or {\"scaleUp\": {...}, \"scaleDown\": {...}}");
    expect(() => parse({ behavior: { scaleUp: { policies: {} } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies' ({}) must be a list: e.g. [{\"type\": \"Pods\", \"value\": 4, \"periodSeconds\": 60}]");
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4 }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies[0].periodSeconds' (undefined) is missing: a policy has a type, a value and periodSeconds");
    expect(() => parse({ behavior: { scaleDown: { stabilizationWindowSeconds: 1.5 } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.stabilizationWindowSeconds' (1.5) must be a whole number of seconds, 0 or more: e.g. \"stabilizationWindowSeconds\": 300");
    expect(() => parse({ predictive: 'yes' })).toThrow(
      "[cfg.json] 'predictive' (\"yes\") must be true, false or an object: e.g. \"predictive\": true, or {\"headroom\": 0.2}");
    expect(() => parse({ predictive: { replanDays: 0 } })).toThrow(
      "[cfg.json] 'predictive.replanDays' (0) must be a whole number of days of at least 1: e.g. \"replanDays\": 7");
  });

  test('fails for an unknown behavior preset', () => {
    expect(() => parse({ behavior: 'fast' })).toThrow(
      "[cfg.json] 'behavior' (\"fast\") is not a behavior preset: use one of realTime, standard, hpaDefaults, or {\"scaleUp\": {...}, \"scaleDown\": {...}}");
  });

  test('ranges are AutoscalerSimulator\'s own checks, with its messages', () => {
    expect(() => parse({ minReplicas: 5, maxReplicas: 3 })).toThrow(
      "cfg.json: [AutoscalerSimulator] 'minReplicas' (5) is above 'maxReplicas' (3): raise maxReplicas or lower minReplicas");
    expect(() => parse({ targetPerReplica: 0 })).toThrow(
      "cfg.json: [AutoscalerSimulator] 'targetPerReplica' (0) must be a finite number of at least 0.001: give the per-pod average the HPA aims at "
      + '(its AverageValue target) in the unit of the load, at least 0.001 (the controller reads quantities in milli-units), e.g. 5 requests per second');
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 3600 }] } } })).toThrow(
      "cfg.json: [AutoscalerSimulator] 'behavior.scaleUp.policies[0].periodSeconds' (3600) must be a whole number from 1 to 1800: "
      + 'give a policy period from 1 to 1800 seconds, as the API allows');
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pod', value: 4, periodSeconds: 60 }] } } })).toThrow(
      "cfg.json: [AutoscalerSimulator] 'behavior.scaleUp.policies[0].type' (\"Pod\") must be one of Pods, Percent: use 'Pods' or 'Percent' (ScalingPolicyType)");
    expect(() => parse({ behavior: { scaleDown: { stabilizationWindowSeconds: 4000 } } })).toThrow(
      "cfg.json: [AutoscalerSimulator] 'behavior.scaleDown.stabilizationWindowSeconds' (4000) must be a whole number from 0 to 3600: "
      + 'give a stabilization window from 0 to 3600 seconds, as the API allows');
  });

  test('predictive ranges are PredictiveScaling\'s own checks', () => {
    // headroom is no prop of PredictiveScaling any more: it lowers targetUtilization (target / capacity / (1 + headroom)).
    expect(() => parse({ predictive: { headroom: -1 } })).toThrow(
      "cfg.json: [PredictiveScaling] 'targetUtilization' (Infinity) must be a fraction above 0 and at most 1: give the fraction of capacityPerReplica "
      + 'the autoscaler aims at, e.g. 0.7 (the rest is headroom), or 1');
    expect(() => parse({ predictive: { maxTriggers: 1 } })).toThrow(/^cfg\.json: \[PredictiveScaling\] 'maxTriggers' \(1\) must be a whole number of at least 2: /);
  });
});
