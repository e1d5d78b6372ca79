import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliContext, main } from '../../src/cli/main';

/** The shared development traces (../shared/traces), which CI always has beside the project. */
export const TRACES = path.join(process.env.CDK8S_ML_SCALING_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'), 'traces');
export const HOURLY_TRACE = path.join(TRACES, 'nasa_ksc_1995-07_1h.csv');
export const MINUTE_TRACE = path.join(TRACES, 'nasa_ksc_1995-07_1min.csv');
export const HAVE_TRACES = fs.existsSync(HOURLY_TRACE) && fs.existsSync(MINUTE_TRACE);
/** Why a test that reads the traces skips (test/skip.ts). */
export const TRACES_MISSING = `${TRACES} not found (the traces of ../shared)`;
if (!HAVE_TRACES && process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS) {
  throw new Error(`${TRACES} not found: CI needs ../shared beside the project`);
}

/**
 * A trace CSV with a daily cycle (quiet at night, busiest at noon UTC) and a half-hour spike to 3x at noon of the day at
 * 10 % of the span, so every configuration scales up and down and leaves some load unserved. `days` days of
 * `intervalSeconds` intervals from Monday 2025-03-03 00:00 UTC.
 */
export function syntheticTraceCsv(days: number, intervalSeconds: number, peakPerSecond = 30): string {
  const start = Date.parse('2025-03-03T00:00:00Z');
  const steps = Math.round((days * 86400) / intervalSeconds);
  const spikeFrom = start + (Math.floor(days * 0.1) * 24 + 12) * 3_600_000;
  const rows = ['timestamp,requests'];
  for (let i = 0; i < steps; i++) {
    const t = start + i * intervalSeconds * 1000;
    const hour = (t / 3_600_000) % 24;
    const daily = 0.15 + 0.85 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
    const spike = t >= spikeFrom && t < spikeFrom + 1_800_000 ? 3 : 1;
    rows.push(`${new Date(t).toISOString().replace('.000Z', 'Z')},${Math.round(peakPerSecond * daily * spike * intervalSeconds)}`);
  }
  return rows.join('\n') + '\n';
}

/** A fresh temporary directory for one test file. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-ml-scaling-${prefix}-`));
}

/** Writes `text` to `name` in `dir` and returns the path. */
export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the CLI in-process and collects what it writes. */
export function runCli(argv: string[], context: CliContext = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t: string) => { stdout += t; }, stderr: (t: string) => { stderr += t; }, ...context });
  return { code, stdout, stderr };
}
