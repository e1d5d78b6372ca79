import { Duration } from 'cdk8s';
import { HAVE_TRACES, MINUTE_TRACE, syntheticTraceCsv, TRACES_MISSING } from './fixtures';
import { comparePresets } from '../../scripts/preset-comparison';
import { DEFAULT_MODEL, parseConfig, presetConfig, ScalingConfig } from '../../src/cli/config';
import { Progress } from '../../src/cli/progress';
import { buildReport, ConfigRun, FORECAST_QUANTILES, ReportModel } from '../../src/cli/report';
import { drawingText, priceNote, READY_LINE, renderReportHtml, REPLICAS_LINE, verdictOf, VERDICT_RULE } from '../../src/cli/report-html';
import { BUCKETS, downsample, drawnPointsAtMost, localTimeText, niceTicks, renderChart, timeTicks } from '../../src/cli/svg-chart';
import { parseTrace, readTrace, Trace } from '../../src/cli/trace';
import { zoneFormatter } from '../../src/common/time-zones';
import { AutoscalerSimulator } from '../../src/planning/autoscaler-simulator';
import { LoadForecaster } from '../../src/planning/load-forecaster';
import { ScalingBehavior } from '../../src/planning/scaling-behavior';
import { testIf } from '../skip';

const quiet = () => new Progress(() => { throw new Error('no progress expected'); }, Infinity, Date.now);

function report(trace: Trace, configs: ScalingConfig[], scale = 1, timeZone = 'Etc/UTC'): { model: ReportModel; html: string } {
  const model = buildReport({ trace, configs, timeZone, scale }, quiet());
  return { model, html: renderReportHtml(model, { generator: 'cdk8s-ml-scaling test' }) };
}

/** The attributes of every element with the given tag, in page order. */
function elements(html: string, tag: string): Array<Record<string, string>> {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map(m => Object.fromEntries(
    [...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map(a => [a[1], a[2]])));
}

/** The summary table's cells of one configuration: data-key to [data-value, text]. */
function summaryRow(html: string, name: string): Record<string, [string, string]> {
  const summary = html.slice(html.indexOf('<table class="summary">'), html.indexOf('</table>', html.indexOf('<table class="summary">')));
  const row = summary.split('\n').find(l => l.startsWith(`<tr data-config="${name}" `));
  if (row === undefined) throw new Error(`no summary row for ${name}`);
  return Object.fromEntries([...row.matchAll(/<td class="num" data-key="(\w+)"(?: data-value="([^"]*)")?>([^<]*)<\/td>/g)]
    .map(m => [m[1], [m[2], m[3]]]));
}

// 28 days at one minute: 40,320 points per series, the size the report must draw quickly.
const MONTH = parseTrace(syntheticTraceCsv(28, 60, 40), 'synthetic.csv');
const PREDICTIVE = parseConfig('{"name": "realTime + predictive", "behavior": "realTime", "predictive": true}', 'predictive.json');

describe('the report page', () => {
  const configs = [presetConfig('realTime'), presetConfig('standard'), presetConfig('hpaDefaults'), PREDICTIVE];
  const { model, html } = report(MONTH, configs, 1, 'America/New_York');

  test('is one self-contained page: no script, stylesheet, image, font or link to anywhere else', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|https?:/i);
    for (const a of elements(html, 'a')) expect(a.href).toMatch(/^#[\w-]+$/);
  });

  test('has a title, the inputs, a summary, a section per configuration and the forecast', () => {
    expect(html).toContain('<title>Scaling report: synthetic.csv</title>');
    expect(html).toContain('<tr><th scope="row">trace</th><td>synthetic.csv (40,320 intervals of 1 min)</td></tr>');
    expect(html).toContain('<section id="inputs">');
    expect(html).toContain('<section id="summary">');
    expect(elements(html, 'section').map(s => s.id)).toEqual(['inputs', 'summary', 'config-1', 'config-2', 'config-3', 'config-4', 'forecast']);
    expect(html).toContain('<h2>realTime + predictive</h2>');
  });

  test('draws two charts per configuration and the forecast, each with a title, a description, axis labels and data', () => {
    const charts = elements(html, 'svg');
    expect(charts.map(c => c.id)).toEqual([
      'config-1-load', 'config-1-replicas', 'config-2-load', 'config-2-replicas', 'config-3-load', 'config-3-replicas',
      'config-4-load', 'config-4-replicas', 'forecast-chart',
    ]);
    for (const c of charts) {
      expect(c).toMatchObject({ 'class': 'chart', 'role': 'img', 'aria-labelledby': `${c.id}-title ${c.id}-desc` });
      expect(html).toContain(`<title id="${c.id}-title">`);
      expect(html).toContain(`<desc id="${c.id}-desc">`);
    }
    expect(html.match(/<text class="axis-label"[^>]*>requests per second<\/text>/g)).toHaveLength(4);
    expect(html.match(/<text class="axis-label"[^>]*>replicas<\/text>/g)).toHaveLength(4);
    expect(html.match(/<text class="axis-label"[^>]*>time \(America\/New_York\)<\/text>/g)).toHaveLength(9);
    const paths = elements(html, 'path').filter(p => p.class === 'series');
    expect(paths.map(p => p['data-series'])).toEqual([
      ...['ready capacity', 'load', 'replicas', 'ready replicas'],
      ...['ready capacity', 'load', 'replicas', 'ready replicas'],
      ...['ready capacity', 'load', 'replicas', 'ready replicas'],
      ...['ready capacity', 'load', 'replicas', 'ready replicas', 'scheduled (cron windows)'],
      'history', 'LoadForecaster',
    ]);
    for (const p of paths) {
      const points = p.d.split(/[ML]/).filter(Boolean);
      expect(points.length).toBeGreaterThan(20);
      // Downsampled: a month of minutes is at most two points per pixel column.
      expect(points.length).toBeLessThanOrEqual(2 * BUCKETS);
      for (const pt of points) expect(pt).toMatch(/^-?\d+(\.\d)?,-?\d+(\.\d)?$/);
    }
    expect(paths.filter(p => p['data-points'] === '40320')).toHaveLength(17);
  });

  test('the summary figures are AutoscalerSimulator\'s results for the same inputs', () => {
    const load = MONTH.requests.map(r => r / 60);
    const expected: Array<[string, ScalingBehavior | undefined]> = [
      ['realTime', ScalingBehavior.realTime()], ['standard', ScalingBehavior.standard()], ['hpaDefaults', undefined],
    ];
    for (const [name, behavior] of expected) {
      const r = AutoscalerSimulator.run({
        load,
        step: Duration.minutes(1),
        behavior,
        minReplicas: 2,
        maxReplicas: 30,
        capacityPerReplica: 10,
        targetUtilization: 0.7,
        priceUsdPerHour: 0.526,
      });
      const hours = r.duration.toSeconds() / 3600;
      const overloadedMinutes = r.overloadedTime.toSeconds({ integral: false }) / 60;
      const row = summaryRow(html, name);
      const served = r.totalLoad - r.unservedLoad;
      expect(row).toEqual({
        meanReplicas: [String(r.meanReplicas), r.meanReplicas.toFixed(2)],
        peakReplicas: [String(r.peakReplicas), String(r.peakReplicas)],
        replicaHours: [String(r.replicaHours), r.replicaHours.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })],
        costUsd: [String(r.costUsd), r.costUsd!.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })],
        usdPerHour: [String(r.costUsd! / hours), (r.costUsd! / hours).toFixed(3)],
        usdPerMillionRequestsServed: [String((r.costUsd! / served) * 1e6), ((r.costUsd! / served) * 1e6).toFixed(2)],
        unservedLoad: [String(r.unservedLoad), Math.round(r.unservedLoad).toLocaleString('en-US')],
        unservedFraction: [String(r.unservedFraction), `${(r.unservedFraction * 100).toFixed(3)}%`],
        overloadedMinutes: [String(overloadedMinutes), overloadedMinutes.toFixed(0)],
        scaleUpEvents: [String(r.scaleUpEvents), r.scaleUpEvents.toLocaleString('en-US')],
        scaleDownEvents: [String(r.scaleDownEvents), r.scaleDownEvents.toLocaleString('en-US')],
      });
      expect(r.scaleUpEvents).toBeGreaterThan(0);
      expect(r.unservedLoad).toBeGreaterThan(0);
    }
  });

  test('the load chart draws ready replicas x capacity per replica, and marks where load exceeded it', () => {
    const run = model.runs[0];
    expect(run.readyCapacity).toEqual(run.result.readyReplicas.map(r => r * DEFAULT_MODEL.capacityPerReplica));
    const marks = html.slice(html.indexOf('<g class="marks" data-series="load above ready capacity"'));
    const strip = marks.slice(marks.indexOf('<g class="strip">'));
    expect(strip.slice(0, strip.indexOf('</g>'))).toMatch(/^<g class="strip"><rect x="[\d.]+" y="36" width="[\d.]+" height="6"\/>/);
  });

  test('a predictive config replays PredictiveScaling re-planned weekly from day 14', () => {
    const run = model.runs[3];
    expect(run.schedule!.planSteps).toEqual([14 * 1440, 21 * 1440]);
    expect(run.schedule!.scheduledReplicas.slice(0, 14 * 1440).every(r => r === 0)).toBe(true);
    expect(Math.max(...run.schedule!.scheduledReplicas)).toBeGreaterThan(2);
    expect(html).toMatch(/PredictiveScaling cron windows as a second metric, re-planned every 7 days from the hourly means of the trace so far, first after 14 days; 2 plans, the first from Sun Mar 16 20:00; cron windows per plan: \d+, \d+/);
  });

  test('the forecast is LoadForecaster\'s next day on the hourly means, in the users\' time zone, after 7 days of history', () => {
    const perSecond = MONTH.requests.map(r => r / 60);
    const hourly: number[] = [];
    for (let h = 0; h < 28 * 24; h++) hourly.push(perSecond.slice(h * 60, (h + 1) * 60).reduce((a, b) => a + b, 0) / 60);
    const expected = LoadForecaster.forecast({
      history: hourly, interval: Duration.hours(1), horizon: 24, startTime: new Date('2025-03-03T00:00:00.000Z'), timeZone: 'America/New_York',
    });
    expect(model.forecast.values).toEqual(expected.values);
    expect(model.forecast.context).toEqual(hourly.slice(-7 * 24));
    const section = html.slice(html.indexOf('<section id="forecast">'));
    const cells = [...section.matchAll(/<td class="num" data-value="([^"]+)">/g)].map(m => Number(m[1]));
    expect(cells).toEqual(expected.values);
    expect(section).toContain('<td>Sun Mar 30 20:00</td>'); // 2025-03-31T00:00Z in New York (EDT)
    expect(section).toContain(expected.method);
  });

  test('escapes what configs and file names bring into the page', () => {
    const odd = parseConfig('{"name": "<b>&\\"quoted\\"</b>"}', 'odd.json');
    const { html: page } = report(parseTrace(syntheticTraceCsv(1, 300), 'a<b>.csv'), [odd]);
    expect(page).toContain('<h2>&lt;b&gt;&amp;&quot;quoted&quot;&lt;/b&gt;</h2>');
    expect(page).toContain('<title>Scaling report: a&lt;b&gt;.csv</title>');
    expect(page).not.toContain('<b>');
  });

  test('says why there is no forecast when the interval neither divides an hour nor a day', () => {
    const csv = ['timestamp,requests', ...Array.from({ length: 50 }, (_, i) => `${new Date(Date.UTC(2025, 2, 3) + i * 420_000).toISOString()},5`)];
    const { html: page } = report(parseTrace(csv.join('\n'), '7min.csv'), [presetConfig('standard')]);
    expect(page).toContain('<p class="note">No forecast: the 420 s interval neither divides an hour nor is whole hours that divide a day.</p>');
    expect(elements(page, 'svg')).toHaveLength(2);
  });

  test('fails for a predictive config on a trace without hourly means', () => {
    const csv = ['timestamp,requests', ...Array.from({ length: 50 }, (_, i) => `${new Date(Date.UTC(2025, 2, 3) + i * 420_000).toISOString()},5`)];
    expect(() => report(parseTrace(csv.join('\n'), '7min.csv'), [PREDICTIVE])).toThrow(
      "[predictive.json] 'predictive' (true) plans on hourly means of the trace, but the 420 s interval does not "
      + 'divide an hour: give a trace whose interval divides an hour (e.g. 1 min, 15 min or 1 h), or drop "predictive"');
  });
});

describe('on the development trace', () => {
  const maybe = testIf(HAVE_TRACES, TRACES_MISSING);

  maybe('the figures are the README\'s preset comparison (npx projen compare:presets)', () => {
    const configs = [presetConfig('realTime'), presetConfig('standard'), presetConfig('hpaDefaults'), PREDICTIVE];
    const { html } = report(readTrace(MINUTE_TRACE), configs, 20, 'America/New_York');
    const { rows } = comparePresets(MINUTE_TRACE);
    const pairs: Array<[string, number]> = [['realTime', 0], ['standard', 1], ['hpaDefaults', 2], ['realTime + predictive', 3]];
    for (const [name, i] of pairs) {
      const row = summaryRow(html, name.replace('&', '&amp;'));
      const r = rows[i].result;
      expect(Number(row.costUsd[0])).toBe(r.costUsd);
      expect(Number(row.unservedFraction[0])).toBe(r.unservedFraction);
      expect([Number(row.scaleUpEvents[0]), Number(row.scaleDownEvents[0])]).toEqual([r.scaleUpEvents, r.scaleDownEvents]);
    }
    // The README's figures, as printed there.
    expect(summaryRow(html, 'realTime').costUsd[1]).toBe('1,166.63');
    expect(summaryRow(html, 'realTime + predictive').usdPerMillionRequestsServed[1]).toBe('30.90');
  });
});

describe('charts', () => {
  test('downsampling keeps the lowest and highest value of each column, in order, so a one-step spike survives', () => {
    const values = new Array<number>(40_000).fill(1);
    values[12_345] = 99;
    values[30_000] = -5;
    const points = downsample(values, 800);
    expect(points.length).toBeLessThanOrEqual(1600);
    expect(points).toContainEqual({ index: 12_345, value: 99 });
    expect(points).toContainEqual({ index: 30_000, value: -5 });
    expect(points.map(p => p.index)).toEqual([...points.map(p => p.index)].sort((a, b) => a - b));
    expect(downsample([3, 1, 2], 800)).toEqual([{ index: 0, value: 3 }, { index: 1, value: 1 }, { index: 2, value: 2 }]);
  });

  test('y ticks are round numbers from 0 past the maximum', () => {
    expect(niceTicks(135, false)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(21, true)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0.8, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(3, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  test('time ticks fall on local midnights, and on local hours in a zone half an hour off UTC', () => {
    const week = timeTicks(Date.parse('1995-07-01T04:00:00Z'), Date.parse('1995-07-08T04:00:00Z'), zoneFormatter('America/New_York'));
    expect(week.map(t => new Date(t.ms).toISOString())).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map(d => `1995-07-0${d}T04:00:00.000Z`));
    expect(week[0].label).toEqual(['Sat Jul 1']);
    const india = timeTicks(Date.parse('2025-03-03T00:00:00Z'), Date.parse('2025-03-05T00:00:00Z'), zoneFormatter('Asia/Kolkata'));
    expect(india.map(t => new Date(t.ms).toISOString().slice(11, 16))).toEqual(['00:30', '06:30', '12:30', '18:30', '00:30', '06:30', '12:30', '18:30']);
    expect(india.map(t => t.label)).toEqual([
      ['06:00', 'Mon Mar 3'], ['12:00'], ['18:00'], ['00:00', 'Tue Mar 4'], ['06:00'], ['12:00'], ['18:00'], ['00:00', 'Wed Mar 5'],
    ]);
  });

  test('local times are read in the zone, across a daylight-saving change and at half-hour offsets', () => {
    const newYork = zoneFormatter('America/New_York');
    expect(localTimeText(newYork, Date.parse('2025-03-09T06:59:00Z'))).toBe('Sun Mar 9 01:59');
    expect(localTimeText(newYork, Date.parse('2025-03-09T07:00:00Z'))).toBe('Sun Mar 9 03:00'); // 02:00 EST is 03:00 EDT
    expect(localTimeText(newYork, Date.parse('2025-03-31T00:00:00Z'))).toBe('Sun Mar 30 20:00');
    const kolkata = zoneFormatter('Asia/Kolkata');
    expect(localTimeText(kolkata, Date.parse('2024-12-31T18:29:00Z'))).toBe('Tue Dec 31 23:59');
    expect(localTimeText(kolkata, Date.parse('2024-12-31T18:30:00Z'))).toBe('Wed Jan 1 00:00');
  });

  test('40,000 points per series draw as at most two points per column', () => {
    const values = Array.from({ length: 40_000 }, (_, i) => Math.abs(Math.sin(i / 500)) * 100);
    const svg = renderChart({
      id: 'big',
      title: 'big',
      description: 'big',
      yLabel: 'requests per second',
      timeZone: 'Etc/UTC',
      startMs: 0,
      stepMs: 60_000,
      steps: 40_000,
      series: [{ name: 'a', color: '#000', values }, { name: 'b', color: '#111', values: values.map(v => v / 2) }],
    }, zoneFormatter('Etc/UTC'));
    for (const p of elements(svg, 'path')) expect(p.d.split(/[ML]/).filter(Boolean).length).toBeLessThanOrEqual(2 * BUCKETS);
  });
});

describe('the replicas chart', () => {
  const { html } = report(MONTH, [presetConfig('standard')]);
  const chart = html.slice(html.indexOf('<svg class="chart" id="config-1-replicas"'), html.indexOf('</svg>', html.indexOf('id="config-1-replicas"')));
  const paths = elements(chart, 'path');

  test('draws replicas wide and pale, then ready replicas thin on top, so both show where they coincide', () => {
    expect(paths.map(p => p['data-series'])).toEqual(['replicas', 'ready replicas']);
    const [replicas, ready] = paths;
    expect(Number(replicas['stroke-width'])).toBe(REPLICAS_LINE.strokeWidth);
    expect(Number(replicas['stroke-opacity'])).toBe(REPLICAS_LINE.opacity);
    expect(Number(ready['stroke-width'])).toBe(READY_LINE.strokeWidth);
    expect(ready['stroke-opacity']).toBeUndefined();
    // Wide enough that the thin line leaves a visible edge on each side of it.
    expect(REPLICAS_LINE.strokeWidth).toBeGreaterThanOrEqual(3 * READY_LINE.strokeWidth);
    expect(replicas.stroke).not.toBe(ready.stroke);
    // Both carry the whole series, and the two series do differ somewhere (pods starting).
    expect([replicas['data-points'], ready['data-points']]).toEqual(['40320', '40320']);
  });

  test('has a legend whose swatches look like the lines: wide pale and thin dark', () => {
    const legend = chart.slice(chart.indexOf('<g class="legend">'));
    const swatches = elements(legend, 'line');
    expect(swatches.map(l => [l['stroke-width'], l['stroke-opacity']])).toEqual([[String(REPLICAS_LINE.strokeWidth), String(REPLICAS_LINE.opacity)], ['3', undefined]]);
    expect(legend).toMatch(/>replicas<\/text>.*>ready replicas<\/text>/s);
  });

  test('its caption says which line is which', () => {
    expect(html).toContain('Replicas the autoscaler created (the wide pale line) and those ready to serve (the thin line on top)');
  });
});

describe('long traces', () => {
  const { model, html } = report(MONTH, [presetConfig('standard')]);

  test('each line is drawn at up to two points per pixel column, and the page says so with the counts', () => {
    expect(drawnPointsAtMost(40_320, 40_320)).toBe(2 * BUCKETS);
    expect(drawnPointsAtMost(24, 8 * 24)).toBe(24);
    expect(drawingText(40_320, 40_320)).toBe(`Each line is drawn at up to ${(2 * BUCKETS).toLocaleString('en-US')} of its 40,320 points: the lowest and `
      + 'highest of each pixel column, so every peak and dip stays visible; the figures use every point.');
    expect(drawingText(288, 288)).toBe('Each line is drawn at all of its 288 points.');
    expect(html.split(drawingText(40_320, 40_320)).length - 1).toBe(2);
    for (const p of elements(html, 'path').filter(e => e.class === 'series' && e['data-points'] === '40320')) {
      expect(Number(p['data-drawn'])).toBeLessThanOrEqual(2 * BUCKETS);
      expect(p.d.split(/[ML]/).filter(Boolean)).toHaveLength(Number(p['data-drawn']));
    }
  });

  test('the highest and lowest load of the month are among the points drawn', () => {
    const drawn = downsample(model.load, BUCKETS).map(p => p.value);
    expect(Math.max(...drawn)).toBe(Math.max(...model.load));
    expect(Math.min(...drawn)).toBe(Math.min(...model.load));
  });

  test('the overload shading covers exactly the pixel columns holding an overloaded interval', () => {
    const steps = 40_000;
    const perColumn = steps / BUCKETS;
    const flags = new Array<boolean>(steps).fill(false);
    const set = [0, 1, 2, Math.floor(perColumn) + 3, 10_000, Math.floor(10_000 + 2.5 * perColumn), 39_999];
    for (const i of set) flags[i] = true;
    const svg = renderChart({
      id: 'm',
      title: 'm',
      description: 'm',
      yLabel: 'y',
      timeZone: 'Etc/UTC',
      startMs: 0,
      stepMs: 60_000,
      steps,
      series: [{ name: 'a', color: '#000', values: new Array<number>(steps).fill(1) }],
      marks: { name: 'over', color: '#f00', flags },
    }, zoneFormatter('Etc/UTC'));
    expect(svg).toContain('data-steps="7"');
    const strip = svg.slice(svg.indexOf('<g class="strip">'));
    const rects = elements(strip.slice(0, strip.indexOf('</g>')), 'rect');
    // Columns 0 and 1 (neighbours) merge; 10,000 and 2.5 columns later do not (an empty column between); the last stands alone.
    expect(rects).toHaveLength(4);
    const x = (step: number) => 72 + (step / steps) * (960 - 72 - 20);
    expect(Number(rects[0].x)).toBeCloseTo(x(0), 0);
    expect(Number(rects[0].x) + Number(rects[0].width)).toBeCloseTo(x(Math.floor(perColumn) + 4), 0);
    expect(Number(rects[1].x)).toBeCloseTo(x(10_000), 0);
    expect(Number(rects[2].x)).toBeCloseTo(x(Math.floor(10_000 + 2.5 * perColumn)), 0);
  });

  test('the shading counts every overloaded interval of the full-resolution run', () => {
    const run = model.runs[0];
    let overloaded = 0;
    for (let i = 0; i < model.load.length; i++) {
      if (model.load[i] > Math.min(run.readyCapacity[i], i > 0 ? run.readyCapacity[i - 1] : Infinity)) overloaded++;
    }
    expect(overloaded).toBeGreaterThan(0);
    expect(html).toContain(`data-series="load above ready capacity" data-steps="${overloaded}"`);
    expect(html).toContain(`(${overloaded.toLocaleString('en-US')} intervals)`);
  });
});

describe('prices', () => {
  const dear = parseConfig('{"name": "dear", "priceUsdPerHour": 1.2}', 'dear.json');
  const other = parseConfig('{"name": "other <b>", "priceUsdPerHour": 1.2}', 'other.json');

  test('configurations with different prices are flagged: a note naming each price, and the price beside each name', () => {
    const { model, html } = report(parseTrace(syntheticTraceCsv(2, 300), 'two-days.csv'), [presetConfig('standard'), dear, other]);
    const note = priceNote(model.runs)!;
    expect(note).toBe('<strong>Costs are not like-for-like:</strong> the configurations pay different prices per replica-hour '
      + '(<em>standard</em> at 0.526 USD; <em>dear</em>, <em>other &lt;b&gt;</em> at 1.2 USD). '
      + 'Cost and USD per hour mix the price with the scaling; compare replica-hours for the scaling alone.');
    expect(html).toContain(`<p class="price-warning" role="note">${note}</p>`);
    expect(html).toContain('<a href="#config-2">dear</a> <span class="price-tag">at 1.2 USD/h</span></th>');
    expect(html).toContain('<tr data-config="standard" data-price-usd-per-hour="0.526">');
  });

  test('configurations at one price are not flagged', () => {
    const { model, html } = report(parseTrace(syntheticTraceCsv(2, 300), 'two-days.csv'), [presetConfig('standard'), presetConfig('realTime')]);
    expect(priceNote(model.runs)).toBeUndefined();
    expect(html).not.toContain('<p class="price-warning"');
    expect(html).not.toContain('price-tag"');
  });
});

/** A run with only what the verdict reads. */
function fakeRun(name: string, servedPercent: number, costUsd: number, priceUsdPerHour = 0.526): ConfigRun {
  return {
    config: { name, model: { priceUsdPerHour } },
    result: { unservedFraction: 1 - servedPercent / 100, costUsd },
  } as unknown as ConfigRun;
}

describe('the verdict', () => {
  test('the cheapest configuration within the tolerance of the best wins, with the figures', () => {
    const v = verdictOf([fakeRun('realTime', 99.98, 502.44), fakeRun('standard', 99.96, 412), fakeRun('hpaDefaults', 98.5, 300)]);
    expect(v.kind).toBe('winner');
    expect(v.winners).toEqual(['standard']);
    expect(v.html).toBe('<em>standard</em> wins: it serves 99.96% of requests at $412.00, 18% less than <em>realTime</em>, which serves 99.98%; '
      + '<em>hpaDefaults</em> would cost 27% less but serves only 98.50%.');
  });

  test('the best-serving configuration wins when it is also the cheapest', () => {
    const v = verdictOf([fakeRun('a', 99.9, 100), fakeRun('b', 99.88, 120), fakeRun('c', 99, 130)]);
    expect(v.winners).toEqual(['a']);
    expect(v.html).toBe('<em>a</em> wins: it serves 99.90% of requests at $100.00, the most of any, and 17% less than <em>b</em>, which serves 99.88%.');
  });

  test('alone within the tolerance, it names the next one', () => {
    const v = verdictOf([fakeRun('a', 99.9, 100), fakeRun('b', 99.5, 120)]);
    expect(v.html).toBe('<em>a</em> wins: it serves 99.90% of requests at $100.00, the most of any; the others leave more than 0.05 points more '
      + 'unserved (the next, <em>b</em>, serves 99.50% at $120.00).');
  });

  test('shows as many decimals as keep the served shares apart', () => {
    const v = verdictOf([fakeRun('a', 99.9991, 100), fakeRun('b', 99.9994, 101)]);
    expect(v.html).toBe('<em>a</em> wins: it serves 99.9991% of requests at $100.00, 1.0% less than <em>b</em>, which serves 99.9994%.');
  });

  test('ties: the same cost to the cent and the same service', () => {
    const v = verdictOf([fakeRun('a', 99.9, 100.001), fakeRun('b', 99.9, 100.004), fakeRun('c', 99.95, 130), fakeRun('d', 90, 50)]);
    expect(v.kind).toBe('tie');
    expect(v.winners).toEqual(['a', 'b']);
    expect(v.html).toBe('<em>a</em> and <em>b</em> tie: each serves 99.90% of requests at $100.00, the least among those within 0.05 points of the best; '
      + '<em>d</em> would cost 50% less but serves only 90.00%.');
  });

  test('equal cost goes to the one that serves more', () => {
    expect(verdictOf([fakeRun('a', 99.9, 100), fakeRun('b', 99.92, 100)]).winners).toEqual(['b']);
  });

  test('all equal: none wins', () => {
    const v = verdictOf([fakeRun('a', 99.9, 100), fakeRun('b', 99.9, 100), fakeRun('c', 99.9, 100)]);
    expect(v).toEqual({ kind: 'allEqual', winners: ['a', 'b', 'c'], html: 'All 3 configurations serve 99.90% of requests at $100.00: none wins on this trace.' });
  });

  test('none serves an acceptable share', () => {
    const v = verdictOf([fakeRun('a', 97.5, 100), fakeRun('b', 98.25, 120)]);
    expect(v).toEqual({
      kind: 'noneAcceptable',
      winners: [],
      html: 'No configuration serves 99% of requests: the best, <em>b</em>, serves 98.25% at $120.00; raise maxReplicas or capacity per replica, '
        + 'or make pods ready sooner.',
    });
  });

  test('one configuration', () => {
    expect(verdictOf([fakeRun('a', 99.5, 10)])).toEqual({ kind: 'single', winners: ['a'], html: 'Only one configuration, <em>a</em>: it serves 99.50% of requests at $10.00.' });
    expect(verdictOf([fakeRun('a', 90, 10)]).kind).toBe('noneAcceptable');
  });

  test('the tolerance and the floor are the stated rule', () => {
    expect(VERDICT_RULE).toEqual({ maxUnservedFraction: 0.01, toleranceFraction: 0.0005 });
    // Just inside and just outside the tolerance.
    expect(verdictOf([fakeRun('best', 99.9, 100), fakeRun('cheap', 99.851, 90)]).winners).toEqual(['cheap']);
    expect(verdictOf([fakeRun('best', 99.9, 100), fakeRun('cheap', 99.849, 90)]).winners).toEqual(['best']);
    expect(verdictOf([fakeRun('best', 99.02, 100), fakeRun('cheap', 98.99, 90)]).winners).toEqual(['best']);
  });

  test('the page states the verdict, computed from its own summary, and the rule', () => {
    const configs = [presetConfig('realTime'), presetConfig('standard'), presetConfig('hpaDefaults')];
    const { model, html } = report(MONTH, configs);
    const v = verdictOf(model.runs);
    expect(html).toContain(`<p class="verdict" data-verdict="${v.kind}" data-winners="${v.winners.join('\n')}"><strong>${v.html}</strong></p>`);
    expect(html).toContain('How the winner is picked: among the configurations that serve at least 99% of requests and leave at most 0.05 '
      + 'percentage points more unserved than the best one, the one that costs least over the trace wins; costs equal to the cent go to the one that serves more.');
    // Recomputed from the summary table's own cells.
    const rows = configs.map(c => {
      const row = summaryRow(html, c.name);
      return { name: c.name, unservedFraction: row.unservedFraction, costUsd: row.costUsd };
    });
    const best = Math.min(...rows.map(r => Number(r.unservedFraction[0])));
    const ok = rows.filter(r => Number(r.unservedFraction[0]) <= Math.min(0.01, best + 0.0005) + 1e-12);
    const cheapest = Math.min(...ok.map(r => Math.round(Number(r.costUsd[0]) * 100)));
    expect(v.winners).toEqual(ok.filter(r => Math.round(Number(r.costUsd[0]) * 100) === cheapest).map(r => r.name).slice(0, v.winners.length));
  });
});

describe('the forecast section', () => {
  const { model, html } = report(MONTH, [presetConfig('standard')], 1, 'America/New_York');
  const section = html.slice(html.indexOf('<section id="forecast">'));

  test('names LoadForecaster and its method, the history it read, and says it is not a prediction', () => {
    expect(section).toContain('<h2>Forecast: LoadForecaster on the trace\'s own history</h2>');
    expect(section).toContain('it reads the trace alone, 672 hourly means from Sun Mar 2 19:00 to Sun Mar 30 20:00 (America/New_York, days cut at midnight there)');
    expect(section).toContain('a time-of-day shape per day type');
    expect(section).toContain('a daily level following a damped trend');
    expect(section).toContain(`On this trace: ${model.forecast.method}.`);
    expect(section).toContain('It is not a prediction of what will happen: it knows nothing the trace does not show');
    expect(html).not.toMatch(/forecast for the next day|Forecast of the next day/);
  });

  test('draws LoadForecaster\'s own 10% and 90% quantiles as a band, and lists them', () => {
    const perSecond = MONTH.requests.map(r => r / 60);
    const hourly: number[] = [];
    for (let h = 0; h < 28 * 24; h++) hourly.push(perSecond.slice(h * 60, (h + 1) * 60).reduce((a, b) => a + b, 0) / 60);
    const props = { history: hourly, interval: Duration.hours(1), startTime: new Date('2025-03-03T00:00:00.000Z'), timeZone: 'America/New_York' };
    const expected = LoadForecaster.forecast({ ...props, horizon: 24, quantiles: FORECAST_QUANTILES });
    expect(FORECAST_QUANTILES).toEqual([0.1, 0.9]);
    expect(model.forecast.quantiles).toEqual(expected.quantiles);
    const band = elements(section, 'path').find(p => p.class === 'band')!;
    expect(band['data-series']).toBe('10%-90% quantiles');
    // The upper edge left to right, then the lower edge back: twice the forecast's points.
    expect(band.d.split(/[ML]/).filter(Boolean)).toHaveLength(48);
    expect(section).toMatch(/>10%-90% quantiles<\/text>/);
    expect(section).toContain(`<td class="num" data-key="q0.9">${expected.quantiles[1].values[0].toFixed(2)}</td>`);
    expect(section).toContain('The shaded band spans its 10% and 90% quantiles');
    // The backtest on the same history, as LoadForecaster.evaluate reports it.
    const e = LoadForecaster.evaluate(props);
    expect(model.forecast.evaluation).toEqual(e);
    expect(section).toContain(`each of the last ${e.days} days estimated from the days before it), its error (WAPE) was ${(e.modelWape * 100).toFixed(1)}%`);
  });

  test('says when the trace is too short to backtest', () => {
    const { html: page } = report(parseTrace(syntheticTraceCsv(3, 3600), 'three-days.csv'), [presetConfig('standard')]);
    expect(page).toContain('The trace is too short (under 8 days) to backtest it.');
  });
});
