import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, syntheticTraceCsv, tempDir, writeFile } from './fixtures';
import { AutoscalerSimulator } from '../../src';
import { PROGRESS_ENV } from '../../src/cli/main';
import { testIf } from '../skip';

const ROOT = path.join(__dirname, '..', '..');

describe('cdk8s-ml-scaling report, in process', () => {
  const dir = tempDir('main');
  writeFile(dir, 't.csv', syntheticTraceCsv(3, 300));
  writeFile(dir, 'chat.json', JSON.stringify({ name: 'chat', behavior: 'realTime', maxReplicas: 12 }));

  test('writes the page, relative to the working directory, creating its folder; a quick run prints nothing', () => {
    const { code, stdout, stderr } = runCli(['report', '--trace', 't.csv', '--config', 'standard', '--config', 'chat.json', '--out', 'out/r.html'],
      { cwd: dir });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    const html = fs.readFileSync(path.join(dir, 'out', 'r.html'), 'utf8');
    expect(html).toContain('<h2>standard</h2>');
    expect(html).toContain('<h2>chat</h2>');
    expect(html).toContain('<tr><th scope="row">replicas</th><td>2 to 12</td></tr>');
  });

  test('--out - writes the page to stdout', () => {
    const { code, stdout, stderr } = runCli(['report', '--trace', 't.csv', '--out', '-'], { cwd: dir });
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(stdout).toContain('<h2>hpaDefaults</h2>');
  });

  test('reports every step on stderr once the run is past the threshold (0 here)', () => {
    const { code, stderr } = runCli(['report', '--trace', 't.csv', '--config', 'realTime', '--config', 'chat.json', '--out', 'p.html'],
      { cwd: dir, progressAfterMs: 0, now: () => 0 });
    expect(code).toBe(0);
    expect(stderr).toBe([
      'reading t.csv ... (0.0 s)',
      'simulating 1/2 configs (realTime) ... (0.0 s)',
      'simulating 2/2 configs (chat) ... (0.0 s)',
      'forecasting the next day ... (0.0 s)',
      'writing the page ... (0.0 s)',
      'wrote p.html (0.0 s)',
      '',
    ].join('\n'));
  });

  test('by default stays quiet for the first 2 s, then reports the steps that start later', () => {
    let clock = 0;
    const { code, stderr } = runCli(['report', '--trace', 't.csv', '--out', 'q.html'], { cwd: dir, now: () => (clock += 700) - 700 });
    expect(code).toBe(0);
    // The clock moves 0.7 s at each reading: reading (0.7 s) and the first config (1.4 s) are quiet, the rest is not.
    expect(stderr).toBe([
      'simulating 2/3 configs (standard) ... (2.1 s)',
      'simulating 3/3 configs (hpaDefaults) ... (2.8 s)',
      'forecasting the next day ... (3.5 s)',
      'writing the page ... (4.2 s)',
      'wrote q.html (4.9 s)',
      '',
    ].join('\n'));
  });

  test('exits with 1 and one line for a bad config, before reading the trace', () => {
    writeFile(dir, 'bad.json', '{"maxReplicas": 0}');
    const { code, stdout, stderr } = runCli(['report', '--trace', 'missing.csv', '--config', 'bad.json'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe("cdk8s-ml-scaling: error: [bad.json] 'maxReplicas' (0) must be a whole number from 1 to 2147483647: "
      + 'give maxReplicas as a whole number of at least 1, as the HPA spec does\n');
  });

  test('exits with 1 for two configs of the same name', () => {
    writeFile(dir, 'standard.json', '{"behavior": "standard"}');
    expect(runCli(['report', '--trace', 't.csv', '--config', 'standard', '--config', 'standard.json'], { cwd: dir })).toEqual({
      code: 1, stdout: '', stderr: 'cdk8s-ml-scaling: error: [report] \'--config\' ("standard") names a second config "standard": give each JSON config its own "name"\n',
    });
  });

  test('exits with 1 for a bad row of the trace, naming the line', () => {
    writeFile(dir, 'gap.csv', 'timestamp,requests\n2025-03-03T00:00:00Z,1\n2025-03-03T00:05:00Z,1\n2025-03-03T00:15:00Z,1\n');
    expect(runCli(['report', '--trace', 'gap.csv'], { cwd: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cdk8s-ml-scaling: error: [report --trace gap.csv line 4] \'timestamp\' ("2025-03-03T00:15:00Z") is 2 intervals of 300 s after the '
        + 'previous row\'s (2025-03-03T00:05:00Z), a gap of 1 missing row: write a row with 0 requests for each interval without traffic\n',
    });
  });

  test('exits with 1 when the page cannot be written', () => {
    writeFile(dir, 'file', '');
    const { code, stderr } = runCli(['report', '--trace', 't.csv', '--out', 'file/r.html'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cdk8s-ml-scaling: error: \[report\] '--out' \("file\/r\.html"\) cannot be written \(.+\): give a file in a folder you can write to, e\.g\. --out report\.html, or - for stdout\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  test('fails for a trace with huge counts instead of writing Infinity/NaN into the page', () => {
    // The example: counts of 1e308 are finite, but their sums (total load, cost per request) overflow.
    writeFile(dir, 'huge.csv', 'timestamp,requests\n2025-03-03T00:00:00Z,1e308\n2025-03-03T00:05:00Z,1e308\n2025-03-03T00:10:00Z,1e308\n');
    expect(runCli(['report', '--trace', 'huge.csv', '--out', '-'], { cwd: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cdk8s-ml-scaling: error: [report --trace huge.csv line 2] \'requests\' ("1e308") is not a number from 0 to 1e+12: '
        + 'give the count of requests in the interval, e.g. 42\n',
    });
  });

  test('writes finite numbers only for the largest load, capacity, price and replicas the simulator takes', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${new Date(Date.UTC(2025, 2, 3) + i * 1000).toISOString()},1000000000000`);
    writeFile(dir, 'max.csv', ['timestamp,requests', ...rows].join('\n'));
    writeFile(dir, 'max.json', JSON.stringify({
      capacityPerReplica: AutoscalerSimulator.MAX_LOAD,
      priceUsdPerHour: AutoscalerSimulator.MAX_PRICE_USD_PER_HOUR,
      maxReplicas: AutoscalerSimulator.MAX_REPLICAS,
    }));
    const { code, stdout, stderr } = runCli(['report', '--trace', 'max.csv', '--scale', '1', '--config', 'max.json', '--out', '-'], { cwd: dir });
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).not.toMatch(/NaN|Infinity|undefined/);
    expect(stdout).toContain('<svg class="chart" id="config-1-load"');
  });

  test('fails for a config whose capacity or price would overflow the page\'s sums', () => {
    writeFile(dir, 'cap.json', JSON.stringify({ capacityPerReplica: 1.7976931348623157e308 }));
    expect(runCli(['report', '--trace', 't.csv', '--config', 'cap.json'], { cwd: dir }).stderr).toBe(
      "cdk8s-ml-scaling: error: [cap.json] 'capacityPerReplica' (1.7976931348623157e+308) must be at most 1000000000000: "
      + 'give the load one ready replica serves at full utilization, in the unit of the load, e.g. 10 requests per second\n');
  });

  test('fails for a trace longer than the report reads, before parsing its rows', () => {
    const rows = Array.from({ length: 600_001 }, () => 'x');
    writeFile(dir, 'long.csv', ['timestamp,requests', ...rows].join('\n'));
    expect(runCli(['report', '--trace', 'long.csv'], { cwd: dir }).stderr).toBe(
      "cdk8s-ml-scaling: error: [report --trace long.csv line 600002] 'rows' (more than 600000) are more than the report reads (at most 600,000): "
      + 'give a shorter trace, or sum its rows into longer intervals\n');
  });

  test('fails for an interval under a second or over a day', () => {
    writeFile(dir, 'ms.csv', 'timestamp,requests\n2025-03-03T00:00:00.000Z,1\n2025-03-03T00:00:00.500Z,1\n');
    expect(runCli(['report', '--trace', 'ms.csv'], { cwd: dir }).stderr).toBe(
      "cdk8s-ml-scaling: error: [report --trace ms.csv line 3] 'timestamp' (\"2025-03-03T00:00:00.500Z\") makes the interval 0.5 s, and the "
      + 'report takes whole seconds from 1 s to 86400 s (a day): give rows at least a second and at most a day apart, in whole seconds\n');
  });
});

describe('cdk8s-ml-scaling report, as a process', () => {
  const dir = tempDir('process');
  const trace = writeFile(dir, 't.csv', syntheticTraceCsv(2, 600));
  const env = { ...process.env, [PROGRESS_ENV]: '' };

  /** The CLI from the TypeScript source, as the bin script runs it from lib/. */
  const fromSource = (args: string[], extraEnv: Record<string, string> = {}) => spawnSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only', '-e', "process.exitCode = require('./src/cli/main').main(process.argv.slice(1))", ...args,
  ], { cwd: ROOT, encoding: 'utf8', env: { ...env, ...extraEnv } });

  test('writes the page and exits with 0', () => {
    const out = path.join(dir, 'r.html');
    const run = fromSource(['report', '--trace', trace, '--config', 'realTime', '--out', out]);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(out, 'utf8')).toContain('<svg class="chart" id="config-1-load"');
  });

  test('prints progress on stderr when the threshold is set to 0 through the environment', () => {
    const run = fromSource(['report', '--trace', trace, '--config', 'realTime', '--out', path.join(dir, 'p.html')], { [PROGRESS_ENV]: '0' });
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').map(l => l.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      `reading ${trace} ...`, 'simulating 1/1 configs (realTime) ...', 'forecasting the next day ...', 'writing the page ...', `wrote ${path.join(dir, 'p.html')}`, '',
    ]);
  });

  test('exits with 1 and one line on stderr for bad input', () => {
    const run = fromSource(['report', '--trace', trace, '--scale', 'x']);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr: 'cdk8s-ml-scaling: error: [report] \'--scale\' ("x") must be a number above zero and at most 1e+6: give how many requests each request of the trace '
        + 'stands for, e.g. --scale 20\n',
    });
  });

  // The compiled CLI exists after `npx projen compile`, which CI runs before the tests.
  const compiled = fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.js'));
  if (!compiled && process.env.CI) throw new Error('lib/cli/main.js is missing: CI compiles before it tests');
  testIf(compiled, 'lib/cli/main.js not found (run npx projen compile first)')('bin/cdk8s-ml-scaling runs the compiled CLI', () => {
    const out = path.join(dir, 'bin.html');
    const stdout = execFileSync(path.join(ROOT, 'bin', 'cdk8s-ml-scaling'), ['report', '--trace', trace, '--out', out], { encoding: 'utf8', env });
    expect(stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('<h2>hpaDefaults</h2>');
    const help = spawnSync(path.join(ROOT, 'bin', 'cdk8s-ml-scaling'), [], { encoding: 'utf8', env });
    expect([help.status, help.stderr]).toEqual([1, "cdk8s-ml-scaling: error: [cdk8s-ml-scaling] 'command' (undefined) is missing: use 'cdk8s-ml-scaling report --trace <file.csv>' "
      + "(see 'cdk8s-ml-scaling report --help')\n"]);
  });
});
