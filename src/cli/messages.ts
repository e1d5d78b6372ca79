/**
 * Every error text of the `cdk8s-ml-scaling` command line, in one module so the wording stays uniform. Each is one
 * line in the library's shape, `[where] 'what' (value) problem: fix`: where (the command, the trace file and line, or
 * the config file), what (the option, column or key), the value received, what is allowed and the fix.
 */

/** The program name, as users type it. */
export const PROGRAM = 'cdk8s-ml-scaling';

/** Bad input (arguments, trace, config): the command prints the message as one line and exits with 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A value as it appeared in the input, short enough for one line. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const SEE_HELP = `see '${PROGRAM} report --help'`;

// ---- arguments -------------------------------------------------------------------------------------------------

/** Where an argument error is: the command. */
const REPORT = 'report';

export function noCommand(): CliError {
  return new CliError(`[${PROGRAM}] 'command' (undefined) is missing: use '${PROGRAM} report --trace <file.csv>' (${SEE_HELP})`);
}

export function unknownCommand(command: string): CliError {
  return new CliError(`[${PROGRAM}] 'command' (${shown(command)}) is not a command: the only command is 'report' (${SEE_HELP})`);
}

export function unknownOption(option: string, allowed: readonly string[]): CliError {
  return new CliError(`[${REPORT}] 'option' (${shown(option)}) is not an option of report: use one of ${allowed.join(', ')} (${SEE_HELP})`);
}

export function missingValue(option: string, example: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (undefined) needs a value: give one, e.g. ${option} ${example}`);
}

export function repeatedOption(option: string, values: readonly string[]): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(values.join(' '))}) is given more than once: give it once`);
}

export function unexpectedArgument(arg: string): CliError {
  return new CliError(`[${REPORT}] 'argument' (${shown(arg)}) is not an option: options take the form --name value (${SEE_HELP})`);
}

export function missingTrace(): CliError {
  return new CliError(`[${REPORT}] '--trace' (undefined) is required: give a CSV of timestamp,requests, e.g. --trace traffic.csv`);
}

export function badScale(value: string): CliError {
  return new CliError(`[${REPORT}] '--scale' (${shown(value)}) must be a number above zero and at most ${MAX_SCALE.toExponential()}: `
    + 'give how many requests each request of the trace stands for, e.g. --scale 20');
}

export function outputUnwritable(file: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '--out' (${shown(file)}) cannot be written (${oneLine(reason)}): `
    + 'give a file in a folder you can write to, e.g. --out report.html, or - for stdout');
}

export function badTimeZone(value: string, spelled?: string): CliError {
  if (spelled !== undefined) {
    return new CliError(`[${REPORT}] '--time-zone' (${shown(value)}) differs from the tz database name only in case, `
      + `and KEDA (Go) matches names case-sensitively: write --time-zone ${spelled}`);
  }
  return new CliError(`[${REPORT}] '--time-zone' (${shown(value)}) is not a time zone of the tz database: `
    + 'give the zone of the service\'s users as the tz database spells it, e.g. --time-zone America/New_York');
}

// ---- trace ------------------------------------------------------------------------------------------------------

/** The most requests one row of a trace may count (a trillion): sums of a long trace stay exact enough and finite. */
export const MAX_REQUESTS_PER_ROW = 1e12;
/** The largest `--scale`: a million (with MAX_REQUESTS_PER_ROW, loads stay far from overflowing a double). */
export const MAX_SCALE = 1e6;
/** The most rows a trace may have: a year of 1-minute intervals (525,600) and some. */
export const MAX_TRACE_ROWS = 600_000;
/** The largest trace file, in bytes (64 MiB, about a million rows). */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;
/** The shortest and longest interval between rows, in seconds: whole seconds from 1 s to a day. */
export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 86_400;
/** The longest span of a trace, in days (three years). */
export const MAX_TRACE_DAYS = 1096;

const TRACE_FORMAT = 'a header line timestamp,requests and one row per interval, e.g. 1995-07-01T04:00:00Z,42';

/** The trace's place in an error: `[report --trace t.csv line 12]`. */
function at(file: string, line?: number): string {
  return `[${REPORT} --trace ${file.replace(/[\]\n]/g, '?')}${line === undefined ? '' : ` line ${line}`}]`;
}

export function traceUnreadable(file: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '--trace' (${shown(file)}) cannot be read (${oneLine(reason)}): `
    + `give the path of a CSV file of ${TRACE_FORMAT}`);
}

export function traceTooLarge(file: string, bytes: number): CliError {
  return new CliError(`${at(file)} 'size' (${bytes} bytes) is above the largest trace the report reads (${MAX_TRACE_BYTES} bytes, `
    + `${MAX_TRACE_ROWS.toLocaleString('en-US')} rows): give a shorter trace, or sum its rows into longer intervals`);
}

export function traceEmpty(file: string): CliError {
  return new CliError(`${at(file)} 'header' ("") is missing, the trace is empty: give ${TRACE_FORMAT}`);
}

export function traceHeader(file: string, line: number, header: string): CliError {
  return new CliError(`${at(file, line)} 'header' (${shown(header)}) does not name the columns timestamp and requests once each: give ${TRACE_FORMAT}`);
}

export function traceTooShort(file: string, rows: number): CliError {
  return new CliError(`${at(file)} 'rows' (${rows}) are fewer than two after the header, and the interval needs two: give ${TRACE_FORMAT}`);
}

export function traceTooLong(file: string, line: number): CliError {
  return new CliError(`${at(file, line)} 'rows' (more than ${MAX_TRACE_ROWS}) are more than the report reads (at most `
    + `${MAX_TRACE_ROWS.toLocaleString('en-US')}): give a shorter trace, or sum its rows into longer intervals`);
}

export function traceFields(file: string, line: number, expected: number, got: number, text: string): CliError {
  return new CliError(`${at(file, line)} 'row' (${shown(text)}) has ${got} field${got === 1 ? '' : 's'} where the header has ${expected}: `
    + 'give one value per column, separated by commas');
}

export function traceTimestamp(file: string, line: number, value: string): CliError {
  return new CliError(`${at(file, line)} 'timestamp' (${shown(value)}) is not an ISO 8601 time with Z or an offset: `
    + 'write e.g. 1995-07-01T04:00:00Z');
}

export function traceRequests(file: string, line: number, value: string): CliError {
  return new CliError(`${at(file, line)} 'requests' (${shown(value)}) is not a number from 0 to ${MAX_REQUESTS_PER_ROW.toExponential()}: `
    + 'give the count of requests in the interval, e.g. 42');
}

export function traceNotAfter(file: string, line: number, time: string, previous: string): CliError {
  return new CliError(`${at(file, line)} 'timestamp' (${shown(time)}) is not after the previous row's (${previous}): `
    + 'sort the rows by time and keep one row per interval');
}

export function traceGap(file: string, line: number, time: string, previous: string, intervalSeconds: number, intervals: number): CliError {
  const missing = intervals - 1;
  return new CliError(`${at(file, line)} 'timestamp' (${shown(time)}) is ${intervals} intervals of ${intervalSeconds} s after the previous row's `
    + `(${previous}), a gap of ${missing} missing row${missing === 1 ? '' : 's'}: write a row with 0 requests for each interval without traffic`);
}

export function traceUneven(file: string, line: number, time: string, previous: string, seconds: number, intervalSeconds: number): CliError {
  return new CliError(`${at(file, line)} 'timestamp' (${shown(time)}) is ${seconds} s after the previous row's (${previous}), but the trace's `
    + `interval (its first two rows) is ${intervalSeconds} s: every row must start one interval after the previous one`);
}

export function traceInterval(file: string, line: number, time: string, seconds: number): CliError {
  return new CliError(`${at(file, line)} 'timestamp' (${shown(time)}) makes the interval ${seconds} s, and the report takes whole seconds from `
    + `${MIN_INTERVAL_SECONDS} s to ${MAX_INTERVAL_SECONDS} s (a day): give rows at least a second and at most a day apart, in whole seconds`);
}

export function traceSpan(file: string, line: number, time: string): CliError {
  return new CliError(`${at(file, line)} 'timestamp' (${shown(time)}) is more than ${MAX_TRACE_DAYS} days after the first row, the longest `
    + 'span the report reads: give a shorter trace');
}

// ---- scaling configs --------------------------------------------------------------------------------------------

/** `[source] 'key' (value) problem: fix`, as the library words its errors. */
export function configError(source: string, key: string, value: unknown, problem: string, fix: string): CliError {
  return new CliError(`[${source}] '${key}' (${shown(value)}) ${problem}: ${fix}`);
}

export function unknownConfig(spec: string, presets: readonly string[]): CliError {
  return new CliError(`[${REPORT}] '--config' (${shown(spec)}) is neither a preset nor a .json file: `
    + `use one of ${presets.join(', ')}, or the path of a JSON config`);
}

export function configUnreadable(file: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '--config' (${shown(file)}) cannot be read (${oneLine(reason)}): give a preset or the path of a JSON config file`);
}

export function configNotJson(file: string, text: string, reason: string): CliError {
  return new CliError(`[${file}] 'config' (${shown(text)}) is not valid JSON (${oneLine(reason)}): `
    + 'write one JSON object, e.g. {"name": "chat", "behavior": "realTime"}');
}

export function configNotObject(file: string, value: unknown): CliError {
  return new CliError(`[${file}] 'config' (${shown(value)}) is not a JSON object: write one object, e.g. {"name": "chat", "behavior": "realTime"}`);
}

/** A check of the library that names the config file as its owner failed: its message, word for word. */
export function configInvalid(message: string): CliError {
  return new CliError(message);
}

/**
 * A check of the library (PredictiveScaling, AutoscalerSimulator on the trace) failed for a config: its message, with
 * the config added to the place it names (`[cfg.json: PredictiveScaling] 'maxTriggers' (1) ...`).
 */
export function configRejected(source: string, message: string): CliError {
  const m = /^\[([^\]\n]+)\] ([\s\S]*)$/.exec(message);
  return new CliError(m ? `[${source}: ${m[1]}] ${m[2]}` : `${source}: ${message}`);
}

export function duplicateConfigName(name: string): CliError {
  return new CliError(`[${REPORT}] '--config' (${shown(name)}) names a second config ${shown(name)}: give each JSON config its own "name"`);
}

export function predictiveNeedsHours(source: string, reason: string): CliError {
  return new CliError(`[${source}] 'predictive' (true) plans on hourly means of the trace, but ${reason}: `
    + 'give a trace whose interval divides an hour (e.g. 1 min, 15 min or 1 h), or drop "predictive"');
}

/** An error's text on one line (the command prints one line). */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

// ---- report --app: a synthesized app, its workloads file and the pull-request gate (issue 18) -----------------

/** The most bytes of YAML `--app` (and `--baseline`) read: 256 MiB, far above any app cdk8s synthesizes. */
export const MAX_APP_BYTES = 256 * 1024 * 1024;

export function appNotFolder(option: string, dir: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(dir)}) is not a folder (${oneLine(reason)}): give the folder \`cdk8s synth\` writes, e.g. ${option} dist`);
}

export function appEmpty(option: string, dir: string, files: number): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(dir)}) holds no Kubernetes object (${files} YAML file${files === 1 ? '' : 's'}): `
    + `run \`npx cdk8s synth\` first and give the folder it writes, e.g. ${option} dist`);
}

export function appTooLarge(option: string, dir: string, bytes: number): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(dir)}) holds ${bytes} bytes of YAML, above the ${MAX_APP_BYTES} the report reads: give the folder of one app`);
}

export function appYamlInvalid(option: string, file: string, document: number, reason: string): CliError {
  return new CliError(`[${REPORT} ${option} ${file} document ${document}] 'yaml' (${shown(file)}) is not valid YAML (${oneLine(reason)}): `
    + 'synthesize it again with `npx cdk8s synth`');
}

export function appObjectInvalid(option: string, file: string, document: number, value: unknown): CliError {
  return new CliError(`[${REPORT} ${option} ${file} document ${document}] 'object' (${shown(value)}) is not a Kubernetes object with apiVersion and kind: `
    + 'give a folder of synthesized manifests only');
}

export function appAutoscalerInvalid(option: string, where: string, key: string, value: unknown, problem: string): CliError {
  return new CliError(`[${REPORT} ${option} ${where}] '${key}' (${shown(value)}) ${oneLine(problem)}: fix the autoscaler in the app and synthesize it again`);
}

/** AutoscalerSimulator refused a workload's replay: its message, with the autoscaler added to the place it names. */
export function appWorkloadRejected(where: string, message: string): CliError {
  const m = /^\[([^\]\n]+)\] ([\s\S]*)$/.exec(message);
  return new CliError(m ? `[${where}: ${m[1]}] ${m[2]}` : `[${where}] ${message}`);
}

export function workloadsUnreadable(file: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '--workloads' (${shown(file)}) cannot be read (${oneLine(reason)}): give the path of a JSON workloads file`);
}

export function workloadsUnmatched(file: string, keys: readonly string[], workloads: readonly string[]): CliError {
  const known = [...new Set(workloads)];
  return new CliError(`[${file}] '${keys[0]}' (${shown(keys.join(', '))}) names no autoscaled workload of the app${keys.length === 1 ? '' : 's'}: `
    + `use namespace/name or name of one of ${known.length > 0 ? shown(known.join(', ')) : 'none'}, or "*" for all`);
}

export function workloadNeedsTrace(key: string): CliError {
  return new CliError(`[${REPORT}] '--trace' (undefined) is needed for ${key}: give --trace traffic.csv for every workload, `
    + `or "trace" for "${key}" in the --workloads file`);
}

export function workloadNeedsCapacity(key: string, metric: string, percent: number): CliError {
  return new CliError(`[${REPORT} ${key}] 'capacityPerReplica' (undefined) is needed: ${metric} aims at ${percent}% utilization, which says nothing `
    + `about requests: give "capacityPerReplica" (what one replica serves at 100%, in the trace's unit) for "${key}" in the --workloads file`);
}

export function workloadTargetAboveCapacity(key: string, metric: string, target: number, capacity: number): CliError {
  return new CliError(`[${REPORT} ${key}] 'capacityPerReplica' (${capacity}) is below the per-replica target of ${metric} (${target}): `
    + 'the autoscaler would add replicas only once they are overloaded; give what one replica serves at full utilization, at least the target');
}

export function configWithApp(): CliError {
  return new CliError(`[${REPORT}] '--config' (given with --app) replays presets, and --app replays the app's own autoscalers: give one of the two (${SEE_HELP})`);
}

export function appOnlyOption(option: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (given without --app) applies to a synthesized app: add --app dist (${SEE_HELP})`);
}

export function thresholdWithoutBaseline(option: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (given without --baseline) compares two synths: add --baseline <folder of the main branch's synth>`);
}

export function badFraction(option: string, value: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(value)}) must be a fraction from 0 to 1 or a percentage from 0% to 100%: `
    + `e.g. ${option} 0.5% (half a percentage point of requests) or ${option} 0.005`);
}

export function badUsdPerWeek(option: string, value: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(value)}) must be a number of US dollars of 0 or more: e.g. ${option} 200`);
}

export function badFlag(option: string, value: string): CliError {
  return new CliError(`[${REPORT}] '${option}' (${shown(value)}) takes no value: write ${option} alone`);
}

export function jsonUnwritable(file: string, reason: string): CliError {
  return new CliError(`[${REPORT}] '--json' (${shown(file)}) cannot be written (${oneLine(reason)}): give a file in a folder you can write to, e.g. --json report.json`);
}

/** The exit code of `report --app --baseline` when the head app is past a threshold (1 is bad input). */
export const EXIT_GATE_FAILED = 2;

/** ScalingGuardrails refused what the workloads file's "guardrails" key declares: its message, re-addressed to the file's key. */
export function guardrailsRejected(file: string, message: string): CliError {
  // Not oneLine: the library's message ends with its fix, which a cut would lose.
  const line = message.replace(/\s*\n\s*/g, ' ');
  const m = /^\[[^\]]*\] '([^']+)'([\s\S]*)$/.exec(line);
  if (m) return new CliError(`[${file}] 'guardrails.${m[1]}'${m[2]}`);
  return new CliError(`[${file}] 'guardrails' is refused by ScalingGuardrails: ${line}`);
}
