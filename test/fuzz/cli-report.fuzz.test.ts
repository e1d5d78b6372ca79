import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliCase, cliCase } from './arbitraries-cli';
import { fuzzTest } from './harness';
import { PRESETS } from '../../src/cli/config';
import { main } from '../../src/cli/main';
import { escapeXml } from '../../src/cli/svg-chart';

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-scaling-fuzz-cli-'));
let caseNo = 0;

/**
 * Runs `cdk8s-ml-scaling` in-process in a fresh folder holding the case's files. Exit 1 must come with one line
 * `cdk8s-ml-scaling: error: <message>`: the message is thrown as a plain Error for the harness to judge (the CLI's
 * CliError is its own class; the line it prints is what users see). Exit 0 returns the problems of the page written.
 */
function runReport(c: CliCase): string[] {
  const dir = path.join(ROOT, String(caseNo++));
  for (const [name, text] of Object.entries(c.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  let stdout = '';
  let stderr = '';
  try {
    const code = main(c.argv, { cwd: dir, stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, progressAfterMs: Infinity });
    if (code !== 0) {
      const m = /^cdk8s-ml-scaling: error: (.*)\n$/.exec(stderr);
      throw new Error(m ? m[1] : `exit ${code} without one error line: ${JSON.stringify(stderr)}`);
    }
    if (c.argv[0] !== 'report' || c.argv.includes('--help')) return stdout.length > 0 ? [] : ['printed nothing'];
    const outAt = c.argv.lastIndexOf('--out');
    const outArg = c.argv.find(a => a.startsWith('--out=')) ?? (outAt >= 0 ? `--out=${c.argv[outAt + 1]}` : '--out=report.html');
    const out = outArg.slice('--out='.length);
    const html = out === '-' ? stdout : fs.readFileSync(path.join(dir, out), 'utf8');
    return pageProblems(html, c);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with a written page: non-numbers among its numbers, missing or broken charts. */
function pageProblems(html: string, c: CliCase): string[] {
  const problems: string[] = [];
  const configs = c.argv.flatMap((a, i) => (a === '--config' ? [c.argv[i + 1]] : a.startsWith('--config=') ? [a.slice(9)] : []));
  const specs = configs.length > 0 ? configs : PRESETS;
  // Names the user gave (config names, file names) may say anything: drop them before looking for NaN and friends.
  let text = html;
  for (const spec of specs) {
    const json = c.files[spec];
    let name: unknown;
    try { name = json === undefined ? undefined : JSON.parse(json)?.name; } catch { name = undefined; }
    for (const n of [spec, path.basename(spec), typeof name === 'string' ? name.trim() : '']) if (n) text = text.split(escapeXml(n)).join('');
  }
  const bad = /NaN|Infinity|undefined|null/.exec(text);
  if (bad) problems.push(`the page says ${bad[0]}: ...${text.slice(Math.max(0, bad.index - 120), bad.index + 40)}...`);
  for (const m of html.matchAll(/ (x|y|x1|x2|y1|y2|width|height|data-value)="([^"]*)"/g)) {
    if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(m[2])) problems.push(`attribute ${m[1]}="${m[2]}"`);
  }
  for (const m of html.matchAll(/ d="([^"]*)"/g)) {
    if (!/^(?:[ML]-?\d+(\.\d+)?,-?\d+(\.\d+)?)*$/.test(m[1])) problems.push(`path d="${m[1].slice(0, 200)}"`);
  }
  for (let i = 1; i <= specs.length; i++) {
    for (const chart of ['load', 'replicas']) {
      if (!html.includes(`<svg class="chart" id="config-${i}-${chart}"`)) problems.push(`no chart config-${i}-${chart}`);
    }
  }
  if (!html.includes('<section id="forecast">')) problems.push('no forecast section');
  const count = (s: string) => html.split(s).length - 1;
  for (const tag of ['svg', 'section', 'table', 'figure', 'g']) {
    if (count(`<${tag} `) + count(`<${tag}>`) !== count(`</${tag}>`)) problems.push(`unbalanced <${tag}>`);
  }
  if (!html.startsWith('<!DOCTYPE html>') || !html.trimEnd().endsWith('</html>')) problems.push('not a whole HTML page');
  return problems;
}

describe('cdk8s-ml-scaling report', () => {
  afterAll(() => fs.rmSync(ROOT, { recursive: true, force: true }));
  fuzzTest('cli-report', cliCase, runReport);
});
