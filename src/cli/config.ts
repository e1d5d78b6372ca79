import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  CliError, configError, configNotJson, configNotObject, configRejected, configUnreadable, unknownConfig,
} from './messages';
import { AutoscalerSimulator } from '../planning/autoscaler-simulator';
import { PredictiveScaling } from '../planning/predictive-scaling';
import { ScalingBehavior, ScalingPolicyType, ScalingRules, SelectPolicy } from '../planning/scaling-behavior';

/** The replicas of one configuration: what they serve, cost and take to start. */
export interface ReplicaModel {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The per-pod requests per second the HPA aims at. */
  readonly targetPerReplica: number;
  /** The requests per second one ready replica serves. */
  readonly capacityPerReplica: number;
  readonly podReadySeconds: number;
  readonly replicaPricePerHourUsd: number;
  readonly metricDelaySeconds: number;
}

/** PredictiveScaling re-planned from the trace as a team would re-synth it. */
export interface PredictiveOptions {
  /** Days of trace before the first plan. */
  readonly firstPlanDays: number;
  /** Days between plans. */
  readonly replanDays: number;
  readonly headroom?: number;
  readonly leadTimeMinutes?: number;
  readonly maxTriggers?: number;
}

/** One scaling configuration of the report. */
export interface ScalingConfig {
  readonly name: string;
  /** Where it came from: `preset` or the JSON file as given. */
  readonly source: string;
  readonly model: ReplicaModel;
  /** `spec.behavior`; undefined for the controller's defaults. */
  readonly behavior?: ScalingBehavior;
  /** The behavior in words. */
  readonly behaviorText: string;
  readonly predictive?: PredictiveOptions;
}

/**
 * The replica model every preset uses and every JSON config starts from: a g4dn.xlarge replica serving 10 requests
 * per second at its on-demand price, the HPA aiming at 70 % of that, 2 to 30 replicas, 3 minutes to ready.
 */
export const DEFAULT_MODEL: ReplicaModel = {
  minReplicas: 2,
  maxReplicas: 30,
  targetPerReplica: 7,
  capacityPerReplica: 10,
  podReadySeconds: AutoscalerSimulator.DEFAULT_POD_READY_SECONDS,
  replicaPricePerHourUsd: 0.526,
  metricDelaySeconds: AutoscalerSimulator.DEFAULT_METRIC_DELAY_SECONDS,
};

/** PredictiveScaling's re-planning when a config says `"predictive": true`: weekly, from day 14. */
export const DEFAULT_PREDICTIVE: PredictiveOptions = { firstPlanDays: 14, replanDays: 7 };

/** Behavior presets by the name `--config` and `"behavior"` take; hpaDefaults is no `spec.behavior` at all. */
const BEHAVIORS: Record<string, () => ScalingBehavior | undefined> = {
  realTime: () => ScalingBehavior.realTime(),
  standard: () => ScalingBehavior.standard(),
  hpaDefaults: () => undefined,
};

/** The preset names, as `--config` takes them. */
export const PRESETS: readonly string[] = Object.keys(BEHAVIORS);

const NO_BEHAVIOR_TEXT = 'none: the HPA controller\'s defaults (at most max(2 x current, 4) replicas per sync up; '
  + 'down to the highest recommendation of the last 300 s)';

const MODEL_KEYS = Object.keys(DEFAULT_MODEL) as Array<keyof ReplicaModel>;
const CONFIG_KEYS = ['name', ...MODEL_KEYS, 'behavior', 'predictive'];
const BEHAVIOR_KEYS = ['scaleUp', 'scaleDown'];
const RULES_KEYS = ['stabilizationWindowSeconds', 'selectPolicy', 'policies'];
const POLICY_KEYS = ['type', 'value', 'periodSeconds'];
const PREDICTIVE_KEYS = ['firstPlanDays', 'replanDays', 'headroom', 'leadTimeMinutes', 'maxTriggers'];
const PREDICTIVE_EXAMPLES: Record<string, string> = { firstPlanDays: '14', replanDays: '7', headroom: '0.2', leadTimeMinutes: '10', maxTriggers: '28' };

/**
 * A `--config` value: a preset name, or the path of a JSON file (read relative to `cwd`). Throws a `CliError` for an
 * unknown preset, an unreadable file or an invalid config.
 */
export function resolveConfig(spec: string, cwd: string): ScalingConfig {
  if (Object.prototype.hasOwnProperty.call(BEHAVIORS, spec)) return presetConfig(spec);
  const file = path.resolve(cwd, spec);
  if (!spec.toLowerCase().endsWith('.json') && !fs.existsSync(file)) throw unknownConfig(spec, PRESETS);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw configUnreadable(spec, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return parseConfig(text, spec);
}

/** A preset: its behavior with the default replica model. */
export function presetConfig(name: string): ScalingConfig {
  const behavior = BEHAVIORS[name]();
  return { name, source: 'preset', model: DEFAULT_MODEL, behavior, behaviorText: describeBehavior(behavior) };
}

/**
 * A JSON config: the default replica model with the keys it gives. Unknown keys and wrong types are errors naming the
 * key; ranges are checked by AutoscalerSimulator (and PredictiveScaling) themselves, with their own messages.
 */
export function parseConfig(text: string, source: string): ScalingConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw configNotJson(source, (e as Error).message);
  }
  if (!isObject(json)) throw configNotObject(source, json);
  checkKeys(source, json, '', CONFIG_KEYS, 'a scaling config');

  let name = path.basename(source).replace(/\.json$/i, '');
  if (json.name !== undefined) {
    if (typeof json.name !== 'string' || json.name.trim() === '') {
      throw configError(source, 'name', json.name, 'must be a non-empty string', 'name the configuration, e.g. "name": "chat, real-time"');
    }
    name = json.name.trim();
  }
  const model: Record<string, number> = { ...DEFAULT_MODEL };
  for (const key of MODEL_KEYS) {
    if (json[key] === undefined) continue;
    model[key] = number(source, key, json[key], String(DEFAULT_MODEL[key]));
  }
  const behavior = json.behavior === undefined ? undefined : parseBehavior(source, json.behavior);
  const predictive = json.predictive === undefined ? undefined : parsePredictive(source, json.predictive);
  const config: ScalingConfig = {
    name, source, model: model as unknown as ReplicaModel, behavior, behaviorText: describeBehavior(behavior), predictive,
  };
  checkRanges(config);
  return config;
}

/** The simulator's own checks, on a one-step load: every range error it would raise later, raised now. */
function checkRanges(config: ScalingConfig): void {
  const m = config.model;
  try {
    AutoscalerSimulator.run({ ...m, load: [0], stepSeconds: 60, behavior: config.behavior });
    if (config.predictive) {
      const p = config.predictive;
      PredictiveScaling.plan({
        history: [0],
        interval: Duration.hours(1),
        startTime: new Date('2025-01-06T00:00:00Z'),
        capacityPerReplica: m.capacityPerReplica,
        targetUtilization: m.targetPerReplica / m.capacityPerReplica / (1 + (p.headroom ?? 0)),
        minReplicas: m.minReplicas,
        maxReplicas: m.maxReplicas,
        leadTime: p.leadTimeMinutes === undefined ? undefined : Duration.minutes(p.leadTimeMinutes),
        maxTriggers: p.maxTriggers,
      });
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw configRejected(config.source, (e as Error).message);
  }
}

function parseBehavior(source: string, value: unknown): ScalingBehavior | undefined {
  if (typeof value === 'string') {
    if (!Object.prototype.hasOwnProperty.call(BEHAVIORS, value)) {
      throw configError(source, 'behavior', value, 'is not a behavior preset', `use one of ${PRESETS.join(', ')}, or {"scaleUp": {...}, "scaleDown": {...}}`);
    }
    return BEHAVIORS[value]();
  }
  if (!isObject(value)) {
    throw configError(source, 'behavior', value, 'must be a preset name or an object',
      `use one of ${PRESETS.join(', ')}, or {"scaleUp": {...}, "scaleDown": {...}}`);
  }
  checkKeys(source, value, 'behavior.', BEHAVIOR_KEYS, 'behavior');
  return ScalingBehavior.custom({
    scaleUp: value.scaleUp === undefined ? undefined : parseRules(source, 'behavior.scaleUp', value.scaleUp),
    scaleDown: value.scaleDown === undefined ? undefined : parseRules(source, 'behavior.scaleDown', value.scaleDown),
  });
}

function parseRules(source: string, at: string, value: unknown): ScalingRules {
  if (!isObject(value)) {
    throw configError(source, at, value, 'must be an object', 'e.g. {"stabilizationWindowSeconds": 60, "policies": [{"type": "Percent", "value": 100, "periodSeconds": 60}]}');
  }
  checkKeys(source, value, `${at}.`, RULES_KEYS, at);
  let selectPolicy: SelectPolicy | undefined;
  if (value.selectPolicy !== undefined) {
    if (typeof value.selectPolicy !== 'string') throw configError(source, `${at}.selectPolicy`, value.selectPolicy, 'must be a string', 'use "Max", "Min" or "Disabled"');
    selectPolicy = value.selectPolicy as SelectPolicy; // the simulator checks the value
  }
  let policies: ScalingRules['policies'];
  if (value.policies !== undefined) {
    if (!Array.isArray(value.policies)) {
      throw configError(source, `${at}.policies`, value.policies, 'must be a list', 'e.g. [{"type": "Pods", "value": 4, "periodSeconds": 60}]');
    }
    policies = value.policies.map((p: unknown, i: number) => {
      const where = `${at}.policies[${i}]`;
      if (!isObject(p)) throw configError(source, where, p, 'must be an object', 'e.g. {"type": "Pods", "value": 4, "periodSeconds": 60}');
      checkKeys(source, p, `${where}.`, POLICY_KEYS, 'a policy');
      for (const key of POLICY_KEYS) {
        if (p[key] === undefined) throw configError(source, `${where}.${key}`, undefined, 'is missing', 'a policy has a type, a value and periodSeconds');
      }
      if (typeof p.type !== 'string') throw configError(source, `${where}.type`, p.type, 'must be a string', 'use "Pods" or "Percent"');
      return {
        type: p.type as ScalingPolicyType, // the simulator checks the value
        value: number(source, `${where}.value`, p.value, '4'),
        period: Duration.seconds(seconds(source, `${where}.periodSeconds`, p.periodSeconds, '60')),
      };
    });
  }
  const window = value.stabilizationWindowSeconds;
  return {
    stabilizationWindow: window === undefined ? undefined : Duration.seconds(seconds(source, `${at}.stabilizationWindowSeconds`, window, '300')),
    selectPolicy,
    policies,
  };
}

function parsePredictive(source: string, value: unknown): PredictiveOptions | undefined {
  if (value === false) return undefined;
  if (value === true) return DEFAULT_PREDICTIVE;
  if (!isObject(value)) {
    throw configError(source, 'predictive', value, 'must be true, false or an object', 'e.g. "predictive": true, or {"headroom": 0.2}');
  }
  checkKeys(source, value, 'predictive.', PREDICTIVE_KEYS, 'predictive');
  const out: Record<string, number> = { ...DEFAULT_PREDICTIVE };
  for (const key of PREDICTIVE_KEYS) {
    if (value[key] === undefined) continue;
    out[key] = number(source, `predictive.${key}`, value[key], PREDICTIVE_EXAMPLES[key]);
  }
  for (const key of ['firstPlanDays', 'replanDays']) {
    if (!Number.isInteger(out[key]) || out[key] < 1) {
      throw configError(source, `predictive.${key}`, out[key], 'must be a whole number of days of at least 1', `e.g. "${key}": ${PREDICTIVE_EXAMPLES[key]}`);
    }
  }
  if (out.leadTimeMinutes !== undefined && out.leadTimeMinutes < 0) {
    throw configError(source, 'predictive.leadTimeMinutes', out.leadTimeMinutes, 'must be 0 or more', 'e.g. "leadTimeMinutes": 10');
  }
  return out as unknown as PredictiveOptions;
}

/** The behavior in words, for the report. */
export function describeBehavior(behavior: ScalingBehavior | undefined): string {
  return behavior === undefined ? NO_BEHAVIOR_TEXT : behavior.describe();
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(source: string, value: Record<string, unknown>, prefix: string, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw configError(source, `${prefix}${key}`, value[key], `is not a key of ${what}`, `use ${allowed.join(', ')}`);
  }
}

function number(source: string, key: string, value: unknown, example: string): number {
  if (typeof value !== 'number') throw configError(source, key, value, 'must be a number', `e.g. "${key.replace(/^.*\./, '')}": ${example}`);
  return value;
}

/** Whole seconds of 0 or more, which a `Duration` needs; the upper bounds are the simulator's. */
function seconds(source: string, key: string, value: unknown, example: string): number {
  const s = number(source, key, value, example);
  if (!Number.isInteger(s) || s < 0) throw configError(source, key, s, 'must be a whole number of seconds, 0 or more', `e.g. "${key.replace(/^.*\./, '')}": ${example}`);
  return s;
}
