/**
 * The README's quick start, exactly as a user pastes it into a new cdk8s app's main.ts: the one change is the import
 * of 'cdk8s-ml-scaling', which points at this checkout's source. It must synthesize, pass the guardrails it sets up,
 * and every object it writes must be valid against its upstream schema. jsii-rosetta compiles the same block against
 * the published API (`npx projen post-compile`), so it also type-checks as a user's ts-node would.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectConformant } from './conformance';

const ROOT = path.join(__dirname, '..');

/** The first ```ts block after the "## Quick start" heading. */
function quickStart(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start\n'));
  const block = /\n```ts[^\n]*\n([\s\S]*?)\n```\n/.exec(section);
  if (!block) throw new Error('README.md has no ```ts block under "## Quick start"');
  return `${block[1]}\n`;
}

/** Runs the app in its own folder, as `cdk8s synth` runs main.ts; returns the objects it wrote, by file. */
function synthApp(name: string, code: string): Record<string, any[]> {
  const dir = path.join(ROOT, 'test-reports', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const src = path.relative(dir, path.join(ROOT, 'src')).split(path.sep).join('/');
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, code.replace(/from 'cdk8s-ml-scaling';/g, `from '${src}';`));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- main.ts runs when loaded, as ts-node runs it
    jest.isolateModules(() => require(file));
  } finally {
    process.chdir(cwd);
  }
  const out: Record<string, any[]> = {};
  for (const f of fs.readdirSync(path.join(dir, 'dist')).sort()) {
    out[f] = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', f), 'utf8')).map(d => d.toJSON()).filter(Boolean);
  }
  return out;
}

describe('the README quick start', () => {
  const code = quickStart();

  test('is a whole program: it imports the library, adds the guardrails and synthesizes', () => {
    expect(code).toMatch(/from 'cdk8s-ml-scaling';/);
    expect(code).toMatch(/new ScalingGuardrails\(app, /);
    expect(code).toMatch(/app\.synth\(\);\n$/);
  });

  test('synthesizes as pasted, every object valid, no warning printed', () => {
    const warn = jest.spyOn(console, 'warn');
    const objects = synthApp('quick-start', code);
    expect(warn).not.toHaveBeenCalled();
    expect(Object.keys(objects)).toEqual(['capacity.k8s.yaml', 'monitoring.k8s.yaml', 'serving.k8s.yaml']);
    const all = Object.values(objects).flat();
    expectConformant(all);
    const kinds = all.map(o => o.kind).sort();
    expect(kinds).toEqual([
      'ConfigMap', 'Deployment', 'EC2NodeClass', 'HorizontalPodAutoscaler', 'Job', 'NodePool', 'NodePool',
      'PodDisruptionBudget', 'PrometheusRule', 'PrometheusRule', 'Service', 'ServiceMonitor',
    ]);
    // The server reads the gated model's token from the Secret, never from the manifest.
    const server = all.find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(server.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } });
  });

  test('what the README says of it holds: at maxReplicas 12 the pool cannot hold the service, and synth says so', () => {
    expect(code).toMatch(/maxReplicas: 8,/);
    expect(() => synthApp('quick-start-too-big', code.replace('maxReplicas: 8,', 'maxReplicas: 12,'))).toThrow(/pool-capacity/);
  });
});
