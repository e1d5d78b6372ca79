/**
 * Time-series charts as inline SVG, written by hand so the report needs no script, library or font from elsewhere.
 * Long series are reduced to the lowest and highest value of each pixel column, so a one-minute spike in a month of
 * data still shows, and a 40,000-point series becomes at most two points per column.
 */
import { wallTime } from '../common/time-zones';

/** Chart geometry in SVG user units (the page scales the chart to its width). */
export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 300;
const MARGIN = { left: 72, right: 20, top: 44, bottom: 58 };
const PLOT_WIDTH = CHART_WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
/** One bucket per pixel column of the plot. */
export const BUCKETS = PLOT_WIDTH;

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** One value per step, constant within the step. */
  readonly values: ArrayLike<number>;
  /** The chart step of values[0]. @default 0 */
  readonly offset?: number;
  readonly dashed?: boolean;
  /** Line width in SVG units; a wide pale line under a thin one keeps both readable where they coincide. @default 1.5 */
  readonly strokeWidth?: number;
  /** Line opacity, from 0 to 1. @default 1 */
  readonly opacity?: number;
}

/** A shaded range between two series, e.g. a forecast's quantiles, drawn under the lines. */
export interface ChartBand {
  readonly name: string;
  readonly color: string;
  /** The lower edge, one value per step; as long as `upper`. */
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  /** The chart step of lower[0] and upper[0]. @default 0 */
  readonly offset?: number;
}

/** Steps to mark with a band along the bottom of the plot, e.g. where load exceeded ready capacity. */
export interface ChartMarks {
  readonly name: string;
  readonly color: string;
  /** One flag per chart step. */
  readonly flags: ArrayLike<boolean>;
}

/** A chart over time: `steps` steps of `stepMs` from `startMs`. */
export interface ChartSpec {
  /** Unique in the page: the ids of the title and description derive from it. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in a sentence or two (screen readers read it). */
  readonly description: string;
  /** The y axis label, with its unit. */
  readonly yLabel: string;
  readonly timeZone: string;
  readonly startMs: number;
  readonly stepMs: number;
  readonly steps: number;
  readonly series: ChartSeries[];
  readonly marks?: ChartMarks;
  /** A shaded range drawn under the series. */
  readonly band?: ChartBand;
  /** A vertical line at a chart step, with a label, e.g. the end of the history. */
  readonly divider?: { readonly step: number; readonly label: string };
  /** Whole-number ticks only (replicas). */
  readonly integerY?: boolean;
}

/** A point of a reduced series: the step index (within the series) and its value. */
export interface SeriesPoint {
  readonly index: number;
  readonly value: number;
}

/**
 * Reduces a series to at most two points per bucket: the lowest and the highest value, in the order they occur.
 * Series of up to two points per bucket are returned whole.
 */
export function downsample(values: ArrayLike<number>, buckets: number): SeriesPoint[] {
  const n = values.length;
  const out: SeriesPoint[] = [];
  if (n <= 2 * buckets) {
    for (let i = 0; i < n; i++) out.push({ index: i, value: values[i] });
    return out;
  }
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    if (lo === hi) {
      out.push({ index: lo, value: values[lo] });
    } else {
      const [a, c] = lo < hi ? [lo, hi] : [hi, lo];
      out.push({ index: a, value: values[a] }, { index: c, value: values[c] });
    }
  }
  return out;
}

/** Round, readable tick values from 0 to at least `max`. */
export function niceTicks(max: number, integer: boolean, count = 5): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? 10 * magnitude;
  if (integer) step = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  for (let v = 0; v < top + step - 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Tick spacings on the time axis, in minutes. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 40320];
const MAX_TIME_TICKS = 9;
/** 1970-01-05 was a Monday: local day numbers minus this are multiples of 7 on Mondays. */
const MONDAY_DAY = 4;
const MS_PER_DAY = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A tick on the time axis: its instant and its label lines. */
export interface TimeTick {
  readonly ms: number;
  readonly label: string[];
}

/** `Mon Jul 3` of a wall-clock time (milliseconds read as UTC, from `wallTime`). */
function dayText(wall: number): string {
  const d = new Date(wall);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** Minutes since local midnight of a wall-clock time. */
function minuteOfDay(wall: number): number {
  return Math.floor((((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000);
}

/**
 * `Mon Jul 3 14:05` style text of an instant in a zone.
 * @param zone the zone's formatter (`zoneFormatter`); make one per page and reuse it, building it is the slow part
 */
export function localTimeText(zone: Intl.DateTimeFormat, ms: number): string {
  const wall = wallTime(zone, ms);
  return `${dayText(wall)} ${hhmm(minuteOfDay(wall))}`;
}

/**
 * Ticks at round local times (every n minutes or hours, local midnights, Mondays), at most 9 over the span. On the day
 * of a daylight-saving change a tick may sit an hour off its label's round time.
 */
export function timeTicks(startMs: number, endMs: number, zone: Intl.DateTimeFormat): TimeTick[] {
  const spanMinutes = (endMs - startMs) / 60_000;
  const every = TIME_STEPS.find(m => spanMinutes / m <= MAX_TIME_TICKS) ?? TIME_STEPS[TIME_STEPS.length - 1];
  // Scan finely enough to enter every tick's local minute or quarter hour, coarser on long spans.
  let scanMinutes = every < 60 ? 1 : 15;
  if (spanMinutes / scanMinutes > 20_000) scanMinutes = 60;
  const scanMs = scanMinutes * 60_000;
  const ticks: TimeTick[] = [];
  let last = -Infinity;
  for (let t = Math.ceil(startMs / scanMs) * scanMs; t <= endMs; t += scanMs) {
    const wall = wallTime(zone, t);
    // Back to the round local time at or before t: within the day, or to the start of a period of whole days.
    const intoDay = ((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
    let backMs: number;
    if (every < 1440) {
      backMs = intoDay % (every * 60_000);
    } else {
      const days = every / 1440;
      const intoPeriod = (((Math.floor(wall / MS_PER_DAY) - MONDAY_DAY) % days) + days) % days;
      backMs = intoPeriod * MS_PER_DAY + intoDay;
    }
    const tick = t - backMs;
    if (tick === last || tick < startMs || tick > endMs) continue;
    last = tick;
    const at = wallTime(zone, tick);
    const day = dayText(at);
    const minute = minuteOfDay(at);
    // Daily ticks show the day; others the time, with the day under the first tick and under each midnight.
    let label = [day];
    if (every < 1440) label = ticks.length === 0 || minute === 0 ? [hhmm(minute), day] : [hhmm(minute)];
    ticks.push({ ms: tick, label });
  }
  return ticks;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Text for HTML and SVG: the five characters that could end an element or an attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A tick value as text, with as many decimals as the tick step has (ticks are rounded by `niceTicks`). */
function tickText(value: number, step: number): string {
  const decimals = Math.min(6, String(step).split('.')[1]?.length ?? 0);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The chart as an accessible inline `<svg>`: title, description, axes with labels and units, legend, series paths. */
export function renderChart(spec: ChartSpec, zone: Intl.DateTimeFormat): string {
  const { id, steps } = spec;
  let maxY = 0;
  for (const s of spec.series) for (let i = 0; i < s.values.length; i++) if (s.values[i] > maxY) maxY = s.values[i];
  if (spec.band) for (let i = 0; i < spec.band.upper.length; i++) if (spec.band.upper[i] > maxY) maxY = spec.band.upper[i];
  const yTicks = niceTicks(maxY, spec.integerY === true);
  const yTop = yTicks[yTicks.length - 1];
  const x = (step: number): number => MARGIN.left + (steps > 0 ? (step / steps) * PLOT_WIDTH : 0);
  const y = (value: number): number => MARGIN.top + PLOT_HEIGHT - (value / yTop) * PLOT_HEIGHT;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const out: string[] = [];
  out.push(`<svg class="chart" id="${id}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">`);
  out.push(`<title id="${id}-title">${escapeXml(spec.title)}</title>`);
  out.push(`<desc id="${id}-desc">${escapeXml(spec.description)}</desc>`);

  // Grid and y axis.
  out.push('<g class="axis y-axis">');
  const yStep = yTicks.length > 1 ? yTicks[1] : 1;
  for (const v of yTicks) {
    const py = f1(y(v));
    out.push(`<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${py}" y2="${py}"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${tickText(v, yStep)}</text>`);
  }
  out.push(`<text class="axis-label" transform="translate(16 ${MARGIN.top + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  out.push('</g>');

  // Time axis.
  out.push('<g class="axis x-axis">');
  out.push(`<line class="axis-line" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${bottom}" y2="${bottom}"/>`);
  const endMs = spec.startMs + steps * spec.stepMs;
  for (const tick of timeTicks(spec.startMs, endMs, zone)) {
    const px = f1(x((tick.ms - spec.startMs) / spec.stepMs));
    out.push(`<line class="grid" x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${bottom}"/>`);
    out.push(`<line class="tick" x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 5}"/>`);
    const lines = tick.label.map((l, i) => `<tspan x="${px}" dy="${i === 0 ? 0 : 14}">${escapeXml(l)}</tspan>`).join('');
    out.push(`<text x="${px}" y="${bottom + 18}" text-anchor="middle">${lines}</text>`);
  }
  out.push(`<text class="axis-label" x="${MARGIN.left + PLOT_WIDTH / 2}" y="${CHART_HEIGHT - 6}" text-anchor="middle">time (${escapeXml(spec.timeZone)})</text>`);
  out.push('</g>');

  if (spec.marks) out.push(renderMarks(spec.marks, steps, x, bottom));
  if (spec.divider) {
    const px = f1(x(spec.divider.step));
    out.push(`<line class="divider" x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${bottom}"/>`);
    out.push(`<text class="divider-label" x="${px}" y="${MARGIN.top - 4}" text-anchor="middle">${escapeXml(spec.divider.label)}</text>`);
  }

  if (spec.band) out.push(renderBand(spec.band, steps, x, y));
  // Series in the order given: the last is drawn on top.
  for (const s of spec.series) {
    const offset = s.offset ?? 0;
    const points = downsample(s.values, bucketsFor(s.values.length, steps));
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f1(x(offset + p.index + 0.5))},${f1(y(p.value))}`).join('');
    out.push(`<path class="series" data-series="${escapeXml(s.name)}" data-points="${s.values.length}" data-drawn="${points.length}" d="${d}" `
      + `fill="none" stroke="${s.color}" ${strokeAttributes(s)}/>`);
  }
  out.push(renderLegend(spec));
  out.push('</svg>');
  return out.join('\n');
}

/** Buckets for a series of `length` values on a chart of `steps` steps: one per pixel column it spans. */
function bucketsFor(length: number, steps: number): number {
  return Math.max(1, Math.round((length / Math.max(1, steps)) * BUCKETS));
}

/**
 * The most points a series of `length` values is drawn with on a chart of `steps` steps: all of them when they fit
 * two per pixel column, else the lowest and highest of each column.
 */
export function drawnPointsAtMost(length: number, steps: number): number {
  return Math.min(length, 2 * bucketsFor(length, steps));
}

function strokeAttributes(s: ChartSeries): string {
  return `stroke-width="${s.strokeWidth ?? 1.5}"${s.opacity === undefined ? '' : ` stroke-opacity="${s.opacity}"`}`
    + `${s.dashed ? ' stroke-dasharray="6 4"' : ''}`;
}

function renderBand(band: ChartBand, steps: number, x: (step: number) => number, y: (value: number) => number): string {
  const offset = band.offset ?? 0;
  const buckets = bucketsFor(band.upper.length, steps);
  // The upper edge keeps each column's highest value and the lower its lowest, so the band never looks narrower than it is.
  const upper = downsample(band.upper, buckets);
  const lower = downsample(band.lower, buckets).reverse();
  const d = [...upper, ...lower].map((p, i) => `${i === 0 ? 'M' : 'L'}${f1(x(offset + p.index + 0.5))},${f1(y(p.value))}`).join(''); // a filled path closes itself
  return `<path class="band" data-series="${escapeXml(band.name)}" d="${d}" fill="${band.color}" fill-opacity="0.2" stroke="none"/>`;
}

/**
 * Shades the pixel columns that hold at least one flagged step, and only those: runs of flags merge when they fall in
 * the same or neighbouring columns, so a month of minutes makes a few hundred rectangles at most and no column is
 * shaded that holds no flag. `data-steps` counts the flagged steps.
 */
function renderMarks(marks: ChartMarks, steps: number, x: (step: number) => number, bottom: number): string {
  const rects: string[] = [];
  const shades: string[] = [];
  const column = (step: number): number => Math.floor((step * BUCKETS) / Math.max(1, steps));
  let runStart = -1;
  let flagged = 0;
  const flush = (end: number): void => {
    const x0 = x(runStart);
    const width = f1(Math.max(1, x(end) - x0));
    // A light shade over the plot's height, and a solid strip just above the plot where the series never draw.
    shades.push(`<rect x="${f1(x0)}" y="${MARGIN.top}" width="${width}" height="${bottom - MARGIN.top}"/>`);
    rects.push(`<rect x="${f1(x0)}" y="${MARGIN.top - 8}" width="${width}" height="6"/>`);
    runStart = -1;
  };
  let lastFlag = -Infinity;
  for (let i = 0; i < steps; i++) {
    if (!marks.flags[i]) continue;
    flagged++;
    if (runStart >= 0 && i - lastFlag > 1 && column(i) - column(lastFlag) > 1) flush(lastFlag + 1);
    if (runStart < 0) runStart = i;
    lastFlag = i;
  }
  if (runStart >= 0) flush(lastFlag + 1);
  return `<g class="marks" data-series="${escapeXml(marks.name)}" data-steps="${flagged}" fill="${marks.color}"><g fill-opacity="0.18">${shades.join('')}</g>`
    + `<g class="strip">${rects.join('')}</g></g>`;
}

function renderLegend(spec: ChartSpec): string {
  const items: string[] = [];
  let px = MARGIN.left;
  const add = (swatch: string, name: string): void => {
    items.push(`<g transform="translate(${px} 16)">${swatch}<text x="26" y="4" dominant-baseline="middle">${escapeXml(name)}</text></g>`);
    px += 26 + name.length * 7 + 22;
  };
  if (spec.band) add(`<rect x="0" y="0" width="20" height="8" fill="${spec.band.color}" fill-opacity="0.2"/>`, spec.band.name);
  for (const s of spec.series) {
    // The swatch is as wide as the line, at least 3 units, so a wide pale line and a thin one look as they do in the plot.
    add(`<line x1="0" x2="20" y1="4" y2="4" stroke="${s.color}" ${strokeAttributes({ ...s, strokeWidth: Math.max(3, s.strokeWidth ?? 1.5) })}/>`, s.name);
  }
  if (spec.marks) add(`<rect x="0" y="0" width="20" height="8" fill="${spec.marks.color}"/>`, spec.marks.name);
  return `<g class="legend">${items.join('')}</g>`;
}
