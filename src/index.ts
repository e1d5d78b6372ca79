export * from './gpu';
export * from './workload-footprint';
export * from './scaling-metric';
export * from './scaling-behavior';
export * from './prometheus-adapter-config';
export * from './inference-autoscaler';
