// The optim layer: optimizers, gradient clipping and learning-rate schedules.
export { Optimizer, type OptimizerState, type ParamState, type StateValue } from './optimizer.js';
export { SGD, type SgdOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RmspropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue, type ClipNormOptions } from './clip.js';
export {
  LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, linearWarmup, ReduceLROnPlateau,
  type SchedulerState, type PlateauOptions,
} from './schedulers.js';
export { createOptimizer } from './create.js';
export {
  OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, optionNames, type OptimizerName, type OptimizerOptions, type OptionValue,
} from './config.js';
