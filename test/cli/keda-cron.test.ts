import { insideWindow, parseCron, scheduleOf } from '../../src/cli/keda-cron';

const MIN = 60_000;
/** The minutes of a window inside, as [from, to) UTC ISO pairs. */
function spans(inside: Uint8Array, startMs: number): string[] {
  const out: string[] = [];
  let from = -1;
  for (let i = 0; i <= inside.length; i++) {
    const on = i < inside.length && inside[i] === 1;
    if (on && from < 0) from = i;
    if (!on && from >= 0) {
      out.push(`${new Date(startMs + from * MIN).toISOString().slice(0, 16)}/${new Date(startMs + i * MIN).toISOString().slice(0, 16)}`);
      from = -1;
    }
  }
  return out;
}

describe('KEDA cron windows replayed (next end no later than next start, in the trigger\'s zone)', () => {
  test('a weekday window in Berlin follows the zone across the change to summer time', () => {
    const start = Date.parse('2025-03-28T00:00:00Z'); // Friday; Berlin moves to UTC+2 on Sunday 30 March
    const inside = insideWindow({ start: '0 8 * * 1-5', end: '0 19 * * 1-5', timeZone: 'Europe/Berlin', desiredReplicas: 4 }, start, 4 * 1440);
    expect(spans(inside, start)).toEqual(['2025-03-28T07:00/2025-03-28T18:00', '2025-03-31T06:00/2025-03-31T17:00']);
  });

  test('an overnight window runs from its start to its end the next morning, and is inside at the trace\'s start', () => {
    const start = Date.parse('2025-03-03T00:00:00Z');
    const inside = insideWindow({ start: '0 22 * * *', end: '0 6 * * *', timeZone: 'Etc/UTC', desiredReplicas: 2 }, start, 2 * 1440);
    expect(spans(inside, start)).toEqual(['2025-03-03T00:00/2025-03-03T06:00', '2025-03-03T22:00/2025-03-04T06:00', '2025-03-04T22:00/2025-03-05T00:00']);
  });

  test('day of month and day of week are ORed when both are restricted, ANDed when one is *', () => {
    const either = parseCron('0 0 1 * 1');
    const both = parseCron('0 0 * * 1');
    expect([either.domStar, either.dowStar, both.domStar, both.dowStar]).toEqual([false, false, true, false]);
    // Starts on the 1st (a Saturday) or on Mondays, ends daily at noon. KEDA looks only forward (next end no later than
    // next start), so a daily end with a rarer start is inside every morning before a start-less noon, and from a start
    // until the noon before the next start: on the 28th until noon, from Saturday 00:00 to Sunday noon, from Monday on.
    const start = Date.parse('2025-02-28T00:00:00Z');
    const inside = insideWindow({ start: '0 0 1 * 1', end: '0 12 * * *', timeZone: 'Etc/UTC', desiredReplicas: 1 }, start, 4 * 1440);
    expect(spans(inside, start)).toEqual(['2025-02-28T00:00/2025-02-28T12:00', '2025-03-01T00:00/2025-03-02T12:00', '2025-03-03T00:00/2025-03-04T00:00']);
  });

  test('the schedule per step is the most of the windows inside at the step\'s start, 0 outside', () => {
    const start = Date.parse('2025-03-03T00:00:00Z');
    const windows = [
      { start: '0 1 * * *', end: '0 3 * * *', timeZone: 'Etc/UTC', desiredReplicas: 3 },
      { start: '0 2 * * *', end: '0 4 * * *', timeZone: 'Etc/UTC', desiredReplicas: 5 },
    ];
    expect(scheduleOf(windows, start, 3600, 6)).toEqual([0, 3, 5, 5, 0, 0]);
  });

  test('refuses an expression KEDA would refuse', () => {
    expect(() => parseCron('0 8 * *')).toThrow('not a cron expression KEDA accepts: 0 8 * *');
  });
});
