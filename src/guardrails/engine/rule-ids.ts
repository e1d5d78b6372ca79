/**
 * The guardrail rule ids, as plain strings so the rule modules do not import the construct (which imports
 * them). `GuardrailRule` in scaling-guardrails.ts has the same values; a test keeps the two equal.
 */
export const RULES = {
  GPU_PLACEMENT: 'gpu-placement',
  POOL_CAPACITY: 'pool-capacity',
  BUDGET_CEILING: 'budget-ceiling',
  ONE_HORIZONTAL_OWNER: 'one-horizontal-owner',
  VPA_HPA_CONFLICT: 'vpa-hpa-conflict',
  REPLICAS_UNDER_AUTOSCALER: 'replicas-under-autoscaler',
  KEDA_HPA_NAME: 'keda-hpa-name',
  RAY_EXPOSURE: 'ray-exposure',
  ONE_EXTERNAL_METRICS_PROVIDER: 'one-external-metrics-provider',
  TIME_TO_CAPACITY: 'time-to-capacity',
  CPU_PLACEMENT: 'cpu-placement',
  REACHABLE_REPLICAS: 'reachable-replicas',
  ZONE_LOSS: 'zone-loss',
  SPOT_RECLAIM: 'spot-reclaim',
  PDB_BLOCKS_DRAIN: 'pdb-blocks-drain',
  REPLICAS_ON_ONE_NODE: 'replicas-on-one-node',
  DISRUPTION_BLOCKED: 'disruption-blocked',
  // Issue 17, Kueue.
  KUEUE_QUOTA: 'kueue-quota',
  GPU_SHARING: 'gpu-sharing',
  // Issue 16, the inference gateway.
  INFERENCE_POOL_SELECTOR: 'inference-pool-selector',
  INFERENCE_POOL_PORT: 'inference-pool-port',
  ONE_POOL_PER_PICKER: 'one-pool-per-picker',
  MODEL_SERVER_EXPOSURE: 'model-server-exposure',
} as const;

export type RuleId = typeof RULES[keyof typeof RULES];

export const RULE_IDS: readonly string[] = Object.values(RULES);
