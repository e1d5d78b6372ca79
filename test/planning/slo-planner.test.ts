import { Duration } from 'cdk8s';
import { AutoscalerSimulator, LoadProfilePoint, ScalingBehavior, ScalingMetric, SloPlan, SloPlanner, SloPlannerProps } from '../../src';

const ms = (n: number) => Duration.millis(n);

/** A synthetic profile of one replica: concurrency, requests/s, p95 TTFT and ITL in ms, output tokens/s, KV-cache %, waiting. */
function row(concurrency: number, requestsPerSecond: number, ttft: number, itl: number,
  extra: Partial<LoadProfilePoint> = {}): LoadProfilePoint {
  return { concurrency, requestsPerSecond, ttftP95: ms(ttft), itlP95: ms(itl), ...extra };
}

const PROFILE = [row(1, 0.5, 100, 20), row(4, 1.8, 150, 25), row(8, 3.2, 300, 35), row(16, 5.6, 900, 60)];
const OBJECTIVE = { ttftP95: ms(500), itlP95: ms(50) };

function plan(overrides: Partial<SloPlannerProps> = {}): SloPlan {
  return SloPlanner.plan({ objective: OBJECTIVE, profile: PROFILE, ...overrides });
}

describe('SloPlanner: the limit', () => {
  test('interpolates between the last row that meets the objective and the first that misses it, rounded down', () => {
    // TTFT reaches 500 ms at 8 + 8 x (500 - 300) / (900 - 300) = 10.67, ITL reaches 50 ms at 8 + 8 x 15 / 25 = 12.8:
    // TTFT binds, the limit is 10 requests; 3.2 + 2.4 x 2/8 = 3.8 requests/s there, TTFT 450 ms, ITL 41.25 ms.
    const p = plan({ peakRequestsPerSecond: 20 });
    expect(p.feasible).toBe(true);
    expect(p.interpolated).toBe(true);
    expect(p.concurrencyPerReplica).toBe(10);
    expect(p.requestsPerSecondPerReplica).toBe(3.8);
    expect(p.ttftP95AtLimit!.toMilliseconds()).toBe(450);
    expect(p.itlP95AtLimit!.toMilliseconds({ integral: false })).toBe(41.25);
    // 20% headroom: 10 x 0.8 = 8 running requests per replica.
    expect(p.headroomPercent).toBe(20);
    expect(p.runningRequestsTarget).toBe(8);
    expect(p.waitingRequestsTarget).toBeUndefined();
    expect(p.kvCacheUsagePercentTarget).toBeUndefined();
    // ceil(20 / 3.8) = ceil(5.26) = 6 replicas; at the targets ceil(20 / 3.04) = ceil(6.58) = 7; 6 x 3.8 = 22.8: 12.28% spare.
    expect(p.replicasAtPeak).toBe(6);
    expect(p.replicasAtPeakWithHeadroom).toBe(7);
    expect(p.spareCapacityAtPeakPercent).toBeCloseTo(100 * (1 - 20 / 22.8), 5);
    expect(p.reason).toBe('concurrency 8 meets the objective and 16 misses it; every column rises between them, '
      + 'so the limit is interpolated linearly to 10, rounded down to whole requests');
  });

  test('the measured optional columns give the KV-cache and waiting targets, and the peak in tokens the replica count', () => {
    const kv = [5, 15, 30, 70];
    const waiting = [0, 0, 0, 4];
    const tokens = [100, 360, 640, 1120];
    const p = plan({
      profile: PROFILE.map((r, i) => ({ ...r, kvCacheUsagePercent: kv[i], waitingRequests: waiting[i], outputTokensPerSecond: tokens[i] })),
      peakRequestsPerSecond: 20,
      peakOutputTokensPerSecond: 5000,
    });
    // At concurrency 10 (a quarter of the way from 8 to 16): KV 30 + 40/4 = 40%, waiting 1, tokens 640 + 480/4 = 760/s.
    expect(p.outputTokensPerSecondPerReplica).toBe(760);
    expect(p.kvCacheUsagePercentTarget).toBe(32);
    expect(p.waitingRequestsTarget).toBe(0.8);
    // Tokens bind: ceil(5000 / 760) = 7 > ceil(20 / 3.8) = 6; at the targets ceil(5000 / 608) = 9 > 7.
    expect(p.replicasAtPeak).toBe(7);
    expect(p.replicasAtPeakWithHeadroom).toBe(9);
    // The binding load's spare share: 1 - 5000 / (7 x 760) = 6.02% (requests: 1 - 20 / 26.6 = 24.8%).
    expect(p.spareCapacityAtPeakPercent).toBeCloseTo(100 * (1 - 5000 / 5320), 5);
    expect(ScalingMetric.fromSloPlan(p).map(m => [m.description, m.targetValue])).toEqual([
      ['running requests', 8], ['waiting requests', 0.8], ['KV-cache usage (%)', 32],
    ]);
  });

  test('a crossing below the next whole request keeps the measured row', () => {
    // TTFT reaches 310 ms at 8 + 8 x 10 / 600 = 8.13: still 8.
    const p = plan({ objective: { ttftP95: ms(310), itlP95: ms(50) } });
    expect(p.concurrencyPerReplica).toBe(8);
    expect(p.interpolated).toBe(false);
    expect(p.requestsPerSecondPerReplica).toBe(3.2);
    expect(p.reason).toBe('concurrency 8 meets the objective and 16 misses it; the crossing lies below 9, so the limit is the measured 8');
  });

  test('no interpolation where a column falls between the two rows (throughput past saturation)', () => {
    const p = plan({ profile: [...PROFILE.slice(0, 3), row(16, 3.0, 900, 60)] });
    expect(p.concurrencyPerReplica).toBe(8);
    expect(p.interpolated).toBe(false);
    expect(p.reason).toContain('not every column rises between them (a noisy or reordered measurement), so the limit stays at the measured 8');
  });

  test('the first row that misses bounds the limit: a higher row that meets the objective again is not used', () => {
    const p = plan({ profile: [row(1, 0.5, 100, 20), row(4, 1.8, 600, 25), row(8, 3.2, 300, 35)] });
    // 1 meets, 4 misses (TTFT 600 > 500): 1 + 3 x 400 / 500 = 3.4, rounded down to 3; 0.5 + 1.3 x 2/3 = 1.366667 requests/s.
    expect(p.concurrencyPerReplica).toBe(3);
    expect(p.requestsPerSecondPerReplica).toBe(1.366667);
    expect(p.runningRequestsTarget).toBe(2.4);
  });

  test('when every row meets the objective the limit is the highest measured, and the reason says to measure higher', () => {
    const p = plan({ objective: { ttftP95: ms(1000), itlP95: ms(100) }, headroomPercent: 0, peakRequestsPerSecond: 11.2 });
    expect(p.concurrencyPerReplica).toBe(16);
    expect(p.runningRequestsTarget).toBe(16);
    expect(p.replicasAtPeak).toBe(2);
    expect(p.replicasAtPeakWithHeadroom).toBe(2);
    expect(p.spareCapacityAtPeakPercent).toBe(0);
    expect(p.reason).toBe('every row meets the objective; the limit is the highest concurrency measured (16): measure higher concurrency to find the real one');
  });
});

describe('SloPlanner: an objective the hardware cannot meet', () => {
  test('is a plan with feasible false and the reason, not an error', () => {
    const p = plan({ objective: { ttftP95: ms(50), itlP95: ms(15) }, peakRequestsPerSecond: 10 });
    expect(p.feasible).toBe(false);
    expect(p.concurrencyPerReplica).toBeUndefined();
    expect(p.runningRequestsTarget).toBeUndefined();
    expect(p.replicasAtPeak).toBeUndefined();
    expect(p.reason).toBe('cannot be met on this hardware: even at concurrency 1 the p95 time to first token 100 ms is above the objective\'s 50 ms '
      + 'and p95 inter-token latency 20 ms is above the objective\'s 15 ms; use a faster GPU, more GPUs per replica (tensor parallelism), '
      + 'a smaller or quantized model, shorter prompts, or relax the objective');
    expect(() => ScalingMetric.fromSloPlan(p)).toThrow(
      "[ScalingMetric.fromSloPlan] 'plan' (\"an infeasible plan\") has no targets: cannot be met on this hardware");
    expect(() => AutoscalerSimulator.run({ load: [1], step: Duration.minutes(1), maxReplicas: 2, capacityPerReplica: 1, serviceLevel: p }))
      .toThrow("[AutoscalerSimulator] 'serviceLevel' (\"an infeasible plan\") cannot be met at any load: cannot be met on this hardware");
  });

  test('a lowest row above concurrency 1 that misses says to measure lower', () => {
    const p = plan({ profile: PROFILE.slice(1), objective: { ttftP95: ms(120), itlP95: ms(50) } });
    expect(p.feasible).toBe(false);
    expect(p.reason).toBe('not met at the lowest concurrency measured (4): the p95 time to first token 150 ms is above the objective\'s 120 ms; '
      + 'measure down to concurrency 1 to see whether a lower one meets it, or change the hardware or the objective');
  });
});

describe('SloPlanner: invalid input', () => {
  const err = (props: any) => () => SloPlanner.plan(props);

  test('a profile of fewer than 2 rows', () => {
    expect(err({ objective: OBJECTIVE, profile: [PROFILE[0]] })).toThrow(
      "[SloPlanner] 'profile' ([{\"concurrency\":1,\"requestsPerSecond\":0.5,");
    expect(err({ objective: OBJECTIVE, profile: [PROFILE[0]] })).toThrow('must hold at least 2 items: give at least 2 rows measured on one replica');
  });

  test('rows out of order, or two rows at one concurrency', () => {
    expect(err({ objective: OBJECTIVE, profile: [PROFILE[1], PROFILE[0]] })).toThrow(
      "[SloPlanner] 'profile[1].concurrency' (1) is not above the row before it (4): sort the rows by concurrency, one row per concurrency");
    expect(err({ objective: OBJECTIVE, profile: [PROFILE[0], PROFILE[0]] })).toThrow("'profile[1].concurrency' (1) is not above the row before it (1)");
  });

  test('zero, negative and fractional figures', () => {
    expect(err({ objective: OBJECTIVE, profile: [row(1, 0, 100, 20), PROFILE[1]] })).toThrow(
      "[SloPlanner] 'profile[0].requestsPerSecond' (0) must be a number above 0 and at most 1000000: give the requests per second");
    expect(err({ objective: OBJECTIVE, profile: [row(1.5, 1, 100, 20), PROFILE[1]] })).toThrow(
      "[SloPlanner] 'profile[0].concurrency' (1.5) must be a whole number at least 1 and at most 100000");
    expect(err({ objective: OBJECTIVE, profile: [row(1, 1, 0, 20), PROFILE[1]] })).toThrow("[SloPlanner] 'profile[0].ttftP95'");
    expect(err({ objective: OBJECTIVE, profile: [PROFILE[0], row(4, 1.8, 150, 25, { kvCacheUsagePercent: 120 })] }))
      .toThrow("'profile[1].kvCacheUsagePercent' (120) must be a percent at least 0 and at most 100");
  });

  test('an optional column on some rows only', () => {
    expect(err({ objective: OBJECTIVE, profile: [row(1, 0.5, 100, 20, { outputTokensPerSecond: 100 }), PROFILE[1]] })).toThrow(
      "[SloPlanner] 'profile[1].outputTokensPerSecond' (undefined) is missing, and the first row gives it: "
      + 'measure the optional column on every row, or leave it out of every row');
  });

  test('a peak in tokens without the tokens column, a headroom out of range, a missing objective', () => {
    expect(err({ objective: OBJECTIVE, profile: PROFILE, peakOutputTokensPerSecond: 1000 })).toThrow(
      "[SloPlanner] 'peakOutputTokensPerSecond' (1000) needs the profile's outputTokensPerSecond, which no row gives");
    expect(err({ objective: OBJECTIVE, profile: PROFILE, headroomPercent: 95 })).toThrow(
      "[SloPlanner] 'headroomPercent' (95) must be a percent at least 0 and at most 90");
    expect(err({ profile: PROFILE })).toThrow("[SloPlanner] 'objective' (undefined)");
    expect(err({ objective: { ttftP95: ms(500) }, profile: PROFILE })).toThrow("[SloPlanner] 'objective.itlP95' (undefined) must be a Duration");
  });
});

describe('AutoscalerSimulator: the service level of a plan on a trace', () => {
  // The plan's limit: 3.8 requests/s per replica.
  const p = plan();

  test('one replica held fixed: the minute at 10 requests/s misses the objective, the others meet it', () => {
    const r = AutoscalerSimulator.run({
      load: [3, 10, 3, 3], step: Duration.minutes(1), minReplicas: 1, maxReplicas: 1, capacityPerReplica: 3.8, serviceLevel: p,
    });
    expect(r.serviceLevel!.requestsPerSecondPerReplica).toBe(3.8);
    // 1 minute of 4 missed; 600 of the 1,140 requests arrived then: 1 - 600/1140 = 9/19 met.
    expect(r.serviceLevel!.timeMeetingObjectiveFraction).toBe(0.75);
    expect(r.serviceLevel!.requestsMeetingObjectiveFraction).toBeCloseTo(9 / 19, 12);
    expect(r.serviceLevel!.timeMissingObjective.toSeconds()).toBe(60);
  });

  test('three replicas: 11.4 requests/s is 3.8 each (met), 12 is 4 each (missed)', () => {
    const r = AutoscalerSimulator.run({
      load: [11.4, 12, 6, 12], step: Duration.minutes(1), minReplicas: 3, maxReplicas: 3, capacityPerReplica: 5, serviceLevel: p,
    });
    expect(r.serviceLevel!.timeMeetingObjectiveFraction).toBe(0.5);
    expect(r.serviceLevel!.requestsMeetingObjectiveFraction).toBeCloseTo(1 - 24 / 41.4, 12);
  });

  test('without a serviceLevel there is no report; a look-alike of a plan is an error', () => {
    expect(AutoscalerSimulator.run({ load: [1], step: Duration.minutes(1), maxReplicas: 1, capacityPerReplica: 1 }).serviceLevel).toBeUndefined();
    expect(() => AutoscalerSimulator.run({
      load: [1], step: Duration.minutes(1), maxReplicas: 1, capacityPerReplica: 1, serviceLevel: { feasible: true } as any,
    })).toThrow("[AutoscalerSimulator] 'serviceLevel' ({\"feasible\":true}) must be a SloPlan (made by its static methods), not an object");
  });
});

describe('the README example of "Scaling on service-level objectives"', () => {
  const readmePlan = SloPlanner.plan({
    objective: OBJECTIVE,
    profile: [
      row(1, 0.2, 80, 20, { kvCacheUsagePercent: 3 }),
      row(8, 1.4, 200, 30, { kvCacheUsagePercent: 22 }),
      row(16, 2.2, 700, 60, { kvCacheUsagePercent: 45 }),
      row(32, 2.6, 2600, 95, { kvCacheUsagePercent: 90 }),
    ],
    peakRequestsPerSecond: 20,
  });

  test('the plan\'s figures are the ones the README quotes', () => {
    const p = readmePlan;
    expect([p.concurrencyPerReplica, p.requestsPerSecondPerReplica, p.runningRequestsTarget, p.kvCacheUsagePercentTarget])
      .toEqual([12, 1.8, 9.6, 26.8]);
    expect([readmePlan.ttftP95AtLimit!.toMilliseconds(), readmePlan.itlP95AtLimit!.toMilliseconds()]).toEqual([450, 45]);
    expect([readmePlan.replicasAtPeak, readmePlan.replicasAtPeakWithHeadroom, readmePlan.spareCapacityAtPeakPercent]).toEqual([12, 14, 7.407407]);
  });

  test('the ramp meets the objective half of the time, for 26.8% of the requests', () => {
    const r = AutoscalerSimulator.run({
      load: [4, 4, 8, 14, 20, 20, 20, 12, 6, 4],
      step: Duration.minutes(1),
      minReplicas: 3,
      maxReplicas: readmePlan.replicasAtPeakWithHeadroom!,
      capacityPerReplica: readmePlan.requestsPerSecondPerReplica!,
      targetUtilization: 0.8,
      behavior: ScalingBehavior.realTime(),
      timeToReady: Duration.minutes(2),
      serviceLevel: readmePlan,
    });
    expect(r.serviceLevel!.timeMeetingObjectiveFraction).toBe(0.5);
    // Missed: the minutes at 8 (3 ready replicas carry 5.4 requests/s within the objective), 14, 20, 20 and 20 requests/s
    // (ready: 3, 3, 3, 6, 9), 82 of the 112 request-minutes; met: 4, 4, 12 (12 ready), 6 and 4, that is 30.
    expect(r.serviceLevel!.requestsMeetingObjectiveFraction).toBeCloseTo(30 / 112, 12);
  });
});
