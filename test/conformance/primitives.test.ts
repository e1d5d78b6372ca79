import * as f from './fixtures';
import { goRegExp, UntranslatableRegexError } from './go-regex';
import { validateManifests } from './index';
import { checkObjectMeta, isDns1035Label, isDns1123Label, isDns1123Subdomain, qualifiedNameProblems } from './names';
import { checkContainerResources, compareQuantities, parseQuantity } from './quantity';

describe('Kubernetes quantities', () => {
  test.each(['500m', '2Gi', '1', '0.5', '.5', '1.', '+1', '1e3', '1E-3', '10Ki', '100M', '1n', '3u', '128974848'])('parses %s', (q) => {
    expect(parseQuantity(q)).toBeDefined();
  });

  test.each([4, 0.25, 1e21])('parses the JSON number %s', (n) => {
    expect(parseQuantity(n)).toBeDefined();
  });

  test.each(['24GB', '1 Gi', 'Gi', '', '1.5.2', '1e1.5', '0x10', '1gi', '1mi', 'abc', '--1'])('rejects %s', (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });

  test('compares exactly across suffixes', () => {
    const cmp = (a: string | number, b: string | number) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
    expect(cmp('1Gi', '1073741824')).toBe(0);
    expect(cmp('1G', '1Gi')).toBe(-1);
    expect(cmp('500m', 0.5)).toBe(0);
    expect(cmp('1500m', '1')).toBe(1);
    expect(cmp('1e3', '1k')).toBe(0);
  });
});

describe('container resources', () => {
  const at = 'spec.containers[0].resources';

  test('accepts equal GPU requests and limits given as number and string', () => {
    expect(checkContainerResources({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': '1' } }, at)).toEqual([]);
  });

  test('rejects GPU requests that differ from limits', () => {
    expect(checkContainerResources({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 2 } }, at)).toEqual([
      'spec.containers[0].resources.requests["nvidia.com/gpu"]: must be equal to the nvidia.com/gpu limit (2) for a non-overcommitable resource',
    ]);
  });

  test('rejects a GPU request without a limit (extended resources cannot be overcommitted)', () => {
    expect(checkContainerResources({ requests: { 'nvidia.com/gpu': 1 } }, at)).toEqual([
      'spec.containers[0].resources.requests["nvidia.com/gpu"]: a limit must be set for non-overcommitable resource nvidia.com/gpu (set limits equal to requests)',
    ]);
  });

  test('accepts a GPU limit alone (the request defaults to it)', () => {
    expect(checkContainerResources({ limits: { 'nvidia.com/gpu': 4 } }, at)).toEqual([]);
  });

  test('rejects a request above its limit', () => {
    expect(checkContainerResources({ requests: { memory: '2Gi' }, limits: { memory: '1Gi' } }, at)).toEqual([
      'spec.containers[0].resources.requests.memory: must be less than or equal to the memory limit ("1Gi")',
    ]);
  });

  test('rejects fractional extended resources, negative values, bad names and bad quantities', () => {
    expect(checkContainerResources({ requests: { cpu: '-1', gpu: 1 }, limits: { 'nvidia.com/gpu': '0.5', 'memory': '1 GB' } }, at)).toEqual([
      'spec.containers[0].resources.limits["nvidia.com/gpu"]: must be an integer for extended resource nvidia.com/gpu',
      'spec.containers[0].resources.limits.memory: "1 GB" is not a Kubernetes quantity (e.g. \'500m\', \'2Gi\', \'1\', 4)',
      'spec.containers[0].resources.requests.cpu: must be greater than or equal to 0',
      'spec.containers[0].resources.requests.gpu: resource name must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or an extended resource with a domain (e.g. "nvidia.com/gpu")',
    ]);
  });

  test('checks resources of containers inside custom resources (without any schema)', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 2;
    expect(validateManifests([rc]).errors).toContainEqual(
      expect.stringContaining('RayCluster/llm-batch: spec.workerGroupSpecs[0].template.spec.containers[0].resources.requests["nvidia.com/gpu"]: must be equal'),
    );
  });
});

describe('names, labels and annotations', () => {
  test('DNS-1123 subdomain, DNS-1123 label and DNS-1035 label', () => {
    expect(isDns1123Subdomain('llm-server.v2')).toBe(true);
    expect(isDns1123Subdomain('My_Service')).toBe(false);
    expect(isDns1123Subdomain('a'.repeat(254))).toBe(false);
    expect(isDns1123Label('llm-server.v2')).toBe(false);
    expect(isDns1123Label('1st')).toBe(true);
    expect(isDns1035Label('1st')).toBe(false);
    expect(isDns1035Label('a'.repeat(64))).toBe(false);
  });

  test('rejects a bad metadata.name (My_Service)', () => {
    const s = f.service();
    s.metadata.name = 'My_Service';
    expect(validateManifests([s]).errors).toContainEqual(
      'Service/My_Service: metadata.name: "My_Service" is not valid for a Service: must be a DNS-1035 label (lowercase alphanumerics or \'-\', starting with a letter and ending with an alphanumeric, at most 63 characters)',
    );
  });

  test('applies each kind\'s name rule', () => {
    expect(checkObjectMeta('Service', { name: '1-svc' })).toHaveLength(1);
    expect(checkObjectMeta('Deployment', { name: '1-svc.v2' })).toEqual([]);
    expect(checkObjectMeta('Namespace', { name: 'ml.serving' })).toHaveLength(1);
    expect(checkObjectMeta('CronJob', { name: 'c'.repeat(53) })).toHaveLength(1);
    expect(checkObjectMeta('Job', { name: 'j'.repeat(64) })).toHaveLength(1);
    expect(checkObjectMeta('RayCluster', { name: 'r'.repeat(54) })).toHaveLength(1);
    expect(checkObjectMeta('RayJob', { name: 'r'.repeat(47) })).toEqual([]);
    expect(checkObjectMeta('ClusterRole', { name: 'system:aggregate-to-view' })).toEqual([]);
    expect(checkObjectMeta('Deployment', {})).toEqual(['metadata.name: is required (or metadata.generateName)']);
    expect(checkObjectMeta('Deployment', { generateName: 'warm-' })).toEqual([]);
  });

  test('checks namespaces, label keys and values, and annotation keys', () => {
    expect(checkObjectMeta('Deployment', {
      name: 'ok',
      namespace: 'ML',
      labels: { 'app.kubernetes.io/name': 'ok', 'Example.com/x': 'v', 'x': 'not ok!', 'y': 'v'.repeat(64) },
      annotations: { 'Example.com/Owner': 'upper case is fine in annotation keys', 'a/b/c': 'x' },
    })).toEqual([
      'metadata.namespace: "ML" must be a DNS-1123 label (lowercase alphanumerics or \'-\', starting and ending with an alphanumeric, at most 63 characters)',
      'metadata.labels["Example.com/x"]: invalid label key: prefix part "Example.com" must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\', \'.\')',
      'metadata.labels.x: invalid label value "not ok!": must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric',
      'metadata.labels.y: invalid label value "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv": must be no more than 63 characters',
      'metadata.annotations["a/b/c"]: invalid annotation key: a qualified name must be [prefix/]name with at most one "/"',
    ]);
    expect(qualifiedNameProblems('nvidia.com/gpu')).toEqual([]);
  });

  test('checks labels of pod templates too', () => {
    const d = f.deployment();
    d.spec.template.metadata.labels['bad key'] = 'x';
    d.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'llm-server' };
    expect(validateManifests([d]).errors).toContainEqual(
      'Deployment/llm-server: spec.template.metadata.labels["bad key"]: invalid label key: name part "bad key" must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric',
    );
  });
});

describe('Go regex translation', () => {
  test('turns a leading (?i) into the i flag', () => {
    expect(goRegExp('^(?i)(abort|warn)?$').test('WARN')).toBe(true);
    expect(goRegExp('(?i)^abc$').flags).toContain('i');
  });

  test('handles scoped and mid-pattern case-insensitivity', () => {
    const re = goRegExp('^a(?i:b[c-d])e$');
    expect(re.test('aBDe')).toBe(true);
    expect(re.test('ABDe')).toBe(false);
    expect(goRegExp('^x(?i)yz$').test('xYZ')).toBe(true);
  });

  test('handles \\A, \\z, POSIX classes, \\pL, (?P<name>) and \\Q...\\E', () => {
    expect(goRegExp('\\Aab\\z').test('ab')).toBe(true);
    expect(goRegExp('\\Aab\\z').test('ab\n')).toBe(false);
    expect(goRegExp('^[[:alpha:]][[:digit:]]+$').test('a12')).toBe(true);
    expect(goRegExp('^\\pL+$').test('héllo')).toBe(true);
    expect(goRegExp('^(?P<major>[0-9]+)\\.').exec('12.3')?.groups?.major).toBe('12');
    expect(goRegExp('^\\Qa.b\\E$').test('a.b')).toBe(true);
    expect(goRegExp('^\\Qa.b\\E$').test('axb')).toBe(false);
  });

  test('accepts RE2 escapes of punctuation that the JS unicode mode rejects', () => {
    expect(goRegExp('^a\\:b\\@c$').test('a:b@c')).toBe(true);
  });

  test('fails loudly on constructs it cannot translate', () => {
    expect(() => goRegExp('(?U)a+')).toThrow(UntranslatableRegexError);
  });
});
