import { ObjectiveMs, ProfileRow } from './slo-core';

/**
 * The texts of SloPlanner: the fixes of its input errors and the reasons a plan carries (a plan that cannot meet the
 * objective is a returned outcome, not an error). Kept in one module so the wording stays uniform.
 */

/** What the planner's errors are raised against, in place of a construct path. */
export const SLO_PLANNER = 'SloPlanner';

export const SLO_FIXES = {
  props: 'give { objective: { ttftP95, itlP95 }, profile: [{ concurrency, requestsPerSecond, ttftP95, itlP95 }, ...] }',
  objective: 'give the objective as { ttftP95: Duration.millis(500), itlP95: Duration.millis(50) }',
  latency: 'give a p95 above zero and at most 1 hour, in whole milliseconds or finer, e.g. Duration.millis(500)',
  profile: 'give at least 2 rows measured on one replica at increasing concurrency (e.g. vllm bench serve --max-concurrency 1, 2, 4, 8, ...), at most 1,000',
  row: 'give each row as { concurrency, requestsPerSecond, ttftP95, itlP95 } (optionally outputTokensPerSecond, kvCacheUsagePercent, waitingRequests)',
  concurrency: 'give the requests in flight the row was measured at, a whole number from 1 to 100,000 (the benchmark\'s --max-concurrency)',
  sorted: 'sort the rows by concurrency, one row per concurrency',
  requestsPerSecond: 'give the requests per second the replica completed at that concurrency, above 0 and at most 1,000,000',
  outputTokensPerSecond: 'give the output tokens per second the replica generated at that concurrency, above 0 and at most 1,000,000,000',
  kvCacheUsagePercent: 'give the KV-cache usage the server reported at that concurrency, in percent from 0 to 100 (vllm:kv_cache_usage_perc x 100)',
  waitingRequests: 'give the requests the server held waiting at that concurrency, 0 or more, at most 100,000 (vllm:num_requests_waiting)',
  sameColumns: 'measure the optional column on every row, or leave it out of every row',
  peakRequestsPerSecond: 'give the peak load in requests per second, above 0 and at most 1,000,000,000',
  peakOutputTokensPerSecond: 'give the peak load in output tokens per second, above 0 and at most 1,000,000,000,000',
  peakTokensWithoutColumn: 'measure outputTokensPerSecond on every row of the profile, or give the peak in requests per second',
  headroomPercent: 'give the share of a replica\'s limit the targets keep free, from 0 to 90 (e.g. 20)',
} as const;

const ms = (v: number) => `${+v.toFixed(1)} ms`;

/** Why no concurrency meets the objective. */
export function infeasibleReason(row: ProfileRow, objective: ObjectiveMs): string {
  const misses = [
    ...(row.ttftMs > objective.ttftMs ? [`p95 time to first token ${ms(row.ttftMs)} is above the objective's ${ms(objective.ttftMs)}`] : []),
    ...(row.itlMs > objective.itlMs ? [`p95 inter-token latency ${ms(row.itlMs)} is above the objective's ${ms(objective.itlMs)}`] : []),
  ].join(' and ');
  return row.concurrency === 1
    ? `cannot be met on this hardware: even at concurrency 1 the ${misses}; use a faster GPU, more GPUs per replica (tensor parallelism), `
      + 'a smaller or quantized model, shorter prompts, or relax the objective'
    : `not met at the lowest concurrency measured (${row.concurrency}): the ${misses}; measure down to concurrency 1 to see whether `
      + 'a lower one meets it, or change the hardware or the objective';
}

/** Why the limit is where it is. */
export function limitReason(kind: 'all-meet' | 'row' | 'interpolated' | 'not-monotone', c: number, lower?: ProfileRow, upper?: ProfileRow): string {
  switch (kind) {
    case 'all-meet':
      return `every row meets the objective; the limit is the highest concurrency measured (${c}): measure higher concurrency to find the real one`;
    case 'interpolated':
      return `concurrency ${lower!.concurrency} meets the objective and ${upper!.concurrency} misses it; every column rises between them, `
        + `so the limit is interpolated linearly to ${c}, rounded down to whole requests`;
    case 'not-monotone':
      return `concurrency ${lower!.concurrency} meets the objective and ${upper!.concurrency} misses it; not every column rises between them `
        + `(a noisy or reordered measurement), so the limit stays at the measured ${c}: no interpolation`;
    default:
      return `concurrency ${lower!.concurrency} meets the objective and ${upper!.concurrency} misses it; the crossing lies below ${lower!.concurrency + 1}, `
        + `so the limit is the measured ${c}`;
  }
}
