import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { cpuFromMillis, cpuQuantity, durationText, memoryFromMebibytes, memoryQuantity, parseQuantity, toQuantity } from '../../src/common/quantity';

describe('quantities as the API server prints them back', () => {
  test('CPU: whole cores plain, else whole millicores', () => {
    expect(cpuQuantity(kplus.Cpu.units(2))).toBe('2');
    expect(cpuQuantity(kplus.Cpu.millis(2000))).toBe('2');
    expect(cpuQuantity(kplus.Cpu.units(1.5))).toBe('1500m');
    expect(cpuQuantity(kplus.Cpu.millis(250))).toBe('250m');
  });

  test('memory: the largest binary suffix that keeps the amount whole', () => {
    expect(memoryQuantity(Size.gibibytes(8))).toBe('8Gi');
    expect(memoryQuantity(Size.mebibytes(8192))).toBe('8Gi');
    expect(memoryQuantity(Size.mebibytes(1536))).toBe('1536Mi');
    expect(memoryQuantity(Size.kibibytes(1536))).toBe('1536Ki');
    expect(memoryQuantity(Size.tebibytes(1))).toBe('1Ti');
    expect(memoryQuantity(Size.mebibytes(0))).toBe('0');
  });

  test('each spelling reads back as the same amount', () => {
    for (const m of [1, 500, 1000, 1500, 64_000]) expect(parseQuantity(cpuQuantity(kplus.Cpu.millis(m)))).toBeCloseTo(m / 1000, 9);
    for (const mib of [1, 512, 1024, 1536, 8704, 1_048_576]) expect(parseQuantity(memoryQuantity(Size.mebibytes(mib)))).toBe(mib * 2 ** 20);
    expect(toQuantity(0.5)).toBe('500m');
  });

  test('typed amounts have one spelling, so equal amounts compare equal', () => {
    expect(cpuFromMillis(2000)).toEqual(kplus.Cpu.units(2));
    expect(cpuFromMillis(2500)).toEqual(kplus.Cpu.millis(2500));
    expect(memoryFromMebibytes(8192)).toEqual(Size.gibibytes(8));
    expect(memoryFromMebibytes(8704)).toEqual(Size.mebibytes(8704));
  });
});

describe('durations as Prometheus and Go (Karpenter) read them', () => {
  test('whole hours, else whole minutes, else seconds', () => {
    expect(durationText(Duration.hours(720))).toBe('720h');
    expect(durationText(Duration.minutes(90))).toBe('90m');
    expect(durationText(Duration.minutes(15))).toBe('15m');
    expect(durationText(Duration.seconds(90))).toBe('90s');
    expect(durationText(Duration.seconds(15))).toBe('15s');
    expect(durationText(Duration.seconds(0))).toBe('0s');
  });
});
