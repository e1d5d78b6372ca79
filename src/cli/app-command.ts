/** `report --app`: reads the synth(s), replays them, writes the page (and the JSON), prints the comparison, applies the gate. */
import * as fs from 'fs';
import * as path from 'path';
import { readAppManifests } from './app-manifests';
import { appReportJson, buildAppReport, summaryLines } from './app-report';
import { renderAppReportHtml } from './app-report-html';
import { readWorkloadsFile } from './app-workloads';
import { AppArgs, ReportArgs } from './args';
import type { CliContext } from './context';
import { EXIT_GATE_FAILED, jsonUnwritable, outputUnwritable, PROGRAM } from './messages';
import { Progress } from './progress';

type Context = CliContext & { stdout: (text: string) => void; stderr: (text: string) => void };

/** Returns the exit code: 0, or EXIT_GATE_FAILED past a threshold (bad input throws a CliError). */
export function runAppReport(args: ReportArgs, app: AppArgs, context: Context, version: string): number {
  const cwd = context.cwd ?? process.cwd();
  const now = context.now ?? Date.now;
  const fromEnv = process.env.CDK8S_ML_SCALING_PROGRESS_AFTER_MS;
  const threshold = context.progressAfterMs ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : 2000);
  const progress = new Progress(context.stderr, threshold, now);

  progress.step(`reading ${app.dir}`);
  const head = readAppManifests(path.resolve(cwd, app.dir), app.dir, '--app');
  const baseline = app.baseline === undefined ? undefined : readAppManifests(path.resolve(cwd, app.baseline), app.baseline, '--baseline');
  const workloads = app.workloads === undefined ? undefined : readWorkloadsFile(path.resolve(cwd, app.workloads), app.workloads);
  const model = buildAppReport({
    app: head,
    baseline,
    workloads,
    defaultTrace: args.trace === '' ? undefined : args.trace,
    defaultTracePath: args.trace === '' ? undefined : path.resolve(cwd, args.trace),
    scale: args.scale,
    timeZone: args.timeZone,
  }, { maxUnservedIncrease: app.maxUnservedIncrease, maxCostIncreaseUsdPerWeek: app.maxCostIncreaseUsdPerWeek, failOnFindings: app.failOnFindings },
  progress);

  progress.step('writing the page');
  const html = renderAppReportHtml(model, { generator: `${PROGRAM} ${version}` });
  if (args.out === '-') {
    context.stdout(html);
  } else {
    write(path.resolve(cwd, args.out), html, e => outputUnwritable(args.out, e));
  }
  if (app.json !== undefined) write(path.resolve(cwd, app.json), `${JSON.stringify(appReportJson(model), null, 2)}\n`, e => jsonUnwritable(app.json!, e));
  // With the page on stdout, the summary goes to stderr so the page stays one HTML document.
  const lines = `${summaryLines(model).join('\n')}\n`;
  if (args.out === '-') context.stderr(lines);
  else context.stdout(lines);
  progress.done(args.out === '-' ? 'wrote the page to stdout' : `wrote ${args.out}`);
  return model.gateFailures.length > 0 ? EXIT_GATE_FAILED : 0;
}

function write(file: string, text: string, error: (reason: string) => Error): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw error((e as Error).message);
  }
}
