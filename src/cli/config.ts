import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  CliError, configError, configInvalid, configNotJson, configNotObject, configRejected, configUnreadable, unknownConfig,
} from './messages';
import { DURATION_TEXT_FORMAT, parseDuration } from '../common/duration-text';
import { AutoscalerSimulator } from '../planning/autoscaler-simulator';
import { PredictiveScaling } from '../planning/predictive-scaling';
import {
  HpaScalingPolicy, HpaScalingPolicyType, HpaScalingRules, HpaSelectPolicy, ScalingBehavior,
} from '../planning/scaling-behavior';

/**
 * The replicas of one configuration: what they serve, cost and take to start. The keys are AutoscalerSimulator's
 * props of the same names, and a JSON config's keys.
 */
export interface ReplicaModel {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The requests per second one ready replica serves at full utilization. */
  readonly capacityPerReplica: number;
  /** The fraction of capacityPerReplica the HPA aims at (its AverageValue target is the product). */
  readonly targetUtilization: number;
  /** From a pod's creation to ready. */
  readonly timeToReady: Duration;
  /** How stale the metric the controller reads is: the age of the newest sample beyond the rate window. */
  readonly metricDelay: Duration;
  /** The rate window the per-pod metric is averaged over (Prometheus `rate(...[window])`). */
  readonly metricWindow: Duration;
  /** Kubernetes 1.33+ `behavior.scaleUp.tolerance`; undefined for the controller's 0.1. */
  readonly scaleUpTolerance?: number;
  /** Kubernetes 1.33+ `behavior.scaleDown.tolerance`; undefined for the controller's 0.1. */
  readonly scaleDownTolerance?: number;
  /** What one replica costs per hour, in US dollars. */
  readonly priceUsdPerHour: number;
}

/**
 * PredictiveScaling re-planned from the trace as a team would re-synth it, at the model's capacityPerReplica x
 * targetUtilization.
 */
export interface PredictiveOptions {
  /** How much of the trace is known before the first plan: whole days. */
  readonly firstPlanAfter: Duration;
  /** How often the plan is made again (a re-synth): whole days. */
  readonly replanEvery: Duration;
  /** PredictiveScaling's `leadTime` (its default when undefined). */
  readonly leadTime?: Duration;
  /** PredictiveScaling's `maxTriggers` (its default when undefined). */
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
  capacityPerReplica: 10,
  targetUtilization: 0.7,
  timeToReady: AutoscalerSimulator.DEFAULT_TIME_TO_READY,
  metricDelay: AutoscalerSimulator.DEFAULT_METRIC_DELAY,
  metricWindow: AutoscalerSimulator.DEFAULT_METRIC_WINDOW,
  priceUsdPerHour: 0.526,
};

/** PredictiveScaling's re-planning when a config says `"predictive": true`: weekly, from day 14. */
export const DEFAULT_PREDICTIVE: PredictiveOptions = { firstPlanAfter: Duration.days(14), replanEvery: Duration.days(7) };

/** Behavior presets by the name `--config` and `"behavior"` take; hpaDefaults is no `spec.behavior` at all. */
const BEHAVIORS: Record<string, () => ScalingBehavior | undefined> = {
  realTime: () => ScalingBehavior.realTime(),
  standard: () => ScalingBehavior.standard(),
  hpaDefaults: () => undefined,
};

/** The preset names, as `--config` takes them. */
export const PRESETS: readonly string[] = Object.keys(BEHAVIORS);

const MODEL_KEYS: ReadonlyArray<keyof ReplicaModel> = [
  'minReplicas', 'maxReplicas', 'capacityPerReplica', 'targetUtilization', 'timeToReady', 'metricDelay', 'metricWindow',
  'scaleUpTolerance', 'scaleDownTolerance', 'priceUsdPerHour',
];
const PREDICTIVE_KEYS: ReadonlyArray<keyof PredictiveOptions> = ['firstPlanAfter', 'replanEvery', 'leadTime', 'maxTriggers'];
const CONFIG_KEYS = ['name', ...MODEL_KEYS, 'behavior', 'predictive'];
const BEHAVIOR_KEYS = ['scaleUp', 'scaleDown'];
const RULES_KEYS = ['stabilizationWindow', 'selectPolicy', 'policies'];
const POLICY_KEYS = ['type', 'value', 'period'];
const POLICY_EXAMPLE = '{"type": "Pods", "value": 4, "period": "60s"}';

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
 * A JSON config: the default replica model with the keys it gives, parsed into the library's models (ScalingBehavior,
 * Durations) and checked by their own validators, which name the file and the key. Unknown keys and wrong types are
 * errors naming the key too.
 */
export function parseConfig(text: string, source: string): ScalingConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw configNotJson(source, text, (e as Error).message);
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
  const d = DEFAULT_MODEL;
  const model: ReplicaModel = {
    minReplicas: optionalNumber(source, 'minReplicas', json.minReplicas, '2') ?? d.minReplicas,
    maxReplicas: optionalNumber(source, 'maxReplicas', json.maxReplicas, '30') ?? d.maxReplicas,
    capacityPerReplica: optionalNumber(source, 'capacityPerReplica', json.capacityPerReplica, '10') ?? d.capacityPerReplica,
    targetUtilization: optionalNumber(source, 'targetUtilization', json.targetUtilization, '0.7') ?? d.targetUtilization,
    timeToReady: optionalDuration(source, 'timeToReady', json.timeToReady, '"3m"') ?? d.timeToReady,
    metricDelay: optionalDuration(source, 'metricDelay', json.metricDelay, '"15s"') ?? d.metricDelay,
    metricWindow: optionalDuration(source, 'metricWindow', json.metricWindow, '"2m"') ?? d.metricWindow,
    scaleUpTolerance: optionalNumber(source, 'scaleUpTolerance', json.scaleUpTolerance, '0.1'),
    scaleDownTolerance: optionalNumber(source, 'scaleDownTolerance', json.scaleDownTolerance, '0.1'),
    priceUsdPerHour: optionalNumber(source, 'priceUsdPerHour', json.priceUsdPerHour, '0.526') ?? d.priceUsdPerHour,
  };
  const behavior = json.behavior === undefined ? undefined : parseBehavior(source, json.behavior);
  // AutoscalerSimulator's own checks of the model, naming this file; its bounds (MAX_LOAD, MAX_PRICE_USD_PER_HOUR) keep
  // capacity x replicas and price x replica-hours far from overflowing to Infinity on the page.
  libraryCheck(() => AutoscalerSimulator._checkModel(source, { ...model, behavior }));
  const predictive = json.predictive === undefined ? undefined : parsePredictive(source, json.predictive, model);
  return { name, source, model, behavior, behaviorText: describeBehavior(behavior), predictive };
}

/** Runs a library check that names `source` as the owner; its error becomes the command's error, word for word. */
function libraryCheck(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof CliError || !(e instanceof Error) || e.constructor !== Error) throw e;
    throw configInvalid(e.message);
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
  const behavior = ScalingBehavior.custom({
    scaleUp: value.scaleUp === undefined ? undefined : parseRules(source, 'behavior.scaleUp', value.scaleUp),
    scaleDown: value.scaleDown === undefined ? undefined : parseRules(source, 'behavior.scaleDown', value.scaleDown),
  });
  // The one validator of ScalingBehavior (the API server's limits), naming this file and the key.
  libraryCheck(() => behavior._validate(source, 'behavior'));
  return behavior;
}

function parseRules(source: string, at: string, value: unknown): HpaScalingRules {
  if (!isObject(value)) {
    throw configError(source, at, value, 'must be an object', `e.g. {"stabilizationWindow": "60s", "policies": [${POLICY_EXAMPLE}]}`);
  }
  checkKeys(source, value, `${at}.`, RULES_KEYS, at);
  let selectPolicy: HpaSelectPolicy | undefined;
  if (value.selectPolicy !== undefined) {
    if (typeof value.selectPolicy !== 'string') throw configError(source, `${at}.selectPolicy`, value.selectPolicy, 'must be a string', 'use "Max", "Min" or "Disabled"');
    selectPolicy = value.selectPolicy as HpaSelectPolicy; // ScalingBehavior's validator checks the value
  }
  let policies: HpaScalingPolicy[] | undefined;
  if (value.policies !== undefined) {
    if (!Array.isArray(value.policies)) throw configError(source, `${at}.policies`, value.policies, 'must be a list', `e.g. [${POLICY_EXAMPLE}]`);
    policies = value.policies.map((p: unknown, i: number) => {
      const where = `${at}.policies[${i}]`;
      if (!isObject(p)) throw configError(source, where, p, 'must be an object', `e.g. ${POLICY_EXAMPLE}`);
      checkKeys(source, p, `${where}.`, POLICY_KEYS, 'a policy');
      for (const key of POLICY_KEYS) {
        if (p[key] === undefined) throw configError(source, `${where}.${key}`, undefined, 'is missing', 'a policy has a type, a value and a period');
      }
      if (typeof p.type !== 'string') throw configError(source, `${where}.type`, p.type, 'must be a string', 'use "Pods" or "Percent"');
      return {
        type: p.type as HpaScalingPolicyType, // ScalingBehavior's validator checks the value
        value: number(source, `${where}.value`, p.value, '4'),
        period: duration(source, `${where}.period`, p.period, '"60s"'),
      };
    });
  }
  const window = value.stabilizationWindow;
  return {
    stabilizationWindow: window === undefined ? undefined : duration(source, `${at}.stabilizationWindow`, window, '"300s"'),
    selectPolicy,
    policies,
  };
}

function parsePredictive(source: string, value: unknown, model: ReplicaModel): PredictiveOptions | undefined {
  if (value === false) return undefined;
  if (value === true) {
    checkPredictive(source, model, DEFAULT_PREDICTIVE);
    return DEFAULT_PREDICTIVE;
  }
  if (!isObject(value)) {
    throw configError(source, 'predictive', value, 'must be true, false or an object', 'e.g. "predictive": true, or {"leadTime": "10m"}');
  }
  checkKeys(source, value, 'predictive.', PREDICTIVE_KEYS, 'predictive');
  const options: PredictiveOptions = {
    firstPlanAfter: days(source, 'firstPlanAfter', value.firstPlanAfter, '"14d"') ?? DEFAULT_PREDICTIVE.firstPlanAfter,
    replanEvery: days(source, 'replanEvery', value.replanEvery, '"7d"') ?? DEFAULT_PREDICTIVE.replanEvery,
    leadTime: optionalDuration(source, 'predictive.leadTime', value.leadTime, '"10m"'),
    maxTriggers: optionalNumber(source, 'predictive.maxTriggers', value.maxTriggers, '28'),
  };
  checkPredictive(source, model, options);
  return options;
}

/** PredictiveScaling's own checks of leadTime and maxTriggers, and of the replicas it plans at; its message is kept, after the file. */
function checkPredictive(source: string, model: ReplicaModel, p: PredictiveOptions): void {
  try {
    PredictiveScaling._checkOptions({
      capacityPerReplica: model.capacityPerReplica,
      targetUtilization: model.targetUtilization,
      minReplicas: model.minReplicas,
      maxReplicas: model.maxReplicas,
      leadTime: p.leadTime,
      maxTriggers: p.maxTriggers,
    });
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error) throw e;
    throw configRejected(source, e.message);
  }
}

/** The behavior in words, for the report. */
export function describeBehavior(behavior: ScalingBehavior | undefined): string {
  return behavior === undefined ? `none: ${ScalingBehavior._describeWithout()}` : behavior.describe();
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(source: string, value: Record<string, unknown>, prefix: string, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw configError(source, `${prefix}${key}`, value[key], `is not a key of ${what}`, `use ${allowed.join(', ')}`);
  }
}

function optionalNumber(source: string, key: string, value: unknown, example: string): number | undefined {
  return value === undefined ? undefined : number(source, key, value, example);
}

function optionalDuration(source: string, key: string, value: unknown, example: string): Duration | undefined {
  return value === undefined ? undefined : duration(source, key, value, example);
}

/** A span of the re-planning: whole days, at least one (the report's own option, which no library planner checks). */
function days(source: string, key: 'firstPlanAfter' | 'replanEvery', value: unknown, example: string): Duration | undefined {
  const d = optionalDuration(source, `predictive.${key}`, value, example);
  if (d === undefined) return undefined;
  const n = d.toDays({ integral: false });
  if (!Number.isInteger(n) || n < 1) {
    throw configError(source, `predictive.${key}`, value, 'must be whole days, at least one (plans are made at the start of a day)', `e.g. "${key}": ${example}`);
  }
  return d;
}

function number(source: string, key: string, value: unknown, example: string): number {
  if (typeof value !== 'number') throw configError(source, key, value, 'must be a number', `e.g. "${key.replace(/^.*\./, '')}": ${example}`);
  return value;
}

/** A duration string ("90s", "2m", "1m30s"), read by the library's one parser. */
function duration(source: string, key: string, value: unknown, example: string): Duration {
  if (typeof value !== 'string') {
    throw configError(source, key, value, 'must be a duration string', `e.g. "${key.replace(/^.*\./, '')}": ${example}`);
  }
  const d = parseDuration(value);
  if (d === undefined) throw configError(source, key, value, 'is not a duration', DURATION_TEXT_FORMAT);
  return d;
}
