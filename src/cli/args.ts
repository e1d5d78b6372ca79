import { PRESETS } from './config';
import {
  appOnlyOption, badFlag, badFraction, badScale, badTimeZone, badUsdPerWeek, configWithApp, MAX_SCALE, missingTrace, missingValue, repeatedOption,
  thresholdWithoutBaseline, unexpectedArgument, unknownOption,
} from './messages';
import { tzSpellingProblem } from '../common/time-zones';

/** The options of `report`, parsed and checked (files are read later). */
export interface ReportArgs {
  readonly trace: string;
  /** Presets and JSON files, in the order given. */
  readonly configs: string[];
  readonly timeZone: string;
  readonly scale: number;
  /** The page's path, or `-` for stdout. */
  readonly out: string;
  /** `report --app`: the synthesized app's folder, and what goes with it; undefined for the preset report. */
  readonly app?: AppArgs;
}

/** The options of `report --app` (the trace is optional there: the workloads file may give one per workload). */
export interface AppArgs {
  readonly dir: string;
  readonly baseline?: string;
  readonly workloads?: string;
  readonly json?: string;
  /** A fraction (0.005 for half a percentage point). */
  readonly maxUnservedIncrease?: number;
  readonly maxCostIncreaseUsdPerWeek?: number;
  readonly failOnFindings: boolean;
}

/** The configurations a report compares when no `--config` is given. */
export const DEFAULT_CONFIGS: readonly string[] = PRESETS;
export const DEFAULT_TIME_ZONE = 'Etc/UTC';
export const DEFAULT_OUT = 'report.html';

/** Each option with the example its error message shows. */
const OPTIONS: Record<string, string> = {
  '--trace': 'traffic.csv',
  '--config': 'realTime',
  '--time-zone': 'America/New_York',
  '--scale': '20',
  '--out': 'report.html',
  '--app': 'dist',
  '--baseline': 'dist-main',
  '--workloads': 'workloads.json',
  '--json': 'report.json',
  '--max-unserved-increase': '0.5%',
  '--max-cost-increase-usd-per-week': '200',
  '--fail-on-findings': '',
};
const SINGLE = ['--trace', '--time-zone', '--scale', '--out', '--app', '--baseline', '--workloads', '--json', '--max-unserved-increase',
  '--max-cost-increase-usd-per-week', '--fail-on-findings'];
/** Options that take no value. */
const FLAGS = ['--fail-on-findings'];
/** Options of `report --app` only. */
const APP_ONLY = ['--baseline', '--workloads', '--json', '--max-unserved-increase', '--max-cost-increase-usd-per-week', '--fail-on-findings'];

/** Whether the arguments ask for help (`-h` or `--help` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Parses `report`'s arguments: `--name value` or `--name=value`. Throws a `CliError` for anything else. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const values: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) throw unexpectedArgument(arg);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.prototype.hasOwnProperty.call(OPTIONS, name)) throw unknownOption(name, [...Object.keys(OPTIONS), '--help']);
    let value: string;
    if (FLAGS.includes(name)) {
      if (eq > 0) throw badFlag(name, arg.slice(eq + 1));
      (values[name] ??= []).push('true');
      continue;
    }
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw missingValue(name, OPTIONS[name]);
      value = next;
      i++;
    }
    if (value === '') throw missingValue(name, OPTIONS[name]);
    (values[name] ??= []).push(value);
  }
  for (const name of SINGLE) if ((values[name]?.length ?? 0) > 1) throw repeatedOption(name, values[name]);

  const appDir = values['--app']?.[0];
  if (appDir === undefined) {
    const appOnly = APP_ONLY.find(o => values[o] !== undefined);
    if (appOnly) throw appOnlyOption(appOnly);
  } else if (values['--config'] !== undefined) {
    throw configWithApp();
  }
  const trace = values['--trace']?.[0];
  if (trace === undefined && appDir === undefined) throw missingTrace();
  const scaleText = values['--scale']?.[0];
  const scale = scaleText === undefined ? 1 : Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE || scaleText?.trim() === '') throw badScale(scaleText ?? '');
  const timeZone = values['--time-zone']?.[0] ?? DEFAULT_TIME_ZONE;
  checkTimeZone(timeZone);
  return {
    trace: trace ?? '',
    configs: appDir === undefined ? values['--config'] ?? [...DEFAULT_CONFIGS] : [],
    timeZone,
    scale,
    out: values['--out']?.[0] ?? DEFAULT_OUT,
    app: appDir === undefined ? undefined : appArgs(appDir, values),
  };
}

function appArgs(dir: string, values: Record<string, string[]>): AppArgs {
  const baseline = values['--baseline']?.[0];
  for (const o of ['--max-unserved-increase', '--max-cost-increase-usd-per-week']) {
    if (values[o] !== undefined && baseline === undefined) throw thresholdWithoutBaseline(o);
  }
  const unservedText = values['--max-unserved-increase']?.[0];
  let maxUnservedIncrease: number | undefined;
  if (unservedText !== undefined) {
    const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(unservedText.trim());
    maxUnservedIncrease = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!(maxUnservedIncrease >= 0 && maxUnservedIncrease <= 1)) throw badFraction('--max-unserved-increase', unservedText);
  }
  const costText = values['--max-cost-increase-usd-per-week']?.[0];
  let maxCostIncreaseUsdPerWeek: number | undefined;
  if (costText !== undefined) {
    maxCostIncreaseUsdPerWeek = /^\d+(\.\d+)?$/.test(costText.trim()) ? Number(costText) : NaN;
    if (!(maxCostIncreaseUsdPerWeek >= 0 && maxCostIncreaseUsdPerWeek < 1e12)) throw badUsdPerWeek('--max-cost-increase-usd-per-week', costText);
  }
  return {
    dir,
    baseline,
    workloads: values['--workloads']?.[0],
    json: values['--json']?.[0],
    maxUnservedIncrease,
    maxCostIncreaseUsdPerWeek,
    failOnFindings: values['--fail-on-findings'] !== undefined,
  };
}

/** The zone as the tz database spells it: KEDA (Go) and the predictive windows match names case-sensitively. */
function checkTimeZone(timeZone: string): void {
  const problem = tzSpellingProblem(timeZone);
  if (problem) throw badTimeZone(timeZone, problem.spelled);
}

/** `cdk8s-ml-scaling report --help`. */
export const REPORT_HELP = `Usage: cdk8s-ml-scaling report --trace <trace.csv> [options]
       cdk8s-ml-scaling report --app <dist> [--baseline <dist-main>] [--trace <trace.csv>] [app options]

Replays a load trace through one or more HPA scaling configurations and writes one
self-contained HTML page: load against ready capacity and replicas over time for each
configuration, cost and unserved load, and the load forecast for the next day.

Options:
  --trace <file.csv>       the load trace: a header line timestamp,requests, then one row
                           per interval (ISO 8601 time with Z or an offset, requests counted
                           in the interval, 0 to 1e12), every interval present; intervals of
                           1 s to 1 day, at most 600,000 rows and 1,096 days (required)
  --config <name|file>     a preset (${PRESETS.join(', ')}) or a JSON config file; repeat
                           to compare several (default: ${DEFAULT_CONFIGS.join(', ')})
  --time-zone <zone>       IANA time zone of the users: the forecast's days, the predictive
                           windows and the charts' clock (default: ${DEFAULT_TIME_ZONE})
  --scale <number>         requests each request of the trace stands for, above 0 and at
                           most 1e6 (default: 1)
  --out <file.html>        where to write the page, or - for stdout (default: ${DEFAULT_OUT})
  -h, --help               this help

Presets: a replica serves 10 requests per second (capacityPerReplica) at 0.526 USD per hour,
the HPA aims at 70 % of that (targetUtilization), 2 to 30 replicas, 3 minutes to ready:
  realTime      ScalingBehavior.realTime(): up fast, down slowly
  standard      ScalingBehavior.standard()
  hpaDefaults   no spec.behavior: the controller's defaults

A JSON config starts from the same replica model; every key is optional. Durations are
strings such as "90s", "2m", "1h" or "1m30s":
  {
    "name": "chat",                      (default: the file name)
    "minReplicas": 2, "maxReplicas": 30,
    "capacityPerReplica": 10,            requests per second one ready replica serves (at most 1e9)
    "targetUtilization": 0.7,            the fraction of it the HPA aims at
    "timeToReady": "3m", "metricDelay": "15s", "metricWindow": "2m",
    "scaleUpTolerance": 0.1, "scaleDownTolerance": 0.1,   (Kubernetes 1.33+ per-direction tolerances)
    "priceUsdPerHour": 0.526,            what one replica costs per hour (at most 1e6)
    "behavior": "realTime",              a preset name, or custom rules:
        {"scaleUp": {"stabilizationWindow": "0s", "selectPolicy": "Max",
                     "policies": [{"type": "Pods", "value": 4, "period": "60s"}]},
         "scaleDown": {...}}
    "predictive": true                   PredictiveScaling cron windows re-planned weekly from
                                         day 14 at capacityPerReplica x targetUtilization, or
                                         {"firstPlanAfter": "14d", "replanEvery": "7d",
                                          "leadTime": "10m", "maxTriggers": 28}
  }

App options (report --app): replay every HorizontalPodAutoscaler (autoscaling/v2) and KEDA
ScaledObject of a synthesized app exactly as written (behavior, min/max, the metric's per-replica
target, KEDA cron windows, activation, cooldownPeriod, pollingInterval), and run ScalingGuardrails
over its objects:
  --app <folder>           the folder \`cdk8s synth\` writes (every *.yaml in it)
  --baseline <folder>      a second synth (e.g. the main branch's) to compare against, workload by
                           workload and in total; workloads added or removed are listed
  --workloads <file.json>  what the manifests cannot say, per workload (namespace/name or name, or
                           "*" for all): {"ml-serving/chat": {"trace": "chat.csv", "scale": 20,
                           "capacityPerReplica": 8, "timeToReady": "4m", "metricDelay": "15s",
                           "metricWindow": "2m", "priceUsdPerHour": 1.21, "metric": "scaling_request_rate"}}
                           Without "trace" a workload replays --trace; without "capacityPerReplica" the
                           metric's per-replica target is taken as 70 % of what a replica serves; without
                           "priceUsdPerHour" its cost is unknown; without "metric" the first metric the
                           replay can read stands for the trace. The page lists each assumption.
                           The top-level "guardrails" key gives ScalingGuardrails what it is given in code
                           (a workload named guardrails is keyed namespace/name):
                           {"guardrails": {"budgetUsdPerHour": 500, "daemonSetOverhead": {"cpu": "125m",
                           "memory": "256Mi", "gpus": 0}, "nodePools": [{"name": "system", "taints":
                           [{"key": "k", "value": "v", "effect": "NoSchedule"}], "labels": {"k": ["v"]},
                           "limits": {"vcpus": 64, "memory": "512Gi", "gpus": 8}, "weight": 10,
                           "instanceTypes": ["g6.xlarge", {"name": "m7i.2xlarge", "vcpus": 8, "memory":
                           "32Gi", "gpus": 0, "priceUsdPerHour": 0.4032}]}]}}
                           Instance type names come from InstanceCatalog.awsGpu() or .designDocument();
                           give any other in full.
  --json <file.json>       also write every figure, the comparison, the findings and the gate as JSON
  --max-unserved-increase <fraction|percent>
                           fail when a workload's (or the app's) unserved fraction rises by more, e.g. 0.5%
  --max-cost-increase-usd-per-week <usd>
                           fail when the app's replica cost per week rises by more, e.g. 200
  --fail-on-findings       fail when the guardrails find anything in --app

Progress goes to stderr when a run takes longer than 2 s. Exit code 1 on bad input; 2 when
report --app is past a threshold (the pull-request gate).
`;

/** `cdk8s-ml-scaling --help`. */
export const MAIN_HELP = `Usage: cdk8s-ml-scaling <command> [options]

Commands:
  report    replay a load trace through scaling configurations, or through a synthesized
            app's own autoscalers (--app, --baseline for the pull-request gate), and write
            an HTML report

Run 'cdk8s-ml-scaling report --help' for its options.
`;
