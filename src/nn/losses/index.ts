export { reduce, matchTarget, type Reduction, type LossOptions } from './reduction.js';
export { halfSquaredError, mseLoss, l1Loss } from './squared-error.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BceOptions } from './binary-cross-entropy.js';
export { crossEntropy, nllLoss } from './cross-entropy.js';
export { huberLoss, type HuberOptions } from './huber.js';
export { LOSSES, getLoss, resolveLoss, type LossFn, type LossName } from './table.js';
