import * as fs from 'fs';
import * as path from 'path';
import { testIf } from './skip';
import { forecastErrorReport } from '../scripts/forecast-evaluation';
import { comparePresets, comparisonTable } from '../scripts/preset-comparison';

/** The README quotes figures that code computes; these tests fail when the code and the README part ways. */
const SHARED = process.env.CDK8S_ML_SCALING_SHARED_DIR ?? path.join(__dirname, '..', '..', 'shared');
const TRACES = path.join(SHARED, 'traces');
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

const haveTraces = fs.existsSync(TRACES);
if (!haveTraces && process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS) {
  throw new Error(`${TRACES} not found: CI needs ../shared beside the project`);
}
const maybe = testIf(haveTraces, `${TRACES} not found (the traces of ../shared)`);

describe('the README figures', () => {
  maybe('the forecaster error block is what `npx projen forecast:error` prints', () => {
    const report = forecastErrorReport(path.join(TRACES, 'nasa_ksc_1995-07_1h.csv'), 'America/New_York');
    expect(README).toContain('```text\n' + report + '\n```');
  });

  maybe('the preset comparison table is what `npx projen compare:presets` prints', () => {
    const { rows } = comparePresets(path.join(TRACES, 'nasa_ksc_1995-07_1min.csv'));
    expect(README).toContain(comparisonTable(rows));
  });
});
