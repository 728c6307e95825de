// The train layer: trainStep, the fit loop and its callbacks, evaluate, predict, metrics.
export { trainStep, type TrainStepOptions, type TrainStepResult } from './step.js';
export { fit, type FitOptions, type Checkpoint } from './fit.js';
export {
  LearningRateScheduler, type Callback, type Callbacks, type CallbackResult, type FitContext, type TrainingState,
  type History, type BatchLogs, type EpochLogs,
} from './callbacks.js';
export { evaluate, predict, type EvaluateOptions, type FitData } from './evaluate.js';
export { createMetric, type Metric, type MetricContext } from './metrics.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { Batcher } from './batches.js';
