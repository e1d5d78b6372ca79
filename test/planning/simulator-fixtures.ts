import { Duration } from 'cdk8s';
import { SimulationProps } from '../../src/planning/autoscaler-simulator';
import { ScalingBehavior } from '../../src/planning/scaling-behavior';

/** The AutoscalerSimulator class example: a jump from 2 to 40 req/s for five minutes, then 10. */
export const CLASS_EXAMPLE: SimulationProps = {
  load: [2, 2, 40, 40, 40, 40, 40, 10, 10, 10],
  step: Duration.minutes(1),
  maxReplicas: 10,
  capacityPerReplica: 6,
  targetUtilization: 0.8,
  behavior: ScalingBehavior.realTime(),
  priceUsdPerHour: 1.2,
};
