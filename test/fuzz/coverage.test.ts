/**
 * Every public entry point is fuzzed: each constructor and each method that takes arguments, as the jsii assembly
 * (.jsii, written by `npx projen compile`) lists them, is called in at least one fuzz test. A new construct, planner or
 * factory without a fuzz target fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeIf } from '../skip';

const root = path.join(__dirname, '..', '..');
const assemblyFile = path.join(root, '.jsii');
const fuzzDir = __dirname;

/** The source of every fuzz test and generator, one string per file. */
function fuzzSources(): string[] {
  return fs.readdirSync(fuzzDir).filter((f) => f.endsWith('.ts') && f !== 'coverage.test.ts')
    .map((f) => fs.readFileSync(path.join(fuzzDir, f), 'utf8'));
}

/**
 * What a fuzz test must contain to call each entry point: `new X(`, `X.method(` (static) or `.method(`; or, for a
 * table of factories called by name (`(ScalingMetric as any)[name](...)`), the name as a quoted string.
 */
function entryPoints(): { entry: string; call: string; className: string; byName?: string }[] {
  const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
  const out: { entry: string; call: string; className: string; byName?: string }[] = [];
  for (const t of Object.values<any>(assembly.types)) {
    if (t.kind !== 'class') continue;
    if (t.initializer && (t.initializer.parameters ?? []).length > 0 && !t.initializer.protected) out.push({ entry: `new ${t.name}`, call: `new ${t.name}(`, className: t.name });
    for (const m of t.methods ?? []) {
      if ((m.parameters ?? []).length === 0 || m.protected) continue;
      out.push(m.static
        ? { entry: `${t.name}.${m.name}`, call: `${t.name}.${m.name}(`, className: t.name, byName: `'${m.name}'` }
        : { entry: `${t.name}#${m.name}`, call: `.${m.name}(`, className: t.name });
    }
  }
  return out;
}

const available = fs.existsSync(assemblyFile);
describeIf(available || !!process.env.CI, `${assemblyFile} not found (run npx projen compile first)`)('the fuzz suite covers the public API', () => {
  test('every constructor and every method with arguments in the jsii assembly is called by a fuzz test', () => {
    expect(available).toBe(true);
    const sources = fuzzSources();
    const entries = entryPoints();
    expect(entries.length).toBeGreaterThan(50);
    const called = (e: { call: string; className: string; byName?: string }) => sources.some((src) => src.includes(e.call)
      || (e.byName !== undefined && src.includes(e.byName) && src.includes(`(${e.className} as any)[`)));
    expect(entries.filter((e) => !called(e)).map((e) => e.entry)).toEqual([]);
  });
});
