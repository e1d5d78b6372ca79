import * as fs from 'fs';
import * as path from 'path';

/**
 * The layering of src/ (README, "Layout"), read from the import statements of the sources themselves:
 * each layer imports only lower layers, a layer's `internal/` folder is private to that layer, and no
 * two files import each other, directly or through others.
 */
const SRC = path.join(__dirname, '..', 'src');

/** Lowest first; a file may import files of its own layer or of a lower one. */
const LAYERS = ['imports', 'common', 'planning', 'values', 'constructs', 'guardrails', 'cli', 'index.ts'];
/** Generated bindings are the constructs' own: nothing else loads them. */
const IMPORTS_USERS = ['constructs'];

/** Known exceptions, each to be removed by the change that fixes it (none left). */
const PENDING: string[] = [];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of a file (static, type-only, dynamic and `require`), resolved to files under src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom|\bimport|\brequire\(|\bimport\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(m => m[1]);
  return specs.map(spec => {
    const base = path.resolve(path.dirname(file), spec);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
    if (!found) throw new Error(`${rel(file)}: cannot resolve import '${spec}'`);
    return found;
  });
}

const rel = (f: string) => path.relative(SRC, f).replace(/\\/g, '/');
const layerOf = (f: string) => {
  const r = rel(f);
  const layer = r.includes('/') ? r.split('/')[0] : r;
  if (!LAYERS.includes(layer)) throw new Error(`${r} is in no layer: add its folder to LAYERS and to the README's Layout`);
  return layer;
};

const files = sources(SRC).filter(f => !rel(f).startsWith('imports/'));
const graph = new Map(files.map(f => [f, importsOf(f)]));

describe('layout of src/', () => {
  test('each layer imports only lower layers (generated bindings only from constructs)', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const from = layerOf(file), to = layerOf(dep);
        const upward = LAYERS.indexOf(to) > LAYERS.indexOf(from);
        const bindings = to === 'imports' && !IMPORTS_USERS.includes(from);
        if (upward || bindings) wrong.push(`${rel(file)} (${from}) imports ${rel(dep)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("a layer's internal/ folder is imported only from inside that layer's folder", () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const r = rel(dep);
        const i = r.indexOf('/internal/');
        if (i < 0) continue;
        const owner = r.slice(0, i + 1);
        if (!rel(file).startsWith(owner) && !PENDING.includes(`${rel(file)} -> ${r}`)) wrong.push(`${rel(file)} imports ${r}, private to ${owner}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('no internal module imports a public module of its own layer that is a construct', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      if (!rel(file).includes('/internal/')) continue;
      for (const dep of deps) {
        if (/^constructs\/[^/]+\.ts$/.test(rel(dep))) wrong.push(`${rel(file)} imports the construct file ${rel(dep)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('no import cycles', () => {
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    let index = 0;
    const order = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      order.set(v, index); low.set(v, index); index++;
      stack.push(v); onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!order.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, order.get(w)!));
        }
      }
      if (low.get(v) === order.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(rel(w));
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!order.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  test('the checks see the whole tree', () => {
    expect(files.length).toBeGreaterThan(60);
    for (const layer of LAYERS.filter(l => l !== 'index.ts' && l !== 'imports')) {
      expect(files.some(f => layerOf(f) === layer)).toBe(true);
    }
  });
});
