/** Prints a forecast and a backtest made with startTime and timeZone; the test runs it under several machine zones. */
import { Duration } from 'cdk8s';
import { syntheticTraces } from '../../scripts/forecast-evaluation';
import { LoadForecaster } from '../../src/planning/load-forecaster';

const trace = syntheticTraces()[0];
const props = { history: trace.values.slice(0, 30 * 24), interval: Duration.hours(1), startTime: new Date(trace.startMs), timeZone: 'Europe/Berlin' };
console.log(JSON.stringify({
  values: LoadForecaster.forecast({ ...props, horizon: 48, quantiles: [0.9] }),
  evaluation: LoadForecaster.evaluate(props).summary,
}));
