import { escapePropertyName } from './cel';
import { walkCustomResource } from './crd-walk';
import * as f from './fixtures';
import { describeWithSchemas, validateManifests } from './index';

function errorsOf(...objects: any[]): string[] {
  return validateManifests(objects).errors;
}

describeWithSchemas('CEL rules of the pinned CRDs', () => {
  test('evaluates the rules of the valid fixtures, skipping only transition rules', () => {
    const result = validateManifests(f.allValid());
    expect(result.errors).toEqual([]);
    expect(result.celRulesEvaluated).toBeGreaterThan(50);
    // NodePool: has(self.replicas) == has(oldSelf.replicas), nodeClassRef group/kind immutability.
    expect(result.celRulesSkipped).toBe(3);
  });

  test('rejects a NodePool requirement on the restricted label karpenter.sh/nodepool', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements.push({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['other'] });
    expect(errorsOf(np)).toEqual(['NodePool/gpu: spec.template.spec.requirements[4].key: label "karpenter.sh/nodepool" is restricted']);
  });

  test('rejects a NodePool requirement with operator Gt and two values', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements[2].values = ['0', '2'];
    expect(errorsOf(np)).toEqual([
      "NodePool/gpu: spec.template.spec.requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
    ]);
  });

  test('rejects a NodePool template label in the karpenter.sh domain (uses the find() regex function)', () => {
    const np = f.nodePool();
    np.spec.template.metadata.labels['team.karpenter.sh/owner'] = 'ml';
    expect(errorsOf(np)).toEqual(['NodePool/gpu: spec.template.metadata.labels: label domain "karpenter.sh" is restricted']);
  });

  test('rejects a NodePool requirement with fewer values than minValues', () => {
    const np = f.nodePool();
    np.spec.template.spec.requirements[1].minValues = 5;
    expect(errorsOf(np)).toEqual([
      "NodePool/gpu: spec.template.spec.requirements: requirements with 'minValues' must have at least that many values specified in the 'values' field",
    ]);
  });

  test('rejects a disruption budget with a schedule but no duration', () => {
    const np = f.nodePool();
    delete np.spec.disruption.budgets[1].duration;
    expect(errorsOf(np)).toEqual(["NodePool/gpu: spec.disruption.budgets: 'schedule' must be set with 'duration'"]);
  });

  test('rejects an EC2NodeClass with both role and instanceProfile', () => {
    const nc = f.ec2NodeClass();
    nc.spec.instanceProfile = 'KarpenterNodeInstanceProfile';
    expect(errorsOf(nc)).toEqual(["EC2NodeClass/gpu: spec: must specify exactly one of ['role', 'instanceProfile']"]);
  });

  test('rejects an EC2NodeClass alias of an unsupported family (uses split())', () => {
    const nc = f.ec2NodeClass();
    nc.spec.amiSelectorTerms = [{ alias: 'ubuntu@latest' }];
    expect(errorsOf(nc)).toContainEqual(expect.stringContaining('spec.amiSelectorTerms[0].alias: family is not supported'));
  });

  test('rejects an EC2NodeClass tag on a restricted key', () => {
    const nc = f.ec2NodeClass();
    nc.spec.tags['kubernetes.io/cluster/ml'] = 'owned';
    expect(errorsOf(nc)).toEqual(['EC2NodeClass/gpu: spec.tags: tag contains a restricted tag matching kubernetes.io/cluster/']);
  });

  test('rejects a ScaledObject whose minReplicaCount exceeds maxReplicaCount', () => {
    const so = f.scaledObject();
    so.spec.minReplicaCount = 40;
    expect(errorsOf(so)).toEqual(['ScaledObject/llm-server: spec: minReplicaCount must be less than or equal to maxReplicaCount']);
  });

  test('applies the ScaledObject rule default (maxReplicaCount 100 when unset)', () => {
    const so = f.scaledObject();
    delete so.spec.maxReplicaCount;
    so.spec.minReplicaCount = 101;
    expect(errorsOf(so)).toEqual(['ScaledObject/llm-server: spec: minReplicaCount must be less than or equal to maxReplicaCount']);
  });

  test('rejects a VPA startupBoost of type Factor without a factor', () => {
    const v = f.vpa();
    v.spec.startupBoost = { cpu: { type: 'Factor' } };
    // The CPUStartupBoost gate (VPA 1.7.1 operator check) is declared on, so only the CEL rule is left to fail.
    v.metadata.annotations = { 'cdk8s-ml-scaling/vpa-feature-gates': 'CPUStartupBoost' };
    expect(errorsOf(v)).toEqual(['VerticalPodAutoscaler/llm-server: spec.startupBoost.cpu: factor is required when type is Factor and forbidden otherwise']);
  });

  test('rejects a RayCluster managedBy value outside the allowed set, and skips its immutability rule', () => {
    const rc = f.rayCluster();
    rc.spec.managedBy = 'someone-else';
    const result = validateManifests([rc]);
    expect(result.errors).toEqual([
      "RayCluster/llm-batch: spec.managedBy: the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
    ]);
    expect(result.celRulesEvaluated).toBe(1);
    expect(result.celRulesSkipped).toBe(1);
  });

  test('evaluates the rules inside a RayJob deletion strategy', () => {
    const job = f.rayJob();
    job.spec.deletionStrategy = { onSuccess: { policy: 'DeleteCluster' } };
    expect(errorsOf(job)).toEqual([
      'RayJob/fine-tune: spec.deletionStrategy: deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
    ]);
  });
});

describe('CEL evaluation semantics', () => {
  const schema = (props: Record<string, any>, rules: any[]) => ({ 'type': 'object', 'properties': props, 'x-kubernetes-validations': rules });

  test('reports a rule that does not compile instead of passing it', () => {
    const r = walkCustomResource(schema({ x: { type: 'integer' } }, [{ rule: 'self.x ==' }]), { x: 1 });
    expect(r.errors).toEqual([expect.stringMatching(/^<root>: CEL rule "self.x ==" does not compile: /)]);
    expect(r.celRulesEvaluated).toBe(1);
  });

  test('reports a rule that uses an unregistered function instead of passing it', () => {
    const r = walkCustomResource(schema({ x: { type: 'string' } }, [{ rule: 'isQuantity(self.x)' }]), { x: '1' });
    expect(r.errors).toEqual([expect.stringMatching(/^<root>: CEL rule "isQuantity\(self.x\)" could not be evaluated: /)]);
  });

  test('skips transition rules (oldSelf) and counts them', () => {
    const r = walkCustomResource(schema({ x: { type: 'string' } }, [{ rule: 'self == oldSelf', message: 'immutable' }, { rule: 'has(self.x)' }]), { x: 'a' });
    expect(r).toEqual({ errors: [], celRulesEvaluated: 1, celRulesSkipped: 1 });
  });

  test('reports optionalOldSelf rules, which apply on create but cannot be evaluated here', () => {
    const r = walkCustomResource(schema({}, [{ rule: '!oldSelf.hasValue()', optionalOldSelf: true }]), {});
    expect(r.errors).toEqual([expect.stringContaining('uses optionalOldSelf')]);
  });

  test('evaluates rules only where the schema node is present', () => {
    const s = schema({ a: { 'type': 'object', 'properties': { b: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'false', message: 'never' }] } }, []);
    expect(walkCustomResource(s, {}).celRulesEvaluated).toBe(0);
    expect(walkCustomResource(s, { a: {} }).errors).toEqual(['a: never']);
  });

  test('evaluates item rules once per list item, with the item path', () => {
    const s = schema({ xs: { type: 'array', items: { 'type': 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10', message: 'too big' }] } } }, []);
    expect(walkCustomResource(s, { xs: [1, 20, 3] })).toEqual({ errors: ['xs[1]: too big'], celRulesEvaluated: 3, celRulesSkipped: 0 });
  });

  test('passes integers as int and numbers as double', () => {
    const s = schema({ i: { type: 'integer' }, d: { type: 'number' } }, [{ rule: 'self.i == 3 && type(self.i) == int && self.d == 1.5 && type(self.d) == double' }]);
    expect(walkCustomResource(s, { i: 3, d: 1.5 }).errors).toEqual([]);
    const whole = schema({ d: { type: 'number' } }, [{ rule: 'type(self.d) == double' }]);
    expect(walkCustomResource(whole, { d: 2 }).errors).toEqual([]);
  });

  test('uses messageExpression for the failure message', () => {
    const s = schema({ n: { type: 'integer' } }, [{ rule: 'self.n < 5', messageExpression: "'n is ' + string(self.n) + ', must be below 5'" }]);
    expect(walkCustomResource(s, { n: 7 }).errors).toEqual(['<root>: n is 7, must be below 5']);
  });

  test('falls back to message when messageExpression fails, and reports at fieldPath', () => {
    const s = schema({ n: { type: 'integer' } }, [{ rule: 'self.n < 5', messageExpression: 'self.missing', message: 'n too big', fieldPath: '.n' }]);
    expect(walkCustomResource(s, { n: 7 }).errors).toEqual(['n: n too big']);
  });

  test('registers the Kubernetes regex functions find and findAll', () => {
    const s = schema({ v: { type: 'string' } }, [
      { rule: "self.v.find('[0-9]+') == '12'" },
      { rule: "self.v.findAll('[0-9]+') == ['12', '345']" },
      { rule: "self.v.findAll('[0-9]+', 1) == ['12']" },
      { rule: "self.v.find('^(?i)ab') == 'aB'" },
      { rule: "self.v.matches('^aB-[0-9]+')" },
    ]);
    expect(walkCustomResource(s, { v: 'aB-12-x-345' })).toEqual({ errors: [], celRulesEvaluated: 5, celRulesSkipped: 0 });
  });

  test('escapes property names like the API server (x-y -> x__dash__y, reserved words)', () => {
    expect(escapePropertyName('x-y')).toBe('x__dash__y');
    expect(escapePropertyName('a.b/c')).toBe('a__dot__b__slash__c');
    expect(escapePropertyName('namespace')).toBe('__namespace__');
    expect(escapePropertyName('a__b')).toBe('a__underscores__b');
    const s = schema({ 'max-size': { type: 'integer' } }, [{ rule: 'self.max__dash__size == 2' }]);
    expect(walkCustomResource(s, { 'max-size': 2 }).errors).toEqual([]);
  });

  test('keeps map keys unescaped (additionalProperties)', () => {
    const s = { 'type': 'object', 'additionalProperties': { type: 'string' }, 'x-kubernetes-validations': [{ rule: "'a-b' in self && self['a-b'] == 'x'" }] };
    expect(walkCustomResource(s, { 'a-b': 'x' }).errors).toEqual([]);
  });
});
