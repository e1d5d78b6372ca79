import { Duration } from 'cdk8s';

/**
 * Durations written as text ("90s", "2m", "1h", "1m30s"), as Kubernetes, Karpenter and Prometheus users write them,
 * and durations shown in error messages. One parser, so every file format of the library reads durations alike.
 */

/** What `parseDuration` accepts, for error messages: the fix part of a message about a duration string. */
export const DURATION_TEXT_FORMAT = 'write whole numbers with units d, h, m, s or ms, largest first, e.g. "90s", "2m", "1h" or "1m30s"';

const UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
const PART = /(\d+)(ms|d|h|m|s)/y;

/**
 * A duration string: one or more parts of a whole number and a unit (d, h, m, s, ms), each unit at most once and the
 * largest first, with no spaces: "90s", "2m", "1h", "1m30s", "1500ms"; "0" is zero. Returns undefined for anything
 * else (a sign, a fraction, an unknown or repeated unit). The Duration is in the largest unit that holds it exactly,
 * so "2m" is `Duration.minutes(2)` and "90s" is `Duration.seconds(90)`.
 */
export function parseDuration(text: string): Duration | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '0') return Duration.seconds(0);
  let ms = 0;
  let last = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const m = PART.exec(text);
    if (m === null || m.index !== start) return undefined;
    const unit = UNITS.findIndex(([name]) => name === m[2]);
    // Units in order, each once: "1m30s", not "30s1m" or "1m1m".
    if (unit <= last) return undefined;
    last = unit;
    ms += Number(m[1]) * UNITS[unit][1];
  }
  if (last < 0 || !Number.isSafeInteger(ms)) return undefined;
  return exactDuration(ms);
}

/** A whole number of milliseconds as a Duration in the largest unit that holds it exactly. */
function exactDuration(ms: number): Duration {
  if (ms === 0) return Duration.seconds(0);
  if (ms % 86_400_000 === 0) return Duration.days(ms / 86_400_000);
  if (ms % 3_600_000 === 0) return Duration.hours(ms / 3_600_000);
  if (ms % 60_000 === 0) return Duration.minutes(ms / 60_000);
  if (ms % 1000 === 0) return Duration.seconds(ms / 1000);
  return Duration.millis(ms);
}

/** Seconds of a duration, fractions kept; NaN for something that is not a Duration. */
export function secondsOf(duration: Duration | undefined): number {
  if (duration === undefined || duration === null || typeof (duration as Duration).toMilliseconds !== 'function') return NaN;
  return duration.toMilliseconds({ integral: false }) / 1000;
}

/**
 * A duration as an error message shows it: its seconds with the unit, e.g. "90s" (finite), else the number itself
 * (NaN, Infinity) or the value given when it is not a Duration.
 */
export function shownDuration(duration: Duration | undefined): unknown {
  const s = secondsOf(duration);
  if (Number.isFinite(s)) return `${s}s`;
  return Number.isNaN(s) && typeof (duration as Duration | undefined)?.toMilliseconds !== 'function' ? duration : s;
}
