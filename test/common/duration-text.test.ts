import { Duration } from 'cdk8s';
import { parseDuration, secondsOf, shownDuration } from '../../src/common/duration-text';

describe('parseDuration', () => {
  test.each([
    ['90s', 90], ['2m', 120], ['1h', 3600], ['1m30s', 90], ['1d2h', 93_600], ['1h0m', 3600], ['1500ms', 1.5], ['0', 0], ['0s', 0],
    ['2h30m15s250ms', 9015.25],
  ])('reads %s as %d s', (text, seconds) => {
    expect(secondsOf(parseDuration(text))).toBe(seconds);
  });

  test('gives the Duration in the largest unit that holds it exactly', () => {
    expect(parseDuration('2m')!.unitLabel()).toBe('minutes');
    expect(parseDuration('120s')!.unitLabel()).toBe('minutes');
    expect(parseDuration('90s')!.unitLabel()).toBe('seconds');
    expect(parseDuration('1h')!.unitLabel()).toBe('hours');
    expect(parseDuration('1500ms')!.unitLabel()).toBe('millis');
    // So that toSeconds() (whole seconds by default) works for whole seconds.
    expect(parseDuration('1m30s')!.toSeconds()).toBe(90);
  });

  test.each(['', '90', 'm', '-5s', '+5s', '1.5h', '5 s', ' 5s', '5s ', '30s1m', '1m1m', '5sec', '5M', '1w', 'PT5M', '5s5'])(
    'rejects %j', text => {
      expect(parseDuration(text)).toBeUndefined();
    });

  test('rejects what is not a string', () => {
    expect(parseDuration(90 as unknown as string)).toBeUndefined();
  });
});

describe('shownDuration', () => {
  test('shows seconds with the unit, fractions kept, and what is not a finite Duration as it is', () => {
    expect(shownDuration(Duration.minutes(3))).toBe('180s');
    expect(shownDuration(Duration.millis(1500))).toBe('1.5s');
    expect(shownDuration(Duration.seconds(NaN))).toBeNaN();
    expect(shownDuration(Duration.seconds(Infinity))).toBe(Infinity);
    expect(shownDuration(undefined)).toBeUndefined();
    expect(shownDuration(60 as unknown as Duration)).toBe(60);
  });
});
