import * as fs from 'fs';
import * as path from 'path';
import { runCli } from './fixtures';
import { DEFAULT_CONFIGS, parseReportArgs, wantsHelp } from '../../src/cli/args';

describe('report arguments', () => {
  test('defaults: the three presets, UTC, scale 1, report.html', () => {
    expect(parseReportArgs(['--trace', 't.csv'])).toEqual({
      trace: 't.csv', configs: ['realTime', 'standard', 'hpaDefaults'], timeZone: 'Etc/UTC', scale: 1, out: 'report.html',
    });
    expect(DEFAULT_CONFIGS).toEqual(['realTime', 'standard', 'hpaDefaults']);
  });

  test('takes --name value and --name=value, and repeated --config in order', () => {
    expect(parseReportArgs([
      '--trace=t.csv', '--config', 'standard', '--config=my.json', '--time-zone', 'America/New_York', '--scale', '2.5', '--out', 'x/r.html',
    ])).toEqual({ trace: 't.csv', configs: ['standard', 'my.json'], timeZone: 'America/New_York', scale: 2.5, out: 'x/r.html' });
  });

  test('--out - writes to stdout', () => {
    expect(parseReportArgs(['--trace', 't.csv', '--out', '-']).out).toBe('-');
  });

  test('fails without --trace', () => {
    expect(() => parseReportArgs([])).toThrow(
      "[report] '--trace' (undefined) is required: give a CSV of timestamp,requests, e.g. --trace traffic.csv");
  });

  test('fails for an unknown option, naming the allowed ones', () => {
    expect(() => parseReportArgs(['--trace', 't.csv', '--confg', 'realTime'])).toThrow(
      '[report] \'option\' ("--confg") is not an option of report: use one of --trace, --config, --time-zone, --scale, --out, --app, --baseline, '
      + '--workloads, --json, --max-unserved-increase, --max-cost-increase-usd-per-week, --fail-on-findings, --help (see \'cdk8s-ml-scaling report --help\')');
  });

  test('fails for an option without a value', () => {
    expect(() => parseReportArgs(['--trace'])).toThrow("[report] '--trace' (undefined) needs a value: give one, e.g. --trace traffic.csv");
    expect(() => parseReportArgs(['--trace', 't.csv', '--config', '--scale', '2'])).toThrow(
      "[report] '--config' (undefined) needs a value: give one, e.g. --config realTime");
    expect(() => parseReportArgs(['--trace', 't.csv', '--out='])).toThrow("[report] '--out' (undefined) needs a value: give one, e.g. --out report.html");
  });

  test('fails for a single-valued option given twice', () => {
    expect(() => parseReportArgs(['--trace', 'a.csv', '--trace', 'b.csv'])).toThrow('[report] \'--trace\' ("a.csv b.csv") is given more than once: give it once');
  });

  test('fails for a bare argument', () => {
    expect(() => parseReportArgs(['t.csv'])).toThrow(
      '[report] \'argument\' ("t.csv") is not an option: options take the form --name value (see \'cdk8s-ml-scaling report --help\')');
  });

  test.each(['0', '-1', 'abc', 'Infinity', '1e308', '1000001'])('fails when --scale is %s', scale => {
    expect(() => parseReportArgs(['--trace', 't.csv', '--scale', scale])).toThrow(
      `[report] '--scale' ("${scale}") must be a number above zero and at most 1e+6: give how many requests each request of the trace stands for, e.g. --scale 20`);
  });

  test('fails for a time zone the tz database does not know', () => {
    expect(() => parseReportArgs(['--trace', 't.csv', '--time-zone', 'Mars/Olympus'])).toThrow(
      "[report] '--time-zone' (\"Mars/Olympus\") is not a time zone of the tz database: give the zone of the service's users as the tz database "
      + 'spells it, e.g. --time-zone America/New_York');
  });

  test('fails for a time zone spelled in the wrong case, with the right spelling', () => {
    expect(() => parseReportArgs(['--trace', 't.csv', '--time-zone', 'america/new_york'])).toThrow(
      "[report] '--time-zone' (\"america/new_york\") differs from the tz database name only in case, and KEDA (Go) matches names "
      + 'case-sensitively: write --time-zone America/New_York');
  });

  test('-h and --help anywhere ask for help', () => {
    expect(wantsHelp(['--trace', 'x', '-h'])).toBe(true);
    expect(wantsHelp(['--trace', 'x'])).toBe(false);
  });
});

describe('the command line', () => {
  test('--help prints the commands; report --help prints the options and the config format', () => {
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('report    replay a load trace');
    const report = runCli(['report', '--trace', 'x.csv', '--help']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Usage: cdk8s-ml-scaling report --trace <trace.csv> [options]');
    expect(report.stdout).toContain('"predictive": true');
    expect(report.stderr).toBe('');
  });

  test('--version prints the package version', () => {
    const { code, stdout } = runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
  });

  test('exits with 1 and one line on stderr without a command', () => {
    expect(runCli([])).toEqual({
      code: 1,
      stdout: '',
      stderr: "cdk8s-ml-scaling: error: [cdk8s-ml-scaling] 'command' (undefined) is missing: use 'cdk8s-ml-scaling report --trace <file.csv>' "
        + "(see 'cdk8s-ml-scaling report --help')\n",
    });
  });

  test('exits with 1 and one line on stderr for an unknown command', () => {
    expect(runCli(['reprot'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cdk8s-ml-scaling: error: [cdk8s-ml-scaling] \'command\' ("reprot") is not a command: the only command is \'report\' (see \'cdk8s-ml-scaling report --help\')\n',
    });
  });

  test('exits with 1 for a trace that does not exist', () => {
    expect(runCli(['report', '--trace', 'no-such-trace.csv'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cdk8s-ml-scaling: error: [report] \'--trace\' ("no-such-trace.csv") cannot be read (no such file): give the path of a CSV file of '
        + 'a header line timestamp,requests and one row per interval, e.g. 1995-07-01T04:00:00Z,42\n',
    });
  });
});
