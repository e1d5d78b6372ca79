/**
 * Regenerates the typed CRD bindings in src/imports/ from the pinned upstream CRDs.
 *
 * Run with `npx projen import`. The CRDs are read from ../shared/crds (override with
 * CDK8S_ML_SCALING_SHARED_DIR) and never copied into the project.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

const root = path.resolve(__dirname, '..');
const shared = process.env.CDK8S_ML_SCALING_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const crds = path.join(shared, 'crds');
const out = path.join(root, 'src', 'imports');

interface Group {
  /** module name: becomes src/imports/<module>.ts */
  readonly module: string;
  readonly project: string;
  readonly files: string[];
  /** served versions to keep; undefined keeps every served version */
  readonly versions?: string[];
}

// One import per API group: `cdk8s import` writes one file per group and a second import would overwrite it.
const groups: Group[] = [
  { module: 'keda.sh', project: 'KEDA v2.20.2', files: ['keda/keda.sh_scaledobjects.yaml', 'keda/keda.sh_triggerauthentications.yaml'] },
  // v1 only: v1beta2 is listed but not served; the checkpoint CRD is the VPA's internal state.
  { module: 'autoscaling.k8s.io', project: 'VPA 1.7.1', files: ['vpa/vpa-v1-crd-gen.yaml'], versions: ['v1'] },
  { module: 'karpenter.sh', project: 'Karpenter v1.14.1', files: ['karpenter/karpenter.sh_nodepools.yaml'] },
  { module: 'karpenter.k8s.aws', project: 'Karpenter v1.14.1', files: ['karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml'] },
  // Kueue v0.19.2 (issue 17, Kueue): the kinds KueueQueues writes; v1beta2 only (v1beta1 is served but deprecated).
  { module: 'kueue.x-k8s.io', project: 'Kueue v0.19.2', files: ['kueue/kueue.x-k8s.io_resourceflavors.yaml', 'kueue/kueue.x-k8s.io_clusterqueues.yaml', 'kueue/kueue.x-k8s.io_localqueues.yaml', 'kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml'], versions: ['v1beta2'] },
  // Gateway API Inference Extension v1.6.0 (issue 16, the inference gateway): InferencePool only. InferencePoolImport has no
  // spec (status only, written by a multi-cluster controller); HTTPRoute is not generated (see the README written below).
  { module: 'inference.networking.k8s.io', project: 'Gateway API Inference Extension v1.6.0', files: ['gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml'] },
  { module: 'monitoring.coreos.com', project: 'prometheus-operator v0.93.0', files: ['prometheus-operator/monitoring.coreos.com_servicemonitors.yaml', 'prometheus-operator/monitoring.coreos.com_podmonitors.yaml', 'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml'] },
];

/** Kinds we do not bind even though their file holds them (internal state, not something users create). */
const skipKinds = new Set(['VerticalPodAutoscalerCheckpoint']);

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function main() {
  if (!fs.existsSync(crds)) {
    throw new Error(`CRD folder ${crds} not found: set CDK8S_ML_SCALING_SHARED_DIR to the folder that holds crds/`);
  }
  const cliVersion = JSON.parse(fs.readFileSync(require.resolve('cdk8s-cli/package.json'), 'utf8')).version as string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const rows: string[] = [];
  // `cdk8s import` records every import in cdk8s.yaml (with our temporary paths): keep the file as it is.
  const cdk8sYaml = path.join(root, 'cdk8s.yaml');
  const cdk8sYamlBefore = fs.readFileSync(cdk8sYaml, 'utf8');
  for (const group of groups) {
    const docs: string[] = [];
    for (const rel of group.files) {
      const file = path.join(crds, rel);
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const crd = doc.toJS();
        if (!crd || skipKinds.has(crd.spec?.names?.kind)) continue;
        crd.spec.versions = crd.spec.versions.filter((v: any) => v.served && (!group.versions || group.versions.includes(v.name)));
        docs.push(stringify(crd));
      }
      rows.push(`| ${group.project} | \`${rel}\` | \`${sha256(file)}\` |`);
    }
    const merged = path.join(tmp, `${group.module}.yaml`);
    fs.writeFileSync(merged, docs.join('---\n'));
    execFileSync('npx', ['cdk8s', 'import', `${group.module}:=${merged}`, '--language', 'typescript', '--output', tmp, '--no-check-upgrade'], { stdio: 'inherit', cwd: root });
    // The generator names the file `<name>-<group>.ts`; keep one plain module per group.
    const generated = fs.readdirSync(tmp).filter(f => f.endsWith('.ts'));
    if (generated.length !== 1) throw new Error(`expected one generated module for ${group.module}, got ${generated.join(', ')}`);
    fs.renameSync(path.join(tmp, generated[0]), path.join(out, `${group.module}.ts`));
  }
  fs.writeFileSync(path.join(out, 'README.md'), [
    '# Generated CRD bindings',
    '',
    'Generated by `npx projen import` (scripts/import-crds.ts); never edit by hand.',
    `Generator: cdk8s-cli ${cliVersion} (\`cdk8s import --language typescript\`).`,
    'These types are internal: nothing here is exported from src/index.ts, and the constructs load',
    'each module lazily (src/constructs/internal/bindings.ts), so an app pays only for the groups it uses.',
    '',
    '## Which kinds are typed, and why',
    '',
    'Every custom resource the library writes is built through its class here, so the compiler checks its',
    'field names, except the kinds that embed a pod template, decided by measurement (`npx projen bench:bindings`):',
    '',
    '- Kinds that embed a pod template are not generated: KubeRay (RayCluster, RayJob, RayService), KEDA\'s',
    '  ScaledJob and LeaderWorkerSet v0.10.0 (its CRD, 1.3 MB, embeds two pod templates and volumeClaimTemplates).',
    '  RayCluster and RayJob alone generated 3.2 MB of TypeScript (72,000 lines), which added about 8 s',
    '  to every jsii compile and 50 ms to loading the module (150 ms with the inline source maps jsii writes);',
    '  ScaledJob was 0.9 MB of the 1 MB KEDA module (38 ms to load; ScaledObject and TriggerAuthentication alone',
    '  load in 2 ms). And the generated classes convert every quantity of the embedded pod template through wrapper',
    '  classes of their own, while the library builds every pod template as JSON with its one pod builder',
    '  (src/constructs/internal/pod.ts). These objects are plain `ApiObject`s, validated in the tests strictly',
    '  against the pinned CRDs and their CEL rules like every other object.',
    '- Gateway API\'s HTTPRoute (v1.6.1, standard channel) is not generated either: its CRD is 429 KB (filters, matches and',
    '  both served versions), for the one route `InferencePool` writes (parent refs, a path match, an optional header match,',
    '  one backend). It is a plain `ApiObject`, validated in the tests strictly against the pinned CRD and its 52 CEL rules.',
    '',
    'Built-in Kubernetes kinds come from the `k8s` classes of cdk8s-plus-28, never generated here.',
    '',
    '| project | CRD file (in shared/crds) | sha256 |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(cdk8sYaml, cdk8sYamlBefore);
}

main();
