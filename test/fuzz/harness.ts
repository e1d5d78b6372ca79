/**
 * The fuzz harness: feeds generated inputs (valid, boundary, invalid, and wrong JavaScript types as a JSON or jsii
 * caller passes them) to one public construct, planner or command, and sorts every case into one outcome:
 *
 * - accepted, output valid: the synthesized objects pass the whole conformance check (strict schemas, CEL rules,
 *   Pod Security "restricted", the operators' rules), or the planner's result passes the target's own invariants;
 * - rejected with a clear error: an `Error` (not a TypeError or RangeError) worded `[path] 'prop' (value) problem: fix`,
 *   or a guardrail finding `[Guardrails] [path] rule-id: ...`;
 * - rejected with an unclear error: anything else thrown;
 * - accepted, output invalid: a conformance violation, or a broken invariant;
 * - hang: one case that used more than HANG_MS of CPU time.
 *
 * Seeded (FUZZ_SEED, default below) and bounded (FUZZ_RUNS cases per target, default 1,000) so it runs in CI in a few
 * minutes; `FUZZ_RUNS=20000 npx jest test/fuzz` is the longer run. Each target writes its counts to
 * test-reports/fuzz/<target>.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { validateManifests } from '../conformance';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261205);
/** One case using more CPU time than this counts as a hang (the planners' bounds keep every call far below it). */
export const HANG_MS = 10_000;

export type Outcome = 'acceptedValid' | 'rejectedClear' | 'rejectedUnclear' | 'acceptedInvalid' | 'hang';

export interface FuzzSummary {
  readonly target: string;
  readonly runs: number;
  readonly seed: number;
  readonly counts: Record<Outcome, number>;
  /** The slowest case, in milliseconds. */
  readonly slowestMs: number;
  /** Up to five examples of each bad outcome: the input and what went wrong. */
  readonly examples: { outcome: Outcome; input: string; problem: string }[];
}

/** The error shape every input check writes (common/errors.ts). */
const PROP_ERROR = /^\[[^\]\n]+\] '[^'\n]+' \([\s\S]*\) [\s\S]*: \S/;
/** A guardrail finding, raised at synth (guardrails/engine/format.ts). */
const FINDING = /^\[Guardrails\] \[[^\]\n]+\] [a-z0-9-]+: \S/;
/** A synth-time validation error without its path, which cdk8s puts in front (`[path] 'prop' (value) problem: fix`). */
const PROP_ERROR_AT_SYNTH = /^'[^'\n]+' \([\s\S]*\) [\s\S]*: \S/;

function isClearLine(line: string): boolean {
  if (PROP_ERROR.test(line) || FINDING.test(line)) return true;
  const rest = line.replace(/^\[[^\]\n]+\] /, '');
  return rest !== line && (PROP_ERROR.test(rest) || FINDING.test(rest) || PROP_ERROR_AT_SYNTH.test(rest));
}

/** Whether a thrown value is a clear error: a plain Error worded as the library words input errors. */
export function isClearError(e: unknown): boolean {
  if (!(e instanceof Error) || e.constructor !== Error) return false;
  const lines = e.message.split('\n').map((l) => l.replace(/^\s*(- )?/, '')).filter((l) => l !== '');
  // cdk8s joins the validation errors of a synth under one heading line.
  const body = /^Validation failed/.test(lines[0] ?? '') ? lines.slice(1) : [lines.join('\n')];
  return body.length > 0 && body.every(isClearLine);
}

/**
 * Runs one target over FUZZ_RUNS generated inputs. `run` builds or computes; it returns the problems of an accepted
 * output (empty when it is valid) and throws to reject the input.
 */
export function fuzzTarget<T>(target: string, arbitrary: fc.Arbitrary<T>, run: (input: T) => string[],
  options: { runs?: number } = {}): FuzzSummary {
  const runs = options.runs ?? FUZZ_RUNS;
  const counts: Record<Outcome, number> = { acceptedValid: 0, rejectedClear: 0, rejectedUnclear: 0, acceptedInvalid: 0, hang: 0 };
  const examples: FuzzSummary['examples'] = [];
  const note = (outcome: Outcome, input: T, problem: string) => {
    counts[outcome]++;
    if (outcome !== 'acceptedValid' && outcome !== 'rejectedClear' && examples.filter((x) => x.outcome === outcome).length < 5) {
      examples.push({ outcome, input: fc.stringify(input).slice(0, 2000), problem: problem.slice(0, 2000) });
    }
  };
  let slowestMs = 0;
  for (const input of fc.sample(arbitrary, { numRuns: runs, seed: FUZZ_SEED })) {
    // CPU time of this process, not wall time: a loop that never ends burns CPU, while a case that merely waited for the
    // CPU on a loaded machine (other jobs, the other jest worker) is not a hang.
    const start = process.cpuUsage();
    let outcome: Outcome;
    let problem = '';
    try {
      const problems = run(input);
      outcome = problems.length === 0 ? 'acceptedValid' : 'acceptedInvalid';
      problem = problems.join('\n');
    } catch (e) {
      outcome = isClearError(e) ? 'rejectedClear' : 'rejectedUnclear';
      problem = e instanceof Error ? `${e.constructor.name}: ${e.message}` : `thrown: ${String(e)}`;
    }
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / 1000;
    slowestMs = Math.max(slowestMs, ms);
    note(ms > HANG_MS ? 'hang' : outcome, input, ms > HANG_MS ? `${Math.round(ms)} ms: ${problem}` : problem);
  }
  const summary: FuzzSummary = { target, runs, seed: FUZZ_SEED, counts, slowestMs: Math.round(slowestMs), examples };
  const dir = path.join(__dirname, '..', '..', 'test-reports', 'fuzz');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${target}.json`), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

/**
 * The jest test of one target: 0 accepted-invalid outputs, 0 unclear errors, 0 hangs, and both outcomes that should
 * occur do occur (a generator that never produces a valid, or never an invalid, input tests nothing).
 */
export function expectClean(summary: FuzzSummary): void {
  const bad = summary.examples.map((x) => `${x.outcome}: ${x.problem}\n    input: ${x.input}`).join('\n\n');
  expect({ target: summary.target, ...summary.counts, examples: bad }).toEqual({
    target: summary.target,
    ...summary.counts,
    acceptedInvalid: 0,
    rejectedUnclear: 0,
    hang: 0,
    examples: '',
  });
  expect(summary.counts.acceptedValid).toBeGreaterThan(summary.runs / 20);
  expect(summary.counts.rejectedClear).toBeGreaterThan(summary.runs / 20);
}

/** Registers the fuzz test of one target. */
export function fuzzTest<T>(target: string, arbitrary: fc.Arbitrary<T>, run: (input: T) => string[], options: { runs?: number } = {}): void {
  test(`${target}: ${options.runs ?? FUZZ_RUNS} generated inputs give valid output or a clear error, never a hang`, () => {
    expectClean(fuzzTarget(target, arbitrary, run, options));
  }, 600_000);
}

/**
 * Builds an app with `build`, runs the app's synth-time validations (guardrails, cross-construct checks) and
 * synthesizes it; returns the conformance violations of every object (thrown validation errors propagate).
 */
export function synthProblems(build: (chart: Chart, app: App) => void): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'fuzz');
  build(chart, app);
  // As cdk8s's App.synth words them: each error after the path of the construct that raised it.
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  const manifests = app.charts.flatMap((c) => Testing.synth(c));
  if (manifests.length === 0) return ['synthesized no objects'];
  return validateManifests(manifests).errors;
}

/** Problems of a planner's number: NaN, Infinity, or outside bounds. */
export function numberProblems(name: string, value: unknown, bounds: { min?: number; max?: number } = {}): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'number' || !Number.isFinite(value)) return [`${name} is ${String(value)}`];
  if (bounds.min !== undefined && value < bounds.min) return [`${name} is ${value}, below ${bounds.min}`];
  if (bounds.max !== undefined && value > bounds.max) return [`${name} is ${value}, above ${bounds.max}`];
  return [];
}

/** Every non-finite number anywhere in a JSON-like result (a planner's output). */
export function nonFiniteNumbers(value: unknown, at = 'result', seen = new Set<unknown>()): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${at} is ${value}`];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.slice(0, 10_000).flatMap(([k, v]) => nonFiniteNumbers(v, `${at}.${k}`, seen));
}
