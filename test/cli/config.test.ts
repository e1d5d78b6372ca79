import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { tempDir, writeFile } from './fixtures';
import { DEFAULT_MODEL, DEFAULT_PREDICTIVE, parseConfig, PRESETS, resolveConfig } from '../../src/cli/config';
import { ScalingBehavior } from '../../src/planning/scaling-behavior';

/** Durations as seconds, so that "3m" and Duration.seconds(180) compare equal. */
const inSeconds = (o: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Duration ? v.toSeconds() : v]));

const parse = (json: unknown) => parseConfig(JSON.stringify(json), 'cfg.json');

describe('presets', () => {
  test('realTime, standard and hpaDefaults share the default replica model', () => {
    expect(PRESETS).toEqual(['realTime', 'standard', 'hpaDefaults']);
    const dir = tempDir('presets');
    const [realTime, standard, none] = PRESETS.map(p => resolveConfig(p, dir));
    expect(realTime.behavior!.toJson()).toEqual(ScalingBehavior.realTime().toJson());
    expect(standard.behavior!.toJson()).toEqual(ScalingBehavior.standard().toJson());
    expect(none.behavior).toBeUndefined();
    expect(none.behaviorText).toMatch(/^none: the HPA controller's defaults/);
    for (const c of [realTime, standard, none]) expect(c.model).toEqual(DEFAULT_MODEL);
    expect(inSeconds(DEFAULT_MODEL)).toEqual({
      minReplicas: 2,
      maxReplicas: 30,
      capacityPerReplica: 10,
      targetUtilization: 0.7,
      timeToReady: 180,
      // AutoscalerSimulator.DEFAULT_METRIC_DELAY: the newest sample's age beyond the 2-minute rate window.
      metricDelay: 15,
      metricWindow: 120,
      priceUsdPerHour: 0.526,
    });
    // The HPA aims at 7 requests per second per replica, as it always did.
    expect(DEFAULT_MODEL.capacityPerReplica * DEFAULT_MODEL.targetUtilization).toBe(7);
  });

  test('fails for a name that is neither a preset nor a JSON file', () => {
    expect(() => resolveConfig('fast', tempDir('unknown'))).toThrow(
      '[report] \'--config\' ("fast") is neither a preset nor a .json file: use one of realTime, standard, hpaDefaults, or the path of a JSON config');
  });

  test('fails for a JSON file that does not exist', () => {
    expect(() => resolveConfig('missing.json', tempDir('missing'))).toThrow(
      '[report] \'--config\' ("missing.json") cannot be read (no such file): give a preset or the path of a JSON config file');
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
    expect(c.behavior!.toJson()).toEqual(ScalingBehavior.standard().toJson());
  });

  test('every key: the model, a custom behavior in ScalingBehavior.custom terms, and predictive options', () => {
    const c = parse({
      name: ' chat ',
      minReplicas: 3,
      maxReplicas: 40,
      capacityPerReplica: 9,
      targetUtilization: 0.6,
      timeToReady: '5m',
      metricDelay: '30s',
      metricWindow: '1m',
      scaleUpTolerance: 0.05,
      scaleDownTolerance: 0.15,
      priceUsdPerHour: 1.2,
      behavior: {
        scaleUp: { stabilizationWindow: '0s', selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, period: '15s' }] },
        scaleDown: { stabilizationWindow: '10m' },
      },
      predictive: { leadTime: '15m', maxTriggers: 14, firstPlanAfter: '7d', replanEvery: '1d' },
    });
    expect(c.name).toBe('chat');
    expect(inSeconds(c.model)).toEqual({
      minReplicas: 3,
      maxReplicas: 40,
      capacityPerReplica: 9,
      targetUtilization: 0.6,
      timeToReady: 300,
      metricDelay: 30,
      metricWindow: 60,
      scaleUpTolerance: 0.05,
      scaleDownTolerance: 0.15,
      priceUsdPerHour: 1.2,
    });
    expect(c.behavior!.toJson()).toStrictEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600 },
    });
    expect(c.behaviorText).toBe('custom: up: after a 0 s stabilization window, +4 pods per 15 s; down: after a 600 s stabilization window, '
      + 'Kubernetes default policies');
    expect(inSeconds(c.predictive!)).toEqual({ leadTime: 900, maxTriggers: 14, firstPlanAfter: 7 * 86400, replanEvery: 86400 });
  });

  test('the README\'s example config is a valid config', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The scaling report'));
    const example = section.slice(section.indexOf('```json\n') + 8, section.indexOf('\n```', section.indexOf('```json\n')));
    const c = parseConfig(example, 'chat.json');
    expect(c.name).toBe('chat');
    expect(c.model.capacityPerReplica * c.model.targetUtilization).toBe(6);
    expect(c.behavior!.toJson().scaleDown).toEqual({ stabilizationWindowSeconds: 600, selectPolicy: 'Min' });
    expect(c.predictive!.leadTime!.toMinutes()).toBe(10);
  });

  test('durations are strings of whole numbers with units, such as "90s", "2m", "1h" or "1m30s"', () => {
    expect(parse({ timeToReady: '1m30s' }).model.timeToReady.toSeconds()).toBe(90);
    expect(parse({ timeToReady: '1h' }).model.timeToReady.toSeconds()).toBe(3600);
    expect(parse({ metricDelay: '0' }).model.metricDelay.toSeconds()).toBe(0);
    expect(parse({ metricDelay: '1500ms' }).model.metricDelay.toMilliseconds()).toBe(1500);
  });

  test('the rate window and the per-direction tolerances are the simulator\'s, checked by it and named in the file', () => {
    const c = parse({ metricWindow: '5m', scaleUpTolerance: 0.05, scaleDownTolerance: 0.2 });
    expect(c.model.metricWindow.toSeconds()).toBe(300);
    expect([c.model.scaleUpTolerance, c.model.scaleDownTolerance]).toEqual([0.05, 0.2]);
    expect(parse({}).model.scaleUpTolerance).toBeUndefined();
    expect(() => parse({ scaleDownTolerance: -1 })).toThrow(/^\[cfg\.json\] 'scaleDownTolerance' \(-1\)/);
    expect(() => parse({ metricWindow: 'soon' })).toThrow(/^\[cfg\.json\] 'metricWindow' \("soon"\)/);
  });

  test('"predictive": true re-plans weekly from day 14; false is no predictive scaling', () => {
    expect(parse({ predictive: true }).predictive).toEqual(DEFAULT_PREDICTIVE);
    expect(inSeconds(DEFAULT_PREDICTIVE)).toEqual({ firstPlanAfter: 14 * 86400, replanEvery: 7 * 86400 });
    expect(parse({ predictive: false }).predictive).toBeUndefined();
  });

  test('fails for text that is not JSON', () => {
    expect(() => parseConfig('{"name": }', 'cfg.json')).toThrow(/^\[cfg\.json\] 'config' \("\{\\"name\\": \}"\) is not valid JSON \(.+\): write one JSON object, e\.g\. \{"name": "chat", "behavior": "realTime"\}$/);
  });

  test('fails for JSON that is not an object', () => {
    expect(() => parse([1])).toThrow('[cfg.json] \'config\' ([1]) is not a JSON object: write one object, e.g. {"name": "chat", "behavior": "realTime"}');
  });

  test('fails for an unknown key, naming the allowed keys', () => {
    expect(() => parse({ maxReplica: 30 })).toThrow(
      "[cfg.json] 'maxReplica' (30) is not a key of a scaling config: use name, minReplicas, maxReplicas, capacityPerReplica, targetUtilization, "
      + 'timeToReady, metricDelay, metricWindow, scaleUpTolerance, scaleDownTolerance, priceUsdPerHour, behavior, predictive');
    expect(() => parse({ targetPerReplica: 7 })).toThrow("[cfg.json] 'targetPerReplica' (7) is not a key of a scaling config: use name, ");
  });

  test('fails for unknown keys inside behavior, its rules, its policies and predictive', () => {
    expect(() => parse({ behavior: { up: {} } })).toThrow("[cfg.json] 'behavior.up' ({}) is not a key of behavior: use scaleUp, scaleDown");
    expect(() => parse({ behavior: { scaleUp: { window: 30 } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.window' (30) is not a key of behavior.scaleUp: use stabilizationWindow, selectPolicy, policies");
    expect(() => parse({ behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.policies[0].periodSeconds' (60) is not a key of a policy: use type, value, period");
    expect(() => parse({ predictive: { lead: 10 } })).toThrow(
      "[cfg.json] 'predictive.lead' (10) is not a key of predictive: use firstPlanAfter, replanEvery, leadTime, maxTriggers");
    expect(() => parse({ predictive: { headroom: 0.2 } })).toThrow(
      "[cfg.json] 'predictive.headroom' (0.2) is not a key of predictive: use firstPlanAfter, replanEvery, leadTime, maxTriggers");
  });

  test('fails for wrong types, with an example', () => {
    expect(() => parse({ maxReplicas: '30' })).toThrow('[cfg.json] \'maxReplicas\' ("30") must be a number: e.g. "maxReplicas": 30');
    expect(() => parse({ name: '' })).toThrow('[cfg.json] \'name\' ("") must be a non-empty string: name the configuration, e.g. "name": "chat, real-time"');
    expect(() => parse({ behavior: 3 })).toThrow(
      "[cfg.json] 'behavior' (3) must be a preset name or an object: use one of realTime, standard, hpaDefaults, or {\"scaleUp\": {...}, \"scaleDown\": {...}}");
    expect(() => parse({ behavior: { scaleUp: { policies: {} } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies' ({}) must be a list: e.g. [{\"type\": \"Pods\", \"value\": 4, \"period\": \"60s\"}]");
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4 }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies[0].period' (undefined) is missing: a policy has a type, a value and a period");
    expect(() => parse({ behavior: { scaleDown: { stabilizationWindow: 300 } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.stabilizationWindow' (300) must be a duration string: e.g. \"stabilizationWindow\": \"300s\"");
    expect(() => parse({ timeToReady: 180 })).toThrow('[cfg.json] \'timeToReady\' (180) must be a duration string: e.g. "timeToReady": "3m"');
    expect(() => parse({ predictive: 'yes' })).toThrow(
      "[cfg.json] 'predictive' (\"yes\") must be true, false or an object: e.g. \"predictive\": true, or {\"leadTime\": \"10m\"}");
    expect(() => parse({ predictive: { replanEvery: '0' } })).toThrow(
      "[cfg.json] 'predictive.replanEvery' (\"0\") must be whole days, at least one (plans are made at the start of a day): e.g. \"replanEvery\": \"7d\"");
    expect(() => parse({ predictive: { firstPlanAfter: '36h' } })).toThrow(
      "[cfg.json] 'predictive.firstPlanAfter' (\"36h\") must be whole days, at least one (plans are made at the start of a day): e.g. \"firstPlanAfter\": \"14d\"");
    expect(() => parse({ predictive: { replanEvery: 7 } })).toThrow("[cfg.json] 'predictive.replanEvery' (7) must be a duration string");
  });

  test('fails for an unknown behavior preset', () => {
    expect(() => parse({ behavior: 'fast' })).toThrow(
      "[cfg.json] 'behavior' (\"fast\") is not a behavior preset: use one of realTime, standard, hpaDefaults, or {\"scaleUp\": {...}, \"scaleDown\": {...}}");
  });

  test('fails for a duration string the parser does not read, saying how to write one', () => {
    const FORMAT = 'write whole numbers with units d, h, m, s or ms, largest first, e.g. "90s", "2m", "1h" or "1m30s"';
    for (const text of ['3 minutes', '-5s', '1.5m', '30s1m', '90']) {
      expect(() => parse({ timeToReady: text })).toThrow(`[cfg.json] 'timeToReady' (${JSON.stringify(text)}) is not a duration: ${FORMAT}`);
    }
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, period: '1 min' }] } } })).toThrow(
      `[cfg.json] 'behavior.scaleUp.policies[0].period' ("1 min") is not a duration: ${FORMAT}`);
  });

  test('ranges are AutoscalerSimulator\'s own checks, with its messages, naming the file and the key', () => {
    expect(() => parse({ minReplicas: 5, maxReplicas: 3 })).toThrow(
      "[cfg.json] 'minReplicas' (5) is above 'maxReplicas' (3): raise maxReplicas or lower minReplicas");
    expect(() => parse({ capacityPerReplica: 0 })).toThrow(
      "[cfg.json] 'capacityPerReplica' (0) must be a finite number above 0: give the load one ready replica serves at full utilization, "
      + 'in the unit of the load, e.g. 10 requests per second');
    expect(() => parse({ targetUtilization: 70 })).toThrow(
      "[cfg.json] 'targetUtilization' (70) must be a number above 0 and at most 1: give the fraction of capacityPerReplica the HPA aims at, "
      + 'above 0 and at most 1, e.g. 0.7 (the rest is headroom)');
    expect(() => parse({ priceUsdPerHour: -1 })).toThrow("[cfg.json] 'priceUsdPerHour' (-1) must be a finite number of at least 0: ");
  });

  test('the behavior is checked by ScalingBehavior\'s one validator, naming the file and the key', () => {
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, period: '1h' }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies[0].period' (\"3600s\") must be a whole number of seconds from 1 to 1800: "
      + 'give a policy period of 1 to 1800 s in whole seconds, as the API server allows');
    expect(() => parse({ behavior: { scaleUp: { policies: [{ type: 'Pod', value: 4, period: '60s' }] } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies[0].type' (\"Pod\") must be one of Pods, Percent: use 'Pods' or 'Percent' (HpaScalingPolicyType)");
    expect(() => parse({ behavior: { scaleDown: { stabilizationWindow: '4000s' } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.stabilizationWindow' (\"4000s\") must be a whole number of seconds from 0 to 3600: "
      + 'give a stabilization window of 0 to 3600 s in whole seconds, as the API server allows');
    expect(() => parse({ behavior: { scaleDown: { stabilizationWindow: '1500ms' } } })).toThrow(
      "[cfg.json] 'behavior.scaleDown.stabilizationWindow' (\"1.5s\") must be a whole number of seconds from 0 to 3600: ");
    expect(() => parse({ behavior: { scaleUp: { selectPolicy: 'max' } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.selectPolicy' (\"max\") must be one of Max, Min, Disabled: use 'Max', 'Min' or 'Disabled' (HpaSelectPolicy)");
    expect(() => parse({ behavior: { scaleUp: { policies: [] } } })).toThrow(
      "[cfg.json] 'behavior.scaleUp.policies' ([]) is empty while selectPolicy is not Disabled: ");
  });

  test('predictive ranges are PredictiveScaling\'s own checks', () => {
    expect(() => parse({ predictive: { leadTime: '90s' } })).toThrow(
      "[cfg.json: PredictiveScaling] 'leadTime' (\"90s\") must be whole minutes from 0 to under a day: give whole minutes below a day, ");
    expect(() => parse({ predictive: { maxTriggers: 1 } })).toThrow(/^\[cfg\.json: PredictiveScaling\] 'maxTriggers' \(1\) must be a whole number from 2 to 1000: /);
  });
});
