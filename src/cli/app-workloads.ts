/**
 * The workloads file of `report --app` (`--workloads file.json`): what the manifests cannot say about each workload.
 * An object keyed by workload (`namespace/name` or `name`, the autoscaler's target), with `"*"` for every workload;
 * each value holds the keys below, all optional. Trace paths are read relative to the file.
 *
 *   { "*": { "timeToReady": "4m" },
 *     "ml-serving/chat": { "trace": "chat.csv", "scale": 20, "capacityPerReplica": 8, "priceUsdPerHour": 1.21,
 *                          "metric": "scaling_request_rate" },
 *     "guardrails": { "budgetUsdPerHour": 500, "nodePools": [{ "name": "system", "instanceTypes": ["g6.xlarge"] }] } }
 *
 * The top-level `"guardrails"` key is not a workload: it holds what ScalingGuardrails is given in code (app-guardrails.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { GUARDRAILS_KEY, GuardrailsInputs, parseGuardrails } from './app-guardrails';
import { configError, configNotJson, configNotObject, workloadsUnreadable } from './messages';
import { DURATION_TEXT_FORMAT, parseDuration } from '../common/duration-text';
import { AutoscalerSimulator } from '../planning/autoscaler-simulator';

/** What one workload's replay takes beyond its manifests. */
export interface WorkloadOverrides {
  /** The trace, resolved to a path. */
  readonly trace?: string;
  /** The trace as written in the file (for the page). */
  readonly traceShown?: string;
  readonly scale?: number;
  /** In the unit of the trace: what one ready replica serves at full utilization. */
  readonly capacityPerReplica?: number;
  readonly timeToReady?: Duration;
  readonly metricDelay?: Duration;
  readonly metricWindow?: Duration;
  readonly priceUsdPerHour?: number;
  /** The metric the trace stands for (its name, or `type name` as the page shows it). */
  readonly metric?: string;
}

/** The keys of a workload entry, in the order `--help` lists them. */
export const WORKLOAD_KEYS = ['trace', 'scale', 'capacityPerReplica', 'timeToReady', 'metricDelay', 'metricWindow', 'priceUsdPerHour', 'metric'];

/** The file, parsed: per key its overrides (`*` included). */
export interface WorkloadsFile {
  readonly file: string;
  readonly entries: Map<string, WorkloadOverrides>;
  /** The `"guardrails"` key: node pools outside the app, the budget and the DaemonSets' overhead. */
  readonly guardrails?: GuardrailsInputs;
}

/** Reads and checks a workloads file; throws a one-line CliError naming the file and the key. */
export function readWorkloadsFile(file: string, shownAs: string): WorkloadsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw workloadsUnreadable(shownAs, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return parseWorkloadsFile(text, shownAs, path.dirname(file));
}

export function parseWorkloadsFile(text: string, source: string, dir: string): WorkloadsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw configNotJson(source, text, (e as Error).message);
  }
  if (!isObject(json)) throw configNotObject(source, json);
  const entries = new Map<string, WorkloadOverrides>();
  let guardrails: GuardrailsInputs | undefined;
  for (const [key, value] of Object.entries(json)) {
    if (key === GUARDRAILS_KEY) {
      guardrails = parseGuardrails(value, source);
      continue;
    }
    if (!isObject(value)) throw configError(source, key, value, 'must be an object', 'e.g. "ml-serving/chat": {"trace": "chat.csv", "capacityPerReplica": 8}');
    for (const k of Object.keys(value)) {
      if (!WORKLOAD_KEYS.includes(k)) throw configError(source, `${key}.${k}`, value[k], 'is not a key of a workload', `use ${WORKLOAD_KEYS.join(', ')}`);
    }
    const at = (k: string) => `${key}.${k}`;
    const num = (k: string, min: number, max: number, example: string): number | undefined => {
      const v = value[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !(v > min && v <= max)) {
        throw configError(source, at(k), v, `must be a number above ${min} and at most ${max}`, `e.g. "${k}": ${example}`);
      }
      return v;
    };
    const dur = (k: string, example: string): Duration | undefined => {
      const v = value[k];
      if (v === undefined) return undefined;
      const d = typeof v === 'string' ? parseDuration(v) : undefined;
      if (d === undefined) throw configError(source, at(k), v, 'is not a duration string', DURATION_TEXT_FORMAT + `, e.g. "${k}": ${example}`);
      return d;
    };
    const str = (k: string, example: string): string | undefined => {
      const v = value[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.trim() === '') throw configError(source, at(k), v, 'must be a non-empty string', `e.g. "${k}": ${example}`);
      return v.trim();
    };
    const price = value.priceUsdPerHour;
    if (price !== undefined && !(typeof price === 'number' && price >= 0 && price <= AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR)) {
      throw configError(source, at('priceUsdPerHour'), price, `must be a number from 0 to ${AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR}`,
        'give what one replica costs per hour in US dollars, e.g. "priceUsdPerHour": 1.21');
    }
    const trace = str('trace', '"chat.csv"');
    entries.set(key, {
      trace: trace === undefined ? undefined : path.resolve(dir, trace),
      traceShown: trace,
      scale: num('scale', 0, 1e6, '20'),
      capacityPerReplica: num('capacityPerReplica', 0, AutoscalerSimulator.MAX_LOAD, '8'),
      timeToReady: dur('timeToReady', '"4m"'),
      metricDelay: dur('metricDelay', '"15s"'),
      metricWindow: dur('metricWindow', '"2m"'),
      priceUsdPerHour: price as number | undefined,
      metric: str('metric', '"scaling_request_rate"'),
    });
  }
  return { file: source, entries, ...(guardrails ? { guardrails } : {}) };
}

/**
 * A workload's overrides: `*`, then its `name`, then its `namespace/name` (later keys win, key by key). Returns the
 * keys of the file that applied, so unmatched keys can be reported.
 */
export function overridesFor(file: WorkloadsFile | undefined, namespace: string, name: string, used: Set<string>): WorkloadOverrides {
  if (!file) return {};
  let out: Record<string, unknown> = {};
  for (const key of ['*', name, namespace ? `${namespace}/${name}` : name]) {
    const e = file.entries.get(key);
    if (!e) continue;
    used.add(key);
    out = { ...out, ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) };
  }
  return out as WorkloadOverrides;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
