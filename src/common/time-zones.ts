/**
 * Instants and IANA time zones, shared by the forecaster (days cut at local midnight), the predictive windows (cron
 * in local wall-clock time) and the report command (its charts' clock): one formatter, one offset computation, one
 * wall-clock reading, one spelling check.
 */

const MS_PER_MINUTE = 60_000;

/** A formatter of wall-clock time in a zone; throws RangeError for a zone ICU does not know. */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
}

/** The zone's offset from UTC at an instant, in minutes (local = UTC + offset, e.g. -240 for New York in July). */
export function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((local - Math.floor(ms / 1000) * 1000) / MS_PER_MINUTE);
}

/**
 * The wall-clock time of an instant in a zone, as milliseconds since the epoch read as UTC: the `getUTC...` fields of
 * `new Date(wallTime(fmt, ms))` are the local year, month, day, weekday, hour and minute.
 */
export function wallTime(fmt: Intl.DateTimeFormat, ms: number): number {
  return ms + offsetAt(fmt, ms) * MS_PER_MINUTE;
}

/** Whether a value is a Date that holds an instant (not an Invalid Date); true for Dates of any realm. */
export function isInstant(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());
}

/**
 * A value given for an instant as an error message shows it: a Date as ISO 8601 in UTC (`String(date)` would show
 * the machine's zone), anything else as it is.
 */
export function instantShown(value: unknown): unknown {
  return isInstant(value) ? value.toISOString() : value;
}

/** Why a zone name is not one KEDA can load, as `tzSpellingProblem` finds it. */
export interface TzSpellingProblem {
  /** `unknown`: no such zone; `case`: the name differs from the database's only in case; `spelling`: not spelled as the database spells names. */
  readonly kind: 'unknown' | 'case' | 'spelling';
  /** The database's spelling, for `case`. */
  readonly spelled?: string;
}

/**
 * Checks that a zone is named exactly as the tz database names it: KEDA loads cron zones with Go's
 * `time.LoadLocation`, which matches names case-sensitively, while ICU accepts any case.
 * @returns the problem, or undefined for a good name
 */
export function tzSpellingProblem(timeZone: string): TzSpellingProblem | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { kind: 'unknown' };
  }
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) return { kind: 'case', spelled: resolved };
  if (!timeZone.split('/').every(part => /^[A-Z]/.test(part))) return { kind: 'spelling' };
  return undefined;
}
