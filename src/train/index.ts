// The train layer: fit, evaluate, predict, metrics and early stopping.
export { fit, type FitOptions, type History, type Callbacks, type BatchLogs, type EpochLogs, type CheckpointOptions } from './fit.js';
export { evaluate, predict, type EvaluateOptions, type FitData } from './evaluate.js';
export { createMetric, type Metric, type MetricContext } from './metrics.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { Batcher } from './batches.js';
