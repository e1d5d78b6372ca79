import { goTemplateErrors } from './go-template';
import { promtoolViolations } from './promtool';

const ruleObject = (groups: any[]) => ({
  apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', namespace: 'ns', labels: { release: 'kps' } }, spec: { groups },
});
const good = () => ruleObject([{
  name: 'scaling.chat',
  interval: '15s',
  rules: [
    { record: 'scaling:request_rate', expr: 'sum by (pod) (rate(http_requests_total[2m]))' },
    { alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: '{{ $labels.pod }} is down ({{ $value | humanize }})' } },
  ],
}]);
const findings = (edit: (o: any) => void) => {
  const o = good();
  edit(o);
  return promtoolViolations([o]).join('\n');
};

describe('promtool check rules (Prometheus v3.14.0 rulefmt)', () => {
  test('a valid rule file has no findings', () => {
    expect(promtoolViolations([good()])).toEqual([]);
  });

  test.each<[string, (o: any) => void, string]>([
    ['an empty group name', o => { o.spec.groups[0].name = ''; }, 'Groupname must not be empty'],
    ['a repeated group name', o => { o.spec.groups.push({ ...o.spec.groups[0] }); }, 'groupname: "scaling.chat" is repeated in the same file'],
    ['a bad group interval', o => { o.spec.groups[0].interval = '1.5m'; }, 'interval: not a valid duration string'],
    ['record and alert', o => { o.spec.groups[0].rules[0].alert = 'X'; }, "only one of 'record' and 'alert' must be set"],
    ['neither record nor alert', o => { delete o.spec.groups[0].rules[0].record; }, "one of 'record' or 'alert' must be set"],
    ['no expr', o => { o.spec.groups[0].rules[0].expr = ''; }, "field 'expr' must be set in rule"],
    ['rate of an instant vector', o => { o.spec.groups[0].rules[0].expr = 'rate(http_requests_total)'; },
      'could not parse expression: expected type range vector in call to function "rate", got instant vector'],
    ['a range vector result', o => { o.spec.groups[0].rules[0].expr = 'http_requests_total[5m]'; }, 'rule result is not a vector or scalar'],
    ['a bad for', o => { o.spec.groups[0].rules[1].for = '5 minutes'; }, 'for: not a valid duration string'],
    ['a bad keep_firing_for', o => { o.spec.groups[0].rules[1].keep_firing_for = '1h5'; }, 'keep_firing_for: not a valid duration string'],
    ['for on a recording rule', o => { o.spec.groups[0].rules[0].for = '5m'; }, "invalid field 'for' in recording rule"],
    ['annotations on a recording rule', o => { o.spec.groups[0].rules[0].annotations = { a: 'b' }; }, "invalid field 'annotations' in recording rule"],
    ['braces in a record name', o => { o.spec.groups[0].rules[0].record = 'x{a="b"}'; }, 'braces present in the recording rule name'],
    ['a record name PromQL cannot name unquoted', o => { o.spec.groups[0].rules[0].record = 'scaling:request-rate'; }, 'is not a legacy metric name'],
    ['a record name without the level:metric:operations colon', o => { o.spec.groups[0].rules[0].record = 'request_rate'; }, 'level:metric:operations'],
    ['the __name__ label', o => { o.spec.groups[0].rules[1].labels.__name__ = 'x'; }, 'invalid label name: __name__'],
    ['an empty alert name', o => { o.spec.groups[0].rules[1].alert = ''; o.spec.groups[0].rules[1].record = ''; }, "one of 'record' or 'alert' must be set"],
    ['an unclosed template', o => { o.spec.groups[0].rules[1].annotations.summary = '{{ $labels.pod is down'; }, 'annotation "summary": template: __alert_Down: unclosed action'],
    ['an undefined template function', o => { o.spec.groups[0].rules[1].annotations.summary = '{{ $value | humanise }}'; }, 'function "humanise" not defined'],
    ['an undefined template variable', o => { o.spec.groups[0].rules[1].labels.severity = '{{ $severity }}'; }, 'label "severity": template: __alert_Down: undefined variable "$severity"'],
    ['a duplicate rule (same name and labels)', o => { o.spec.groups[0].rules.push({ ...o.spec.groups[0].rules[1] }); }, 'duplicate rule "Down"'],
    ['a duplicate across groups of one file', o => { o.spec.groups.push({ name: 'other', rules: [{ record: 'scaling:request_rate', expr: 'vector(1)' }] }); }, 'duplicate rule "scaling:request_rate"'],
  ])('finds %s', (_name, edit, message) => {
    expect(findings(edit)).toContain(message);
  });

  test('rules with the same name and different labels are not duplicates', () => {
    expect(findings(o => o.spec.groups[0].rules.push({ ...o.spec.groups[0].rules[1], labels: { severity: 'warning' } }))).toBe('');
  });

  test('a rule file above the operator\'s 512 KiB limit', () => {
    expect(findings(o => { o.spec.groups[0].rules[1].annotations.description = 'x'.repeat(530_000); })).toContain('above the maximum limit');
  });
});

describe('Go templates', () => {
  test.each([
    ['{{ if .x }}a', 'never closed'],
    ['a {{ end }}', 'unexpected {{end}}'],
    ['{{ else }}', 'unexpected {{else}}'],
    ['{{ nosuch 1 }}', 'function "nosuch" not defined'],
  ])('%s', (t, message) => {
    expect(goTemplateErrors(t).join()).toContain(message);
  });
  test('range with declared variables, comments and trim markers parse', () => {
    expect(goTemplateErrors('{{- /* c */ -}}{{ range $i, $v := .X }}{{ $i }}{{ $v }}{{ else }}none{{ end }}')).toEqual([]);
  });
});
