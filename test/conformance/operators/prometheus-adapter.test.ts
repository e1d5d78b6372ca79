import { stringify } from 'yaml';
import { checkAdapterConfig, expandName, prometheusAdapterViolations } from './prometheus-adapter';

const podsRule = () => ({
  seriesQuery: 'scaling:request_rate{namespace!="",pod!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
  name: { matches: '^scaling:request_rate$', as: 'scaling_request_rate' },
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
});
const externalRule = () => ({
  seriesQuery: 'aws_sqs_approximate_number_of_messages_visible_average',
  resources: { namespaced: false },
  name: { matches: '^aws_sqs_approximate_number_of_messages_visible_average$', as: 'sqs_messages' },
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>})',
});
const configMap = (doc: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adapter', namespace: 'monitoring' }, data: { 'config.yaml': stringify(doc) } });
const findings = (edit: (rule: any, doc: any) => void, external = false) => {
  const doc: any = { rules: [podsRule()], externalRules: [externalRule()] };
  edit(external ? doc.externalRules[0] : doc.rules[0], doc);
  return checkAdapterConfig(doc).join('\n');
};

describe('prometheus-adapter v0.12.0 config loader', () => {
  test('the library\'s own rules load', () => {
    expect(prometheusAdapterViolations([configMap({ rules: [podsRule()], externalRules: [externalRule()] })])).toEqual([]);
  });

  test.each<[string, (r: any, d: any) => void, string]>([
    ['an unknown top-level key', (_r, d) => { d.customRules = []; }, 'field customRules not found'],
    ['an unknown rule key', r => { r.metricQuery = 'x'; }, 'rules[0]: field metricQuery not found'],
    ['a seriesQuery that is a query, not a selector', r => { r.seriesQuery = 'rate(x[5m])'; }, 'is not a series selector'],
    ['a seriesQuery that does not parse', r => { r.seriesQuery = 'x{a='; }, 'not a valid series selector'],
    ['a seriesQuery with only empty matchers', r => { r.seriesQuery = '{pod=""}'; }, 'vector selector must contain at least one non-empty matcher'],
    ['an empty seriesQuery', r => { r.seriesQuery = ''; }, 'seriesQuery: empty'],
    ['a name.matches RE2 refuses', r => { r.name.matches = '^(?!x)scaling'; }, 'unable to compile series name match expression'],
    ['two groups and no as', r => { r.name = { matches: '^(scaling):(.*)$' }; }, "must specify an 'as' value for name matcher"],
    ['an as that refers to a missing group', r => { r.name.as = '$2'; }, 'refers to group 2'],
    ['a name.matches that does not match the series', r => { r.name.matches = '^other$'; }, 'does not match the series name scaling:request_rate'],
    ['a series filter with is and isNot', r => { r.seriesFilters = [{ is: 'a', isNot: 'b' }]; }, 'cannot have both'],
    ['an empty series filter', r => { r.seriesFilters = [{}]; }, 'must have either an `is` or `isNot`'],
    ['a resources.template without <<.Resource>>', r => { r.resources = { template: 'kube_<<.Group>>' }; }, 'must include at least <<.Resource>>'],
    ['an override to an unknown resource', r => { r.resources.overrides.pod = { resource: 'pdo' }; }, 'unable to normalize group-resource "pdo"'],
    ['an override in the wrong group', r => { r.resources.overrides.deployment = { group: 'extensions', resource: 'deployments' }; }, 'is in group "apps"'],
    ['a metricsQuery template that does not parse', r => { r.metricsQuery = 'sum(<<.Series>>{<<.LabelMatchers>>}'; }, 'does not parse'],
    ['an unclosed metricsQuery action', r => { r.metricsQuery = 'sum(<<.Series>>{<<.LabelMatchers'; }, 'unable to parse metrics query template: unclosed action'],
    ['a field the adapter does not pass', r => { r.metricsQuery = 'sum(<<.Series>>{<<.LabelMatchersByName>>})'; }, "can't evaluate field LabelMatchersByName"],
    ['a metricsQuery that renders a range vector', r => { r.metricsQuery = '<<.Series>>{<<.LabelMatchers>>}[5m]'; }, 'expected vector'],
    ['a metricsQuery that renders rate of an instant vector', r => { r.metricsQuery = 'sum(rate(<<.Series>>{<<.LabelMatchers>>})) by (<<.GroupBy>>)'; }, 'expected type range vector'],
    ['an empty metricsQuery', r => { r.metricsQuery = ''; }, 'metricsQuery: empty'],
    ['resourceRules without memory', (_r, d) => { d.resourceRules = { cpu: { containerQuery: 'x', nodeQuery: 'y', resources: {} }, window: '5m' }; }, 'resourceRules.memory: missing'],
    ['a resourceRules window that is no duration', (_r, d) => { d.resourceRules = { cpu: { containerQuery: 'x', nodeQuery: 'y' }, memory: { containerQuery: 'x', nodeQuery: 'y' }, window: '5 minutes' }; }, 'resourceRules.window'],
  ])('finds %s', (_n, edit, message) => {
    expect(findings(edit)).toContain(message);
  });

  test('an external metricsQuery without a name renders `{}`, which Prometheus refuses', () => {
    expect(findings(r => { r.metricsQuery = 'sum({<<.LabelMatchers>>})'; }, true)).toContain('vector selector must contain at least one non-empty matcher');
  });

  test('duplicate keys fail the strict loader', () => {
    const cm = configMap({});
    cm.data['config.yaml'] = 'rules:\n- seriesQuery: a\n  seriesQuery: b\n';
    expect(prometheusAdapterViolations([cm]).join()).toContain('unable to parse metrics discovery config');
  });

  test('name.as expands like Go\'s Regexp.ExpandString, with the adapter\'s defaults', () => {
    expect(expandName({ matches: '^(.*)_total$', as: '${1}_per_second' }, 'http_requests_total')).toBe('http_requests_per_second');
    expect(expandName({ matches: '^(.*)_total$' }, 'http_requests_total')).toBe('http_requests');
    // Unanchored: $0 is the matched part only.
    expect(expandName({ matches: 'requests' }, 'http_requests_total')).toBe('requests');
    expect(expandName({ matches: '^x$' }, 'y')).toBeUndefined();
  });
});
