/**
 * Every error text of the `cdk8s-ml-scaling` command line, in one module so the wording stays uniform. Each is one
 * line: where (the option, file and line, or config and key), what was received, what is allowed and the fix.
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

export function noCommand(): CliError {
  return new CliError(`missing command: use '${PROGRAM} report --trace <file.csv>' (${SEE_HELP})`);
}

export function unknownCommand(command: string): CliError {
  return new CliError(`unknown command ${shown(command)}: the only command is 'report' (${SEE_HELP})`);
}

export function unknownOption(option: string, allowed: readonly string[]): CliError {
  return new CliError(`unknown option ${shown(option)}: use one of ${allowed.join(', ')} (${SEE_HELP})`);
}

export function missingValue(option: string, example: string): CliError {
  return new CliError(`option '${option}' needs a value, e.g. ${option} ${example}`);
}

export function repeatedOption(option: string): CliError {
  return new CliError(`option '${option}' is given more than once: give it once`);
}

export function unexpectedArgument(arg: string): CliError {
  return new CliError(`unexpected argument ${shown(arg)}: options take the form --name value (${SEE_HELP})`);
}

export function missingTrace(): CliError {
  return new CliError('option \'--trace\' is required: give a CSV of timestamp,requests, e.g. --trace traffic.csv');
}

export function badScale(value: string): CliError {
  return new CliError(`option '--scale' (${shown(value)}) must be a number above zero: `
    + 'give how many requests each request of the trace stands for, e.g. --scale 20');
}

export function outputUnwritable(file: string, reason: string): CliError {
  return new CliError(`cannot write ${shown(file)}: ${reason}`);
}

export function badTimeZone(value: string, spelled?: string): CliError {
  if (spelled !== undefined) {
    return new CliError(`option '--time-zone' (${shown(value)}) differs from the tz database name only in case, `
      + `and KEDA (Go) matches names case-sensitively: write --time-zone ${spelled}`);
  }
  return new CliError(`option '--time-zone' (${shown(value)}) is not a time zone of the tz database: `
    + 'give the zone of the service\'s users as the tz database spells it, e.g. --time-zone America/New_York');
}

// ---- trace ------------------------------------------------------------------------------------------------------

const TRACE_FORMAT = 'a header line timestamp,requests and one row per interval, e.g. 1995-07-01T04:00:00Z,42';

export function traceUnreadable(file: string, reason: string): CliError {
  return new CliError(`cannot read trace ${shown(file)}: ${reason}`);
}

export function traceEmpty(file: string): CliError {
  return new CliError(`${file}: the trace is empty: give ${TRACE_FORMAT}`);
}

export function traceHeader(file: string, header: string): CliError {
  return new CliError(`${file} line 1: the header ${shown(header)} does not name the columns timestamp and requests: give ${TRACE_FORMAT}`);
}

export function traceTooShort(file: string, rows: number): CliError {
  return new CliError(`${file}: ${rows} row${rows === 1 ? '' : 's'} after the header; the interval needs at least two: give ${TRACE_FORMAT}`);
}

export function traceFields(file: string, line: number, expected: number, got: number, text: string): CliError {
  return new CliError(`${file} line ${line}: ${got} field${got === 1 ? '' : 's'} where the header has ${expected} (${shown(text)}): `
    + 'give one value per column, separated by commas');
}

export function traceTimestamp(file: string, line: number, value: string): CliError {
  return new CliError(`${file} line ${line}: timestamp ${shown(value)} is not an ISO 8601 time with Z or an offset: `
    + 'write e.g. 1995-07-01T04:00:00Z');
}

export function traceRequests(file: string, line: number, value: string): CliError {
  return new CliError(`${file} line ${line}: requests ${shown(value)} is not a number of 0 or more: `
    + 'give the count of requests in the interval, e.g. 42');
}

export function traceNotAfter(file: string, line: number, time: string, previous: string): CliError {
  return new CliError(`${file} line ${line}: ${time} is not after the previous row (${previous}): `
    + 'sort the rows by time and keep one row per interval');
}

export function traceGap(file: string, line: number, time: string, previous: string, intervalSeconds: number, intervals: number): CliError {
  const missing = intervals - 1;
  return new CliError(`${file} line ${line}: ${time} is ${intervals} intervals of ${intervalSeconds} s after the previous row (${previous}), `
    + `a gap of ${missing} missing row${missing === 1 ? '' : 's'}: write a row with 0 requests for each interval without traffic`);
}

export function traceUneven(file: string, line: number, time: string, previous: string, seconds: number, intervalSeconds: number): CliError {
  return new CliError(`${file} line ${line}: ${time} is ${seconds} s after the previous row (${previous}), but the trace's interval `
    + `(its first two rows) is ${intervalSeconds} s: every row must start one interval after the previous one`);
}

// ---- scaling configs --------------------------------------------------------------------------------------------

/** `[source] 'key' (value) problem: fix`, as the library words its errors. */
export function configError(source: string, key: string, value: unknown, problem: string, fix: string): CliError {
  return new CliError(`[${source}] '${key}' (${shown(value)}) ${problem}: ${fix}`);
}

export function unknownConfig(spec: string, presets: readonly string[]): CliError {
  return new CliError(`option '--config' (${shown(spec)}) is neither a preset nor a .json file: `
    + `use one of ${presets.join(', ')}, or the path of a JSON config`);
}

export function configUnreadable(file: string, reason: string): CliError {
  return new CliError(`cannot read config ${shown(file)}: ${reason}`);
}

export function configNotJson(file: string, reason: string): CliError {
  return new CliError(`${file}: not valid JSON (${reason}): write one JSON object, e.g. {"name": "chat", "behavior": "realTime"}`);
}

export function configNotObject(file: string, value: unknown): CliError {
  return new CliError(`${file}: the config (${shown(value)}) is not a JSON object: write one object, e.g. {"name": "chat", "behavior": "realTime"}`);
}

/** A check of the library that names the config file as its owner failed: its message, word for word. */
export function configInvalid(message: string): CliError {
  return new CliError(message);
}

/** A check of the library (PredictiveScaling, AutoscalerSimulator on the trace) failed for a config: its message, with the config. */
export function configRejected(source: string, message: string): CliError {
  return new CliError(`${source}: ${message}`);
}

export function duplicateConfigName(name: string): CliError {
  return new CliError(`two configs are named ${shown(name)}: give each JSON config its own "name"`);
}

export function predictiveNeedsHours(name: string, reason: string): CliError {
  return new CliError(`config ${shown(name)} asks for predictive scaling, which plans on hourly means of the trace, but ${reason}: `
    + 'give a trace whose interval divides an hour (e.g. 1 min, 15 min or 1 h), or drop "predictive"');
}
