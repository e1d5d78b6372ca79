import { joinPath } from './pod-templates';

/**
 * Object names, namespaces, label and annotation syntax as the API server checks them
 * (k8s.io/apimachinery/pkg/util/validation and apimachinery ObjectMeta validation), plus the
 * stricter name rules of a few kinds.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// TotalAnnotationSizeLimitB in apimachinery ObjectMeta validation.
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export function isDns1123Subdomain(v: string): boolean {
  return v.length <= 253 && DNS1123_SUBDOMAIN.test(v);
}

export function isDns1123Label(v: string): boolean {
  return v.length <= 63 && DNS1123_LABEL.test(v);
}

export function isDns1035Label(v: string): boolean {
  return v.length <= 63 && DNS1035_LABEL.test(v);
}

/** Problems with a qualified name (label key, annotation key): `[prefix/]name`. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ['a qualified name must be [prefix/]name with at most one "/"'];
  const problems: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) problems.push(`prefix part "${prefix}" must be a DNS-1123 subdomain (lowercase alphanumerics, '-', '.')`);
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME_PART.test(name)) problems.push(`name part "${name}" must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric`);
  return problems;
}

export function labelValueProblems(value: unknown): string[] {
  if (typeof value !== 'string') return []; // the schema reports the type
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) problems.push('must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric');
  return problems;
}

interface NameRule {
  readonly test: (name: string) => boolean;
  readonly describe: string;
}

const SUBDOMAIN: NameRule = {
  test: isDns1123Subdomain,
  describe: 'a DNS-1123 subdomain (lowercase alphanumerics, \'-\' or \'.\', starting and ending with an alphanumeric, at most 253 characters)',
};
const LABEL: NameRule = {
  test: isDns1123Label,
  describe: 'a DNS-1123 label (lowercase alphanumerics or \'-\', starting and ending with an alphanumeric, at most 63 characters)',
};
const DNS1035: NameRule = {
  test: isDns1035Label,
  describe: 'a DNS-1035 label (lowercase alphanumerics or \'-\', starting with a letter and ending with an alphanumeric, at most 63 characters)',
};
// RBAC objects only need to be valid URL path segments (e.g. "system:aggregate-to-view").
const PATH_SEGMENT: NameRule = {
  test: (n) => n !== '.' && n !== '..' && !/[/%]/.test(n),
  describe: 'a path segment (no "/", "%", and not "." or "..")',
};

function maxLength(rule: NameRule, max: number, why: string): NameRule {
  return {
    test: (n) => rule.test(n) && n.length <= max,
    describe: `${rule.describe.replace(/, at most \d+ characters\)$/, ')')} of at most ${max} characters (${why})`,
  };
}

/** Name rules that are stricter than a DNS-1123 subdomain, by kind. */
const NAME_RULES: Record<string, NameRule> = {
  Namespace: LABEL,
  Service: DNS1035,
  // The Job controller copies the name into the `job-name` label of its pods (label values <= 63).
  Job: maxLength(SUBDOMAIN, 63, 'it becomes the job-name label value'),
  // CronJob appends an 11-character suffix to create Jobs.
  CronJob: maxLength(SUBDOMAIN, 52, 'Jobs get an 11-character suffix'),
  // Its pods get the label controller-revision-hash=<name>-<hash of up to 10 characters>; the API
  // server accepts a longer name, but the controller then cannot create pods.
  StatefulSet: maxLength(SUBDOMAIN, 52, 'the controller-revision-hash label is <name>-<hash>'),
  Role: PATH_SEGMENT,
  ClusterRole: PATH_SEGMENT,
  RoleBinding: PATH_SEGMENT,
  ClusterRoleBinding: PATH_SEGMENT,
  // KubeRay operator rules (ValidateRayClusterMetadata etc.): the API server accepts longer
  // names, but the operator refuses to reconcile them.
  RayCluster: maxLength(DNS1035, 53, 'KubeRay appends "-serve-svc" to it'),
  RayJob: maxLength(DNS1035, 47, 'KubeRay appends a 6-character suffix for the RayCluster'),
  RayService: maxLength(DNS1035, 47, 'KubeRay appends a 6-character suffix for the RayCluster'),
};

/**
 * Checks metadata.name / generateName / namespace / labels / annotations of a top-level
 * object. Messages are `path: problem`.
 */
export function checkObjectMeta(kind: string, metadata: unknown): string[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return ['metadata: is required (with metadata.name)'];
  }
  const meta = metadata as Record<string, unknown>;
  const problems: string[] = [];
  const rule = NAME_RULES[kind] ?? SUBDOMAIN;
  const name = meta.name;
  if (typeof name === 'string' && name.length > 0) {
    if (!rule.test(name)) problems.push(`metadata.name: ${JSON.stringify(name)} is not valid for a ${kind}: must be ${rule.describe}`);
  } else if (typeof meta.generateName === 'string' && meta.generateName.length > 0) {
    // generateName is a prefix: the server appends 5 random characters.
    const prefix = meta.generateName.replace(/-$/, '');
    if (prefix.length > 0 && !rule.test(prefix)) problems.push(`metadata.generateName: ${JSON.stringify(meta.generateName)} is not a valid prefix: must be ${rule.describe}`);
  } else {
    problems.push('metadata.name: is required (or metadata.generateName)');
  }
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !isDns1123Label(meta.namespace))) {
    problems.push(`metadata.namespace: ${JSON.stringify(meta.namespace)} must be ${LABEL.describe}`);
  }
  problems.push(...checkLabelsAndAnnotations(meta, 'metadata'));
  return problems;
}

/** Label keys/values and annotation keys (used for objects and for pod template metadata). */
export function checkLabelsAndAnnotations(meta: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  const labels = meta.labels;
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      const at = joinPath(joinPath(path, 'labels'), k);
      for (const p of qualifiedNameProblems(k)) problems.push(`${at}: invalid label key: ${p}`);
      for (const p of labelValueProblems(v)) problems.push(`${at}: invalid label value ${JSON.stringify(v)}: ${p}`);
    }
  }
  const annotations = meta.annotations;
  if (annotations && typeof annotations === 'object' && !Array.isArray(annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(annotations)) {
      // ValidateAnnotations lower-cases the key first: upper case is allowed in annotation keys.
      for (const p of qualifiedNameProblems(k.toLowerCase())) problems.push(`${joinPath(joinPath(path, 'annotations'), k)}: invalid annotation key: ${p}`);
      size += k.length + (typeof v === 'string' ? v.length : 0);
    }
    if (size > MAX_ANNOTATIONS_BYTES) problems.push(`${path}.annotations: total size ${size} exceeds ${MAX_ANNOTATIONS_BYTES} bytes`);
  }
  return problems;
}
