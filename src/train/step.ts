// trainStep(): one step of the notes' learning algorithm on one batch, the unit that fit, the
// playground and the benchmarks all run: forward pass, loss J = L (+ s = λ/2·Σ‖W‖² with `l2`),
// backward, the non-finite guard, gradient clipping, one optimizer update. Like a Lightning
// `training_step` plus the optimizer step, so a custom loop is a `for` around this call.
import { NonFiniteError } from '../errors.js';
import { namedParametersOf, type Module } from '../nn/module.js';
import { getLoss, type LossFn } from '../nn/losses/table.js';
import { l2Penalty } from '../nn/regularizers.js';
import { clipGradNorm, clipGradValue } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import { add } from '../tensor/ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { nonFiniteReason } from './guard.js';

export interface TrainStepOptions {
  /** The loss: a function (pred, target) => scalar, or a name ('crossEntropy', 'mse', ...). */
  loss: LossFn | string;
  optimizer: Optimizer;
  /** λ of the notes' L2 penalty s = λ/2·Σ‖W‖²_F added to the loss (weights only). */
  l2?: number;
  /** Clip each gradient element to [−clipValue, clipValue] before the update. */
  clipValue?: number;
  /** Scale the gradients so that their global L2 norm is at most clipNorm before the update. */
  clipNorm?: number;
  /**
   * A NaN/infinite loss or gradient: 'stop' (default) throws NonFiniteError naming the loss or the
   * first bad parameter; 'skip' returns with `skipped` set. Either way the weights are untouched.
   */
  onNonFinite?: 'stop' | 'skip';
}

export interface TrainStepResult {
  /** J for this batch (the loss plus the L2 penalty), read back as a number. */
  loss: number;
  /** The model's output for the batch (for metrics); part of the step's graph, already freed. */
  output: Tensor;
  /** Rows in the batch. */
  rows: number;
  /** Why the update was skipped (a non-finite loss or gradient), or null when it was applied. */
  skipped: string | null;
}

/**
 * One training step of `model` on the batch (x, y); the model's mode (train/eval) is the caller's.
 * The parameters' .grad tensors are kept from step to step and zeroed in place at the start of
 * each (PyTorch's zero_grad(set_to_none=False)): read them after the step, copy them to keep them.
 */
export function trainStep(model: Module, x: Tensor, y: Tensor, opts: TrainStepOptions): TrainStepResult {
  const named = namedParametersOf(model);
  const params = (): Tensor[] => named.map(([, p]) => p);
  const lossFn = typeof opts.loss === 'function' ? opts.loss : getLoss(opts.loss);
  // The gradient buffers persist from step to step, zeroed in place: backward() writes into them
  // (the weight gradients straight from their GEMMs) instead of allocating them every step.
  opts.optimizer.zeroGrad(false);
  const output = model.forward(x);
  let J = lossFn(output, y);
  if (opts.l2) J = add(J, l2Penalty(params(), opts.l2));
  J.backward();
  const loss = J.item(), rows = x.shape[0];
  const bad = nonFiniteReason(loss, named);
  if (bad) {
    if (opts.onNonFinite === 'skip') return { loss, output, rows, skipped: bad };
    throw new NonFiniteError(`trainStep: ${bad}; the weights are unchanged (lower the learning rate, clip gradients, or pass onNonFinite: 'skip')`);
  }
  if (opts.clipValue !== undefined) clipGradValue(params(), opts.clipValue);
  if (opts.clipNorm !== undefined) clipGradNorm(params(), opts.clipNorm);
  opts.optimizer.step();
  return { loss, output, rows, skipped: null };
}
