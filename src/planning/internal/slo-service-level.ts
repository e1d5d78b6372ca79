import { Duration } from 'cdk8s';
import { invalidProp } from '../../common/errors';
import { checkInstance } from '../../common/validate';
import { ServiceLevelReport, SloPlan } from '../slo-planner';

/**
 * How often a simulated trace met a latency objective (AutoscalerSimulator's `serviceLevel`): the objective holds while
 * the load each ready replica carries (the load shared evenly by the ready replicas) is at most the requests per second
 * one replica completes at the plan's limit, where its profile still met the objective.
 */

/** The per-replica load of a plan, checked: a feasible plan made by SloPlanner. */
export function objectiveLoadOf(owner: string, plan: unknown): number {
  checkInstance(owner, 'serviceLevel', plan, SloPlan as any, 'make the plan with SloPlanner.plan(...) from the service\'s objective and profile');
  const p = plan as SloPlan;
  if (!p.feasible) {
    invalidProp(owner, 'serviceLevel', 'an infeasible plan', `cannot be met at any load: ${p.reason}`,
      'simulate a plan that meets the objective (other hardware, a smaller model or a relaxed objective)');
  }
  return p.requestsPerSecondPerReplica!;
}

/** The report from the simulator's integrals (microseconds, and load x microseconds). */
export function serviceLevelReport(perReplica: number, spanUs: number, loadUs: number, missedUs: number, missedLoadUs: number): ServiceLevelReport {
  return {
    requestsPerSecondPerReplica: perReplica,
    timeMeetingObjectiveFraction: spanUs > 0 ? Math.max(0, 1 - missedUs / spanUs) : 1,
    requestsMeetingObjectiveFraction: loadUs > 0 ? Math.max(0, 1 - missedLoadUs / loadUs) : 1,
    timeMissingObjective: Duration.seconds(missedUs / 1_000_000),
  };
}
