/**
 * Conformance check for synthesized manifests, shared by every construct test:
 * - strict structural validation against the upstream schema of each kind (Kubernetes 1.28
 *   OpenAPI v3 for built-in kinds, the pinned CRDs for custom resources), on a defaulted copy;
 * - metadata names, namespaces, label and annotation syntax;
 * - resource quantities and the container requests/limits rules;
 * - the CEL rules (`x-kubernetes-validations`) of the CRDs, as on create;
 * - Pod Security "restricted" on every pod template.
 *
 * The schemas live outside the repository (../shared, or $CDK8S_ML_SCALING_SHARED_DIR). Without
 * them only the checks that need no schema run, with a one-line notice; with
 * CDK8S_ML_SCALING_REQUIRE_SCHEMAS=1 (CI) a missing folder fails instead.
 */
import os from 'os';
import { App, Chart, Testing } from 'cdk8s';
import { checkBuiltinSemantics } from './builtin-rules';
import { walkCustomResource, pruneNulls } from './crd-walk';
import { checkLabelsAndAnnotations, checkObjectMeta } from './names';
import { operatorViolations } from './operators';
import { describeObject, podSecurityViolations } from './pod-security';
import { containersOf, findPodTemplates, joinPath } from './pod-templates';
import { checkContainerResources } from './quantity';
import { formatAjvErrors, schemaAvailability, SchemaStore, sharedDir } from './schema-loader';

export interface ConformanceResult {
  /** Objects validated against a schema (0 when the schema folder is unavailable). */
  readonly validated: number;
  /** Every violation, as `Kind/name: path: message`. */
  readonly errors: string[];
  readonly celRulesEvaluated: number;
  /** Transition rules (using oldSelf), which apply on update only. */
  readonly celRulesSkipped: number;
  /** Objects validated against a schema, by kind. */
  readonly byKind: Record<string, number>;
}

export const REQUIRE_SCHEMAS_ENV = 'CDK8S_ML_SCALING_REQUIRE_SCHEMAS';

export function conformanceAvailability(): { available: boolean; reason: string } {
  return schemaAvailability(sharedDir());
}

/** true when CI demands the schemas (CDK8S_ML_SCALING_REQUIRE_SCHEMAS=1). */
export function schemasRequired(): boolean {
  const v = process.env[REQUIRE_SCHEMAS_ENV];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

const stores = new Map<string, SchemaStore>();

function store(): SchemaStore | undefined {
  const dir = sharedDir();
  if (!schemaAvailability(dir).available) return undefined;
  let s = stores.get(dir);
  if (!s) {
    s = new SchemaStore(dir);
    stores.set(dir, s);
  }
  return s;
}

/**
 * Validates plain manifest objects. Never throws for a violation: every problem is returned in
 * `errors`. Schema checks are skipped (validated = 0) when the schema folder is unavailable.
 */
export function validateManifests(objects: any[]): ConformanceResult {
  const schemas = store();
  const errors: string[] = [];
  const byKind: Record<string, number> = {};
  let validated = 0;
  let celRulesEvaluated = 0;
  let celRulesSkipped = 0;

  for (const obj of objects) {
    const label = describeObject(obj);
    // A Set: the schema and the quantity check may both report the same bad quantity.
    const found = new Set<string>();
    const report = (lines: string[]) => lines.forEach((l) => found.add(`${label}: ${l}`));
    checkObject(obj, schemas, report, (evaluated, skipped, kind) => {
      validated++;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      celRulesEvaluated += evaluated;
      celRulesSkipped += skipped;
    });
    errors.push(...found);
  }
  errors.push(...podSecurityViolations(objects));
  errors.push(...operatorViolations(objects));
  return { validated, errors, celRulesEvaluated, celRulesSkipped, byKind };
}

/** All checks of one object except Pod Security; `onValidated` when a schema was applied. */
function checkObject(
  obj: any,
  schemas: SchemaStore | undefined,
  report: (lines: string[]) => void,
  onValidated: (celEvaluated: number, celSkipped: number, kind: string) => void,
): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    report([`<root>: not an object: ${JSON.stringify(obj)}`]);
    return;
  }
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    report(['<root>: apiVersion and kind must be strings']);
    return;
  }
  report(checkObjectMeta(obj.kind, obj.metadata));
  report(checkBuiltinSemantics(obj));
  for (const t of findPodTemplates(obj)) {
    if (t.path !== '') report(checkLabelsAndAnnotations(t.metadata, joinPath(t.path, 'metadata')));
    for (const c of containersOf(t)) {
      if (!c.injectedBy) report(checkContainerResources(c.container.resources, joinPath(c.path, 'resources')));
    }
  }
  if (!schemas) return;
  const lookup = schemas.lookup(obj.apiVersion, obj.kind);
  if (!lookup.ok) {
    report([lookup.error]);
    return;
  }
  const k = lookup.schema;
  // The API server validates after pruning nulls and applying schema defaults: do the same on
  // a copy, so the caller's object stays untouched.
  const copy = structuredClone(obj);
  pruneNulls(copy, k.schema);
  try {
    if (!k.validate(copy)) report(formatAjvErrors(k.validate.errors));
  } catch (e) {
    report([`<root>: cannot validate against ${k.source}: ${(e as Error).message}`]);
  }
  let evaluated = 0;
  let skipped = 0;
  if (k.crd && k.schema) {
    const walk = walkCustomResource(k.schema, copy);
    report(walk.errors);
    evaluated = walk.celRulesEvaluated;
    skipped = walk.celRulesSkipped;
  }
  onValidated(evaluated, skipped, obj.kind);
}

/** Pod Security "restricted" violations of every pod template (needs no schema folder). */
export function checkPodSecurity(objects: any[]): string[] {
  return podSecurityViolations(objects);
}

// Kept on the `os` core module: each jest test file has its own module registry, but core
// modules are shared by the whole process, so the skip notice is printed once per process.
const NOTICE_FLAG = Symbol.for('cdk8s-ml-scaling.conformance.skip-notice');

/** The one-line notice when the schema folder is missing; throws when schemas are required. */
export function noticeSchemasUnavailable(): void {
  const { available, reason } = conformanceAvailability();
  if (available) return;
  if (schemasRequired()) {
    throw new Error(`conformance: ${reason} (${REQUIRE_SCHEMAS_ENV} is set, so schema checks may not be skipped)`);
  }
  const holder = os as unknown as Record<symbol, boolean>;
  if (holder[NOTICE_FLAG]) return;
  holder[NOTICE_FLAG] = true;
  // Straight to stderr: jest decorates console.warn with a stack frame, this is one line.
  process.stderr.write(`conformance: ${reason} — skipping schema checks\n`);
}

/** What tests that need the schemas should do: run them, skip them, or fail (CI). */
export function schemaTestMode(): 'run' | 'skip' | 'fail' {
  if (conformanceAvailability().available) return 'run';
  return schemasRequired() ? 'fail' : 'skip';
}

/**
 * `describe` for tests that need the schemas: skipped with the one-line notice when the folder
 * is missing, failing when CDK8S_ML_SCALING_REQUIRE_SCHEMAS=1.
 */
export function describeWithSchemas(name: string, fn: () => void): void {
  switch (schemaTestMode()) {
    case 'run':
      describe(name, fn);
      break;
    case 'fail':
      describe(name, () => {
        test('needs the schema folder', () => noticeSchemasUnavailable());
      });
      break;
    case 'skip':
      noticeSchemasUnavailable();
      describe.skip(`${name} [skipped: ${conformanceAvailability().reason}]`, fn);
      break;
  }
}

function synthesize(input: Chart | App | any[]): any[] {
  if (Array.isArray(input)) return input;
  if (Chart.isChart(input)) return Testing.synth(input);
  if (input instanceof App || Array.isArray((input as App)?.charts)) return (input as App).charts.flatMap((c) => Testing.synth(c));
  throw new Error('expectConformant: expected a cdk8s Chart, App or an array of manifests');
}

/**
 * Synthesizes a Chart (or every chart of an App), validates every object and throws one Error
 * listing every violation. Returns the synthesized manifests.
 */
export function expectConformant(input: Chart | App | any[]): any[] {
  const manifests = synthesize(input);
  noticeSchemasUnavailable();
  const result = validateManifests(manifests);
  if (result.errors.length > 0) {
    const lines = result.errors.map((e) => `  - ${e}`).join('\n');
    throw new Error(`${result.errors.length} conformance violation(s) in ${manifests.length} object(s):\n${lines}`);
  }
  return manifests;
}
