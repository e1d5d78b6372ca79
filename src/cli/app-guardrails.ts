/**
 * The `"guardrails"` key of the workloads file (`report --app --workloads file.json`): what a user gives
 * `ScalingGuardrails` in code and the manifests cannot say (node pools outside the app, the budget, the DaemonSets'
 * overhead), read into the library's own types so its own checks validate them.
 *
 *   "guardrails": { "budgetUsdPerHour": 500, "daemonSetOverhead": { "cpu": "125m", "memory": "256Mi" },
 *     "nodePools": [{ "name": "system", "instanceTypes": ["g6.xlarge",
 *       { "name": "m7i.2xlarge", "vcpus": 8, "memory": "32Gi", "gpus": 0, "priceUsdPerHour": 0.4032 }] }] }
 *
 * A declared pool may also carry `reservedUsdPerHour` (its capacity reservations' fixed cost) and `gpuSharing`
 * (`{ "timeSlicing": 4 }` or `{ "mig": "1g.10gb" }`), as `NodePoolDeclaration` does.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { configError } from './messages';
import { parseQuantity } from '../common/quantity';
import { DaemonSetOverhead, ScalingGuardrailsProps } from '../guardrails/scaling-guardrails';
import { CapacityType, InstanceCatalog, InstanceType } from '../planning/instance-catalog';
import { GpuSharing, MigProfile } from '../values/gpu-sharing';
import { NodePoolDeclaration, NodePoolResourceLimits, NodeTaint, NodeTaintEffect } from '../values/node-pool-declaration';

/** The top-level key of the workloads file that holds the guardrails' inputs (a workload named so is keyed `namespace/name`). */
export const GUARDRAILS_KEY = 'guardrails';
/** Its keys, in the order `--help` lists them. */
export const GUARDRAILS_KEYS = ['nodePools', 'budgetUsdPerHour', 'daemonSetOverhead'];
const POOL_KEYS = ['name', 'taints', 'labels', 'limits', 'weight', 'instanceTypes', 'reservedUsdPerHour', 'gpuSharing'];
const SHARING_KEYS = ['timeSlicing', 'mig'];
const TAINT_KEYS = ['key', 'value', 'effect'];
const LIMIT_KEYS = ['vcpus', 'memory', 'gpus'];
const TYPE_KEYS = ['name', 'vcpus', 'memory', 'gpus', 'priceUsdPerHour', 'capacityType'];
const OVERHEAD_KEYS = ['cpu', 'memory', 'gpus'];
const INLINE_TYPE = '{"name": "m7i.2xlarge", "vcpus": 8, "memory": "32Gi", "gpus": 0, "priceUsdPerHour": 0.4032}';

/** The guardrails' inputs from the file, and what to say on the page about where they came from. */
export interface GuardrailsInputs {
  /** The file, as given on the command line. */
  readonly file: string;
  readonly props: ScalingGuardrailsProps;
  /** The declared pools' names, in the file's order. */
  readonly nodePools: string[];
  readonly budgetUsdPerHour?: number;
  /** The DaemonSets' overhead as written (`cpu`, `memory` quantities; `gpus`). */
  readonly daemonSetOverhead?: { cpu?: string; memory?: string; gpus?: number };
}

/** Reads the `"guardrails"` value of a workloads file; throws a one-line CliError naming the file and the key. */
export function parseGuardrails(value: unknown, source: string): GuardrailsInputs {
  const g = object(value, source, GUARDRAILS_KEY, GUARDRAILS_KEYS, 'of "guardrails"',
    'e.g. "guardrails": {"budgetUsdPerHour": 500, "nodePools": [{"name": "system", "instanceTypes": ["g6.xlarge"]}]}');
  const props: { -readonly [K in keyof ScalingGuardrailsProps]: ScalingGuardrailsProps[K] } = {};
  let budget: number | undefined;
  if (g.budgetUsdPerHour !== undefined) {
    const v = g.budgetUsdPerHour;
    if (typeof v !== 'number' || !(v > 0 && v <= 1e9)) {
      throw configError(source, `${GUARDRAILS_KEY}.budgetUsdPerHour`, v, 'must be a number above 0',
        'give the most the node pools may cost per hour in US dollars, e.g. "budgetUsdPerHour": 500');
    }
    budget = v;
    props.budgetUsdPerHour = v;
  }
  let overheadShown: GuardrailsInputs['daemonSetOverhead'];
  if (g.daemonSetOverhead !== undefined) {
    const at = `${GUARDRAILS_KEY}.daemonSetOverhead`;
    const o = object(g.daemonSetOverhead, source, at, OVERHEAD_KEYS, 'of "daemonSetOverhead"', 'e.g. "daemonSetOverhead": {"cpu": "125m", "memory": "256Mi", "gpus": 0}');
    const overhead: { -readonly [K in keyof DaemonSetOverhead]: DaemonSetOverhead[K] } = {};
    if (o.cpu !== undefined) overhead.cpu = cpu(o.cpu, source, `${at}.cpu`);
    if (o.memory !== undefined) overhead.memory = memory(o.memory, source, `${at}.memory`, '"256Mi"');
    if (o.gpus !== undefined) overhead.gpus = whole(o.gpus, source, `${at}.gpus`, 64, '0');
    props.daemonSetOverhead = overhead;
    overheadShown = {
      ...(o.cpu !== undefined ? { cpu: String(o.cpu) } : {}),
      ...(o.memory !== undefined ? { memory: String(o.memory) } : {}),
      ...(o.gpus !== undefined ? { gpus: o.gpus } : {}),
    };
  }
  const names: string[] = [];
  if (g.nodePools !== undefined) {
    const at = `${GUARDRAILS_KEY}.nodePools`;
    if (!Array.isArray(g.nodePools)) throw configError(source, at, g.nodePools, 'must be a list of pools', 'e.g. "nodePools": [{"name": "system", "instanceTypes": ["g6.xlarge"]}]');
    props.nodePools = g.nodePools.map((p: unknown, i: number) => pool(p, source, `${at}[${i}]`));
    names.push(...props.nodePools.map(p => p.name));
  }
  return {
    file: source,
    props,
    nodePools: names,
    ...(budget !== undefined ? { budgetUsdPerHour: budget } : {}),
    ...(overheadShown ? { daemonSetOverhead: overheadShown } : {}),
  };
}

function pool(value: unknown, source: string, at: string): NodePoolDeclaration {
  const p = object(value, source, at, POOL_KEYS, 'of a node pool', 'e.g. {"name": "system", "instanceTypes": ["g6.xlarge"]}');
  if (typeof p.name !== 'string' || p.name.trim() === '') throw configError(source, `${at}.name`, p.name, 'must be a non-empty string', 'give the NodePool\'s metadata.name, e.g. "name": "system"');
  const out: { -readonly [K in keyof NodePoolDeclaration]: NodePoolDeclaration[K] } = { name: p.name.trim() };
  if (p.taints !== undefined) {
    if (!Array.isArray(p.taints)) throw configError(source, `${at}.taints`, p.taints, 'must be a list of taints', 'e.g. "taints": [{"key": "nvidia.com/gpu", "effect": "NoSchedule"}]');
    out.taints = p.taints.map((t: unknown, i: number) => taint(t, source, `${at}.taints[${i}]`));
  }
  if (p.labels !== undefined) {
    const l = object(p.labels, source, `${at}.labels`, undefined, '', 'e.g. "labels": {"workload-type": ["system"]}');
    for (const [k, v] of Object.entries(l)) {
      if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
        throw configError(source, `${at}.labels.${k}`, v, 'must be a list of strings', `e.g. "${k}": ["system"]`);
      }
    }
    out.labels = l as { [key: string]: string[] };
  }
  if (p.limits !== undefined) {
    const l = object(p.limits, source, `${at}.limits`, LIMIT_KEYS, 'of limits', 'e.g. "limits": {"vcpus": 64, "memory": "512Gi", "gpus": 8}');
    const limits: { -readonly [K in keyof NodePoolResourceLimits]: NodePoolResourceLimits[K] } = {};
    if (l.vcpus !== undefined) limits.vcpus = whole(l.vcpus, source, `${at}.limits.vcpus`, 1e6, '64');
    if (l.memory !== undefined) limits.memory = memory(l.memory, source, `${at}.limits.memory`, '"512Gi"');
    if (l.gpus !== undefined) limits.gpus = whole(l.gpus, source, `${at}.limits.gpus`, 1e6, '8');
    out.limits = limits;
  }
  if (p.weight !== undefined) out.weight = whole(p.weight, source, `${at}.weight`, 100, '10');
  if (p.instanceTypes !== undefined) {
    if (!Array.isArray(p.instanceTypes)) throw configError(source, `${at}.instanceTypes`, p.instanceTypes, 'must be a list of instance types', `e.g. "instanceTypes": ["g6.xlarge", ${INLINE_TYPE}]`);
    out.instanceTypes = p.instanceTypes.map((t: unknown, i: number) => instanceType(t, source, `${at}.instanceTypes[${i}]`));
  }
  if (p.reservedUsdPerHour !== undefined) {
    const v = p.reservedUsdPerHour;
    if (typeof v !== 'number' || !(v > 0 && v <= 1e9)) {
      throw configError(source, `${at}.reservedUsdPerHour`, v, 'must be a number above 0',
        'give what the pool\'s capacity reservations cost per hour in US dollars, used or not, e.g. "reservedUsdPerHour": 24.48');
    }
    out.reservedUsdPerHour = v;
  }
  if (p.gpuSharing !== undefined) out.gpuSharing = gpuSharing(p.gpuSharing, source, `${at}.gpuSharing`);
  return out;
}

/** `{ "timeSlicing": <replicas per GPU> }` or `{ "mig": "<profile>" }`: GpuSharing's own checks apply. */
function gpuSharing(value: unknown, source: string, at: string): GpuSharing {
  const example = 'e.g. "gpuSharing": {"timeSlicing": 4} or {"mig": "1g.10gb"}';
  const g = object(value, source, at, SHARING_KEYS, 'of "gpuSharing"', example);
  const keys = Object.keys(g);
  if (keys.length !== 1) throw configError(source, at, value, 'must have exactly one of timeSlicing, mig', example);
  if (g.timeSlicing !== undefined) {
    const n = whole(g.timeSlicing, source, `${at}.timeSlicing`, GpuSharing.MAX_REPLICAS_PER_GPU, '4', 2);
    return GpuSharing.timeSlicing(n);
  }
  if (typeof g.mig !== 'string') throw configError(source, `${at}.mig`, g.mig, 'must be a MIG profile name', 'e.g. "mig": "1g.10gb"');
  try {
    return GpuSharing.mig(MigProfile.of(g.mig));
  } catch {
    throw configError(source, `${at}.mig`, g.mig, 'is not a MIG profile name', 'give <compute slices>g.<memory>gb as NVIDIA names it, e.g. "mig": "1g.10gb"');
  }
}

function taint(value: unknown, source: string, at: string): NodeTaint {
  const t = object(value, source, at, TAINT_KEYS, 'of a taint', 'e.g. {"key": "nvidia.com/gpu", "effect": "NoSchedule"}');
  if (typeof t.key !== 'string' || t.key === '') throw configError(source, `${at}.key`, t.key, 'must be a non-empty string', 'e.g. "key": "nvidia.com/gpu"');
  if (t.value !== undefined && typeof t.value !== 'string') throw configError(source, `${at}.value`, t.value, 'must be a string', 'e.g. "value": "true", or leave it out');
  const effects = Object.values(NodeTaintEffect) as string[];
  if (!effects.includes(t.effect)) throw configError(source, `${at}.effect`, t.effect, 'is not a taint effect', `use ${effects.join(', ')}`);
  return { key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect as NodeTaintEffect };
}

/** A name from `InstanceCatalog.awsGpu()` or `.designDocument()` (on-demand), or a type given in full. */
function instanceType(value: unknown, source: string, at: string): InstanceType {
  if (typeof value === 'string') {
    const found = InstanceCatalog.awsGpu().find(value) ?? InstanceCatalog.designDocument().find(value);
    if (!found) {
      throw configError(source, at, value, 'is in neither InstanceCatalog.awsGpu() nor InstanceCatalog.designDocument()',
        `give it in full, e.g. ${INLINE_TYPE}`);
    }
    return found;
  }
  const t = object(value, source, at, TYPE_KEYS, 'of an instance type', `give a catalog name, or the type in full, e.g. ${INLINE_TYPE}`);
  for (const k of ['name', 'vcpus', 'memory', 'gpus', 'priceUsdPerHour']) {
    if (t[k] === undefined) throw configError(source, `${at}.${k}`, undefined, 'is missing', `give the type in full, e.g. ${INLINE_TYPE}`);
  }
  if (typeof t.name !== 'string' || t.name === '') throw configError(source, `${at}.name`, t.name, 'must be a non-empty string', 'e.g. "name": "m7i.2xlarge"');
  const price = t.priceUsdPerHour;
  if (typeof price !== 'number' || !(price >= 0.000001 && price <= InstanceType.MAX_PRICE_USD_PER_HOUR)) {
    throw configError(source, `${at}.priceUsdPerHour`, price, `must be a number from 0.000001 to ${InstanceType.MAX_PRICE_USD_PER_HOUR}`,
      'give what one instance costs per hour in US dollars, e.g. "priceUsdPerHour": 0.4032');
  }
  const types = Object.values(CapacityType) as string[];
  if (t.capacityType !== undefined && !types.includes(t.capacityType)) {
    throw configError(source, `${at}.capacityType`, t.capacityType, 'is not a capacity type', `use ${types.join(', ')}, or leave it out for on-demand`);
  }
  return InstanceType.of({
    name: t.name,
    vcpus: whole(t.vcpus, source, `${at}.vcpus`, 100_000, '8', 0),
    memory: memory(t.memory, source, `${at}.memory`, '"32Gi"'),
    gpus: whole(t.gpus, source, `${at}.gpus`, 64, '0', 0),
    priceUsdPerHour: price,
    ...(t.capacityType !== undefined ? { capacityType: t.capacityType as CapacityType } : {}),
  });
}

function object(value: unknown, source: string, at: string, keys: string[] | undefined, of: string, example: string): Record<string, any> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configError(source, at, value, 'must be an object', example);
  if (keys) {
    for (const k of Object.keys(value)) {
      if (!keys.includes(k)) throw configError(source, `${at}.${k}`, (value as Record<string, unknown>)[k], `is not a key ${of}`, `use ${keys.join(', ')}`);
    }
  }
  return value as Record<string, any>;
}

function whole(value: unknown, source: string, at: string, max: number, example: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw configError(source, at, value, `must be a whole number from ${min} to ${max}`, `e.g. ${example}`);
  }
  return value;
}

/** A Kubernetes memory quantity (`"512Gi"`, `"1536Mi"`), as the manifests spell it; whole KiB. */
function memory(value: unknown, source: string, at: string, example: string): Size {
  const bytes = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (bytes === undefined || !(bytes >= 0) || bytes % 1024 !== 0) {
    throw configError(source, at, value, 'is not a memory quantity in whole KiB', `give a Kubernetes quantity string, e.g. ${example}`);
  }
  return Size.kibibytes(bytes / 1024);
}

/** A Kubernetes CPU quantity (`"125m"`, `"2"`) or a number of cores. */
function cpu(value: unknown, source: string, at: string): Cpu {
  const cores = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  if (cores === undefined || !(cores > 0) || !Number.isInteger(Math.round(cores * 1000 * 1e6) / 1e6)) {
    throw configError(source, at, value, 'is not a CPU quantity above zero in whole millicores', 'give a Kubernetes quantity, e.g. "cpu": "125m"');
  }
  return Cpu.millis(Math.round(cores * 1000));
}
