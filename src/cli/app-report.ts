/**
 * `report --app`: replays every autoscaler of a synthesized app exactly as synthesized (AutoscalerSimulator with its
 * behavior, minimum and maximum, metric target, KEDA cron windows and activation) on a trace per workload, runs the
 * guardrails over the same objects, and with `--baseline` compares two synths workload by workload.
 */
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { AppAutoscaler, AutoscalerMetric, findAutoscalers } from './app-autoscalers';
import { GuardrailsInputs } from './app-guardrails';
import { AppManifests } from './app-manifests';
import { overridesFor, WorkloadOverrides, WorkloadsFile } from './app-workloads';
import { scheduleOf } from './keda-cron';
import { appWorkloadRejected, CliError, guardrailsRejected, workloadNeedsCapacity, workloadNeedsTrace, workloadTargetAboveCapacity, workloadsUnmatched } from './messages';
import { Progress } from './progress';
import { loadOf } from './report';
import { readTrace, Trace } from './trace';
import { AppBill, WorkloadReplicas } from '../guardrails/app-bill';
import { GuardrailReport, ScalingGuardrails } from '../guardrails/scaling-guardrails';
import { AutoscalerSimulator, SimulationProps, SimulationResult } from '../planning/autoscaler-simulator';

/**
 * The fraction of what one replica serves that its autoscaler's per-replica target is taken to be when the workloads
 * file gives no capacityPerReplica: the report presets' 70 % (capacity = target / 0.7). Stated on the page.
 */
export const ASSUMED_TARGET_UTILIZATION = 0.7;
const HOURS_PER_WEEK = 168;

/** What `report --app` is given. */
export interface AppReportInputs {
  readonly app: AppManifests;
  readonly baseline?: AppManifests;
  readonly workloads?: WorkloadsFile;
  /** The `--trace` for every workload the workloads file gives no trace, as given; undefined without one. */
  readonly defaultTrace?: string;
  readonly defaultTracePath?: string;
  readonly scale: number;
  readonly timeZone: string;
}

/** One workload replayed. */
export interface WorkloadRun {
  /** `namespace/name` of the scaled workload. */
  readonly key: string;
  readonly autoscaler: AppAutoscaler;
  /** The metric the trace stands for; the others are listed in `ignoredMetrics`. */
  readonly metric: AutoscalerMetric;
  readonly ignoredMetrics: string[];
  readonly trace: Trace;
  readonly scale: number;
  readonly load: number[];
  readonly props: SimulationProps;
  readonly result: SimulationResult;
  /** Where capacityPerReplica, the price and the trace came from, in words (the page and the JSON list them). */
  readonly assumptions: string[];
  /** Cost per week at the replay's mean rate; undefined without a price. */
  readonly costUsdPerWeek?: number;
}

/** One synth replayed. */
export interface AppReplay {
  readonly app: AppManifests;
  readonly runs: WorkloadRun[];
  /** Autoscalers found but not replayed, with why. */
  readonly skipped: Array<{ key: string; reason: string }>;
  readonly guardrails: GuardrailsView;
}

/** The guardrails' findings on the manifests, as `ScalingGuardrails.check()` gives them. */
export interface GuardrailsView {
  readonly findings: Array<{ rule: string; path: string; message: string }>;
  readonly worstCaseCostUsdPerHour: number;
  readonly unpricedPools: string[];
  /** Workloads and objects the guardrails read (so a page that reports no finding shows that they looked). */
  readonly workloadsChecked: number;
  readonly objectsRead: number;
  /** The construct path of each object, by `namespace/Kind/name`: how a workload finds its own findings. */
  readonly paths: Map<string, string>;
  /**
   * The app's bill (`ScalingGuardrails.bill`) with every replayed workload expected at its mean replicas in the
   * replay, and every other workload at its minReplicas.
   */
  readonly bill: AppBill;
  /** What the workloads file's `"guardrails"` key gave (declared pools, budget, DaemonSet overhead); undefined without it. */
  readonly declared?: GuardrailsInputs;
}

/** What one replica of a workload costs per hour by the app's bill, and the bill's key for the workload (one replica's pods). */
interface BillPrice {
  readonly key: WorkloadReplicas;
  /** One replica's share of its first pool (the bill at one expected replica); undefined when unpriced. */
  readonly usdPerHour?: number;
}

/** A workload in both synths, or one of them. */
export interface WorkloadComparison {
  readonly key: string;
  readonly status: 'changed' | 'added' | 'removed';
  readonly base?: WorkloadRun;
  readonly head?: WorkloadRun;
  /** head - base unserved fraction (added: head's, against 0). */
  readonly unservedIncrease?: number;
  /** head - base cost per week, when both are priced. */
  readonly costIncreaseUsdPerWeek?: number;
}

export interface AppComparison {
  readonly workloads: WorkloadComparison[];
  readonly baseUnservedFraction: number;
  readonly headUnservedFraction: number;
  readonly baseCostUsdPerWeek?: number;
  readonly headCostUsdPerWeek?: number;
  readonly costIncreaseUsdPerWeek?: number;
}

/** The gate's thresholds (`--max-unserved-increase`, `--max-cost-increase-usd-per-week`, `--fail-on-findings`). */
export interface GateThresholds {
  readonly maxUnservedIncrease?: number;
  readonly maxCostIncreaseUsdPerWeek?: number;
  readonly failOnFindings: boolean;
}

export interface AppReportModel {
  readonly inputs: AppReportInputs;
  readonly head: AppReplay;
  readonly base?: AppReplay;
  readonly comparison?: AppComparison;
  /** Why the gate fails, one line each; empty when it passes (or without thresholds). */
  readonly gateFailures: string[];
  readonly thresholds: GateThresholds;
}

/** Replays the app (and the baseline) and applies the gate. Throws a CliError for input the replay cannot take. */
export function buildAppReport(inputs: AppReportInputs, thresholds: GateThresholds, progress: Progress): AppReportModel {
  const traces = new Map<string, Trace>();
  const used = new Set<string>();
  const head = replayApp(inputs.app, inputs, traces, used, progress);
  const base = inputs.baseline ? replayApp(inputs.baseline, inputs, traces, used, progress) : undefined;
  if (inputs.workloads) {
    const unmatched = [...inputs.workloads.entries.keys()].filter(k => k !== '*' && !used.has(k));
    if (unmatched.length > 0) throw workloadsUnmatched(inputs.workloads.file, unmatched, [...head.runs, ...(base?.runs ?? [])].map(r => r.key));
  }
  const comparison = base ? compare(base, head) : undefined;
  return { inputs, head, base, comparison, thresholds, gateFailures: gate(head, comparison, thresholds) };
}

function replayApp(app: AppManifests, inputs: AppReportInputs, traces: Map<string, Trace>, used: Set<string>, progress: Progress): AppReplay {
  const autoscalers = findAutoscalers(app.objects, app.option);
  progress.step(`checking ${app.option} with the guardrails`);
  const checked = guardrailsOf(app, inputs.workloads?.guardrails);
  const prices = replicaPrices(checked.guardrails);
  const runs: WorkloadRun[] = [];
  const skipped: Array<{ key: string; reason: string }> = [];
  const workloadOf = (a: AppAutoscaler) => (a.namespace ? `${a.namespace}/${a.target.split('/')[1]}` : a.target.split('/')[1]);
  const count = new Map<string, number>();
  for (const a of autoscalers) count.set(workloadOf(a), (count.get(workloadOf(a)) ?? 0) + 1);
  autoscalers.forEach((a, i) => {
    const targetName = a.target.split('/')[1];
    // Two autoscalers on one workload (a guardrail finding) are replayed apart, each named after its autoscaler.
    const key = count.get(workloadOf(a))! > 1 ? `${workloadOf(a)} [${a.kind} ${a.name}]` : workloadOf(a);
    progress.step(`replaying ${app.option} ${i + 1}/${autoscalers.length} (${key})`);
    const o = overridesFor(inputs.workloads, a.namespace, targetName, used);
    const metric = chooseMetric(a, o);
    if (typeof metric === 'string') {
      skipped.push({ key, reason: metric });
      return;
    }
    const tracePath = o.trace ?? inputs.defaultTracePath;
    if (tracePath === undefined) throw workloadNeedsTrace(key);
    let trace = traces.get(tracePath);
    if (!trace) {
      trace = readTrace(tracePath, o.traceShown ?? inputs.defaultTrace ?? tracePath);
      traces.set(tracePath, trace);
    }
    runs.push(replayWorkload(key, a, metric, o, trace, inputs, prices.get(billKeyOf(a.namespace, a.target))));
  });
  // The bill at the replay's mean replicas (one autoscaler per workload; a workload two autoscalers scale is left at its minimum).
  const expected: WorkloadReplicas[] = [];
  const perWorkload = new Map<string, WorkloadRun[]>();
  for (const r of runs) {
    const k = billKeyOf(r.autoscaler.namespace, r.autoscaler.target);
    perWorkload.set(k, [...(perWorkload.get(k) ?? []), r]);
  }
  for (const [k, rs] of perWorkload) {
    const price = prices.get(k);
    // The bill counts pods: a replica of a LeaderWorkerSet is a group of price.key.replicas pods.
    if (price && rs.length === 1) {
      expected.push({ ...price.key, replicas: Math.min(rs[0].result.meanReplicas, rs[0].autoscaler.maxReplicas) * price.key.replicas });
    }
  }
  return { app, runs, skipped, guardrails: { ...checked.view, bill: checked.guardrails.bill(expected) } };
}

function billKeyOf(namespace: string | undefined, target: string): string {
  return `${namespace ?? ''}/${target}`;
}

/**
 * One replica's price per workload the bill knows: the bill with every workload expected at one replica (one group of
 * pods for a LeaderWorkerSet), so each line is what one replica's pods cost at least in the first pool they land on
 * (their requests at the pool's cheapest price per unit).
 */
function replicaPrices(guardrails: ScalingGuardrails): Map<string, BillPrice> {
  const lines = guardrails.check().bill.workloads.filter(w => w.component === undefined && w.maxReplicas > 0);
  const keyOf = (w: { namespace?: string; kind: string; name: string; podsPerReplica: number }): WorkloadReplicas =>
    ({ ...(w.namespace !== undefined ? { namespace: w.namespace } : {}), kind: w.kind, name: w.name, replicas: w.podsPerReplica });
  const one = guardrails.bill(lines.map(keyOf));
  const out = new Map<string, BillPrice>();
  for (const w of one.workloads) {
    if (w.component !== undefined || w.maxReplicas <= 0) continue;
    const priced = !w.incomplete && w.expectedMicroUsdPerHour > 0;
    out.set(billKeyOf(w.namespace, `${w.kind}/${w.name}`), { key: keyOf(w), ...(priced ? { usdPerHour: w.expectedUsdPerHour } : {}) });
  }
  return out;
}

/** The metric the trace stands for: the workloads file's `metric`, else the first the replay can read. */
function chooseMetric(a: AppAutoscaler, o: WorkloadOverrides): AutoscalerMetric | string {
  if (o.metric !== undefined) {
    const m = a.metrics.find(x => x.name === o.metric || x.name.split(' ').slice(1).join(' ') === o.metric);
    if (!m) return `the workloads file names the metric "${o.metric}", which ${a.kind} ${a.id} does not have (it has ${a.metrics.map(x => x.name).join(', ') || 'none'})`;
    if (m.unusable) return `${m.name} cannot be replayed: ${m.unusable}`;
    return m;
  }
  const m = a.metrics.find(x => !x.unusable);
  if (m) return m;
  if (a.metrics.length === 0) return `${a.kind} ${a.id} has no load metric (only cron windows)`;
  return `none of its metrics can be replayed: ${a.metrics.map(x => `${x.name} (${x.unusable})`).join('; ')}`;
}

/** The simulator's props for one workload, as synthesized; exported so tests can replay exactly what the report did. */
export function workloadProps(key: string, a: AppAutoscaler, metric: AutoscalerMetric, o: WorkloadOverrides, trace: Trace, load: number[],
  billPriceUsdPerHour?: number): { props: SimulationProps; assumptions: string[] } {
  const assumptions: string[] = [];
  let capacityPerReplica: number;
  let targetUtilization: number;
  const target = metric.target!;
  if (metric.utilization) {
    if (o.capacityPerReplica === undefined) throw workloadNeedsCapacity(key, metric.name, target);
    capacityPerReplica = o.capacityPerReplica;
    targetUtilization = target / 100;
    assumptions.push(`capacity per replica ${num(capacityPerReplica)} (workloads file) at the ${num(target)}% utilization target of ${metric.name}`);
  } else if (o.capacityPerReplica !== undefined) {
    capacityPerReplica = o.capacityPerReplica;
    targetUtilization = target / capacityPerReplica;
    if (targetUtilization > 1) throw workloadTargetAboveCapacity(key, metric.name, target, capacityPerReplica);
    assumptions.push(`capacity per replica ${num(capacityPerReplica)} (workloads file); the per-replica target ${num(target)} of ${metric.name} is `
      + `${num(targetUtilization * 100)}% of it`);
  } else {
    targetUtilization = ASSUMED_TARGET_UTILIZATION;
    capacityPerReplica = target / targetUtilization;
    assumptions.push(`capacity per replica assumed: the per-replica target ${num(target)} of ${metric.name} taken as `
      + `${ASSUMED_TARGET_UTILIZATION * 100}% of what a replica serves (${num(capacityPerReplica)}); give capacityPerReplica in the workloads file`);
  }
  const others = a.metrics.filter(m => m !== metric).map(m => m.name);
  if (others.length > 0) assumptions.push(`the trace stands for ${metric.name} alone; not replayed: ${others.join(', ')} (the HPA takes the highest proposal of all)`);
  const priceUsdPerHour = o.priceUsdPerHour ?? billPriceUsdPerHour;
  if (o.priceUsdPerHour === undefined && billPriceUsdPerHour !== undefined) {
    assumptions.push(`price per replica ${num(billPriceUsdPerHour)} USD/h from the app's bill (a lower bound: one replica's pod requests, a group's for a LeaderWorkerSet, at `
      + 'its first pool\'s cheapest price per unit; give priceUsdPerHour in the workloads file for the real figure)');
  } else if (priceUsdPerHour === undefined) {
    assumptions.push('cost unknown: no priceUsdPerHour in the workloads file, and the app\'s bill cannot price the workload (its pool has no known instance types)');
  }
  // KEDA scales to zero with minReplicaCount 0, or with idleReplicaCount 0 below a higher minReplicaCount.
  const scaleToZero = a.kind === 'ScaledObject' && (a.minReplicas === 0 || a.idleReplicaCount === 0);
  if (scaleToZero && a.cronWindows.length > 0) assumptions.push('scale to zero: a cron window does not wake the workload from 0 in the replay');
  if (scaleToZero && a.minReplicas > 1) {
    assumptions.push('scale to zero: the replay wakes the workload to 1 replica and lets the HPA scale from there with a minimum of 1, '
      + `where KEDA wakes it to minReplicaCount (${a.minReplicas}) and holds that while a trigger is active`);
  }
  if (a.idleReplicaCount !== undefined && a.idleReplicaCount > 0) {
    assumptions.push(`idleReplicaCount ${a.idleReplicaCount} is not replayed: the workload never goes below minReplicaCount (${a.minReplicas}) in the replay`);
  }
  const props: SimulationProps = {
    load,
    step: Duration.seconds(trace.intervalSeconds),
    behavior: a.behavior,
    // KEDA with minReplicaCount 0 hands the HPA a minimum of 1 and owns 0 <-> 1 through the activation.
    minReplicas: scaleToZero ? 0 : a.minReplicas,
    maxReplicas: a.maxReplicas,
    capacityPerReplica,
    targetUtilization,
    scaleUpTolerance: a.scaleUpTolerance,
    scaleDownTolerance: a.scaleDownTolerance,
    timeToReady: o.timeToReady,
    metricDelay: o.metricDelay,
    metricWindow: o.metricWindow,
    priceUsdPerHour,
    ...(scaleToZero ? { activationThreshold: metric.activation ?? 0, cooldownPeriod: a.cooldownPeriod, pollingInterval: a.pollingInterval } : {}),
    ...(a.cronWindows.length > 0 ? { scheduledReplicas: scheduleOf(a.cronWindows, trace.startMs, trace.intervalSeconds, load.length) } : {}),
  };
  return { props, assumptions };
}

function replayWorkload(key: string, a: AppAutoscaler, metric: AutoscalerMetric, o: WorkloadOverrides, trace: Trace,
  inputs: AppReportInputs, billPrice: BillPrice | undefined): WorkloadRun {
  const scale = o.scale ?? inputs.scale;
  const load = loadOf(trace, scale);
  const { props, assumptions } = workloadProps(key, a, metric, o, trace, load, billPrice?.usdPerHour);
  let result: SimulationResult;
  try {
    result = AutoscalerSimulator.run(props);
  } catch (e) {
    if (e instanceof CliError || !(e instanceof Error) || e.constructor !== Error) throw e;
    throw appWorkloadRejected(`${a.source}, ${a.kind} ${a.id}`, e.message);
  }
  assumptions.unshift(`trace ${o.traceShown ?? inputs.defaultTrace} x ${num(scale)}${o.trace ? ' (workloads file)' : ' (--trace, for every workload without its own)'}`);
  const hours = result.duration.toSeconds({ integral: false }) / 3600;
  return {
    key,
    autoscaler: a,
    metric,
    ignoredMetrics: a.metrics.filter(m => m !== metric).map(m => m.name),
    trace,
    scale,
    load,
    props,
    result,
    assumptions,
    costUsdPerWeek: result.costUsd === undefined ? undefined : (result.costUsd / hours) * HOURS_PER_WEEK,
  };
}

/** The manifests as ApiObjects of a cdk8s App (one chart per file, as cdk8s Include does), checked by ScalingGuardrails. */
function guardrailsOf(app: AppManifests, declared?: GuardrailsInputs): { guardrails: ScalingGuardrails; view: Omit<GuardrailsView, 'bill'> } {
  const cdkApp = new App({ outdir: app.dir });
  const charts = new Map<string, Chart>();
  const ids = new Set<string>();
  const paths = new Map<string, string>();
  app.objects.forEach((o, i) => {
    let chart = charts.get(o.file);
    if (!chart) {
      const name = o.file.replace(/\.k8s\.ya?ml$|\.ya?ml$/i, '').replace(/[^A-Za-z0-9-]/g, '-') || 'file';
      chart = new Chart(cdkApp, cdkApp.node.tryFindChild(name) ? `${name}-${charts.size + 1}` : name);
      charts.set(o.file, chart);
    }
    // Findings name the object as `<file>/<Kind>-<name>` (with its position when a name repeats in a file).
    let id = `${o.json.kind}-${o.json.metadata?.name ?? 'unnamed'}`;
    if (ids.has(`${o.file}/${id}`)) id = `${id}-${i + 1}`;
    ids.add(`${o.file}/${id}`);
    const object = new ApiObject(chart, id, o.json);
    paths.set(`${o.json.metadata?.namespace ?? ''}/${o.json.kind}/${o.json.metadata?.name ?? ''}`, object.node.path);
  });
  let guardrails: ScalingGuardrails;
  let report: GuardrailReport;
  try {
    // The library's own checks validate what the file declares (a duplicate pool, a pool named like one in the app...).
    guardrails = new ScalingGuardrails(cdkApp, 'Guardrails', declared?.props ?? {});
    report = guardrails.check();
  } catch (e) {
    if (!declared || e instanceof CliError) throw e;
    throw guardrailsRejected(declared.file, (e as Error).message);
  }
  return {
    guardrails,
    view: {
      findings: report.findings.map(f => ({ rule: f.rule, path: f.path, message: f.message })),
      worstCaseCostUsdPerHour: report.worstCaseCostUsdPerHour,
      unpricedPools: report.unpricedPools,
      workloadsChecked: report.workloadsChecked,
      objectsRead: report.objectsRead,
      paths,
      ...(declared ? { declared } : {}),
    },
  };
}

function totals(replay: AppReplay): { unserved: number; load: number; cost?: number } {
  let unserved = 0;
  let load = 0;
  let cost: number | undefined = 0;
  for (const r of replay.runs) {
    unserved += r.result.unservedLoad;
    load += r.result.totalLoad;
    cost = cost === undefined || r.costUsdPerWeek === undefined ? undefined : cost + r.costUsdPerWeek;
  }
  return { unserved, load, cost };
}

function compare(base: AppReplay, head: AppReplay): AppComparison {
  const keys = [...new Set([...head.runs.map(r => r.key), ...base.runs.map(r => r.key)])];
  const workloads = keys.map((key): WorkloadComparison => {
    const b = base.runs.find(r => r.key === key);
    const h = head.runs.find(r => r.key === key);
    if (b && h) {
      return {
        key,
        status: 'changed',
        base: b,
        head: h,
        unservedIncrease: h.result.unservedFraction - b.result.unservedFraction,
        costIncreaseUsdPerWeek: b.costUsdPerWeek !== undefined && h.costUsdPerWeek !== undefined ? h.costUsdPerWeek - b.costUsdPerWeek : undefined,
      };
    }
    if (h) return { key, status: 'added', head: h, unservedIncrease: h.result.unservedFraction, costIncreaseUsdPerWeek: h.costUsdPerWeek };
    return { key, status: 'removed', base: b, costIncreaseUsdPerWeek: b!.costUsdPerWeek === undefined ? undefined : -b!.costUsdPerWeek };
  });
  const tb = totals(base);
  const th = totals(head);
  return {
    workloads,
    baseUnservedFraction: tb.load > 0 ? tb.unserved / tb.load : 0,
    headUnservedFraction: th.load > 0 ? th.unserved / th.load : 0,
    baseCostUsdPerWeek: tb.cost,
    headCostUsdPerWeek: th.cost,
    costIncreaseUsdPerWeek: tb.cost !== undefined && th.cost !== undefined ? th.cost - tb.cost : undefined,
  };
}

/** Every threshold the head app passes beyond, one line each. */
function gate(head: AppReplay, c: AppComparison | undefined, t: GateThresholds): string[] {
  const out: string[] = [];
  if (c && t.maxUnservedIncrease !== undefined) {
    for (const w of c.workloads) {
      if (w.unservedIncrease !== undefined && w.unservedIncrease > t.maxUnservedIncrease) {
        out.push(`${w.key}: unserved ${pct(w.base?.result.unservedFraction ?? 0)} -> ${pct(w.head!.result.unservedFraction)}, `
          + `up ${points(w.unservedIncrease)} (at most ${points(t.maxUnservedIncrease)} allowed by --max-unserved-increase)`);
      }
    }
    const total = c.headUnservedFraction - c.baseUnservedFraction;
    if (total > t.maxUnservedIncrease) {
      out.push(`app: unserved ${pct(c.baseUnservedFraction)} -> ${pct(c.headUnservedFraction)}, up ${points(total)} `
        + `(at most ${points(t.maxUnservedIncrease)} allowed by --max-unserved-increase)`);
    }
  }
  if (c && t.maxCostIncreaseUsdPerWeek !== undefined) {
    if (c.costIncreaseUsdPerWeek === undefined) {
      out.push('app: the cost increase is unknown (a workload has no priceUsdPerHour), and --max-cost-increase-usd-per-week needs it');
    } else if (c.costIncreaseUsdPerWeek > t.maxCostIncreaseUsdPerWeek) {
      out.push(`app: cost ${usd(c.baseCostUsdPerWeek!)} -> ${usd(c.headCostUsdPerWeek!)} per week, ${signedUsd(c.costIncreaseUsdPerWeek)} `
        + `(at most +${usd(t.maxCostIncreaseUsdPerWeek)} allowed by --max-cost-increase-usd-per-week)`);
    }
  }
  if (t.failOnFindings && head.guardrails.findings.length > 0) {
    out.push(`app: ${head.guardrails.findings.length} guardrail finding${head.guardrails.findings.length === 1 ? '' : 's'} (--fail-on-findings)`);
  }
  return out;
}

/** The lines `report --app` prints on stdout: per workload and in total, then the gate. */
export function summaryLines(model: AppReportModel): string[] {
  const lines: string[] = [];
  const c = model.comparison;
  if (!c) {
    for (const r of model.head.runs) {
      lines.push(`${r.key}: unserved ${pct(r.result.unservedFraction)}, peak ${r.result.peakReplicas} replicas, `
        + `${r.costUsdPerWeek === undefined ? 'cost unknown' : `${usd(r.costUsdPerWeek)} per week`}`);
    }
  } else {
    for (const w of c.workloads) {
      const b = w.base;
      const h = w.head;
      if (w.status === 'added') {
        lines.push(`${w.key} (added): unserved ${pct(h!.result.unservedFraction)}, ${costText(h!.costUsdPerWeek)}`);
      } else if (w.status === 'removed') {
        lines.push(`${w.key} (removed): was unserved ${pct(b!.result.unservedFraction)}, ${costText(b!.costUsdPerWeek)}`);
      } else {
        lines.push(`${w.key}: unserved ${pct(b!.result.unservedFraction)} -> ${pct(h!.result.unservedFraction)}, ${costDelta(w.costIncreaseUsdPerWeek)}`);
      }
    }
    lines.push(`total: unserved ${pct(c.baseUnservedFraction)} -> ${pct(c.headUnservedFraction)}, ${costDelta(c.costIncreaseUsdPerWeek)}`);
  }
  for (const s of model.head.skipped) lines.push(`${s.key}: not replayed: ${s.reason}`);
  const n = model.head.guardrails.findings.length;
  lines.push(`guardrails: ${n} finding${n === 1 ? '' : 's'} over ${model.head.guardrails.workloadsChecked} workloads`);
  if (model.gateFailures.length > 0) lines.push(...model.gateFailures.map(f => `gate failed: ${f}`));
  else if (hasThresholds(model.thresholds)) lines.push('gate passed');
  return lines;
}

export function hasThresholds(t: GateThresholds): boolean {
  return t.maxUnservedIncrease !== undefined || t.maxCostIncreaseUsdPerWeek !== undefined || t.failOnFindings;
}

/** The JSON file (`--json`): every figure of every workload, the comparison, the guardrails and the gate. */
export function appReportJson(model: AppReportModel): object {
  const replay = (r: AppReplay) => ({
    app: r.app.option === '--app' ? 'app' : 'baseline',
    dir: r.app.dir,
    workloads: r.runs.map(w => workloadJson(w, workloadFindings(r, w))),
    notReplayed: r.skipped,
    guardrails: {
      findings: r.guardrails.findings,
      worstCaseCostUsdPerHour: r.guardrails.worstCaseCostUsdPerHour,
      unpricedPools: r.guardrails.unpricedPools,
      workloadsChecked: r.guardrails.workloadsChecked,
      objectsRead: r.guardrails.objectsRead,
      // What the workloads file declared to the guardrails (not in the manifests), so a reader knows where the pools and budget came from.
      ...(r.guardrails.declared ? { declaredInWorkloadsFile: declaredJson(r.guardrails.declared) } : {}),
      // The app's bill at the replay's mean replicas (AppBill.toJson()).
      bill: r.guardrails.bill.toJson(),
    },
  });
  const c = model.comparison;
  return {
    app: replay(model.head),
    ...(model.base ? { baseline: replay(model.base) } : {}),
    ...(c ? {
      comparison: {
        workloads: c.workloads.map(w => ({
          workload: w.key,
          status: w.status,
          unservedFractionBefore: w.base?.result.unservedFraction ?? null,
          unservedFractionAfter: w.head?.result.unservedFraction ?? null,
          unservedIncrease: w.unservedIncrease ?? null,
          costUsdPerWeekBefore: w.base?.costUsdPerWeek ?? null,
          costUsdPerWeekAfter: w.head?.costUsdPerWeek ?? null,
          costIncreaseUsdPerWeek: w.costIncreaseUsdPerWeek ?? null,
        })),
        total: {
          unservedFractionBefore: c.baseUnservedFraction,
          unservedFractionAfter: c.headUnservedFraction,
          costUsdPerWeekBefore: c.baseCostUsdPerWeek ?? null,
          costUsdPerWeekAfter: c.headCostUsdPerWeek ?? null,
          costIncreaseUsdPerWeek: c.costIncreaseUsdPerWeek ?? null,
        },
      },
    } : {}),
    gate: {
      thresholds: {
        maxUnservedIncrease: model.thresholds.maxUnservedIncrease ?? null,
        maxCostIncreaseUsdPerWeek: model.thresholds.maxCostIncreaseUsdPerWeek ?? null,
        failOnFindings: model.thresholds.failOnFindings,
      },
      passed: model.gateFailures.length === 0,
      failures: model.gateFailures,
    },
  };
}

/** The findings about a workload's own objects: its target and its autoscaler (and anything below them). */
export function workloadFindings(replay: AppReplay, run: WorkloadRun): Array<{ rule: string; path: string; message: string }> {
  const a = run.autoscaler;
  const [kind, name] = a.target.split('/');
  const own = [replay.guardrails.paths.get(`${a.namespace}/${kind}/${name}`), replay.guardrails.paths.get(`${a.namespace}/${a.kind}/${a.name}`)]
    .filter((p): p is string => p !== undefined);
  return replay.guardrails.findings.filter(f => own.some(p => f.path === p || f.path.startsWith(`${p}/`)));
}

function workloadJson(r: WorkloadRun, findings: Array<{ rule: string; path: string; message: string }>): object {
  const res = r.result;
  const p = r.props;
  return {
    workload: r.key,
    autoscaler: { kind: r.autoscaler.kind, name: r.autoscaler.id, source: r.autoscaler.source, target: r.autoscaler.target },
    metric: r.metric.name,
    metricsNotReplayed: r.ignoredMetrics,
    minReplicas: p.minReplicas,
    maxReplicas: p.maxReplicas,
    capacityPerReplica: p.capacityPerReplica,
    targetUtilization: p.targetUtilization,
    cronWindows: r.autoscaler.cronWindows,
    activationThreshold: p.activationThreshold ?? null,
    trace: r.trace.file,
    scale: r.scale,
    unservedFraction: res.unservedFraction,
    requestsServed: res.requestsServed,
    unservedRequests: res.unservedLoad,
    replicaHours: res.replicaHours,
    costUsd: res.costUsd ?? null,
    costUsdPerWeek: r.costUsdPerWeek ?? null,
    overloadedSeconds: res.overloadedTime.toSeconds({ integral: false }),
    scaleUpEvents: res.scaleUpEvents,
    scaleDownEvents: res.scaleDownEvents,
    peakReplicas: res.peakReplicas,
    meanReplicas: res.meanReplicas,
    assumptions: r.assumptions,
    findings,
  };
}

/** A fraction as a percentage with up to 3 decimals: 0.0005 -> 0.05%. */
export function pct(fraction: number): string {
  return `${+(fraction * 100).toFixed(3)}%`;
}

/** A difference of fractions in percentage points: 0.00154 -> 0.154 percentage points. */
function points(fraction: number): string {
  const n = +(fraction * 100).toFixed(3);
  return `${n} percentage point${n === 1 ? '' : 's'}`;
}

function usd(v: number): string {
  return `$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;
}

function signedUsd(v: number): string {
  return `${v < 0 ? '-' : '+'}${usd(v)}`;
}

function costText(perWeek: number | undefined): string {
  return perWeek === undefined ? 'cost unknown' : `${usd(perWeek)} per week`;
}

function costDelta(delta: number | undefined): string {
  return delta === undefined ? 'cost change unknown (no price)' : `${signedUsd(delta)} per week`;
}

function num(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** The workloads file's `"guardrails"` key as the JSON lists it. */
function declaredJson(d: GuardrailsInputs): object {
  return {
    file: d.file,
    nodePools: d.nodePools,
    ...(d.budgetUsdPerHour !== undefined ? { budgetUsdPerHour: d.budgetUsdPerHour } : {}),
    ...(d.daemonSetOverhead ? { daemonSetOverhead: d.daemonSetOverhead } : {}),
  };
}
