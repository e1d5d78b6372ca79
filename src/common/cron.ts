/**
 * Cron expressions as KEDA's cron scaler parses them: robfig/cron v3.0.1 with
 * `cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)` (kedacore/keda v2.20.2
 * pkg/scalers/cron_scaler.go L38-L46): five fields, no seconds, no `@hourly`-style descriptors, day of week 0-6.
 */

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Each field's bounds and names (robfig/cron v3.0.1 spec.go L20-L52). */
const FIELDS: { name: string; min: number; max: number; names?: Record<string, number> }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: WEEKDAYS },
];

/**
 * Why KEDA's cron parser refuses an expression (robfig/cron v3.0.1 parser.go L88-L155 Parse(), L157-L221
 * normalizeFields(), L242-L312 getRange()), in words, or undefined when it parses. A `TZ=`/`CRON_TZ=` prefix is
 * refused too: the zone belongs in the trigger's `timezone`.
 */
export function cronExpressionProblem(expr: string): string | undefined {
  const spec = expr.trim();
  if (spec === '') return 'is empty';
  if (/^(CRON_)?TZ=/.test(spec)) return 'carries its own time zone (TZ=...): give the zone as the window\'s timeZone instead';
  if (spec.startsWith('@')) return 'is a descriptor (@hourly, @daily, ...), which KEDA\'s cron parser does not accept';
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} fields, and KEDA's cron parser takes exactly 5 (minute hour day-of-month month day-of-week, no seconds)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return `has ${FIELDS[i].name} '${fields[i]}', which ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, f: typeof FIELDS[number]): string | undefined {
  const num = (text: string): number | string => {
    const named = f.names?.[text.toLowerCase()];
    if (named !== undefined) return named;
    return /^\+?\d+$/.test(text) ? Number(text) : `is not a number${f.names ? ' or a name' : ''}`;
  };
  for (const range of field.split(',').filter(r => r !== '')) {
    const [span, stepText, ...extraSlash] = range.split('/');
    if (extraSlash.length > 0) return 'has more than one \'/\'';
    const ends = span.split('-');
    let start = f.min;
    let end = f.max;
    if (ends[0] !== '*' && ends[0] !== '?') {
      if (ends.length > 2) return 'has more than one \'-\'';
      const s = num(ends[0]);
      if (typeof s === 'string') return s;
      start = s;
      end = s;
      if (ends.length === 2) {
        const e = num(ends[1]);
        if (typeof e === 'string') return e;
        end = e;
      } else if (stepText !== undefined) {
        end = f.max; // "N/step" means N-max/step
      }
    }
    if (stepText !== undefined) {
      const step = num(stepText);
      if (typeof step === 'string') return `has a step that ${step}`;
      if (step === 0) return 'has a step of 0';
    }
    if (start < f.min || end > f.max) return `is outside ${f.min}-${f.max}`;
    if (start > end) return 'is a range that ends before it starts';
  }
  return undefined;
}
