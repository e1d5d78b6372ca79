/**
 * `npm run package` outside CI: builds every package this machine can build into dist/, and says which it skipped
 * and why, instead of stopping at the first language whose toolchain or registry is missing.
 *
 * - JavaScript (dist/js/cdk8s-ml-scaling@<version>.tgz) must build: a failure there fails the command.
 * - Java, Python, .NET and Go are built when their toolchain is installed. jsii-pacmak fetches build plugins and tools
 *   from Maven Central, PyPI, NuGet and the Go proxy; when one is out of reach, the language is reported as skipped
 *   with the line that says so. Any other failure fails the command, with the end of its output.
 *
 * Run after `npx projen compile`. `npx projen pacmak:all` generates the four bindings' source without any registry.
 */
import { spawnSync } from 'child_process';

interface Target {
  readonly name: string;
  readonly pacmak: string;
  /** Commands that must be on PATH. */
  readonly tools: string[];
}

const TARGETS: Target[] = [
  { name: 'Java', pacmak: 'java', tools: ['java', 'mvn'] },
  { name: 'Python', pacmak: 'python', tools: ['python3'] },
  { name: '.NET', pacmak: 'dotnet', tools: ['dotnet'] },
  { name: 'Go', pacmak: 'go', tools: ['go'] },
];

/** Lines that mean a package registry or a download could not be reached (Maven, pip, NuGet, the Go proxy). */
const UNREACHABLE = [
  /PluginResolutionException/,
  /Could not (transfer|resolve) (artifact|dependencies|plugin)/i,
  /Failed to establish a new connection/,
  /Could not find a version that satisfies the requirement/,
  /No matching distribution found/,
  /Unable to load the service index for source/,
  /dial tcp: /,
  /(proxy\.golang\.org|sum\.golang\.org).*(timeout|refused|no such host)/,
  /(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)/,
  /Temporary failure in name resolution/,
];

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function pacmak(target: string): { ok: boolean; output: string } {
  const run = spawnSync('npx', ['jsii-pacmak', '-v', '--target', target], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}\n${run.stderr ?? ''}` };
}

function tail(output: string, lines = 15): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

const results: string[] = [];
let failed = false;

process.stdout.write('package JavaScript (jsii-pacmak --target js) ...\n');
const js = pacmak('js');
if (!js.ok) {
  process.stderr.write(`${tail(js.output, 30)}\nthe JavaScript package failed: it is the one every other language wraps\n`);
  process.exit(1);
}
results.push('built    JavaScript  dist/js/ (npm install ./dist/js/cdk8s-ml-scaling@*.tgz in your app)');

for (const t of TARGETS) {
  const missing = t.tools.filter(tool => !onPath(tool));
  if (missing.length > 0) {
    results.push(`skipped  ${t.name.padEnd(10)}  ${missing.join(', ')} not found on PATH`);
    continue;
  }
  process.stdout.write(`package ${t.name} (jsii-pacmak --target ${t.pacmak}) ...\n`);
  const run = pacmak(t.pacmak);
  if (run.ok) {
    results.push(`built    ${t.name.padEnd(10)}  dist/${t.pacmak}/`);
    continue;
  }
  const line = run.output.split('\n').find(l => UNREACHABLE.some(re => re.test(l)));
  if (line) {
    results.push(`skipped  ${t.name.padEnd(10)}  its registry is out of reach: ${line.replace(/^#STD(OUT|ERR)> /, '').trim().slice(0, 160)}`);
  } else {
    failed = true;
    results.push(`FAILED   ${t.name.padEnd(10)}  see the output above`);
    process.stderr.write(`${tail(run.output)}\n`);
  }
}

process.stdout.write(`\n${results.join('\n')}\n`);
if (results.some(r => r.startsWith('skipped'))) {
  process.stdout.write('the source of every language\'s bindings, without any registry: npx projen pacmak:all (into bindings-check/)\n');
}
process.exit(failed ? 1 : 0);
