// @ts-check
/**
 * The last lines of every jest run here: how long it took, which tests skipped and why (the reason is in the
 * title: see test/skip.ts), and which suites this command does not run. Plain JavaScript: jest loads reporters
 * without transforming them.
 */
const path = require('path');

const NOT_RUN = {
  quick: 'not run by `npm test`: the slow suites (the conformance checker\'s own tests, the fuzz suite, the report in '
    + 'Chromium); run them with `npx projen test:slow`, or everything with `npx projen test:all`',
  slow: 'not run by `npx projen test:slow`: the quick suites (`npm test`)',
};

class SummaryReporter {
  /** @param {any} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.workers = globalConfig.maxWorkers;
  }

  /** @param {unknown} _contexts @param {any} results */
  onRunComplete(_contexts, results) {
    const lines = [];
    const seconds = ((Date.now() - results.startTime) / 1000).toFixed(1);
    lines.push(`jest: ${results.numTotalTestSuites} suites, ${results.numTotalTests} tests in ${seconds} s on ${this.workers} worker(s)`);
    const skipped = [];
    for (const suite of results.testResults) {
      const pending = suite.testResults.filter(t => t.status === 'pending' || t.status === 'skipped' || t.status === 'todo');
      if (pending.length === 0) continue;
      const reasons = [...new Set(pending.map(t => (/\[skipped: (.*)\]$/.exec(t.fullName) ?? [])[1] ?? 'skipped without a reason in its title'))];
      skipped.push(`  ${path.relative(this.rootDir, suite.testFilePath)}: ${pending.length} test(s): ${reasons.join('; ')}`);
    }
    if (skipped.length > 0) lines.push(`skipped (${skipped.length} file(s)):`, ...skipped);
    else lines.push('skipped: none');
    const notRun = NOT_RUN[process.env.ML_SCALING_TEST_SET ?? ''];
    if (notRun) lines.push(notRun);
    process.stderr.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
