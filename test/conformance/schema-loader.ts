/**
 * Finds, loads and compiles the upstream schema of an apiVersion/kind, lazily: a Kubernetes
 * OpenAPI v3 file (one per group-version) for built-in kinds, a served version of a pinned CRD
 * for custom resources. Each validator is compiled once per process (per module registry).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as YAML from 'yaml';
import { addBuiltinEnums } from './builtin-rules';
import { scanCrds } from './crd-scan';
import { goRegExp } from './go-regex';
import { joinPath } from './pod-templates';
import { isQuantity } from './quantity';

export type JsonSchema = Record<string, any>;

export const K8S_SCHEMA_DIR = 'schemas/kubernetes-1.28';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
// Small group-version files to take ObjectMeta from for CRDs (any file would do).
const META_SOURCES = ['apis__scheduling.k8s.io__v1_openapi.json', 'apis__node.k8s.io__v1_openapi.json', 'api__v1_openapi.json'];
// Bump when the cached form of parsed CRD files changes.
const CACHE_FORMAT = 1;

/** Where the shared schema folder is: $CDK8S_ML_SCALING_SHARED_DIR or ../shared next to the repository. */
export function sharedDir(): string {
  const env = process.env.CDK8S_ML_SCALING_SHARED_DIR;
  return env ? path.resolve(env) : path.resolve(__dirname, '../../../shared');
}

export function schemaAvailability(dir = sharedDir()): { available: boolean; reason: string } {
  if (!fs.existsSync(dir)) {
    return { available: false, reason: `schema folder ${dir} not found; set CDK8S_ML_SCALING_SHARED_DIR` };
  }
  const missing = ['crds', K8S_SCHEMA_DIR].filter((d) => !fs.existsSync(path.join(dir, d)));
  if (missing.length > 0) {
    return { available: false, reason: `schema folder ${dir} has no ${missing.join(' or ')}; set CDK8S_ML_SCALING_SHARED_DIR` };
  }
  return { available: true, reason: `schemas from ${dir} (crds/, ${K8S_SCHEMA_DIR}/)` };
}

/** A compiled schema for one apiVersion/kind. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** true for custom resources (schema defaults are applied, CEL rules apply). */
  readonly crd: boolean;
  /** File the schema came from, for messages. */
  readonly source: string;
  readonly validate: ValidateFunction;
  /** The CRD version's openAPIV3Schema after our transforms (custom resources only). */
  readonly schema?: JsonSchema;
}

export type SchemaLookup = { readonly ok: true; readonly schema: KindSchema } | { readonly ok: false; readonly error: string };

interface CrdEntry {
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
}

/** Timings of the expensive steps, for the performance report. */
export const loadTimings: { step: string; ms: number }[] = [];

function timed<T>(step: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    loadTimings.push({ step, ms: Math.round(performance.now() - start) });
  }
}

/** All schemas under one shared folder; built lazily, one instance per folder. */
export class SchemaStore {
  private readonly k8sDir: string;
  private crdIndex?: Map<string, CrdEntry[]>;
  private readonly lookups = new Map<string, SchemaLookup>();
  private readonly builtinDocs = new Map<string, JsonSchema | undefined>();
  private readonly crdFiles = new Map<string, any[]>();
  private builtinAjvInstance?: Ajv;
  private crdAjvInstance?: Ajv;

  constructor(readonly dir: string) {
    this.k8sDir = path.join(dir, K8S_SCHEMA_DIR);
  }

  lookup(apiVersion: string, kind: string): SchemaLookup {
    const key = `${apiVersion}/${kind}`;
    let hit = this.lookups.get(key);
    if (!hit) {
      try {
        hit = this.resolve(apiVersion, kind);
      } catch (e) {
        hit = { ok: false, error: `cannot load the schema for ${apiVersion} ${kind}: ${(e as Error).message}` };
      }
      this.lookups.set(key, hit);
    }
    return hit;
  }

  private resolve(apiVersion: string, kind: string): SchemaLookup {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const builtinFile = group === '' ? `api__${version}_openapi.json` : `apis__${group}__${version}_openapi.json`;
    if (fs.existsSync(path.join(this.k8sDir, builtinFile))) return this.resolveBuiltin(builtinFile, group, version, kind, apiVersion);
    const entries = this.crds().get(`${group}/${kind}`) ?? [];
    const entry = entries.find((e) => e.version === version);
    if (!entry) {
      const served = entries.filter((e) => e.served).map((e) => `${group}/${e.version}`);
      const hint = served.length > 0 ? ` (served: ${served.join(', ')})` : '';
      return { ok: false, error: `no schema for ${apiVersion} ${kind}${hint}` };
    }
    if (!entry.served) {
      const served = entries.filter((e) => e.served).map((e) => `${group}/${e.version}`);
      return { ok: false, error: `no schema for ${apiVersion} ${kind}: version ${version} is not served by ${path.relative(this.dir, entry.file)} (served: ${served.join(', ') || 'none'})` };
    }
    return this.resolveCrd(entry, apiVersion);
  }

  // ---- built-in kinds ----

  private builtinAjv(): Ajv {
    return this.builtinAjvInstance ??= createAjv(false);
  }

  /** A group-version OpenAPI document, transformed and registered with the built-in Ajv. */
  private builtinDoc(file: string): JsonSchema | undefined {
    if (!this.builtinDocs.has(file)) {
      const full = path.join(this.k8sDir, file);
      const doc = fs.existsSync(full) ? timed(`parse ${file}`, () => JSON.parse(fs.readFileSync(full, 'utf8'))) : undefined;
      if (doc) {
        prepareOpenApiDoc(doc, this.builtinAjv());
        this.builtinAjv().addSchema(doc, file);
      }
      this.builtinDocs.set(file, doc);
    }
    return this.builtinDocs.get(file);
  }

  private resolveBuiltin(file: string, group: string, version: string, kind: string, apiVersion: string): SchemaLookup {
    const doc = this.builtinDoc(file)!;
    const schemas: Record<string, JsonSchema> = doc.components?.schemas ?? {};
    const matches = Object.keys(schemas).filter((name) =>
      (schemas[name]['x-kubernetes-group-version-kind'] ?? []).some((g: any) => g.group === group && g.version === version && g.kind === kind));
    // meta.v1 types (DeleteOptions, WatchEvent) list every group-version; prefer the real kind.
    const name = matches.find((n) => !n.startsWith('io.k8s.apimachinery.')) ?? matches[0];
    if (!name) return { ok: false, error: `no schema for ${apiVersion} ${kind} (not in ${K8S_SCHEMA_DIR}/${file})` };
    const validate = timed(`compile ${apiVersion} ${kind}`, () => this.builtinAjv().compile({ $ref: `${file}#/components/schemas/${name}` }));
    return { ok: true, schema: { apiVersion, kind, crd: false, source: `${K8S_SCHEMA_DIR}/${file}#${name}`, validate } };
  }

  // ---- custom resources ----

  private crds(): Map<string, CrdEntry[]> {
    if (!this.crdIndex) {
      const index = new Map<string, CrdEntry[]>();
      for (const file of listYamlFiles(path.join(this.dir, 'crds'))) {
        for (const crd of scanCrds(fs.readFileSync(file, 'utf8'))) {
          const key = `${crd.group}/${crd.kind}`;
          const list = index.get(key) ?? [];
          for (const v of crd.versions) list.push({ file, group: crd.group, kind: crd.kind, version: v.name, served: v.served });
          index.set(key, list);
        }
      }
      this.crdIndex = index;
    }
    return this.crdIndex;
  }

  private crdAjv(): Ajv {
    if (!this.crdAjvInstance) {
      const ajv = createAjv(true);
      // CRD schemas say only `metadata: {type: object}`; the server validates ObjectMeta.
      const file = META_SOURCES.find((f) => fs.existsSync(path.join(this.k8sDir, f)));
      if (!file) throw new Error(`no OpenAPI file with ${OBJECT_META} in ${this.k8sDir}`);
      const doc = JSON.parse(fs.readFileSync(path.join(this.k8sDir, file), 'utf8'));
      prepareOpenApiDoc(doc, ajv);
      ajv.addSchema(doc, 'k8s-meta');
      this.crdAjvInstance = ajv;
    }
    return this.crdAjvInstance;
  }

  private crdDocs(file: string): any[] {
    let docs = this.crdFiles.get(file);
    if (!docs) {
      docs = loadYamlCached(file);
      this.crdFiles.set(file, docs);
    }
    return docs;
  }

  private resolveCrd(entry: CrdEntry, apiVersion: string): SchemaLookup {
    const crd = this.crdDocs(entry.file).find((d) => d?.spec?.group === entry.group && d?.spec?.names?.kind === entry.kind);
    const version = crd?.spec?.versions?.find((v: any) => v?.name === entry.version);
    const raw = version?.schema?.openAPIV3Schema;
    const source = `${path.relative(this.dir, entry.file)} (${entry.version})`;
    if (!raw) return { ok: false, error: `no schema for ${apiVersion} ${entry.kind}: ${source} has no openAPIV3Schema` };
    const ajv = this.crdAjv();
    const schema = structuredClone(raw) as JsonSchema;
    strictify(schema, ajv);
    schema.properties = { ...schema.properties, metadata: { $ref: `k8s-meta#/components/schemas/${OBJECT_META}` } };
    const validate = timed(`compile ${apiVersion} ${entry.kind}`, () => ajv.compile(hoistDuplicates(schema)));
    return { ok: true, schema: { apiVersion, kind: entry.kind, crd: true, source, validate, schema } };
  }
}

function listYamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listYamlFiles(full));
    else if (/\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out;
}

// ---- parsed-YAML disk cache ----

/** node_modules/.cache/cdk8s-ml-scaling-conformance of this repository (override: env). */
export function cacheDir(): string | undefined {
  const env = process.env.CDK8S_ML_SCALING_CONFORMANCE_CACHE;
  if (env === '0' || env === 'off') return undefined;
  return env ? path.resolve(env) : path.resolve(__dirname, '../../node_modules/.cache/cdk8s-ml-scaling-conformance');
}

/**
 * Parses a (multi-document) YAML file. YAML parsing is most of the first-call cost of the
 * KubeRay CRDs (~0.5 s each), so the result is cached as JSON keyed by the file's SHA-256:
 * an edited or replaced file gets a new key, a stale entry is never read.
 */
export function loadYamlCached(file: string): any[] {
  const text = fs.readFileSync(file);
  const dir = cacheDir();
  const hash = crypto.createHash('sha256').update(text).digest('hex');
  const cached = dir ? path.join(dir, `${path.basename(file)}.${hash.slice(0, 24)}.v${CACHE_FORMAT}.json`) : undefined;
  if (cached && fs.existsSync(cached)) {
    try {
      return timed(`read cache ${path.basename(file)}`, () => JSON.parse(fs.readFileSync(cached, 'utf8')));
    } catch {
      // unreadable or half-written by a crashed run: parse the YAML again
    }
  }
  const docs = timed(`parse ${path.basename(file)}`, () => {
    const parsed = YAML.parseAllDocuments(text.toString('utf8'));
    if (!Array.isArray(parsed)) throw new Error(`${file}: empty YAML stream`);
    return parsed.map((d) => {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS({ maxAliasCount: -1 });
    });
  });
  if (cached && dir) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      // Write then rename: parallel jest workers never see a half-written file.
      const tmp = `${cached}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(docs));
      fs.renameSync(tmp, cached);
    } catch {
      // a read-only checkout just goes without the cache
    }
  }
  return docs;
}

// ---- Ajv setup and schema transforms ----

/** Ajv regExp engine: Go (RE2) patterns translated to JS; untranslatable ones fail loudly at use. */
const goRegExpEngine = Object.assign(
  (pattern: string): { test: (s: string) => boolean } => {
    try {
      return goRegExp(pattern);
    } catch (e) {
      return { test: () => { throw e; } };
    }
  },
  { code: 'goRegExp' },
);

function createAjv(useDefaults: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    // The API server applies CRD schema defaults before it checks `required`.
    useDefaults,
    validateSchema: false,
    logger: false,
    code: { regExp: goRegExpEngine as any },
  });
  addFormats(ajv);
  ajv.addFormat('int-or-string', true);
  ajv.addKeyword({
    keyword: 'x-k8s-quantity',
    schemaType: 'boolean',
    errors: true,
    validate: function quantity(this: unknown, enabled: boolean, data: unknown): boolean {
      if (!enabled || isQuantity(data)) return true;
      (quantity as any).errors = [{
        keyword: 'x-k8s-quantity',
        message: `${JSON.stringify(data)} is not a Kubernetes quantity (e.g. '500m', '2Gi', '1', 4)`,
        params: {},
      }];
      return false;
    },
  });
  return ajv;
}

/**
 * Transforms every component schema of a Kubernetes OpenAPI v3 document in place. Its
 * `default`s are dropped: they document Go zero values (`name: ""`, `creationTimestamp: {}`),
 * and built-in validation is not schema-driven, so applying them would only hide `required`.
 */
function prepareOpenApiDoc(doc: JsonSchema, ajv: Ajv): void {
  const schemas: Record<string, JsonSchema> = doc.components?.schemas ?? {};
  for (const s of Object.values(schemas)) strictify(s, ajv, schemas, true);
  addBuiltinEnums(schemas);
  if (schemas[QUANTITY]) schemas[QUANTITY]['x-k8s-quantity'] = true;
}

const QUANTITY_PATTERN_HINT = '([KMGTPE]i)';

/**
 * Makes a schema strict in place, as the API server is (strict field validation for built-in
 * kinds, pruning of unknown fields for CRDs): `additionalProperties: false` on every object
 * schema that lists properties, unless it keeps unknown fields. Also registers unknown
 * `format`s as permissive and marks int-or-string quantities for the quantity parser.
 */
export function strictify(node: JsonSchema, ajv: Ajv, components?: Record<string, JsonSchema>, dropDefaults = false): void {
  const seen = new Set<JsonSchema>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object' || Array.isArray(n) || seen.has(n as JsonSchema)) return;
    const s = n as JsonSchema;
    seen.add(s);
    for (const key of ['properties', 'patternProperties', 'definitions']) {
      if (s[key] && typeof s[key] === 'object') Object.values(s[key]).forEach(visit);
    }
    for (const key of ['items', 'additionalProperties', 'not']) visit(s[key]);
    for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[key])) s[key].forEach(visit);

    if (dropDefaults) delete s.default;
    if (s['x-kubernetes-int-or-string'] === true) {
      if (!s.anyOf && !s.oneOf && !s.type) s.anyOf = [{ type: 'integer' }, { type: 'string' }];
      if (typeof s.pattern === 'string' && s.pattern.includes(QUANTITY_PATTERN_HINT)) {
        // The quantity parser is exact (the generated pattern also admits `1e1.5`) and says why.
        s['x-k8s-quantity'] = true;
        delete s.pattern;
      }
    }
    if (typeof s.format === 'string' && !(ajv as any).formats[s.format]) ajv.addFormat(s.format, true);
    if (s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) {
      // Properties declared in allOf/anyOf/oneOf branches (or their $ref targets) are known
      // fields too: additionalProperties only sees the sibling `properties`.
      for (const key of ['allOf', 'anyOf', 'oneOf']) {
        for (const branch of Array.isArray(s[key]) ? s[key] : []) {
          const target = branch?.$ref && components ? components[String(branch.$ref).split('/').pop()!] : branch;
          for (const p of Object.keys(target?.properties ?? {})) s.properties[p] ??= {};
        }
      }
      s.additionalProperties = false;
    }
  };
  visit(node);
}

/**
 * Moves large subtrees that occur more than once (KubeRay embeds the same PodTemplateSpec
 * schema for head and worker groups) into `definitions` and references them, so Ajv compiles
 * each once. Only structurally identical subtrees are shared, so validation (and defaulting)
 * is the same; the CEL walk keeps using the original tree.
 */
export function hoistDuplicates(schema: JsonSchema, minChars = 1000): JsonSchema {
  const serialized = new Map<JsonSchema, string>();
  const counts = new Map<string, number>();
  const ser = (n: unknown): string => {
    if (n === null || typeof n !== 'object') return JSON.stringify(n) ?? 'null';
    if (Array.isArray(n)) return `[${n.map(ser).join(',')}]`;
    const s = n as JsonSchema;
    let out = serialized.get(s);
    if (out === undefined) {
      out = `{${Object.keys(s).sort().map((k) => `${JSON.stringify(k)}:${ser(s[k])}`).join(',')}}`;
      serialized.set(s, out);
      if (out.length >= minChars) counts.set(out, (counts.get(out) ?? 0) + 1);
    }
    return out;
  };
  ser(schema);
  const shared = new Map<string, string>();
  for (const [text, n] of counts) if (n > 1) shared.set(text, `s${shared.size}`);
  if (shared.size === 0) return schema;
  const definitions: Record<string, JsonSchema> = {};
  const replace = (n: unknown): unknown => {
    if (n === null || typeof n !== 'object') return n;
    if (Array.isArray(n)) return n.map(replace);
    const s = n as JsonSchema;
    const id = shared.get(serialized.get(s)!);
    if (id !== undefined) {
      if (!definitions[id]) {
        definitions[id] = {}; // placeholder first: a subtree never contains itself
        definitions[id] = replaceChildren(s);
      }
      return { $ref: `#/definitions/${id}` };
    }
    return replaceChildren(s);
  };
  const replaceChildren = (s: JsonSchema): JsonSchema => {
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(s)) {
      // enum/default/example hold data, not schemas
      if (k === 'enum' || k === 'default' || k === 'example' || k === 'x-kubernetes-validations') out[k] = v;
      else if (k === 'properties' || k === 'patternProperties' || k === 'definitions') out[k] = mapValues(v as Record<string, unknown>, replace);
      else out[k] = replace(v);
    }
    return out;
  };
  const root = replaceChildren(schema);
  root.definitions = { ...root.definitions, ...definitions };
  return root;
}

function mapValues(o: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = fn(v);
  return out;
}

// ---- error formatting ----

/** `/spec/template/spec/containers/0` -> `spec.template.spec.containers[0]`. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = joinPath(out, /^\d+$/.test(seg) ? Number(seg) : seg);
  }
  return out || '<root>';
}

/** Human messages from Ajv errors, without the per-branch noise of anyOf/oneOf. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  if (!errors) return [];
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const out = new Set<string>();
  for (const e of errors) {
    if (unions.some((u) => u !== e && u.instancePath === e.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/`))) continue;
    const at = pointerToPath(e.instancePath);
    const p = e.params as Record<string, any>;
    switch (e.keyword) {
      case 'additionalProperties':
        out.add(`${at}: unknown field ${JSON.stringify(p.additionalProperty)} (the schema does not define it; the API server would reject or drop it)`);
        break;
      case 'required':
        out.add(`${at}: missing required field ${JSON.stringify(p.missingProperty)}`);
        break;
      case 'type':
        out.add(`${at}: must be ${p.type}, got ${describeValue(e.data)}`);
        break;
      case 'enum':
        out.add(`${at}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(e.data)}`);
        break;
      case 'anyOf':
      case 'oneOf':
        out.add(`${at}: ${describeValue(e.data)} does not match any allowed type (${describeUnion(e.schema)})`);
        break;
      default:
        out.add(`${at}: ${e.message}${e.keyword === 'pattern' || e.keyword === 'format' ? `, got ${describeValue(e.data)}` : ''}`);
    }
  }
  return [...out];
}

function describeUnion(branches: unknown): string {
  if (!Array.isArray(branches)) return 'see schema';
  return branches.map((b) => b?.type ?? (b?.$ref ? String(b.$ref).split('/').pop() : 'schema')).join(' or ');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
