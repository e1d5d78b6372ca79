/**
 * Reads group, kind and versions (name/served/deprecated) of the CustomResourceDefinitions in a
 * YAML file without parsing the whole file: KubeRay's CRDs are ~1 MB of YAML each, and the
 * index of every CRD is needed before we know which one an object needs. Works on the block
 * layout that controller-gen and kubectl emit; a test checks it against a full YAML parse.
 */

export interface ScannedCrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly deprecated: boolean;
}

export interface ScannedCrd {
  /** Index of the YAML document in the file. */
  readonly doc: number;
  readonly group: string;
  readonly kind: string;
  readonly versions: ScannedCrdVersion[];
}

interface Line {
  readonly indent: number;
  readonly text: string; // without indentation
}

function scalar(v: string): string {
  const t = v.replace(/\s+#.*$/, '').trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('\'') && t.endsWith('\''))) return t.slice(1, -1);
  return t;
}

/** Key/value of a `key: value` line, or undefined. */
function keyValue(text: string): [string, string] | undefined {
  const m = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(text);
  return m ? [m[1], m[2] ?? ''] : undefined;
}

export function scanCrds(yamlText: string): ScannedCrd[] {
  const docs = yamlText.split(/^---[ \t]*$/m);
  const out: ScannedCrd[] = [];
  let docIndex = -1;
  for (const doc of docs) {
    const lines: Line[] = [];
    for (const raw of doc.split('\n')) {
      const trimmed = raw.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      lines.push({ indent: raw.length - trimmed.length, text: trimmed.trimEnd() });
    }
    if (lines.length === 0) continue;
    docIndex++;
    const crd = scanDocument(lines, docIndex);
    if (crd) out.push(crd);
  }
  return out;
}

/** Lines of the block under the key at index i (deeper indentation, or `- ` at the same indentation). */
function block(lines: Line[], i: number): Line[] {
  const parent = lines[i].indent;
  const out: Line[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (l.indent < parent || (l.indent === parent && !l.text.startsWith('- '))) break;
    out.push(l);
  }
  return out;
}

function scanDocument(lines: Line[], doc: number): ScannedCrd | undefined {
  const top = lines.filter((l) => l.indent === 0);
  const kindLine = top.find((l) => keyValue(l.text)?.[0] === 'kind');
  if (!kindLine || scalar(keyValue(kindLine.text)![1]) !== 'CustomResourceDefinition') return undefined;
  const specIdx = lines.findIndex((l) => l.indent === 0 && l.text === 'spec:');
  if (specIdx < 0) return undefined;
  const spec = block(lines, specIdx);
  if (spec.length === 0) return undefined;
  const childIndent = spec[0].indent;
  let group = '';
  let kind = '';
  const versions: ScannedCrdVersion[] = [];
  for (let i = 0; i < spec.length; i++) {
    const l = spec[i];
    if (l.indent !== childIndent) continue;
    const kv = keyValue(l.text);
    if (!kv) continue;
    if (kv[0] === 'group') group = scalar(kv[1]);
    if (kv[0] === 'names') {
      const names = block(spec, i);
      const nameIndent = names[0]?.indent;
      const k = names.find((n) => n.indent === nameIndent && keyValue(n.text)?.[0] === 'kind');
      if (k) kind = scalar(keyValue(k.text)![1]);
    }
    if (kv[0] === 'versions') versions.push(...scanVersions(block(spec, i)));
  }
  if (!group || !kind) return undefined;
  return { doc, group, kind, versions };
}

function scanVersions(items: Line[]): ScannedCrdVersion[] {
  if (items.length === 0 || !items[0].text.startsWith('- ')) return [];
  const dashIndent = items[0].indent;
  const keyIndent = dashIndent + 2;
  const out: ScannedCrdVersion[] = [];
  let current: { name?: string; served?: boolean; deprecated?: boolean } | undefined;
  const flush = () => {
    if (current?.name) out.push({ name: current.name, served: current.served === true, deprecated: current.deprecated === true });
  };
  for (const l of items) {
    let text: string | undefined;
    if (l.indent === dashIndent && l.text.startsWith('- ')) {
      flush();
      current = {};
      text = l.text.slice(2).trimStart();
    } else if (l.indent === keyIndent) {
      text = l.text;
    }
    const kv = text !== undefined ? keyValue(text) : undefined;
    if (!kv || !current) continue;
    if (kv[0] === 'name') current.name = scalar(kv[1]);
    if (kv[0] === 'served') current.served = scalar(kv[1]) === 'true';
    if (kv[0] === 'deprecated') current.deprecated = scalar(kv[1]) === 'true';
  }
  flush();
  return out;
}
