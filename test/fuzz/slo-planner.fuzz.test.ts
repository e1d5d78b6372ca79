import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries-metrics';
import { fuzzTest, nonFiniteNumbers, numberProblems, synthProblems } from './harness';
import { AutoscalerSimulator, GpuRequest, InferenceAutoscaler, ScalingMetric, SloPlan, SloPlanner } from '../../src';

/**
 * Load profiles as a benchmark measures them: concurrency rising, throughput and latencies mostly rising (sometimes
 * falling, as past saturation or in a noisy run), the optional columns on every row or on none; plus wrong values.
 */
const profile = fc.record({
  rows: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 9 }), weight: 20 }, { arbitrary: fc.constant(1), weight: 1 }),
  steps: fc.array(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 40 }), weight: 30 }, { arbitrary: fc.constant(0), weight: 1 }),
    { minLength: 9, maxLength: 9 }),
  rps: fc.array(fc.oneof({ arbitrary: fc.double({ min: 0.01, max: 5, noNaN: true }), weight: 40 }, { arbitrary: realNumber(0, 5), weight: 1 }),
    { minLength: 9, maxLength: 9 }),
  ttft: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 9, maxLength: 9 }),
  itl: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 9, maxLength: 9 }),
  columns: fc.record({ tokens: fc.boolean(), kv: fc.boolean(), waiting: fc.boolean() }),
}).map(p => {
  let c = 0, rps = 0, ttft = 0, itl = 0;
  return Array.from({ length: p.rows }, (_, i) => {
    // A step of 0 repeats a concurrency (an error); a falling figure now and then is a noisy or saturated measurement.
    c += i === 0 ? Math.max(1, p.steps[i]) : p.steps[i];
    rps = i % 4 === 3 ? rps / 2 : rps + p.rps[i];
    ttft += p.ttft[i];
    itl = i % 5 === 4 ? Math.max(1, itl - 3) : itl + p.itl[i];
    return {
      concurrency: c,
      requestsPerSecond: Number(rps.toFixed(4)),
      ttftP95: Duration.millis(ttft),
      itlP95: Duration.millis(itl),
      ...(p.columns.tokens ? { outputTokensPerSecond: rps * 200 } : {}),
      ...(p.columns.kv ? { kvCacheUsagePercent: Math.min(100, c * 2) } : {}),
      ...(p.columns.waiting ? { waitingRequests: Math.max(0, c - 32) } : {}),
    };
  });
});

/** A p95 objective: whole and fractional milliseconds, and the bounds on either side. */
const latency = orWrong(fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 3000 }).map(n => Duration.millis(n)), weight: 10 },
  { arbitrary: fc.constantFrom(Duration.millis(0), Duration.millis(0.5), Duration.hours(1), Duration.hours(2)), weight: 1 },
));

const props = orWrong(fc.record({
  objective: orWrong(fc.record({ ttftP95: latency, itlP95: latency })),
  profile: orWrong(profile, 15),
  peakRequestsPerSecond: optional(orWrong(realNumber(0, 500))),
  peakOutputTokensPerSecond: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: orWrong(realNumber(0, 100_000)), weight: 1 }),
  headroomPercent: optional(orWrong(wholeNumber(0, 95))),
}, { requiredKeys: ['objective', 'profile'] }), 20);

const ms = (d: Duration | undefined) => d!.toMilliseconds({ integral: false });

/** The plan's invariants: the limit lies on the profile before its first miss, within the objective; the figures add up. */
function planProblems(input: any, plan: SloPlan): string[] {
  const out = nonFiniteNumbers({ ...plan, objective: undefined, ttftP95AtLimit: undefined, itlP95AtLimit: undefined });
  const rows: any[] = input.profile;
  const goal = { ttft: ms(input.objective.ttftP95), itl: ms(input.objective.itlP95) };
  const meets = (r: any) => ms(r.ttftP95) <= goal.ttft && ms(r.itlP95) <= goal.itl;
  if (!plan.feasible) {
    if (meets(rows[0])) out.push('infeasible although the first row meets the objective');
    if (plan.runningRequestsTarget !== undefined || plan.replicasAtPeak !== undefined) out.push('an infeasible plan has targets');
    return out;
  }
  const c = plan.concurrencyPerReplica!;
  if (!Number.isInteger(c) || c < rows[0].concurrency || c > rows[rows.length - 1].concurrency) out.push(`limit ${c} outside the rows`);
  if (rows.some(r => r.concurrency <= c && !meets(r))) out.push(`a row at or below the limit ${c} misses the objective`);
  if (ms(plan.ttftP95AtLimit) > goal.ttft * (1 + 1e-9) || ms(plan.itlP95AtLimit) > goal.itl * (1 + 1e-9)) out.push('latency at the limit above the objective');
  out.push(...numberProblems('runningRequestsTarget', plan.runningRequestsTarget, { min: 0.001, max: c }));
  if (plan.kvCacheUsagePercentTarget !== undefined) out.push(...numberProblems('kvCacheUsagePercentTarget', plan.kvCacheUsagePercentTarget, { min: 1, max: 100 }));
  if (plan.replicasAtPeak !== undefined) {
    if (plan.replicasAtPeakWithHeadroom! < plan.replicasAtPeak) out.push('fewer replicas with headroom than without');
    const peak = input.peakRequestsPerSecond;
    if (peak !== undefined && plan.replicasAtPeak * plan.requestsPerSecondPerReplica! < peak * (1 - 1e-6)) out.push('replicasAtPeak do not carry the peak');
    out.push(...numberProblems('spareCapacityAtPeakPercent', plan.spareCapacityAtPeakPercent, { min: 0, max: 100 }));
  }
  return out;
}

describe('SloPlanner', () => {
  fuzzTest('SloPlanner', props, (input: any) => {
    const plan = SloPlanner.plan(input);
    const out = planProblems(input, plan);
    if (!plan.feasible) return out;
    // The plan's metrics on a vLLM autoscaler pass the whole conformance check.
    out.push(...synthProblems(chart => {
      new InferenceAutoscaler(chart, 'slo', {
        modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
        maxReplicas: 8,
        metrics: [
          ...ScalingMetric.fromSloPlan(plan),
          ScalingMetric.timeToFirstTokenP95(Duration.millis(Math.max(1, Math.round(ms(input.objective.ttftP95))))),
        ],
      });
    }));
    // The simulator's service level on a short trace: fractions within [0, 1].
    const r = AutoscalerSimulator.run({
      load: [1, 5, 20, 5], step: Duration.minutes(1), maxReplicas: 8, capacityPerReplica: plan.requestsPerSecondPerReplica!, serviceLevel: plan,
    });
    out.push(...numberProblems('timeMeetingObjectiveFraction', r.serviceLevel!.timeMeetingObjectiveFraction, { min: 0, max: 1 }));
    out.push(...numberProblems('requestsMeetingObjectiveFraction', r.serviceLevel!.requestsMeetingObjectiveFraction, { min: 0, max: 1 }));
    return out;
  }, { runs: Math.min(300, Number(process.env.FUZZ_RUNS ?? 300)) });
});

describe('ScalingMetric.fromSloPlan', () => {
  const twoRows = (ttft: number) => SloPlanner.plan({
    objective: { ttftP95: Duration.millis(ttft), itlP95: Duration.millis(30) },
    profile: [
      { concurrency: 1, requestsPerSecond: 1, ttftP95: Duration.millis(50), itlP95: Duration.millis(20), kvCacheUsagePercent: 4 },
      { concurrency: 2, requestsPerSecond: 2, ttftP95: Duration.millis(60), itlP95: Duration.millis(25), kvCacheUsagePercent: 8 },
    ],
  });
  fuzzTest('ScalingMetric.fromSloPlan', fc.oneof(wrongType(), fc.constantFrom('infeasible', 'feasible')), (input: any) => {
    const arg = input === 'infeasible' ? twoRows(10) : input === 'feasible' ? twoRows(55) : input;
    const metrics = ScalingMetric.fromSloPlan(arg);
    if (input !== 'feasible') return ['accepted something that is not a feasible plan'];
    return metrics.every(m => m instanceof ScalingMetric) && metrics.length === 2 ? [] : [`metrics ${metrics.map(m => m.description)}`];
  }, { runs: 50 });
});
