/**
 * Generators for the `cdk8s-ml-scaling report` command: argument vectors, trace CSV texts and JSON config files, valid
 * and not. A case is the files to write into a fresh folder and the arguments to run there.
 */
import * as fc from 'fast-check';
import { optional, realNumber, wholeNumber, wrongType } from './arbitraries';

/** Mostly one of `valid`, sometimes one of `invalid`. */
function pick<T>(valid: readonly T[], invalid: readonly T[], weights: [number, number] = [10, 1]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: weights[0] }, { arbitrary: fc.constantFrom(...invalid), weight: weights[1] });
}

/** One run of the command: the files of its working folder (name to text) and its arguments. */
export interface CliCase {
  readonly files: Record<string, string>;
  readonly argv: string[];
}

const STARTS = ['2025-03-03T00:00:00Z', '2025-03-03T00:30:00+02:00', '1995-07-01T04:00:00Z', '2025-03-29T22:00:00Z', '1969-12-31T23:00:00Z',
  '9999-12-30T00:00:00Z', '0001-01-01T00:00:00Z', '2025-03-03T00:00:00.250Z'];

function iso(ms: number, offsetText: string): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'out-of-range';
  const text = new Date(ms).toISOString();
  return offsetText === 'Z' ? text.replace('.000Z', 'Z') : text.replace(/(\.000)?Z$/, offsetText);
}

/** A count as a trace writes it: mostly whole numbers, sometimes decimals or exponents. */
const count = fc.oneof(
  { arbitrary: fc.nat(2000).map(String), weight: 10 },
  { arbitrary: fc.constantFrom('0', '2.5', '1e3', '0.001', '1000000000000'), weight: 2 },
);

/** What goes wrong with one row, or with the whole text. */
const BAD_COUNTS = ['abc', '-1', 'NaN', 'Infinity', '-Infinity', '1e308', '1e309', '', ' ', '0x1F', '1,5', '1e13', '1.7976931348623157e308', '+3', '1e-400'];
const BAD_TIMES = ['2025-03-03T00:00:00', '2025-03-03 00:00:00Z', 'yesterday', '', '2025-02-30T00:00:00Z', '2025-03-03T24:00:00Z', '2025-03-03T00:00:00+99:99',
  '1e9', '275760-09-13T00:00:00Z'];

export const traceText: fc.Arbitrary<string> = fc.record({
  start: pick(STARTS.slice(0, 4), STARTS.slice(4), [10, 2]),
  interval: pick([60, 60, 60, 300, 300, 900, 3600], [420, 1, 86400, 0.5, 86401, 2 * 86400], [12, 1]),
  // Rows: mostly a few dozen, sometimes two weeks and more (of hours, so predictive configs plan), sometimes 0 or 1.
  // The command's time grows with the span of the trace (the simulator syncs every 15 s): long spans are few.
  rows: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 60 }), weight: 30 }, { arbitrary: fc.integer({ min: 336, max: 372 }), weight: 1 },
    { arbitrary: fc.constantFrom(0, 1, 2), weight: 2 }),
  counts: fc.array(count, { minLength: 1, maxLength: 8 }),
  mutation: fc.oneof(
    { arbitrary: fc.constant({ kind: 'none' }), weight: 300 },
    { arbitrary: fc.record({ kind: fc.constant('count'), at: fc.nat(), text: fc.constantFrom(...BAD_COUNTS) }), weight: 30 },
    { arbitrary: fc.record({ kind: fc.constant('allCounts'), text: fc.constantFrom('1e308', '1.7e308', '1e300', '1e12', '1e15', '9007199254740993') }), weight: 20 },
    { arbitrary: fc.record({ kind: fc.constant('time'), at: fc.nat(), text: fc.constantFrom(...BAD_TIMES) }), weight: 20 },
    {
      arbitrary: fc.record({
        kind: fc.constant('order'), at: fc.nat(), how: fc.constantFrom('duplicate', 'swap', 'gap', 'uneven', 'fields', 'blank', 'reverse'),
      }),
      weight: 30,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('header'),
        header: fc.constantFrom('', 'time,count', 'requests,timestamp', 'host,"requests",timestamp', 'Timestamp,Requests', 'timestamp;requests',
          'timestamp,requests,timestamp'),
      }),
      weight: 20,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('text'),
        text: fc.constantFrom('', '\n\n', 'timestamp,requests\n', 'timestamp,requests', '\uFEFFtimestamp,requests\n',
          '\u0000', 'x'.repeat(5000), '{"a": 1}'),
      }),
      weight: 20,
    },
    { arbitrary: fc.constant({ kind: 'crlf' }), weight: 10 },
    // A few big traces: a month of minutes (read and simulated), and one row past the bound (rejected).
    { arbitrary: fc.constantFrom({ kind: 'big', rows: 40_000 }, { kind: 'big', rows: 600_001 }), weight: 1 },
  ),
}).map(({ start, interval: drawn, rows, counts, mutation }: any) => {
  let interval = drawn;
  if (mutation.kind === 'text') return mutation.text;
  if (rows > 60) interval = 3600;
  const n = mutation.kind === 'big' ? mutation.rows : interval > 3600 ? Math.min(rows, 4) : rows;
  const startMs = Date.parse(start);
  const offset = /([+-]\d\d:\d\d)$/.exec(start)?.[1] ?? 'Z';
  const times: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < n; i++) {
    times.push(iso(startMs + i * interval * 1000, offset));
    values.push(mutation.kind === 'allCounts' ? mutation.text : counts[i % counts.length]);
  }
  let header = 'timestamp,requests';
  let lines = times.map((t, i) => `${t},${values[i]}`);
  const at = n > 0 ? (mutation.at ?? 0) % n : 0;
  if (mutation.kind === 'count' && n > 0) lines[at] = `${times[at]},${mutation.text}`;
  if (mutation.kind === 'time' && n > 0) lines[at] = `${mutation.text},${values[at]}`;
  if (mutation.kind === 'header') {
    header = mutation.header;
    if (header.startsWith('requests')) lines = times.map((t, i) => `${values[i]},${t}`);
    if (header.startsWith('host')) lines = times.map((t, i) => `h,${values[i]},${t}`);
    if (header === 'timestamp,requests,timestamp') lines = times.map((t, i) => `${t},${values[i]},${t}`);
  }
  if (mutation.kind === 'order' && n > 1) {
    const j = Math.max(1, at);
    if (mutation.how === 'duplicate') lines[j] = lines[j - 1];
    if (mutation.how === 'swap') [lines[j - 1], lines[j]] = [lines[j], lines[j - 1]];
    if (mutation.how === 'gap') lines.splice(j, 1);
    if (mutation.how === 'uneven') lines[j] = `${iso(startMs + (j * interval + 7) * 1000, offset)},${values[j]}`;
    if (mutation.how === 'fields') lines[j] = times[j];
    if (mutation.how === 'blank') lines.splice(j, 0, '', '   ');
    if (mutation.how === 'reverse') lines.reverse();
  }
  return [header, ...lines].join(mutation.kind === 'crlf' ? '\r\n' : '\n') + '\n';
});

const durationText = fc.constantFrom('0s', '30s', '60s', '3m', '1m30s', '1h', '90', '-5s', '1.5s', '', 'abc', '100000d', '1500ms', '10m', '2h');
const daysText = fc.constantFrom('1d', '7d', '14d', '3d', '0d', '36h', '1000000d', '1.5d', 'x');
const policy = fc.record({
  type: optional(fc.constantFrom('Pods', 'Percent', 'Pod')),
  value: optional(wholeNumber(1, 100)),
  period: optional(fc.constantFrom('15s', '60s', '1800s', '1h', '0s')),
}, { requiredKeys: [] });
const rules = fc.record({
  stabilizationWindow: optional(fc.constantFrom('0s', '60s', '300s', '3600s', '4000s', '1500ms')),
  selectPolicy: optional(fc.constantFrom('Max', 'Min', 'Disabled', 'max')),
  policies: optional(fc.array(policy, { maxLength: 2 })),
}, { requiredKeys: [] });

/** A JSON config object: every key optional, each valid or not, sometimes an unknown key. */
export const configObject: fc.Arbitrary<Record<string, unknown>> = fc.record({
  name: optional(fc.constantFrom('chat', 'chat, real-time', '<b>&"x\'', 'a'.repeat(300), '  ', 'é 日本')),
  minReplicas: optional(wholeNumber(0, 40)),
  maxReplicas: optional(wholeNumber(1, 60)),
  capacityPerReplica: optional(realNumber(0.01, 1000)),
  targetUtilization: optional(realNumber(0.05, 1)),
  timeToReady: optional(durationText),
  metricDelay: optional(durationText),
  priceUsdPerHour: optional(realNumber(0, 100)),
  behavior: optional(fc.oneof(fc.constantFrom('realTime', 'standard', 'hpaDefaults', 'fast'),
    fc.record({ scaleUp: optional(rules), scaleDown: optional(rules) }, { requiredKeys: [] }))),
  predictive: optional(fc.oneof(fc.boolean(), fc.record({
    firstPlanAfter: optional(daysText),
    replanEvery: optional(daysText),
    leadTime: optional(durationText),
    maxTriggers: optional(wholeNumber(2, 100)),
  }, { requiredKeys: [] }))),
  extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 20 }, { arbitrary: fc.constantFrom('maxReplica', 'targetPerReplica'), weight: 1 }),
}, { requiredKeys: [] }).map((c: any) => {
  const { extra, ...rest } = c;
  return extra === undefined ? rest : { ...rest, [extra]: 3 };
});

/** A config file's text: mostly one object, sometimes not JSON or not an object. */
const configText = fc.oneof(
  { arbitrary: configObject.map(c => JSON.stringify(c)), weight: 30 },
  { arbitrary: wrongType().map(v => JSON.stringify(v) ?? ''), weight: 1 },
  { arbitrary: fc.constantFrom('{"name": }', '', '[]', '{', 'null'), weight: 1 },
);

/** A `--config` value and the file it needs, if any. */
const configSpec = fc.oneof(
  { arbitrary: fc.constantFrom('realTime', 'standard', 'hpaDefaults').map(spec => ({ spec, file: undefined as string | undefined })), weight: 12 },
  { arbitrary: fc.constantFrom('fast', 'missing.json', 'realtime', '.', 'sub').map(spec => ({ spec, file: undefined as string | undefined })), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom('a.json', 'b.json', 'c.JSON', 'sub/d.json', 'noext'), configText).map(([spec, file]) => ({ spec, file })), weight: 8 },
);

/** One run: a trace, 0 to 3 configs, the other options, and now and then an argument that is wrong. */
export const cliCase: fc.Arbitrary<CliCase> = fc.record({
  trace: traceText,
  traceArg: pick(['t.csv', 't.csv', 'sub/t.csv'], ['missing.csv', '.', 'sub', 'NONE'], [30, 1]),
  traceForm: pick(['pair', 'eq'], ['missing', 'twice', 'novalue'], [40, 1]),
  configs: fc.array(configSpec, { maxLength: 2 }),
  timeZone: fc.option(pick(['Etc/UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'],
    ['america/new_york', 'Mars/Olympus', 'UTC', 'EST', '+05:00', ' ', 'Europe/Berlin/x'], [20, 1]), { freq: 2 }),
  scale: fc.option(pick(['1', '20', '0.5', '0.001', '1000000', '1e6', '1e-6'], ['0', '-1', 'x', '1e7', '1000001', 'Infinity', 'NaN', ' ', '1e308', '0x10',
    '1e-300', '1e-7'], [20, 1]), { freq: 2 }),
  out: fc.option(pick(['-', '-', 'r.html', 'out/r.html'], ['sub/t.csv/r.html', '.', 'sub'], [30, 1]), { freq: 2 }),
  noise: fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 60 },
    {
      arbitrary: fc.constantFrom(['--confg', 'x'], ['t.csv'], ['-x'], ['--'], ['--scale'], ['--scale', '2', '--scale', '3'], ['--help'],
        ['--time-zone', 'UTC', '--time-zone=UTC'], ['--out', '--scale']),
      weight: 2,
    }),
  command: fc.oneof({ arbitrary: fc.constant<string[]>(['report']), weight: 100 }, { arbitrary: fc.constantFrom([], ['reprot'], ['--version']), weight: 1 }),
}).map(c => {
  const files: Record<string, string> = { 'sub/.keep': '' };
  files[c.traceArg === 'sub/t.csv' ? 'sub/t.csv' : 't.csv'] = c.trace;
  const argv = [...c.command];
  if (c.traceForm === 'pair') argv.push('--trace', c.traceArg);
  if (c.traceForm === 'eq') argv.push(`--trace=${c.traceArg}`);
  if (c.traceForm === 'twice') argv.push('--trace', c.traceArg, '--trace', c.traceArg);
  if (c.traceForm === 'novalue') argv.push('--trace');
  for (const { spec, file } of c.configs) {
    if (file !== undefined) files[spec] = file;
    argv.push('--config', spec);
  }
  if (c.timeZone !== null) argv.push('--time-zone', c.timeZone);
  if (c.scale !== null) argv.push(`--scale=${c.scale}`);
  if (c.out !== null) argv.push('--out', c.out);
  argv.push(...c.noise);
  return { files, argv };
});
