import { analyzePromql, isPrometheusDuration, promqlErrors, re2Error, seriesSelectors } from './promql';

// Each case: an expression Prometheus v3.14.0's parser.ParseExpr refuses, with the words of its error.
describe('PromQL type checks (parse.go checkAST)', () => {
  test.each([
    ['rate(http_requests_total)', 'expected type range vector in call to function "rate", got instant vector'],
    ['irate(x)', 'expected type range vector in call to function "irate", got instant vector'],
    ['increase(x)', 'expected type range vector in call to function "increase", got instant vector'],
    ['avg_over_time(x)', 'expected type range vector in call to function "avg_over_time", got instant vector'],
    ['histogram_quantile(0.95, x_bucket[5m])', 'expected type instant vector in call to function "histogram_quantile", got range vector'],
    ['histogram_quantile(x, 0.9)', 'expected type scalar in call to function "histogram_quantile", got instant vector'],
    ['abs(x, y)', 'expected 1 argument(s) in call to "abs", got 2'],
    ['sum(x[5m])', 'expected type instant vector in aggregation expression, got range vector'],
    ['topk(x)', 'wrong number of arguments for aggregate expression provided, expected 2, got 1'],
    ['topk(x, 3)', 'expected type scalar in aggregation parameter, got instant vector'],
    ['count_values(1, x)', 'expected type string in aggregation parameter, got scalar'],
    ['x[5m] + y', 'binary expression must contain only scalar and instant vector types'],
    ['1 > 2', 'comparisons between scalars must use BOOL modifier'],
    ['x + bool y', 'bool modifier can only be used on comparison operators'],
    ['x and 1', 'set operator "and" not allowed in binary scalar expression'],
    ['x and on(a) group_left y', 'no grouping allowed for "and" operation'],
    ['x + on(a) group_left(a) y', 'label "a" must not occur in ON and GROUP clause at once'],
    ['1 + on(a) 2', 'vector matching only allowed between instant vectors'],
    ['x[5m][1m]', 'ranges only allowed for vector selectors'],
    ['(x offset 1m)[5m]', 'ranges only allowed for vector selectors'],
    ['(a / b) offset 5m', 'offset modifier must be preceded by an instant vector selector'],
    ['x offset 1m offset 2m', 'offset may not be set multiple times'],
    ['rate(x[5m])[5m:1m][5m:1m]', 'subquery is only allowed on instant vector, got range vector'],
    ['-x[5m]', 'unary expression only allowed on expressions of type scalar or instant vector'],
    ['{a=""}', 'vector selector must contain at least one non-empty matcher'],
    ['{a=~".*"}', 'vector selector must contain at least one non-empty matcher'],
    ['x{__name__="y"}', 'metric name must not be set twice'],
    ['x{a=~"(?=b)"}', 'error parsing regexp'],
    ['sort_by_label(x, "a")', 'function "sort_by_label" is not enabled'],
    ['limitk(2, x)', 'limitk() is experimental'],
    ['sum(x', 'parse error'],
    ['', 'no expression found in input'],
  ])('%s', (expr, message) => {
    expect(promqlErrors(expr).join('\n')).toContain(message);
  });

  test.each([
    'rate(http_requests_total{a="b"}[5m])',
    'histogram_quantile(0.95, sum by (namespace, pod, le) (rate(x_bucket[2m])))',
    'a / b offset 5m',
    'a / on (x) group_left b > bool 0',
    'max_over_time(rate(x[5m])[30m:1m])',
    'sum by (a) (rate(x[5m] offset 1m)) / on(a) group_left bar',
    '{__name__=~"x_.*", job!=""}',
    'label_replace(x, "a", "$1", "b", "(.*)")',
    'label_join(x, "a", ",", "b", "c", "d")',
    'predict_linear(x[30m], 300)',
    'absent(x{a="b"})',
    'x @ start()',
    '1 > bool 2',
    'sum(x) without (a)',
    'topk by (a) (3, x)',
    'count_values("v", x)',
    'vector(1)',
  ])('accepts %s', expr => {
    expect(promqlErrors(expr)).toEqual([]);
  });

  test('types: range vectors, instant vectors, scalars', () => {
    expect(analyzePromql('x[5m]').type).toBe('range vector');
    expect(analyzePromql('rate(x[5m])').type).toBe('instant vector');
    expect(analyzePromql('rate(x[5m])[10m:1m]').type).toBe('range vector');
    expect(analyzePromql('scalar(x) * 2').type).toBe('scalar');
    expect(analyzePromql('x * 2').type).toBe('instant vector');
  });

  test('postfix operators bind tighter than binary operators, as in Prometheus', () => {
    // The UI grammar applies `offset` to `a / b`; Prometheus to `b`.
    expect(analyzePromql('a / b offset 5m').errors).toEqual([]);
    expect(analyzePromql('a / b[5m]').errors.join()).toContain('binary expression must contain only scalar and instant vector types');
  });
});

describe('seriesSelectors', () => {
  test('every selector with its name and matchers, inside ranges, subqueries and calls', () => {
    const s = seriesSelectors('sum(rate(a{x="1", y=~"b|c"}[5m])) / on() group_left max(b offset 1m) + {__name__="c", z!=""}[1m:]');
    expect(s.map(x => x.metricName)).toEqual(['a', 'b', 'c']);
    expect(s[0].matchers).toEqual([{ name: 'x', op: '=', value: '1' }, { name: 'y', op: '=~', value: 'b|c' }, { name: '__name__', op: '=', value: 'a' }]);
    expect(s[2].matchers).toContainEqual({ name: 'z', op: '!=', value: '' });
  });

  test('a regex name leaves the metric name unknown', () => {
    expect(seriesSelectors('{__name__=~"x.+"}')[0].metricName).toBeUndefined();
  });

  test('a series selector is one selector without functions or modifiers', () => {
    expect(analyzePromql('x{a!=""}').isSeriesSelector).toBe(true);
    expect(analyzePromql('rate(x[5m])').isSeriesSelector).toBe(false);
    expect(analyzePromql('x offset 5m').isSeriesSelector).toBe(false);
  });
});

describe('RE2 and durations', () => {
  test.each(['(?=a)', '(?<!a)', '(a)\\1', 'a++', '(?>a)'])('refuses %s (RE2 has no such syntax)', p => {
    expect(re2Error(p)).toBeDefined();
  });
  test.each(['^a.*$', '(?i)abc', '(?P<n>x)', '[[:alpha:]]+', 'a*?'])('accepts %s', p => {
    expect(re2Error(p)).toBeUndefined();
  });
  test('Prometheus durations', () => {
    for (const d of ['0', '5m', '1h30m', '30s', '100ms', '1y2w3d']) expect(isPrometheusDuration(d)).toBe(true);
    for (const d of ['', '1.5m', '5', '30m1h', '5 m', '1h1h']) expect(isPrometheusDuration(d)).toBe(false);
  });
});
