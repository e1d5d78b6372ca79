/// <reference lib="dom" />
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Testing, Yaml } from 'cdk8s';
import { Browser, chromium } from 'playwright-core';
import { HAVE_TRACES, MINUTE_TRACE, runCli, syntheticTraceCsv, tempDir, writeFile } from './fixtures';
import { buildApp } from '../../examples/inference';
import { testIf } from '../skip';

/**
 * The report in a real browser: Debian's chromium (`.ci/run` installs it), driven by playwright-core. Without the browser
 * the test says so and skips, except under CI, where it fails.
 */
const CHROMIUM = process.env.CDK8S_ML_SCALING_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'test-reports', 'report.png');
const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.CI) throw new Error(`${CHROMIUM} not found: CI installs Debian's chromium (apt-get install chromium) before the tests`);
}
const maybe = testIf(haveBrowser, `${CHROMIUM} not found (apt-get install chromium, or set CDK8S_ML_SCALING_CHROMIUM)`);

/** What the page shows of one chart, measured by the browser. */
interface ChartInBrowser {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly paths: Array<{
    series: string; points: number; length: number; width: number; height: number; stroke: string; strokeWidth: number; opacity: number;
  }>;
  readonly bands: string[];
  readonly legend: string[];
}

describe('the report in Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  maybe('renders every chart with data, logs no error, and leaves a screenshot in test-reports/report.png', async () => {
    // The month of minutes the report is built for (40,000 points per series), with a predictive config.
    const dir = tempDir('browser');
    const trace = HAVE_TRACES ? MINUTE_TRACE : writeFile(dir, 'synthetic.csv', syntheticTraceCsv(28, 60, 40));
    // At a spot price, so the page must flag that its cost is not like-for-like with the presets'.
    writeFile(dir, 'predictive.json', JSON.stringify({ name: 'realTime + predictive (spot)', behavior: 'realTime', predictive: true, priceUsdPerHour: 0.2 }));
    const out = path.join(dir, 'report.html');
    const cli = runCli(['report', '--trace', trace, '--scale', '20', '--time-zone', 'America/New_York', '--config', 'realTime', '--config', 'standard',
      '--config', 'hpaDefaults', '--config', 'predictive.json', '--out', out], { cwd: dir, progressAfterMs: Infinity });
    expect(cli).toEqual({ code: 0, stdout: '', stderr: '' });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', r => problems.push(`request failed: ${r.url()}`));
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));

    const start = Date.now();
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    const loadMs = Date.now() - start;

    expect(await page.title()).toBe(`Scaling report: ${path.basename(trace)}`);
    const charts: ChartInBrowser[] = await page.$$eval('svg.chart', svgs => svgs.map(svg => {
      const box = svg.getBoundingClientRect();
      return {
        id: svg.id,
        width: box.width,
        height: box.height,
        title: svg.querySelector('title')?.textContent ?? '',
        paths: [...svg.querySelectorAll('path.series')].map(p => {
          const b = (p as SVGPathElement).getBBox();
          return {
            series: p.getAttribute('data-series') ?? '',
            points: (p.getAttribute('d') ?? '').split(/[ML]/).filter(Boolean).length,
            length: (p as SVGPathElement).getTotalLength(),
            width: b.width,
            height: b.height,
            stroke: getComputedStyle(p).stroke,
            strokeWidth: parseFloat(getComputedStyle(p).strokeWidth),
            opacity: parseFloat(getComputedStyle(p).strokeOpacity),
          };
        }),
        bands: [...svg.querySelectorAll('path.band')].map(p => p.getAttribute('data-series') ?? ''),
        legend: [...svg.querySelectorAll('.legend text')].map(t => t.textContent ?? ''),
      };
    }));

    expect(charts.map(c => c.id)).toEqual([
      'config-1-load', 'config-1-replicas', 'config-2-load', 'config-2-replicas', 'config-3-load', 'config-3-replicas',
      'config-4-load', 'config-4-replicas', 'forecast-chart',
    ]);
    for (const chart of charts) {
      expect(chart.title).not.toBe('');
      expect(chart.width).toBeGreaterThan(600);
      expect(chart.height).toBeGreaterThan(150);
      expect(chart.paths.length).toBeGreaterThanOrEqual(2);
      for (const p of chart.paths) {
        expect(p.points).toBeGreaterThan(20);
        expect(p.length).toBeGreaterThan(100);
        // Spread across the time axis, and (for a series that moves) up and down.
        expect(p.width).toBeGreaterThan(100);
      }
      expect(Math.max(...chart.paths.map(p => p.height))).toBeGreaterThan(20);
      expect(chart.legend).toEqual([...chart.bands, ...chart.paths.map(p => p.series), ...(chart.id.endsWith('-load') ? ['load above ready capacity'] : [])]);
    }
    // Replicas wide and pale under ready replicas, thin and opaque on top, in different colours.
    for (const chart of charts.filter(c => c.id.endsWith('-replicas'))) {
      const [replicas, ready] = chart.paths;
      expect([replicas.series, ready.series]).toEqual(['replicas', 'ready replicas']);
      expect(replicas.strokeWidth).toBeGreaterThanOrEqual(3 * ready.strokeWidth);
      expect(replicas.opacity).toBeLessThan(0.5);
      expect(ready.opacity).toBe(1);
      expect(replicas.stroke).not.toBe(ready.stroke);
    }
    expect(charts[charts.length - 1].bands).toEqual(['10%-90% quantiles']);
    // The verdict, the rule and the price warning are on screen.
    const shown = async (selector: string) => page.$eval(selector, e => ({ text: e.textContent ?? '', height: e.getBoundingClientRect().height }));
    const verdict = await shown('p.verdict');
    expect(verdict.text).toMatch(/ (wins|tie): |^All \d+ configurations/);
    expect(verdict.height).toBeGreaterThan(10);
    expect((await shown('p.rule')).text).toMatch(/^How the winner is picked: /);
    const prices = await shown('p.price-warning');
    expect(prices.text).toContain('Costs are not like-for-like: the configurations pay different prices per replica-hour (realTime + predictive (spot) at 0.2 USD; '
      + 'realTime, standard, hpaDefaults at 0.526 USD)');
    expect(prices.height).toBeGreaterThan(10);
    expect(await page.$eval('#forecast h2', e => e.textContent)).toBe('Forecast: LoadForecaster on the trace\'s own history');
    // The summary table is laid out with a row per configuration.
    expect(await page.$$eval('table.summary tbody tr', rows => rows.length)).toBe(4);
    // Nothing but the page itself was requested, and nothing complained.
    expect(requests).toEqual([pathToFileURL(out).href]);
    expect(problems).toEqual([]);
    expect(loadMs).toBeLessThan(30_000);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

    // The pixels of the first replicas chart as drawn: both lines' colours show, the ready line's about as long as the plot.
    const png = await (await page.$('#config-1-replicas'))!.screenshot();
    const counts = await pixelCounts(browser, png, { ready: [204, 121, 167], replicas: PALE_GREEN });
    expect(counts.ready).toBeGreaterThan(1000);
    expect(counts.replicas).toBeGreaterThan(1000);
  });

  maybe('renders the page of report --app on the example app: every workload\'s charts drawn, nothing loaded, no error', async () => {
    const dir = tempDir('browser-app');
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(dist);
    for (const chart of buildApp(Testing.app()).charts) {
      fs.writeFileSync(path.join(dist, `${chart.node.id}.k8s.yaml`), Yaml.stringify(...Testing.synth(chart)));
    }
    const trace = HAVE_TRACES ? MINUTE_TRACE : writeFile(dir, 'synthetic.csv', syntheticTraceCsv(28, 60, 40));
    const workloads = path.join(__dirname, '..', '..', 'examples', 'inference.workloads.json');
    const out = path.join(dir, 'app-report.html');
    const cli = runCli(['report', '--app', dist, '--baseline', dist, '--workloads', workloads, '--trace', trace, '--time-zone', 'America/New_York',
      '--out', out], { cwd: dir, progressAfterMs: Infinity });
    expect([cli.code, cli.stderr]).toEqual([0, '']);

    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });

    const charts = await page.$$eval('svg.chart', svgs => svgs.map(svg => ({
      id: svg.id,
      width: svg.getBoundingClientRect().width,
      paths: [...svg.querySelectorAll('path.series')].map(p => ({
        series: p.getAttribute('data-series') ?? '',
        length: (p as SVGPathElement).getTotalLength(),
        width: (p as SVGPathElement).getBBox().width,
      })),
    })));
    // Six replayed workloads: chat, embeddings, llama-70b, reranker, llama-405b (its LeaderWorkerSet) and llama-8b-slo.
    expect(charts.map(c => c.id)).toEqual([1, 2, 3, 4, 5, 6].flatMap(i => [`workload-${i}-load`, `workload-${i}-replicas`]));
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(600);
      expect(chart.paths.length).toBeGreaterThanOrEqual(2);
      for (const p of chart.paths) {
        expect(p.length).toBeGreaterThan(100);
        expect(p.width).toBeGreaterThan(100);
      }
    }
    // The baseline's replicas are drawn beside the app's, and the comparison has a row per workload and the total.
    expect(charts[1].paths.map(p => p.series)).toContain('replicas (baseline)');
    expect(await page.$$eval('table.compare tbody tr', rows => rows.length)).toBe(7);
    expect(requests).toEqual([pathToFileURL(out).href]);
    expect(problems).toEqual([]);
  });
});

/** #009e73 at 0.35 opacity over white, as the replicas line shows where nothing is drawn over it. */
const PALE_GREEN: [number, number, number] = [166, 221, 206];

/** Pixels of a PNG within 40 of each given colour on every channel, counted by the browser on a blank page. */
async function pixelCounts(browser: Browser, png: Buffer, colours: Record<string, [number, number, number]>): Promise<Record<string, number>> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async ({ b64, targets }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const out: Record<string, number> = {};
      for (const [name, [r, g, b]] of Object.entries(targets)) {
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (Math.abs(data[i] - r) <= 40 && Math.abs(data[i + 1] - g) <= 40 && Math.abs(data[i + 2] - b) <= 40) n++;
        }
        out[name] = n;
      }
      return out;
    }, { b64: png.toString('base64'), targets: colours });
  } finally {
    await page.close();
  }
}
