import * as fc from 'fast-check';
import { orWrong, wrongType } from './arbitraries';
import { fuzzTest, nonFiniteNumbers } from './harness';
import { ExporterCatalog, MetricsExporter, WorkloadFootprints } from '../../src';
import { newChart } from '../util';

const series = orWrong(fc.oneof(
  fc.constantFrom('vllm:num_requests_waiting', 'te_request_duration_bucket', 'DCGM_FI_DEV_GPU_UTIL', 'http_requests_total', ''),
  fc.string({ maxLength: 40 }),
), 6);
const version = orWrong(fc.oneof(fc.constantFrom('0.11.2', 'v0.5.6.post2', '1.8', '24.11', '0.5.3rc2', 'latest', ''), fc.string({ maxLength: 12 })), 6);

type Call = { op: 'exporterOf' | 'byId' | 'exports' | 'metricOfSeries' | 'metric' | 'changesSince' | 'footprints'; arg: unknown; exporter: number };
const call: fc.Arbitrary<Call> = fc.record({
  op: fc.constantFrom('exporterOf', 'byId', 'exports', 'metricOfSeries', 'metric', 'changesSince', 'footprints'),
  arg: fc.oneof(series, version, fc.constantFrom('vllm', 'dcgm-exporter', 'keda'), wrongType()),
  exporter: fc.nat(ExporterCatalog.all().length - 1),
});

/** Problems of a lookup's answer: a result must be what was asked for. */
function run(c: Call): string[] {
  const exporter: MetricsExporter = ExporterCatalog.all()[c.exporter];
  switch (c.op) {
    case 'exporterOf': {
      const e = ExporterCatalog.exporterOf(c.arg as string);
      return e && !e.exports(c.arg as string) ? [`exporterOf(${String(c.arg)}) is ${e.id}, which does not export it`] : [];
    }
    case 'byId': {
      const e = ExporterCatalog.byId(c.arg as string);
      return e && e.id !== c.arg ? [`byId(${String(c.arg)}) is ${e.id}`] : [];
    }
    case 'exports': return typeof exporter.exports(c.arg as string) === 'boolean' ? [] : ['exports() is not a boolean'];
    case 'metricOfSeries': {
      const m = exporter.metricOfSeries(c.arg as string);
      return m && !m.seriesNames.includes(c.arg as string) ? [`metricOfSeries(${String(c.arg)}) is ${m.name}`] : [];
    }
    case 'metric': {
      const m = exporter.metric(c.arg as string);
      return m && m.name !== c.arg ? [`metric(${String(c.arg)}) is ${m.name}`] : [];
    }
    case 'changesSince': return nonFiniteNumbers(exporter.changesSince(c.arg as string));
    case 'footprints': {
      const chart = newChart();
      return Array.isArray(WorkloadFootprints.of(typeof c.arg === 'string' ? chart : c.arg as any)) ? [] : ['not a list'];
    }
  }
}

describe('ExporterCatalog, MetricsExporter and WorkloadFootprints lookups', () => {
  fuzzTest('ExporterCatalog', call, run);
});
