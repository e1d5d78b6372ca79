// The public API, by layer, lowest first. Each layer imports only the layers above it in this list
// (README, "Layout"); test/layout.test.ts keeps it so.

// Planning: pure planners and the models they share (the HPA behavior, GPU models, instance catalogs).
export * from './planning/gpu-product';
export * from './planning/scaling-behavior';
export * from './planning/hpa-algorithm';
export * from './planning/autoscaler-simulator';
export * from './planning/instance-catalog';
export * from './planning/instance-selector';
export * from './planning/scaling-cost-analyzer';
export * from './planning/scaling-strategy-advisor';
export * from './planning/model-sizer';
export * from './planning/load-forecaster';
export * from './planning/predictive-scaling';
export * from './planning/time-to-capacity';
export * from './planning/slo-planner';

// Values: what constructs are configured with and what they report.
export * from './values/gpu-request';
export * from './values/gpu-sharing';
export * from './values/gpu-work-kind';
export * from './values/exporter-catalog';
export * from './values/model-server-kind';
export * from './values/model-server';
export * from './values/model-weights';
export * from './values/secret-key-reference';
export * from './values/scaling-metric';
export * from './values/scaling-engine';
export * from './values/trigger-credentials';
export * from './values/queue-trigger';
export * from './values/workload-footprint';
export * from './values/inference-pool-backend';
export * from './values/node-pool-declaration';
export * from './values/node-kubelet-settings';

// Constructs: one per file.
export * from './constructs/prometheus-adapter-config';
export * from './constructs/prometheus-selector';
export * from './constructs/inference-autoscaler';
export * from './constructs/batch-inference-job';
export * from './constructs/vertical-autoscaler';
export * from './constructs/large-model-serving';
export * from './constructs/edge-inference';
export * from './constructs/cost-aware-node-pool';
export * from './constructs/capacity-reservation';
export * from './constructs/elastic-ray-training';
export * from './constructs/ray-serve-inference';
export * from './constructs/hyperparameter-search';
export * from './constructs/gpu-work-priorities';
export * from './constructs/team-gpu-quota';
export * from './constructs/kueue-queues';
export * from './constructs/inference-pool';

// Guardrails: checks across the whole app.
export * from './guardrails/app-bill';
export * from './guardrails/bill-lines';
export * from './guardrails/scaling-guardrails';
export * from './guardrails/time-to-capacity-report';
export * from './guardrails/reachability';
