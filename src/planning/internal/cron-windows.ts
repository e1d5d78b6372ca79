/**
 * Numeric core of `PredictiveScaling`: replicas per minute become a few weekly cron windows.
 * Positions are whole minutes from an origin; a circular plan covers exactly one wall-clock week.
 */

import { offsetAt, wallTime } from '../../common/time-zones';

export const MINUTES_PER_WEEK = 7 * 1440;
const MS_PER_MINUTE = 60_000;

/** A window of constant replicas: `length` minutes from position `start` (wrapping past the end when circular). */
export interface Span {
  readonly start: number;
  readonly length: number;
  readonly replicas: number;
}

/** Raises every position to the largest requirement of the next `lead` minutes, so capacity is up before the load. */
export function withLead(required: number[], lead: number, circular: boolean): number[] {
  const n = required.length;
  const need = required.slice();
  if (lead <= 0) return need;
  // Only a rise can raise earlier positions: the maximum of a look-ahead window is entered through a rising edge.
  for (let p = 0; p < n; p++) {
    const before = p > 0 ? required[p - 1] : circular ? required[n - 1] : 0;
    if (required[p] <= before) continue;
    for (let q = p - lead; q < p; q++) {
      if (q < 0 && !circular) continue;
      const i = ((q % n) + n) % n;
      if (need[i] < required[p]) need[i] = required[p];
    }
  }
  return need;
}

/**
 * Makes each group of contiguous positions constant at its maximum, so that no window starts or ends inside it.
 * `inGroup[p]` marks the positions; a circular plan joins a group across the end.
 */
export function flatten(need: number[], inGroup: boolean[], circular: boolean): number[] {
  const n = need.length;
  const out = need.slice();
  if (inGroup.every(Boolean)) return out.fill(Math.max(...need));
  // Start where a group cannot continue from the previous position, so circular groups are not cut in two.
  let first = 0;
  if (circular) while (inGroup[first]) first++;
  let group: number[] = [];
  const close = () => {
    if (group.length === 0) return;
    const top = Math.max(...group.map(i => out[i]));
    for (const i of group) out[i] = top;
    group = [];
  };
  for (let k = 0; k < n; k++) {
    const p = (first + k) % n;
    if (inGroup[p]) group.push(p);
    else close();
  }
  close();
  return out;
}

/** Maximal runs of equal replicas above zero. A circular plan that is constant all round is one span of full length. */
export function runsOf(need: number[], circular: boolean): Span[] {
  const n = need.length;
  let first = 0;
  if (circular) {
    while (first < n && need[first] === need[(first - 1 + n) % n]) first++;
    if (first === n) return need[0] > 0 ? [{ start: 0, length: n, replicas: need[0] }] : [];
  }
  const spans: Span[] = [];
  let k = 0;
  while (k < n) {
    const r = need[(first + k) % n];
    let len = 1;
    while (k + len < n && need[(first + k + len) % n] === r) len++;
    if (r > 0) spans.push({ start: (first + k) % n, length: len, replicas: r });
    k += len;
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * Merges neighbouring spans until at most `maxSpans` remain, each time the pair whose merge adds the fewest
 * replica-minutes (the merged span takes the higher replicas and covers the gap between them), so no position ever
 * gets fewer replicas. Touching spans with equal replicas are always merged. A circular `maxSpans` must be at least 2.
 */
export function capSpans(spans: Span[], n: number, circular: boolean, maxSpans: number): Span[] {
  let list = coalesce(spans.slice(), n, circular);
  while (list.length > maxSpans) {
    const k = list.length;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 0; i < (circular ? k : k - 1); i++) {
      const a = list[i];
      const b = list[(i + 1) % k];
      const merged = mergedOf(a, b, n, circular);
      const cost = merged.replicas * merged.length - a.replicas * a.length - b.replicas * b.length;
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
      }
    }
    const j = (best + 1) % k;
    const merged = mergedOf(list[best], list[j], n, circular);
    list = list.filter((_, i) => i !== best && i !== j).concat([merged]).sort((x, y) => x.start - y.start);
    list = coalesce(list, n, circular);
  }
  return list;
}

function mergedOf(a: Span, b: Span, n: number, circular: boolean): Span {
  const end = b.start + b.length;
  const length = circular ? ((end - a.start) % n + n) % n || n : end - a.start;
  return { start: a.start, length, replicas: Math.max(a.replicas, b.replicas) };
}

function coalesce(list: Span[], n: number, circular: boolean): Span[] {
  let changed = true;
  while (changed && list.length > 1) {
    changed = false;
    const k = list.length;
    for (let i = 0; i < (circular ? k : k - 1); i++) {
      const a = list[i];
      const b = list[(i + 1) % k];
      const touching = circular ? (a.start + a.length) % n === b.start : a.start + a.length === b.start;
      if (touching && a.replicas === b.replicas) {
        const merged = mergedOf(a, b, n, circular);
        list = list.filter((_, x) => x !== i && x !== (i + 1) % k).concat([merged]).sort((x, y) => x.start - y.start);
        changed = true;
        break;
      }
    }
  }
  return list;
}

/**
 * KEDA's cron trigger rejects a window whose start equals its end, so a span around the whole cycle becomes two
 * halves, split at the first allowed positions at or after 0 and n/2.
 */
export function splitFullCycle(spans: Span[], n: number, allowed: (p: number) => boolean): Span[] {
  if (spans.length !== 1 || spans[0].length < n || n < 2) return spans;
  const nextAllowed = (from: number) => {
    for (let k = 0; k < n; k++) if (allowed((from + k) % n)) return (from + k) % n;
    return from % n;
  };
  const a = nextAllowed(0);
  let b = nextAllowed(Math.floor(n / 2));
  if (b === a) b = (a + Math.floor(n / 2)) % n;
  const first = ((b - a) % n + n) % n;
  const r = spans[0].replicas;
  return [{ start: a, length: first, replicas: r }, { start: b, length: n - first, replicas: r }].sort((x, y) => x.start - y.start);
}

/** The replicas a set of spans holds at each position (the largest of the spans covering it). */
export function coverage(spans: Span[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const s of spans) {
    for (let k = 0; k < s.length; k++) {
      const p = (s.start + k) % n;
      if (out[p] < s.replicas) out[p] = s.replicas;
    }
  }
  return out;
}

// ---- time zones ----

/** A change of the zone's offset. */
export interface Transition {
  /** the first instant of the new offset, in ms */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** The offset changes between two instants (found day by day, then to the minute). */
export function transitions(fmt: Intl.DateTimeFormat, fromMs: number, toMs: number): Transition[] {
  const day = 1440 * MS_PER_MINUTE;
  const out: Transition[] = [];
  let t = fromMs;
  let o = offsetAt(fmt, t);
  while (t < toMs) {
    const next = t + day;
    const o2 = offsetAt(fmt, next);
    if (o2 !== o) {
      let lo = t;
      let hi = next;
      while (hi - lo > MS_PER_MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
        if (offsetAt(fmt, mid) === o) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: o, after: offsetAt(fmt, hi) });
    }
    t = next;
    o = o2;
  }
  return out;
}

/** Minute of the week (Sunday 00:00 = 0, as cron counts days) of a wall-clock time given as ms since the epoch. */
export function minuteOfWeek(localMs: number): number {
  const minutes = Math.floor(localMs / MS_PER_MINUTE);
  const days = Math.floor(minutes / 1440);
  const weekday = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return weekday * 1440 + (((minutes % 1440) + 1440) % 1440);
}

/**
 * The wall-clock minutes of the week that a cron boundary must not fall in: those a transition skips
 * (robfig/cron never fires in them, so the window would not start or end that week) and those it repeats
 * (a start there fires twice: the window drops out between the two). Each is `[from, from + length)` in minute of week.
 */
export function ambiguousMinutes(list: Transition[]): Array<{ from: number; length: number }> {
  return list.map(t => {
    const lo = Math.min(t.before, t.after);
    return { from: minuteOfWeek(t.at + lo * MS_PER_MINUTE), length: Math.abs(t.after - t.before) };
  });
}

/** Whether a minute of the week lies in `[from, from + length)` on the weekly circle. */
export function inRange(minute: number, from: number, length: number): boolean {
  return ((minute - from) % MINUTES_PER_WEEK + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < length;
}

/** A five-field cron expression for a minute of the week: minute hour * * day-of-week. */
export function cronAt(minute: number): string {
  const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return `${m % 60} ${Math.floor((m % 1440) / 60)} * * ${Math.floor(m / 1440)}`;
}

/** The minute of the week of a `cronAt` expression (minute hour * * day-of-week). */
export function cronMinute(cron: string): number {
  const [minute, hour, , , weekday] = cron.split(' ').map(Number);
  return weekday * 1440 + hour * 60 + minute;
}

/** The instant of a wall-clock time in a zone (for a skipped time, the instant the offset before it would give). */
export function zonedInstant(fmt: Intl.DateTimeFormat, wallMs: number): number {
  const guess = wallMs - offsetAt(fmt, wallMs) * MS_PER_MINUTE;
  const o = offsetAt(fmt, guess);
  return wallMs - o * MS_PER_MINUTE;
}

// ---- the plan ----

/** One planned window, in numbers: minutes of the wall-clock week (Sunday 00:00 is 0, as cron counts) and instants in ms. */
export interface PlannedWindow {
  /** Minute of the week the window starts at, in wall-clock time. */
  readonly startMinute: number;
  /** Minute of the week the window ends at, in wall-clock time. */
  readonly endMinute: number;
  readonly replicas: number;
  /** The window's first start in the forecast (ms since the epoch). */
  readonly startsAtMs: number;
  /** The window's first end in the forecast (ms since the epoch). */
  readonly endsAtMs: number;
  /** The highest forecast load within the window. */
  readonly peakLoad: number;
}

/** Input of `planWeeklyWindows`. */
export interface WeeklyPlanInput {
  /** Wall-clock time of the plan's zone. */
  readonly fmt: Intl.DateTimeFormat;
  /** The end of the history (ms), where the forecast starts. */
  readonly t0: number;
  readonly intervalMinutes: number;
  /** 7: one circular week; fewer: those days only. */
  readonly days: number;
  readonly leadMinutes: number;
  readonly maxWindows: number;
  /** Forecast load per interval of the local week from t0 (interval k starts k intervals after t0's wall-clock time). */
  readonly loads: number[];
  /** Replicas per interval of `loads`, 0 where no window is wanted. */
  readonly replicas: number[];
}

/**
 * Turns replicas per interval into weekly cron windows. The plan is made on the local wall-clock week (one
 * position per minute), which is what the cron repeats: a circular plan is the whole week from t0's wall-clock
 * time, a linear one `days` days from `lead` minutes before it. Then: lead time, no boundary in a wall-clock
 * minute that a daylight-saving change in the next year skips or repeats, equal neighbours merged, at most
 * `maxWindows`. Every minute gets at least the replicas of its interval and of the intervals starting within the
 * lead time after it.
 */
export function planWeeklyWindows(input: WeeklyPlanInput): PlannedWindow[] {
  const { fmt, t0, intervalMinutes: interval, days, leadMinutes: lead } = input;
  const circular = days === 7;
  const day = 1440 * MS_PER_MINUTE;
  const positions = circular ? MINUTES_PER_WEEK : days * 1440 + lead;
  const first = circular ? 0 : lead; // the position of t0
  // Wall-clock time as ms since the epoch read as UTC; position p is `originWall` + p minutes.
  const originWall = wallTime(fmt, t0) - first * MS_PER_MINUTE;
  const wallOf = (pos: number): number => minuteOfWeek(originWall + pos * MS_PER_MINUTE);
  const slotOf = (pos: number): number => (pos < first ? -1 : Math.floor((pos - first) / interval));
  const required = Array.from({ length: positions }, (_, pos) => (slotOf(pos) < 0 ? 0 : input.replicas[slotOf(pos)]));

  const ambiguous = ambiguousMinutes(transitions(fmt, t0 - 2 * day, t0 + 367 * day));
  const blocked = (pos: number) => ambiguous.some(a => inRange(wallOf(pos), a.from, a.length));
  // Constant from the minute before an ambiguous range to its end: boundaries land just before or just after it.
  const group = required.map((_, pos) => ambiguous.some(a => inRange(wallOf(pos), a.from - 1, a.length + 1)));

  const need = flatten(withLead(required, lead, circular), group, circular);
  let spans = capSpans(runsOf(need, circular), positions, circular, input.maxWindows);
  if (circular) spans = splitFullCycle(spans, positions, pos => !blocked(pos));

  const instant = (pos: number) => zonedInstant(fmt, originWall + pos * MS_PER_MINUTE);
  return spans.map(s => {
    const end = s.start + s.length;
    if (wallOf(s.start) === wallOf(end)) throw new Error(`internal error: a window from position ${s.start} to ${end} starts where it ends`);
    let peak = 0;
    for (let k = 0; k < s.length; k++) {
      const slot = slotOf((s.start + k) % positions);
      if (slot >= 0 && input.loads[slot] > peak) peak = input.loads[slot];
    }
    return {
      startMinute: wallOf(s.start),
      endMinute: wallOf(end),
      replicas: s.replicas,
      startsAtMs: instant(s.start),
      endsAtMs: instant(end),
      peakLoad: peak,
    };
  });
}
