// Losses by name, for fit({ loss: 'crossEntropy' }) and the CLI. Keras and PyTorch spellings both work.
import { ConfigError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';
import { crossEntropy, nllLoss } from './cross-entropy.js';
import { huberLoss } from './huber.js';
import type { LossOptions } from './reduction.js';
import { halfSquaredError, l1Loss, mseLoss } from './squared-error.js';

export type LossFn = (pred: Tensor, target: Tensor, opts?: LossOptions) => Tensor;

export type LossName =
  | 'mse' | 'halfSquaredError' | 'mae' | 'crossEntropy' | 'nll' | 'bce' | 'bceWithLogits' | 'huber';

export const LOSSES: Record<LossName, LossFn> = {
  mse: mseLoss,
  halfSquaredError,
  mae: l1Loss,
  crossEntropy,
  nll: nllLoss,
  bce: binaryCrossEntropy,
  bceWithLogits: binaryCrossEntropyWithLogits,
  huber: huberLoss,
};

const ALIASES: Record<string, LossName> = {
  mseloss: 'mse', mean_squared_error: 'mse', meansquarederror: 'mse',
  halfmse: 'halfSquaredError', squarederror: 'halfSquaredError', half_squared_error: 'halfSquaredError',
  l1: 'mae', l1loss: 'mae', mean_absolute_error: 'mae',
  crossentropy: 'crossEntropy', cross_entropy: 'crossEntropy', crossentropyloss: 'crossEntropy',
  categorical_crossentropy: 'crossEntropy', sparse_categorical_crossentropy: 'crossEntropy',
  nllloss: 'nll', nll_loss: 'nll',
  binarycrossentropy: 'bce', binary_crossentropy: 'bce', bceloss: 'bce',
  bcewithlogits: 'bceWithLogits', bcewithlogitsloss: 'bceWithLogits', binary_cross_entropy_with_logits: 'bceWithLogits',
  huberloss: 'huber', huber_loss: 'huber',
};

/** Canonical loss name from a user's spelling. */
export function resolveLoss(name: string): LossName {
  if (name in LOSSES) return name as LossName;
  const a = ALIASES[name.toLowerCase()] ?? (Object.keys(LOSSES) as LossName[]).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!a) throw new ConfigError(`unknown loss '${name}': use one of ${Object.keys(LOSSES).join(', ')}`);
  return a;
}

export function getLoss(name: string): LossFn {
  return LOSSES[resolveLoss(name)];
}
