import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { CapacityType, CostAwareNodePool, GpuProduct, InstanceCatalog, InstanceSelector, InstanceType, NodePoolPurpose } from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

const aws = InstanceCatalog.awsGpu();
const gib = (s: Size) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
const family = (name: string) => name.split('.')[0];

describe('InstanceCatalog.awsGpu()', () => {
  test('holds every size of g5, g6 and g6e, and the p4d, p4de, p5 and p5en types, as AWS documents their shapes', () => {
    const sizes = (f: string, gpu: GpuProduct, memory: (vcpus: number) => number) => [
      [`${f}.xlarge`, 1, 4], [`${f}.2xlarge`, 1, 8], [`${f}.4xlarge`, 1, 16], [`${f}.8xlarge`, 1, 32], [`${f}.16xlarge`, 1, 64],
      [`${f}.12xlarge`, 4, 48], [`${f}.24xlarge`, 4, 96], [`${f}.48xlarge`, 8, 192],
    ].map(([name, gpus, vcpus]) => [name, gpus, gpu, vcpus, memory(vcpus as number)]);
    const expected = [
      ...sizes('g5', GpuProduct.A10G, v => 4 * v),
      ...sizes('g6', GpuProduct.L4, v => 4 * v),
      ...sizes('g6e', GpuProduct.L40S, v => 8 * v),
      ['p4d.24xlarge', 8, GpuProduct.A100, 96, 1152],
      ['p4de.24xlarge', 8, GpuProduct.A100_80GB, 96, 1152],
      ['p5.48xlarge', 8, GpuProduct.H100, 192, 2048],
      ['p5en.48xlarge', 8, GpuProduct.H200, 192, 2048],
    ];
    expect(aws.types.map(t => [t.name, t.gpus, t.gpuProduct, t.vcpus, gib(t.memory)])).toEqual(expected);
  });

  test('names the GPUs as Karpenter does, with the memory of one GPU', () => {
    const gpu = (name: string) => aws.find(name)!.gpuProduct!;
    expect([gpu('g5.xlarge'), gpu('g6.xlarge'), gpu('g6e.xlarge'), gpu('p4d.24xlarge'), gpu('p4de.24xlarge'), gpu('p5.48xlarge'), gpu('p5en.48xlarge')]
      .map(g => [g.name, gib(g.memory)]))
      .toEqual([['a10g', 24], ['l4', 24], ['l40s', 48], ['a100', 40], ['a100', 80], ['h100', 80], ['h200', 141]]);
  });

  test('prices are on-demand, above zero, cheapest first within a family, from the stated region and date', () => {
    expect(InstanceCatalog.AWS_GPU_PRICES_REGION).toBe('us-east-1');
    expect(InstanceCatalog.AWS_GPU_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const t of aws.types) {
      expect(t.priceUsdPerHour).toBeGreaterThan(0);
      expect(t.priceMicroUsdPerHour).toBe(Math.round(t.priceUsdPerHour * 1e6));
      expect(t.capacityType).toBe(CapacityType.ON_DEMAND);
    }
    for (const f of new Set(aws.types.map(t => family(t.name)))) {
      const prices = aws.types.filter(t => family(t.name) === f).map(t => t.priceUsdPerHour);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    }
    // Spot checks against the us-east-1 price list (the 2025 cut of P4d, P4de, P5 and P5en included).
    expect(['g5.xlarge', 'g6.xlarge', 'g6e.xlarge', 'p5.48xlarge'].map(n => aws.find(n)!.priceUsdPerHour)).toEqual([1.006, 0.8048, 1.861, 55.04]);
  });

  test('carries no serving figures: they depend on the model', () => {
    for (const t of aws.types) {
      expect(t.capacityPerReplica).toBeUndefined();
      expect(t.latency).toBeUndefined();
    }
  });

  test('families keeps the types of the families named, in the catalog order', () => {
    expect(aws.families(['p5en', 'g6']).types.map(t => t.name)).toEqual(
      ['g6.xlarge', 'g6.2xlarge', 'g6.4xlarge', 'g6.8xlarge', 'g6.16xlarge', 'g6.12xlarge', 'g6.24xlarge', 'g6.48xlarge', 'p5en.48xlarge']);
    expect(() => aws.families(['g4dn'])).toThrow(
      "[InstanceCatalog.families] 'families[0]' (\"g4dn\") is no family of this catalog: name families of the catalog (g5, g6, g6e, p4d, p4de, p5, p5en)");
    expect(() => aws.families([])).toThrow("[InstanceCatalog.families] 'families' ([]) must not be empty");
  });

  test("the README's table quotes the catalog's date and each family's prices (a refresh must update it)", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`(\`InstanceCatalog.AWS_GPU_PRICES_REGION\`) from the AWS price list of ${InstanceCatalog.AWS_GPU_PRICES_AS_OF}`);
    for (const f of new Set(aws.types.map(t => family(t.name)))) {
      const prices = aws.types.filter(t => family(t.name) === f).map(t => t.priceUsdPerHour);
      const range = prices.length === 1 ? `${prices[0]}` : `${Math.min(...prices)} - ${Math.max(...prices)}`;
      expect(readme).toMatch(new RegExp(`\\n\\| ${f} \\|[^\\n]*\\| ${range.replace(/\./g, '\\.')} \\|\\n`));
    }
  });

  test('returns a new catalog each time, so a caller cannot change the next one', () => {
    const one = InstanceCatalog.awsGpu();
    one.types.length = 0;
    expect(InstanceCatalog.awsGpu().types).toHaveLength(28);
  });
});

describe('serving figures', () => {
  const base = { name: 'g6.xlarge', priceUsdPerHour: 0.8048, gpus: 1, gpuProduct: GpuProduct.L4, vcpus: 4, memory: Size.gibibytes(16) };

  test('are optional in InstanceType.of', () => {
    const t = InstanceType.of(base);
    expect(t.capacityPerReplica).toBeUndefined();
    expect(t.latency).toBeUndefined();
  });

  test('fail when only one of the two is given', () => {
    expect(() => InstanceType.of({ ...base, capacityPerReplica: 8 })).toThrow(
      "[InstanceType g6.xlarge] 'latency' (undefined) is not set while capacityPerReplica is: the planners need both: "
      + 'give both capacityPerReplica and latency (the serving figures), or neither for a type only a node pool uses');
    expect(() => InstanceType.of({ ...base, latency: Duration.millis(100) })).toThrow(
      "[InstanceType g6.xlarge] 'capacityPerReplica' (undefined) is not set while latency is");
  });

  test('withServing returns a copy with the figures and leaves the type as it was', () => {
    const t = InstanceType.of({ ...base, capacityType: CapacityType.SPOT });
    const served = t.withServing(8, Duration.millis(120));
    expect(served).not.toBe(t);
    expect(served).toMatchObject({ ...base, capacityPerReplica: 8, capacityType: CapacityType.SPOT, priceMicroUsdPerHour: 804_800 });
    expect(served.latency!.toMilliseconds()).toBe(120);
    expect(t.capacityPerReplica).toBeUndefined();
    expect(served.withServing(9, Duration.millis(90)).capacityPerReplica).toBe(9);
  });

  test('withServing checks the figures as InstanceType.of does', () => {
    const t = InstanceType.of(base);
    expect(() => t.withServing(0, Duration.millis(100))).toThrow("[InstanceType g6.xlarge] 'capacityPerReplica' (0) must be above zero: fix the catalog entry");
    expect(() => t.withServing(8, Duration.millis(0))).toThrow("[InstanceType g6.xlarge] 'latency' (0 millis) must be above zero");
    expect(() => t.withServing(undefined as any, Duration.millis(100))).toThrow(
      "[InstanceType g6.xlarge] 'capacityPerReplica' (undefined) is not set: give the requests per second one replica serves on this type, e.g. 8");
    expect(() => t.withServing(8, undefined as any)).toThrow("[InstanceType g6.xlarge] 'latency' (undefined) is not set");
  });

  test("InstanceCatalog#withServing keeps the named types, with their figures, in the catalog's order", () => {
    const served = aws.withServing({
      'g6.2xlarge': { capacityPerReplica: 12, latency: Duration.millis(100) },
      'g6.xlarge': { capacityPerReplica: 8, latency: Duration.millis(120) },
    });
    expect(served.types.map(t => [t.name, t.capacityPerReplica, t.latency!.toMilliseconds()])).toEqual([['g6.xlarge', 8, 120], ['g6.2xlarge', 12, 100]]);
    expect(served.find('g6.xlarge')!.priceUsdPerHour).toBe(0.8048);
    expect(aws.find('g6.xlarge')!.capacityPerReplica).toBeUndefined();
  });

  test('InstanceCatalog#withServing refuses names the catalog lacks, no names, and bad figures', () => {
    expect(() => aws.withServing({ 'g4dn.xlarge': { capacityPerReplica: 8, latency: Duration.millis(120) } })).toThrow(
      /^\[InstanceCatalog\.withServing\] 'figures\.g4dn\.xlarge' \(.*\) names no type of this catalog: name types of the catalog \(g5\.xlarge, g5\.2xlarge, .*, g6\.8xlarge, \.\.\.\)$/);
    expect(() => aws.withServing({})).toThrow("[InstanceCatalog.withServing] 'figures' ({}) names no instance type");
    expect(() => aws.withServing({ 'g6.xlarge': { capacityPerReplica: -1, latency: Duration.millis(120) } })).toThrow(
      "[InstanceType g6.xlarge] 'capacityPerReplica' (-1) must be above zero");
  });
});

describe('planning with the AWS GPU catalog', () => {
  test('InstanceSelector refuses a type without serving figures, naming it and the fix', () => {
    expect(() => InstanceSelector.cheapest({ requiredRequestsPerSecond: 40, catalog: aws })).toThrow(
      "[InstanceSelector] 'catalog g5.xlarge.capacityPerReplica' (undefined) is not set: InstanceType g5.xlarge has no serving figures, "
      + 'and the planner needs the load one replica serves on it and its latency: give them with InstanceType.of({ ..., capacityPerReplica, latency }), '
      + "instanceType.withServing(capacityPerReplica, latency) or catalog.withServing({ 'g5.xlarge': { capacityPerReplica, latency } }) "
      + '(which keeps only the types it names)');
  });

  test('InstanceSelector ignores types of capacity types it may not buy, figures or not', () => {
    const spot = InstanceType.of({ name: 'g6.xlarge', priceUsdPerHour: 0.4, gpus: 1, vcpus: 4, memory: Size.gibibytes(16), capacityType: CapacityType.SPOT });
    const onDemand = aws.find('g6.xlarge')!.withServing(8, Duration.millis(120));
    const catalog = InstanceCatalog.of([spot, onDemand]);
    const selection = InstanceSelector.cheapest({ requiredRequestsPerSecond: 10, catalog, capacityTypes: [CapacityType.ON_DEMAND] });
    expect(selection.plan).toMatchObject({ instanceType: 'g6.xlarge', replicas: 2, costUsdPerHour: 1.6096 });
  });

  test('InstanceSelector plans with the types given figures', () => {
    const catalog = aws.withServing({
      'g6.xlarge': { capacityPerReplica: 8, latency: Duration.millis(120) },
      'g6e.xlarge': { capacityPerReplica: 20, latency: Duration.millis(80) },
    });
    const selection = InstanceSelector.cheapest({ requiredRequestsPerSecond: 40, catalog, maxLatency: Duration.millis(100) });
    // ceil(40 / (20 x 0.7)) = 3 g6e.xlarge at $1.861.
    expect(selection.plan).toMatchObject({ instanceType: 'g6e.xlarge', replicas: 3, costUsdPerHour: 5.583 });
  });

  test('a CostAwareNodePool of the g6 types builds, with their labels and budget-derived limits', () => {
    const chart = newChart();
    new CostAwareNodePool(chart, 'pool', {
      name: 'l4-inference',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: InstanceCatalog.awsGpu().families(['g6']).types,
      budgetUsdPerHour: 50,
      nodeClass: {
        role: 'KarpenterNodeRole-ml',
        subnetTags: { 'karpenter.sh/discovery': 'ml' },
        securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
        amiAlias: 'al2023@v20251015',
      },
    });
    const pool = ofKind(expectConformant(chart), 'NodePool');
    const requirement = (key: string) => pool.spec.template.spec.requirements.find((r: any) => r.key === key);
    expect([...requirement('node.kubernetes.io/instance-type').values].sort()).toEqual(
      ['g6.12xlarge', 'g6.16xlarge', 'g6.24xlarge', 'g6.2xlarge', 'g6.48xlarge', 'g6.4xlarge', 'g6.8xlarge', 'g6.xlarge']);
    // GPUs: the highest price per GPU is g6.16xlarge's $3.3968 -> floor(50 / 3.3968) = 14.
    expect(pool.spec.limits['nvidia.com/gpu']).toBe('14');
  });
});
