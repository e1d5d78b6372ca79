/**
 * The `cdk8s-ml-scaling` command line (bin/cdk8s-ml-scaling calls `main`). Not part of the library's API: nothing
 * here is exported from src/index.ts, and it needs nothing beyond the library and Node's built-ins.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runAppReport } from './app-command';
import { MAIN_HELP, parseReportArgs, REPORT_HELP, ReportArgs, wantsHelp } from './args';
import { resolveConfig } from './config';
import { CliContext } from './context';

export type { CliContext };
import { CliError, duplicateConfigName, noCommand, outputUnwritable, PROGRAM, unknownCommand } from './messages';
import { Progress } from './progress';
import { buildReport } from './report';
import { renderReportHtml } from './report-html';
import { readTrace } from './trace';

/** Progress lines start once a run has taken this long. */
export const PROGRESS_AFTER_MS = 2000;
/** Overrides `PROGRESS_AFTER_MS` (tests set 0 to see every step). */
export const PROGRESS_ENV = 'CDK8S_ML_SCALING_PROGRESS_AFTER_MS';


/**
 * Runs the command line; returns the exit code: 0, 1 after a one-line error on stderr, or 2 when `report --app` is
 * past a threshold of the pull-request gate (EXIT_GATE_FAILED).
 */
export function main(argv: readonly string[], context: CliContext = {}): number {
  const stdout = context.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = context.stderr ?? ((text: string) => process.stderr.write(text));
  try {
    const [command, ...rest] = argv;
    if (command === undefined) throw noCommand();
    if (command === '--help' || command === '-h' || command === 'help') {
      stdout(MAIN_HELP);
      return 0;
    }
    if (command === '--version') {
      stdout(`${version()}\n`);
      return 0;
    }
    if (command !== 'report') throw unknownCommand(command);
    if (wantsHelp(rest)) {
      stdout(REPORT_HELP);
      return 0;
    }
    const args = parseReportArgs(rest);
    if (args.app) return runAppReport(args, args.app, { ...context, stdout, stderr }, version());
    report(args, { ...context, stdout, stderr });
    return 0;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    stderr(`${PROGRAM}: error: ${e.message}\n`);
    return 1;
  }
}

function report(args: ReportArgs, context: CliContext & { stdout: (text: string) => void; stderr: (text: string) => void }): void {
  const cwd = context.cwd ?? process.cwd();
  const now = context.now ?? Date.now;
  const fromEnv = process.env[PROGRESS_ENV];
  const threshold = context.progressAfterMs ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : PROGRESS_AFTER_MS);
  const progress = new Progress(context.stderr, threshold, now);

  const configs = args.configs.map(spec => resolveConfig(spec, cwd));
  const names = new Set<string>();
  for (const c of configs) {
    if (names.has(c.name)) throw duplicateConfigName(c.name);
    names.add(c.name);
  }
  progress.step(`reading ${args.trace}`);
  const trace = readTrace(path.resolve(cwd, args.trace), args.trace);
  const model = buildReport({ trace, configs, timeZone: args.timeZone, scale: args.scale }, progress);
  progress.step('writing the page');
  const html = renderReportHtml(model, { generator: `${PROGRAM} ${version()}` });
  if (args.out === '-') {
    context.stdout(html);
  } else {
    const file = path.resolve(cwd, args.out);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, html);
    } catch (e) {
      throw outputUnwritable(args.out, (e as Error).message);
    }
  }
  progress.done(args.out === '-' ? 'wrote the page to stdout' : `wrote ${args.out}`);
}

/** The package's version, from its package.json (two levels up from both src/cli and lib/cli). */
export function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
