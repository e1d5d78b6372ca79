import { spawnSync } from 'child_process';
import * as path from 'path';
import * as f from './fixtures';

const REPO = path.resolve(__dirname, '../..');
const MISSING = path.join(REPO, 'no-such-shared-folder');

/** Runs `code` in a fresh Node process with the conformance module loaded as `c`. */
function runInFreshProcess(code: string, env: Record<string, string>) {
  const script = `const c = require('./test/conformance/index'); const f = require('./test/conformance/fixtures'); ${code}`;
  return spawnSync(process.execPath, ['-r', 'ts-node/register', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: '1',
      TS_NODE_PROJECT: path.join(REPO, 'test/tsconfig.json'),
      CDK8S_ML_SCALING_REQUIRE_SCHEMAS: '',
      ...env,
    },
  });
}

describe('without the schema folder', () => {
  const saved = { dir: process.env.CDK8S_ML_SCALING_SHARED_DIR, require: process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS };
  afterEach(() => {
    for (const [key, value] of [['CDK8S_ML_SCALING_SHARED_DIR', saved.dir], ['CDK8S_ML_SCALING_REQUIRE_SCHEMAS', saved.require]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** A fresh copy of the module (as a new test file would get) with the folder missing. */
  function freshModuleWithoutSchemas(): typeof import('./index') {
    process.env.CDK8S_ML_SCALING_SHARED_DIR = MISSING;
    delete process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS; // CI sets it; these tests are about the local default
    let mod: typeof import('./index') | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('./index');
    });
    return mod!;
  }

  test('reports unavailability with the folder and the variable to set', () => {
    const c = freshModuleWithoutSchemas();
    expect(c.conformanceAvailability()).toEqual({
      available: false,
      reason: `schema folder ${MISSING} not found; set CDK8S_ML_SCALING_SHARED_DIR`,
    });
  });

  test('validates nothing, does not throw, and still runs name and Pod Security checks', () => {
    const c = freshModuleWithoutSchemas();
    const d = f.deployment();
    d.metadata.name = 'Bad_Name';
    delete d.spec.template.spec.containers[0].securityContext.capabilities;
    d.spec.template.spec.containerz = []; // a schema error nobody can see without schemas
    const result = c.validateManifests([d, f.rayCluster()]);
    expect(result.validated).toBe(0);
    expect(result.byKind).toEqual({});
    expect(result.errors).toEqual([
      expect.stringContaining('Deployment/Bad_Name: metadata.name: "Bad_Name" is not valid for a Deployment'),
      'Deployment/Bad_Name: spec.template.spec.containers[0].securityContext: container "server" must set capabilities.drop=["ALL"] [capabilities_restricted]',
    ]);
  });

  test('tells tests to skip, or to fail when CDK8S_ML_SCALING_REQUIRE_SCHEMAS=1', () => {
    const c = freshModuleWithoutSchemas();
    expect(c.schemaTestMode()).toBe('skip');
    process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS = '1';
    expect(c.schemaTestMode()).toBe('fail');
    expect(() => c.noticeSchemasUnavailable()).toThrow(
      `conformance: schema folder ${MISSING} not found; set CDK8S_ML_SCALING_SHARED_DIR (CDK8S_ML_SCALING_REQUIRE_SCHEMAS is set, so schema checks may not be skipped)`,
    );
  });

  test('expectConformant prints one line per process and skips the schema checks', () => {
    const run = runInFreshProcess(
      "c.expectConformant(f.allValid()); c.expectConformant([f.deployment()]); console.log('validated', c.validateManifests(f.allValid()).validated);",
      { CDK8S_ML_SCALING_SHARED_DIR: MISSING },
    );
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      `conformance: schema folder ${MISSING} not found; set CDK8S_ML_SCALING_SHARED_DIR — skipping schema checks`,
    ]);
    expect(run.stdout.trim()).toBe('validated 0');
  });

  test('expectConformant fails instead when CDK8S_ML_SCALING_REQUIRE_SCHEMAS=1', () => {
    const run = runInFreshProcess('c.expectConformant([f.deployment()]);', { CDK8S_ML_SCALING_SHARED_DIR: MISSING, CDK8S_ML_SCALING_REQUIRE_SCHEMAS: '1' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`conformance: schema folder ${MISSING} not found; set CDK8S_ML_SCALING_SHARED_DIR (CDK8S_ML_SCALING_REQUIRE_SCHEMAS is set`);
  });

  test('expectConformant still throws for Pod Security violations', () => {
    const c = freshModuleWithoutSchemas();
    const d = f.deployment();
    d.spec.template.spec.hostNetwork = true;
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => c.expectConformant([d])).toThrow(/spec\.template\.spec\.hostNetwork: must not be true \[hostNamespaces\]/);
    } finally {
      write.mockRestore();
    }
  });
});
