/**
 * KEDA's cron trigger replayed on a trace: which instants are inside a start/end window. KEDA asks, at every poll,
 * for the next start and the next end after now in the trigger's timezone (robfig/cron v3.0.1 `Schedule.Next`), and
 * reports `desiredReplicas` (and is active) when the next end comes no later than the next start, else 1
 * (kedacore/keda v2.x pkg/scalers/cron_scaler.go, GetMetricsAndActivity); the window is [start, end).
 */
import { cronExpressionProblem } from '../common/cron';
import { wallTime, zoneFormatter } from '../common/time-zones';

const MS_PER_MINUTE = 60_000;
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS: Array<[number, number, Record<string, number> | undefined]> = [[0, 59, undefined], [0, 23, undefined], [1, 31, undefined],
  [1, 12, MONTHS], [0, 6, WEEKDAYS]];
/** How far past the trace the next start and end are looked for: a window of a cron that fires monthly is found. */
const LOOKAHEAD_MINUTES = 32 * 1440;

/** A parsed five-field cron expression: the allowed values of each field, and whether day of month / week is `*`. */
interface Cron {
  readonly fields: Array<Set<number>>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

/** Parses a cron expression KEDA accepts (check it with cronExpressionProblem first). */
export function parseCron(expr: string): Cron {
  if (cronExpressionProblem(expr) !== undefined) throw new Error(`not a cron expression KEDA accepts: ${expr}`);
  const parts = expr.trim().split(/\s+/);
  const fields = parts.map((text, i) => {
    const [min, max, names] = BOUNDS[i];
    const num = (t: string) => names?.[t.toLowerCase()] ?? Number(t);
    const set = new Set<number>();
    for (const item of text.split(',')) {
      const [range, stepText] = item.split('/');
      let from: number;
      let to: number;
      if (range === '*' || range === '?') {
        from = min; to = max;
      } else if (range.includes('-')) {
        const [a, b] = range.split('-');
        from = num(a); to = num(b);
      } else {
        from = num(range);
        to = stepText !== undefined ? max : from;
      }
      const step = stepText === undefined ? 1 : Number(stepText);
      for (let v = from; v <= to; v += step) set.add(v);
    }
    return set;
  });
  // robfig/cron: day of month and day of week are ANDed when either is `*` (or `?`), else ORed (spec.go dayMatches).
  const star = (t: string) => t.startsWith('*') || t.startsWith('?');
  return { fields, domStar: star(parts[2]), dowStar: star(parts[4]) };
}

function matches(cron: Cron, wallMs: number): boolean {
  const d = new Date(wallMs);
  const [minute, hour, dom, month, dow] = cron.fields;
  if (!minute.has(d.getUTCMinutes()) || !hour.has(d.getUTCHours()) || !month.has(d.getUTCMonth() + 1)) return false;
  const domOk = dom.has(d.getUTCDate());
  const dowOk = dow.has(d.getUTCDay());
  return cron.domStar || cron.dowStar ? domOk && dowOk : domOk || dowOk;
}

/** One cron trigger as synthesized. */
export interface CronWindow {
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  readonly desiredReplicas: number;
}

/**
 * Whether each whole minute from `startMs` (floored to a minute) for `minutes` minutes is inside the window, by KEDA's
 * rule: the next end (after the minute) comes no later than the next start.
 */
export function insideWindow(w: CronWindow, startMs: number, minutes: number): Uint8Array {
  const start = parseCron(w.start);
  const end = parseCron(w.end);
  const fmt = zoneFormatter(w.timeZone);
  const first = Math.floor(startMs / MS_PER_MINUTE) * MS_PER_MINUTE;
  const total = minutes + LOOKAHEAD_MINUTES;
  const startFires = new Uint8Array(total);
  const endFires = new Uint8Array(total);
  let offsetBase = -1;
  let offsetMs = 0;
  for (let i = 0; i < total; i++) {
    const ms = first + i * MS_PER_MINUTE;
    // The zone's offset changes on a quarter hour at most: read it again every 15 minutes.
    const quarter = Math.floor(ms / (15 * MS_PER_MINUTE));
    if (quarter !== offsetBase) {
      offsetBase = quarter;
      offsetMs = wallTime(fmt, ms) - ms;
    }
    const wall = ms + offsetMs;
    startFires[i] = matches(start, wall) ? 1 : 0;
    endFires[i] = matches(end, wall) ? 1 : 0;
  }
  const inside = new Uint8Array(minutes);
  let nextStart = Infinity;
  let nextEnd = Infinity;
  for (let i = total - 1; i >= 0; i--) {
    // Next strictly after minute i: record the firings of i only after deciding i.
    if (i < minutes) inside[i] = nextEnd !== Infinity && nextEnd <= nextStart ? 1 : 0;
    if (startFires[i]) nextStart = i;
    if (endFires[i]) nextEnd = i;
  }
  return inside;
}

/**
 * The replicas the cron triggers ask for at the start of each step (the most of the windows inside then, 0 when none
 * is: KEDA reports 1, which the HPA's minimum covers), as AutoscalerSimulator's `scheduledReplicas`.
 */
export function scheduleOf(windows: readonly CronWindow[], startMs: number, stepSeconds: number, steps: number): number[] {
  const out = new Array<number>(steps).fill(0);
  const stepMs = stepSeconds * 1000;
  const minutes = Math.ceil((steps * stepMs) / MS_PER_MINUTE) + 1;
  for (const w of windows) {
    const inside = insideWindow(w, startMs, minutes);
    const first = Math.floor(startMs / MS_PER_MINUTE) * MS_PER_MINUTE;
    for (let k = 0; k < steps; k++) {
      const minute = Math.floor((startMs + k * stepMs - first) / MS_PER_MINUTE);
      if (inside[minute] && w.desiredReplicas > out[k]) out[k] = w.desiredReplicas;
    }
  }
  return out;
}
